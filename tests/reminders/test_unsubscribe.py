"""One-click unsubscribe (RFC 8058) and the preferences page."""

from datetime import date

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from followup.applications.models import FollowUp
from followup.reminders.digest import UNSUBSCRIBE_SALT, unsubscribe_token
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def url_for(token):
    return reverse("reminders:unsubscribe", args=[token])


@pytest.fixture
def cookieless():
    """A mail client's POST: no session, no CSRF cookie, and CSRF checks enforced."""
    return Client(enforce_csrf_checks=True)


def test_get_shows_choices_and_changes_nothing(cookieless, owner):
    response = cookieless.get(url_for(unsubscribe_token(owner)))
    assert response.status_code == 200
    assert b"Stop all reminder emails" in response.content
    owner.refresh_from_db()
    assert owner.reminders_stopped is False


def test_one_click_post_stops_reminders_without_login_or_cookies(cookieless, owner):
    application = ApplicationFactory(owner=owner, status="interviewing")
    follow_up = FollowUp.objects.create(
        application=application, kind="follow_up", step=1, due_on=date(2030, 1, 7)
    )
    from followup.reminders import schedule

    schedule.refresh(FollowUp.objects.filter(pk=follow_up.pk))
    follow_up.refresh_from_db()
    assert follow_up.remind_at is not None

    response = cookieless.post(url_for(unsubscribe_token(owner)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    owner.refresh_from_db()
    follow_up.refresh_from_db()
    assert owner.reminders_stopped is True
    assert follow_up.remind_at is None


def test_stop_reminders_for_one_application(cookieless, owner):
    application = ApplicationFactory(owner=owner)
    other = ApplicationFactory(owner=owner)
    cookieless.post(url_for(unsubscribe_token(owner, application)), {"action": "stop_application"})
    application.refresh_from_db()
    other.refresh_from_db()
    assert (application.reminders_muted, other.reminders_muted) == (True, False)


def test_pause_until_a_date_and_a_bad_date_is_a_form_error(cookieless, owner):
    url = url_for(unsubscribe_token(owner))
    response = cookieless.post(url, {"action": "pause", "until": "not a date"})
    assert response.status_code == 400
    assert b"Enter a valid date" in response.content
    cookieless.post(url, {"action": "pause", "until": "2027-01-15"})
    owner.refresh_from_db()
    assert owner.reminders_paused_until == date(2027, 1, 15)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda user: unsubscribe_token(user)[:-2] + "xx",  # tampered
        lambda user: signing.dumps({"u": user.pk, "a": None}, salt="another-purpose"),  # foreign
        lambda user: signing.dumps({"u": 999_999, "a": None}, salt=UNSUBSCRIBE_SALT),  # nobody
        lambda user: "nonsense",
    ],
)
def test_bad_tokens_are_not_found(cookieless, owner, make_token):
    token = make_token(owner)
    assert cookieless.get(url_for(token)).status_code == 404
    assert cookieless.post(url_for(token), {"List-Unsubscribe": "One-Click"}).status_code == 404
    owner.refresh_from_db()
    assert owner.reminders_stopped is False


def test_a_token_for_another_persons_application_is_not_found(cookieless, owner, stranger):
    theirs = ApplicationFactory(owner=stranger)
    token = signing.dumps({"u": owner.pk, "a": theirs.pk}, salt=UNSUBSCRIBE_SALT)
    assert cookieless.post(url_for(token), {"action": "stop_application"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.reminders_muted is False


def test_preferences_page_sets_hour_days_and_pause(owner_client, owner):
    response = owner_client.post(
        reverse("reminders:preferences"),
        {"reminder_hour": "7", "reminder_days": ["0", "2", "4"], "reminders_paused_until": ""},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.reminder_hour, owner.reminder_days) == (7, "024")


def test_preferences_need_at_least_one_day(owner_client, owner):
    response = owner_client.post(
        reverse("reminders:preferences"), {"reminder_hour": "7", "reminder_days": []}
    )
    assert response.status_code == 200
    assert "reminder_days" in response.context["form"].errors
