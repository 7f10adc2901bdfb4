"""A bounded number of password checks at once: a login storm from many addresses cannot take
every core, and what is refused says so and changes nothing."""

import threading
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from followup.accounts.password_checks import BUSY_MESSAGE, password_check_slot
from tests.factories import UserFactory
from tests.services import need

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The suite's fast hasher, counting how many passwords it hashes (checks and dummy runs)."""

    runs = 0

    def encode(self, password, salt):
        CountingHasher.runs += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def one_slot(settings):
    settings.PASSWORD_CHECK_SLOTS = 1
    settings.PASSWORD_HASHERS = ["tests.accounts.test_password_checks.CountingHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(password):
    return UserFactory(email="person@example.com")


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_while_every_slot_is_taken_a_login_is_refused_at_once_without_hashing(
    client, person, password
):
    CountingHasher.runs = 0
    with password_check_slot() as held:  # another web process, in the middle of a check
        assert held
        response = log_in(client, person.email, password)
    assert response.status_code == 200
    assert BUSY_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert CountingHasher.runs == 0


def test_the_slot_is_given_back_after_each_check(client, person, password):
    # Wrong, wrong, right: each check frees its slot, or the third would be refused.
    for attempt in ("wrong-1", "wrong-2"):
        response = log_in(client, person.email, attempt)
        assert "not correct" in response.content.decode()
    assert log_in(client, person.email, password).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_the_slot_is_given_back_when_the_rate_limit_refuses(client, settings, person, password):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/key"}
    for _ in range(3):
        log_in(client, person.email, "wrong")
    refused = log_in(client, person.email, "wrong")
    assert "Too many failed login attempts" in refused.content.decode()
    with password_check_slot() as held:
        assert held


def test_an_unknown_email_costs_a_hash_too_so_the_slots_must_cover_it(client):
    # What the bound relies on: a login for an address nobody has still hashes, so credential
    # stuffing with made-up addresses costs CPU like any other attempt.
    CountingHasher.runs = 0
    log_in(client, "nobody@example.com", "guess")
    assert CountingHasher.runs == 1


def test_a_check_that_outlived_its_slot_leaves_the_next_holders_slot_alone(settings):
    with password_check_slot() as held:
        assert held
        # The slot expired during a very slow check and another process took it.
        cache.set("password-check-slot:0", "another-holder")
    assert cache.get("password-check-slot:0") == "another-holder"


def test_no_slot_at_all_is_a_configuration_error(settings):
    from followup.accounts.checks import password_check_slots

    settings.PASSWORD_CHECK_SLOTS = 0
    assert [error.id for error in password_check_slots(None)] == ["followup.E001"]
    settings.PASSWORD_CHECK_SLOTS = 1
    assert password_check_slots(None) == []


def test_with_two_slots_one_busy_check_does_not_stop_another(client, settings, person, password):
    settings.PASSWORD_CHECK_SLOTS = 2
    with password_check_slot():
        assert log_in(client, person.email, password).status_code == 302


def test_confirming_ones_password_while_busy_is_a_form_error_not_a_crash(client, person, password):
    client.force_login(person)
    with password_check_slot():
        response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 200
    assert BUSY_MESSAGE in response.content.decode()


def test_the_admin_login_is_the_sites_login(client, person, password):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Its form is not there to post to: no password check happens behind the protections.
    CountingHasher.runs = 0
    response = client.post(reverse("admin:login"), {"username": person.email, "password": password})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert CountingHasher.runs == 0


def test_slots_hold_across_threads_on_the_shared_redis_cache(settings):
    """The production cache: of 8 simultaneous checks with 2 slots, exactly 2 run at a time."""
    need("redis")
    broker = django_settings.CELERY_BROKER_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker,
            "KEY_PREFIX": f"test-slots-{uuid.uuid4().hex[:8]}",
        }
    }
    settings.PASSWORD_CHECK_SLOTS = 2
    assert isinstance(caches["default"], RedisCache)
    start = threading.Barrier(8)
    lock = threading.Lock()
    running, most_running, outcomes = 0, 0, []

    def check():
        nonlocal running, most_running
        cache.get("connect")  # each thread's Redis connection is open before the race starts
        start.wait()
        with password_check_slot() as held:
            outcomes.append(held)
            if held:
                with lock:
                    running += 1
                    most_running = max(most_running, running)
                time.sleep(1.0)  # a hash, longer than any of the others takes to ask
                with lock:
                    running -= 1

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most_running == 2
    assert outcomes.count(True) == 2 and outcomes.count(False) == 6
    # All given back: the next two checks get slots.
    with password_check_slot() as first, password_check_slot() as second:
        assert first and second
