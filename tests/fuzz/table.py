"""Every view that takes input, with what each field may be and a submission that passes.

A new POST view joins this table (test_every_view_that_takes_a_form_is_fuzzed says so); "name"
is its URL name, with a variant after a space where one view is fuzzed in two ways.
"""

from django.urls import reverse
from hypothesis import strategies as st

from followup.accounts.time_zones import time_zone_names
from followup.applications.models import Currency, Status, WorkMode
from followup.coaching.models import Comment, Level
from followup.interviews.models import InterviewKind
from followup.letters.models import GiftKind, LetterKind
from tests.factories import PASSWORD
from tests.fuzz.form import Form
from tests.fuzz.strategies import (
    EMAILS,
    Ref,
    Upload,
    a_date,
    a_datetime,
    boolean,
    choice,
    email,
    integer,
    long_email,
    phone,
    query_id,
    some_id,
    text,
    upload,
    url,
)
from tests.fuzz.world import World

TIME_ZONES = sorted(time_zone_names())
time_zone = st.one_of(
    st.sampled_from(TIME_ZONES),
    choice("US/Eastern", "Etc/GMT+12", "Factory", "Mars/Olympus", "europe/london", "UTC"),
)
statuses = choice(*Status.values)
# A pasted list: addresses good and bad, repeated, joined by what people paste between them.
address_lists = st.tuples(
    st.lists(st.one_of(st.sampled_from(EMAILS), long_email, st.emails()), min_size=1, max_size=60),
    st.sampled_from(["\n", ", ", ";", "\r\n", ",,\n "]),
).map(lambda parts: parts[1].join(parts[0]))
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
    "applied_on": a_date,
    "location": text,
    "work_mode": choice(*WorkMode.values),
    "salary_min": integer,
    "salary_max": integer,
    "salary_currency": st.one_of(choice(*Currency.values), text),
    "decision_date": a_date,
    "notes": text,
}
APPLICATION_VALID = {"organisation": "Acme", "position": "Data Engineer", "decision_date": ""}
LETTER_FIELDS = {
    name: text
    for name in ("subject", "appreciation", "still_interested", "great_fit", "availability", "body")
} | {"assemble": boolean, "version": integer}
# Version 1: the letters of the world are as created, never saved since.
LETTER_VALID = {
    "subject": "Thank you",
    "appreciation": "Thank you for your time.",
    "body": "",
    "version": "1",
}
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

