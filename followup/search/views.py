"""The search page: one box, every kind of row the person may see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from followup.coaching.models import AccessAction, AccessLogEntry, log_line
from followup.core.fulltext import query_from

from .selectors import search_for


@login_required
@require_safe
def search(request):
    """Find the words of `q` in the applications, interviews, contacts and letters one sees."""
    query = query_from(request)
    results = search_for(request.user, query) if query else None
    if results is not None:
        _log_clients_shown(request, results)
    context = {"query": query, "results": results}
    return render(request, "search/search_results.html", context)


def _log_clients_shown(request, results) -> None:
    """A coach's search that shows a client's rows is a read of them: one line per client."""
    client_ids = results.client_ids()
    if client_ids:
        AccessLogEntry.objects.bulk_create(
            log_line(
                client_id=client_id,
                coach=request.user,
                action=AccessAction.VIEWED,
                what=f"search results for “{results.query}”"[:300],
                path=request.path[:500],
            )
            for client_id in sorted(client_ids)
        )
