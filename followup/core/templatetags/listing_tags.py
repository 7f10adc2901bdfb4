"""core/listing.py's dates as filters, for list pages whose rows each show a few dates.

`|date` looks up the format's translations on every call (~20-30 us); a table of 25 rows with
eight dates a row spent a good part of its time there. These write the same text.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from followup.core.listing import ago as _ago
from followup.core.listing import day_month_year as _day_month_year

register = template.Library()


@register.filter
def day_month_year(value: date | datetime | None) -> str:
    """ "7 Dec 2026" (`|date:"j M Y"`), empty for None."""
    return _day_month_year(value, empty="")


@register.filter
def iso(value: date | datetime | None) -> str:
    """The machine-readable day or time of a <time datetime>: `|date:"Y-m-d"` for a day,
    `|date:"c"` (in the current time zone) for a datetime; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


@register.filter
def ago(value: datetime | None) -> str:
    """ "5 hours ago", or "just now" under a minute (`|naturaltime` says "30 seconds ago" and
    `|timesince` "0 minutes"); empty for None."""
    return "" if value is None else _ago(value)
