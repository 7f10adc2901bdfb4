"""Spreadsheet text turned into the values the product's forms take: statuses, dates, salaries.

Each parser returns the value, or raises `ValueError` with a message for the person; "" stays
"" (an empty cell is no value).
"""

import re
from datetime import date, datetime

from followup.applications.models import Currency, Status, WorkMode

from .columns import normalise

STATUS_WORDS = {
    Status.APPLIED: (
        "applied", "application sent", "submitted", "sent", "new", "pending", "waiting",
        "no response", "no reply", "ghosted", "open",
    ),
    Status.INTERVIEWING: (
        "interviewing", "interview", "interviews", "interviewed", "phone screen", "screening",
        "screen", "in progress", "interview scheduled", "first interview", "second interview",
        "final interview", "assessment", "technical test", "shortlisted",
    ),
    Status.OFFER: ("offer", "offered", "offer received", "got an offer", "negotiating"),
    Status.HIRED: ("hired", "accepted", "offer accepted", "got the job", "signed", "started"),
    Status.ELIMINATED: (
        "eliminated", "rejected", "rejection", "not selected", "unsuccessful", "turned down",
        "declined by employer", "no", "closed",
    ),
    Status.WITHDRAWN: (
        "withdrawn", "withdrew", "withdraw", "not interested", "declined offer",
        "offer declined", "i declined", "cancelled", "canceled",
    ),
}  # fmt: skip
STATUS_BY_WORD = {
    normalise(word): status for status, words in STATUS_WORDS.items() for word in words
}
WORK_MODE_WORDS = {
    "remote": WorkMode.REMOTE,
    "fully remote": WorkMode.REMOTE,
    "home": WorkMode.REMOTE,
    "wfh": WorkMode.REMOTE,
    "hybrid": WorkMode.HYBRID,
    "on site": WorkMode.ON_SITE,
    "onsite": WorkMode.ON_SITE,
    "office": WorkMode.ON_SITE,
    "in office": WorkMode.ON_SITE,
    "in person": WorkMode.ON_SITE,
}
# A salary cell that says there is no figure.
NO_FIGURE = {"", "n a", "na", "none", "tbd", "tbc", "unknown", "competitive", "doe", "negotiable"}
CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "¥": "JPY", "₹": "INR"}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip


def parse_status(text: str) -> str:
    if not text.strip():
        return Status.APPLIED
    status = STATUS_BY_WORD.get(normalise(text))
    if status is None:
        known = ", ".join(label.lower() for label in Status.labels)
        raise ValueError(f"“{_short(text)}” is not a status followup knows ({known}).")
    return status


def parse_work_mode(text: str) -> str:
    if not text.strip():
        return ""
    mode = WORK_MODE_WORDS.get(normalise(text).replace("-", " "))
    if mode is None:
        raise ValueError(f"“{_short(text)}” is not a work mode (remote, hybrid or on-site).")
    return mode


# --- Dates -----------------------------------------------------------------------------------

ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
WORDY = re.compile(r"^(?:[a-z]+,? )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})$")
WORDY_US = re.compile(r"^(?:[a-z]+,? )?([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")


def day_first(values: list[str]) -> bool:
    """Whether a column's "03/04/2025" dates put the day first: yes unless one of them can only
    be month first (04/13/2025)."""
    for value in values:
        match = NUMERIC.match(value.strip())
        if match and int(match[1]) <= 12 < int(match[2]):
            return False
    return True


def parse_date(text: str, *, day_first: bool = True) -> date | None:
    text = " ".join(text.strip().casefold().split())
    if not text:
        return None
    try:
        if match := ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := NUMERIC.match(text):
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            year += 2000 if year < 100 else 0
            day, month = (first, second) if day_first else (second, first)
            return date(year, month, day)
        if (match := WORDY.match(text)) and match[2] in MONTHS:
            return date(int(match[3]), MONTHS[match[2]], int(match[1]))
        if (match := WORDY_US.match(text)) and match[1] in MONTHS:
            return date(int(match[3]), MONTHS[match[1]], int(match[2]))
    except ValueError:
        raise ValueError(f"“{_short(text)}” is not a date that exists.") from None
    raise ValueError(f"“{_short(text)}” is not a date; write it as 2025-03-31 or 31/03/2025.")


def iso(day: date | datetime | None) -> str:
    return day.isoformat() if day else ""


# --- Salaries --------------------------------------------------------------------------------

AMOUNT = re.compile(r"(\d+(?:[.,\s]\d{3})*(?:\.\d+)?)\s*(k)?", re.IGNORECASE)


# Words a salary cell may hold around its figures.
SALARY_WORDS = {"to", "per", "a", "year", "annum", "pa", "p", "yr", "gross", "from", "up"}


def parse_salary(text: str) -> tuple[int | None, int | None, str]:
    """ "45000", "£45k", "45,000-55,000 GBP", "USD 120k to 140k" -> (low, high, currency)."""
    if normalise(text) in NO_FIGURE:
        return None, None, ""
    currency = _currency_in(text)
    amounts = [_amount(number, thousand) for number, thousand in AMOUNT.findall(text)]
    words = set(normalise(AMOUNT.sub(" ", text)).split()) - SALARY_WORDS - {currency.lower()}
    if not amounts or len(amounts) > 2 or words:
        raise ValueError(
            f"“{_short(text)}” is not a salary; write an amount or a range, e.g. 45000-55000 GBP."
        )
    return min(amounts), max(amounts), currency


def _amount(number: str, thousand: str) -> int:
    digits = re.sub(r"[,\s]", "", number)
    if re.fullmatch(r"\d+(\.\d{3})+", digits):  # 45.000: a thousands separator
        digits = digits.replace(".", "")
    value = float(digits)
    return round(value * 1000 if thousand else value)


def _currency_in(text: str) -> str:
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            return code
    for word in re.findall(r"\b[A-Za-z]{3}\b", text):
        if word.upper() in Currency.values:
            return word.upper()
    return ""


def parse_currency(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    code = CURRENCY_SYMBOLS.get(text, text.upper())
    if code not in Currency.values:
        raise ValueError(f"“{_short(text)}” is not a currency followup knows, e.g. GBP or EUR.")
    return code


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
