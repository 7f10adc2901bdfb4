"""Every form, fuzzed: whatever a signed-in person sends, the answer is a page (with errors, or
a redirect after success) or a 4xx, never a 500; and nothing of another person's changes.

Each case starts from a submission that passes and replaces some of its fields with long
strings, any Unicode (NUL included), raw bytes that are not UTF-8, look-alike and over-long
email addresses, dates in year 1 and 9999 or that do not exist, huge and non-numeric integers,
invalid choices, and the stranger's ids; it adds fields the form does not have (owner,
application, id, is_staff... set to the stranger's ids). The owner's time zone, coach flag and
digest days are drawn too, since dates near the ends of the calendar turn into instants there.

After each case: the status is below 500 (the test client raises what would have been a 500,
and that is reported with the input); a redirect, followed, is below 500 too (a value accepted
but unreadable later is a bug as well); every row of the stranger, and every row that refers to
them, is as it was; the owner's address, password and staff flags are as they were; and no row
ties the owner's data to another person's (a letter to the stranger's contact...). Each case
runs in a savepoint that is rolled back, so every case starts from the same rows.

FUZZ_EXAMPLES (default 40) sets the number of cases per form (a quarter of it for a POST without
fields and for a list's query string); the run prints how many ran per form and writes the table to
var/fuzz-examples.txt (var/fuzz-examples-gw0.txt... for each process of a parallel run).

The table of forms is tests/fuzz/table.py, the values tests/fuzz/strategies.py, the two people
tests/fuzz/world.py and the checks after each case tests/fuzz/guard.py.
"""

import os
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from followup.accounts.models import User
from followup.contacts.models import Contact
from followup.letters.models import Gift, Letter
from tests.conftest import built_once, make_owner, make_stranger
from tests.fuzz.form import BOUNDARY, Form, multipart
from tests.fuzz.guard import Guard
from tests.fuzz.strategies import Upload, owner_state
from tests.fuzz.table import FORMS
from tests.fuzz.world import World, build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
# FUZZ_SHRINK=0 reports the first failing case as found, without looking for a smaller one.
# FUZZ_FOLLOW=0 does not follow the redirect after a success (a third faster, and blind to a value
# accepted that breaks the page it leads to).
FOLLOW = os.environ.get("FUZZ_FOLLOW") != "0"
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("FUZZ_SHRINK") != "0"]
ROOT = Path(__file__).resolve().parent.parent
# Under pytest-xdist each process runs some of the forms and keeps its own table.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
REPORT = ROOT / "var" / (f"fuzz-examples-{WORKER}.txt" if WORKER else "fuzz-examples.txt")

