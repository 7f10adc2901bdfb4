"""Pages of a spreadsheet import: the upload, the columns (with a dry run), and the progress.

An import writes into its owner's own data only: a coach, whatever the consent, gets 403 on
someone else's import and cannot start one for a client.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from followup.core.access import get_own_or_404

from . import services
from .checking import CheckSummary
from .columns import guess_mapping, targets_for
from .forms import MappingForm, UploadForm
from .models import ImportJob, JobStatus, Kind
from .reading import SheetError

PREVIEW_ROWS = 5
RECENT_JOBS = 5


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    kind = request.GET.get("kind")
    initial = {"kind": kind if kind in Kind.values else Kind.APPLICATIONS}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(
            owner=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            sheet=form.sheet,
        )
        return redirect(job)
    recent = ImportJob.objects.owned_by(request.user)[:RECENT_JOBS]
    context = {"form": form, "recent": recent, "kind": initial["kind"]}
    return render(request, "imports/import_new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    job = get_own_or_404(ImportJob.objects, request.user, pk=pk)
    if job.status != JobStatus.NEW:
        if request.method == "POST":
            if job.is_finished:
                messages.info(request, "This upload is finished: upload the file again to redo it.")
            return redirect(job)
        return render(request, "imports/import_detail.html", {"job": job})
    try:
        sheet = services.sheet_of(job)
    except (SheetError, OSError, ValueError):
        messages.error(request, "The uploaded file can no longer be read; upload it again.")
        return redirect(_new_url(job))
    form = MappingForm(
        request.POST or None,
        kind=job.kind,
        headers=sheet.headers,
        samples=_samples(sheet),
        initial_mapping=job_mapping(job) or guess_mapping(sheet.headers, job.kind),
    )
    importing = request.POST.get("action") == "import"
    check = None
    if request.method == "POST" and form.is_valid():
        if importing:
            check = services.import_job_start(job=job, mapping=form.mapping)
            job.refresh_from_db()
            if job.status != JobStatus.NEW:
                return redirect(job)
        else:
            check = services.import_job_check(job=job, mapping=form.mapping)
            if check is None:  # a worker checks it; the job page follows
                return redirect(job)
    if check is not None:
        summary = check.summary()
    elif job.checked_ready is not None:
        # What the last check (a worker's, or a refused import) found, still true of the file.
        summary = CheckSummary(job.checked_ready, job.skipped, job.errors)
    else:
        summary = None
    context = {
        "job": job,
        "form": form,
        "check": summary,
        "dry_run": not (importing and check is not None),
        "headers": sheet.headers,
        "preview": sheet.rows[:PREVIEW_ROWS],
        "targets": targets_for(job.kind),
    }
    return render(request, "imports/import_mapping.html", context)


@login_required
@require_safe
def import_progress(request, pk):
    """The job's status block alone, which the job page asks for every second until it ends."""
    job = get_own_or_404(ImportJob.objects, request.user, pk=pk)
    if job.status == JobStatus.NEW and request.headers.get("HX-Request"):
        # A worker's check has finished: the mapping page shows what it found.
        return HttpResponse(headers={"HX-Redirect": job.get_absolute_url()})
    return render(request, "imports/_job_status.html", {"job": job})


def job_mapping(job: ImportJob) -> dict[int, str]:
    return {int(index): target for index, target in job.mapping.items()}


def _samples(sheet) -> list[list[str]]:
    """A few distinct values of each column, to tell what it holds. Kept apart, not joined:
    a value may itself hold commas (two phone numbers, a list of notes)."""
    samples = []
    for index in range(len(sheet.headers)):
        seen = []
        for row in sheet.rows:
            if row[index] and row[index] not in seen:
                seen.append(row[index])
            if len(seen) == 3:
                break
        samples.append(seen)
    return samples


def _new_url(job: ImportJob) -> str:
    return f"{reverse('imports:new')}?kind={job.kind}"
