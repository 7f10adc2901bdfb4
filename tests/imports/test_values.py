from datetime import date

import pytest

from followup.imports.values import (
    day_first,
    parse_currency,
    parse_date,
    parse_salary,
    parse_status,
    parse_work_mode,
)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "applied"),
        ("Applied", "applied"),
        ("SUBMITTED", "applied"),
        ("Interviewing", "interviewing"),
        ("phone screen", "interviewing"),
        ("Offer received", "offer"),
        ("Hired", "hired"),
        ("offer accepted", "hired"),
        ("Rejected", "eliminated"),
        ("not selected", "eliminated"),
        ("Withdrew", "withdrawn"),
        ("Offer declined", "withdrawn"),
    ],
)
def test_common_status_words(text, status):
    assert parse_status(text) == status


def test_an_unknown_status_says_which_ones_are_known():
    with pytest.raises(ValueError, match="“maybe later” is not a status followup knows") as e:
        parse_status("maybe later")
    assert "applied, interviewing, offer, hired, eliminated, withdrawn" in str(e.value)


@pytest.mark.parametrize(
    ("text", "first", "day"),
    [
        ("2025-03-31", True, date(2025, 3, 31)),
        ("2025/3/1", True, date(2025, 3, 1)),
        ("2025-03-31 00:00:00", True, date(2025, 3, 31)),
        ("31/03/2025", True, date(2025, 3, 31)),
        ("03/04/2025", True, date(2025, 4, 3)),
        ("03/04/2025", False, date(2025, 3, 4)),
        ("31.03.25", True, date(2025, 3, 31)),
        ("31 March 2025", True, date(2025, 3, 31)),
        ("Mar 31, 2025", True, date(2025, 3, 31)),
        ("Monday, 31st Mar 2025", True, date(2025, 3, 31)),
        ("", True, None),
    ],
)
def test_dates_as_people_write_them(text, first, day):
    assert parse_date(text, day_first=first) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [("31/02/2025", "not a date that exists"), ("last Tuesday", "is not a date")],
)
def test_what_is_not_a_date(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_a_column_is_month_first_only_if_a_value_says_so():
    assert day_first(["03/04/2025", "05/06/2025"])
    assert not day_first(["03/04/2025", "04/13/2025"])
    assert day_first(["13/04/2025", "2025-01-01", ""])


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        ("45000", (45000, 45000, "")),
        ("45,000", (45000, 45000, "")),
        ("£45k", (45000, 45000, "GBP")),
        ("45,000 - 55,000 GBP", (45000, 55000, "GBP")),
        ("USD 120k to 140k", (120000, 140000, "USD")),
        ("€50.000 per year", (50000, 50000, "EUR")),
        ("40k-60k EUR", (40000, 60000, "EUR")),
        ("competitive", (None, None, "")),
        ("N/A", (None, None, "")),
        ("", (None, None, "")),
    ],
)
def test_salaries_as_people_write_them(text, salary):
    assert parse_salary(text) == salary


@pytest.mark.parametrize("text", ["lots", "10 20 30", "45000 bananas"])
def test_what_is_not_a_salary(text):
    with pytest.raises(ValueError, match="is not a salary"):
        parse_salary(text)


def test_currencies_and_work_modes():
    assert parse_currency("gbp") == "GBP"
    assert parse_currency("€") == "EUR"
    with pytest.raises(ValueError, match="not a currency"):
        parse_currency("doubloons")
    assert parse_work_mode("Remote") == "remote"
    assert parse_work_mode("On-site") == "on_site"
    with pytest.raises(ValueError, match="not a work mode"):
        parse_work_mode("sometimes")
