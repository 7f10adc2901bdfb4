"""Turning a person's calendar feed on, renewing its address, and turning it off."""

from django.db import transaction

from followup.accounts.models import User
from followup.applications.models import FollowUp
from followup.contacts.models import Contact
from followup.interviews.models import Interview

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


# What a calendar entry shows of a contact: the name on a follow-up, name and role on a panel.
CONTACT_FIELDS_SHOWN = frozenset({"name", "role"})


def contact_changed(*, contact: Contact, fields: set[str]) -> None:
    """A contact's `fields` changed: the entries that show them change too, so calendar apps
    holding a copy must learn it (their SEQUENCE goes up); other fields leave them alone."""
    if not fields & CONTACT_FIELDS_SHOWN:
        return
    Interview.objects.filter(interviewers__contact=contact).revise()
    FollowUp.objects.filter(contact=contact).revise()
