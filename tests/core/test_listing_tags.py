"""core/listing.py's dates as filters write what `|date` writes, in the current time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from followup.core.templatetags.listing_tags import day_month_year, iso


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
    assert iso(None) == day_month_year(None) == date_filter(None, "j M Y") == ""
