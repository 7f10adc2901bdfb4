"""Login throttling holds per IP (against rotating usernames) and per account (against many IPs),
counts failures rather than people, and knows the visitor's address behind the proxy."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rate_limits(settings):
    # The project's own limits (the test settings turn them off for the rest of the suite).
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def attempt(client, email, password="wrong-password", ip="203.0.113.7", **headers):  # noqa: S107
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


THROTTLED = "Too many failed login attempts"


def test_rotating_usernames_from_one_address_is_stopped(client):
    responses = [attempt(client, f"guess{i}@example.com") for i in range(12)]
    assert all(r.status_code in (200, 429) for r in responses)
    assert THROTTLED not in responses[0].content.decode()
    assert THROTTLED in responses[-1].content.decode()


def test_one_account_attacked_from_many_addresses_is_stopped(client):
    victim = UserFactory(email="victim@example.com")
    responses = [attempt(client, victim.email, ip=f"198.51.100.{i}") for i in range(7)]
    assert THROTTLED in responses[-1].content.decode()
    # Even the right password is refused while the account is throttled.
    right = attempt(client, victim.email, password="correct-horse-battery-staple", ip="192.0.2.1")
    assert right.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_person_on_another_address_is_not_affected(client, password):
    for i in range(11):
        attempt(client, f"guess{i}@example.com", ip="203.0.113.7")
    person = UserFactory(email="person@example.com")
    response = attempt(client, person.email, password=password, ip="192.0.2.50")
    assert response.status_code == 302


def test_an_office_behind_one_address_logs_in_together(password):
    # Forty colleagues behind one NAT address, each with the right password, in the same minute,
    # each told "try again in a few seconds" a few times while the password checks queue (here:
    # a form error too, which counts for "login" and not for "login_failed" either). allauth's
    # "login" limit counts every POST, right or wrong; its default, 30 a minute per address, shut
    # the office out; "login_failed" takes back what a success consumed.
    people = [UserFactory() for _ in range(40)]
    for _ in range(3):
        for person in people:
            attempt(Client(), person.email, password="", ip="203.0.113.7")
    for person in people:
        response = attempt(Client(), person.email, password=password, ip="203.0.113.7")
        assert response.status_code == 302, person.email
    # Forty successes left the address's failure count alone: a mistyped password is a form
    # error, not a throttled one.
    response = attempt(Client(), people[0].email, ip="203.0.113.7")
    assert "not correct" in response.content.decode()


PROXY = "10.0.0.2"


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_dodge_the_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    responses = [
        attempt(client, f"guess{i}@example.com", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        for i in range(12)
    ]
    assert THROTTLED in responses[-1].content.decode()


def test_behind_one_trusted_proxy_each_visitor_has_their_own_limit(client, settings, password):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for i in range(11):  # someone guessing, behind the proxy
        attempt(client, f"guess{i}@example.com", ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    guessing = attempt(client, "guess99@example.com", ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert THROTTLED in guessing.content.decode()
    # Another visitor, through the same proxy: the one address REMOTE_ADDR shows is not theirs.
    person = UserFactory(email="person@example.com")
    response = attempt(
        Client(), person.email, password=password, ip=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.50"
    )
    assert response.status_code == 302
    # What the client put in front of the proxy's own entry is not believed: the proxy appends
    # the address it saw, and that is the one counted.
    forged = attempt(
        client, "guess100@example.com", ip=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.7"
    )
    assert THROTTLED in forged.content.decode()
