"""How long do a full export, its restore and an account deletion take for a busy person?

Seeds a throwaway PostgreSQL database with one job seeker holding N applications (default 500),
each with an interview and two interviewers, its thank-you plan, two letters (one sent, with an
article gift and its uploaded file; one with an introduction gift), a status change and a reply.
Then times, R times each (median printed): building the export zip
(`exports.archive.write_archive`), restoring it into a new, empty account
(`exports.restore.restore_into`, in this process), the same restore as people get it (the upload
page's form and `restore_job_start`, then a real Celery worker running the task, until the job
row says done), and deleting that restored account (`accounts.services.account_delete`). Gift
files go to a temporary MEDIA_ROOT through the storage API, which the worker shares.

    .venv/bin/python bench/portability.py [--applications N] [--reps R] [--keep]

Progress goes to stderr, figures to stdout. Exit status 1 when a target is missed: export or
restore over 30 s for the person, the upload page over 2 s, or a restore that does not give back
every row. See bench/README.md.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import create_database, drop_database, log, purge_queue, setup_django

TARGET_SECONDS = 30.0
# The upload page: checks the file's basics and stores it; the worker does the rest.
UPLOAD_TARGET_SECONDS = 2.0
QUEUE = f"bench.portability.{os.getpid()}"
PDF = b"%PDF-1.4\n" + b"% an article about data quality\n" * 600  # about 19 KB


def seed(applications: int):
    """One person with `applications` applications and everything around them."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from followup.accounts.models import User
    from followup.applications import services
    from followup.applications.models import ApplicationEvent, FollowUp
    from followup.contacts.models import Contact
    from followup.letters.models import Gift, GiftKind, Letter
    from followup.letters.services import letter_mark_sent

    person = User.objects.create_user("busy@example.com", "bench-password", name="Busy Person")
    introduced = Contact.objects.create(owner=person, name="Ines Introduced")
    for n in range(applications):
        application = services.application_create(
            owner=person, organisation=f"Org {n}", position=f"Engineer {n}", notes="Notes " * 20
        )
        services.application_set_status(application=application, status="interviewing")
        first = Contact.objects.create(owner=person, name=f"Ivan {n}", email=f"ivan{n}@ex.com")
        second = Contact.objects.create(owner=person, name=f"Wanda {n}")
        interview = services.interview_create(
            application=application,
            scheduled_at=timezone.now() - timedelta(days=3),
            interviewers=[(first, "data quality"), (second, "hiking")],
            today=person.today(),
            notes="What they said. " * 30,
        )
        letter = Letter.objects.create(
            application=application,
            contact=first,
            interview=interview,
            follow_up=FollowUp.objects.get(interview=interview, contact=first),
            kind="thank_you",
            subject="Thank you",
            appreciation="Thank you for your time.",
            body="Dear Ivan, thank you. " * 20,
        )
        gift = Gift(letter=letter, kind=GiftKind.ARTICLE, title="On data quality")
        gift.file.save("article.pdf", ContentFile(PDF), save=False)
        gift.file_name = f"Article {n}.pdf"
        gift.save()
        letter_mark_sent(letter=letter, sent_on=person.today(), signature="Busy")
        intro = Letter.objects.create(
            application=application, contact=second, kind="thank_you", subject="Thanks"
        )
        Gift.objects.create(letter=intro, kind=GiftKind.INTRODUCTION, introduced_contact=introduced)
        ApplicationEvent.objects.create(application=application, kind="reply", text="Replied.")
        if n % 100 == 99:
            log(f"  {n + 1} applications")
    return person


