"""Letters 0006 and 0007: a version for each letter, and one draft per planned follow-up.

The test migrates the database back to before them, writes what "Write it" used to leave behind
(two drafts for one follow-up, beside a sent letter and a lone draft) through the models of that
time, migrates forward, and reads every row back: no letter and no text is lost, the draft edited
last keeps the follow-up, and the database refuses a second draft from then on.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from followup.letters.models import Letter

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("letters", "0005_gift_sentence")]
LONDON = ZoneInfo("Europe/London")


def migrate(targets):
    return MigrationExecutor(connection).migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def write_rows_as_before(apps) -> dict:
    User = apps.get_model("accounts", "User")
    Application = apps.get_model("applications", "Application")
    Contact = apps.get_model("contacts", "Contact")
    FollowUp = apps.get_model("applications", "FollowUp")
    LetterThen = apps.get_model("letters", "Letter")

    owner = User.objects.create(email="twice@example.com", name="Tw Ice")
    application = Application.objects.create(owner=owner, organisation="Acme", position="Analyst")
    ada = Contact.objects.create(owner=owner, name="Ada Park")
    ben = Contact.objects.create(owner=owner, name="Ben Ruiz")
    doubled = FollowUp.objects.create(
        application=application, kind="thank_you", contact=ada, due_on=date(2026, 12, 1)
    )
    single = FollowUp.objects.create(
        application=application, kind="thank_you", contact=ben, due_on=date(2026, 12, 1)
    )

    def letter(follow_up, subject, edited_at, **fields):
        row = LetterThen.objects.create(
            application=application,
            contact=follow_up.contact,
            kind="thank_you",
            follow_up=follow_up,
            subject=subject,
            appreciation=f"{subject}: thank you.",
            **fields,
        )
        # Set after saving: auto_now would stamp the row with the time of the test.
        LetterThen.objects.filter(pk=row.pk).update(updated_at=edited_at)
        return row.pk

    return {
        "older": letter(doubled, "First try", datetime(2026, 11, 30, 9, tzinfo=LONDON)),
        "newer": letter(doubled, "Second try", datetime(2026, 11, 30, 11, tzinfo=LONDON)),
        "sent": letter(
            doubled, "Sent one", datetime(2026, 11, 29, tzinfo=LONDON), sent_on=date(2026, 11, 29)
        ),
        "lone": letter(single, "To Ben", datetime(2026, 11, 30, 8, tzinfo=LONDON)),
        "doubled": doubled.pk,
        "single": single.pk,
    }


def test_duplicate_drafts_are_kept_and_only_the_latest_keeps_the_follow_up():
    try:
        ids = write_rows_as_before(migrate(BEFORE).apps)

        migrate(latest())

        rows = {
            letter.pk: (letter.subject, letter.appreciation, letter.follow_up_id, letter.version)
            for letter in Letter.objects.all()
        }
        assert rows == {
            ids["older"]: ("First try", "First try: thank you.", None, 1),
            ids["newer"]: ("Second try", "Second try: thank you.", ids["doubled"], 1),
            ids["sent"]: ("Sent one", "Sent one: thank you.", ids["doubled"], 1),
            ids["lone"]: ("To Ben", "To Ben: thank you.", ids["single"], 1),
        }
        # The unlinked draft keeps the time it was last edited.
        older = Letter.objects.get(pk=ids["older"])
        assert older.updated_at == datetime(2026, 11, 30, 9, tzinfo=LONDON)
        newer = Letter.objects.get(pk=ids["newer"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Letter.objects.create(
                application_id=newer.application_id,
                contact_id=newer.contact_id,
                kind="thank_you",
                follow_up_id=ids["doubled"],
                subject="A third",
            )
    finally:
        migrate(latest())
    assert MigrationExecutor(connection).migration_plan(latest()) == []
