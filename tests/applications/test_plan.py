"""The follow-up plan's date rules, as pure functions."""

from datetime import date

import pytest

from followup.applications import plan

FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)
MONDAY = date(2026, 11, 30)
DEFAULT_CADENCE = (7, 14, 21)


@pytest.mark.parametrize(
    "day, expected",
    [(FRIDAY, FRIDAY), (SATURDAY, MONDAY), (date(2026, 11, 29), MONDAY), (MONDAY, MONDAY)],
)
def test_business_day_on_or_after(day, expected):
    assert plan.business_day_on_or_after(day) == expected


def test_first_business_day_after_a_friday_is_monday():
    assert plan.first_business_day_after(FRIDAY) == MONDAY


@pytest.mark.parametrize("step, gap", [(1, 7), (2, 14), (3, 21), (4, 21), (9, 21)])
def test_cadence_spaces_out_then_repeats(step, gap):
    assert plan.cadence_gap(DEFAULT_CADENCE, step) == gap


def test_due_dates_fall_on_business_days_only():
    # Monday + 7 days is a Monday; Wednesday 2 Dec + 4 = Sunday 6 Dec -> Monday 7 Dec.
    assert plan.follow_up_due(cadence=(7, 14, 21), step=1, after=MONDAY, decision_date=None) == (
        date(2026, 12, 7)
    )
    assert plan.follow_up_due(
        cadence=(4, 14, 21), step=1, after=date(2026, 12, 2), decision_date=None
    ) == date(2026, 12, 7)


def test_whole_cadence_from_a_thank_you_sent_on_monday():
    after, dues = MONDAY, []
    for step in (1, 2, 3, 4):
        after = plan.follow_up_due(
            cadence=DEFAULT_CADENCE, step=step, after=after, decision_date=None
        )
        dues.append(after)
    assert dues == [date(2026, 12, 7), date(2026, 12, 21), date(2027, 1, 11), date(2027, 2, 1)]


def test_decision_date_ahead_moves_the_next_follow_up_to_the_business_day_after_it():
    # Decision Friday 11 Dec: ask on Monday 14 Dec, not on the cadence's 7 Dec.
    due = plan.follow_up_due(
        cadence=DEFAULT_CADENCE, step=1, after=MONDAY, decision_date=date(2026, 12, 11)
    )
    assert due == date(2026, 12, 14)


def test_decision_date_sooner_than_the_cadence_is_followed_right_after_it():
    due = plan.follow_up_due(
        cadence=DEFAULT_CADENCE, step=1, after=MONDAY, decision_date=date(2026, 12, 1)
    )
    assert due == date(2026, 12, 2)


def test_a_decision_date_already_past_is_ignored():
    due = plan.follow_up_due(cadence=DEFAULT_CADENCE, step=2, after=MONDAY, decision_date=FRIDAY)
    assert due == date(2026, 12, 14)


def test_thank_you_is_due_the_day_after_the_interview():
    assert plan.thank_you_due(FRIDAY) == SATURDAY
