"""Uploaded gift files: checks on the way in (a size limit, content that matches its extension),
and deletion on the way out.
"""

from functools import partial
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction

# Extension -> (content type served, check of the first bytes).
ALLOWED = {
    ".pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    ".png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
    ".txt": ("text/plain", lambda head: _is_text(head)),
    ".md": ("text/markdown", lambda head: _is_text(head)),
}


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end in the middle of a multi-byte character.
        return error.start >= len(head) - 3
    return True


def content_type_for(name: str) -> str:
    return ALLOWED.get(PurePath(name).suffix.lower(), ("application/octet-stream",))[0]


def validate_gift_file(upload) -> None:
    limit = settings.GIFT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            "This file is %(size)s MB; the limit is %(limit)s MB.",
            params={"size": round(upload.size / 1e6, 1), "limit": round(limit / 1e6, 1)},
        )
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            "Files of type “%(suffix)s” are not accepted. Use PDF, Word (.docx), PNG, JPEG, "
            "text or Markdown.",
            params={"suffix": suffix or "(none)"},
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not ALLOWED[suffix][1](head):
        raise ValidationError(
            "The file's content does not match its “%(suffix)s” extension.",
            params={"suffix": suffix},
        )


def delete_stored_file_on_commit(storage: Storage, name: str, *, using: str | None = None) -> None:
    """Delete `name` from `storage` once the current transaction commits (at once outside one).

    A rollback keeps the file, as it keeps the row that names it. Only the storage API is used,
    so this holds for remote storage too. A failure is logged, not raised: the row is gone
    already, and `delete_orphan_files` finds whatever was left behind.
    """
    if name:
        transaction.on_commit(partial(storage.delete, name), using=using, robust=True)
