"""Restore an export into an empty account: check the whole file first, then write every row
in one transaction, with new ids and the links between rows kept.

A file is refused whole, with messages saying where and why, and nothing is written: a
partial restore would leave an account that can no longer take the next try.

The upload page only checks what it can without reading the whole file (`check_upload_basics`);
a worker reads, checks and writes it (`restoring.restore_job_run`), however large.
"""

import codecs
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction

from followup.accounts.models import User
from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.letters.models import Gift
from followup.letters.uploads import validate_gift_file
from followup.reminders import schedule

from .archive import DATA_NAME
from .schema import ACCOUNT_FIELDS, BY_KEY, KINDS, LATE_REFS, SCHEMA_VERSION, Kind

# Messages shown at most; a file with more problems than this is wrong in the same few ways.
MAX_MESSAGES = 10
# Rows written per INSERT, and between two words to the progress bar.
BATCH = 500
# What a damaged zip raises while a member is read.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)

NOT_AN_EXPORT = "This file is not a followup export: upload the .zip (or its .json) you downloaded."
DAMAGED_ZIP = "This zip is damaged and cannot be read: download the export again."
NOT_EMPTY = (
    "Your account already has applications or contacts. A restore goes into an empty account "
    "only, so nothing of yours is mixed up or overwritten."
)

# Told, while a restore runs, which step it is in ("checking", then "writing") and how many
# rows of the file that step has done.
OnProgress = Callable[[str, int], None]


class RestoreRefused(Exception):
    """The file cannot be restored; `messages` say why, for the person."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class RestoreResult:
    counts: dict[str, int] = field(default_factory=dict)
    files_restored: int = 0
    files_missing: int = 0  # gifts whose file the upload did not carry (a JSON without its zip)


@dataclass
class Upload:
    """What a person uploaded: the document, and the zip it came in (None for bare JSON)."""

    data: object
    archive: zipfile.ZipFile | None

    @property
    def rows(self) -> int:
        """The rows of the kinds a restore writes, as far as the document is a list of them."""
        if not isinstance(self.data, dict):
            return 0
        found = (self.data.get(kind.key) for kind in KINDS if kind.restored)
        return sum(len(rows) for rows in found if isinstance(rows, list))


def _document_in(upload: BinaryIO) -> tuple[zipfile.ZipFile | None, zipfile.ZipInfo | None]:
    """The zip and its document's entry, or (None, None) for a file that is not a zip."""
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        upload.seek(0)
        return None, None
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        info = archive.getinfo(DATA_NAME)
    except KeyError:
        raise RestoreRefused([f"This zip has no {DATA_NAME}: is it a followup export?"]) from None
    except DAMAGED:
        raise RestoreRefused([DAMAGED_ZIP]) from None
    if info.file_size > settings.EXPORT_RESTORE_MAX_BYTES:
        raise RestoreRefused(["The export's data is larger than this site accepts."])
    return archive, info


def check_upload_basics(upload: BinaryIO) -> None:
    """Refuse at once a file that cannot be an export, reading only its start (and a zip's
    list of contents): the whole document is read and checked by the worker."""
    archive, info = _document_in(upload)
    try:
        if archive is None:
            head = upload.read(4096)
        else:
            with archive.open(info) as document:
                head = document.read(4096)
    except DAMAGED:
        raise RestoreRefused([DAMAGED_ZIP]) from None
    try:
        # Not final: the 4 KB may end inside a character.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise RestoreRefused([NOT_AN_EXPORT]) from None
    if not text.lstrip().startswith("{"):
        raise RestoreRefused([NOT_AN_EXPORT])


def read_upload(upload: BinaryIO) -> Upload:
    """The document in an uploaded zip or JSON file; RestoreRefused if it is neither."""
    archive, info = _document_in(upload)
    try:
        if archive is None:
            raw = upload.read(settings.EXPORT_RESTORE_MAX_BYTES + 1)
        else:
            raw = archive.read(info)
    except DAMAGED:
        raise RestoreRefused([DAMAGED_ZIP]) from None
    try:
        return Upload(json.loads(raw.decode("utf-8-sig")), archive)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise RestoreRefused([NOT_AN_EXPORT]) from None


