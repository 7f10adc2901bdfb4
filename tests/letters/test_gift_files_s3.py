"""Gift files in an S3-compatible bucket: a real S3 server (moto's) on loopback, configured the
way a deployment is, from environment variables through `config.storage.file_storage`.

Every path a file takes is followed into the bucket: the upload through the gift form, the
download through the checked view, a replacement, a deletion, and the orphan clean-up.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import boto3
import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from config.storage import LOCAL, file_storage
from followup.letters.models import Gift
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a small article\n"
KEYS = {"AWS_S3_ACCESS_KEY_ID": "local-key", "AWS_S3_SECRET_ACCESS_KEY": "local-secret"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server on a free port of 127.0.0.1, for the whole session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    client: object
    name: str

    def keys(self) -> set[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listing.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """A fresh bucket, and the app's storage configured for it from the environment."""
    name = f"gifts-{uuid.uuid4().hex[:12]}"
    environment = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "eu-west-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        **KEYS,
    }
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("GIFT_STORAGE", raising=False)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-1",
        aws_access_key_id=KEYS["AWS_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(environ.Env())}
    return Bucket(client=client, name=name)


@pytest.fixture
def letter(owner):
    application = ApplicationFactory(owner=owner)
    return LetterFactory(application=application, contact=ContactFactory(owner=owner))


def upload(client, letter, name="article.pdf", content=PDF, title="An article"):
    data = {"kind": "article", "title": title, "file": SimpleUploadedFile(name, content)}
    response = client.post(reverse("letters:gift", args=[letter.pk]), data)
    assert response.status_code == 302, response.content[:500]
    return Gift.objects.get(letter=letter)


def test_the_environment_chooses_the_bucket(bucket):
    storage = Gift._meta.get_field("file").storage

    assert isinstance(storage, S3Storage)
    assert storage.bucket_name == bucket.name
    assert storage.default_acl == "private"
    assert storage.custom_domain is None
    assert storage.querystring_auth is True


def test_an_upload_goes_to_the_bucket_and_downloads_through_the_checked_view(
    owner_client, letter, bucket
):
    gift = upload(owner_client, letter)

    assert bucket.keys() == {gift.file.name}
    assert gift.file.name.startswith("gifts/") and gift.file.name.endswith(".pdf")
    assert bucket.read(gift.file.name) == PDF
    response = owner_client.get(reverse("letters:gift_file", args=[gift.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="article.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_the_object_is_private(owner_client, letter, bucket):
    gift = upload(owner_client, letter)

    acl = bucket.client.get_object_acl(Bucket=bucket.name, Key=gift.file.name)
    grantees = {grant["Grantee"].get("URI") for grant in acl["Grants"]}
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grantees
    assert {grant["Permission"] for grant in acl["Grants"]} == {"FULL_CONTROL"}


def test_a_stranger_cannot_download_it(owner_client, stranger, letter, bucket, client):
    gift = upload(owner_client, letter)
    client.force_login(stranger)

    assert client.get(reverse("letters:gift_file", args=[gift.pk])).status_code == 404


def test_replacing_the_file_removes_the_old_object(
    owner_client, letter, bucket, django_capture_on_commit_callbacks
):
    first = upload(owner_client, letter).file.name

    with django_capture_on_commit_callbacks(execute=True):
        second = upload(owner_client, letter, name="notes.md", content=b"# Notes").file.name

    assert first != second
    assert bucket.keys() == {second}
    assert bucket.read(second) == b"# Notes"


def test_deleting_the_gift_removes_the_object(
    owner_client, letter, bucket, django_capture_on_commit_callbacks
):
    upload(owner_client, letter)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("letters:gift_delete", args=[letter.pk]))

    assert response.status_code == 302
    assert bucket.keys() == set()


def test_deleting_the_application_removes_the_object(
    owner_client, letter, bucket, django_capture_on_commit_callbacks
):
    upload(owner_client, letter)

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("applications:delete", args=[letter.application_id]))

    assert not Gift.objects.exists()
    assert bucket.keys() == set()


def test_orphans_are_cleaned_from_the_bucket(owner_client, letter, bucket, capsys):
    kept = upload(owner_client, letter).file.name
    bucket.client.put_object(Bucket=bucket.name, Key="gifts/left-behind.txt", Body=b"old")
    bucket.client.put_object(Bucket=bucket.name, Key="gifts/2024/older.txt", Body=b"older")
    bucket.client.put_object(Bucket=bucket.name, Key="elsewhere.txt", Body=b"not a gift")

    call_command("delete_orphan_files", "--dry-run", "--min-age-minutes=0")
    assert "Would delete 2 files" in capsys.readouterr().out
    assert len(bucket.keys()) == 4

    call_command("delete_orphan_files", "--min-age-minutes=0")
    out = capsys.readouterr().out

    assert bucket.keys() == {kept, "elsewhere.txt"}
    assert "gifts/left-behind.txt" in out and "gifts/2024/older.txt" in out


def test_recent_orphans_are_kept(bucket):
    bucket.client.put_object(Bucket=bucket.name, Key="gifts/just-uploaded.txt", Body=b"new")

    call_command("delete_orphan_files")

    assert bucket.keys() == {"gifts/just-uploaded.txt"}
    modified = default_storage.get_modified_time("gifts/just-uploaded.txt")
    assert timezone.now() - modified < timedelta(minutes=5)


def test_s3_needs_a_bucket(monkeypatch):
    monkeypatch.setenv("GIFT_STORAGE", "s3")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        file_storage(environ.Env())


def test_local_disk_without_a_bucket(monkeypatch):
    monkeypatch.delenv("GIFT_STORAGE", raising=False)
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert file_storage(environ.Env()) == LOCAL


def test_an_unknown_storage_is_refused(monkeypatch):
    monkeypatch.setenv("GIFT_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="'local' or 's3'"):
        file_storage(environ.Env())


def test_no_code_reaches_around_the_storage_api():
    """Files are reached only through storage: a path on the local disk exists in no bucket."""
    root = Path(__file__).resolve().parents[2] / "followup"
    around = re.compile(
        r"MEDIA_ROOT|\bos\.path\b|\.path\(|\.file\.path\b|(?<!def )(?<![\w.])open\("
    )
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if around.search(line) and "request.path" not in line
    ]
    assert offenders == []
