"""A coach acting for a client at the "edit" level: a new application in the client's data.

Interviews and letters for a client start from the client's own pages (an application's "Add an
interview" and "Write a letter", the plan's "Write it"), which the access rule opens to an
edit-level coach. An application has no parent page to start from: its form is here, under the
client. Whatever a coach records belongs to the client, is planned in the client's days, says
who typed it in (`created_by`), and is written in the client's access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from followup.accounts.models import User
from followup.applications import services
from followup.applications.forms import ApplicationForm
from followup.applications.views import warn_if_decision_date_passed
from followup.core.access import editable_owner_ids, record_change

from .. import selectors
from ..models import AccessAction


def client_to_act_for(coach: User, client_id: int) -> User:
    """The client `coach` may change the data of: 404 for someone they cannot see (a stranger,
    a former client, themselves), 403 for a client who consents below the "edit" level."""
    client = selectors.client_visible_to(coach, client_id)
    if client.pk not in editable_owner_ids(coach):
        raise PermissionDenied("You can see this client's data but not change it.")
    return client


@login_required
@require_http_methods(["GET", "POST"])
def client_application_create(request, pk):
    """Record an application for a client, as the client would: theirs, dated in their days."""
    client = client_to_act_for(request.user, pk)
    today = client.today()
    form = ApplicationForm(request.POST or None, initial={"applied_on": today})
    on = date_format(today, "D j M")
    form.fields["applied_on"].help_text = f"Left blank: today where {client.display_name} is, {on}."
    if request.method == "POST" and form.is_valid():
        application = services.application_create(
            owner=client, by=request.user, **form.cleaned_data
        )
        # Nothing of the client's was shown before the save: the creation is the one line.
        record_change(request.user, application, AccessAction.CREATED, path=request.path)
        messages.success(
            request,
            f"Application recorded for {client.display_name}. "
            "They see it in their list, marked as added by you.",
        )
        warn_if_decision_date_passed(request, form.cleaned_data["decision_date"], owner=client)
        return redirect(application)
    context = {"form": form, "client": client}
    return render(request, "coaching/client_application_form.html", context)
