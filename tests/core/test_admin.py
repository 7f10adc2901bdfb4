"""The admin: every model's pages open, and changelists cost the same however many rows."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.applications.models import (
    Application,
    ApplicationEvent,
    FollowUp,
)
from followup.contacts.models import Contact
from followup.interviews.models import Interview
from followup.letters.models import Gift, Letter
from tests.factories import ContactFactory, LetterFactory, UserFactory

MODELS = [Contact, Application, ApplicationEvent, Interview, FollowUp, Letter, Gift]


def populate(owner, count: int) -> None:
    """`count` applications, each with an interview, its planned thank-you, a letter and a gift."""
    today = owner.today()
    for n in range(count):
        application = services.application_create(
            owner=owner, organisation=f"Org {n}", position="Data Analyst"
        )
        contact = ContactFactory(owner=owner)
        interview = services.interview_create(
            application=application,
            scheduled_at=timezone.now() - timedelta(days=2),
            interviewers=[(contact, "Likes DuckDB")],
            today=today,
        )
        letter = LetterFactory(application=application, contact=contact, interview=interview)
        # Every other letter has a gift, so both sides of the one-to-one are on the page.
        if n % 2 == 0:
            Gift.objects.create(letter=letter, kind="link", url="https://duckdb.org/")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client, db):
    """A superuser with two-factor authentication set up, as the admin requires."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
    client.force_login(staff)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_opens(staff_client, owner, model):
    populate(owner, 2)
    obj = model.objects.first()
    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        response = staff_client.get(page)
        assert response.status_code == 200, page


def test_changelist_search_and_filters_work(staff_client, owner):
    populate(owner, 2)
    response = staff_client.get(
        url(Application, "changelist"), {"q": "Org 1", "status": "interviewing"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, owner, model):
    populate(owner, 2)
    changelist_queries(staff_client, model)  # The first visit also fills the content-type cache.
    few = changelist_queries(staff_client, model)
    populate(owner, 18)
    assert model.objects.count() >= 10
    many = changelist_queries(staff_client, model)
    print(f"{model.__name__}: {few} queries for 2 applications, {many} for 20")
    assert many == few


@pytest.mark.parametrize("count", [2, 20])
def test_application_changelist_queries(staff_client, owner, count, django_assert_num_queries):
    populate(owner, count)
    # 1 session, 2 user, 3 has the staff member two-factor set up, 4 count of the filtered rows,
    # 5 count of all rows (the "N total" link), 6 the page of applications joined to their
    # owners, with the pending count and next due date as subqueries.
    with django_assert_num_queries(6):
        response = staff_client.get(url(Application, "changelist"))
    assert response.context["cl"].result_count == count


def test_application_change_page_does_not_grow_with_its_plan(staff_client, owner):
    populate(owner, 1)
    application = Application.objects.get()

    def change_page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url(Application, "change", application.pk))
        assert response.status_code == 200
        return len(queries)

    change_page_queries()  # The first visit also fills the content-type cache.
    few = change_page_queries()
    for _ in range(5):
        services.interview_create(
            application=application,
            scheduled_at=timezone.now() - timedelta(days=1),
            interviewers=[(ContactFactory(owner=owner), "")],
            today=owner.today(),
        )
    assert application.follow_ups.count() >= 6
    assert change_page_queries() == few
