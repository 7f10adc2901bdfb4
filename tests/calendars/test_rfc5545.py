"""The feed's text follows RFC 5545: folded lines, escaped text, CRLF line ends."""

import pytest
from icalendar import Calendar

from followup.calendars import entries, ical
from tests.calendars.conftest import feed_url, record_interview

pytestmark = pytest.mark.django_db

# Commas, semicolons and a newline: each must be escaped in TEXT; é and → take several octets.
AWKWARD = "Room 4, floor 2; ask at the desk\nThen the lift → café"


def test_text_is_escaped(client, owner, feed):
    record_interview(owner, location=AWKWARD)
    client.logout()
    raw = client.get(feed_url(feed)).content.decode()
    unfolded = raw.replace("\r\n ", "")

    assert "LOCATION:Room 4\\, floor 2\\; ask at the desk\\nThen the lift → café\r\n" in unfolded
    # The summary holds the organisation "Acme, Inc.; Data".
    assert "Acme\\, Inc.\\; Data" in unfolded


def test_long_lines_are_folded_at_75_octets(client, owner, feed):
    long_location = ("Bâtiment Ω, aile est; " * 20)[:480]
    record_interview(owner, location=long_location)
    client.logout()
    raw = client.get(feed_url(feed)).content

    lines = raw.split(b"\r\n")
    assert lines[-1] == b""  # every line, the last included, ends with CRLF
    assert b"\n" not in b"".join(lines)  # no bare LF anywhere
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) > 5  # folding happened
    # Unfolded, the text comes back whole (a fold never splits a multi-octet character).
    parsed = raw.decode().replace("\r\n ", "")
    escaped = long_location.replace(",", "\\,").replace(";", "\\;")
    assert f"LOCATION:{escaped}\r\n" in parsed


def test_awkward_text_reads_back_unchanged(owner):
    interview = record_interview(owner, location=AWKWARD)
    interview = entries.interviews_with_panel().get(pk=interview.pk)
    body = ical.to_ical([entries.interview_entry(interview)], name="followup")

    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["LOCATION"]) == AWKWARD
    assert str(event["SUMMARY"]).endswith("Acme, Inc.; Data")
