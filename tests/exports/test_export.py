"""The full export: what the zip holds, built by a real worker, emailed, downloaded by its
owner only, and gone after its link expires."""

import csv
import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.exports.archive import DATA_NAME
from followup.exports.building import export_build, exports_expire
from followup.exports.models import ExportJob, ExportStatus
from followup.exports.schema import KINDS, SCHEMA_VERSION
from followup.exports.services import export_request
from tests.conftest import links_in
from tests.exports.conftest import PDF, rich_account
from tests.factories import UserFactory


def built_job(owner, django_capture_on_commit_callbacks) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=False):
        job = export_request(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        export_build(job_id=job.pk)
    job.refresh_from_db()
    return job


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_the_zip_holds_every_row_as_json_a_csv_per_kind_and_the_gift_files(
    owner_client, owner, media, mailoutbox, django_capture_on_commit_callbacks
):
    coach = UserFactory(name="Cora Coach", is_coach=True)
    rich_account(owner, coach=coach, applications=2)
    UserFactory()  # and someone else, whose rows must not appear
    rich_account(UserFactory(), applications=1)

    job = built_job(owner, django_capture_on_commit_callbacks)
    response = owner_client.get(reverse("exports:download", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    archive = zip_of(response)
    data = json.loads(archive.read(DATA_NAME))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["account"]["email"] == owner.email
    counts = {kind.key: len(data[kind.key]) for kind in KINDS}
    assert counts == {
        "contacts": 5, "applications": 2, "events": 4, "interviews": 2, "interviewers": 4,
        "follow_ups": counts["follow_ups"], "letters": 4, "gifts": 4, "comments": 2,
    }  # fmt: skip
    assert counts["follow_ups"] >= 4
    assert {c["author"] for c in data["comments"]} == {"Cora Coach"}
    for kind in KINDS:
        rows = list(
            csv.DictReader(io.StringIO(archive.read(f"csv/{kind.key}.csv").decode("utf-8-sig")))
        )
        assert [int(r["id"]) for r in rows] == [r["id"] for r in data[kind.key]]
    [application] = [
        r
        for r in csv.DictReader(
            io.StringIO(archive.read("csv/applications.csv").decode("utf-8-sig"))
        )
    ][:1]
    assert application["notes"].startswith("'=SUM")  # a spreadsheet shows it, does not run it
    assert "reminder_hour" in archive.read("csv/account.csv").decode("utf-8-sig")
    files = [g for g in data["gifts"] if g["file"]]
    assert len(files) == 2
    assert archive.read(files[0]["file"]).startswith(PDF)
    assert files[0]["file"].endswith(".pdf") and "Data quality" in files[0]["file"]
    assert "schema version 1" in archive.read("README.txt").decode()
    [email] = mailoutbox
    assert email.to == [owner.email] and email.subject == "Your followup export is ready"


@pytest.mark.django_db
def test_only_the_owner_downloads_it_and_a_coach_is_refused(
    client, owner, media, django_capture_on_commit_callbacks
):
    from tests.coaching.conftest import coaching_between, make_coach

    rich_account(owner, applications=1)
    job = built_job(owner, django_capture_on_commit_callbacks)
    url = reverse("exports:download", args=[job.pk])
    coach = make_coach(email="coach@example.com")
    coaching_between(coach, owner, "edit")

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(coach)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_expired_link_says_so_and_the_sweep_deletes_its_file(
    owner_client, owner, media, django_capture_on_commit_callbacks
):
    rich_account(owner, applications=1)
    job = built_job(owner, django_capture_on_commit_callbacks)
    stored = media / job.file.name
    assert stored.exists()
    url = reverse("exports:download", args=[job.pk])

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = owner_client.get(url)
    assert response.status_code == 410
    assert "This export link has expired" in response.content.decode()

    assert exports_expire() == 1
    assert not stored.exists()
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.EXPIRED, "")
    assert owner_client.get(url).status_code == 410
    assert exports_expire() == 0


@pytest.mark.django_db
def test_one_export_at_a_time_and_a_lost_one_stops_blocking_after_an_hour(owner_client, owner):
    first = export_request(owner=owner)
    assert export_request(owner=owner) == first
    page = owner_client.get(reverse("exports:index")).content.decode()
    assert "Export being prepared" in page
    response = owner_client.get(reverse("exports:download", args=[first.pk]))
    assert response.status_code == 409

    ExportJob.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))
    second = export_request(owner=owner)
    assert second != first
    first.refresh_from_db()
    assert first.status == ExportStatus.FAILED


@pytest.mark.django_db
def test_an_archive_built_after_its_account_was_deleted_is_not_kept(owner, media):
    job = ExportJob.objects.create(owner=owner)
    owner_id = owner.pk
    owner.delete()
    assert export_build(job_id=job.pk) is None
    assert not ExportJob.objects.filter(owner_id=owner_id).exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


@pytest.mark.worker
def test_a_real_worker_builds_it_and_the_email_link_downloads_it(
    smtp_server, make_worker, client, owner, settings, tmp_path
):
    """Requested through the page; built by a worker process; its emailed link downloads it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://followup.test"
    rich_account(owner, applications=1)
    make_worker(env={"MEDIA_ROOT": str(settings.MEDIA_ROOT), "SITE_URL": settings.SITE_URL})
    client.force_login(owner)

    response = client.post(reverse("exports:request"))
    assert response.status_code == 302
    [message] = smtp_server.wait_for(1, timeout=60)

    assert message.recipients == [owner.email]
    job = ExportJob.objects.get(owner=owner)
    link = f"https://followup.test/settings/data/{job.pk}/download/"
    assert link in links_in(message.text()) and link in message.html()
    download = client.get(link.removeprefix("https://followup.test"))
    assert download.status_code == 200
    data = json.loads(zip_of(download).read(DATA_NAME))
    assert [a["position"] for a in data["applications"]] == ["Engineer 0"]
    assert job.expires_at - job.finished_at == timedelta(days=7)
    time.sleep(0.5)
    assert len(smtp_server.messages) == 1


def test_the_expiry_sweep_is_on_beat(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["export-expiry"]["task"]
        == "followup.exports.tasks.expire_exports"
    )
