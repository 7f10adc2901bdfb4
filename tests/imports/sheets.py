"""Spreadsheets for the import tests, built in memory."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

APPLICATION_HEADERS = [
    "Company", "Job Title", "Status", "Date Applied", "URL", "Location", "Salary",
]  # fmt: skip
STATUSES = ["Applied", "interviewing", "Offer", "rejected", "Hired"]


def application_rows(count: int, *, bad_at: int | None = None, prefix: str = "Company") -> list:
    """`count` valid rows; with `bad_at`, the row on that spreadsheet line (the header is line 1)
    has a status followup does not know."""
    rows = []
    for n in range(1, count + 1):
        line = n + 1
        rows.append(
            [
                f"{prefix} {n}",
                f"Engineer {n}",
                "maybe later" if line == bad_at else STATUSES[n % len(STATUSES)],
                f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
                f"https://jobs.example/{n}",
                "Lisbon",
                f"{40 + n % 20}k-{60 + n % 20}k EUR",
            ]
        )
    return rows


def csv_bytes(headers: list, rows: list, *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(headers: list, rows: list) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "applications.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def applications_csv(count: int, **options) -> bytes:
    return csv_bytes(APPLICATION_HEADERS, application_rows(count, **options))
