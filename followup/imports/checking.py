"""Every row of a sheet, mapped and checked by the product's own forms, without writing.

The dry run shows what this finds; the import runs it again inside its transaction, so what it
writes is exactly what passed. Each row gets a key (a hash of its mapped values, normalised) by
which a second import of the same row is recognised.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.validators import MinValueValidator

from followup.applications.forms import ApplicationForm
from followup.contacts.forms import ContactForm

from . import values
from .columns import IGNORE
from .models import ImportedRow, Kind
from .reading import Sheet


class ApplicationRowForm(ApplicationForm):
    """The application form, less one database query per row.

    Django validates the salary range's CheckConstraint with a query in a savepoint (three round
    trips), which made checking a file eight times slower. `Application.clean()` checks the same
    order, with a clearer message, and the database still enforces the constraint on insert; the
    constraint is skipped by leaving its fields out of the model's own validation, so their one
    model validator (at least 1) is put on the form fields instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SALARY_FIELDS:
            self.fields[name].validators.append(MinValueValidator(1))

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | set(SALARY_FIELDS)


SALARY_FIELDS = ("salary_min", "salary_max")

# Shown on the page at most; the count says how many more there are.
MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it
    column: str  # the header, or "" for the row as a whole
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int
    key: str
    fields: dict  # cleaned by the form, ready for the service
    status: str = ""  # applications only


@dataclass
class Check:
    """What an import of the sheet would do."""

    ready: list[Row] = field(default_factory=list)
    already_imported: list[int] = field(default_factory=list)  # row numbers
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> "CheckSummary":
        return CheckSummary(len(self.ready), len(self.already_imported), self.errors)


@dataclass
class CheckSummary:
    """What the page shows of a check: counts, and the first errors (kept on the job when a
    worker made the check)."""

    ready: int
    already_imported: int
    errors: list  # of RowError, or of their dicts as stored on the job

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_shown(self) -> list:
        return self.errors[:MAX_ERRORS_SHOWN]

    @property
    def errors_hidden(self) -> int:
        return max(0, len(self.errors) - MAX_ERRORS_SHOWN)


def check_sheet(
    *,
    owner,
    kind: str,
    sheet: Sheet,
    mapping: dict[int, str],
    on_progress: Callable[[int], None] | None = None,
) -> Check:
    """Map and check every row; nothing is written."""
    mapping = {index: target for index, target in mapping.items() if target != IGNORE}
    column_of = {target: sheet.headers[index] for index, target in mapping.items()}
    day_first = {
        target: values.day_first([row[index] for row in sheet.rows])
        for index, target in mapping.items()
        if target in ("applied_on", "decision_date")
    }
    done_before = set(
        ImportedRow.objects.filter(owner=owner, kind=kind).values_list("key", flat=True)
    )
    seen: set[str] = set()
    check = Check()
    for position, (number, cells) in enumerate(zip(sheet.numbers, sheet.rows, strict=True)):
        mapped = {target: cells[index] for index, target in mapping.items()}
        if not any(mapped.values()):
            continue  # a row with nothing in the imported columns: a spacer, not a record
        key = row_key(kind, mapped)
        if key in done_before or key in seen:
            check.already_imported.append(number)
        else:
            seen.add(key)
            row, errors = _check_row(kind, number, mapped, column_of, day_first)
            check.errors += errors
            if row is not None:
                row.key = key
                check.ready.append(row)
        if on_progress and position % 100 == 99:
            on_progress(position + 1)
    return check


def row_key(kind: str, mapped: dict[str, str]) -> str:
    """The same values under the same targets give the same key, whatever the column order,
    the case or the spacing."""
    normal = {target: " ".join(text.casefold().split()) for target, text in mapped.items()}
    payload = json.dumps([kind, sorted(normal.items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _check_row(kind, number, mapped, column_of, day_first):
    if kind == Kind.APPLICATIONS:
        return _check_application(number, mapped, column_of, day_first)
    return _check_contact(number, mapped, column_of)


def _check_application(number, mapped, column_of, day_first):
    errors: list[RowError] = []
    data = {name: mapped.get(name, "") for name in ApplicationForm.Meta.fields}

    def parsed(target, parse, **options):
        try:
            return parse(mapped.get(target, ""), **options)
        except ValueError as error:
            errors.append(RowError(number, column_of[target], str(error)))
            return None

    status = parsed("status", values.parse_status)
    for target in ("applied_on", "decision_date"):
        day = parsed(target, values.parse_date, day_first=day_first.get(target, True))
        data[target] = values.iso(day)
    data["work_mode"] = parsed("work_mode", values.parse_work_mode) or ""
    low, high, currency = parsed("salary", values.parse_salary) or (None, None, "")
    data["salary_min"], data["salary_max"] = low or "", high or ""
    data["salary_currency"] = parsed("salary_currency", values.parse_currency) or currency
    form = ApplicationRowForm(data)
    errors += _form_errors(form, number, column_of)
    if errors:
        return None, errors
    return Row(number, "", form.cleaned_data, status=status), []


def _check_contact(number, mapped, column_of):
    data = {name: mapped.get(name, "") for name in ContactForm.Meta.fields}
    if not data["name"]:
        data["name"] = " ".join(
            filter(None, [mapped.get("first_name", ""), mapped.get("last_name", "")])
        )
    form = ContactForm(data)
    errors = _form_errors(form, number, column_of)
    if errors:
        return None, errors
    return Row(number, "", form.cleaned_data), []


# Which spreadsheet column a form field's error belongs to.
FIELD_TARGET = {
    "salary_min": "salary",
    "salary_max": "salary",
    "salary_currency": "salary_currency",
    "name": "name",
}


def _form_errors(form, number: int, column_of: dict[str, str]) -> list[RowError]:
    if form.is_valid():
        return []
    found = []
    for name in form.errors:
        target = FIELD_TARGET.get(name, name)
        column = column_of.get(target) or column_of.get("salary" if "salary" in name else "")
        if name == "name" and not column:
            column = column_of.get("first_name") or column_of.get("last_name") or ""
        label = form.fields[name].label if name in form.fields else ""
        for error in form.errors.as_data()[name]:
            if error.code == "required":
                text = f"This cell is empty; every row needs its {label.lower()}."
            else:
                text = " ".join(error.messages)
            found.append(RowError(number, column or "", text if column else f"{label}: {text}"))
    return found
