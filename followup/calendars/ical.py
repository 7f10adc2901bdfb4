"""Entries as iCalendar (RFC 5545) text, through the icalendar library.

Times are written in UTC (a trailing Z), so no VTIMEZONE is needed and every app shows them in
its own zone; follow-ups are all-day dates, which have no zone. The library folds lines at 75
octets and escapes commas, semicolons, backslashes and newlines in text.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//followup//Interviews and follow-ups//EN"


def _utc(value):
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def to_event(entry) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", _utc(entry.stamp))
    event.add("created", _utc(entry.created))
    event.add("last-modified", _utc(entry.stamp))
    event.add("sequence", entry.sequence)
    event.add("status", entry.status)
    event.add("summary", entry.summary)
    event.add("dtstart", _utc(entry.start))
    event.add("dtend", _utc(entry.end))
    # A follow-up is a task for the day, not time taken: it leaves the day free.
    event.add("transp", "OPAQUE" if isinstance(entry.start, datetime) else "TRANSPARENT")
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.categories:
        event.add("categories", list(entry.categories))
    return event


def to_ical(entries: Iterable, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # The calendar's name, and how often to read it again, in the two dialects apps understand.
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for entry in entries:
        calendar.add_component(to_event(entry))
    return calendar.to_ical()
