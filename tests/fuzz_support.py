"""What tests/test_fuzz_forms.py throws at the forms, and the two people's worlds it throws it at.

Strategies produce field values as strings (what a browser sends), `Ref`s that stand for a row's
id (resolved once the rows exist, so the same strategy can name the stranger's contact in one
run and the owner's in another), byte strings (percent-encoded raw, often not UTF-8), lists
(a field sent more than once), or OMIT (the field is left out of the request).
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from hypothesis import strategies as st

from followup.accounts.models import User
from followup.applications import services
from followup.applications.models import (
    Application,
    ApplicationEvent,
    FollowUp,
)
from followup.coaching.invitations import invitation_token
from followup.coaching.models import (
    AccessLogEntry,
    Coaching,
    CoachingStatus,
    Comment,
    InvitedBy,
    Level,
)
from followup.contacts.models import Contact
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Gift, Letter
from followup.reminders import digest
from followup.reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    LetterFactory,
    UserFactory,
    gift_with_file,
)

OMIT = object()  # the field is not sent at all


@dataclass(frozen=True)
class Ref:
    """The id of one of the world's rows: `who` is "owner", "stranger" or "coach"."""

    who: str
    kind: str

    def __repr__(self):
        return f"<{self.who}'s {self.kind} id>"


# --- Values ---------------------------------------------------------------------------------

# Every code point a browser can send: lone surrogates cannot be encoded in UTF-8 at all (a
# browser sends U+FFFD instead), so they are the only ones left out. NUL, controls, private use,
# unassigned and astral code points are all in.
ANY_CHAR = st.characters(codec="utf-8")

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 300,
    "\r\n",
    "\t\x0b\x0c",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff",  # byte-order mark
    "e\u0301" * 50,  # combining accents
    "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # one emoji of several code points
    "\U0010ffff",
    "\ufdfa" * 100,  # a ligature that expands to 18 characters under NFKC
    "ß" * 100,  # upper-cases to two characters
    "İ" * 100,  # lower-cases to two characters
    "<script>alert(1)</script>",
    "{{ request.user.password }}{% debug %}",
    "%(name)s %s {0}",
    "'; DROP TABLE accounts_user; --",
    "\\x00",
    "../../etc/passwd",
    "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ",
    "null",
    "None",
    "[]",
    "{}",
    "-1",
    "0",
]
# Lengths just under, at and over the limits the models and forms have.
LIMITS = [0, 1, 49, 50, 51, 150, 151, 200, 201, 254, 255, 256, 300, 301, 320, 321, 500, 501]
LIMITS += [1000, 1001, 2000, 2001, 5000, 5001, 20_000]


def opaque(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """The same values as one branch: st.one_of flattens nested one_ofs into equal branches, so
    the 6 kinds of free text would otherwise outweigh the 1 branch of, say, over-long addresses."""
    return strategy.map(lambda value: value)


raw_bytes = st.binary(min_size=1, max_size=16)  # sent percent-encoded as they are: often not UTF-8
long_text = st.builds(
    lambda ch, n: ch * n,
    st.one_of(st.sampled_from(["a", "é", "\x00", "😀", " ", "\u0301", "\n"]), ANY_CHAR),
    st.sampled_from(LIMITS),
)
text = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(ANY_CHAR, min_size=41, max_size=5000),
    st.sampled_from(NASTY_STRINGS),
    long_text,
    raw_bytes,
    st.just(OMIT),
)
short_text = st.one_of(st.text(ANY_CHAR, max_size=40), st.sampled_from(NASTY_STRINGS), raw_bytes)

