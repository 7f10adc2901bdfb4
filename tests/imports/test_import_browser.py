"""Importing a spreadsheet in a real browser, with a real worker: choose the columns, check,
import 1,000 rows while the progress bar moves (and survives a reload), then find them listed."""

import re

import pytest

from followup.applications.models import Application
from followup.imports.models import ImportJob
from tests.browser_steps import follow_the_job, landed_on
from tests.conftest import DESKTOP, both_widths, label
from tests.imports.sheets import application_rows, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Headers as people write them: "When" is not guessed and must be chosen by hand.
HEADERS = ["Employer", "Job", "Stage", "When", "Link", "Where", "Pay", "Misc"]


def sheet(tmp_path, name: str, rows: list) -> str:
    path = tmp_path / name
    path.write_bytes(csv_bytes(HEADERS, [[*row, "from the fair"] for row in rows]))
    return str(path)


def upload(page, live_server, path: str, *, screenshots: bool = False) -> None:
    page.goto(live_server.url + "/applications/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("heading", name="Import from a spreadsheet").wait_for()
    if screenshots:
        both_widths(page, "imports-upload")
    page.get_by_label(label("Spreadsheet")).set_input_files(path)
    page.get_by_role("button", name="Upload and choose columns").click()
    page.get_by_role("heading", name="Choose what each column holds").wait_for()


def test_import_a_thousand_rows_through_the_mapping_step(
    live_server, page, log_in, owner, make_worker, _media, tmp_path
):
    make_worker(env={"MEDIA_ROOT": str(_media)})
    page.set_viewport_size(DESKTOP)
    log_in(owner)

    # A small file with mistakes: the dry run lists them by row and column, and writes nothing.
    rows = application_rows(12)
    rows[2][2] = "on hold"
    rows[6][3] = "31/02/2025"
    rows[9][0] = ""
    upload(page, live_server, sheet(tmp_path, "mistakes.csv", rows), screenshots=True)
    page.get_by_label("Import “When” as").select_option(label="Date applied")
    both_widths(page, "imports-mapping")
    page.get_by_role("button", name="Check for problems").click()
    problems = page.locator("#check")
    landed_on(problems.get_by_role("heading", name="3 problems to fix first"))
    cells = problems.locator("tbody tr").all_inner_texts()
    assert [re.split(r"\s+", text.strip(), maxsplit=2)[:2] for text in cells] == [
        ["4", "Stage"], ["8", "When"], ["11", "Employer"],
    ]  # fmt: skip
    both_widths(page, "imports-dry-run-errors")
    assert Application.objects.count() == 0

    # The real file: 1,000 rows, checked by the worker, then imported by it.
    upload(page, live_server, sheet(tmp_path, "applications.csv", application_rows(1000)))
    page.get_by_label("Import “When” as").select_option(label="Date applied")
    page.get_by_role("button", name="Check for problems").click()
    page.get_by_role("heading", name="No problems found").wait_for(timeout=120_000)
    assert page.get_by_label("Import “When” as").input_value() == "applied_on"
    page.get_by_role("button", name="Import 1,000 rows").click()
    # The import's page shows its bar from the start (a restore's only once it is checked).
    page.locator("progress.job-progress").wait_for()
    seen = follow_the_job(page, screenshots_as="imports-progress")
    assert seen == sorted(seen)
    assert int(page.locator("progress.job-progress").get_attribute("value")) == 100
    page.get_by_text("1,000 applications imported.").wait_for()
    both_widths(page, "imports-done")

    page.get_by_role("link", name="See your applications").click()
    landed_on(page.get_by_text("1000 applications").first)
    assert (
        page.get_by_role("link", name="Company 1000").count()
        + page.get_by_role("link", name=re.compile("Engineer")).count()
        > 0
    )
    assert Application.objects.filter(owner=owner).count() == 1000
    assert ImportJob.objects.get(file_name="applications.csv").status == "done"
