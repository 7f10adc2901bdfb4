"""A row a coach recorded for a client says so wherever the client meets it in a list: the
board, the dashboard's interviews and activity, the search results. The client's own rows
carry nothing; the coach reads "Added by you"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from tests.factories import InterviewFactory, LetterFactory

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="[^"]*added-by" data-testid="added-by">([^<]*)</span>')


def badges(html: str) -> list[str]:
    return BADGE.findall(html)


@pytest.fixture
def recorded(owner, coach_edit):
    """An application, its interview this week and a letter the coach recorded, and an
    application with an interview the owner recorded."""
    theirs = services.application_create(
        owner=owner, by=coach_edit, organisation="Tidewater", position="Analyst"
    )
    InterviewFactory(
        application=theirs,
        scheduled_at=timezone.now() + timedelta(days=1),
        location="Tidewater harbour office",
        created_by=coach_edit,
    )
    LetterFactory(application=theirs, subject="Tidewater thanks", created_by=coach_edit)
    own = services.application_create(
        owner=owner, by=owner, organisation="Tidewater Ports", position="Planner"
    )
    InterviewFactory(
        application=own,
        scheduled_at=timezone.now() + timedelta(days=2),
        location="Tidewater quay",
        created_by=owner,
    )
    return theirs, own


def card_of(html: str, application) -> str:
    start = html.index(f'href="{application.get_absolute_url()}"')
    return html[start : html.index("</li>", start)]


def test_the_board_marks_the_cards_a_coach_added(client, owner, coach_edit, recorded):
    theirs, own = recorded
    client.force_login(owner)
    html = client.get(reverse("applications:board")).content.decode()
    assert badges(card_of(html, theirs)) == ["Added by your coach Eddie Edit"]
    assert badges(card_of(html, own)) == []

    client.force_login(coach_edit)
    html = client.get(reverse("coaching:client_board", args=[owner.pk])).content.decode()
    assert badges(card_of(html, theirs)) == ["Added by you"]
    assert badges(card_of(html, own)) == []


def test_the_dashboard_marks_interviews_and_applications_a_coach_added(client, owner, recorded):
    client.force_login(owner)
    html = client.get("/").content.decode()
    interviews = html[html.index('id="interviews-heading"') : html.index('id="activity-heading"')]
    activity = html[html.index('id="activity-heading"') :]
    assert badges(interviews) == ["Added by your coach Eddie Edit"]
    # The line where the coach's application was recorded; the owner's has none.
    assert badges(activity) == ["Added by your coach Eddie Edit"]
    line = activity[activity.index("Analyst at Tidewater") :]
    assert "Added by your coach" in line[: line.index("</li>")]


def test_search_results_mark_rows_a_coach_added(client, owner, coach_edit, recorded):
    client.force_login(owner)
    html = client.get(reverse("search:results"), {"q": "tidewater"}).content.decode()
    # The coach's application, interview and letter; not the owner's application, interview.
    assert badges(html) == ["Added by your coach Eddie Edit"] * 3

    client.force_login(coach_edit)
    html = client.get(reverse("search:results"), {"q": "tidewater"}).content.decode()
    assert badges(html) == ["Added by you"] * 3


@pytest.mark.parametrize("rows", [2, 12])
def test_the_dashboard_and_board_add_no_query_per_marked_row(
    client, owner, coach_edit, rows, django_assert_num_queries
):
    for n in range(rows):
        application = services.application_create(
            owner=owner, by=coach_edit, organisation="Initech", position=f"Analyst {n}"
        )
        InterviewFactory(
            application=application,
            scheduled_at=timezone.now() + timedelta(hours=n + 1),
            created_by=coach_edit,
        )
    client.force_login(owner)
    # 1 session, 2 user, 3 pending follow-ups, 4 pipeline counts, 5 interviews this week with
    # who recorded them, 6 recent activity with its application and who recorded it,
    # 7 coaches' invitations, 8 open next steps from a coach.
    with django_assert_num_queries(8):
        html = client.get("/").content.decode()
    assert len(badges(html)) == 2 * min(rows, 10)
    # 1 session, 2 user, 3 the applications with their next due date and who recorded them.
    with django_assert_num_queries(3):
        html = client.get(reverse("applications:board")).content.decode()
    assert len(badges(html)) == rows
