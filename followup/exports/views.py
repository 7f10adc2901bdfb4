from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from followup.core.access import get_own_or_404

from .forms import RestoreForm
from .models import ExportJob
from .restore import RestoreRefused, account_is_empty, read_upload, restore_into
from .services import export_request


def _index(request, *, form=None, refusal=None, status=200):
    jobs = ExportJob.objects.owned_by(request.user)[:10]
    context = {
        "jobs": jobs,
        "pending": any(job.status == "pending" for job in jobs),
        "form": form or RestoreForm(),
        "can_restore": account_is_empty(request.user),
        "refusal": refusal,
        "link_days": settings.EXPORT_LINK_DAYS,
    }
    return render(request, "exports/export_list.html", context, status=status)


@login_required
@require_safe
def index(request):
    return _index(request)


@login_required
@require_POST
def request_export(request):
    export_request(owner=request.user)
    messages.success(
        request, "Your export is being prepared. We will email you a link when it is ready."
    )
    return redirect("exports:index")


@login_required
@require_safe
def download(request, pk):
    job = get_own_or_404(ExportJob.objects, request.user, pk=pk)
    if job.is_expired():
        context = {"job": job, "link_days": settings.EXPORT_LINK_DAYS}
        return render(request, "exports/export_expired.html", context, status=410)
    if not job.is_downloadable:
        return render(request, "exports/export_not_ready.html", {"job": job}, status=409)
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def restore(request):
    form = RestoreForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form=form, status=400)
    try:
        result = restore_into(owner=request.user, upload=read_upload(form.cleaned_data["file"]))
    except RestoreRefused as refusal:
        return _index(request, form=form, refusal=refusal.messages, status=400)
    restored = result.counts
    summary = (
        f"Restored {restored.get('applications', 0)} applications, "
        f"{restored.get('contacts', 0)} contacts, {restored.get('letters', 0)} letters and "
        f"{restored.get('gifts', 0)} gifts."
    )
    if result.files_missing:
        summary += (
            f" {result.files_missing} gift files were not in the upload: restore from the .zip "
            "to bring them back."
        )
    messages.success(request, summary)
    return redirect("applications:list")
