from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import FollowUp
from followup.reminders.models import Reminder, SweepRun

from .dashboard import dashboard_for
from .models import Heartbeat


def home(request):
    """Show the dashboard to a signed-in person and the landing page to a visitor."""
    if request.user.is_authenticated:
        return render(request, "core/dashboard.html", {"board": dashboard_for(request.user)})
    return render(request, "core/landing.html")


def health(request):
    """Report the reminder pipeline's state as JSON; 503 when the sweep has stopped running."""
    now = timezone.now()
    beat = Heartbeat.objects.filter(name="beat").first()
    sweep = SweepRun.objects.order_by("-started_at").first()
    stale_after = timedelta(seconds=settings.HEALTH_SWEEP_STALE_SECONDS)
    healthy = sweep is not None and now - sweep.started_at <= stale_after
    oldest_overdue = (
        FollowUp.objects.filter(status="pending", reminder__isnull=True, remind_at__lte=now)
        .order_by("remind_at")
        .values_list("remind_at", flat=True)
        .first()
    )
    oldest_coach_digest = (
        User.objects.filter(coach_digest_at__lte=now)
        .order_by("coach_digest_at")
        .values_list("coach_digest_at", flat=True)
        .first()
    )
    if oldest_coach_digest and (oldest_overdue is None or oldest_coach_digest < oldest_overdue):
        oldest_overdue = oldest_coach_digest
    body = {
        "status": "ok" if healthy else "stale",
        "last_beat": beat.last_seen.isoformat() if beat else None,
        "last_sweep": {
            "started_at": sweep.started_at.isoformat(),
            "finished_at": sweep.finished_at.isoformat() if sweep.finished_at else None,
            "claimed_follow_ups": sweep.claimed_follow_ups,
            "new_reminders": sweep.new_reminders,
            "enqueued": sweep.enqueued,
            "expired_leases": sweep.expired_leases,
            "errors": sweep.errors,
        }
        if sweep
        else None,
        "queued": Reminder.objects.filter(status__in=["queued", "sending"]).count(),
        "failed": Reminder.objects.filter(
            status="failed", created_at__gte=now - timedelta(days=1)
        ).count(),
        "oldest_overdue": oldest_overdue.isoformat() if oldest_overdue else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)