def counts(person) -> dict[str, int]:
    from followup.exports.schema import KINDS

    return {
        kind.key: kind.model._base_manager.filter(**{kind.owner_path: person}).count()
        for kind in KINDS
        if kind.restored
    }


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def upload_page(owner, content: bytes):
    """What the upload page does: the form's checks, then the upload kept and its task queued."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup.exports.forms import RestoreForm
    from followup.exports.services import restore_job_start

    form = RestoreForm({}, {"file": SimpleUploadedFile("followup-export.zip", content)})
    assert form.is_valid(), form.errors
    return restore_job_start(owner=owner, upload=form.cleaned_data["file"])


def restore_by_worker(owner, content: bytes, worker) -> tuple[float, float, dict]:
    """Seconds of the upload page, seconds from the upload to the job done, and what it says."""
    from followup.exports.models import RestoreJob

    started = time.perf_counter()
    job = upload_page(owner, content)
    in_request = time.perf_counter() - started
    deadline = time.monotonic() + 600
    while RestoreJob.objects.get(pk=job.pk).is_working:
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker did not finish the restore:\n{worker.output()}")
        time.sleep(0.05)
    total = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != "done":
        raise SystemExit(f"the worker refused the restore: {job.errors}")
    return in_request, total, job.counts


def measure(person, reps: int, worker) -> dict:
    from followup.accounts.models import User
    from followup.accounts.services import account_delete
    from followup.exports.archive import write_archive
    from followup.exports.restore import read_upload, restore_into
    from followup.letters.models import Gift

    storage = Gift._meta.get_field("file").storage
    exports, restores, pages, by_worker, deletions = [], [], [], [], []
    size, restored_counts, worker_counts = 0, {}, {}
    for rep in range(reps):
        buffer = io.BytesIO()
        seconds, _ = timed(lambda b=buffer: write_archive(person, b, storage=storage))
        exports.append(seconds)
        size = buffer.tell()
        newcomer = User.objects.create_user(f"again{rep}@example.com", "bench-password")
        seconds, _ = timed(
            lambda b=buffer, u=newcomer: restore_into(owner=u, upload=read_upload(b))
        )
        restores.append(seconds)
        restored_counts = counts(newcomer)
        seconds, _ = timed(lambda u=newcomer: account_delete(user=u))
        deletions.append(seconds)
        newcomer = User.objects.create_user(f"worker{rep}@example.com", "bench-password")
        in_request, total, worker_counts = restore_by_worker(newcomer, buffer.getvalue(), worker)
        pages.append(in_request)
        by_worker.append(total)
        account_delete(user=newcomer)
        log(
            f"  rep {rep + 1}: export {exports[-1]:.2f} s, restore {restores[-1]:.2f} s, "
            f"through the worker {by_worker[-1]:.2f} s (upload page {pages[-1]:.2f} s)"
        )
    return {
        "export": statistics.median(exports),
        "restore": statistics.median(restores),
        "upload page": statistics.median(pages),
        "worker restore": statistics.median(by_worker),
        "delete": statistics.median(deletions),
        "size": size,
        "restored": restored_counts,
        "restored by worker": worker_counts,
    }


def start_worker(db_name: str, media: str):
    """A real Celery worker on the bench's queue and database, as the tests start one."""
    from tests.worker import CeleryWorker

    env = {"MEDIA_ROOT": media, "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"]}
    return CeleryWorker(database_name=db_name, email_url=None, beat=False, env=env, queue=QUEUE)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--db", default="followup_bench_portability")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)

    create_database(args.db)
    worker = None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-media-") as media:
            setup_django(args.db, QUEUE)
            from django.conf import settings

            settings.MEDIA_ROOT = media
            log(f"seeding one person with {args.applications} applications")
            seconds, person = timed(lambda: seed(args.applications))
            log(f"seeded in {seconds:.1f} s")
            source = counts(person)
            log("starting a worker")
            worker = start_worker(args.db, media).start()
            figures = measure(person, args.reps, worker)
    finally:
        if worker is not None:
            worker.stop()
            purge_queue(QUEUE, delete=True)
        if not args.keep:
            drop_database(args.db)

    rows = sum(source.values())
    print(f"one person, {args.applications} applications: {rows:,} rows "
          f"({', '.join(f'{k} {v}' for k, v in source.items())})")  # fmt: skip
    print(f"export (zip, JSON + CSV + {source['applications']} files): "
          f"{figures['export']:.2f} s, {figures['size'] / 1e6:.1f} MB")  # fmt: skip
    print(f"restore into an empty account: {figures['restore']:.2f} s")
    print(f"restore through the worker:    {figures['worker restore']:.2f} s "
          f"(upload to done; the upload page {figures['upload page']:.2f} s of it)")  # fmt: skip
    print(f"delete the restored account:   {figures['delete']:.2f} s")
    print(f"(medians of {args.reps} runs)")
    missed = []
    for name in ("restored", "restored by worker"):
        if figures[name] != source:
            missed.append(f"{name} gave back {figures[name]}, not {source}")
    for name in ("export", "restore", "worker restore"):
        if figures[name] > TARGET_SECONDS:
            missed.append(f"{name} took over {TARGET_SECONDS:.0f} s")
    if figures["upload page"] > UPLOAD_TARGET_SECONDS:
        missed.append(f"the upload page took over {UPLOAD_TARGET_SECONDS:.0f} s")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
