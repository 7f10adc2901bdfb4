"""A bounded number of password checks at once: a login storm from many addresses cannot take
every core; a person who arrives while a check runs waits a moment in a bounded queue; what is
refused says so and changes nothing."""

import threading
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.urls import reverse

from followup.accounts.password_checks import BUSY_MESSAGE, password_check_slot
from tests.factories import UserFactory
from tests.service_probes import need

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The suite's fast hasher, counting how many passwords it hashes (checks and dummy runs)."""

    runs = 0

    def encode(self, password, salt):
        CountingHasher.runs += 1
        return super().encode(password, salt)


HASH_SECONDS = 0.3


class SlowHasher(MD5PasswordHasher):
    """A hash that takes HASH_SECONDS, as PBKDF2 does in production; it notes how many run at once.

    Same algorithm name as the suite's hasher, so it checks the passwords the factory stored.
    """

    lock = threading.Lock()
    running = 0
    most_running = 0

    def encode(self, password, salt):
        with SlowHasher.lock:
            SlowHasher.running += 1
            SlowHasher.most_running = max(SlowHasher.most_running, SlowHasher.running)
        time.sleep(HASH_SECONDS)
        with SlowHasher.lock:
            SlowHasher.running -= 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def one_slot(settings):
    settings.PASSWORD_CHECK_SLOTS = 1
    settings.PASSWORD_CHECK_QUEUE = 1
    # Short, so that what waits for nothing does not slow the suite; tests of waiting set it.
    settings.PASSWORD_CHECK_WAIT_SECONDS = 0.2
    settings.PASSWORD_HASHERS = ["tests.accounts.test_password_checks.CountingHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(password):
    return UserFactory(email="person@example.com")


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def slow_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_password_checks.SlowHasher"]
    SlowHasher.running = SlowHasher.most_running = 0


def log_in_at_once(people, password) -> dict:
    """Each person logs in from their own browser, all at the same moment (one thread each).

    Returns, per email, (HTTP status, refused as busy, seconds until the answer).
    """
    start = threading.Barrier(len(people))
    answers = {}

    def one(person):
        client = Client()
        try:
            start.wait()
            began = time.monotonic()
            response = log_in(client, person.email, password)
            busy = BUSY_MESSAGE in response.content.decode()
            answers[person.email] = (response.status_code, busy, time.monotonic() - began)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def wait_for_a_waiting_login(timeout=3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cache.get("password-check-queue:0") is not None:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_people_logging_in_at_once_wait_their_turn_and_all_get_in(settings, password):
    # One slot (a 2-core server) and four people in the same instant: before, three of them were
    # told "too many sign-ins"; now they wait in the queue, and each is in within the wait.
    settings.PASSWORD_CHECK_QUEUE = 3
    settings.PASSWORD_CHECK_WAIT_SECONDS = 3
    people = [UserFactory() for _ in range(4)]
    slow_hashing(settings)
    answers = log_in_at_once(people, password)
    assert [status for status, _, _ in answers.values()] == [302] * 4
    assert max(seconds for _, _, seconds in answers.values()) < 3 + HASH_SECONDS
    # Still one check at a time: the wait queues people, it does not add cores.
    assert SlowHasher.most_running == 1


@pytest.mark.django_db(transaction=True)
def test_when_the_queue_is_full_the_next_login_is_refused_at_once(settings, person, password):
    settings.PASSWORD_CHECK_QUEUE = 1
    settings.PASSWORD_CHECK_WAIT_SECONDS = 3
    other = UserFactory()
    slow_hashing(settings)
    waiting = {}

    def first_in_the_queue():
        try:
            waiting["status"] = log_in(Client(), other.email, password).status_code
        finally:
            connection.close()

    with password_check_slot() as held:  # another web process, in the middle of a check
        assert held
        thread = threading.Thread(target=first_in_the_queue)
        thread.start()
        assert wait_for_a_waiting_login(), "the first login did not wait in the queue"
        began = time.monotonic()
        response = log_in(Client(), person.email, password)
        refused_after = time.monotonic() - began
    thread.join()
    assert BUSY_MESSAGE in response.content.decode()
    assert refused_after < 1.0  # not held up for the wait: the queue was full
    assert waiting["status"] == 302  # the one that waited got the slot once it was free


def test_a_login_that_waited_out_the_wait_is_refused_and_leaves_the_queue(
    client, settings, person, password
):
    settings.PASSWORD_CHECK_WAIT_SECONDS = 0.5
    CountingHasher.runs = 0
    with password_check_slot() as held:
        assert held
        began = time.monotonic()
        response = log_in(client, person.email, password)
        waited = time.monotonic() - began
    assert BUSY_MESSAGE in response.content.decode()
    assert 0.5 <= waited < 2.0
    assert CountingHasher.runs == 0
    assert cache.get("password-check-queue:0") is None
    assert "_auth_user_id" not in client.session


def test_with_no_queue_a_login_is_refused_at_once_while_every_slot_is_taken(
    client, settings, person, password
):
    settings.PASSWORD_CHECK_QUEUE = 0
    settings.PASSWORD_CHECK_WAIT_SECONDS = 3
    CountingHasher.runs = 0
    with password_check_slot() as held:  # another web process, in the middle of a check
        assert held
        began = time.monotonic()
        response = log_in(client, person.email, password)
        assert time.monotonic() - began < 1.0
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


def test_slots_and_queue_hold_across_threads_on_the_shared_redis_cache(settings):
    """The production cache: of 8 simultaneous checks with 2 slots and 4 places to wait, exactly
    2 run at a time, 4 wait and run after them, 2 are refused at once."""
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
    settings.PASSWORD_CHECK_QUEUE = 4
    settings.PASSWORD_CHECK_WAIT_SECONDS = 3
    assert isinstance(caches["default"], RedisCache)
    start = threading.Barrier(8)
    lock = threading.Lock()
    running, most_running, outcomes = 0, 0, []

    def check():
        nonlocal running, most_running
        cache.get("connect")  # each thread's Redis connection is open before the race starts
        start.wait()
        began = time.monotonic()
        with password_check_slot() as held:
            outcomes.append((held, time.monotonic() - began))
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
    got_in = sorted(seconds for held, seconds in outcomes if held)
    refused = [seconds for held, seconds in outcomes if not held]
    assert len(got_in) == 6 and len(refused) == 2
    assert got_in[1] < 0.5 and got_in[2] >= 0.9  # two at once, then the ones who waited
    assert max(refused) < 0.5  # the queue was full: refused at once
    # All given back: the next two checks get slots.
    with password_check_slot() as first, password_check_slot() as second:
        assert first and second


@pytest.mark.django_db(transaction=True)
def test_the_load_bench_times_a_person_who_is_refused_then_gets_in(
    live_server, settings, monkeypatch
):
    """The load bench's "a person logging in during the storm" (bench/storm.py): it knows the
    refusal when it sees it, tries again, and times the whole wait (the bench itself needs Locust
    and 10 minutes)."""
    from bench import seeding, server, storm

    assert server.BUSY_FORM in BUSY_MESSAGE
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # as in production
    settings.PASSWORD_CHECK_QUEUE = 0  # refused at once while the slot is held
    coach = UserFactory(email="coach1@example.com", password=seeding.PASSWORD)
    port = int(live_server.url.rsplit(":", 1)[1])
    monkeypatch.setattr(storm, "PERSON_PAUSE", (0.3, 0.5))  # a quicker person than the bench's
    people = storm.PeopleDuringStorm(port, [coach.email])
    with password_check_slot():  # the storm, hashing
        people.start()
        time.sleep(1.5)
    figures = people.stop()
    assert figures["people"] >= 1 and figures["in"] == figures["people"]
    assert figures["most_tries"] >= 2  # refused while the slot was held, then in
    assert figures["slowest_seconds"] >= 0.3
    assert f"{figures['in']} of {figures['people']} in, each within" in storm.people_text(figures)
