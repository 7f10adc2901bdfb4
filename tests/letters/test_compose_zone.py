"""A coach on a client's letter reads its times as the client lives them, the zone named once.

The client lives in Tokyo and the coach in New York, fourteen hours apart on 30 November: an
interview at 10:00 in Tokyo is 20:00 the day before in New York, so a time in the wrong zone
shows as the wrong hour and day.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from followup.applications import services as plan_services
from followup.coaching.models import Comment, Level
from followup.coaching.services import review
from followup.letters import services
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
INTERVIEW_AT = datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO)  # 20:00 on the 29th in New York
COMMENTED_AT = datetime(2026, 11, 30, 9, 15, tzinfo=TOKYO)  # 19:15 on the 29th in New York
ZONE_LINE = "Times in Chloe’s time zone, Asia/Tokyo"


@pytest.fixture
def chloe(owner):
    owner.name, owner.time_zone = "Chloe Client", "Asia/Tokyo"
    owner.save()
    return owner


@pytest.fixture
def cora(chloe):
    coach = make_coach(email="cora@example.com", name="Cora Coach", time_zone="America/New_York")
    coaching_between(coach, chloe, Level.EDIT)
    return coach


@pytest.fixture
def letter(chloe, cora):
    application = ApplicationFactory(owner=chloe, organisation="Acme", position="Data Engineer")
    ada = ContactFactory(owner=chloe, name="Ada Park")
    plan_services.interview_create(
        application=application,
        scheduled_at=INTERVIEW_AT,
        interviewers=[(ada, "Sailing")],
        today=chloe.today(),
    )
    letter, _ = services.letter_start(application=application, contact=ada, kind="thank_you")
    comment = review.comment_add(letter=letter, author=cora, part="", text="Shorter, please.")
    Comment.objects.filter(pk=comment.pk).update(created_at=COMMENTED_AT)
    return letter


def composer(client, user, letter) -> str:
    client.force_login(user)
    response = client.get(reverse("letters:compose", args=[letter.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coach_reads_the_interview_and_comment_times_in_the_clients_zone(client, cora, letter):
    page = composer(client, cora, letter)

    assert page.count(ZONE_LINE) == 1
    assert "Mon 30 Nov 2026, 10:00" in page  # the interview
    assert "30 Nov 2026, 09:15" in page  # the comment
    assert "Sun 29 Nov 2026, 20:00" not in page and "29 Nov 2026, 19:15" not in page


def test_the_client_reads_the_same_times_with_no_zone_named(client, chloe, letter):
    page = composer(client, chloe, letter)

    assert "Times in" not in page
    assert "Mon 30 Nov 2026, 10:00" in page and "30 Nov 2026, 09:15" in page


def test_a_coachs_autosave_says_when_in_the_clients_zone(client, cora, letter):
    client.force_login(cora)
    response = client.post(
        reverse("letters:autosave", args=[letter.pk]),
        {"subject": "Thank you", "appreciation": "Thank you for Monday.", "version": 1},
    )

    assert response.status_code == 200
    letter.refresh_from_db()
    in_tokyo = letter.updated_at.astimezone(TOKYO).strftime("%H:%M")
    in_new_york = letter.updated_at.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    assert f">{in_tokyo}</time>" in response.content.decode()
    assert in_tokyo != in_new_york
