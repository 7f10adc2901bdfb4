"""A real worker imports a large file while the job row tells how far it has got."""

import time

import pytest
from django.urls import reverse

from followup.applications.models import Application, ApplicationEvent
from followup.imports.models import ImportJob
from tests.imports.sheets import applications_csv, upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GUESSED = {
    "column_0": "organisation",
    "column_1": "position",
    "column_2": "status",
    "column_3": "applied_on",
    "column_4": "posting_url",
    "column_5": "location",
    "column_6": "salary",
}


def test_a_worker_imports_a_large_file_and_the_progress_reaches_100(
    make_worker, owner_client, _media
):
    worker = make_worker(env={"MEDIA_ROOT": str(_media)})
    owner_client.post(
        reverse("imports:new"), {"kind": "applications", "file": upload(applications_csv(1500))}
    )
    job = ImportJob.objects.get()
    stored = job.file.name

    response = owner_client.post(job.get_absolute_url(), {**GUESSED, "action": "import"})
    assert response["Location"] == job.get_absolute_url()

    seen = []
    deadline = time.monotonic() + 120
    while True:
        job.refresh_from_db()
        seen.append((job.status, job.percent))
        if job.is_finished:
            break
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)
    assert (job.status, job.created, job.percent) == ("done", 1500, 100), job.errors
    # The count moved while the rows were still invisible to everyone else.
    assert any(status == "running" and 0 < percent < 100 for status, percent in seen), seen
    assert Application.objects.filter(owner=job.owner).count() == 1500
    assert ApplicationEvent.objects.filter(application__owner=job.owner).count() == 1500
    assert not job.file.storage.exists(stored)  # deleted once finished
    page = owner_client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "1,500 applications imported." in page and "hx-get" not in page


def test_while_importing_nothing_is_visible_then_everything_is(make_worker, owner_client, _media):
    make_worker(env={"MEDIA_ROOT": str(_media)})
    owner_client.post(
        reverse("imports:new"), {"kind": "applications", "file": upload(applications_csv(600))}
    )
    job = ImportJob.objects.get()
    owner_client.post(job.get_absolute_url(), {**GUESSED, "action": "import"})
    deadline = time.monotonic() + 120
    counts = set()
    while not ImportJob.objects.get(pk=job.pk).is_finished:
        counts.add(Application.objects.count())
        assert time.monotonic() < deadline
        time.sleep(0.05)
    counts.add(Application.objects.count())
    assert counts <= {0, 600} and 600 in counts