# Look-alikes of the two people's addresses (Cyrillic, Greek, full-width, invisible characters),
# internationalised ones, broken ones, and valid ones longer than the 254 a column holds.
EMAILS = [
    "owner@example.com",
    "stranger@example.com",
    "coach@example.com",
    "STRANGER@EXAMPLE.COM",
    " stranger@example.com ",
    "stranger@example.com\n",
    "ѕtranger@example.com",  # Cyrillic dze
    "stranger@exаmple.com",  # Cyrillic a
    "оwner@example.com",  # Cyrillic o
    "stranger@example.cοm",  # Greek omicron
    "ｓｔｒａｎｇｅｒ@ｅｘａｍｐｌｅ.ｃｏｍ",  # full-width
    "stranger\u200b@example.com",
    "stranger@example.com\u200b",
    "stran\u00adger@example.com",  # soft hyphen
    "stranger+fuzz@example.com",
    "stranger@example.com.",
    "user@bücher.example",
    "user@xn--bcher-kva.example",
    "用户@例子.广告",
    "δοκιμή@παράδειγμα.δοκιμή",
    "stranger.example.com",
    "stranger",
    "@example.com",
    "stranger@",
    "a@b@example.com",
    "stranger@example.com@evil.example",
    "stranger@example.com,owner@example.com",
    "stranger@example.com\r\nBcc: victim@example.com",
    '"stranger@example.com"@evil.example',
    '"a b"@example.com',
    "stranger@[127.0.0.1]",
    "stranger@localhost",
    "a\x00@example.com",
    "",
]
# A valid address of `n` characters: "aaaa...@example.com".
long_email = st.sampled_from([64, 254, 255, 256, 300, 320, 321]).map(
    lambda n: "a" * (n - len("@example.com")) + "@example.com"
)
email = st.one_of(st.sampled_from(EMAILS), long_email, st.emails(), opaque(text))

today = date.today()
DATES = [
    "0001-01-01",
    "0001-01-02",
    "9999-12-31",
    "9999-12-30",
    "9999-12-24",
    "1900-01-01",
    "1899-12-31",
    "1970-01-01",
    "2038-01-19",
    "2026-02-30",
    "2025-02-29",
    "2024-02-29",
    "2025-13-01",
    "2025-00-10",
    "0000-01-01",
    "10000-01-01",
    "-0001-01-01",
    "31/12/2025",
    "12/31/2025",
    "2025-1-1",
    "20250101",
    "2025-06-01T12:00",
    "2025-06-01\x00",
    "٢٠٢٥-٠٦-٠١",  # Arabic-Indic digits
    "today",
    "",
    " ",
    (today - timedelta(days=1)).isoformat(),
    today.isoformat(),
    (today + timedelta(days=1)).isoformat(),
    (today + timedelta(days=400)).isoformat(),
]
EXTREME_DATES = ["0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30", "9999-12-24"]
a_date = st.one_of(
    st.sampled_from(EXTREME_DATES),
    st.sampled_from(DATES),
    st.dates().map(date.isoformat),
    opaque(text),
)

DATETIMES = [
    "0001-01-01T00:00",
    "0001-01-01T12:00",
    "9999-12-31T23:59",
    "9999-12-31T00:00",
    "9999-12-30T12:00",
    "1900-01-01T00:00",
    "2026-02-30T10:00",
    "2025-03-30T01:30",  # skipped in London
    "2025-10-26T01:30",  # repeated in London
    "2025-03-09T02:30",  # skipped in New York
    "2025-06-01 12:00",
    "2025-06-01T12:00:00",
    "2025-06-01T12:00:00.123456",
    "2025-06-01T24:00",
    "2025-06-01T12:60",
    "2025-06-01T12:00:60",
    "2025-06-01T12:00+14:00",
    "2025-06-01T12:00Z",
    "2025-06-01",
    "1 June 2025",
    "",
    f"{today.isoformat()}T09:00",
]
a_datetime = st.one_of(
    st.sampled_from(DATETIMES[:5]),
    st.sampled_from(DATETIMES),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
    opaque(text),
)

INTEGERS = ["0", "-1", "1", "7", "50", "51", "365", "366", "32767", "32768", "65536"]
INTEGERS += ["2147483648", "9" * 40, "-" + "9" * 40, "1e3", "0x10", "1.0", "1.5", "", " 7 "]
INTEGERS += ["٧", "NaN", "inf", "7\x00", "+7", "07"]
# Digits str.isdigit() accepts: superscripts and circled ones (int() fails on them), and other
# scripts' decimal digits (int() reads them): "²" as an id in a query string was a 500.
UNICODE_DIGITS = ["²", "1²", "①", "١٢", "٣", "۴", "१", "１２", "𝟓"]
unicode_digits = st.one_of(
    st.sampled_from(UNICODE_DIGITS),
    # Not ASCII digits: Hypothesis would draw those most, and they are ordinary ids.
    st.text(
        st.characters(categories=["Nd", "No"], exclude_characters="0123456789"),
        min_size=1,
        max_size=4,
    ),
)
integer = st.one_of(st.sampled_from(INTEGERS), st.integers().map(str), unicode_digits, opaque(text))

