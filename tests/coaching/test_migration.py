"""Coaching 0003 adds who ended a consent, next steps and notes: every consent row survives it.

The test migrates coaching back to 0002, writes consents in each state through the models of that
time, migrates forward to the latest, and reads every row back through today's models.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from followup.coaching.models import Coaching, EndedBy, NextStep
from followup.coaching.services.consent import coaching_end
from tests.migrations import latest, migrate, plan_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("coaching", "0002_access_log_created_and_deleted")]
WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_every_consent_row_survives_and_reads_back_with_no_one_named_as_ender():
    try:
        then = migrate(BEFORE)
        assert "nextstep" not in then.all_models["coaching"]
        User = then.get_model("accounts", "User")
        CoachingThen = then.get_model("coaching", "Coaching")
        coach = User.objects.create(email="coach@example.com", name="Cora", is_coach=True)
        seeker = User.objects.create(email="seeker@example.com", name="Sam")
        rows = {
            status: CoachingThen.objects.create(
                coach=coach,
                client=seeker,
                invited_by="client",
                invited_email="coach@example.com",
                level="comment",
                status=status,
                created_at=WHEN,
                accepted_at=WHEN if status != "invited" else None,
                ended_at=WHEN if status in ("ended", "declined") else None,
            ).pk
            for status in ("invited", "active", "ended", "declined")
        }

        migrate(latest())

        found = {
            row.status: (row.pk, row.level, row.accepted_at, row.ended_at, row.ended_by)
            for row in Coaching.objects.all()
        }
        assert found == {
            "invited": (rows["invited"], "comment", None, None, EndedBy.UNKNOWN),
            "active": (rows["active"], "comment", WHEN, None, EndedBy.UNKNOWN),
            "ended": (rows["ended"], "comment", WHEN, WHEN, EndedBy.UNKNOWN),
            "declined": (rows["declined"], "comment", WHEN, WHEN, EndedBy.UNKNOWN),
        }
        # The new tables work with the old rows: a step for the client, then the end recorded.
        active = Coaching.objects.get(pk=rows["active"])
        NextStep.objects.create(client=active.client, set_by=active.coach, text="Call Marcus")
        assert coaching_end(coaching=active, by=active.client)
        active.refresh_from_db()
        assert active.ended_by == EndedBy.CLIENT
    finally:
        migrate(latest())
    assert plan_to_latest() == []
