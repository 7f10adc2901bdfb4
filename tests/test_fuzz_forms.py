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
var/fuzz-examples.txt.
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
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from followup.accounts.forms import time_zone_choices
from followup.accounts.models import User
from followup.applications.models import Status
from followup.coaching.models import Comment, Level
from followup.contacts.models import Contact
from followup.interviews.models import InterviewKind
from followup.letters.models import Gift, GiftKind, Letter, LetterKind
from tests.factories import PASSWORD
from tests.fuzz_support import (
    BOUNDARY,
    Form,
    Guard,
    Ref,
    Upload,
    World,
    a_date,
    a_datetime,
    boolean,
    build_world,
    choice,
    email,
    integer,
    multipart,
    phone,
    query_id,
    some_id,
    text,
    upload,
    url,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
# FUZZ_SHRINK=0 reports the first failing case as found, without looking for a smaller one.
# FUZZ_FOLLOW=0 does not follow the redirect after a success (a third faster, and blind to a value
# accepted that breaks the page it leads to).
FOLLOW = os.environ.get("FUZZ_FOLLOW") != "0"
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("FUZZ_SHRINK") != "0"]
ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "var" / "fuzz-examples.txt"

TIME_ZONES = [value for value, _ in time_zone_choices()]
time_zone = st.one_of(
    st.sampled_from(TIME_ZONES),
    choice("US/Eastern", "Etc/GMT+12", "Factory", "Mars/Olympus", "europe/london", "UTC"),
)
statuses = choice(*Status.values)
levels = choice(*Level.values)


def url_for(name, kind=None, token=None):
    """The path of `name`, with the id of the owner's row of `kind` or one of the tokens."""

    def build(world: World) -> str:
        if token:
            return reverse(name, args=[world.tokens[token]])
        if kind:
            return reverse(name, args=[world.mine(kind).pk])
        return reverse(name)

    return build


def interviewer_rows(rows: int = 3) -> dict:
    """The interview form's interviewers: its management form and `rows` rows."""
    fields = {
        "interviewers-TOTAL_FORMS": st.one_of(
            st.sampled_from(["0", "1", "2", "3", "21", "1001"]), integer
        ),
        "interviewers-INITIAL_FORMS": st.one_of(st.sampled_from(["0", "1", "5"]), integer),
        "interviewers-MIN_NUM_FORMS": integer,
        "interviewers-MAX_NUM_FORMS": integer,
    }
    for i in range(rows):
        fields |= {
            f"interviewers-{i}-contact": st.one_of(some_id("contact"), some_id("spare_contact")),
            f"interviewers-{i}-name": text,
            f"interviewers-{i}-role": text,
            f"interviewers-{i}-email": email,
            f"interviewers-{i}-cares_about": text,
            f"interviewers-{i}-DELETE": boolean,
        }
    return fields


INTERVIEW_FIELDS = {
    "scheduled_at": a_datetime,
    "kind": choice(*InterviewKind.values),
    "round": integer,
    "location": text,
    "notes": text,
} | interviewer_rows()
INTERVIEW_VALID = {
    "scheduled_at": "2025-06-02T10:00",
    "kind": "video",
    "round": "1",
    "location": "https://meet.example/abc",
    "notes": "",
    "interviewers-TOTAL_FORMS": "2",
    "interviewers-INITIAL_FORMS": "0",
    "interviewers-0-contact": Ref("owner", "contact"),
    "interviewers-0-cares_about": "data quality",
    "interviewers-1-name": "Nina New",
    "interviewers-1-email": "nina@example.com",
}
APPLICATION_FIELDS = {
    "organisation": text,
    "position": text,
    "posting_url": url,
    "found_via": text,
    "decision_date": a_date,
    "notes": text,
}
APPLICATION_VALID = {"organisation": "Acme", "position": "Data Engineer", "decision_date": ""}
LETTER_FIELDS = {
    name: text
    for name in ("subject", "appreciation", "still_interested", "great_fit", "availability", "body")
} | {"assemble": boolean}
LETTER_VALID = {"subject": "Thank you", "appreciation": "Thank you for your time.", "body": ""}
GIFT_FIELDS = {
    "kind": choice(*GiftKind.values),
    "title": text,
    "url": url,
    "items": text,
    "introduced_contact": st.one_of(some_id("contact"), some_id("spare_contact")),
    "inspiration": text,
    "sentence": text,
}
GIFT_VALID = {"kind": "link", "title": "A talk", "url": "https://example.com/talk"}
LEVEL_FIELDS = {"level": levels, "ends_on": a_date}

