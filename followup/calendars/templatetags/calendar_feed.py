from django import template
from django.conf import settings
from django.urls import reverse

from ..models import CalendarFeed

register = template.Library()


@register.inclusion_tag("calendars/_feed_settings.html", takes_context=True)
def calendar_feed_settings(context):
    """The settings section with the person's calendar link, or the button that makes one."""
    request = context["request"]
    found = CalendarFeed.objects.filter(owner=request.user).first()
    address = ""
    if found is not None:
        address = settings.SITE_URL + reverse("calendars:feed", args=[found.token])
    return {
        "feed": found,
        "address": address,
        # Calendar apps open webcal:// addresses as a subscription.
        "subscribe": "webcal://" + address.split("://", 1)[1] if address else "",
        "csrf_token": context.get("csrf_token"),
        "user": request.user,
    }
