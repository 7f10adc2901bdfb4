"""core/listing.py's dates as filters write what `|date` writes, in the current time zone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from followup.core.listing import time_since
from followup.core.templatetags.listing_tags import ago, day_month_year, iso


def test_a_day_is_written_as_the_date_filter_writes_it():
    day = date(2026, 3, 7)
    assert iso(day) == date_filter(day, "Y-m-d") == "2026-03-07"
    assert day_month_year(day) == date_filter(day, "j M Y") == "7 Mar 2026"


def test_a_time_is_written_in_the_current_time_zone():
    moment = datetime(2026, 12, 31, 23, 30, 15, 120, tzinfo=ZoneInfo("UTC"))
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        # A template hands `|date` the time already in the current zone (expects_localtime).
        local = timezone.localtime(moment)
        assert iso(moment) == date_filter(local, "c") == "2027-01-01T12:30:15.000120+13:00"
        assert day_month_year(moment) == date_filter(local, "j M Y") == "1 Jan 2027"


def test_nothing_is_written_for_none():
    assert iso(None) == day_month_year(None) == ago(None) == date_filter(None, "j M Y") == ""


def test_under_a_minute_is_just_now_not_zero_minutes():
    now = timezone.now()
    assert time_since(now - timedelta(seconds=59), now) == "just now"
    assert time_since(now, now) == "just now"
    # Another machine's clock a little ahead is no "0 minutes" either.
    assert time_since(now + timedelta(seconds=5), now) == "just now"
    assert ago(now - timedelta(seconds=1)) == "just now"


def test_longer_reads_in_its_largest_unit():
    now = timezone.now()
    assert time_since(now - timedelta(seconds=61), now) == "1\xa0minute"
    assert time_since(now - timedelta(days=3, hours=5), now) == "3\xa0days"
    assert ago(now - timedelta(hours=2, minutes=10)) == "2\xa0hours ago"
