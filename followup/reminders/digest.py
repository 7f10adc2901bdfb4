"""What a reminder email says, built from the rows it covers and the recipient's pipeline."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import OPEN_STATUSES, FollowUp, FollowUpKind, Interview
from followup.core.emails import build_email

UNSUBSCRIBE_SALT = "followup.reminders.unsubscribe"


def unsubscribe_token(user, application=None) -> str:
    return signing.dumps(
        {"u": user.pk, "a": application.pk if application else None}, salt=UNSUBSCRIBE_SALT
    )


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(user, application=None) -> str:
    path = reverse("reminders:unsubscribe", args=[unsubscribe_token(user, application)])
    return settings.SITE_URL + path


def compose_url(follow_up: FollowUp) -> str:
    return f"{settings.SITE_URL}{reverse('letters:new')}?follow_up={follow_up.pk}"


@dataclass
class Digest:
    today: date
    thank_yous: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    interviews: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.thank_yous) + len(self.due_today) + len(self.overdue)


def digest_for(user, *, today: date) -> Digest:
    """Everything due for `user` by `today`, grouped the way the email presents it."""
    digest = Digest(today=today)
    due = (
        FollowUp.objects.filter(
            application__owner=user,
            application__status__in=OPEN_STATUSES,
            application__reminders_muted=False,
        )
        .due_by(today)
        .select_related("application", "contact", "interview")
        .order_by("due_on", "pk")
    )
    for follow_up in due:
        follow_up.compose_url = compose_url(follow_up)
        if follow_up.kind == FollowUpKind.THANK_YOU:
            digest.thank_yous.append(follow_up)
        elif follow_up.due_on < today:
            digest.overdue.append(follow_up)
        else:
            digest.due_today.append(follow_up)
    start = timezone.make_aware(datetime.combine(today, time.min), user.zone)
    digest.interviews = list(
        Interview.objects.filter(
            application__owner=user,
            application__status__in=OPEN_STATUSES,
            scheduled_at__gte=start,
            scheduled_at__lt=start + timedelta(days=8),
        )
        .select_related("application")
        .order_by("scheduled_at")
    )
    return digest


def digest_email(*, reminder, digest: Digest) -> EmailMultiAlternatives:
    user = reminder.recipient
    url = unsubscribe_url(user)
    headers = {
        "Message-ID": reminder.message_id,
        # RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    context = {
        "user": user,
        "digest": digest,
        "unsubscribe_url": url,
        "preferences_url": settings.SITE_URL + reverse("reminders:preferences"),
        "evening": reminder.slot == "evening",
    }
    # Times in the email are the recipient's, as on their dashboard.
    with timezone.override(user.zone):
        return build_email("digest", context, to=[user.email], headers=headers)
