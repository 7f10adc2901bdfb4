"""The feed's address is its key: long, random, renewable, and useless to anyone else."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from gunicorn.config import Config

from config.gunicorn_logging import AccessLogger
from followup.applications.models import FollowUp
from followup.calendars import services as calendar_services
from followup.calendars.models import CalendarFeed
from tests.calendars.conftest import feed_url, read_feed, record_interview

pytestmark = pytest.mark.django_db


def test_no_feed_until_the_person_makes_one(owner_client, owner):
    response = owner_client.get(reverse("accounts:profile"))

    assert not CalendarFeed.objects.filter(owner=owner).exists()
    assert b"Make my calendar link" in response.content


def test_making_a_link_shows_it_in_settings(owner_client, owner):
    response = owner_client.post(reverse("calendars:renew"), follow=True)

    feed = CalendarFeed.objects.get(owner=owner)
    assert len(feed.token) >= 43  # 32 random bytes
    address = f"http://127.0.0.1:8000/calendar/feed/{feed.token}.ics"
    assert address.encode() in response.content
    assert f"webcal://127.0.0.1:8000/calendar/feed/{feed.token}.ics".encode() in response.content
    assert b"Make a new link" in response.content


def test_a_new_link_kills_the_old_one(client, owner, owner_client, feed):
    record_interview(owner)
    old = feed.token

    owner_client.post(reverse("calendars:renew"))
    feed.refresh_from_db()

    assert feed.token != old
    client.logout()
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert len(read_feed(client, feed)) == 2


def test_turning_the_link_off(client, owner_client, feed):
    owner_client.post(reverse("calendars:turn_off"))

    client.logout()
    assert client.get(feed_url(feed)).status_code == 404


def test_a_strangers_token_reads_only_the_strangers_data(client, owner, stranger, feed):
    mine = record_interview(owner)
    theirs_feed = calendar_services.calendar_feed_renew(owner=stranger)
    theirs = record_interview(stranger)
    their_thank_you = FollowUp.objects.get(interview=theirs)

    events = read_feed(client, theirs_feed)

    assert set(events) == {
        f"interview-{theirs.pk}@127.0.0.1",
        f"follow-up-{their_thank_you.pk}@127.0.0.1",
    }
    assert mine.pk != theirs.pk
    assert "Olivia" not in "".join(str(e.get("SUMMARY")) for e in events.values())


@pytest.mark.parametrize(
    "token",
    ["", "x", "not-a-token-at-all-but-long-enough-to-look-like-one-abcdefghij"],
)
def test_a_wrong_token_is_not_found(client, feed, token):
    response = client.get(f"/calendar/feed/{token}.ics")

    assert response.status_code == 404


def test_a_deactivated_account_has_no_feed(client, owner, feed):
    owner.is_active = False
    owner.save()

    assert client.get(feed_url(feed)).status_code == 404


def test_the_token_is_compared_against_the_whole_value(client, feed):
    # The lookup is by digest, and the stored token is compared in full: a prefix is nothing.
    assert client.get(reverse("calendars:feed", args=[feed.token[:-1]])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[feed.token + "A"])).status_code == 404


def test_the_token_stays_out_of_the_logs(client, feed):
    """Through the logging configuration itself: the root handler hides keys in paths."""
    (handler,) = [h for h in logging.getLogger().handlers if h.filters]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        client.get(reverse("calendars:feed", args=[feed.token + "x"]))
    finally:
        handler.setStream(previous)

    logged = stream.getvalue()
    assert "Not Found: /calendar/feed/[hidden]" in logged
    assert feed.token not in logged


def test_gunicorns_access_log_hides_the_token():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/calendar/feed/s3cr3t-t0ken.ics",
        "PATH_INFO": "/calendar/feed/s3cr3t-t0ken.ics",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = AccessLogger(Config()).atoms(response, [], environ, timedelta(seconds=1))

    assert atoms["r"] == "GET /calendar/feed/[hidden] HTTP/1.1"
    assert atoms["U"] == "/calendar/feed/[hidden]"


def test_renewing_and_turning_off_need_a_post_and_a_login(client, owner_client):
    assert owner_client.get(reverse("calendars:renew")).status_code == 405
    assert owner_client.get(reverse("calendars:turn_off")).status_code == 405
    client.logout()
    response = client.post(reverse("calendars:renew"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_calendar_apps_may_ask_with_head(client, feed):
    assert client.head(feed_url(feed)).status_code == 200
    assert client.post(feed_url(feed)).status_code == 405
