"""Invitation links: signed, so that only the link we sent opens an invitation, and expiring."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Coaching, CoachingStatus

INVITATION_SALT = "followup.coaching.invitation"


def invitation_token(coaching: Coaching) -> str:
    return signing.dumps({"c": coaching.pk}, salt=INVITATION_SALT)


def invitation_url(coaching: Coaching) -> str:
    return settings.SITE_URL + reverse("coaching:invitation", args=[invitation_token(coaching)])


def read_invitation(token: str) -> Coaching | None:
    """The pending invitation behind a signed token, or None if forged, expired or used."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.COACHING_INVITATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return (
        Coaching.objects.filter(pk=data.get("c"), status=CoachingStatus.INVITED)
        .select_related("coach", "client")
        .first()
    )
