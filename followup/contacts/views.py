import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import RestrictedError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from followup.calendars.services import contact_changed
from followup.coaching.models import AccessAction
from followup.core.access import get_editable_or_404, get_visible_or_404, record_change
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Letter

from .forms import ContactForm, ContactSearchForm
from .models import Contact

PAGE_SIZE = 25


@login_required
@require_safe
def contact_list(request):
    search = ContactSearchForm(request.GET)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    contacts = (
        Contact.objects.visible_to(request.user)
        .owned_by(request.user)
        .search(q.strip())
        .order_by("name", "pk")
    )
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contacts/contact_list.html", {"search": search, "q": q, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.owner = request.user
        contact = form.save()
        messages.success(request, f"{contact.name} was added to your contacts.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form})


@login_required
@require_safe
def contact_detail(request, pk):
    contact = get_visible_or_404(Contact.objects, request.user, request=request, pk=pk)
    # Interviewers and letters are reached through interviews and letters the viewer may see, so
    # a contact shared by mistake across owners never leaks the other owner's interviews.
    interviewers = (
        Interviewer.objects.filter(
            contact=contact, interview__in=Interview.objects.visible_to(request.user)
        )
        .select_related("interview__application")
        .order_by("-interview__scheduled_at")
    )
    letters = (
        Letter.objects.visible_to(request.user)
        .filter(contact=contact)
        .select_related("application")
        .order_by("-sent_on", "-created_at")
    )
    return render(
        request,
        "contacts/contact_detail.html",
        {"contact": contact, "interviewers": interviewers, "letters": letters},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_update(request, pk):
    contact = get_editable_or_404(Contact.objects, request.user, request=request, pk=pk)
    # A form writes onto its instance even when invalid; the headings keep the stored name.
    form = ContactForm(request.POST or None, instance=copy.copy(contact))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            contact_changed(contact=contact, fields=set(form.changed_data))
        record_change(request.user, contact, AccessAction.EDITED)
        messages.success(request, "The contact was saved.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk):
    contact = get_editable_or_404(Contact.objects, request.user, request=request, pk=pk)
    if request.method == "POST":
        try:
            contact.delete()
        except RestrictedError:
            # Letters keep their recipient: a sent letter must still say to whom it went.
            messages.error(request, _protected_message(contact))
            return redirect(contact)
        record_change(request.user, contact, AccessAction.DELETED)
        messages.success(request, f"{contact.name} was deleted.")
        if contact.owner_id != request.user.pk:
            # A coach's contacts are their own: back to the client's workspace instead.
            return redirect("coaching:client", contact.owner_id)
        return redirect("contacts:list")
    blocked = contact.letters.exists() or contact.introductions.exists()
    context = {
        "contact": contact,
        "blocked_message": _protected_message(contact) if blocked else "",
        "interview_count": Interviewer.objects.filter(contact=contact).count(),
    }
    return render(request, "contacts/contact_confirm_delete.html", context)


def _protected_message(contact: Contact) -> str:
    return (
        f"{contact.name} cannot be deleted: letters you wrote refer to them, as recipient or "
        "as a person introduced in a gift. Delete those letters first, or keep the contact."
    )
