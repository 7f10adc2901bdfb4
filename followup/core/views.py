from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from .dashboard import dashboard_for
from .models import Heartbeat


def home(request):
    """Show the dashboard to a signed-in person and the landing page to a visitor."""
    if request.user.is_authenticated:
        return render(request, "core/dashboard.html", {"board": dashboard_for(request.user)})
    return render(request, "core/landing.html")


def health(request):
    """Report whether beat has run recently, as JSON; 503 when it has not."""
    beat = Heartbeat.objects.filter(name="beat").first()
    stale_after = timedelta(seconds=settings.HEALTH_BEAT_STALE_SECONDS)
    healthy = beat is not None and timezone.now() - beat.last_seen <= stale_after
    body = {
        "status": "ok" if healthy else "stale",
        "last_beat": beat.last_seen.isoformat() if beat else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)