BOOLEANS = ["on", "", "off", "0", "1", "true", "false", "False", "True", "yes", "no"]
boolean = st.one_of(st.sampled_from(BOOLEANS), st.just(OMIT), opaque(short_text))

URLS = [
    "https://example.com/article",
    "example.com/path",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "ftp://example.com/x",
    "http://",
    "https://",
    "//evil.example/x",
    "https://例子.广告/路径",
    "https://xn--fsqu00a.xn--3lr804guic/",
    "http://[::1]/",
    "http://127.0.0.1:8000/admin/",
    "http://a b.example/",
    "https://example.com/\x00",
    "https://exаmple.com/",  # Cyrillic a
    "https://" + "a" * 63 + ".example/",
    "https://example.com/" + "a" * 480,  # exactly 500
    "https://example.com/" + "a" * 481,
    "https://example.com/" + "a" * 980,  # exactly 1000
    "https://example.com/" + "a" * 981,
]
url = st.one_of(st.sampled_from(URLS), opaque(text))

PHONES = ["+44 20 7946 0958", "020 7946 0958 ext. 12", "(555) 123-4567 x1234", "12345"]
PHONES += ["1234", "1" * 20, "1" * 21, "٠١٢٣٤٥٦٧", "+", "+44 20 7946 0958\x00", "1-" * 30]
PHONES += ["tel:+442079460958", "+44\u00a020\u00a07946", "0" * 51]
phone = st.one_of(st.sampled_from(PHONES), opaque(text))


def choice(*valid: str) -> st.SearchStrategy:
    """A valid value, or a near miss (other case, padded), or anything."""
    near = [v.upper() for v in valid] + [f" {v}" for v in valid] + [f"{v}\x00" for v in valid]
    return st.one_of(st.sampled_from(list(valid)), st.sampled_from(near), opaque(short_text))


KINDS = ["user", "application", "contact", "interview", "follow_up", "letter", "gift"]
KINDS += ["comment", "coaching", "spare_contact"]
ALIEN_IDS = ["0", "-1", "999999999", "2147483648", "9" * 30, "abc", "1.0", "1 ", "", "\x00"]
ALIEN_IDS += [str(2**63), str(2**63 - 1), *UNICODE_DIGITS]


def some_id(kind: str) -> st.SearchStrategy:
    """Mostly the stranger's row of this kind; sometimes the owner's, another kind's, or junk."""
    return st.one_of(
        st.just(Ref("stranger", kind)),
        st.just(Ref("owner", kind)),
        st.sampled_from([Ref(who, k) for who in ("stranger", "owner", "coach") for k in KINDS]),
        st.sampled_from(ALIEN_IDS),
        unicode_digits,
        st.lists(st.sampled_from([Ref("stranger", kind), Ref("owner", kind)]), min_size=2),
    )


def query_id(kind: str) -> st.SearchStrategy:
    """An id in a query string: as often Unicode digits as anything some_id draws."""
    return st.one_of(unicode_digits, opaque(some_id(kind)))


# Fields no form has, that would change whose row it is (or who someone is) if a view trusted
# the request: always set to the stranger's ids.
EXTRA_FIELDS = {
    "owner": "user",
    "owner_id": "user",
    "user": "user",
    "user_id": "user",
    "client": "user",
    "coach": "user",
    "author": "user",
    "recipient": "user",
    "application": "application",
    "application_id": "application",
    "contact": "contact",
    "contact_id": "contact",
    "interview": "interview",
    "follow_up": "follow_up",
    "letter": "letter",
    "letter_id": "letter",
    "gift": "gift",
    "comment": "comment",
    "coaching": "coaching",
    "id": "application",
    "pk": "contact",
}
EXTRA_FLAGS = {"is_staff": "on", "is_superuser": "on", "is_active": "", "is_coach": "on"}
EXTRA_FLAGS |= {"password": "fuzz", "email": "stranger@example.com", "status": "hired"}


def _extra(found: dict) -> dict:
    """An id field left without a value of its own names the stranger's row; a flag its value."""
    made = {}
    for name, value in found.items():
        if value is not None:
            made[name] = value
        elif name in EXTRA_FIELDS:
            made[name] = Ref("stranger", EXTRA_FIELDS[name])
        else:
            made[name] = EXTRA_FLAGS[name]
    return made


