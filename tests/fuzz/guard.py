"""What no fuzzed form may change: digests of every row of the stranger's (and of the owner's
standing), taken before the first case and compared after each, and the rows that would tie one
person's data to another's."""

import hashlib

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import F, Q

from followup.accounts.models import User
from followup.applications.models import Application, ApplicationEvent, FollowUp
from followup.coaching.models import AccessLogEntry, Coaching, CoachNote, Comment, NextStep
from followup.contacts.models import Contact
from followup.imports.models import ImportedRow, ImportJob
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Gift, Letter
from followup.reminders.models import Reminder
from tests.fuzz.world import World


def guarded_rows(stranger: User, owner: User) -> dict:
    """Every row that belongs to the stranger or refers to them, and the owner's standing (their
    address, password and flags), as querysets of values."""
    by_owner = Q(application__owner=stranger)
    found = {
        "stranger's User": User.objects.filter(pk=stranger.pk),
        "stranger's EmailAddress": EmailAddress.objects.filter(user=stranger),
        "stranger's Application": Application.objects.filter(owner=stranger),
        "stranger's ApplicationEvent": ApplicationEvent.objects.filter(by_owner),
        "stranger's Contact": Contact.objects.filter(owner=stranger),
        "stranger's Interview": Interview.objects.filter(by_owner),
        "stranger's Interviewer": Interviewer.objects.filter(
            Q(interview__application__owner=stranger) | Q(contact__owner=stranger)
        ),
        "stranger's FollowUp": FollowUp.objects.filter(by_owner | Q(contact__owner=stranger)),
        "stranger's Letter": Letter.objects.filter(by_owner | Q(contact__owner=stranger)),
        "stranger's Gift": Gift.objects.filter(
            Q(letter__application__owner=stranger) | Q(introduced_contact__owner=stranger)
        ),
        "stranger's Comment": Comment.objects.filter(
            Q(letter__application__owner=stranger) | Q(author=stranger)
        ),
        "stranger's Coaching": Coaching.objects.filter(Q(client=stranger) | Q(coach=stranger)),
        "stranger's AccessLogEntry": AccessLogEntry.objects.filter(
            Q(client=stranger) | Q(coach=stranger)
        ),
        "stranger's Reminder": Reminder.objects.filter(recipient=stranger),
        "stranger's ImportJob": ImportJob.objects.filter(owner=stranger),
        "stranger's NextStep": NextStep.objects.filter(Q(client=stranger) | Q(set_by=stranger)),
        "stranger's CoachNote": CoachNote.objects.filter(
            Q(coaching__client=stranger) | Q(coaching__coach=stranger)
        ),
    }
    found = {name: rows.distinct().values_list() for name, rows in found.items()}
    # All but last_login: the login form, given the stranger's address and their own password,
    # signs the stranger in, which is the stranger's doing, not a change made to them.
    found["stranger's User"] = User.objects.filter(pk=stranger.pk).values_list(
        *[f.attname for f in User._meta.concrete_fields if f.name != "last_login"]
    )
    # What no form may change about the owner: who they are and what they may do.
    found["owner's account"] = User.objects.filter(pk=owner.pk).values_list(
        "email", "password", "is_staff", "is_superuser", "is_active"
    )
    return found


def cross_links() -> dict:
    """Rows that tie one person's data to another person's: none may ever exist."""
    checks = {
        "interviewer taken from another's contacts": Interviewer.objects.exclude(
            contact__owner=F("interview__application__owner")
        ),
        "letter to another's contact": Letter.objects.exclude(
            contact__owner=F("application__owner")
        ),
        "letter about another application's interview": Letter.objects.filter(
            interview__isnull=False
        ).exclude(interview__application=F("application")),
        "letter fulfilling another application's follow-up": Letter.objects.filter(
            follow_up__isnull=False
        ).exclude(follow_up__application=F("application")),
        "gift introducing another's contact": Gift.objects.filter(
            introduced_contact__isnull=False
        ).exclude(introduced_contact__owner=F("letter__application__owner")),
        "import row of another's application": ImportedRow.objects.filter(
            application__isnull=False
        ).exclude(application__owner=F("owner")),
        "follow-up to another's contact": FollowUp.objects.filter(contact__isnull=False).exclude(
            contact__owner=F("application__owner")
        ),
        "follow-up of another application's interview": FollowUp.objects.filter(
            interview__isnull=False
        ).exclude(interview__application=F("application")),
        "next step about another's application": NextStep.objects.filter(
            application__isnull=False
        ).exclude(application__owner=F("client")),
    }
    return {name: rows.values_list("pk") for name, rows in checks.items()}


def fingerprints(querysets: dict) -> dict:
    """A digest of each queryset's rows, all in one round trip (a case runs this once)."""
    parts, params = [], []
    for rows in querysets.values():
        sql, more = rows.order_by().query.sql_with_params()
        # The SQL is Django's own, with its parameters kept apart.
        digest_sql = "SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
        parts.append(f"({digest_sql} FROM ({sql}) r)")
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


NOTHING = hashlib.md5(b"").hexdigest()  # noqa: S324  (a digest to compare, not a secret)


class Guard:
    """What a case may not change, read before the first case; each case is rolled back, so
    every case is compared with the same state."""

    def __init__(self, world: World):
        self.world = world
        self.rows = guarded_rows(world.stranger, world.owner)
        self.links = cross_links()
        self.before = fingerprints(self.rows)
        self.contents = {name: sorted(rows) for name, rows in self.rows.items()}
        assert fingerprints(self.links) == dict.fromkeys(self.links, NOTHING)

    def violations(self) -> list[str]:
        """What changed (with the rows before and after), and which cross links appeared."""
        now = fingerprints(self.rows | self.links)
        found = []
        for name in self.rows:
            if now[name] != self.before[name]:
                after = sorted(self.rows[name].all())
                gone = [r for r in self.contents[name] if r not in after]
                new = [r for r in after if r not in self.contents[name]]
                found.append(f"{name} changed: was {gone}, now {new}")
        for name in self.links:
            if now[name] != NOTHING:
                found.append(f"{name}: ids {[pk for (pk,) in self.links[name].all()]}")
        return found
