"""Gift files live as long as their row: every way a gift goes deletes its file, after commit."""

import importlib
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import clear_url_caches, reverse

import config.urls
from followup.letters import services
from followup.letters.models import Gift
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory, gift_with_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def letter(owner):
    application = ApplicationFactory(owner=owner)
    return LetterFactory(application=application, contact=ContactFactory(owner=owner))


@pytest.fixture
def gift(letter):
    return gift_with_file(letter)


def stored(name: str) -> bool:
    return default_storage.exists(name)


def test_deleting_a_gift_deletes_its_file(
    owner_client, letter, gift, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("letters:gift_delete", args=[letter.pk]))
    assert response.status_code == 302
    assert not Gift.objects.exists()
    assert not stored(gift.file.name)


def test_replacing_a_gifts_file_deletes_the_old_one(
    owner_client, letter, gift, django_capture_on_commit_callbacks
):
    data = {"kind": "article", "title": "New notes", "file": SimpleUploadedFile("new.md", b"# New")}
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("letters:gift", args=[letter.pk]), data)
    assert response.status_code == 302
    replaced = Gift.objects.get()
    assert replaced.file.name != gift.file.name and stored(replaced.file.name)
    assert not stored(gift.file.name)


def test_clearing_a_gifts_file_deletes_it(
    owner_client, letter, gift, django_capture_on_commit_callbacks
):
    data = {"kind": "link", "url": "https://example.com/", "file-clear": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("letters:gift", args=[letter.pk]), data)
    assert response.status_code == 302
    assert not Gift.objects.get().file
    assert not stored(gift.file.name)


def test_editing_a_gift_without_a_new_file_keeps_its_file(
    owner_client, letter, gift, django_capture_on_commit_callbacks
):
    data = {"kind": "article", "title": "Renamed"}
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("letters:gift", args=[letter.pk]), data)
    assert Gift.objects.get().title == "Renamed"
    assert stored(gift.file.name)


def test_deleting_a_letter_deletes_its_gift_file(
    owner_client, letter, gift, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("letters:delete", args=[letter.pk]))
    assert not stored(gift.file.name)


def test_deleting_an_application_deletes_its_letters_gift_files(
    owner_client, letter, gift, django_capture_on_commit_callbacks
):
    other = gift_with_file(LetterFactory(application=letter.application, contact=letter.contact))
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("applications:delete", args=[letter.application_id]))
    assert not stored(gift.file.name) and not stored(other.file.name)


def test_deleting_the_person_deletes_their_gift_files(
    owner, stranger, gift, django_capture_on_commit_callbacks
):
    theirs = gift_with_file(LetterFactory(application=ApplicationFactory(owner=stranger)))
    with django_capture_on_commit_callbacks(execute=True):
        owner.delete()
    assert not stored(gift.file.name)
    assert stored(theirs.file.name)


def test_a_rolled_back_delete_keeps_the_file(letter, gift, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        letter.application.delete()
        raise RuntimeError("something after the delete failed")
    assert callbacks == []
    assert Gift.objects.filter(pk=gift.pk).exists() and stored(gift.file.name)


def test_a_rolled_back_replacement_keeps_the_old_file(
    letter, gift, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        gift.file = ""
        services.gift_save(gift=gift)
        raise RuntimeError("something after the save failed")
    assert callbacks == []
    assert stored(Gift.objects.get().file.name)


# --- Files left by older versions ---------------------------------------------------------------


def orphan(name: str, *, age_seconds: int = 0) -> str:
    saved = default_storage.save(f"gifts/{name}", SimpleUploadedFile(name, b"left behind"))
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(default_storage.path(saved), (then, then))
    return saved


def test_the_command_deletes_old_orphans_and_keeps_referenced_and_recent_files(gift, capsys):
    old = orphan("old.txt", age_seconds=2 * 24 * 3600)
    fresh = orphan("fresh.txt")  # its row may not have committed yet
    os.utime(default_storage.path(gift.file.name), (0, 0))  # old, but referenced
    call_command("delete_orphan_files")
    out = capsys.readouterr().out
    assert not stored(old) and old in out
    assert stored(fresh) and stored(gift.file.name)
    assert "Deleted 1 file" in out


def test_the_command_dry_run_only_lists(gift, capsys):
    old = orphan("old.txt", age_seconds=2 * 24 * 3600)
    call_command("delete_orphan_files", "--dry-run")
    out = capsys.readouterr().out
    assert old in out and "Would delete 1 file" in out
    assert stored(old) and stored(gift.file.name)


def test_the_command_age_can_be_shortened(gift, capsys):
    fresh = orphan("fresh.txt")
    call_command("delete_orphan_files", "--min-age-minutes=0")
    assert not stored(fresh) and stored(gift.file.name)


# --- Served only through the checked view ---------------------------------------------------------


@pytest.fixture
def debug_urls(settings):
    """The URL configuration as `DEBUG = True` builds it, put back afterwards."""
    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(config.urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(config.urls)


@pytest.mark.parametrize("who", ["owner", "stranger", "anonymous"])
def test_media_urls_are_not_served_even_with_debug_on(client, request, gift, debug_urls, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert gift.file.url == f"/media/{gift.file.name}"
    assert client.get(gift.file.url).status_code == 404


def test_the_checked_view_still_serves_the_owner_with_debug_on(owner_client, gift, debug_urls):
    response = owner_client.get(reverse("letters:gift_file", args=[gift.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"notes"