RAN: Counter = Counter()  # cases run per form (saved failures replayed and shrinking included)
OUTCOMES: dict = {}  # form -> Counter of status classes
SECONDS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _examples_report(request):
    """Print and keep the number of cases run per form, once the module has run."""
    yield
    if not RAN:
        return
    lines = [f"{'form':<34} {'cases':>5} {'2xx':>5} {'3xx':>5} {'4xx':>5} {'seconds':>8}"]
    for spec in FORMS:
        if spec.name in RAN:
            seen = OUTCOMES.get(spec.name, Counter())
            lines.append(
                f"{spec.name:<34} {RAN[spec.name]:>5} {seen['2xx']:>5} {seen['3xx']:>5} "
                f"{seen['4xx']:>5} {SECONDS[spec.name]:>8.1f}"
            )
    lines.append(f"{'total':<34} {sum(RAN.values()):>5}   (FUZZ_EXAMPLES={EXAMPLES})")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line("Hypothesis cases per form:")
        for line in lines:
            reporter.write_line(line)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two people's rows, built once for the module's hundred tests rather than for each;
    every test (and every case in it) starts from them unchanged."""
    media = tmp_path_factory.mktemp("fuzz-media")
    yield from built_once(
        lambda: build_world(make_owner(), make_stranger()), django_db_blocker, media
    )


@pytest.fixture
def world(db, world_once):
    return world_once


@pytest.fixture
def guard(world):
    return Guard(world)


def test_every_view_that_takes_a_form_is_fuzzed():
    """A new POST view must join the table: every URL name of the project's apps is either in it
    or named here as taking no input."""
    takes_no_input = {
        "home",
        "health",
        "applications:detail",
        "applications:agenda",
        "interviews:detail",
        "contacts:detail",
        "letters:eml",
        "letters:gift_file",
        "exports:index",
        "exports:download",
        # Calendar files: read only (the feed by its token, an interview through the access rule).
        "calendars:feed",
        "calendars:interview",
        "coaching:client",
        # Pages that only read: the board (moves go through applications:status) and insights.
        "applications:board",
        "coaching:client_board",
        "insights:mine",
        "insights:client",
        "insights:caseload",
        # The import's progress block, polled by the job page.
        "imports:progress",
        # A restore's page and its progress block: read only (the upload is exports:restore).
        "exports:restore_detail",
        "exports:restore_progress",
    }

    found = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif entry.name and entry.callback.__module__.startswith("followup."):
                found.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    fuzzed = {spec.name.split(" ")[0] for spec in FORMS}
    assert found - fuzzed - takes_no_input == set()


def _request(client: Client, spec: Form, world: World, data: dict):
    path = spec.url(world)
    if spec.method == "get":
        return client.get(path, world.pairs(data))
    if spec.files:
        return client.post(
            path,
            multipart(world.pairs(data)),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    return client.post(path, world.encode(data), content_type="application/x-www-form-urlencoded")


def _status_class(code: int) -> str:
    return f"{code // 100}xx"


def _fuzz(specs: list[Form], examples: int):
    """A test that runs `examples` cases of each of `specs`."""

    @pytest.mark.parametrize("spec", specs, ids=lambda spec: spec.name.replace(" ", "-"))
    @hypothesis_settings(
        max_examples=examples,
        phases=PHASES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        database=DirectoryBasedExampleDatabase(str(ROOT / "var" / "hypothesis")),
    )
    @given(data=st.data())
    def test(spec, world, guard, data):
        state = data.draw(owner_state, label="owner")
        fuzzed, extra = data.draw(spec.strategy, label="fuzzed fields, extra fields")
        form = spec.merge(fuzzed, extra)
        RAN[spec.name] += 1
        started = time.monotonic()
        try:
            code = _one_case(spec, world, guard, _client_for(spec, world), state, form)
            OUTCOMES.setdefault(spec.name, Counter())[_status_class(code)] += 1
        finally:
            SECONDS[spec.name] += time.monotonic() - started

    return test


# Forms with fields get FUZZ_EXAMPLES cases each, and so does a query string that names rows by
# id (ids are parsed by hand there, where "²" was a 500). A POST without fields (a delete, a skip,
# an end) has only the extra fields to vary, and a list's query string only filters the owner's
# own rows: a quarter as many cases each keeps the file near a minute.
FEW = max(EXAMPLES // 4, 5)
TAKES_IDS = {"letters:new GET"}
test_form_never_fails_and_never_touches_anothers_rows = _fuzz(
    [spec for spec in FORMS if spec.method == "post" and (spec.fields or spec.files)], EXAMPLES
)
test_action_never_fails_and_never_touches_anothers_rows = _fuzz(
    [spec for spec in FORMS if spec.method == "post" and not (spec.fields or spec.files)], FEW
)
test_query_string_never_fails_and_never_touches_anothers_rows = _fuzz(
    [spec for spec in FORMS if spec.method == "get" and spec.name not in TAKES_IDS], FEW
)
test_query_string_ids_never_fail_and_never_touch_anothers_rows = _fuzz(
    [spec for spec in FORMS if spec.name in TAKES_IDS], EXAMPLES
)


def _client_for(spec: Form, world: World) -> Client:
    """A fresh client for a visitor; the owner's, signed in again only if a case signed them
    out (a session made inside a rolled-back case is gone with it)."""
    if spec.anonymous:
        return Client()
    client = world.clients.get("owner")
    key = client and client.cookies.get(settings.SESSION_COOKIE_NAME)
    if key is None or not SessionStore().exists(key.value):
        client = world.clients["owner"] = Client()
        client.force_login(world.owner)
    return client


def _one_case(spec: Form, world: World, guard: Guard, client: Client, state, form) -> int:
    with transaction.atomic():
        type(world.owner).objects.filter(pk=world.owner.pk).update(**state)
        try:
            response = _request(client, spec, world, form)
        except Exception as error:
            raise AssertionError(
                f"{spec.method.upper()} {spec.url(world)} raised {type(error).__name__}: "
                f"{error}\n  owner: {state}\n  form: {form!r}"
            ) from error
        code = response.status_code
        assert code < 500, f"{spec.name} answered {code} to {form!r}"
        location = response.get("Location", "")
        if not spec.anonymous:
            assert not location.startswith("/accounts/login/"), "the owner was signed out"
        # The page a success leads to shows what was just stored; a form without fields (a
        # delete, a skip) stores nothing drawn, so its page is the same every time.
        follow = FOLLOW and (spec.fields or spec.files) and code in (301, 302, 303)
        if follow and urlsplit(location).netloc in ("", "testserver"):
            try:
                followed = client.get(location)
            except Exception as error:
                raise AssertionError(
                    f"{spec.name} accepted {form!r} (owner: {state}), and then "
                    f"GET {location} raised {type(error).__name__}: {error}"
                ) from error
            assert followed.status_code < 500
        violations = guard.violations()
        transaction.set_rollback(True)
    assert violations == [], f"{spec.name} with {form!r} (owner: {state}): {violations}"
    return code


LONG_EMAIL = "a" * (255 - len("@example.com")) + "@example.com"  # valid, and one over the column
LONDON = {"time_zone": "Europe/London", "is_coach": False, "reminder_days": "01234"}

# Cases the fuzzing found (or that sit where it found trouble), kept so they run every time:
# (form, owner's settings, fields replaced in the valid submission).
KNOWN = [
    ("account_email", LONDON, {"email": LONG_EMAIL, "action_add": ""}),
    ("account_signup", LONDON, {"email": LONG_EMAIL}),
    ("coaching:invite_client", LONDON, {"email": LONG_EMAIL}),
    ("coaching:settings", LONDON, {"email": LONG_EMAIL}),
    (
        "interviews:create",
        LONDON,
        {"interviewers-1-email": LONG_EMAIL},
    ),
    (
        "applications:reply",
        {**LONDON, "time_zone": "Pacific/Pago_Pago"},
        {"received_on": "0001-01-01"},
    ),
    ("applications:reply", {**LONDON, "time_zone": "Asia/Kolkata"}, {"received_on": "0001-01-01"}),
    (
        "interviews:update",
        {**LONDON, "time_zone": "Asia/Kolkata"},
        {"scheduled_at": "0001-01-01T00:00"},
    ),
    (
        "interviews:create",
        {**LONDON, "time_zone": "Asia/Kolkata"},
        {"scheduled_at": "0001-01-01T00:00"},
    ),
    ("interviews:create", LONDON, {"scheduled_at": "9999-12-31T23:59"}),
    (
        "interviews:create",
        {**LONDON, "time_zone": "America/New_York"},
        {"scheduled_at": "9999-12-31T23:59"},
    ),
    ("applications:update", LONDON, {"decision_date": "9999-12-31"}),
    ("applications:update", LONDON, {"decision_date": "9999-12-30"}),
    (
        "applications:update",
        {**LONDON, "time_zone": "America/New_York"},
        {"decision_date": "9999-12-30"},
    ),
    ("applications:create", LONDON, {"decision_date": "9999-12-31"}),
    ("letters:mark_sent", {**LONDON, "time_zone": "Asia/Kolkata"}, {"sent_on": "0001-01-01"}),
    (
        "reminders:preferences",
        {**LONDON, "is_coach": True},
        {"reminders_paused_until": "9999-12-31"},
    ),
    ("reminders:preferences", LONDON, {"reminders_paused_until": "9999-12-31"}),
    ("reminders:unsubscribe reminders", {**LONDON, "is_coach": True}, {"until": "9999-12-31"}),
    ("reminders:unsubscribe reminders", LONDON, {"until": "9999-12-31"}),
    ("coaching:level", LONDON, {"ends_on": "9999-12-31"}),
    ("coaching:invitation", LONDON, {"ends_on": "9999-12-31"}),
    ("accounts:profile", {**LONDON, "is_coach": True}, {"time_zone": "Pacific/Kiritimati"}),
    # str.isdigit() accepts "²", on which int() fails: the new-letter page answered 500.
    ("letters:new GET", LONDON, {"follow_up": "²"}),
    ("letters:new GET", LONDON, {"follow_up": "١٢", "application": "٣", "contact": "²"}),
    ("letters:new GET", LONDON, {"interview": str(2**63)}),
]
SPECS = {spec.name: spec for spec in FORMS}


@pytest.mark.parametrize(
    ("name", "state", "fields"),
    KNOWN,
    ids=[f"{name}-{'-'.join(fields)}-{state['time_zone']}" for name, state, fields in KNOWN],
)
def test_known_case(world, guard, name, state, fields):
    spec = SPECS[name]
    _one_case(spec, world, guard, _client_for(spec, world), state, spec.merge(fields, {}))


def test_signing_up_never_keeps_a_different_address(world):
    """A valid address longer than the column is refused, not cut: allauth truncates it to 254
    characters, so "...@example.com" became an account for "...@example.co", another domain."""
    spec = SPECS["account_signup"]
    response = _request(
        _client_for(spec, world), spec, world, spec.merge({"email": LONG_EMAIL}, {})
    )
    assert response.status_code < 500
    people = [
        world.owner, world.stranger, world.coach, world.mine("client"), world.mine("coachee")
    ]  # fmt: skip
    created = User.objects.exclude(pk__in=[person.pk for person in people])
    assert list(created.values_list("email", flat=True)) in ([], [LONG_EMAIL])


def test_the_fuzz_body_carries_a_file(world):
    """The hand-made multipart body is one Django reads: a real PDF becomes the gift's file."""
    spec = SPECS["letters:gift new"]
    fields = {"kind": "article", "url": "", "file": Upload("talk.pdf", b"%PDF-1.7\n...")}
    response = _request(_client_for(spec, world), spec, world, spec.merge(fields, {}))
    gift = Gift.objects.get(letter=world.mine("bare_letter"))
    assert (response.status_code, gift.kind, gift.file_name) == (302, "article", "talk.pdf")


def test_the_guard_sees_a_change(world):
    """The checks would be worthless if a change to the stranger's rows went unseen."""
    guard = Guard(world)
    empty = {name for name, rows in guard.contents.items() if not rows}
    assert empty == {"stranger's AccessLogEntry", "stranger's Reminder"}
    with transaction.atomic():
        assert guard.violations() == []
        Contact.objects.filter(owner=world.stranger).update(notes="changed")
        Letter.objects.filter(pk=world.mine("letter").pk).update(
            contact=world.rows[("stranger", "contact")]
        )
        User.objects.filter(pk=world.owner.pk).update(is_staff=True)
        found = guard.violations()
        transaction.set_rollback(True)
    assert [line.split(":")[0] for line in found] == [
        "stranger's Contact changed",
        "stranger's Letter changed",  # a letter to the stranger's contact refers to them
        "owner's account changed",
        "letter to another's contact",
    ]
