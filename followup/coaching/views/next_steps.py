"""Next steps: a coach sets one on a client's page; the job seeker marks it done on theirs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from followup.applications.models import Application
from followup.core.access import commentable_owner_ids, get_own_or_404, get_visible_or_404

from .. import selectors
from ..forms import NextStepForm
from ..models import NextStep
from ..services import next_steps
from .coach import render_client_page


@login_required
@require_POST
def next_step_add(request, pk):
    """A coach at the "comment" level or above sets a next step for their client."""
    client = selectors.client_visible_to(request.user, pk)
    if client.pk not in commentable_owner_ids(request.user):
        raise PermissionDenied("Your access lets you read, not set next steps.")
    applications = Application.objects.visible_to(request.user).owned_by(client).open()
    form = NextStepForm(request.POST, applications=applications)
    if not form.is_valid():
        return render_client_page(request, client, status=400, step_form=form)
    next_steps.next_step_set(
        coach=request.user, client=client, path=request.path, **form.cleaned_data
    )
    messages.success(request, f"Next step set for {client.display_name}.")
    return redirect("coaching:client", client.pk)


@login_required
@require_POST
def next_step_done(request, pk):
    """The job seeker marks a step done: htmx swaps the row in place; a plain form comes back."""
    step = get_own_or_404(
        NextStep.objects.select_related("set_by", "application"), request.user, pk=pk
    )
    next_steps.next_step_done(step=step)
    if request.headers.get("HX-Request"):
        # The row, and the heading's count of open steps (swapped out of band).
        open_count = NextStep.objects.open().filter(client=request.user).count()
        return render(
            request, "coaching/_next_step_done.html", {"step": step, "open_count": open_count}
        )
    messages.success(request, "Marked done.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and back:
        return redirect(back)
    return redirect("home")


@login_required
@require_POST
def next_step_withdraw(request, pk):
    """The coach who set an open step takes it back."""
    step = get_visible_or_404(NextStep.objects, request.user, request=request, pk=pk)
    next_steps.next_step_withdraw(step=step, coach=request.user, path=request.path)
    messages.success(request, "Next step withdrawn.")
    return redirect("coaching:client", step.client_id)