extra_fields = st.dictionaries(
    st.sampled_from(sorted(EXTRA_FIELDS) + sorted(EXTRA_FLAGS)),
    st.one_of(st.just(None), st.just(None), short_text),
    max_size=6,
).map(_extra)

# Gift uploads: names with every extension that matters, bodies that start like the file type
# they claim (or not), empty ones, and one over the size limit.
MAGIC = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b"", b"\x00"]
MAGIC += [b"<html><script>alert(1)</script>", "plain text é".encode(), b"\xc3"]
EXTENSIONS = [".pdf", ".png", ".jpg", ".jpeg", ".docx", ".txt", ".md", ".PDF", ".exe", ".html"]
EXTENSIONS += [".svg", ".pdf.exe", ".txt\x00.exe", "", ".", ".tar.gz", ".p df", ".pdf "]


@dataclass
class Upload:
    name: str
    body: bytes

    def __repr__(self):
        return f"Upload(name={self.name!r}, {len(self.body)} bytes, head={self.body[:12]!r})"


upload = st.builds(
    lambda stem, ext, head, tail, pad: Upload(stem + ext, head + tail + b"\x00" * pad),
    st.one_of(
        st.sampled_from(["gift", "a" * 300, "..", "../../etc/passwd", "名前", 'a"b', "a\r\nb", ""]),
        st.text(ANY_CHAR, max_size=300),
    ),
    st.sampled_from(EXTENSIONS),
    st.sampled_from(MAGIC),
    st.binary(max_size=2048),
    st.sampled_from([0, 0, 0, 2048, 5 * 1024 * 1024 + 1]),
)


# --- Forms ----------------------------------------------------------------------------------


@dataclass
class Form:
    """One view that takes input: where it is, as whom, and what each field may be."""

    name: str  # the URL name, or the URL name and a variant ("letters:gift new")
    url: object  # World -> path
    fields: dict = field(default_factory=dict)  # field name -> strategy
    valid: dict = field(default_factory=dict)  # a submission that passes, the base of each case
    method: str = "post"
    anonymous: bool = False
    files: dict = field(default_factory=dict)  # file field name -> strategy of Upload

    @cached_property
    def strategy(self) -> st.SearchStrategy:
        """Some fields to replace by fuzz, and extra fields; `merge` makes the submission."""
        names = sorted(self.fields) + sorted(self.files)
        every = self.fields | self.files
        chosen = st.sets(st.sampled_from(names)) if names else st.just(set())
        return st.tuples(
            chosen.flatmap(lambda c: st.fixed_dictionaries({n: every[n] for n in sorted(c)})),
            extra_fields if self.method == "post" else st.just({}),
        )

    def merge(self, fuzzed: dict, extra: dict) -> dict:
        """The valid submission with the fuzzed fields replaced, and the extra fields added."""
        own = set(self.fields) | set(self.files) | set(self.valid)
        data = {name: value for name, value in extra.items() if name not in own}
        data |= self.valid | fuzzed
        return {name: value for name, value in data.items() if value is not OMIT}


BOUNDARY = "FuzzBoundary7MA4YWxkTrZu0gW"


def multipart(pairs: list[tuple[str, object]]) -> bytes:
    """A multipart body as a browser (or anyone) might send it: file names go out exactly as
    drawn, quotes, line breaks, ".." and all, which Django's test client would refuse to send."""
    lines = []
    for name, value in pairs:
        lines.append(f"--{BOUNDARY}".encode())
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if isinstance(value, Upload):
            lines.append(f'{disposition}; filename="{value.name}"'.encode(errors="replace"))
            lines.append(b"Content-Type: application/octet-stream")
            body = value.body
        else:
            lines.append(disposition.encode())
            body = value if isinstance(value, bytes) else value.encode()
        lines += [b"", body]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


# --- The two people -------------------------------------------------------------------------


