"""How long does a spreadsheet import take, per row?

Makes a throwaway PostgreSQL database, a person, and CSV files of N applications (and of N
contacts); times the dry run (`check_sheet`, what the worker's check runs) and the import itself
(`import_job_run`, what the worker runs: every row checked again, then created through
`application_create` in one transaction), and prints wall time and time per row for each size.

    .venv/bin/python bench/imports.py [--rows 500 1000 ...] [--keep]

Progress goes to stderr, figures to stdout. See bench/README.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import create_database, drop_database, log, setup_django

DB_NAME = f"bench_imports_{os.getpid()}"


def applications_csv(count: int, run: int) -> bytes:
    lines = ["Company,Job Title,Status,Date Applied,URL,Location,Salary,Notes"]
    statuses = ["Applied", "interviewing", "Offer", "rejected", "Hired"]
    for n in range(1, count + 1):
        applied = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        salary = f"{40 + n % 20}k-{60 + n % 20}k EUR"
        lines.append(
            f"Company {run}-{n},Engineer {n},{statuses[n % 5]},{applied},"
            f"https://jobs.example/{run}/{n},Lisbon,{salary},Met at a fair"
        )
    return ("\n".join(lines) + "\n").encode()


def contacts_csv(count: int, run: int) -> bytes:
    lines = ["First Name,Last Name,Email Address,Company,Position"]
    for n in range(1, count + 1):
        lines.append(f"Ada{run},Park {n},ada{run}.{n}@example.com,Harbour,Head of Data")
    return ("\n".join(lines) + "\n").encode()


def measure(owner, kind: str, data: bytes) -> tuple[float, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup.imports import services
    from followup.imports.checking import check_sheet
    from followup.imports.columns import guess_mapping
    from followup.imports.forms import UploadForm
    from followup.imports.models import ImportJob, JobStatus
    from followup.imports.running import import_job_run

    form = UploadForm({"kind": kind}, {"file": SimpleUploadedFile("bench.csv", data)})
    assert form.is_valid(), form.errors
    job = services.import_job_create(
        owner=owner, kind=kind, upload=form.cleaned_data["file"], sheet=form.sheet
    )
    mapping = guess_mapping(form.sheet.headers, kind)
    started = time.perf_counter()
    check = check_sheet(owner=owner, kind=kind, sheet=form.sheet, mapping=mapping)
    dry_run = time.perf_counter() - started
    assert check.ok, check.errors[:3]
    ImportJob.objects.filter(pk=job.pk).update(
        mapping={str(i): t for i, t in mapping.items()}, status=JobStatus.QUEUED
    )
    started = time.perf_counter()
    import_job_run(job_id=job.pk)
    wall = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "done" and job.created == len(form.sheet), (job.status, job.errors)
    return dry_run, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 1000])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    create_database(DB_NAME)
    try:
        setup_django(DB_NAME, f"bench.imports.{os.getpid()}")
        from django.conf import settings

        settings.MEDIA_ROOT = Path(settings.BASE_DIR, "var", "bench-media")
        from tests.factories import UserFactory

        owner = UserFactory(email="bench@example.com")
        print(f"{'kind':<13} {'rows':>6} {'dry run s':>10} {'import s':>9} {'ms/row':>7}")
        for run, rows in enumerate(args.rows, start=1):
            for kind, build in (("applications", applications_csv), ("contacts", contacts_csv)):
                log(f"{kind}: {rows} rows")
                dry_run, wall = measure(owner, kind, build(rows, run))
                per_row = wall / rows * 1000
                print(f"{kind:<13} {rows:>6} {dry_run:>10.2f} {wall:>9.2f} {per_row:>7.2f}")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(DB_NAME)


if __name__ == "__main__":
    main()
