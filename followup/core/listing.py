"""Cheap formatting for pages that list many rows (the coach dashboard: a line per client).

A template's `{% url %}` and `|date` cost tens of microseconds each; on a page of a few hundred
links and times they were most of the page's time. These do the same work once per page, or in
plain Python, for the selectors that prepare such lists.
"""

from collections.abc import Callable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

# What is under a minute old reads as this: timesince would say "0 minutes".
JUST_NOW = "just now"

# An id no row has, to find where the id goes in a reversed URL.
_MARKER = 918273645


def url_for_ids(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many ids at the cost of one reverse.

    For URL patterns with one integer argument; the answer is the same string `reverse` gives.
    """
    prefix, suffix = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{prefix}{pk}{suffix}"


def day_and_time(value: datetime | None, empty: str = "—") -> str:
    """ "Mon 7 Dec, 09:00" in the current time zone (the template's `date:"D j M, H:i"`)."""
    if value is None:
        return empty
    local = timezone.localtime(value)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def day_month_year(value: date | datetime | None, empty: str = "—") -> str:
    """ "7 Dec 2026", of the current time zone's day for a datetime (`date:"j M Y"`)."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value.day} {value:%b %Y}"


def day_month(value: date) -> str:
    """ "7 Dec" (the template's `date:"j M"`)."""
    return f"{value.day} {value:%b}"


def weekday_day_month(value: date) -> str:
    """ "Mon 7 Dec" (the template's `date:"D j M"`)."""
    return f"{value:%a} {value.day} {value:%b}"


def time_since(value: datetime, now: datetime | None = None) -> str:
    """How long ago `value` was, in its largest unit ("3 days", "5 hours"), or "just now" for
    under a minute (and for a time a little ahead, from another machine's clock)."""
    now = now or timezone.now()
    if (now - value).total_seconds() < 60:
        return JUST_NOW
    return timesince(value, now, depth=1)


def ago(value: datetime, now: datetime | None = None) -> str:
    """ "3 days ago", or "just now"."""
    since = time_since(value, now)
    return since if since == JUST_NOW else f"{since} ago"
