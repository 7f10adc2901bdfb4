"""Checking and importing: the dry run writes nothing, a bad row keeps the whole file out, and the
same rows imported twice are created once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from followup.applications.models import Application, ApplicationEvent, EventKind
from followup.contacts.models import Contact
from followup.imports import running, services
from followup.imports.columns import guess_mapping
from followup.imports.models import ImportedRow, ImportJob, JobStatus
from followup.imports.running import import_job_run
from followup.imports.services import sheet_of
from followup.imports.tasks import delete_stale_uploads
from tests.imports.sheets import (
    APPLICATION_HEADERS,
    application_rows,
    applications_csv,
    csv_bytes,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def guessed(job):
    return guess_mapping(sheet_of(job).headers, job.kind)


def test_the_dry_run_reports_each_rows_errors_and_writes_nothing(make_job, owner):
    rows = application_rows(4)
    rows[1][2] = "ghosting me"  # line 3: status
    rows[2][3] = "31/02/2025"  # line 4: date applied
    rows[2][6] = "lots"  # line 4: salary
    rows[3][0] = ""  # line 5: company
    job = make_job(csv_bytes(APPLICATION_HEADERS, rows))

    check = services.import_job_check(job=job, mapping=guessed(job))

    assert [(e.row, e.column) for e in check.errors] == [
        (3, "Status"),
        (4, "Date Applied"),
        (4, "Salary"),
        (5, "Company"),
    ]
    assert check.errors[0].message.startswith("“ghosting me” is not a status followup knows")
    assert check.errors[3].message == "This cell is empty; every row needs its organisation."
    assert [row.number for row in check.ready] == [2]
    assert Application.objects.count() == 0
    assert ImportedRow.objects.count() == 0


def test_an_import_creates_applications_like_any_other(make_job, owner):
    job = make_job(applications_csv(5))

    check = services.import_job_start(job=job, mapping=guessed(job))

    assert check.ok
    job.refresh_from_db()
    assert (job.status, job.created, job.skipped, job.file.name) == ("done", 5, 0, "")
    first = Application.objects.get(organisation="Company 1")
    assert (first.position, first.status, first.applied_on) == (
        "Engineer 1",
        "interviewing",
        date(2025, 2, 2),
    )
    assert (first.posting_url, first.location) == ("https://jobs.example/1", "Lisbon")
    assert (first.salary_min, first.salary_max, first.salary_currency) == (41000, 61000, "EUR")
    assert first.owner == owner
    # The same "recorded" event the form's path writes, with the status it started at.
    [event] = ApplicationEvent.objects.filter(application=first)
    assert (event.kind, event.to_status) == (EventKind.CREATED, "interviewing")
    assert set(Application.objects.values_list("status", flat=True)) == {
        "applied", "interviewing", "offer", "eliminated", "hired",
    }  # fmt: skip


def test_a_bad_row_on_line_500_leaves_nothing_imported(make_job, owner):
    job = make_job(applications_csv(600, bad_at=500))
    job.status = JobStatus.QUEUED  # as a worker runs it
    job.mapping = {str(i): t for i, t in guessed(job).items()}
    job.save()

    check = import_job_run(job_id=job.pk)

    assert [(e.row, e.column) for e in check.errors] == [(500, "Status")]
    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0
    assert ImportedRow.objects.count() == 0
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors == [{"row": 500, "column": "Status", "message": check.errors[0].message}]
    assert job.file.name == ""


def test_a_failure_while_writing_leaves_nothing_either(make_job, owner, monkeypatch):
    job = make_job(applications_csv(50))
    job.mapping = {str(i): t for i, t in guessed(job).items()}
    job.status = JobStatus.QUEUED
    job.save()
    original = running._create_application
    created = []

    def fail_on_the_40th(job, row):
        created.append(row)
        if len(created) == 40:
            raise RuntimeError("the database went away")
        original(job, row)

    monkeypatch.setattr(running, "_create_application", fail_on_the_40th)
    assert import_job_run(job_id=job.pk) is None
    assert Application.objects.count() == 0
    job.refresh_from_db()
    assert job.status == "failed"
    assert "nothing was imported" in job.errors[0]["message"]


def test_importing_the_same_file_twice_creates_nothing_new(make_job, owner):
    data = applications_csv(30)
    first = make_job(data)
    services.import_job_start(job=first, mapping=guessed(first))
    events = ApplicationEvent.objects.count()

    second = make_job(data)
    check = services.import_job_check(job=second, mapping=guessed(second))
    assert (len(check.ready), len(check.already_imported), check.errors) == (0, 30, [])
    services.import_job_start(job=second, mapping=guessed(second))

    second.refresh_from_db()
    assert (second.status, second.created, second.skipped) == ("done", 0, 30)
    assert Application.objects.count() == 30
    assert ApplicationEvent.objects.count() == events


def test_rows_are_recognised_whatever_the_column_order_case_or_spacing(make_job, owner):
    make_job_and_import = lambda data: services.import_job_start(  # noqa: E731
        job=(job := make_job(data)), mapping=guessed(job)
    )
    make_job_and_import(b"Company,Position\nAcme,Data Engineer\n")
    check = make_job_and_import(b"Position;Company\n  data   ENGINEER ;ACME\nAnalyst;Acme\n")
    assert (len(check.ready), check.already_imported) == (1, [2])
    assert Application.objects.count() == 2


def test_a_row_repeated_in_the_file_is_imported_once(make_job, owner):
    job = make_job(b"Company,Position\nAcme,Engineer\nAcme,Engineer\n")
    check = services.import_job_start(job=job, mapping=guessed(job))
    assert (len(check.ready), check.already_imported) == (1, [3])


def test_a_deleted_application_can_be_imported_again(make_job, owner):
    job = make_job(b"Company,Position\nAcme,Engineer\n")
    services.import_job_start(job=job, mapping=guessed(job))
    Application.objects.get().delete()
    assert ImportedRow.objects.count() == 0
    again = make_job(b"Company,Position\nAcme,Engineer\n")
    assert len(services.import_job_start(job=again, mapping=guessed(again)).ready) == 1


def test_another_persons_import_of_the_same_rows_is_theirs(make_job, owner, stranger):
    data = b"Company,Position\nAcme,Engineer\n"
    mine = make_job(data)
    services.import_job_start(job=mine, mapping=guessed(mine))
    theirs = make_job(data, who=stranger)
    assert len(services.import_job_start(job=theirs, mapping=guessed(theirs)).ready) == 1
    assert Application.objects.filter(owner=stranger).count() == 1


def test_an_xlsx_workbook_is_imported(make_job, owner):
    data = xlsx_bytes(
        ["Organisation", "Role", "Applied", "Salary", "Currency", "Notes"],
        [["Acme", "Engineer", date(2025, 1, 31), 50000, "gbp", "=SUM(A1:A3)"]],
    )
    job = make_job(data, name="jobs.xlsx")
    assert job.file.name.endswith(".xlsx")
    services.import_job_start(job=job, mapping=guessed(job))
    application = Application.objects.get()
    assert (application.applied_on, application.salary_min, application.salary_currency) == (
        date(2025, 1, 31), 50000, "GBP",
    )  # fmt: skip
    assert application.notes == "=SUM(A1:A3)"  # a formula is kept as the text it is


def test_a_cp1252_semicolon_file_is_imported(make_job, owner):
    data = "Société;Poste;Statut\nCrème & Co;Ingénieur;Offer\n".encode("cp1252")
    job = make_job(data)
    mapping = {0: "organisation", 1: "position", 2: "status"}
    services.import_job_start(job=job, mapping=mapping)
    assert Application.objects.values_list("organisation", "position", "status").get() == (
        "Crème & Co", "Ingénieur", "offer",
    )  # fmt: skip


def test_a_salary_without_a_currency_is_a_row_error(make_job, owner):
    job = make_job(b"Company,Position,Salary\nAcme,Engineer,45000\n")
    check = services.import_job_check(job=job, mapping=guessed(job))
    assert [(e.row, e.column, e.message) for e in check.errors] == [
        (2, "Salary", "Say which currency the salary is in.")
    ]


def test_contacts_are_imported_from_first_and_last_names(make_job, owner):
    data = csv_bytes(
        ["First Name", "Last Name", "Email Address", "Company", "Position", "URL"],
        [
            [
                "Ada",
                "Park",
                "ada@harbour.example",
                "Harbour",
                "Head of Data",
                "linkedin.com/in/ada",
            ],
            ["Ben", "", "not an address", "Harbour", "", ""],
        ],
    )
    job = make_job(data, kind="contacts")
    check = services.import_job_check(job=job, mapping=guessed(job))
    assert [(e.row, e.column, e.message) for e in check.errors] == [
        (3, "Email Address", "Enter a valid email address.")
    ]
    fixed = make_job(data.replace(b"not an address", b"ben@harbour.example"), kind="contacts")
    services.import_job_start(job=fixed, mapping=guessed(fixed))
    ada = Contact.objects.get(name="Ada Park")
    assert (ada.email, ada.organisation, ada.role, ada.profile_url) == (
        "ada@harbour.example", "Harbour", "Head of Data", "https://linkedin.com/in/ada",
    )  # fmt: skip
    assert Contact.objects.filter(owner=owner).count() == 2


def test_a_large_file_is_queued_for_a_worker(make_job, owner, django_capture_on_commit_callbacks):
    job = make_job(applications_csv(201))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.import_job_start(job=job, mapping=guessed(job)) is None
    # The task ran eagerly once the job was committed as queued.
    assert len(callbacks) >= 1
    job.refresh_from_db()
    assert (job.status, job.created, job.done, job.percent) == ("done", 201, 201, 100)
    assert Application.objects.count() == 201


def test_an_upload_left_for_a_day_is_deleted(make_job, owner):
    old = make_job(b"Company,Position\nAcme,Engineer\n")
    recent = make_job(b"Company,Position\nAcme,Engineer\n")
    a_day_ago = timezone.now() - timedelta(days=1, minutes=1)
    ImportJob.objects.filter(pk=old.pk).update(created_at=a_day_ago)
    storage = old.file.storage
    assert storage.exists(old.file.name)

    delete_stale_uploads()

    assert not storage.exists(old.file.name)
    assert storage.exists(recent.file.name)
    old.refresh_from_db()
    assert (old.status, old.file.name) == ("expired", "")