@dataclass
class World:
    owner: User
    stranger: User
    coach: User
    rows: dict  # (who, kind) -> row
    tokens: dict  # name -> signed token
    clients: dict = field(default_factory=dict)  # the signed-in test clients, kept across cases

    def resolve(self, value):
        if isinstance(value, Ref):
            row = self.rows.get((value.who, value.kind))
            if row is None and value.kind == "user":
                row = getattr(self, value.who)
            return str(row.pk) if row is not None else "0"
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def mine(self, kind):
        return self.rows[("owner", kind)]

    def pairs(self, data: dict) -> list[tuple[str, object]]:
        """The request body as (name, value) pairs; a list is the field sent several times."""
        found = []
        for name, value in data.items():
            value = self.resolve(value)
            for one in value if isinstance(value, list) else [value]:
                found.append((name, one))
        return found

    def encode(self, data: dict) -> str:
        return urlencode(self.pairs(data))


def _pipeline(person: User, prefix: str) -> dict:
    """An application with an interview, one interviewer, its thank-you letter with a gift, the
    pending follow-up, and a contact no letter refers to."""
    application = ApplicationFactory(owner=person, organisation=f"{prefix} Analytics")
    contact = ContactFactory(owner=person, email=f"{prefix.lower()}.contact@example.com")
    spare = ContactFactory(owner=person, email=f"{prefix.lower()}.spare@example.com")
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=3),
        interviewers=[(contact, "data quality")],
        today=person.today(),
    )
    letter = LetterFactory(application=application, contact=contact, interview=interview)
    gift = gift_with_file(letter, inspiration="data quality")
    # A second draft without a gift, to which a gift can be added.
    bare = LetterFactory(
        application=application, contact=spare, kind="follow_up", subject="Following up"
    )
    return {
        "application": application,
        "contact": contact,
        "spare_contact": spare,
        "interview": interview,
        "letter": letter,
        "bare_letter": bare,
        "gift": gift,
        "follow_up": FollowUp.objects.get(interview=interview),
    }


def _consent(coach: User, client: User, level: str) -> Coaching:
    return Coaching.objects.create(
        coach=coach,
        client=client,
        invited_by=InvitedBy.CLIENT,
        invited_email=coach.email,
        level=level,
        status=CoachingStatus.ACTIVE,
        accepted_at=timezone.now(),
    )


def build_world(owner: User, stranger: User) -> World:
    """Both people with a full pipeline each and the same coach, who has commented on both."""
    coach = UserFactory(email="coach@example.com", name="Cora Coach", is_coach=True)
    rows = {}
    for who, person in (("owner", owner), ("stranger", stranger)):
        for kind, row in _pipeline(person, who.title()).items():
            rows[(who, kind)] = row
        rows[(who, "coaching")] = _consent(coach, person, Level.COMMENT)
        rows[(who, "comment")] = Comment.objects.create(
            letter=rows[(who, "letter")], author=coach, text="Say more about the pipeline."
        )
    # The coach also asks the owner, by invitation, for access at a level the owner chooses.
    invitation = Coaching.objects.create(
        coach=coach, invited_by=InvitedBy.COACH, invited_email=owner.email
    )
    # And, as a job seeker, the coach asks the owner to be her coach.
    as_coach = Coaching.objects.create(
        client=coach, invited_by=InvitedBy.CLIENT, invited_email=owner.email, level=Level.EDIT
    )
    tokens = {
        "invitation": invitation_token(invitation),
        "invitation as coach": invitation_token(as_coach),
        "unsubscribe reminders": digest.unsubscribe_token(owner, rows[("owner", "application")]),
        "unsubscribe coach": digest.unsubscribe_token(owner, kind=digest.COACH),
    }
    return World(owner=owner, stranger=stranger, coach=coach, rows=rows, tokens=tokens)


# --- What must not change -------------------------------------------------------------------