# A spreadsheet: a valid one, anything a gift upload may be, or rows of any text in any
# delimiter and encoding.
SPREADSHEET = b"Company,Position,Status\nAcme,Data Engineer,applied\n"
SHEET_CELLS = ["Company", "Position", "Status", "=1+2", '"', "offer", "2025-02-30", "\x00"]
spreadsheet = st.one_of(
    upload,
    st.builds(
        lambda rows, delimiter, encoding: Upload(
            "sheet.csv",
            "\n".join(delimiter.join(row) for row in rows).encode(encoding, errors="replace"),
        ),
        st.lists(
            st.lists(st.one_of(st.text(max_size=40), st.sampled_from(SHEET_CELLS)), max_size=5),
            max_size=6,
        ),
        st.sampled_from([",", ";", "\t", "|"]),
        st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
    ),
)
import_target = st.one_of(
    choice("", "organisation", "position", "status", "applied_on", "salary", "name", "email"),
    text,
)

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
    # A wrong password in the base, as for the password change: a case that deleted the owner
    # would trip the guard; what is fuzzed is everything around it.
    Form(
        "accounts:delete",
        url_for("accounts:delete"),
        fields={"password": text, "code": text},
        valid={"password": "not-the-password", "code": "123456"},
    ),
    # --- exports ---------------------------------------------------------------------------
    Form("exports:request", url_for("exports:request")),
    # The owner's account has data, so every restore is refused before a job is made: nothing of
    # theirs may change.
    Form("exports:restore", url_for("exports:restore"), files={"file": upload}),
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
        "applications:view",
        url_for("applications:view"),
        fields={"view": choice("list", "board", "table", "")},
        valid={"view": "board"},
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
    Form("applications:follow_up_done", url_for("applications:follow_up_done", "follow_up")),
    Form("applications:follow_up_skip", url_for("applications:follow_up_skip", "follow_up")),
    Form(
        "applications:follow_up_snooze",
        url_for("applications:follow_up_snooze", "follow_up"),
        fields={"until": a_date, "next": st.one_of(text, url, choice("/", "//evil.example"))},
        valid={"until": "2199-01-02", "next": "/"},
    ),
    Form(
        "applications:plan_change_undo",
        url_for("applications:plan_change_undo", "plan_change"),
        fields={"next": st.one_of(text, url, choice("/", "//evil.example"))},
        valid={"next": "/"},
    ),
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
        "letters:autosave",
        url_for("letters:autosave", "letter"),
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
        "coaching:calendar",
        url_for("coaching:calendar", "coaching"),
        fields={"shared": choice("on")},
        valid={"shared": "on"},
    ),
    Form("calendars:renew", url_for("calendars:renew")),
    Form("calendars:turn_off", url_for("calendars:turn_off")),
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
    Form(
        "coaching:client_application_create",
        url_for("coaching:client_application_create", "client"),
        fields=APPLICATION_FIELDS,
        valid=APPLICATION_VALID,
    ),
    Form("coaching:review_request", url_for("coaching:review_request", "letter")),
    Form(
        "coaching:comment_add",
        url_for("coaching:comment_add", "letter"),
        fields={"part": choice(*[value for value, _ in Comment.PARTS]), "text": text},
        valid={"part": "subject", "text": "Shorter, please."},
    ),
    Form("coaching:comment_resolve", url_for("coaching:comment_resolve", "comment")),
    # The owner is refused (only a coach closes a review): the answer must still be no 500.
    Form("coaching:review_done", url_for("coaching:review_done", "letter")),
    Form(
        "coaching:invite_client",
        url_for("coaching:invite_client"),
        fields={"email": email},
        valid={"email": "new.client@example.com"},
    ),
    # --- imports ---------------------------------------------------------------------------
    Form(
        "imports:new",
        url_for("imports:new"),
        files={"file": spreadsheet},
        fields={"kind": choice("applications", "contacts", "letters")},
        valid={"kind": "applications", "file": Upload("jobs.csv", SPREADSHEET)},
    ),
    Form(
        "imports:detail",
        url_for("imports:detail", "import_job"),
        fields={f"column_{i}": import_target for i in range(3)}
        | {"action": choice("check", "import", "")},
        valid={"column_0": "organisation", "column_1": "position", "action": "import"},
    ),
    Form(
        "coaching:invite_client several",
        url_for("coaching:invite_client"),
        fields={"email": address_lists},
        valid={"email": "one@example.com, two@example.com\nthree@example.com"},
    ),
    Form(
        "coaching:next_step_add",
        url_for("coaching:next_step_add", "coachee"),
        fields={
            "text": text,
            "due_on": a_date,
            "application": st.one_of(some_id("application"), some_id("coachee_application")),
        },
        valid={
            "text": "Send the follow-up to Marcus by Friday",
            "due_on": "2030-01-04",
            "application": Ref("owner", "coachee_application"),
        },
    ),
    Form("coaching:next_step_done", url_for("coaching:next_step_done", "next_step")),
    Form("coaching:next_step_withdraw", url_for("coaching:next_step_withdraw", "coached_step")),
    Form(
        "coaching:note_add",
        url_for("coaching:note_add", "coachee"),
        fields={"text": text},
        valid={"text": "Prepares well."},
    ),
    Form("coaching:note_delete", url_for("coaching:note_delete", "coached_note")),
    # --- forms read from the query string --------------------------------------------------
    Form(
        "applications:list",
        url_for("applications:list"),
        method="get",
        fields={
            "q": text,
            "status": statuses,
            "state": choice("open", "closed", "all"),
            "sort": choice("-applied", "applied", "-updated", "organisation", "-status"),
            "work_mode": choice(*WorkMode.values),
            "location": text,
            "source": text,
            "applied_from": a_date,
            "applied_to": a_date,
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
        fields={"state": choice("all", "drafts", "sent"), "q": text, "page": integer},
    ),
    Form("search:results", url_for("search:results"), method="get", fields={"q": text}),
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
