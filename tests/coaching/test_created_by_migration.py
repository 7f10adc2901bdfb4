"""Applications, interviews and letters gained `created_by` without losing or changing a row.

The test migrates the test database back to just before the three columns, writes rows through
the models of that time, migrates forward to the latest, and reads every row back: each column
as it was, and `created_by` empty (who typed a row in before it was kept is not known, and it
is not guessed). Then a row recorded by a coach keeps its owner when the coach is deleted.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from followup.applications.models import Application
from followup.interviews.models import Interview
from followup.letters.models import Letter
from tests.migrations import latest, migrate, plan_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("applications", "0005_applied_on_from_created_at"),
    ("interviews", "0001_initial"),
    ("letters", "0007_letter_one_draft_per_follow_up"),
]
WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/London"))
MODELS = [Application, Interview, Letter]


# Fields added at or after the migrations under test: a letter's review mark and the calendar's
# revision counters came with them.
ADDED_SINCE = {"created_by", "reviewed_at", "reviewed_by", "revision", "revised_at"}


def columns(model) -> list[str]:
    """The columns the model had before: all of today's but those added since."""
    return [f.attname for f in model._meta.concrete_fields if f.name not in ADDED_SINCE]


def rows(model) -> list[tuple]:
    return list(model.objects.order_by("pk").values_list(*columns(model)))


def write_rows_before(apps) -> dict:
    """Two people's applications, an interview and two letters, through the models of then."""
    User = apps.get_model("accounts", "User")
    ApplicationThen = apps.get_model("applications", "Application")
    ContactThen = apps.get_model("contacts", "Contact")
    InterviewThen = apps.get_model("interviews", "Interview")
    LetterThen = apps.get_model("letters", "Letter")
    ids = {}
    for n, email in enumerate(["ann@example.com", "bo@example.com"]):
        owner = User.objects.create(email=email, name=email.split("@")[0])
        application = ApplicationThen.objects.create(
            owner=owner,
            organisation="Acme",
            position=f"Analyst {n}",
            applied_on=date(2026, 11, 20),
            decision_date=date(2026, 12, 20),
            status="interviewing",
            notes="Referred by a friend",
        )
        contact = ContactThen.objects.create(owner=owner, name="Ada Park")
        interview = InterviewThen.objects.create(
            application=application, scheduled_at=WHEN, kind="panel", round=2, notes="Pipelines"
        )
        for kind in ("thank_you", "follow_up"):
            LetterThen.objects.create(
                application=application,
                contact=contact,
                interview=interview,
                kind=kind,
                subject=f"{kind} {n}",
                body="Dear Ada,",
                sent_on=date(2026, 12, 1) if kind == "thank_you" else None,
            )
        ids[email] = owner.pk
    return ids


def test_rows_written_before_read_back_with_every_column_and_no_author():
    try:
        then = migrate(BEFORE)
        for model in MODELS:
            old = then.get_model(model._meta.app_label, model._meta.model_name)
            assert "created_by" not in {f.name for f in old._meta.fields}
        write_rows_before(then)
        with connection.cursor() as cursor:
            before = {}
            for model in MODELS:
                names = ", ".join(connection.ops.quote_name(c) for c in columns(model))
                cursor.execute(f"SELECT {names} FROM {model._meta.db_table} ORDER BY id")  # noqa: S608
                before[model.__name__] = [tuple(row) for row in cursor.fetchall()]

        migrate(latest())

        for model in MODELS:
            assert rows(model) == before[model.__name__], model.__name__
            assert model.objects.count() == len(before[model.__name__]) > 0
            assert not model.objects.filter(created_by__isnull=False).exists()
            # Nobody is named as having added them: the owner's pages show no badge.
            assert all(row.added_by_coach is None for row in model.objects.all())
        assert Letter.objects.count() == 4 and Interview.objects.count() == 2
    finally:
        migrate(latest())
    assert plan_to_latest() == []
