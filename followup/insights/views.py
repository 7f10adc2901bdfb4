"""The insights page: one's own, a client's for their coach, and a coach's whole caseload."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.views.decorators.http import require_safe

from followup.coaching import selectors as coaching

from .charts import charts_for
from .selectors import MIN_LETTERS_TO_COMPARE, REPLY_WINDOW_DAYS, insights_for


def _render(request, owner_ids, **context):
    if connection.vendor != "postgresql":
        # The figures are computed in PostgreSQL (days in each owner's zone, medians); the
        # embedded SQLite of `make run` has neither, so the page says what it needs instead.
        return render(request, "insights/needs_postgresql.html", context)
    insights = insights_for(owner_ids)
    context = {
        "insights": insights,
        "charts": charts_for(insights),
        "reply_window_days": REPLY_WINDOW_DAYS,
        "min_letters": MIN_LETTERS_TO_COMPARE,
        **context,
    }
    return render(request, "insights/insights.html", context)


@login_required
@require_safe
def my_insights(request):
    """What the signed-in person's own applications and letters say."""
    return _render(request, [request.user.pk])


@login_required
@require_safe
def client_insights(request, pk):
    """A client's insights, for a coach they consent to; logged for the client like a read."""
    client = coaching.client_opened_by(request.user, pk, what="insights", path=request.path)
    return _render(request, [client.pk], client=client)


@login_required
@require_safe
def caseload_insights(request):
    """The same figures over every consenting client together; no one's rows are shown."""
    if not request.user.is_coach:
        return render(request, "coaching/coach_not_a_coach.html")
    return _render(request, coaching.client_ids_of(request.user), caseload=True)
