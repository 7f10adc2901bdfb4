"""Build a person's full export: every row they own as JSON, one CSV per kind, and their
uploaded gift files, in one zip. Files are read through the storage API only."""

import csv
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import PurePath
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from followup.coaching.models import FORMER_COACH
from followup.core.emails import render_plain_text

from .schema import ACCOUNT_FIELDS, GIFT_FILE_DIR, KINDS, SCHEMA_VERSION, Kind

DATA_NAME = "followup-export.json"
CSV_DIR = "csv"


def _rows(kind: Kind, owner) -> list[dict]:
    columns = ["pk", *kind.fields, *(f"{ref}_id" for ref in kind.refs)]
    queryset = kind.model._default_manager.filter(**{kind.owner_path: owner}).order_by("pk")
    extra = {}
    if kind.key == "gifts":
        extra["stored_file"] = F("file")
    if kind.key == "comments":
        # A coach who deleted their account leaves their comments, named as the pages name them.
        extra["author_name"] = Coalesce(
            NullIf(F("author__name"), Value("")),
            F("author__email"),
            Value(FORMER_COACH),
            output_field=CharField(),
        )
    rows = []
    for values in queryset.values(*columns, **extra):
        row = {"id": values.pop("pk")}
        row |= {name: values[name] for name in kind.fields}
        row |= {ref: values[f"{ref}_id"] for ref in kind.refs}
        if kind.key == "comments":
            row["author"] = values["author_name"]
        if kind.key == "gifts":
            row["file"] = gift_path(row) if values["stored_file"] else ""
            row["_stored_file"] = values["stored_file"]
        rows.append(row)
    return rows


def gift_path(row: dict) -> str:
    """Where a gift's file goes in the zip: its own folder, under the name the person gave it."""
    name = PurePath(row["file_name"] or "file").name
    name = re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "file"
    return f"{GIFT_FILE_DIR}/gift-{row['id']}/{name}"


def export_data(owner) -> tuple[dict, dict[str, str]]:
    """Every row `owner` owns, as the export's JSON document; and the gift files to include
    (path in the zip -> name in storage)."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now(),
        "account": {"email": owner.email} | {name: getattr(owner, name) for name in ACCOUNT_FIELDS},
    }
    files = {}
    for kind in KINDS:
        rows = _rows(kind, owner)
        for row in rows:
            stored = row.pop("_stored_file", None)
            if stored:
                files[row["file"]] = stored
        data[kind.key] = rows
    return data, files


class ExportEncoder(DjangoJSONEncoder):
    """Django's encoder, with times to the microsecond: its own cuts them to milliseconds,
    and a restored row would then differ from the exported one."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def to_json(data: dict) -> bytes:
    return json.dumps(data, cls=ExportEncoder, indent=1, ensure_ascii=False).encode()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    # With a byte-order mark, spreadsheet programs read the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def csv_files(data: dict) -> dict[str, bytes]:
    """One CSV per kind, with the same columns as the JSON; the account's settings in one row."""
    account = data["account"]
    found = {"account.csv": to_csv([account], list(account))}
    for kind in KINDS:
        columns = ["id", *kind.fields, *kind.refs]
        if kind.key == "gifts":
            columns.append("file")
        if kind.key == "comments":
            columns.append("author")
        found[f"{kind.key}.csv"] = to_csv(data[kind.key], columns)
    return found


def write_archive(owner, out: BinaryIO, *, storage) -> None:
    """Write `owner`'s whole export, as a zip, to `out`."""
    data, files = export_data(owner)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_NAME, to_json(data))
        archive.writestr("README.txt", render_plain_text("exports/archive_readme.txt", data))
        for name, content in csv_files(data).items():
            archive.writestr(f"{CSV_DIR}/{name}", content)
        for path, stored in files.items():
            if not storage.exists(stored):
                continue  # the row says a file that storage lost; the JSON still says its name
            with storage.open(stored, "rb") as source, archive.open(path, "w") as target:
                while chunk := source.read(1 << 16):
                    target.write(chunk)
