"""The data's owner decides dates: a coach twelve hours away plans on the client's days.

The client lives in London and the coach in Auckland (UTC+13 in December). At 12:30 UTC on
Monday 7 December 2026 it is still Monday in London and already Tuesday in Auckland: whatever
the coach plans, marks or records for the client is dated by the client's Monday.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import plan
from followup.applications.models import FollowUp, FollowUpKind, Status
from followup.coaching.models import Level
from followup.letters.models import Letter
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)
CLIENT_TODAY = date(2026, 12, 7)  # Monday, in London
COACH_TODAY = date(2026, 12, 8)  # Tuesday, in Auckland
# Cadence gaps that land on weekdays from both dates, so the two plans differ.
CADENCE = {"cadence_first_days": 7, "cadence_second_days": 14, "cadence_repeat_days": 21}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def coach(owner):
    coach = make_coach(email="far.coach@example.com", time_zone="Pacific/Auckland")
    coaching_between(coach, owner, Level.EDIT)
    return coach


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, status=Status.INTERVIEWING, **CADENCE)


def test_the_two_todays_differ(owner, coach):
    assert (owner.today(), coach.today()) == (CLIENT_TODAY, COACH_TODAY)


def test_a_coach_is_not_offered_marking_sent_and_is_refused(coach_client, application):
    # Only the job seeker sends their letters, so only they say one went: an edit-level coach
    # twelve hours away is neither shown the form nor allowed to post it.
    letter = LetterFactory(application=application, kind="follow_up")
    composer = coach_client.get(reverse("letters:compose", args=[letter.pk]))
    assert not composer.context["composer"].can_send
    assert reverse("letters:mark_sent", args=[letter.pk]) not in composer.content.decode()

    url = reverse("letters:mark_sent", args=[letter.pk])
    refused = coach_client.post(url, {"sent_on": CLIENT_TODAY, "send_anyway": "on"})
    assert refused.status_code == 403
    assert Letter.objects.get(pk=letter.pk).sent_on is None
    assert not FollowUp.objects.filter(application=application).exists()


def test_a_coach_reopening_an_application_plans_from_the_clients_today(
    coach_client, owner, application
):
    application.status = Status.ELIMINATED
    application.save()
    response = coach_client.post(
        reverse("applications:status", args=[application.pk]), {"status": Status.INTERVIEWING}
    )
    assert response.status_code == 302
    [resumed] = FollowUp.objects.filter(application=application).pending()
    expected = plan.follow_up_due(
        cadence=application.cadence(), step=1, after=CLIENT_TODAY, decision_date=None
    )
    coachs = plan.follow_up_due(
        cadence=application.cadence(), step=1, after=COACH_TODAY, decision_date=None
    )
    assert resumed.due_on == expected != coachs


def test_a_coach_skipping_a_follow_up_plans_the_next_from_the_clients_today(
    coach_client, application
):
    follow_up = FollowUp.objects.create(
        application=application, kind=FollowUpKind.FOLLOW_UP, step=1, due_on=CLIENT_TODAY
    )
    response = coach_client.post(reverse("applications:follow_up_skip", args=[follow_up.pk]))
    assert response.status_code == 302
    [following] = FollowUp.objects.filter(application=application).pending()
    assert following.due_on == CLIENT_TODAY + timedelta(days=14)  # Monday 21 December


def test_a_coach_records_a_reply_on_the_clients_days(coach_client, application):
    url = reverse("applications:reply", args=[application.pk])
    page = coach_client.get(application.get_absolute_url())
    assert page.context["today"] == CLIENT_TODAY
    assert page.context["reply_form"]["received_on"].value() == CLIENT_TODAY

    refused = coach_client.post(url, {"text": "We'll call", "received_on": COACH_TODAY})
    assert refused.status_code == 200
    assert "That date is in the future" in refused.content.decode()
    recorded = coach_client.post(url, {"text": "We'll call", "received_on": CLIENT_TODAY})
    assert recorded.status_code == 302


def test_a_coach_recording_an_interview_plans_thank_yous_on_the_clients_day(coach_client, owner):
    application = ApplicationFactory(owner=owner, status=Status.APPLIED, **CADENCE)
    ada = ContactFactory(owner=owner, name="Ada Park")
    # An hour ago: Monday morning in London, just past midnight on Tuesday in Auckland. The
    # form reads the time on the client's clock, which the interview pages show the coach too.
    held = (NOW - timedelta(hours=1)).astimezone(owner.zone)
    response = coach_client.post(
        reverse("interviews:create", args=[application.pk]),
        {
            "scheduled_at": held.strftime("%Y-%m-%dT%H:%M"),
            "kind": "video",
            "round": "1",
            "interviewers-TOTAL_FORMS": "1",
            "interviewers-INITIAL_FORMS": "0",
            "interviewers-MIN_NUM_FORMS": "0",
            "interviewers-MAX_NUM_FORMS": "1000",
            "interviewers-0-contact": ada.pk,
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWING
    [thank_you] = FollowUp.objects.filter(application=application, kind=FollowUpKind.THANK_YOU)
    assert thank_you.due_on == CLIENT_TODAY + timedelta(days=1)  # the client's Tuesday
