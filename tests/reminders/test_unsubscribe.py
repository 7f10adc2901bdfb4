"""One-click unsubscribe (RFC 8058) and the preferences page."""

import time
from datetime import date, timedelta

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


def issued_days_ago(days: int, user, application=None) -> str:
    """A token made by `unsubscribe_token` `days` days ago (the signature carries the time)."""

    class Backdated(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 24 * 3600)

    data = {"u": user.pk, "a": application.pk if application else None}
    return Backdated(salt=UNSUBSCRIBE_SALT).sign_object(data)


def test_pause_until_a_date_and_a_bad_date_is_a_form_error(cookieless, owner):
    url = url_for(unsubscribe_token(owner))
    response = cookieless.post(url, {"action": "pause", "until": "not a date"})
    assert response.status_code == 400
    assert b"Enter a valid date" in response.content
    until = owner.today() + timedelta(days=30)
    cookieless.post(url, {"action": "pause", "until": until.isoformat()})
    owner.refresh_from_db()
    assert owner.reminders_paused_until == until


@pytest.mark.parametrize("until", ["1900-01-01", "yesterday", "today"])
def test_the_link_cannot_pause_until_a_day_that_is_not_in_the_future(cookieless, owner, until):
    """A pause that ends in the past would cancel the current one: refused, nothing changes."""
    paused = owner.today() + timedelta(days=20)
    owner.reminders_paused_until = paused
    owner.save()
    day = {"yesterday": owner.today() - timedelta(days=1), "today": owner.today()}.get(until)
    response = cookieless.post(
        url_for(unsubscribe_token(owner)),
        {"action": "pause", "until": day.isoformat() if day else until},
    )
    assert response.status_code == 400
    assert b"Choose a day after today" in response.content
    owner.refresh_from_db()
    assert owner.reminders_paused_until == paused


def test_the_link_may_lengthen_a_pause_but_not_shorten_it(cookieless, owner):
    paused = owner.today() + timedelta(days=20)
    owner.reminders_paused_until = paused
    owner.save()
    url = url_for(unsubscribe_token(owner))

    shorter = paused - timedelta(days=10)
    response = cookieless.post(url, {"action": "pause", "until": shorter.isoformat()})
    assert response.status_code == 400
    assert f"already paused until {paused:%-d %B %Y}".encode() in response.content
    owner.refresh_from_db()
    assert owner.reminders_paused_until == paused

    longer = paused + timedelta(days=10)
    assert cookieless.post(url, {"action": "pause", "until": longer.isoformat()}).status_code == 200
    owner.refresh_from_db()
    assert owner.reminders_paused_until == longer


def test_an_old_link_still_unsubscribes_but_no_longer_pauses(cookieless, owner, settings):
    old = issued_days_ago(settings.REMINDER_LINK_MAX_AGE_DAYS + 1, owner)
    page = cookieless.get(url_for(old))
    assert page.status_code == 200
    assert b'value="pause"' not in page.content
    assert b"Stop all reminder emails" in page.content

    until = owner.today() + timedelta(days=30)
    response = cookieless.post(url_for(old), {"action": "pause", "until": until.isoformat()})
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.reminders_paused_until is None

    response = cookieless.post(url_for(old), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.reminders_stopped is True


def test_a_recent_link_pauses(cookieless, owner, settings):
    recent = issued_days_ago(settings.REMINDER_LINK_MAX_AGE_DAYS - 1, owner)
    until = owner.today() + timedelta(days=30)
    response = cookieless.post(url_for(recent), {"action": "pause", "until": until.isoformat()})
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.reminders_paused_until == until


def test_an_old_link_still_mutes_its_application(cookieless, owner, settings):
    application = ApplicationFactory(owner=owner)
    old = issued_days_ago(settings.REMINDER_LINK_MAX_AGE_DAYS + 1, owner, application)
    assert cookieless.post(url_for(old), {"action": "stop_application"}).status_code == 200
    application.refresh_from_db()
    assert application.reminders_muted is True


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
