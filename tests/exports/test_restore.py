"""Restore: an export goes back into an empty account whole, links and files included, or
not at all. The upload page checks the file's basics; the task (run in-process here, on commit)
checks the rest and writes, and the job page says what happened."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.accounts.services import account_delete
from followup.applications.models import Application, FollowUp
from followup.contacts.models import Contact
from followup.exports.archive import DATA_NAME, export_data, to_json, write_archive
from followup.exports.models import RestoreJob
from followup.exports.restore import RestoreRefused, Upload, read_upload, restore_into
from followup.interviews.models import Interviewer
from followup.letters.models import Gift, Letter
from tests.coaching.conftest import make_coach
from tests.exports.conftest import normalised_dump, rich_account
from tests.factories import PASSWORD, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def archive_of(person) -> bytes:
    out = io.BytesIO()
    write_archive(person, out, storage=Gift._meta.get_field("file").storage)
    return out.getvalue()


def upload(content: bytes, name="followup-export.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def restore(client, django_capture_on_commit_callbacks):
    """Upload `content` as the restore form does and run the task it queues; the job page."""

    def post(content: bytes, name="followup-export.zip", *, who=None):
        if who is not None:
            client.force_login(who)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("exports:restore"), {"file": upload(content, name)})
        assert response.status_code == 302, response.content.decode()[:2000]
        job = RestoreJob.objects.get()
        assert response["Location"] == job.get_absolute_url()
        job.refresh_from_db()
        page = client.get(job.get_absolute_url())
        assert page.status_code == 200
        return job, page.content.decode().replace("&#x27;", "'").replace("&quot;", '"')

    return post


def test_export_delete_sign_up_again_restore_brings_every_row_back_with_its_links(
    client, owner, media, django_capture_on_commit_callbacks, restore
):
    coach = make_coach(email="coach@example.com")
    rich_account(owner, coach=coach, applications=3)
    before = normalised_dump(owner)
    archive = archive_of(owner)
    stored_before = {g.file.name for g in Gift.objects.exclude(file="")}

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=owner)
    assert not Application.objects.exists() and not Contact.objects.exists()
    assert not any((media / name).exists() for name in stored_before)

    client.post(
        reverse("account_signup"),
        {
            "email": "owner@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "UTC",
        },
    )
    newcomer = UserFactory._meta.model.objects.get(email="owner@example.com")
    job, page = restore(archive, who=newcomer)

    assert (job.status, job.errors, job.file.name) == ("done", [], "")
    assert "Restored 3 applications, 7 contacts, 6 letters and 6 gifts" in page
    assert "not in the upload" not in page and "hx-get" not in page
    assert not list((media / "restores").iterdir())  # the upload is deleted once restored
    newcomer.refresh_from_db()
    assert normalised_dump(newcomer) == before
    # Every count the person would look for, and the links checked from the other side too.
    assert Application.objects.filter(owner=newcomer).count() == 3
    assert Interviewer.objects.filter(interview__application__owner=newcomer).count() == 6
    letter = Letter.objects.get(
        application__owner=newcomer, gift__kind="article", application__position="Engineer 0"
    )
    assert letter.follow_up.letter == letter and letter.interview.application == letter.application
    gift = letter.gift
    assert gift.file.read().startswith(b"%PDF") and gift.file.name not in stored_before
    intro = Gift.objects.get(letter__application=letter.application, kind="introduction")
    assert intro.introduced_contact.owner == newcomer
    assert (
        FollowUp.objects.filter(application__owner=newcomer, status="pending")
        .exclude(remind_at=None)
        .exists()
    )


def test_a_restore_refuses_an_account_that_already_has_data(owner, media):
    rich_account(owner, applications=1)
    document = Upload(json.loads(to_json(export_data(owner)[0])), None)
    count = Application.objects.count()

    with pytest.raises(RestoreRefused, match="already has applications"):
        restore_into(owner=owner, upload=document)
    assert Application.objects.count() == count


def test_the_json_alone_restores_everything_but_the_files_and_says_so(owner, media, restore):
    source = UserFactory()
    rich_account(source, applications=1)
    document = to_json(export_data(source)[0])

    job, page = restore(document, "export.json", who=owner)
    assert "1 gift file was not in the upload" in page
    assert "Restored 1 application, 3 contacts, 2 letters and 2 gifts" in page
    assert Gift.objects.filter(letter__application__owner=owner).count() == 2
    assert not Gift.objects.filter(letter__application__owner=owner).exclude(file="").exists()


def broken(document: dict, change) -> bytes:
    change(document)
    return to_json(document)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(schema_version=99), "schema version 99"),
        (lambda d: d.update(schema_version="1"), "schema version 1; this site reads"),
        (lambda d: d.pop("schema_version"), "no schema_version"),
        (lambda d: d["applications"][0].update(status="promoted"), "applications[0]: “status”"),
        (
            lambda d: d["applications"][0].update(applied_on="31/02/2026"),
            "applications[0]: “applied_on”",
        ),
        (lambda d: d["interviews"][0].update(application=424242), "names applications 424242"),
        (lambda d: d["follow_ups"][0].update(letter=424242), "names letters 424242"),
        (lambda d: d["contacts"][0].update(email="not an address"), "contacts[0]: “email”"),
        (lambda d: d["contacts"][1].update(id=d["contacts"][0]["id"]), "used once in contacts"),
        (lambda d: d.update(letters={"a": 1}), "letters: expected a list"),
        (lambda d: d["account"].update(time_zone="Mars/Olympus"), "account: “time_zone”"),
        (lambda d: d["gifts"].append(dict(d["gifts"][0], id=999)), "contradict each other"),
    ],
)
def test_a_bad_file_writes_nothing_and_says_where(owner, media, restore, change, message):
    source = UserFactory()
    rich_account(source, applications=1)
    document = json.loads(to_json(export_data(source)[0]))
    files_before = sorted(p.name for p in media.rglob("*") if p.is_file())

    job, page = restore(broken(document, change), "x.json", who=owner)

    assert job.status == "failed" and "Nothing was restored" in page
    assert message in page
    assert not Application.objects.filter(owner=owner).exists()
    assert not Contact.objects.filter(owner=owner).exists()
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files_before


@pytest.mark.parametrize(
    "content",
    [b"not json at all", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"[" * 100_000, b"", b"PK\x03\x04"],
)
def test_what_is_not_an_export_is_refused_by_the_form(owner_client, owner, media, content):
    response = owner_client.post(reverse("exports:restore"), {"file": upload(content, "a.json")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "not a followup export" in page or "The submitted file is empty" in page
    assert not RestoreJob.objects.exists() and not Application.objects.filter(owner=owner).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"schema_version": 1, "applications": [', "not a followup export"),
        (b"{" + b"[" * 100_000, "not a followup export"),
        (b'{"no": "version"}', "no schema_version"),
    ],
)
def test_what_only_reading_it_whole_shows_wrong_is_refused_by_the_task(
    owner, media, restore, content, message
):
    job, page = restore(content, "a.json", who=owner)
    assert job.status == "failed" and message in page
    assert not Application.objects.filter(owner=owner).exists()


def test_a_zip_without_the_document_is_refused(owner_client, owner):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("something.txt", "hello")
    response = owner_client.post(reverse("exports:restore"), {"file": upload(out.getvalue())})
    assert response.status_code == 400
    assert f"no {DATA_NAME}" in response.content.decode()


def test_a_gift_file_the_site_would_not_accept_is_refused(owner, media, restore):
    source = UserFactory()
    rich_account(source, applications=1)
    data, files = export_data(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(DATA_NAME, to_json(data))
        for path in files:
            archive.writestr(path, b"MZ this is no PDF")
    job, page = restore(out.getvalue(), who=owner)
    assert job.status == "failed" and "does not match" in page
    assert not Application.objects.filter(owner=owner).exists()


def test_read_upload_reads_both_forms(owner, media):
    rich_account(owner, applications=1)
    archive = archive_of(owner)
    from_zip = read_upload(io.BytesIO(archive))
    from_json = read_upload(io.BytesIO(to_json(export_data(owner)[0])))
    assert from_zip.archive is not None and from_json.archive is None
    assert from_zip.data["schema_version"] == from_json.data["schema_version"] == 1


def test_the_restore_form_is_offered_to_an_empty_account_only(owner_client, owner):
    assert b'action="/settings/data/restore/"' in owner_client.get(reverse("exports:index")).content
    ApplicationFactory(owner=owner)
    page = owner_client.get(reverse("exports:index")).content.decode()
    assert "already has applications or contacts" in page
    assert 'action="/settings/data/restore/"' not in page


def test_a_damaged_zip_is_refused_by_the_task_not_a_server_error(owner, media, restore):
    source = UserFactory()
    rich_account(source, applications=1)
    document = to_json(export_data(source)[0])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(DATA_NAME, document)
    content = bytearray(out.getvalue())
    # A byte of the document changed past its start: only reading it whole finds the bad CRC.
    at = content.index(document[-200:])
    content[at] ^= 0x20

    job, page = restore(bytes(content), who=owner)
    assert job.status == "failed" and "This zip is damaged" in page
    assert not Application.objects.filter(owner=owner).exists()
