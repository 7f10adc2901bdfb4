"""The pages: upload, choose the columns, check, import; and who may see an import."""

import pytest
from django.urls import reverse

from followup.applications.models import Application
from followup.coaching.models import Level
from followup.imports.models import ImportJob
from tests.coaching.conftest import coaching_between, make_coach
from tests.imports.sheets import (
    APPLICATION_HEADERS,
    application_rows,
    applications_csv,
    csv_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def post_upload(client, data: bytes, *, kind="applications", name="jobs.csv"):
    return client.post(reverse("imports:new"), {"kind": kind, "file": upload(data, name)})


def mapping_post(job, action: str, **overrides) -> dict:
    data = {f"column_{i}": target for i, target in job.mapping.items()} if job.mapping else {}
    return {"action": action, **data, **overrides}


GUESSED = {
    "column_0": "organisation",
    "column_1": "position",
    "column_2": "status",
    "column_3": "applied_on",
    "column_4": "posting_url",
    "column_5": "location",
    "column_6": "salary",
}


def test_the_lists_link_to_the_import(owner_client):
    page = owner_client.get(reverse("applications:list")).content.decode()
    assert f'href="{reverse("imports:new")}?kind=applications"' in page
    page = owner_client.get(reverse("contacts:list")).content.decode()
    assert f'href="{reverse("imports:new")}?kind=contacts"' in page
    page = owner_client.get(reverse("imports:new") + "?kind=contacts")
    assert page.context["form"]["kind"].value() == "contacts"


def test_upload_shows_the_first_rows_and_the_guessed_columns(owner_client, owner):
    response = post_upload(owner_client, applications_csv(12))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.owner, job.kind, job.total, job.file_name) == (
        owner,
        "applications",
        12,
        "jobs.csv",
    )

    page = owner_client.get(job.get_absolute_url())
    assert page.status_code == 200
    form = page.context["form"]
    assert {name: form[name].value() for name in GUESSED} == GUESSED
    html = page.content.decode()
    assert '<li title="Company 1">Company 1</li><li title="Company 2">' in html  # examples
    assert html.count("<tr><td>Company") == 5  # the first rows


def test_a_columns_examples_that_hold_commas_stay_apart(owner_client):
    """Joined with commas, "+44 20 7946 0000, ext. 12" and the next number would read as one
    list of four numbers: each example is its own item."""
    phones = ["+44 20 7946 0000, ext. 12", "555-0100, 555-0101"]
    data = csv_bytes(["Name", "Phone"], [["Ada Park", phones[0]], ["Ben Wu", phones[1]]])
    post_upload(owner_client, data, kind="contacts", name="people.csv")
    page = owner_client.get(ImportJob.objects.get().get_absolute_url())
    assert page.context["form"].samples == [["Ada Park", "Ben Wu"], phones]
    html = page.content.decode()
    for phone in phones:
        assert f'<li title="{phone}">{phone}</li>' in html


def test_a_file_that_cannot_be_read_is_refused_on_the_form(owner_client):
    response = post_upload(owner_client, b"\x00\x01binary", name="photo.png")
    assert response.status_code == 200
    assert "does not look like a CSV or an Excel (.xlsx) file." in response.content.decode()
    assert ImportJob.objects.count() == 0
    response = post_upload(owner_client, applications_csv(10_001))
    assert "more than 10,000 rows" in response.content.decode()


def test_a_field_chosen_twice_or_missing_is_said_on_the_form(owner_client):
    post_upload(owner_client, applications_csv(3))
    job = ImportJob.objects.get()
    response = owner_client.post(
        job.get_absolute_url(), {**GUESSED, "column_1": "organisation", "action": "check"}
    )
    html = response.content.decode()
    assert "“Company” is already imported as Company; choose one of the two." in html
    assert "Choose the column that holds the position." in html
    # What the person chose stays chosen.
    assert response.context["form"]["column_1"].value() == "organisation"


def test_the_dry_run_lists_errors_and_writes_nothing(owner_client):
    rows = application_rows(8)
    rows[5][2] = "on hold"
    post_upload(owner_client, csv_bytes(APPLICATION_HEADERS, rows))
    job = ImportJob.objects.get()

    response = owner_client.post(job.get_absolute_url(), {**GUESSED, "action": "check"})

    html = response.content.decode()
    assert "1 problem to fix first" in html
    assert "<td>7</td>" in html and "“on hold” is not a status followup knows" in html
    assert Application.objects.count() == 0
    job.refresh_from_db()
    assert (job.status, job.mapping) == ("new", {})

    response = owner_client.post(
        job.get_absolute_url(), {**GUESSED, "column_2": "", "action": "check"}
    )
    assert "No problems found" in response.content.decode()
    assert "8 rows will be imported" in response.content.decode()
    assert Application.objects.count() == 0


