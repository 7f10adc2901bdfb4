"""The revision counters and the consent flag arrive on rows that exist, keeping every row.

Rows are written through the models as they were before, the database migrates forward, and
each row reads back with revision 0, its last known change as `revised_at`, and (for a consent)
calendar sharing off.
"""

from datetime import UTC, date, datetime

import pytest

from followup.applications.models import Application, FollowUp
from followup.coaching.models import Coaching
from followup.interviews.models import Interview
from tests.migrations import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("applications", "0005_applied_on_from_created_at"),
    ("interviews", "0001_initial"),
    ("coaching", "0002_access_log_created_and_deleted"),
    ("calendars", None),
]
CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
EDITED = datetime(2026, 2, 10, 14, 0, tzinfo=UTC)
DONE = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def write_rows_as_before(apps) -> dict:
    User = apps.get_model("accounts", "User")
    ApplicationThen = apps.get_model("applications", "Application")
    FollowUpThen = apps.get_model("applications", "FollowUp")
    InterviewThen = apps.get_model("interviews", "Interview")
    CoachingThen = apps.get_model("coaching", "Coaching")

    owner = User.objects.create(email="before@example.com", name="Bea Fore")
    coach = User.objects.create(email="coach.before@example.com", is_coach=True)
    application = ApplicationThen.objects.create(
        owner=owner, organisation="Acme", position="Analyst", created_at=CREATED
    )
    interview = InterviewThen.objects.create(application=application, scheduled_at=EDITED)
    pending = FollowUpThen.objects.create(
        application=application, kind="thank_you", interview=interview, due_on=date(2026, 3, 2)
    )
    done = FollowUpThen.objects.create(
        application=application, kind="follow_up", step=1, due_on=date(2026, 3, 1)
    )
    # auto_now and auto_now_add set these on save: put the past back with UPDATEs.
    ApplicationThen.objects.filter(pk=application.pk).update(updated_at=EDITED)
    InterviewThen.objects.filter(pk=interview.pk).update(created_at=CREATED)
    FollowUpThen.objects.filter(pk__in=[pending.pk, done.pk]).update(created_at=CREATED)
    FollowUpThen.objects.filter(pk=done.pk).update(status="done", completed_at=DONE)
    coaching = CoachingThen.objects.create(
        client=owner, coach=coach, invited_by="client", invited_email=coach.email, status="active"
    )
    return {
        "application": application.pk,
        "interview": interview.pk,
        "pending": pending.pk,
        "done": done.pk,
        "coaching": coaching.pk,
    }


def test_rows_from_before_get_a_revision_and_keep_their_dates():
    try:
        ids = write_rows_as_before(migrate(BEFORE))

        migrate(latest())

        application = Application.objects.get(pk=ids["application"])
        assert (application.revision, application.revised_at) == (0, EDITED)
        assert (application.organisation, application.position) == ("Acme", "Analyst")
        interview = Interview.objects.get(pk=ids["interview"])
        assert (interview.revision, interview.revised_at) == (0, CREATED)
        assert interview.scheduled_at == EDITED
        pending = FollowUp.objects.get(pk=ids["pending"])
        assert (pending.revision, pending.revised_at, pending.status) == (0, CREATED, "pending")
        done = FollowUp.objects.get(pk=ids["done"])
        assert (done.revision, done.revised_at, done.status) == (0, DONE, "done")
        assert Coaching.objects.get(pk=ids["coaching"]).calendar_shared is False
        assert FollowUp.objects.count() == 2
    finally:
        migrate(latest())
