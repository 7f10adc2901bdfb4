"""A send batch read at once: the same emails as one person at a time, in a fixed number of
statements, and still each message locked, sent and marked on its own.

Delivery runs in this process against the real SMTP server fixture.
"""

import email
import email.policy
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followup.applications.models import FollowUp
from followup.applications.services import application_set_status
from followup.reminders import digest as digests
from followup.reminders.models import Reminder
from followup.reminders.services import delivery
from followup.reminders.services.sweep import (
    claim_due_coach_digests,
    claim_due_follow_ups,
    release_expired_leases,
)
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, UserFactory
from tests.reminders.conftest import due_users
from tests.reminders.test_coach_digest import coach_with_clients, make_due, overdue_follow_up

pytestmark = pytest.mark.django_db

ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo", "America/New_York", "UTC")


def follow_up(application, *, days: int, kind="follow_up", contact=None, claimed=False):
    """A pending follow-up due `days` from its owner's today (negative: late)."""
    now = timezone.now()
    return FollowUp.objects.create(
        application=application,
        kind=kind,
        step=0 if kind == "thank_you" else 1,
        due_on=application.owner.today() + timedelta(days=days),
        contact=contact,
        # Only these make the sweep claim a reminder; the others are listed as due all the same.
        remind_at=now - timedelta(minutes=5) if claimed else None,
    )


def person_with_pipeline(index: int, zone: str):
    """Due items across applications, a muted and a closed application, and interviews in and
    out of the digest's week, all by the person's own calendar."""
    user = UserFactory(email=f"batch{index}@example.com", name=f"Bea{index} Batch", time_zone=zone)
    contact = ContactFactory(owner=user, name=f"O'Brien {index}")
    interviewing = ApplicationFactory(owner=user, status="interviewing", position="Data <Lead>")
    applied = ApplicationFactory(owner=user, status="applied", organisation=f"Org {index}")
    muted = ApplicationFactory(owner=user, status="applied", reminders_muted=True)
    closed = ApplicationFactory(owner=user, status="interviewing")
    follow_up(interviewing, days=-1, kind="thank_you", contact=contact, claimed=True)
    follow_up(applied, days=0, claimed=index % 2 == 0)
    follow_up(applied, days=-(index + 2))
    follow_up(interviewing, days=1)  # tomorrow: not in today's digest
    follow_up(muted, days=-1, claimed=True)
    follow_up(closed, days=-1)
    application_set_status(application=closed, status="hired", today=user.today())
    start = timezone.make_aware(datetime.combine(user.today(), time.min), user.zone)
    for at in (start + timedelta(hours=10), start + timedelta(days=7, hours=23)):
        InterviewFactory(application=interviewing, scheduled_at=at)
    InterviewFactory(application=applied, scheduled_at=start + timedelta(days=8, minutes=1))
    InterviewFactory(application=applied, scheduled_at=start - timedelta(minutes=1))
    if index % 3 == 0:
        follow_up(ApplicationFactory(owner=user, status="offer"), days=-30, claimed=True)
    return user


def _token(match: re.Match) -> str:
    # Signed with the second it was made in: two builds may fall in different seconds.
    data = digests.read_unsubscribe_token(match[1])
    assert data is not None
    return f"unsubscribe/{sorted(data.items())}/"


def _without_variable_parts(text: str) -> str:
    text = re.sub(r"={15}\d+==", "BOUNDARY", text)  # MIME boundaries are random
    return re.sub(r"unsubscribe/([\w:-]+)/", _token, text)


def normalised(message) -> str:
    """The bytes sent, without what differs between two builds of the same email: the Date,
    the MIME boundaries and the unsubscribe link's signing time."""
    data = message.message().as_bytes(linesep="\r\n").decode()
    return _without_variable_parts(re.sub(r"^Date: .*\r\n", "", data, flags=re.MULTILINE))


