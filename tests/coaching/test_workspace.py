"""A client's page is their workspace for the coach: pipeline, plan, letters and drafts,
interviews, every time in the client's zone; and nothing the coach cannot do is offered.

The client lives in Paris and the coach in Auckland (UTC+13 in December): 08:00 UTC is 09:00
for the client and 21:00 for the coach.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import FollowUp
from followup.coaching.models import AccessLogEntry, Level
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    LetterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LEVELS = [Level.VIEW, Level.COMMENT, Level.EDIT]


@pytest.fixture
def chloe():
    return UserFactory(email="chloe@example.com", name="Chloe Martin", time_zone="Europe/Paris")


@pytest.fixture
def coach(chloe):
    coach = make_coach(email="far@example.com", name="Ari Auckland", time_zone="Pacific/Auckland")
    coaching_between(coach, chloe, Level.COMMENT)
    return coach


def workspace_page(client, coach, chloe) -> str:
    client.force_login(coach)
    response = client.get(reverse("coaching:client", args=[chloe.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_workspace_has_pipeline_plan_letters_and_interviews(client, coach, chloe):
    applied = ApplicationFactory(owner=chloe, status="applied", position="Analyst")
    talking = ApplicationFactory(owner=chloe, status="interviewing", position="Designer")
    ApplicationFactory(owner=chloe, status="eliminated", position="Closed role")
    contact = ContactFactory(owner=chloe, name="Ada Park")
    FollowUp.objects.create(
        application=talking, contact=contact, kind="follow_up", due_on=chloe.today()
    )
    draft = LetterFactory(application=talking, contact=contact, subject="Draft one")
    sent = LetterFactory(application=applied, contact=contact, sent_on=chloe.today())
    coming = InterviewFactory(application=talking, scheduled_at=timezone.now() + timedelta(days=2))
    held = InterviewFactory(application=applied, scheduled_at=timezone.now() - timedelta(days=4))

    page = workspace_page(client, coach, chloe)

    for section in ("plan", "letters", "interviews", "pipeline"):
        assert f'data-testid="workspace-{section}"' in page
    pipeline = page[page.index('data-testid="workspace-pipeline"') :]
    assert "Analyst at" in pipeline and "Designer at" in pipeline
    assert "Closed role" in pipeline  # folded under its status
    plan = page[
        page.index('data-testid="workspace-plan"') : page.index('data-testid="workspace-letters"')
    ]
    assert "Ada Park" in plan
    letters = page[page.index('data-testid="workspace-letters"') :]
    assert reverse("letters:compose", args=[draft.pk]) in letters
    assert reverse("letters:compose", args=[sent.pk]) in letters
    interviews = page[page.index('data-testid="workspace-interviews"') :]
    assert coming.get_absolute_url() in interviews and held.get_absolute_url() in interviews
    entry = AccessLogEntry.objects.get(client=chloe)
    assert (entry.coach, entry.action) == (coach, "viewed")


def test_every_time_is_the_clients_and_the_zone_is_named(client, coach, chloe, monkeypatch):
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday: 09:00 in Paris, 21:00 in Auckland
    monkeypatch.setattr(timezone, "now", lambda: now)
    application = ApplicationFactory(owner=chloe, status="interviewing")
    # Tomorrow 09:00 in Paris is Tuesday 21:00 in Auckland.
    InterviewFactory(application=application, scheduled_at=now + timedelta(days=1))
    letter = LetterFactory(application=application, contact=ContactFactory(owner=chloe))
    type(letter).objects.filter(pk=letter.pk).update(updated_at=now, review_requested_at=now)

    page = workspace_page(client, coach, chloe)

    assert "Times in Chloe’s time zone, Europe/Paris" in page
    assert "Tue 8 Dec, 09:00" in page  # the interview, where Chloe is
    assert "Mon 7 Dec, 09:00" in page  # the draft's last edit
    assert "Review asked 7 Dec, 09:00" in page
    assert "21:00" not in page  # nothing in the coach's own zone


@pytest.mark.parametrize("level", LEVELS)
def test_no_send_download_or_mark_sent_is_offered_to_a_coach(client, chloe, level):
    coach = make_coach(email=f"{level}@example.com")
    coaching_between(coach, chloe, level)
    letter = LetterFactory(application__owner=chloe, contact__email="ada@example.com")
    client.force_login(coach)

    response = client.get(reverse("letters:compose", args=[letter.pk]))

    page = response.content.decode()
    assert response.context["composer"].can_send is False
    assert "Send it yourself" not in page
    assert reverse("letters:eml", args=[letter.pk]) not in page
    assert reverse("letters:mark_sent", args=[letter.pk]) not in page
    assert "mailto:" not in page
    assert "Mark as sent" not in page
    assert "sends this letter from their own mailbox" in page


@pytest.mark.parametrize("level", LEVELS)
def test_the_views_refuse_a_coach_the_eml_and_mark_sent_whatever_the_level(client, chloe, level):
    coach = make_coach(email=f"{level}@example.com")
    coaching_between(coach, chloe, level)
    letter = LetterFactory(application__owner=chloe)
    client.force_login(coach)
    eml = reverse("letters:eml", args=[letter.pk])
    mark_sent = reverse("letters:mark_sent", args=[letter.pk])

    assert client.get(eml).status_code == 403
    sent_today = {"sent_on": chloe.today().isoformat(), "send_anyway": "on"}
    assert client.post(mark_sent, sent_today).status_code == 403
    assert client.post(eml).status_code == 405
    assert client.get(mark_sent).status_code == 405
    letter.refresh_from_db()
    assert letter.sent_on is None
    assert not AccessLogEntry.objects.filter(coach=coach).exists()  # refused: nothing shown


def test_the_owner_still_sends_downloads_and_marks_sent(client, chloe):
    letter = LetterFactory(application__owner=chloe, contact__email="ada@example.com")
    client.force_login(chloe)
    page = client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert "Send it yourself" in page and reverse("letters:eml", args=[letter.pk]) in page
    assert client.get(reverse("letters:eml", args=[letter.pk])).status_code == 200


def active_nav(page: str) -> list[str]:
    """The menu items marked as the current page."""
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    items = []
    for chunk in nav.split('aria-current="page"')[1:]:
        items.append(chunk[chunk.index(">") + 1 : chunk.index("</a>")])
    return items


@pytest.mark.parametrize(
    "page",
    ["workspace", "letter", "application", "interview", "contact", "board", "insights"],
)
def test_no_menu_item_of_the_coachs_own_is_lit_on_a_clients_pages(client, coach, chloe, page):
    application = ApplicationFactory(owner=chloe, status="interviewing")
    letter = LetterFactory(application=application)
    interview = InterviewFactory(application=application)
    url = {
        "workspace": reverse("coaching:client", args=[chloe.pk]),
        "letter": letter.get_absolute_url(),
        "application": application.get_absolute_url(),
        "interview": interview.get_absolute_url(),
        "contact": letter.contact.get_absolute_url(),
        "board": reverse("coaching:client_board", args=[chloe.pk]),
        "insights": reverse("insights:client", args=[chloe.pk]),
    }[page]
    client.force_login(coach)
    assert active_nav(client.get(url).content.decode()) == ["Clients"]


def test_the_coachs_own_pages_light_their_own_items(client, coach):
    client.force_login(coach)
    assert active_nav(client.get(reverse("letters:list")).content.decode()) == ["Letters"]
    assert active_nav(client.get(reverse("coaching:dashboard")).content.decode()) == ["Clients"]
    assert active_nav(client.get(reverse("coaching:settings")).content.decode()) == ["Coaching"]
    agenda = client.get(reverse("applications:agenda")).content.decode()
    assert active_nav(agenda) == ["Agenda"]
    own = LetterFactory(application__owner=coach)
    assert active_nav(client.get(own.get_absolute_url()).content.decode()) == ["Letters"]
