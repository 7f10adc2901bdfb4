"""The facts people record about an application (date applied, location, work mode, salary,
source): the forms that take them, the list's filters, and the backfill of existing rows."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from followup.applications import services
from followup.applications.forms import ApplicationForm
from followup.applications.models import Application
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_date_applied_defaults_to_the_owners_today(owner):
    far_east = UserFactory(time_zone="Pacific/Kiritimati")  # UTC+14: often already tomorrow
    for person in (owner, far_east):
        application = services.application_create(owner=person, organisation="A", position="B")
        application.refresh_from_db()
        assert application.applied_on == person.today()


def test_a_bulk_insert_without_a_date_applied_still_gets_one(owner):
    [application] = Application.objects.bulk_create(
        [Application(owner=owner, organisation="A", position="B")]
    )
    application.refresh_from_db()
    assert application.applied_on in {owner.today(), datetime.now(UTC).date()}


# --- The backfill -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_existing_applications_get_the_day_they_were_recorded_in_their_owners_zone():
    """Migrate back to before the facts, write rows as main did, migrate forward, read back."""
    executor = MigrationExecutor(connection)
    before = [("applications", "0003_interview_moves_to_interviews")]
    old_apps = executor.migrate(before).apps
    User = old_apps.get_model("accounts", "User")
    OldApplication = old_apps.get_model("applications", "Application")
    tokyo = User.objects.create(email="tokyo@example.com", name="T", time_zone="Asia/Tokyo")
    denver = User.objects.create(email="denver@example.com", name="D", time_zone="America/Denver")
    # 20:00 UTC on 30 Nov is 1 Dec in Tokyo and still 30 Nov (13:00) in Denver.
    evening = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    rows = {
        "tokyo": OldApplication.objects.create(
            owner=tokyo, organisation="A", position="B", created_at=evening
        ).pk,
        "denver": OldApplication.objects.create(
            owner=denver, organisation="A", position="B", created_at=evening
        ).pk,
        "old": OldApplication.objects.create(
            owner=denver,
            organisation="A",
            position="C",
            created_at=datetime(2025, 3, 9, 12, 0, tzinfo=ZoneInfo("America/Denver")),
        ).pk,
    }

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    applied = dict(Application.objects.values_list("pk", "applied_on"))
    assert applied[rows["tokyo"]] == date(2026, 12, 1)
    assert applied[rows["denver"]] == date(2026, 11, 30)
    assert applied[rows["old"]] == date(2025, 3, 9)
    assert Application.objects.get(pk=rows["old"]).salary_range == ""


# --- The forms ----------------------------------------------------------------------------


FACTS = {
    "organisation": "Initech",
    "position": "Analyst",
    "applied_on": "2026-11-20",
    "location": "Leeds",
    "work_mode": "hybrid",
    "salary_min": "40000",
    "salary_max": "48000",
    "salary_currency": "GBP",
    "found_via": "Referred by Ada Park",
}


def test_create_records_the_facts_and_the_page_shows_them(owner_client, owner):
    response = owner_client.post(reverse("applications:create"), FACTS)
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.applied_on == date(2026, 11, 20)
    assert (application.location, application.work_mode) == ("Leeds", "hybrid")
    assert (application.salary_min, application.salary_max) == (40000, 48000)
    page = owner_client.get(application.get_absolute_url()).content.decode()
    for text in ("20 Nov 2026", "Leeds", "Hybrid", "40,000–48,000 GBP", "Referred by Ada Park"):
        assert text in page


def test_the_create_form_starts_on_the_owners_today(owner_client, owner):
    response = owner_client.get(reverse("applications:create"))
    assert response.context["form"]["applied_on"].value() == owner.today()


def test_clearing_the_date_applied_on_edit_keeps_the_recorded_one(owner_client, owner):
    application = ApplicationFactory(owner=owner, applied_on=date(2026, 10, 1))
    data = FACTS | {"applied_on": "", "status": "applied"}
    owner_client.post(reverse("applications:update", args=[application.pk]), data)
    application.refresh_from_db()
    assert application.applied_on == date(2026, 10, 1)
    assert application.location == "Leeds"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"salary_min": "50000", "salary_max": "40000"}, "salary_max", "below its bottom"),
        ({"salary_currency": ""}, "salary_currency", "which currency"),
        ({"salary_currency": "XYZ"}, "salary_currency", "Select a valid choice"),
        ({"salary_currency": "gbp"}, "salary_currency", "Select a valid choice"),
        ({"salary_min": "0"}, "salary_min", "greater than or equal to 1"),
        ({"salary_max": "-5"}, "salary_max", "greater than or equal to"),
        ({"salary_max": "99999999999"}, "salary_max", "less than or equal to"),
        ({"work_mode": "moon"}, "work_mode", "Select a valid choice"),
        ({"applied_on": "0025-01-01"}, "applied_on", "between 1900 and 2199"),
    ],
)
def test_form_refuses_facts_that_do_not_hold(changes, field, message):
    form = ApplicationForm(FACTS | changes)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_an_equal_range_and_one_ended_ranges_are_fine():
    for changes, shown in [
        ({"salary_min": "45000", "salary_max": "45000"}, "45,000 GBP"),
        ({"salary_max": ""}, "from 40,000 GBP"),
        ({"salary_min": ""}, "up to 48,000 GBP"),
        ({"salary_min": "", "salary_max": "", "salary_currency": ""}, ""),
    ]:
        form = ApplicationForm(FACTS | changes)
        assert form.is_valid(), form.errors
        assert form.save(commit=False).salary_range == shown


def test_location_and_source_are_cleaned_to_one_line():
    form = ApplicationForm(FACTS | {"location": "Leeds\r\nBcc: x", "found_via": "A\u2028B"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["location"] == "Leeds Bcc: x"
    assert form.cleaned_data["found_via"] == "A B"


def test_the_database_refuses_an_upside_down_range(owner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(owner=owner, salary_min=5, salary_max=4, salary_currency="EUR")


# --- The list -----------------------------------------------------------------------------


@pytest.fixture
def listed(owner):
    rows = {
        "leeds": ApplicationFactory(
            owner=owner,
            position="Leeds analyst",
            location="Leeds",
            work_mode="hybrid",
            found_via="LinkedIn",
            applied_on=date(2026, 11, 2),
        ),
        "remote": ApplicationFactory(
            owner=owner,
            position="Remote engineer",
            location="Anywhere in the UK",
            work_mode="remote",
            found_via="Referral from Ben",
            applied_on=date(2026, 11, 20),
        ),
        "york": ApplicationFactory(
            owner=owner,
            position="York designer",
            location="York",
            work_mode="on_site",
            found_via="linkedin",
            applied_on=date(2026, 10, 5),
            status="offer",
        ),
    }
    return rows


def shown(response) -> list[str]:
    return [a.position for a in response.context["page"].object_list]


def test_list_is_ordered_by_date_applied_latest_first(owner_client, listed):
    response = owner_client.get(reverse("applications:list"))
    assert shown(response) == ["Remote engineer", "Leeds analyst", "York designer"]
    ascending = owner_client.get(reverse("applications:list"), {"sort": "applied"})
    assert shown(ascending) == ["York designer", "Leeds analyst", "Remote engineer"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"work_mode": "remote"}, ["Remote engineer"]),
        ({"location": "LEE"}, ["Leeds analyst"]),
        ({"source": "linkedin"}, ["Leeds analyst", "York designer"]),
        ({"source": "ben"}, ["Remote engineer"]),
        ({"applied_from": "2026-11-01"}, ["Remote engineer", "Leeds analyst"]),
        ({"applied_to": "2026-11-02"}, ["Leeds analyst", "York designer"]),
        ({"applied_from": "2026-11-02", "applied_to": "2026-11-02"}, ["Leeds analyst"]),
        ({"status": "offer", "source": "linkedin"}, ["York designer"]),
        (
            {"work_mode": "moon", "applied_from": "not a date"},
            ["Remote engineer", "Leeds analyst", "York designer"],
        ),
    ],
)
def test_list_filters(owner_client, listed, query, expected):
    response = owner_client.get(reverse("applications:list"), {"state": "all", **query})
    assert response.status_code == 200
    assert shown(response) == expected


def test_filters_survive_paging(owner_client, owner):
    for day in range(30):
        ApplicationFactory(
            owner=owner, work_mode="remote", applied_on=date(2026, 1, 1) + timedelta(day)
        )
    ApplicationFactory(owner=owner, work_mode="hybrid")
    response = owner_client.get(reverse("applications:list"), {"work_mode": "remote"})
    assert response.context["page"].paginator.count == 30
    body = response.content.decode()
    assert "?work_mode=remote&amp;page=2" in body
    second = owner_client.get(reverse("applications:list"), {"work_mode": "remote", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert all(a.work_mode == "remote" for a in second.context["page"].object_list)
    # The fold with these filters opens by itself when one is in use.
    assert 'more-filters" open' in body
