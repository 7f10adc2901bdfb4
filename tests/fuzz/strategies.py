"""What the fuzzed forms are sent: one strategy per kind of field value, and the owner's settings.

Strategies produce field values as strings (what a browser sends), `Ref`s that stand for a row's
id (resolved by the world once the rows exist, so the same strategy can name the stranger's
contact in one run and the owner's in another), byte strings (percent-encoded raw, often not
UTF-8), lists (a field sent more than once), `Upload`s (a file), or OMIT (the field is left out of
the request).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

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
KINDS += ["comment", "coaching", "spare_contact", "next_step", "coach_note"]
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
