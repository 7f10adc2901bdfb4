from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from followup.core.access import get_own_or_404, get_owned_or_404

from .forms import RestoreForm
from .models import ExportJob, RestoreJob
from .restore import RestoreRefused, account_is_empty
from .services import export_request, restore_job_start, restore_under_way


def _index(request, *, form=None, refusal=None, status=200):
    jobs = ExportJob.objects.owned_by(request.user)[:10]
    context = {
        "jobs": jobs,
        "pending": any(job.status == "pending" for job in jobs),
        "form": form or RestoreForm(),
        "can_restore": account_is_empty(request.user),
        "restoring": restore_under_way(request.user),
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
    """Keep the upload and hand it to a worker; the job page follows the restore.

    Every restore goes through the worker, small ones too: a file's size says little of the work
    in it (a 2 MB zip can hold thousands of rows), and one path is one page to know and test.
    """
    under_way = restore_under_way(request.user)
    if under_way is not None:
        messages.info(request, "A restore is already under way: here is where it is.")
        return redirect(under_way)
    form = RestoreForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form=form, status=400)
    try:
        job = restore_job_start(owner=request.user, upload=form.cleaned_data["file"])
    except RestoreRefused as refusal:
        return _index(request, form=form, refusal=refusal.messages, status=400)
    return redirect(job)


@login_required
@require_safe
def restore_detail(request, pk):
    job = get_owned_or_404(RestoreJob.objects, request.user, pk=pk)
    return render(request, "exports/restore_detail.html", {"job": job})


@login_required
@require_safe
def restore_progress(request, pk):
    """The job's status block alone, which the job page asks for every second until it ends."""
    job = get_owned_or_404(RestoreJob.objects, request.user, pk=pk)
    return render(request, "exports/_restore_status.html", {"job": job})
