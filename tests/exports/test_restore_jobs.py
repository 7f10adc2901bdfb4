"""The restore as a job: one at a time per account, into an empty account only even when two
run at once, its page while it runs, and its upload deleted after a day."""

import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.core.jobs import keep_upload
from followup.exports.archive import export_data, to_json
from followup.exports.models import RestoreJob
from followup.exports.restoring import restore_job_run
from followup.exports.tasks import EXPIRED, delete_stale_restore_uploads
from tests.exports.conftest import rich_account
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def document_of(person) -> bytes:
    return to_json(export_data(person)[0])


def stored_job(owner, content: bytes, **fields) -> RestoreJob:
    """A restore queued as the upload page queues it, its file in the storage."""
    job = RestoreJob(owner=owner, file_name="export.json", **fields)
    keep_upload(job.file, SimpleUploadedFile("export.json", content), suffix=".json")
    job.save()
    return job


def test_a_second_upload_while_one_is_under_way_leads_to_the_first(owner_client, owner, media):
    first = stored_job(owner, b"{}")
    response = owner_client.post(
        reverse("exports:restore"),
        {"file": SimpleUploadedFile("again.json", b'{"schema_version": 1}')},
        follow=True,
    )
    assert response.redirect_chain == [(first.get_absolute_url(), 302)]
    assert "already under way" in response.content.decode()
    assert RestoreJob.objects.count() == 1
    index = owner_client.get(reverse("exports:index")).content.decode()
    assert first.get_absolute_url() in index and 'action="/settings/data/restore/"' not in index


def test_a_restore_lost_for_an_hour_no_longer_blocks_the_next(owner_client, owner, media):
    lost = stored_job(owner, b"{}", created_at=timezone.now() - timedelta(hours=1, minutes=1))
    response = owner_client.post(
        reverse("exports:restore"), {"file": SimpleUploadedFile("again.json", b"{}")}
    )
    lost.refresh_from_db()
    assert lost.status == "failed" and "not run in time" in lost.errors[0]
    assert response["Location"] == RestoreJob.objects.exclude(pk=lost.pk).get().get_absolute_url()


def test_the_form_refuses_an_account_that_has_data(owner_client, owner, media):
    ApplicationFactory(owner=owner)
    response = owner_client.post(
        reverse("exports:restore"), {"file": SimpleUploadedFile("x.json", b"{}")}
    )
    assert response.status_code == 400
    assert "already has applications or contacts" in response.content.decode()
    assert not RestoreJob.objects.exists()


def test_data_added_after_the_upload_keeps_the_restore_out(
    owner, media, django_capture_on_commit_callbacks
):
    source = UserFactory()
    rich_account(source, applications=1)
    job = stored_job(owner, document_of(source))
    ApplicationFactory(owner=owner, organisation="Typed meanwhile")

    with django_capture_on_commit_callbacks(execute=True):
        restore_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "failed" and "already has applications" in job.errors[0]
    mine = Application.objects.filter(owner=owner)
    assert list(mine.values_list("organisation", flat=True)) == ["Typed meanwhile"]
    assert not job.file and not list((media / "restores").iterdir())


@pytest.mark.django_db(transaction=True)
def test_two_restores_racing_into_one_account_write_it_once(owner, media):
    """Two tabs, two jobs, two workers at once: both found the account empty on upload; the
    task's own check, under the account's lock, lets one through."""
    source = UserFactory()
    rich_account(source, applications=2)
    content = document_of(source)
    jobs = [stored_job(owner, content), stored_job(owner, content)]
    start = threading.Barrier(2)
    failures = []

    def run(job):
        try:
            start.wait()
            restore_job_run(job_id=job.pk)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert failures == []
    outcomes = sorted(RestoreJob.objects.values_list("status", flat=True))
    assert outcomes == ["done", "failed"]
    refused = RestoreJob.objects.get(status="failed")
    assert "already has applications" in refused.errors[0]
    assert Application.objects.filter(owner=owner).count() == 2
    assert (
        Contact.objects.filter(owner=owner).count() == Contact.objects.filter(owner=source).count()
    )


def test_a_task_given_twice_restores_once(owner, media):
    source = UserFactory()
    rich_account(source, applications=1)
    job = stored_job(owner, document_of(source))
    restore_job_run(job_id=job.pk)
    restore_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.counts["applications"] == 1
    assert Application.objects.filter(owner=owner).count() == 1


def test_an_upload_left_for_a_day_is_deleted_and_the_restore_fails(owner, media):
    old = stored_job(owner, b"{}", created_at=timezone.now() - timedelta(days=1, minutes=1))
    recent = stored_job(UserFactory(), b"{}")
    storage = old.file.storage

    delete_stale_restore_uploads()

    assert not storage.exists(old.file.name) and storage.exists(recent.file.name)
    old.refresh_from_db()
    assert (old.status, old.file.name, old.errors) == ("failed", "", [EXPIRED])
    recent.refresh_from_db()
    assert recent.status == "queued"


@pytest.mark.parametrize(
    "fields, says, percent",
    [
        ({"status": "queued"}, "Waiting to start", 0),
        ({"status": "checking", "total": 8000, "done": 2000}, "2,000 of 8,000 rows", 12),
        ({"status": "writing", "total": 8000, "done": 4000}, "4,000 of 8,000 rows written", 75),
    ],
)
def test_the_job_page_polls_while_the_restore_runs(owner_client, owner, fields, says, percent):
    job = RestoreJob.objects.create(owner=owner, file_name="followup-export.zip", **fields)
    page = owner_client.get(job.get_absolute_url()).content.decode()
    assert says in page and f'value="{percent}"' in page
    assert f'hx-get="{reverse("exports:restore_progress", args=[job.pk])}"' in page
    block = owner_client.get(reverse("exports:restore_progress", args=[job.pk])).content.decode()
    assert block.lstrip().startswith('<div id="job-status"') and says in block


def test_a_refused_restore_shows_its_problems_and_stops_polling(owner_client, owner):
    problems = [f"applications[{n}]: “status”: not a choice." for n in range(10)]
    job = RestoreJob.objects.create(
        owner=owner, file_name="x.json", status="failed", errors=problems
    )
    page = owner_client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was restored. The first 10 problems in the file:" in page
    assert page.count("not a choice") == 10 and "hx-get" not in page
    RestoreJob.objects.filter(pk=job.pk).update(errors=problems[:3])
    page = owner_client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was restored. 3 problems in the file:" in page


def test_a_restore_job_is_nobody_elses(client, owner, stranger):
    job = RestoreJob.objects.create(owner=owner, file_name="x.json")
    client.force_login(stranger)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("exports:restore_progress", args=[job.pk])).status_code == 404
