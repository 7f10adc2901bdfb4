"""Interview and Interviewer moved from applications to interviews without touching a row.

The test migrates the test database back to where main stood before the move, writes rows through
the models of that time, migrates forward to the latest, and reads every row and every link back
through today's models. The schema of the tables involved is compared before and after, and the
content types (what admin history and permissions point at) are shown to follow the models.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from followup.applications.models import FollowUp
from followup.contacts.models import Contact
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Letter

pytestmark = pytest.mark.django_db(transaction=True)

# Main before the move: the last migration of each app the move touches, and no interviews app.
BEFORE = [
    ("applications", "0002_initial"),
    ("letters", "0003_contacts_restrict_so_a_person_can_be_deleted"),
    ("interviews", None),
]
TABLES = [
    "applications_interview",
    "applications_interviewer",
    "applications_followup",
    "letters_letter",
]
# Just after the move: later migrations change these tables again (letters 0005 adds a column).
AFTER = [
    ("applications", "0003_interview_moves_to_interviews"),
    ("letters", "0004_letter_interview_moves_to_interviews"),
    ("interviews", "0001_initial"),
]
WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def migrate(targets):
    """Migrate the test database to `targets`; return the state the models of that time live in."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets)
    # The migrations renamed content types under the real manager's cache.
    ContentType.objects.clear_cache()
    return state


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def schema() -> dict:
    """Columns and constraints (foreign keys with their targets, indexes) of the tables involved."""
    with connection.cursor() as cursor:
        return {
            table: (
                [
                    (column.name, column.type_code, column.null_ok)
                    for column in connection.introspection.get_table_description(cursor, table)
                ],
                {
                    name: constraint
                    for name, constraint in connection.introspection.get_constraints(
                        cursor, table
                    ).items()
                    # The search's indexes come and go with its own migration, which follows
                    # the move: going back before the move unapplies it.
                    if not name.endswith("_search_idx")
                },
            )
            for table in TABLES
        }


def write_rows_as_main_did(apps) -> dict:
    """A user, an application, two contacts, an interview with two interviewers, and a follow-up
    and a letter pointing at the interview, all through main's models."""
    User = apps.get_model("accounts", "User")
    Application = apps.get_model("applications", "Application")
    ContactThen = apps.get_model("contacts", "Contact")
    InterviewThen = apps.get_model("applications", "Interview")
    InterviewerThen = apps.get_model("applications", "Interviewer")
    FollowUpThen = apps.get_model("applications", "FollowUp")
    LetterThen = apps.get_model("letters", "Letter")

    owner = User.objects.create(email="moved@example.com", name="Mo Ved")
    application = Application.objects.create(owner=owner, organisation="Acme", position="Analyst")
    ada = ContactThen.objects.create(owner=owner, name="Ada Park")
    ben = ContactThen.objects.create(owner=owner, name="Ben Ruiz")
    interview = InterviewThen.objects.create(
        application=application, scheduled_at=WHEN, kind="panel", round=2, notes="Pipelines"
    )
    first = InterviewerThen.objects.create(interview=interview, contact=ada, cares_about="Sailing")
    second = InterviewerThen.objects.create(interview=interview, contact=ben, cares_about="Rust")
    follow_up = FollowUpThen.objects.create(
        application=application,
        kind="thank_you",
        contact=ada,
        interview=interview,
        due_on=date(2026, 12, 1),
    )
    letter = LetterThen.objects.create(
        application=application, contact=ada, interview=interview, kind="thank_you", subject="Hi"
    )
    return {
        "owner": owner.pk,
        "application": application.pk,
        "ada": ada.pk,
        "ben": ben.pk,
        "interview": interview.pk,
        "interviewers": [first.pk, second.pk],
        "follow_up": follow_up.pk,
        "letter": letter.pk,
    }


def test_rows_written_before_the_move_read_back_after_it_with_every_link():
    try:
        migrate(AFTER)
        schema_now = schema()
        main = migrate(BEFORE)
        assert ("applications", "interview") in main.models
        assert ("interviews", "interview") not in main.models
        assert schema() == schema_now  # main's schema is today's: the move runs no SQL
        ids = write_rows_as_main_did(main.apps)

        migrate(AFTER)
        assert schema() == schema_now
        migrate(latest())

        interview = Interview.objects.get()
        assert interview.pk == ids["interview"]
        assert interview.application_id == ids["application"]
        assert interview.application.owner_id == ids["owner"]
        assert (interview.scheduled_at, interview.kind, interview.round, interview.notes) == (
            WHEN,
            "panel",
            2,
            "Pipelines",
        )
        rows = list(Interviewer.objects.order_by("pk"))
        assert [(row.pk, row.interview_id, row.contact_id, row.cares_about) for row in rows] == [
            (ids["interviewers"][0], ids["interview"], ids["ada"], "Sailing"),
            (ids["interviewers"][1], ids["interview"], ids["ben"], "Rust"),
        ]
        # Reached through today's names: the related name, and the many-to-many through the rows.
        assert list(interview.interviewers.order_by("pk")) == rows
        assert sorted(interview.contacts.values_list("pk", flat=True)) == [ids["ada"], ids["ben"]]
        assert list(Contact.objects.get(pk=ids["ada"]).interviews.all()) == [interview]
        follow_up = FollowUp.objects.get()
        assert (follow_up.pk, follow_up.interview_id) == (ids["follow_up"], ids["interview"])
        assert follow_up.interview == interview
        assert list(interview.follow_ups.all()) == [follow_up]
        letter = Letter.objects.get()
        assert (letter.pk, letter.interview_id) == (ids["letter"], ids["interview"])
        assert list(interview.letters.all()) == [letter]
    finally:
        migrate(latest())
    assert MigrationExecutor(connection).migration_plan(latest()) == []


def test_admin_history_and_permissions_follow_the_models():
    """The content type rows are renamed, not replaced: what points at them keeps pointing."""
    permission = Permission.objects.get(codename="change_interviewer")
    try:
        main = migrate(BEFORE)
        ContentTypeThen = main.apps.get_model("contenttypes", "ContentType")
        old_type = ContentTypeThen.objects.get(app_label="applications", model="interview")
        assert permission.content_type_id == (
            ContentTypeThen.objects.get(app_label="applications", model="interviewer").pk
        )
        log_entry = main.apps.get_model("admin", "LogEntry").objects.create(
            user=main.apps.get_model("accounts", "User").objects.create(email="staff@example.com"),
            content_type=old_type,
            object_id="1",
            object_repr="Video interview, round 1",
            action_flag=2,
        )

        migrate(latest())

        assert ContentType.objects.get_for_model(Interview).pk == old_type.pk
        assert LogEntry.objects.get(pk=log_entry.pk).content_type.model_class() is Interview
        assert Permission.objects.get(pk=permission.pk).content_type.model_class() is Interviewer
        assert not ContentType.objects.filter(
            app_label="applications", model__in=["interview", "interviewer"]
        ).exists()
    finally:
        migrate(latest())
    assert MigrationExecutor(connection).migration_plan(latest()) == []
