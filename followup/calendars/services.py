"""Turning a person's calendar feed on, renewing its address, and turning it off."""

from django.db import transaction

from followup.accounts.models import User

from .models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, owner: User) -> CalendarFeed:
    """Give `owner` a feed at a new secret address; the old address, if any, stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(owner=owner).first()
    feed = feed or CalendarFeed(owner=owner)
    feed.set_token(CalendarFeed.new_token())
    feed.save()
    return feed


def calendar_feed_turn_off(*, owner: User) -> None:
    CalendarFeed.objects.filter(owner=owner).delete()