def parts(message) -> tuple:
    """Headers (but the Date), plain text and HTML of a received or a built email."""
    if not isinstance(message, email.message.Message):
        message = email.message_from_bytes(
            message.message().as_bytes(linesep="\r\n"), policy=email.policy.default
        )
    headers = [(k, _without_variable_parts(str(v))) for k, v in message.items() if k != "Date"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return headers, _without_variable_parts(text), _without_variable_parts(html)


@pytest.fixture
def people(settings):
    settings.SITE_URL = "https://followup.test"
    users = [person_with_pipeline(i, zone) for i, zone in enumerate(ZONES * 2)]
    # Two of them have a coach (who gets a coach digest in the same batch).
    coach, clients = coach_with_clients("Cleo One", "Carl Two", email="coach.batch@example.com")
    for client in clients:
        client.time_zone = "Asia/Kolkata"
        client.save(update_fields=["time_zone"])
        overdue_follow_up(client)
        follow_up(ApplicationFactory(owner=client, status="applied"), days=0, claimed=True)
    make_due(coach)
    claim_due_follow_ups(now=timezone.now(), batch=1000)
    claim_due_coach_digests(now=timezone.now(), batch=10)
    return [*users, *clients], coach


def test_the_batch_digest_is_the_one_person_digest_byte_for_byte(people):
    users, _ = people
    now = timezone.now()
    reminders = {r.recipient_id: r for r in Reminder.objects.filter(kind="digest")}
    assert set(reminders) == {u.pk for u in users}
    batch = digests.digests_for([(u, timezone.localtime(now, u.zone).date()) for u in users])

    for user in users:
        alone = digests.digest_for(user, today=timezone.localtime(now, user.zone).date())
        reminder = reminders[user.pk]
        together = digests.digest_email(reminder=reminder, digest=batch[user.pk])
        assert normalised(together) == normalised(
            digests.digest_email(reminder=reminder, digest=alone)
        )
    # The data is worth comparing: every group is filled for someone, muted and closed never.
    listed = [
        item
        for digest in batch.values()
        for item in digest.thank_yous + digest.due_today + digest.overdue
    ]
    assert all(batch[u.pk].thank_yous and batch[u.pk].overdue for u in users[:-2])
    assert any(d.due_today for d in batch.values())
    assert all(len(batch[u.pk].interviews) == 2 for u in users[:-2])
    assert not [
        i for i in listed if i.application.reminders_muted or i.application.status == "hired"
    ]


def test_deliver_batch_sends_what_one_person_at_a_time_would(people, smtp_server):
    users, coach = people
    ids = list(Reminder.objects.order_by("?").values_list("pk", flat=True))
    reminders = Reminder.objects.select_related("recipient").in_bulk(ids)
    now = timezone.now()
    wanted = {}
    for reminder in reminders.values():
        user = reminder.recipient
        if reminder.kind == "digest":
            digest = digests.digest_for(user, today=timezone.localtime(now, user.zone).date())
            wanted[user.email] = digests.digest_email(reminder=reminder, digest=digest)
        else:
            report = digests.coach_digest_for(
                user,
                clients=[u for u in users if u.email.endswith(".coach.batch@example.com")],
                now=now,
            )
            wanted[user.email] = digests.coach_digest_email(reminder=reminder, report=report)

    assert delivery.deliver_batch(ids) == {"sent": len(ids)}
    messages = smtp_server.wait_for(len(ids))
    assert sorted(m.recipients[0] for m in messages) == sorted(wanted)
    for message in messages:
        assert parts(message.message) == parts(wanted[message.recipients[0]])
    # In the order given, each marked sent.
    order = [reminders[pk].recipient.email for pk in ids]
    assert [m.recipients[0] for m in messages] == order
    assert set(Reminder.objects.values_list("status", "attempts")) == {("sent", 1)}


def statements(ids: list[int]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert delivery.deliver_batch(ids) == {"sent": len(ids)}
    # Savepoints are the test's transaction around each message's; in a worker it is a BEGIN.
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_batch_takes_a_fixed_number_of_statements_and_two_per_message(smtp_server):
    due_users(61)
    claim_due_follow_ups(now=timezone.now(), batch=1000)
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))

    counts = {}
    for size, batch in ((1, ids[:1]), (10, ids[1:11]), (50, ids[11:61])):
        sql = statements(batch)
        per_message = [s for s in sql if s.startswith("UPDATE") and '"sent_at"' in s]
        locks = [s for s in sql if s.endswith('FOR UPDATE OF "applications_followup"')]
        assert len(per_message) == len(locks) == size
        counts[size] = len(sql) - 2 * size
    # Take, read the reminders, suppressed addresses, due items, interviews, next steps set by
    # coaches: whatever the size.
    assert counts == {1: 6, 10: 6, 50: 6}


def test_a_close_after_the_batch_was_read_is_not_in_the_email(smtp_server, monkeypatch):
    """The batch reads first; a close committed before a message's lock still keeps it out."""
    [stays, leaves] = due_users(2)
    extra = follow_up(ApplicationFactory(owner=stays, status="applied"), days=-1)
    claim_due_follow_ups(now=timezone.now(), batch=100)

    def close_after_reading(users):
        # Runs once the batch has read its items, before any message is sent.
        for application in (leaves.applications.get(), extra.application):
            application_set_status(application=application, status="hired")
        return {}

    monkeypatch.setitem(digests.DIGEST_SECTIONS, "closing", close_after_reading)
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))

    assert delivery.deliver_batch(ids) == {"sent": 1, "suppressed": 1}
    [message] = smtp_server.messages
    assert message.recipients == [stays.email]
    assert (
        "Engineer 0 at Acme" in message.text() and extra.application.position not in message.text()
    )
    assert Reminder.objects.get(recipient=leaves).last_error == "nothing left due"


def test_section_providers_are_read_once_for_the_whole_batch(smtp_server, monkeypatch):
    users = due_users(4)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    calls = []

    def next_steps(batch_users):
        calls.append(sorted(u.pk for u in batch_users))
        return {u.pk: f"steps of {u.email}" for u in batch_users if u != users[3]}

    monkeypatch.setitem(digests.DIGEST_SECTIONS, "next_steps", next_steps)
    prepared = delivery.Prepared(
        list(Reminder.objects.select_related("recipient")), now=timezone.now()
    )

    assert calls == [sorted(u.pk for u in users)]
    sections = {pk: digest.sections["next_steps"] for pk, digest in prepared.digests.items()}
    assert sections == {u.pk: f"steps of {u.email}" for u in users[:3]} | {users[3].pk: None}
    # One person alone gets the same, through the same provider.
    assert digests.digest_for(users[0], today=users[0].today()).sections == {
        "next_steps": f"steps of {users[0].email}"
    }


def test_a_lease_lost_during_the_batch_leaves_the_rest_to_the_sweep(
    smtp_server, settings, monkeypatch
):
    """The batch checks it still holds what it took once half its lease is gone."""
    due_users(3)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    settings.REMINDER_LEASE_SECONDS = 0.01  # half of it is gone by the first message

    def expire_leases(users):
        release_expired_leases(now=timezone.now() + timedelta(seconds=1))
        return {}

    monkeypatch.setitem(digests.DIGEST_SECTIONS, "expiring", expire_leases)
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))

    assert delivery.deliver_batch(ids) == {"not taken": 3}
    assert smtp_server.messages == []
    assert set(Reminder.objects.values_list("status", "attempts")) == {("queued", 1)}
