import hmac

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from followup.applications.selectors import dashboard_for
from followup.coaching.next_steps import mark_lateness, open_next_steps_for
from followup.reminders.selectors import pipeline_health


def home(request):
    """Show the dashboard to a signed-in person and the landing page to a visitor."""
    if request.user.is_authenticated:
        user = request.user
        board = dashboard_for(user)
        steps = open_next_steps_for([user.pk]).get(user.pk, [])
        context = {"board": board, "next_steps": mark_lateness(steps, board.today)}
        return render(request, "home/dashboard.html", context)
    return render(request, "home/landing.html")


@never_cache  # the body depends on who asks
def health(request):
    """Say whether reminders are flowing: 200 or 503 for anyone (load balancers, compose), and
    why, with the figures, for staff or a monitor holding HEALTH_TOKEN."""
    report = pipeline_health(now=timezone.now())
    body = {"status": "ok" if report.healthy else "unhealthy"}
    if _may_see_details(request):
        body |= {"problems": report.problems, **report.details}
    return JsonResponse(body, status=200 if report.healthy else 503)


def _may_see_details(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    expected = settings.HEALTH_TOKEN
    if not expected:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        given = request.GET.get("token", "")
    return hmac.compare_digest(given.strip().encode(), expected.encode())
