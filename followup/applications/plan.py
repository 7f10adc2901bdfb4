"""Date arithmetic of the follow-up plan: business days, cadence steps, decision dates."""

from datetime import date, timedelta


def is_business_day(day: date) -> bool:
    return day.weekday() < 5


def business_day_on_or_after(day: date) -> date:
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def first_business_day_after(day: date) -> date:
    return business_day_on_or_after(day + timedelta(days=1))


def cadence_gap(cadence: tuple[int, int, int], step: int) -> int:
    """Days between the previous touch and cadence step `step` (1, 2, 3...)."""
    first, second, repeat = cadence
    if step <= 1:
        return first
    if step == 2:
        return second
    return repeat


def follow_up_due(
    *, cadence: tuple[int, int, int], step: int, after: date, decision_date: date | None
) -> date:
    """The due date of cadence step `step`, counted from the last touch on `after`.

    A decision date still ahead of the last touch takes precedence: asking before the employer
    said it would decide is nagging, and the day after it is exactly when to ask.
    """
    if decision_date is not None and decision_date >= after:
        return first_business_day_after(decision_date)
    return business_day_on_or_after(after + timedelta(days=cadence_gap(cadence, step)))


def thank_you_due(interview_day: date) -> date:
    """A thank-you letter is due by the day after the interview, weekend or not."""
    return interview_day + timedelta(days=1)
