"""Restoring an export in a real browser, with a real worker: upload the zip, watch the bar move
(and survive a reload), read what was restored and go to the applications; and a refused file's
problems. Screenshots at desktop and phone width."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from followup.applications.models import Application
from followup.exports.archive import export_data, to_json
from followup.exports.models import RestoreJob
from tests.browser_steps import follow_the_job
from tests.conftest import DESKTOP, both_widths, label
from tests.exports.conftest import FOLLOWED, grown, rich_account, zip_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def upload(page, live_server, path) -> None:
    page.goto(live_server.url + reverse("exports:index"))
    page.get_by_label(label("Export file")).set_input_files(str(path))
    page.get_by_role("button", name="Restore").click()
    page.get_by_role("heading", name=f"Restore of {path.name}").wait_for()


def test_restore_an_export_while_the_page_follows_the_worker(
    live_server, page, log_in, owner, make_worker, media, tmp_path, settings
):
    # The whole restore takes a second or two on a quiet machine: the page asks five times a
    # second, so it is seen part-way.
    settings.JOB_POLL_SECONDS = 0.2
    make_worker(env=FOLLOWED | {"MEDIA_ROOT": str(media)})
    source = UserFactory()
    rich_account(source, applications=2)
    data, files = export_data(source)
    path = tmp_path / "followup-export-2026-11-30.zip"
    path.write_bytes(zip_of(grown(data, 3000), files))
    page.set_viewport_size(DESKTOP)
    log_in(owner)

    upload(page, live_server, path)
    seen = follow_the_job(page, screenshots_as="restore-progress")
    assert seen == sorted(seen)
    expect(page.get_by_role("status")).to_contain_text(
        "Restored 3,002 applications, 3,005 contacts, 4 letters and 4 gifts"
    )
    both_widths(page, "restore-done")

    page.get_by_role("link", name="See your applications").click()
    page.get_by_role("heading", name="Applications").first.wait_for()
    assert Application.objects.filter(owner=owner).count() == 3002


def test_a_refused_export_lists_its_problems(
    live_server, page, log_in, owner, make_worker, media, tmp_path
):
    make_worker(env=FOLLOWED | {"MEDIA_ROOT": str(media)})
    source = UserFactory()
    rich_account(source, applications=1)
    data, files = export_data(source)
    document = json.loads(to_json(data))
    for n, row in enumerate(document["contacts"]):
        row["email"] = f"contact number {n} at nowhere"
    document["applications"][0]["status"] = "promoted"
    path = tmp_path / "edited-export.zip"
    path.write_bytes(zip_of(document, files))
    page.set_viewport_size(DESKTOP)
    log_in(owner)

    upload(page, live_server, path)
    expect(page.locator("#job-status")).to_have_attribute("data-status", "failed", timeout=60_000)
    expect(page.get_by_role("alert")).to_contain_text("Nothing was restored")
    expect(page.get_by_role("alert")).to_contain_text("applications[0]: “status”")
    both_widths(page, "restore-refused")
    assert not Application.objects.filter(owner=owner).exists()
    assert RestoreJob.objects.get().status == "failed"
