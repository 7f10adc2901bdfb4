import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST, require_safe

from followup.core.access import get_visible_or_404

from . import entries, ical, services
from .entries import interviews_with_panel
from .models import CalendarFeed, token_digest

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe  # some calendar apps ask with HEAD first
def feed(request, token):
    """The person's calendar, for a calendar app: the token in the address is the only key."""
    found = CalendarFeed.objects.select_related("owner").filter(digest=token_digest(token)).first()
    if (
        found is None
        or not found.owner.is_active
        or not hmac.compare_digest(found.token.encode(), token.encode())
    ):
        # A plain answer, not Http404: the 404 page is for people, and this is read by programs.
        return HttpResponseNotFound("Not found.", content_type="text/plain; charset=utf-8")
    body = ical.to_ical(entries.feed_entries(found.owner), name="followup")
    return _calendar_response(body, filename="followup.ics", attachment=False)


@login_required
@require_POST
def feed_renew(request):
    """Make a new address; the old one stops working at once."""
    had_one = CalendarFeed.objects.filter(owner=request.user).exists()
    services.calendar_feed_renew(owner=request.user)
    if had_one:
        messages.success(request, "A new calendar link was made. The old one no longer works.")
    else:
        messages.success(request, "Your calendar link is ready.")
    return redirect("accounts:profile")


@login_required
@require_POST
def feed_turn_off(request):
    services.calendar_feed_turn_off(owner=request.user)
    messages.success(request, "Calendar link turned off. It no longer works.")
    return redirect("accounts:profile")


@login_required
@require_GET
def interview_ics(request, pk):
    """One interview as an .ics file, to add to a calendar by hand."""
    interview = get_visible_or_404(interviews_with_panel(), request.user, request=request, pk=pk)
    owner = interview.application.owner
    client = owner if owner.pk != request.user.pk else None
    body = ical.to_ical([entries.interview_entry(interview, client=client)], name="followup")
    return _calendar_response(body, filename=f"interview-{interview.pk}.ics", attachment=True)
