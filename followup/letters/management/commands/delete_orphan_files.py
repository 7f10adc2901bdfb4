"""Delete gift files that no gift names: left behind by versions that kept a gift's file when
the gift was deleted or its file replaced.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.core.files.storage import Storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from followup.letters.models import GIFT_UPLOAD_DIR, Gift


def stored_names(storage: Storage, directory: str) -> Iterator[str]:
    """Every file name under `directory`, through the storage API (local disk or a bucket)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for name in directories:
        yield from stored_names(storage, f"{directory}/{name}")


class Command(BaseCommand):
    help = "Delete files under the gift upload directory that no gift refers to."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the files, delete nothing."
        )
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Keep younger files (default 60): an upload is stored before its gift's row "
            "commits, so a fresh file may be about to be referenced.",
        )

    def handle(self, *, dry_run: bool, min_age_minutes: int, **options):
        storage = Gift._meta.get_field("file").storage
        cutoff = timezone.now() - timedelta(minutes=min_age_minutes)
        referenced = set(Gift.objects.exclude(file="").values_list("file", flat=True))
        orphans = [
            name
            for name in stored_names(storage, GIFT_UPLOAD_DIR)
            if name not in referenced and storage.get_modified_time(name) <= cutoff
        ]
        verb = "Would delete" if dry_run else "Deleted"
        for name in orphans:
            if not dry_run:
                storage.delete(name)
            self.stdout.write(f"{verb} {name}")
        plural = "" if len(orphans) == 1 else "s"
        self.stdout.write(
            f"{verb} {len(orphans)} file{plural}; {len(referenced)} referenced by a gift kept."
        )
