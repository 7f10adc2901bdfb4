"""The insights pages: who sees whose figures, what the page says, and its pinned query count."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from followup.applications.models import Application, ApplicationEvent, EventKind
from followup.coaching.models import AccessLogEntry, Level
from followup.coaching.services import consent
from followup.insights.selectors import insights_for
from followup.letters.models import Gift, Letter
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import ContactFactory, UserFactory
from tests.insights.conftest import application, letter, reply

pytestmark = pytest.mark.django_db

MINE = reverse("insights:mine")
CASELOAD = reverse("insights:caseload")


def client_url(person):
    return reverse("insights:client", args=[person.pk])


@pytest.fixture
def history(owner, days_ago):
    """Two applications: one hired after 30 days, one still applied; a letter with a gift
    answered on day 2."""
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    hired = application(owner, [("applied", None), ("hired", d(10))], started=d(40))
    application(owner, [("applied", None)], started=d(5))
    letter(hired, sent_on=days_ago(20), gift=True)
    reply(hired, d(18))
    return hired


@pytest.fixture
def coach(owner):
    coach = make_coach(email="coach@example.com", name="Carla Coach")
    coaching_between(coach, owner, Level.VIEW)
    return coach


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MINE, CASELOAD, "/insights/clients/1/"])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_own_page_shows_own_figures(owner_client, history):
    response = owner_client.get(MINE)

    assert response.status_code == 200
    insights = response.context["insights"]
    # hired: reached every stage; the other only "applied": 2, 1, 1, 1
    assert [s.applications for s in insights.funnel.stages] == [2, 1, 1, 1]
    # 40 - 10 = 30 days to being hired
    assert [(t.status, t.median_days) for t in insights.decision_times] == [("hired", 30.0)]
    page = response.content.decode()
    assert "1 of 1 (100%)" in page  # the gift letter, answered on day 2
    assert "Too few letters to compare yet" in page
    assert "30 days · 1 application" in page


def test_a_stranger_sees_nothing_of_anothers(stranger_client, owner, history):
    response = stranger_client.get(MINE)

    assert response.context["insights"].funnel.total == 0
    assert "No application recorded yet" in response.content.decode()
    assert stranger_client.get(client_url(owner)).status_code == 404


def test_a_consenting_clients_page_for_their_coach_is_logged(client, coach, owner, history):
    client.force_login(coach)

    response = client.get(client_url(owner))

    assert response.status_code == 200
    assert response.context["insights"].funnel.total == 2
    assert f"Insights: {owner.display_name}" in response.content.decode()
    assert AccessLogEntry.objects.filter(client=owner, coach=coach, what="insights").count() == 1


def test_a_coach_no_longer_consented_to_gets_not_found(client, owner, history):
    coach = make_coach()
    consent.coaching_end(coaching=coaching_between(coach, owner))
    client.force_login(coach)

    assert client.get(client_url(owner)).status_code == 404
    assert not AccessLogEntry.objects.filter(coach=coach, what="insights").exists()


def test_ones_own_id_on_the_client_url_is_not_found(owner_client, owner):
    assert owner_client.get(client_url(owner)).status_code == 404


def test_caseload_counts_consenting_clients_only(client, coach, owner, history, days_ago):
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    second = UserFactory()
    coaching_between(coach, second)
    application(second, [("applied", None), ("interviewing", d(3))], started=d(9))
    former = UserFactory()
    consent.coaching_end(coaching=coaching_between(coach, former))
    application(former, [("applied", None), ("offer", d(3))], started=d(9))
    # The coach's own search is not their caseload.
    application(coach, [("applied", None)], started=d(9))
    client.force_login(coach)

    response = client.get(CASELOAD)

    insights = response.context["insights"]
    # owner's 2 (one hired) + second's 1 (interviewing): 3, 2, 1, 1
    assert [s.applications for s in insights.funnel.stages] == [3, 2, 1, 1]
    assert insights.people == 2
    assert "2 in all" in response.content.decode()


def test_caseload_of_a_coach_without_clients(client):
    client.force_login(make_coach())

    response = client.get(CASELOAD)

    assert "No job seeker has given you access yet" in response.content.decode()


def test_caseload_is_for_coaches(owner_client):
    response = owner_client.get(CASELOAD)

    assert response.status_code == 200
    assert "This page is for career coaches" in response.content.decode()
    assert "insights" not in response.context


def test_the_navbar_links_to_insights(owner_client):
    page = owner_client.get(reverse("applications:list")).content.decode()

    assert f'href="{MINE}">Insights</a>' in page


# --- Query counts ---------------------------------------------------------------------------


def populate(owner, count: int) -> None:
    """`count` applications at every stage, with letters (half with a gift) and replies."""
    contact = ContactFactory(owner=owner)
    start = datetime.combine(owner.today() - timedelta(days=90), time(12), tzinfo=UTC)
    statuses = ["applied", "interviewing", "offer", "hired", "eliminated", "withdrawn"]
    applications = Application.objects.bulk_create(
        Application(
            owner=owner,
            organisation="Acme",
            position=f"Role {n}",
            status=statuses[n % 6],
            created_at=start,
            applied_on=start.date(),
        )
        for n in range(count)
    )
    events, letters = [], []
    for n, app in enumerate(applications):
        events.append(
            ApplicationEvent(application=app, kind=EventKind.CREATED, to_status="applied")
        )
        if app.status != "applied":
            events.append(
                ApplicationEvent(
                    application=app, kind=EventKind.STATUS, from_status="applied",
                    to_status=app.status, occurred_at=start + timedelta(days=n % 40),
                )
            )  # fmt: skip
        if n % 3 == 0:
            events.append(
                ApplicationEvent(
                    application=app, kind=EventKind.REPLY, occurred_at=start + timedelta(days=30)
                )
            )
        for kind, day in [("thank_you", 1), ("follow_up", 20)]:
            letters.append(
                Letter(
                    application=app, contact=contact, kind=kind, subject="Hello",
                    sent_on=start.date() + timedelta(days=day),
                )
            )  # fmt: skip
    ApplicationEvent.objects.bulk_create(events)
    Letter.objects.bulk_create(letters)
    Gift.objects.bulk_create(
        Gift(letter=made, kind="link", url="https://example.com") for made in letters[::2]
    )


@pytest.mark.parametrize("count", [3, 300])
def test_insights_are_four_queries_however_much_data(owner, count, django_assert_num_queries):
    populate(owner, count)
    # 1 the funnel (applications grouped by furthest stage), 2 letters with and without a gift
    # and their replies, 3 the medians to a decision by final status, 4 applications with a
    # reply grouped by the follow-ups before it.
    with django_assert_num_queries(4):
        insights = insights_for([owner.pk])
    assert insights.funnel.total == count
    # Every thank-you (the even letters) carries a gift: one per application, so as many as `count`.
    assert insights.gift_replies.with_gift.letters == count


@pytest.mark.parametrize("count", [3, 300])
def test_own_page_query_count(owner_client, owner, count, django_assert_num_queries):
    populate(owner, count)
    # 1 session, 2 user, then the four insights: 3 the funnel, 4 gifts and replies, 5 the
    # medians to a decision, 6 follow-ups before the first reply.
    with django_assert_num_queries(6):
        response = owner_client.get(MINE)
    assert response.context["insights"].funnel.total == count


@pytest.mark.parametrize("count", [3, 300])
def test_client_page_query_count(client, coach, owner, count, django_assert_num_queries):
    populate(owner, count)
    client.force_login(coach)
    # 1 session, 2 user, 3 the coach's consenting clients (the access rule), 4 the client,
    # 5 the access log entry, 6-9 the four insights, 10 the banner's level of consent.
    with django_assert_num_queries(10):
        response = client.get(client_url(owner))
    assert response.context["insights"].funnel.total == count


@pytest.mark.parametrize("count", [3, 300])
def test_caseload_query_count(client, coach, owner, count, django_assert_num_queries):
    populate(owner, count)
    other = UserFactory()
    coaching_between(coach, other)
    populate(other, count)
    client.force_login(coach)
    # 1 session, 2 user, 3 the coach's consenting clients (the access rule), 4-7 the four
    # insights over all of them together.
    with django_assert_num_queries(7):
        response = client.get(CASELOAD)
    assert response.context["insights"].funnel.total == 2 * count


def test_without_postgresql_the_page_says_what_it_needs_instead_of_failing(
    owner_client, monkeypatch
):
    """`make run`'s embedded SQLite lacks what the figures are computed with."""

    class SQLite:
        vendor = "sqlite"

    monkeypatch.setattr("followup.insights.views.connection", SQLite())
    response = owner_client.get(reverse("insights:mine"))
    assert response.status_code == 200
    assert b"DATABASE_URL" in response.content
    assert "insights" not in response.context
