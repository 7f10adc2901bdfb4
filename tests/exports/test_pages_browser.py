"""The export page, the export email and the delete confirmation, at desktop and phone width:
a person prepares an export and downloads it, and deletes their account from the settings."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from followup.accounts.models import User
from followup.exports.building import export_ready_email
from followup.exports.models import ExportJob
from tests.conftest import screenshot
from tests.exports.conftest import rich_account
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("width", WIDTHS)
def test_preparing_and_downloading_an_export(live_server, page, log_in, owner, media, width):
    page.set_viewport_size(WIDTHS[width])
    rich_account(owner, applications=2)
    log_in(owner)
    page.goto(live_server.url + reverse("accounts:profile"))
    page.get_by_role("link", name="Export my data").last.click()
    expect(page.get_by_role("heading", name="Export my data")).to_be_visible()

    page.get_by_role("button", name="Prepare a new export").click()
    # The eager task built it as the request committed: the list shows its link.
    expect(page.get_by_text("Your export is being prepared")).to_be_visible()
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert re.fullmatch(r"followup-export-\d{4}-\d\d-\d\d\.zip", download.value.suggested_filename)
    screenshot(page, f"export-page-{width}")

    job = ExportJob.objects.get(owner=owner)
    email = export_ready_email(job)
    # The email in a tab of its own, blank: a mail program shows it without the site's policy.
    reader = page.context.new_page()
    reader.set_viewport_size(WIDTHS[width])
    reader.set_content(email.alternatives[0][0])
    expect(reader.get_by_role("link", name="Download your export")).to_be_visible()
    screenshot(reader, f"export-email-{width}")
    reader.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_deleting_the_account_from_the_settings(live_server, page, log_in, owner, media, width):
    page.set_viewport_size(WIDTHS[width])
    rich_account(owner, applications=2)
    log_in(owner)
    page.goto(live_server.url + reverse("accounts:profile"))
    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    screenshot(page, f"settings-{width}")
    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    expect(page.get_by_text("2 applications with their timeline")).to_be_visible()
    screenshot(page, f"delete-confirmation-{width}")

    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert User.objects.filter(pk=owner.pk).exists()
    screenshot(page, f"delete-wrong-password-{width}")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    screenshot(page, f"account-deleted-{width}")
    assert not User.objects.filter(pk=owner.pk).exists()
    page.goto(live_server.url + reverse("accounts:profile"))
    assert "/accounts/login/" in page.url
