"""The board: cards by status, the remembered list-or-board choice, moves without JavaScript
and through the drag's JSON answer, and what a coach sees of a client's board."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.accounts.models import ApplicationsView
from followup.applications import plan, services
from followup.applications.models import (
    Application,
    EventKind,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Status,
)
from followup.coaching.models import AccessLogEntry
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import ApplicationFactory, ContactFactory

BOARD = "applications/application_board.html"
LIST = "applications/application_list.html"


@pytest.fixture
def interviewing(owner):
    """An application in interviewing with a thank-you letter planned."""
    application = services.application_create(
        owner=owner, organisation="Acme Analytics", position="Data Engineer"
    )
    services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[(ContactFactory(owner=owner, name="Ada Park"), "data quality")],
        today=owner.today(),
    )
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWING
    return application


def cards(response, status):
    [column] = [c for c in response.context["board"].columns if c.status == status]
    return [card.application for card in column.cards]


# --- The page -----------------------------------------------------------------------------


def test_board_puts_each_application_in_its_status_column(owner_client, owner, stranger):
    applied = ApplicationFactory(owner=owner)
    hired = ApplicationFactory(owner=owner, status=Status.HIRED)
    ApplicationFactory(owner=stranger)
    response = owner_client.get(reverse("applications:board"))
    assert response.status_code == 200
    assert cards(response, "applied") == [applied]
    assert cards(response, "hired") == [hired]
    assert sum(len(c.cards) for c in response.context["board"].columns) == 2
    assert response.context["board"].can_move
    assert b"js/board.js" in response.content


def test_a_card_says_in_words_how_late_its_follow_up_is(owner_client, owner):
    today = owner.today()
    late, due, later = ApplicationFactory.create_batch(3, owner=owner)
    for application, due_on in [(late, today - timedelta(days=3)), (due, today), (later, None)]:
        if due_on:
            FollowUp.objects.create(application=application, kind="follow_up", due_on=due_on)
    response = owner_client.get(reverse("applications:board"))
    # The most pressing first.
    assert cards(response, "applied") == [late, due, later]
    assert b"3 days late" in response.content
    assert b"due today" in response.content


@pytest.mark.parametrize("rows", [3, 300])
def test_board_runs_the_same_queries_however_many_cards(
    owner_client, owner, rows, django_assert_num_queries
):
    statuses = Status.values
    applications = Application.objects.bulk_create(
        Application(owner=owner, organisation="Initech", position=f"Analyst {n}", status=s)
        for n, s in zip(range(rows), statuses * rows, strict=False)
    )
    FollowUp.objects.bulk_create(
        FollowUp(application=a, kind=FollowUpKind.FOLLOW_UP, due_on=owner.today())
        for a in applications
    )
    # 1. the session, 2. the user,
    # 3. every application with its next pending follow-up's due date as a subquery
    with django_assert_num_queries(3):
        response = owner_client.get(reverse("applications:board"))
    assert sum(len(c.cards) for c in response.context["board"].columns) == rows


# --- List or board, remembered ------------------------------------------------------------


def test_applications_show_as_a_list_until_the_person_chooses_the_board(owner_client, owner):
    response = owner_client.get(reverse("applications:list"))
    assert [t.name for t in response.templates][0] == LIST
    assert b'name="view" value="board"' in response.content

    response = owner_client.post(reverse("applications:view"), {"view": "board"})
    assert response["Location"] == reverse("applications:list")
    owner.refresh_from_db()
    assert owner.applications_view == ApplicationsView.BOARD
    response = owner_client.get(reverse("applications:list"))
    assert [t.name for t in response.templates][0] == BOARD
    assert b'name="view" value="list"' in response.content

    owner_client.post(reverse("applications:view"), {"view": "list"})
    response = owner_client.get(reverse("applications:list"))
    assert [t.name for t in response.templates][0] == LIST


def test_a_filtered_address_shows_the_list_whatever_the_choice(owner_client, owner):
    owner.applications_view = ApplicationsView.BOARD
    owner.save()
    response = owner_client.get(reverse("applications:list"), {"q": "Acme"})
    assert [t.name for t in response.templates][0] == LIST


def test_an_unknown_view_is_ignored(owner_client, owner):
    owner_client.post(reverse("applications:view"), {"view": "gallery"})
    owner.refresh_from_db()
    assert owner.applications_view == ApplicationsView.LIST


def test_choosing_a_view_needs_a_post(owner_client):
    assert owner_client.get(reverse("applications:view")).status_code == 405


# --- Moving a card ------------------------------------------------------------------------


def test_move_menu_closes_the_application_and_comes_back_to_the_board(owner_client, interviewing):
    board = reverse("applications:board")
    response = owner_client.post(
        reverse("applications:status", args=[interviewing.pk]),
        {"status": "eliminated", "next": board},
    )
    assert response["Location"] == board
    interviewing.refresh_from_db()
    assert interviewing.status == Status.ELIMINATED
    event = interviewing.events.get(kind=EventKind.STATUS, to_status=Status.ELIMINATED)
    assert (event.from_status, event.to_status) == ("interviewing", "eliminated")
    assert not interviewing.follow_ups.pending().exists()
    assert interviewing.follow_ups.filter(status=FollowUpStatus.CANCELLED).count() == 1
    page = owner_client.get(board).content.decode()
    closing = f"{reverse('letters:new')}?application={interviewing.pk}&amp;kind=closing"
    assert f'<a href="{closing}">Write a closing note</a>' in page


def test_move_menu_never_sends_anyone_to_another_site(owner_client, interviewing):
    response = owner_client.post(
        reverse("applications:status", args=[interviewing.pk]),
        {"status": "offer", "next": "https://evil.example/board/"},
    )
    assert response["Location"] == interviewing.get_absolute_url()


def test_drag_gets_the_result_as_json(owner_client, interviewing):
    response = owner_client.post(
        reverse("applications:status", args=[interviewing.pk]),
        {"status": "eliminated"},
        headers={"Accept": "application/json"},
    )
    answer = response.json()
    assert answer["ok"] and answer["status"] == "eliminated"
    assert "follow-ups are cancelled" in answer["message"]
    assert answer["closing_letter_url"] == (
        f"{reverse('letters:new')}?application={interviewing.pk}&kind=closing"
    )
    assert answer["next_follow_up"] is None
    assert not interviewing.follow_ups.pending().exists()
    # Nothing is left waiting to be shown on the next page.
    assert not list(response.wsgi_request._messages)


def test_drag_back_to_an_open_column_says_when_the_next_follow_up_is(owner_client, owner):
    application = ApplicationFactory(owner=owner, status=Status.WITHDRAWN)
    response = owner_client.post(
        reverse("applications:status", args=[application.pk]),
        {"status": "applied"},
        headers={"Accept": "application/json"},
    )
    answer = response.json()
    [planned] = application.follow_ups.pending()
    assert answer["next_follow_up"]["iso"] == planned.due_on.isoformat()
    assert answer["next_follow_up"]["late"] == ""
    assert answer["closing_letter_url"] == ""


def test_drag_to_an_unknown_status_is_refused_as_json(owner_client, interviewing):
    response = owner_client.post(
        reverse("applications:status", args=[interviewing.pk]),
        {"status": "lost"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False
    interviewing.refresh_from_db()
    assert interviewing.status == Status.INTERVIEWING


# --- A coach's view of a client's board ---------------------------------------------------


def test_a_view_level_coach_sees_the_board_read_only(client, owner, interviewing):
    coach = make_coach(email="view@example.com")
    coaching_between(coach, owner, "view")
    client.force_login(coach)
    response = client.get(reverse("coaching:client_board", args=[owner.pk]))
    assert response.status_code == 200
    assert cards(response, "interviewing") == [interviewing]
    assert not response.context["board"].can_move
    content = response.content.decode()
    assert "Move to" not in content
    assert "data-can-move" not in content
    assert "board.js" not in content and "Sortable" not in content
    assert reverse("applications:status", args=[interviewing.pk]) not in content
    # The view is logged for the client.
    assert AccessLogEntry.objects.filter(client=owner, coach=coach).exists()
    # And the endpoint refuses it anyway.
    response = client.post(
        reverse("applications:status", args=[interviewing.pk]), {"status": "eliminated"}
    )
    assert response.status_code == 403


def test_an_edit_level_coach_moves_cards_and_the_plan_restarts_on_the_owners_day(
    client, owner, interviewing
):
    # Their days always differ: UTC+14 for the owner, UTC-11 for the coach.
    owner.time_zone = "Pacific/Kiritimati"
    owner.save()
    coach = make_coach(email="edit@example.com", time_zone="Pacific/Pago_Pago")
    coaching_between(coach, owner, "edit")
    client.force_login(coach)
    board = reverse("coaching:client_board", args=[owner.pk])
    response = client.get(board)
    assert response.context["board"].can_move
    assert "Move to" in response.content.decode()

    url = reverse("applications:status", args=[interviewing.pk])
    client.post(url, {"status": "withdrawn", "next": board})
    response = client.post(url, {"status": "offer", "next": board})
    assert response["Location"] == board
    [resumed] = interviewing.follow_ups.pending()
    assert resumed.due_on == plan.follow_up_due(
        cadence=interviewing.cadence(), step=1, after=owner.today(), decision_date=None
    )
    assert owner.today() != coach.today()


def test_a_stranger_cannot_see_someone_elses_board(stranger_client, owner):
    response = stranger_client.get(reverse("coaching:client_board", args=[owner.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [3, 300])
def test_a_coachs_board_runs_the_same_queries_however_many_cards(
    client, owner, rows, django_assert_num_queries
):
    coach = make_coach(email="edit@example.com")
    coaching_between(coach, owner, "edit")
    Application.objects.bulk_create(
        Application(owner=owner, organisation="Initech", position=f"Analyst {n}")
        for n in range(rows)
    )
    client.force_login(coach)
    # 1. the session, 2. the coach, 3. the clients they may see, 4. this client,
    # 5. the access log line, 6. the applications with their next due date,
    # 7. the clients they may change (may cards move), 8. the consent, for the banner
    with django_assert_num_queries(8):
        response = client.get(reverse("coaching:client_board", args=[owner.pk]))
    assert response.context["board"].can_move
