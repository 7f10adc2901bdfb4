"""A real worker restores an uploaded export while the job row tells how far it has got; and
refuses a bad one, writing nothing."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.exports.archive import export_data, to_json
from followup.exports.models import RestoreJob
from tests.exports.conftest import FOLLOWED, grown, rich_account, zip_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def follow(job: RestoreJob, worker, seconds=180) -> list[tuple[str, int]]:
    """The job's (status, percent) as the page would have seen them, until it is finished."""
    seen = []
    deadline = time.monotonic() + seconds
    while True:
        job.refresh_from_db()
        seen.append((job.status, job.percent))
        if job.is_finished:
            return seen
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)


def test_a_worker_restores_an_uploaded_export_and_the_page_follows_it(
    make_worker, client, owner, media
):
    worker = make_worker(env=FOLLOWED | {"MEDIA_ROOT": str(media)})
    source = UserFactory()
    rich_account(source, applications=2)
    data, files = export_data(source)
    content = zip_of(grown(data, 2500), files)
    client.force_login(owner)

    response = client.post(
        reverse("exports:restore"),
        {"file": SimpleUploadedFile("followup-export.zip", content)},
    )
    job = RestoreJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    stored = job.file.name
    assert job.file.storage.exists(stored)

    seen = follow(job, worker)
    assert (job.status, job.percent, job.errors) == ("done", 100, []), worker.output()
    # The page was told how far the check and the writing had got, while no row was visible.
    assert any(status == "checking" and 0 < pct < 50 for status, pct in seen), seen
    assert any(status == "writing" and 50 <= pct < 100 for status, pct in seen), seen
    assert job.counts["applications"] == 2502 and job.files_restored == 2
    assert Application.objects.filter(owner=owner).count() == 2502
    assert Contact.objects.filter(owner=owner).count() == 2500 + 5
    assert not job.file.storage.exists(stored)  # deleted once finished
    page = client.get(reverse("exports:restore_progress", args=[job.pk])).content.decode()
    assert "Restored 2,502 applications, 2,505 contacts, 4 letters and 4 gifts" in page
    assert "hx-get" not in page and reverse("applications:list") in page


def test_a_refused_file_through_the_worker_writes_nothing_and_says_why(
    make_worker, client, owner, media
):
    worker = make_worker(env=FOLLOWED | {"MEDIA_ROOT": str(media)})
    source = UserFactory()
    rich_account(source, applications=1)
    data, files = export_data(source)
    document = json.loads(to_json(data))
    document["applications"][0]["status"] = "promoted"
    document["contacts"][1]["email"] = "not an address"
    gifts_before = {path.name for path in media.rglob("*") if path.is_file()}
    client.force_login(owner)

    client.post(
        reverse("exports:restore"),
        {"file": SimpleUploadedFile("followup-export.zip", zip_of(document, files))},
    )
    job = RestoreJob.objects.get()
    follow(job, worker)

    assert job.status == "failed", worker.output()
    assert any("applications[0]: “status”" in message for message in job.errors), job.errors
    assert any("contacts[1]: “email”" in message for message in job.errors), job.errors
    assert not Application.objects.filter(owner=owner).exists()
    assert not Contact.objects.filter(owner=owner).exists()
    # No gift file written, and the upload itself deleted.
    assert {path.name for path in media.rglob("*") if path.is_file()} == gifts_before
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was restored" in page and "Upload a corrected file" in page