def guarded_rows(stranger: User, owner: User) -> dict:
    """Every row that belongs to the stranger or refers to them, and the owner's standing (their
    address, password and flags), as querysets of values."""
    by_owner = Q(application__owner=stranger)
    found = {
        "stranger's User": User.objects.filter(pk=stranger.pk),
        "stranger's EmailAddress": EmailAddress.objects.filter(user=stranger),
        "stranger's Application": Application.objects.filter(owner=stranger),
        "stranger's ApplicationEvent": ApplicationEvent.objects.filter(by_owner),
        "stranger's Contact": Contact.objects.filter(owner=stranger),
        "stranger's Interview": Interview.objects.filter(by_owner),
        "stranger's Interviewer": Interviewer.objects.filter(
            Q(interview__application__owner=stranger) | Q(contact__owner=stranger)
        ),
        "stranger's FollowUp": FollowUp.objects.filter(by_owner | Q(contact__owner=stranger)),
        "stranger's Letter": Letter.objects.filter(by_owner | Q(contact__owner=stranger)),
        "stranger's Gift": Gift.objects.filter(
            Q(letter__application__owner=stranger) | Q(introduced_contact__owner=stranger)
        ),
        "stranger's Comment": Comment.objects.filter(
            Q(letter__application__owner=stranger) | Q(author=stranger)
        ),
        "stranger's Coaching": Coaching.objects.filter(Q(client=stranger) | Q(coach=stranger)),
        "stranger's AccessLogEntry": AccessLogEntry.objects.filter(
            Q(client=stranger) | Q(coach=stranger)
        ),
        "stranger's Reminder": Reminder.objects.filter(recipient=stranger),
    }
    found = {name: rows.distinct().values_list() for name, rows in found.items()}
    # All but last_login: the login form, given the stranger's address and their own password,
    # signs the stranger in, which is the stranger's doing, not a change made to them.
    found["stranger's User"] = User.objects.filter(pk=stranger.pk).values_list(
        *[f.attname for f in User._meta.concrete_fields if f.name != "last_login"]
    )
    # What no form may change about the owner: who they are and what they may do.
    found["owner's account"] = User.objects.filter(pk=owner.pk).values_list(
        "email", "password", "is_staff", "is_superuser", "is_active"
    )
    return found


def cross_links() -> dict:
    """Rows that tie one person's data to another person's: none may ever exist."""
    checks = {
        "interviewer taken from another's contacts": Interviewer.objects.exclude(
            contact__owner=F("interview__application__owner")
        ),
        "letter to another's contact": Letter.objects.exclude(
            contact__owner=F("application__owner")
        ),
        "letter about another application's interview": Letter.objects.filter(
            interview__isnull=False
        ).exclude(interview__application=F("application")),
        "letter fulfilling another application's follow-up": Letter.objects.filter(
            follow_up__isnull=False
        ).exclude(follow_up__application=F("application")),
        "gift introducing another's contact": Gift.objects.filter(
            introduced_contact__isnull=False
        ).exclude(introduced_contact__owner=F("letter__application__owner")),
        "follow-up to another's contact": FollowUp.objects.filter(contact__isnull=False).exclude(
            contact__owner=F("application__owner")
        ),
        "follow-up of another application's interview": FollowUp.objects.filter(
            interview__isnull=False
        ).exclude(interview__application=F("application")),
    }
    return {name: rows.values_list("pk") for name, rows in checks.items()}


def fingerprints(querysets: dict) -> dict:
    """A digest of each queryset's rows, all in one round trip (a case runs this once)."""
    parts, params = [], []
    for rows in querysets.values():
        sql, more = rows.order_by().query.sql_with_params()
        # The SQL is Django's own, with its parameters kept apart.
        digest_sql = "SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
        parts.append(f"({digest_sql} FROM ({sql}) r)")
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


NOTHING = hashlib.md5(b"").hexdigest()  # noqa: S324  (a digest to compare, not a secret)


class Guard:
    """What a case may not change, read before the first case; each case is rolled back, so
    every case is compared with the same state."""

    def __init__(self, world: World):
        self.world = world
        self.rows = guarded_rows(world.stranger, world.owner)
        self.links = cross_links()
        self.before = fingerprints(self.rows)
        self.contents = {name: sorted(rows) for name, rows in self.rows.items()}
        assert fingerprints(self.links) == dict.fromkeys(self.links, NOTHING)

    def violations(self) -> list[str]:
        """What changed (with the rows before and after), and which cross links appeared."""
        now = fingerprints(self.rows | self.links)
        found = []
        for name in self.rows:
            if now[name] != self.before[name]:
                after = sorted(self.rows[name].all())
                gone = [r for r in self.contents[name] if r not in after]
                new = [r for r in after if r not in self.contents[name]]
                found.append(f"{name} changed: was {gone}, now {new}")
        for name in self.links:
            if now[name] != NOTHING:
                found.append(f"{name}: ids {[pk for (pk,) in self.links[name].all()]}")
        return found
