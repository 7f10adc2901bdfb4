"""Reading an uploaded spreadsheet (CSV or .xlsx) into a header and rows of text, within limits.

Whatever arrives (empty, binary, another encoding, semicolons, a zip that is not a workbook),
the answer is a `Sheet` or a `SheetError` whose message can be shown as it is. Cells are kept as
the text they hold: nothing is evaluated, so "=SUM(A1:A3)" stays those characters.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
DELIMITERS = ",;\t|"
ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


class SheetError(Exception):
    """The file cannot be read as a spreadsheet; the message says why, for the person."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list[str]]  # each as long as `headers`
    # The row number of each row as the spreadsheet shows it (the header is row 1).
    numbers: list[int]

    def __len__(self) -> int:
        return len(self.rows)


def read_sheet(upload, name: str = "") -> Sheet:
    """Read `upload` (a file object with `.size` or seekable), refusing what is over the limits."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise SheetError(
            f"This file is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB. "
            "Split it, or remove columns you do not need."
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if not data.strip():
        raise SheetError("The file is empty.")
    if data.startswith(ZIP_MAGIC):
        records = _xlsx_records(data)
    elif data.startswith(OLD_EXCEL_MAGIC):
        raise SheetError("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV.")
    elif name.lower().endswith(".xlsx"):
        raise SheetError("This file is named .xlsx but is not an Excel workbook.")
    else:
        records = _csv_records(data)
    return _sheet(records)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise SheetError("This does not look like a CSV or an Excel (.xlsx) file.")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("The file's characters could not be read.")  # latin-1 reads every byte


def _csv_records(data: bytes):
    text = _decode(data)
    sample = text[: 64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell by: commas
    # The sniffer's guesses about quoting are less reliable than its delimiter.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise SheetError(
            f"Line {reader.line_num} of the file could not be read as CSV ({error})."
        ) from None


def _xlsx_records(data: bytes):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SheetError("This file could not be opened as an Excel (.xlsx) workbook.") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SheetError("The workbook has no sheet.")
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row[: MAX_COLUMNS + 1]]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetError(f"The workbook could not be read ({error}).") from None
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet(records) -> Sheet:
    """The first non-empty record is the header; blank records are skipped, numbers kept."""
    headers: list[str] | None = None
    rows, numbers = [], []
    for number, record in enumerate(records, start=1):
        record = [cell.strip() for cell in record]
        if not any(record):
            continue
        if headers is None:
            headers = _headers(record)
            continue
        if len(rows) == MAX_ROWS:
            raise SheetError(
                f"This file has more than {MAX_ROWS:,} rows; import it in parts of "
                f"{MAX_ROWS:,} rows or fewer."
            )
        record = record[: len(headers)]
        rows.append(record + [""] * (len(headers) - len(record)))
        numbers.append(number)
    if headers is None:
        raise SheetError("The file is empty.")
    if not rows:
        raise SheetError("The file has a header row but no rows under it.")
    return Sheet(headers, rows, numbers)


def _headers(record: list[str]) -> list[str]:
    while record and not record[-1]:
        record = record[:-1]
    if len(record) > MAX_COLUMNS:
        raise SheetError(f"The file has more than {MAX_COLUMNS} columns.")
    return [cell or f"Column {index}" for index, cell in enumerate(record, start=1)]