FORMS = [
    # --- accounts (the project's own forms, and allauth's that take an address or a password) -
    Form(
        "accounts:profile",
        url_for("accounts:profile"),
        fields={
            "name": text,
            "time_zone": time_zone,
            "cadence_first_days": integer,
            "cadence_second_days": integer,
            "cadence_repeat_days": integer,
            "is_coach": boolean,
        },
        valid={
            "name": "Olivia",
            "time_zone": "Europe/London",
            "cadence_first_days": "7",
            "cadence_second_days": "14",
            "cadence_repeat_days": "21",
        },
    ),
    Form(
        "account_signup",
        url_for("account_signup"),
        anonymous=True,
        fields={
            "email": email,
            "password1": text,
            "password2": text,
            "name": text,
            "time_zone": time_zone,
        },
        valid={
            "email": "newcomer@example.com",
            "password1": "correct-horse-battery-staple",
            "password2": "correct-horse-battery-staple",
            "name": "Nel Newcomer",
            "time_zone": "UTC",
        },
    ),
    Form(
        "account_email",
        url_for("account_email"),
        fields={
            "email": email,
            "action_add": boolean,
            "action_primary": boolean,
            "action_remove": boolean,
            "action_send": boolean,
        },
        valid={"email": "olivia.other@example.com", "action_add": ""},
    ),
    Form(
        "account_reset_password",
        url_for("account_reset_password"),
        anonymous=True,
        fields={"email": email},
        valid={"email": "owner@example.com"},
    ),
    # The two forms that check a password, the most attacked input of all.
    Form(
        "account_login",
        url_for("account_login"),
        anonymous=True,
        fields={"login": email, "password": text, "remember": boolean},
        valid={"login": "owner@example.com", "password": PASSWORD},
    ),
    Form(
        "account_reauthenticate",
        url_for("account_reauthenticate"),
        fields={"password": text},
        valid={"password": PASSWORD},
    ),
    # A wrong current password in the base: a case that changed the owner's password would trip
    # the guard, and the new-password fields are what is worth fuzzing here.
    Form(
        "account_change_password",
        url_for("account_change_password"),
        fields={"oldpassword": text, "password1": text, "password2": text},
        valid={
            "oldpassword": "not-the-password",
            "password1": "another-horse-battery-staple",
            "password2": "another-horse-battery-staple",
        },
    ),
    Form("account_logout", url_for("account_logout")),
    # --- contacts --------------------------------------------------------------------------
    *[
        Form(
            name,
            url_for(name, kind),
            fields={
                "name": text,
                "role": text,
                "organisation": text,
                "email": email,
                "phone": phone,
                "profile_url": url,
                "notes": text,
            },
            valid={"name": "Pat Person", "email": "pat@example.com", "phone": "+44 20 7946 0958"},
        )
        for name, kind in (("contacts:create", None), ("contacts:update", "contact"))
    ],
    Form("contacts:delete", url_for("contacts:delete", "spare_contact")),
    Form("contacts:delete protected", url_for("contacts:delete", "contact")),
    # --- applications and interviews -------------------------------------------------------
    Form(
        "applications:create",
        url_for("applications:create"),
        fields=APPLICATION_FIELDS,
        valid=APPLICATION_VALID,
    ),
    Form(
        "applications:update",
        url_for("applications:update", "application"),
        fields=APPLICATION_FIELDS
        | {
            "status": statuses,
            "cadence_first_days": integer,
            "cadence_second_days": integer,
            "cadence_repeat_days": integer,
            "reminders_muted": boolean,
        },
        valid=APPLICATION_VALID | {"status": "interviewing", "cadence_first_days": ""},
    ),
    Form("applications:delete", url_for("applications:delete", "application")),
    Form(
        "applications:status",
        url_for("applications:status", "application"),
        fields={"status": statuses, "note": text},
        valid={"status": "offer", "note": "They called."},
    ),
    Form(
        "applications:reply",
        url_for("applications:reply", "application"),
        fields={"text": text, "received_on": a_date},
        valid={"text": "We will be in touch.", "received_on": "2025-01-06"},
    ),
    Form(
        "interviews:create",
        url_for("interviews:create", "application"),
        fields=INTERVIEW_FIELDS,
        valid=INTERVIEW_VALID,
    ),
    Form(
        "interviews:update",
        url_for("interviews:update", "interview"),
        fields=INTERVIEW_FIELDS,
        valid=INTERVIEW_VALID | {"interviewers-INITIAL_FORMS": "1"},
    ),
    Form("interviews:delete", url_for("interviews:delete", "interview")),
    Form("applications:follow_up_skip", url_for("applications:follow_up_skip", "follow_up")),
    # --- letters ---------------------------------------------------------------------------
    Form(
        "letters:new",
        url_for("letters:new"),
        fields={
            "application": some_id("application"),
            "contact": st.one_of(some_id("contact"), some_id("spare_contact")),
            "kind": choice(*LetterKind.values),
            "interview": some_id("interview"),
            "follow_up": some_id("follow_up"),
        },
        valid={
            "application": Ref("owner", "application"),
            "contact": Ref("owner", "contact"),
            "kind": "thank_you",
            "interview": Ref("owner", "interview"),
            "follow_up": Ref("owner", "follow_up"),
        },
    ),
    Form(
        "letters:compose",
        url_for("letters:compose", "letter"),
        fields=LETTER_FIELDS,
        valid=LETTER_VALID,
    ),
    Form(
        "letters:preview",
        url_for("letters:preview", "letter"),
        fields=LETTER_FIELDS,
        valid=LETTER_VALID,
    ),
    *[
        Form(
            f"letters:gift {variant}",
            url_for("letters:gift", kind),
            files={"file": upload},
            # The composer sends the letter's unsaved text along with the gift.
            fields=GIFT_FIELDS | {f"letter-{name}": value for name, value in LETTER_FIELDS.items()},
            valid=GIFT_VALID | {f"letter-{name}": value for name, value in LETTER_VALID.items()},
        )
        for variant, kind in (("new", "bare_letter"), ("edit", "letter"))
    ],
    Form("letters:gift_delete", url_for("letters:gift_delete", "letter")),
    Form(
        "letters:mark_sent",
        url_for("letters:mark_sent", "letter"),
        fields={"sent_on": a_date, "send_anyway": boolean},
        valid={"sent_on": "2025-01-06", "send_anyway": "on"},
    ),
    Form("letters:delete", url_for("letters:delete", "bare_letter")),
    # --- reminders -------------------------------------------------------------------------
    Form(
        "reminders:preferences",
        url_for("reminders:preferences"),
        fields={
            "coach_digest_frequency": choice("off", "daily", "weekly"),
            "coach_digest_weekday": choice(*"0123456"),
            "reminder_hour": integer,
            "reminder_days": st.one_of(
                st.lists(choice(*"0123456"), max_size=9), st.lists(integer, max_size=3)
            ),
            "reminders_paused_until": a_date,
            "reminders_stopped": boolean,
        },
        # The coach digest's fields are on the form only for a coach, and ignored otherwise.
        valid={
            "reminder_hour": "8",
            "reminder_days": ["0", "2", "4"],
            "coach_digest_frequency": "daily",
            "coach_digest_weekday": "0",
        },
    ),
    *[
        Form(
            f"reminders:unsubscribe {variant}",
            url_for("reminders:unsubscribe", token=f"unsubscribe {variant}"),
            anonymous=True,
            fields={
                "action": choice("stop_all", "stop_application", "pause", "stop_coach_digest"),
                "List-Unsubscribe": choice("One-Click"),
                "until": a_date,
            },
            valid={"action": "pause", "until": "2030-01-01"},
        )
        for variant in ("reminders", "coach")
    ],
    # --- coaching --------------------------------------------------------------------------
    Form(
        "coaching:settings",
        url_for("coaching:settings"),
        fields={"email": email} | LEVEL_FIELDS,
        valid={"email": "new.coach@example.com", "level": "view"},
    ),
    Form("coaching:end", url_for("coaching:end", "coaching")),
    Form(
        "coaching:level",
        url_for("coaching:level", "coaching"),
        fields=LEVEL_FIELDS,
        valid={"level": "edit", "ends_on": ""},
    ),
    Form(
        "coaching:invitation",
        url_for("coaching:invitation", token="invitation"),
        fields={"decision": choice("accept", "decline")} | LEVEL_FIELDS,
        valid={"decision": "accept", "level": "comment"},
    ),
    Form(
        "coaching:invitation as coach",
        url_for("coaching:invitation", token="invitation as coach"),
        fields={"decision": choice("accept", "decline")} | LEVEL_FIELDS,
        valid={"decision": "accept"},
    ),
    Form("coaching:review_request", url_for("coaching:review_request", "letter")),
    Form(
        "coaching:comment_add",
        url_for("coaching:comment_add", "letter"),
        fields={"part": choice(*[value for value, _ in Comment.PARTS]), "text": text},
        valid={"part": "subject", "text": "Shorter, please."},
    ),
    Form("coaching:comment_resolve", url_for("coaching:comment_resolve", "comment")),
    Form(
        "coaching:invite_client",
        url_for("coaching:invite_client"),
        fields={"email": email},
        valid={"email": "new.client@example.com"},
    ),
    # --- forms read from the query string --------------------------------------------------
    Form(
        "applications:list",
        url_for("applications:list"),
        method="get",
        fields={
            "q": text,
            "status": statuses,
            "state": choice("open", "closed", "all"),
            "sort": choice("-updated", "organisation", "-status", "decision_date"),
            "page": integer,
        },
    ),
    Form(
        "contacts:list",
        url_for("contacts:list"),
        method="get",
        fields={"q": text, "page": integer},
    ),
    Form(
        "letters:list",
        url_for("letters:list"),
        method="get",
        fields={"state": choice("all", "drafts", "sent"), "page": integer},
    ),
    Form(
        "letters:new GET",
        url_for("letters:new"),
        method="get",
        fields={
            "application": query_id("application"),
            "contact": query_id("contact"),
            "kind": choice(*LetterKind.values),
            "interview": query_id("interview"),
            "follow_up": query_id("follow_up"),
        },
    ),
    Form(
        "coaching:dashboard",
        url_for("coaching:dashboard"),
        method="get",
        fields={
            "sort": choice("name", "-due_today", "overdue", "-next_interview", "last_activity"),
            "behind": choice("1", "0"),
        },
    ),
]

# The owner's own settings, drawn per case: where they live decides which instant a date is.
owner_state = st.fixed_dictionaries(
    {
        "time_zone": st.sampled_from(
            [
                "Europe/London",
                "America/New_York",
                "Pacific/Kiritimati",  # UTC+14
                "Pacific/Pago_Pago",  # UTC-11 today, UTC+12:37 before 1892
                "Asia/Kolkata",
                "UTC",
            ]
        ),
        "is_coach": st.booleans(),
        "reminder_days": st.sampled_from(["01234", "5", "0123456"]),
    }
)

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


@pytest.fixture
def world(owner, stranger, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(owner, stranger)


@pytest.fixture
def guard(world):
    return Guard(world)


def test_every_view_that_takes_a_form_is_fuzzed():
    """A new POST view must join the table: every URL name of the project's apps is either in it
    or named here as taking no input."""
    from django.urls import URLResolver, get_resolver

    takes_no_input = {
        "home",
        "health",
        "applications:detail",
        "interviews:detail",
        "contacts:detail",
        "letters:eml",
        "letters:gift_file",
        "coaching:client",
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
    created = User.objects.exclude(pk__in=[world.owner.pk, world.stranger.pk, world.coach.pk])
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
