"""Reading whatever arrives: encodings, delimiters, workbooks, and what is refused, and why."""

import io
import zipfile
from datetime import date

import pytest

from followup.imports.reading import MAX_BYTES, SheetError, read_sheet
from tests.imports.sheets import (
    APPLICATION_HEADERS,
    application_rows,
    applications_csv,
    csv_bytes,
    upload,
    xlsx_bytes,
)


def read(data: bytes, name: str = "file.csv"):
    return read_sheet(upload(data, name), name)


def refusal(data: bytes, name: str = "file.csv") -> str:
    with pytest.raises(SheetError) as caught:
        read(data, name)
    return str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_each_common_encoding_is_read(encoding):
    data = csv_bytes(["Company", "Position"], [["Café Crème", "Señor Engineer"]], encoding=encoding)
    sheet = read(data)
    assert sheet.headers == ["Company", "Position"]  # no byte-order mark in the first header
    assert sheet.rows == [["Café Crème", "Señor Engineer"]]


def test_cp1252_quotes_and_euro_sign():
    data = "Company,Notes\nAcme,“Nice” team – pays €\n".encode("cp1252")
    assert read(data).rows == [["Acme", "“Nice” team – pays €"]]


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_the_delimiter_is_found(delimiter):
    data = csv_bytes(
        ["Company", "Position", "Salary"], [["Acme", "Engineer", "45.000,50"]], delimiter=delimiter
    )
    assert read(data).rows == [["Acme", "Engineer", "45.000,50"]]


def test_row_numbers_are_the_spreadsheets_and_blank_rows_are_skipped():
    data = b"Company,Position\n\nAcme,Engineer\n,\nGlobex,Analyst\n"
    sheet = read(data)
    assert sheet.rows == [["Acme", "Engineer"], ["Globex", "Analyst"]]
    assert sheet.numbers == [3, 5]


def test_short_rows_are_padded_and_long_ones_cut():
    sheet = read(b"Company,Position\nAcme\nGlobex,Analyst,extra\n")
    assert sheet.rows == [["Acme", ""], ["Globex", "Analyst"]]


def test_formula_looking_cells_stay_text():
    data = csv_bytes(["Company", "Notes"], [["Acme", '=HYPERLINK("http://evil.example")']])
    assert read(data).rows[0][1] == '=HYPERLINK("http://evil.example")'


def test_a_workbook_is_read_and_its_formulas_stay_text():
    data = xlsx_bytes(
        ["Company", "Position", "Date applied", "Salary", "Notes"],
        [["Acme", "Engineer", date(2025, 3, 31), 45000, "=1+2"]],
    )
    sheet = read(data, "applications.xlsx")
    assert sheet.rows == [["Acme", "Engineer", "2025-03-31", "45000", "=1+2"]]


def test_10000_rows_are_read_and_10001_refused():
    assert len(read(applications_csv(10_000))) == 10_000
    message = refusal(applications_csv(10_001))
    assert message == (
        "This file has more than 10,000 rows; import it in parts of 10,000 rows or fewer."
    )


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    class Unreadable(io.BytesIO):
        size = MAX_BYTES + 1

        def read(self, *args):
            raise AssertionError("read before its size was checked")

    with pytest.raises(SheetError, match=r"5\.2 MB; the limit is 5 MB"):
        read_sheet(Unreadable(b""), "big.csv")
    padded = csv_bytes(APPLICATION_HEADERS, application_rows(10)) + b" " * MAX_BYTES
    assert "the limit is 5 MB" in refusal(padded)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"\n\n  \n", "blank.csv", "The file is empty."),
        (b"Company,Position\n", "header.csv", "The file has a header row but no rows under it."),
        (b"\x00\x01\x02binary\x00" * 50, "x.csv", "does not look like a CSV"),
        (b"%PDF-1.7\n\x00\x00", "x.pdf", "does not look like a CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "Old Excel files"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "could not be opened as an Excel"),
        (b"Company,Position\nAcme,Engineer\n", "named.xlsx", "named .xlsx but is not"),
        (b'Company,Notes\nAcme,"' + b"x" * 200_000 + b'"\n', "long.csv", "not be read as CSV"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(data, name, message):
    assert message in refusal(data, name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "could not be opened as an Excel" in refusal(out.getvalue(), "a.xlsx")


def test_garbled_bytes_are_read_as_text_not_a_crash():
    sheet = read(b"Company,Position\n\xff\xfe\xfd,\x81\x8d\n")
    assert len(sheet.rows) == 1
