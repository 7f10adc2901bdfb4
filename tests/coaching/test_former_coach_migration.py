"""Coaching 0005 keeps a coach's comments and access-log lines when the coach's account goes.

The test migrates coaching back to 0004, writes a comment and log lines through the models of
that time, migrates forward, and reads them back through today's models: every row is there, each
log line carries its coach's name, and deleting the coach then leaves both to the client.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from followup.accounts.models import User
from followup.coaching.models import AccessLogEntry, Comment
from tests.migrations import latest, migrate, plan_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("coaching", "0004_coaching_calendar_shared")]
WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_comments_and_log_lines_survive_and_outlive_their_coach():
    try:
        then = migrate(BEFORE)
        field_names = {f.name for f in then.get_model("coaching", "AccessLogEntry")._meta.fields}
        assert "coach_name" not in field_names
        UserThen = then.get_model("accounts", "User")
        named = UserThen.objects.create(email="cora@example.com", name="Cora Coach", is_coach=True)
        unnamed = UserThen.objects.create(email="nameless@example.com", name="", is_coach=True)
        seeker = UserThen.objects.create(email="seeker@example.com", name="Sam Seeker")
        application = then.get_model("applications", "Application").objects.create(
            owner=seeker, organisation="Acme", position="Analyst"
        )
        contact = then.get_model("contacts", "Contact").objects.create(owner=seeker, name="Ines")
        letter = then.get_model("letters", "Letter").objects.create(
            application=application, contact=contact, kind="thank_you", subject="Thank you"
        )
        comment = then.get_model("coaching", "Comment").objects.create(
            letter=letter, author=named, text="Shorter, please.", created_at=WHEN
        )
        LogThen = then.get_model("coaching", "AccessLogEntry")
        lines = {
            coach.email: LogThen.objects.create(
                client=seeker, coach=coach, action="viewed", what="your letter", at=WHEN
            ).pk
            for coach in (named, unnamed)
        }

        migrate(latest())

        found = {
            entry.pk: (entry.coach_id, entry.coach_name, entry.what, entry.at)
            for entry in AccessLogEntry.objects.all()
        }
        assert found == {
            lines["cora@example.com"]: (named.pk, "Cora Coach", "your letter", WHEN),
            lines["nameless@example.com"]: (
                unnamed.pk,
                "nameless@example.com",
                "your letter",
                WHEN,
            ),
        }
        assert Comment.objects.get().author_id == named.pk

        # With the new rule, the coach's account goes and the client keeps both.
        User.objects.filter(pk=named.pk).delete()
        kept = Comment.objects.get(pk=comment.pk)
        assert (kept.author, kept.author_name, kept.text) == (
            None,
            "a former coach",
            "Shorter, please.",
        )
        line = AccessLogEntry.objects.get(pk=lines["cora@example.com"])
        assert (line.coach, line.who) == (None, "Cora Coach")
    finally:
        migrate(latest())
    assert plan_to_latest() == []
