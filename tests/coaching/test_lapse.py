"""A consent past the end date its job seeker set ends for good: the coach's notes go, and the
coach is told by email and on their next page, as when the job seeker ends it by hand."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from config.celery_app import app
from followup.coaching import periodic
from followup.coaching.models import Coaching, CoachingStatus, CoachNote, EndedBy
from followup.coaching.services import consent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


def consent_of(coach, owner) -> Coaching:
    return Coaching.objects.get(coach=coach, client=owner, status=CoachingStatus.ACTIVE)


def until(coaching: Coaching, last_day: date) -> Coaching:
    """The job seeker sets the last day, as the coaching settings page does."""
    consent.coaching_change_level(coaching=coaching, level=coaching.level, ends_on=last_day)
    coaching.refresh_from_db()
    return coaching


def test_a_consent_past_its_end_date_ends_its_notes_go_and_the_coach_is_told(
    owner, coach_view, django_capture_on_commit_callbacks
):
    coaching = until(consent_of(coach_view, owner), TODAY - timedelta(days=1))
    CoachNote.objects.create(coaching=coaching, text="Nervous about the salary talk")

    with django_capture_on_commit_callbacks(execute=True):
        assert consent.coachings_lapse(today=TODAY) == 1

    coaching.refresh_from_db()
    assert (coaching.status, coaching.ended_by) == (CoachingStatus.ENDED, EndedBy.LAPSED)
    assert coaching.ended_at is not None
    assert not CoachNote.objects.exists()
    [email] = mail.outbox
    assert email.to == [coach_view.email]
    assert email.subject == f"Your access to {owner.display_name}'s job search has ended"
    assert "until 3 December 2026, and that day has passed" in email.body
    assert "private notes about them have been deleted" in email.body


def test_the_last_day_itself_and_open_ended_consents_are_left_alone(
    owner, coach_view, coach_comment, django_capture_on_commit_callbacks
):
    last_day_today = until(consent_of(coach_view, owner), TODAY)
    open_ended = consent_of(coach_comment, owner)

    with django_capture_on_commit_callbacks(execute=True):
        assert consent.coachings_lapse(today=TODAY) == 0

    for coaching in (last_day_today, open_ended):
        coaching.refresh_from_db()
        assert coaching.status == CoachingStatus.ACTIVE
    assert mail.outbox == []


def test_a_second_run_ends_nothing_and_tells_nobody_again(
    owner, coach_view, django_capture_on_commit_callbacks
):
    until(consent_of(coach_view, owner), TODAY - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        consent.coachings_lapse(today=TODAY)
        assert consent.coachings_lapse(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_the_coach_and_the_client_read_why_it_ended(client, owner, coach_view):
    until(consent_of(coach_view, owner), date(2026, 11, 30))
    consent.coachings_lapse(today=date(2026, 12, 1))

    client.force_login(coach_view)
    page = client.get(reverse("coaching:dashboard")).content.decode()
    assert f"Your access to {owner.display_name}'s job search ended after 30 Nov" in page
    assert "the end date they set" in page
    assert f"{owner.display_name} ended your access" not in page

    client.force_login(owner)
    page = client.get(reverse("coaching:settings")).content.decode()
    assert ", on the end date you set" in page


def test_every_task_on_beat_is_known_to_the_workers(settings):
    """Beat sends tasks by name: a name no worker registered would be dropped every hour."""
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE["coaching-lapse"]["task"] == periodic.lapse_coachings.name
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