def test_an_import_with_errors_stays_on_the_mapping_step(owner_client):
    rows = application_rows(3)
    rows[0][0] = ""
    post_upload(owner_client, csv_bytes(APPLICATION_HEADERS, rows))
    job = ImportJob.objects.get()
    response = owner_client.post(job.get_absolute_url(), {**GUESSED, "action": "import"})
    assert response.status_code == 200
    assert "Nothing was imported: 1 problem" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "new" and job.file.name  # to be tried again
    assert Application.objects.count() == 0


def test_a_small_import_is_done_in_the_request(owner_client):
    post_upload(owner_client, applications_csv(20))
    job = ImportJob.objects.get()
    response = owner_client.post(
        job.get_absolute_url(), {**GUESSED, "action": "import"}, follow=True
    )
    html = response.content.decode()
    assert "20 applications imported." in html
    assert "hx-get" not in html  # finished: nothing to poll
    assert Application.objects.count() == 20
    # The imported rows are on the list like any others.
    listing = owner_client.get(reverse("applications:list") + "?state=all").content.decode()
    assert "Company 20" in listing
    # Posting the mapping again imports nothing more.
    again = owner_client.post(job.get_absolute_url(), {**GUESSED, "action": "import"})
    assert again.status_code == 302
    assert Application.objects.count() == 20


def test_a_running_job_page_polls_its_progress(owner_client, owner):
    job = ImportJob.objects.create(
        owner=owner,
        kind="applications",
        file_name="big.csv",
        total=1000,
        done=250,
        status="running",
    )
    html = owner_client.get(job.get_absolute_url()).content.decode()
    progress_url = reverse("imports:progress", args=[job.pk])
    assert f'hx-get="{progress_url}" hx-trigger="every 1s"' in html
    assert '<progress class="job-progress" max="100" value="25"' in html
    assert "250 of 1,000 rows imported" in html
    part = owner_client.get(progress_url)
    assert part.status_code == 200
    assert b"<html" not in part.content and b'value="25"' in part.content


@pytest.mark.parametrize("level", [Level.VIEW, Level.EDIT])
def test_a_coach_cannot_open_or_start_a_clients_import(client, owner, level):
    coach = make_coach(email="coach@example.com")
    coaching_between(coach, owner, level)
    job = ImportJob.objects.create(owner=owner, kind="applications", file_name="a.csv", total=1)
    client.force_login(coach)
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.post(job.get_absolute_url(), {**GUESSED, "action": "import"}).status_code == 403
    assert client.get(reverse("imports:progress", args=[job.pk])).status_code == 403


def test_a_stranger_gets_not_found(stranger_client, owner):
    job = ImportJob.objects.create(owner=owner, kind="applications", file_name="a.csv", total=1)
    assert stranger_client.get(job.get_absolute_url()).status_code == 404
    assert stranger_client.get(reverse("imports:progress", args=[job.pk])).status_code == 404


def test_an_upload_whose_file_is_gone_says_so(owner_client, owner):
    job = ImportJob.objects.create(owner=owner, kind="contacts", file_name="a.csv", total=1)
    response = owner_client.get(job.get_absolute_url(), follow=True)
    assert "The uploaded file can no longer be read; upload it again." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("imports:new") + "?kind=contacts"


def test_a_large_files_dry_run_goes_to_a_worker_and_its_findings_stay(
    owner_client, django_capture_on_commit_callbacks
):
    post_upload(owner_client, applications_csv(300, bad_at=250))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(job.get_absolute_url(), {**GUESSED, "action": "check"})
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    # The worker (eager here) has checked it and given the job back to the mapping step.
    assert (job.status, job.checked_ready, job.skipped) == ("new", 299, 0)
    assert [error["row"] for error in job.errors] == [250]
    assert Application.objects.count() == 0
    # The progress block sends the page back to the mapping step, where the findings are.
    poll = owner_client.get(
        reverse("imports:progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert poll["HX-Redirect"] == job.get_absolute_url()
    html = owner_client.get(job.get_absolute_url()).content.decode()
    assert "1 problem to fix first" in html and "<td>250</td>" in html
    assert response.wsgi_request.user.pk == job.owner_id


def test_a_checking_job_page_polls_its_progress(owner_client, owner):
    job = ImportJob.objects.create(
        owner=owner, kind="applications", file_name="big.csv", total=400, done=100,
        status="checking",
    )  # fmt: skip
    html = owner_client.get(job.get_absolute_url()).content.decode()
    assert "Checking for problems: 100 of 400 rows… Nothing is imported yet." in html
    assert 'hx-trigger="every 1s"' in html
