"""Run one reminder sweep now: for cron instead of beat, and for seeing what a sweep does."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from followup.reminders.services.delivery import deliver_batch
from followup.reminders.services.sweep import reminders_sweep


class Command(BaseCommand):
    help = (
        "Run one reminder sweep now (the one beat runs every REMINDER_SWEEP_SECONDS) and print "
        "what it did. Safe beside beat and other runs: the claim and the delivery record keep "
        "every reminder to one email."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="Send the ready reminders from this process instead of enqueueing them for "
            "the Celery workers (no broker or worker needed).",
        )

    def handle(self, *args, deliver: bool = False, **options):
        outcomes: Counter = Counter()

        def deliver_here(batches: list[list[int]]) -> None:
            for batch in batches:
                outcomes.update(deliver_batch(batch))

        result = reminders_sweep(send=deliver_here if deliver else None)
        self.stdout.write(
            f"claimed {result.claimed_follow_ups} follow-ups and {result.claimed_coach_digests} "
            f"coach digests into {result.new_reminders} new reminders; "
            f"{result.expired_leases} leases and {result.expired_reminders} reminders expired"
        )
        if not deliver:
            self.stdout.write(f"{result.enqueued} reminders enqueued for the workers")
        else:
            counts = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.most_common())
            self.stdout.write(
                f"{result.enqueued} reminders delivered from this process"
                + (f": {counts}" if counts else "")
            )
        problems = []
        if result.errors:
            problems.append(f"{result.errors} errors in the sweep (see the log)")
        if outcomes["server failed"]:
            problems.append(
                "the mail server failed; the reminders wait and are tried again "
                "(see last_error in the admin)"
            )
        if problems:
            raise CommandError("; ".join(problems))