def account_is_empty(owner: User) -> bool:
    return not (
        Application.objects.owned_by(owner).exists() or Contact.objects.owned_by(owner).exists()
    )


class _Checker:
    """Reads the document into unsaved rows, collecting every problem on the way."""

    def __init__(self, owner: User, upload: Upload, on_progress: OnProgress | None = None):
        self.owner = owner
        self.upload = upload
        self.on_progress = on_progress
        self.rows_checked = 0
        self.messages: list[str] = []
        self.built: dict[str, dict[int, models.Model]] = {}
        self.late: list[tuple[models.Model, str, str, object, str]] = []
        self.files: dict[int, ContentFile] = {}  # new gift (by id()) -> its file
        self.result = RestoreResult()
        self.account: dict = {}

    def problem(self, text: str) -> None:
        self.messages.append(text)

    def check(self) -> None:
        data = self.upload.data
        if not isinstance(data, dict) or "schema_version" not in data:
            self.problem("This file is not a followup export (it has no schema_version).")
            return
        version = data["schema_version"]
        if type(version) is not int or version != SCHEMA_VERSION:
            self.problem(
                f"This export has schema version {str(version)[:20]!s}; this site reads version "
                f"{SCHEMA_VERSION}."
            )
            return
        self._account(data.get("account", {}))
        for kind in KINDS:
            if kind.restored:
                self._kind(kind, data.get(kind.key, []))
        for _instance, where, ref, value, target in self.late:
            if value is not None and value not in self.built.get(target, {}):
                self.problem(f"{where}: “{ref}” names {target} {value}, not in the file.")

    def _account(self, account) -> None:
        if not isinstance(account, dict):
            self.problem("account: expected an object.")
            return
        for name in ACCOUNT_FIELDS:
            if name not in account or (name == "name" and self.owner.name):
                continue
            try:
                self.account[name] = User._meta.get_field(name).to_python(account[name])
            except (ValidationError, TypeError, ValueError):
                self.problem(f"account: “{name}” is not a valid value.")
        candidate = User(**{**{n: getattr(self.owner, n) for n in ACCOUNT_FIELDS}, **self.account})
        others = [f.name for f in User._meta.fields if f.name not in ACCOUNT_FIELDS]
        try:
            candidate.clean_fields(exclude=others)
        except ValidationError as error:
            self._describe("account", error)

    def _describe(self, where: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.problem(f"{where}: “{name}”: {' '.join(errors)}")
        else:
            self.problem(f"{where}: {' '.join(error.messages)}")

    def _kind(self, kind: Kind, rows) -> None:
        if not isinstance(rows, list):
            self.problem(f"{kind.key}: expected a list.")
            return
        built = self.built[kind.key] = {}
        for index, row in enumerate(rows):
            if len(self.messages) >= MAX_MESSAGES:
                return
            self.rows_checked += 1
            if self.on_progress and self.rows_checked % 100 == 0:
                self.on_progress("checking", self.rows_checked)
            where = f"{kind.key}[{index}]"
            if not isinstance(row, dict):
                self.problem(f"{where}: expected an object.")
                continue
            old_id = row.get("id")
            if type(old_id) is not int or old_id in built:
                self.problem(f"{where}: “id” must be a number used once in {kind.key}.")
                continue
            instance = self._row(kind, row, where)
            if instance is not None:
                built[old_id] = instance

    def _row(self, kind: Kind, row: dict, where: str) -> models.Model | None:
        meta = kind.model._meta
        instance = kind.model()
        if kind.owner_path == "owner":
            instance.owner = self.owner
        for name in kind.fields:
            if name in row:
                try:
                    setattr(instance, name, meta.get_field(name).to_python(row[name]))
                except ValidationError as error:
                    self.problem(f"{where}: “{name}”: {' '.join(error.messages)}")
                    return None
                except (TypeError, ValueError):
                    self.problem(f"{where}: “{name}” is not a valid value.")
                    return None
        for ref, target in kind.refs.items():
            value = row.get(ref)
            if (kind.key, ref) in LATE_REFS:
                self.late.append((instance, where, ref, value, target))
                continue
            if value is None:
                if not meta.get_field(ref).null:
                    self.problem(f"{where}: “{ref}” is required.")
                    return None
                continue
            related = self.built.get(target, {}).get(value) if type(value) is int else None
            if related is None:
                self.problem(f"{where}: “{ref}” names {target} {str(value)[:20]}, not in the file.")
                return None
            setattr(instance, ref, related)
        try:
            instance.full_clean(
                exclude=[*kind.refs, "owner", "file"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._describe(where, error)
            return None
        if kind.key == "gifts":
            self._gift_file(instance, row.get("file"), where)
        return instance

    def _gift_file(self, gift, path, where: str) -> None:
        if not path:
            return
        archive = self.upload.archive
        if archive is None or not isinstance(path, str) or path not in archive.namelist():
            self.result.files_missing += 1
            return
        if archive.getinfo(path).file_size > settings.GIFT_MAX_UPLOAD_BYTES:
            self.problem(f"{where}: its file is larger than this site accepts.")
            return
        try:
            data = archive.read(path)
        except DAMAGED:
            self.problem(f"{where}: its file is damaged in the zip.")
            return
        content = ContentFile(data, name=gift.file_name or path.rsplit("/", 1)[-1])
        try:
            validate_gift_file(content)
        except ValidationError as error:
            self.problem(f"{where}: its file: {' '.join(error.messages)}")
            return
        self.files[id(gift)] = content


def _write(checker: _Checker, saved: list[str]) -> RestoreResult:
    owner = checker.owner
    written = 0
    for name, value in checker.account.items():
        setattr(owner, name, value)
    owner.save(update_fields=list(checker.account) or None)
    for kind in KINDS:
        if not kind.restored:
            continue
        rows = list(checker.built[kind.key].values())
        if kind.key == "gifts":
            for gift in rows:
                content = checker.files.get(id(gift))
                if content is not None:
                    gift.file.save(content.name, content, save=False)
                    saved.append(gift.file.name)
        for start in range(0, len(rows), BATCH):
            kind.model._default_manager.bulk_create(rows[start : start + BATCH])
            written += len(rows[start : start + BATCH])
            if checker.on_progress:
                checker.on_progress("writing", written)
        checker.result.counts[kind.key] = len(rows)
    for instance, _, ref, value, target in checker.late:
        if value is not None:
            setattr(instance, ref, checker.built[target][value])
    follow_ups = [late[0] for late in checker.late if late[3] is not None]
    follow_up_manager = BY_KEY["follow_ups"].model._default_manager
    follow_up_manager.bulk_update(follow_ups, ["letter"], batch_size=BATCH)
    # Reminders are planned from today: what was due before the export comes due now.
    schedule.refresh_for_user(owner)
    checker.result.files_restored = len(saved)
    return checker.result


def _delete_files(names: list[str]) -> None:
    storage = Gift._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def restore_into(
    *, owner: User, upload: Upload, on_progress: OnProgress | None = None
) -> RestoreResult:
    """Recreate the document's rows (and the zip's gift files) in `owner`'s empty account.

    Checked here again, under a lock on the account, whatever a page found before: two
    restores at once into one account would both have found it empty.
    """
    saved: list[str] = []  # files written to storage, removed again if the rows are not
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=owner.pk).first()
            if not account_is_empty(owner):
                raise RestoreRefused([NOT_EMPTY])
            checker = _Checker(owner, upload, on_progress)
            checker.check()
            if checker.messages:
                raise RestoreRefused(checker.messages[:MAX_MESSAGES])
            return _write(checker, saved)
    except IntegrityError as error:
        _delete_files(saved)
        raise RestoreRefused(
            [
                "The file's rows contradict each other (two gifts on one letter, say); nothing was "
                "restored."
            ]
        ) from error
    except BaseException:
        _delete_files(saved)
        raise
