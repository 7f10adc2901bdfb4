"""The coach digest: clients falling behind, by the reminder machinery, once, while consent holds.

The worker tests run the real path (sweep in this process, a worker subprocess, Redis, an SMTP
server); the others run the sweep in this process with delivery eager into Django's outbox.
"""

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import FollowUp
from followup.coaching.models import Coaching
from followup.coaching.services import consent as coaching_services
from followup.reminders import schedule
from followup.reminders.digest import client_url, read_unsubscribe_token, unsubscribe_token
from followup.reminders.models import Reminder, SweepRun
from followup.reminders.services import delivery
from followup.reminders.services.sweep import claim_due_coach_digests, reminders_sweep
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, UserFactory
from tests.reminders.conftest import concurrent_sweeps, sweep_until, wait_until

EVERY_DAY = "0123456"


# --- Helpers --------------------------------------------------------------------------------


def coach_with_clients(*names, email="coach@example.com", **fields):
    """A coach, and one client per name who invited them and whose invitation they accepted."""
    coach = UserFactory(email=email, name="Cora Coach", reminder_days=EVERY_DAY, **fields)
    clients = []
    for name in names:
        slug = name.split()[0].lower()
        client = UserFactory(email=f"{slug}.{email}", name=name, reminder_days=EVERY_DAY)
        invitation = coaching_services.client_invites_coach(
            client=client, email=coach.email, level="view"
        )
        coaching_services.invitation_accept(coaching=invitation, user=coach)
        clients.append(client)
    coach.refresh_from_db()
    return coach, clients


def overdue_follow_up(client, *, days=3, status="interviewing", position="Data Engineer"):
    """A follow-up `days` late. Its own reminder went long ago, so only the coach hears of it."""
    application = ApplicationFactory(owner=client, status=status, position=position)
    contact = ContactFactory(owner=client, name=f"Contact of {client.name}")
    return FollowUp.objects.create(
        application=application,
        kind="follow_up",
        step=1,
        contact=contact,
        due_on=client.today() - timedelta(days=days),
        remind_at=None,
    )


def coaching_of(coach, client):
    return Coaching.objects.active().get(coach=coach, client=client)


def make_due(coach, at=None):
    """The coach's digest time has come (as if the clock had reached it)."""
    User.objects.filter(pk=coach.pk).update(
        coach_digest_at=at or timezone.now() - timedelta(minutes=1)
    )


def coach_digests(smtp_server, to=None):
    """Coach digests the server received (invitation emails from the setup are left out)."""
    return [
        m
        for m in smtp_server.messages
        if str(m.message["Message-ID"]).startswith("<coach_digest.")
        and (to is None or m.recipients == [to])
    ]


def own_digests(smtp_server):
    return [m for m in smtp_server.messages if str(m.message["Message-ID"]).startswith("<digest.")]


def local_date(user, instant):
    return timezone.localtime(instant, user.zone).date()


# --- With a real worker and SMTP server -----------------------------------------------------


@pytest.mark.worker
def test_one_digest_lists_only_the_client_who_is_behind_and_goes_once(smtp_server, reminder_worker):
    coach, [behind, on_track] = coach_with_clients("Bea Behind", "Otto Ontrack")
    late = overdue_follow_up(behind, position="Analyst")
    InterviewFactory(application=late.application, scheduled_at=timezone.now() + timedelta(days=2))
    # Nothing of Otto's counts: a closed application's late follow-up, one due next week, and an
    # interview beyond the coming week.
    overdue_follow_up(on_track, status="eliminated")
    future = overdue_follow_up(on_track, days=-7)
    InterviewFactory(
        application=future.application, scheduled_at=timezone.now() + timedelta(days=12)
    )

    # A new coach is scheduled by the sweep itself, for their next digest hour.
    assert coach.coach_digest_at is None
    reminders_sweep()
    coach.refresh_from_db()
    assert coach.coach_digest_at is not None
    assert coach.coach_digest_at >= timezone.now() - timedelta(seconds=5)

    make_due(coach)
    sweep_until(lambda: coach_digests(smtp_server))
    for _ in range(5):  # more sweeps, as beat would run them
        reminders_sweep()
        time.sleep(0.3)
    time.sleep(1)
    wait_until(lambda: Reminder.objects.get(kind="coach_digest").status == "sent")

    [message] = coach_digests(smtp_server)
    reminder = Reminder.objects.get(kind="coach_digest")
    assert (reminder.recipient, reminder.status, reminder.attempts) == (coach, "sent", 1)
    assert message.recipients == [coach.email]
    assert message.subject == "Your clients: 1 overdue follow-up, 1 interview coming up"
    assert message.message["Message-ID"] == reminder.message_id
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message.message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<https://followup.test/reminders/unsubscribe/")
    for body in (message.text(), message.html()):
        assert "Bea Behind" in body and "Otto Ontrack" not in body
        assert "Analyst" in body and "Contact of Bea Behind" in body
        assert f"{late.due_on:%a} {late.due_on.day} {late.due_on:%b}" in body
        assert client_url(behind) in body and client_url(on_track) not in body
    assert "1 overdue" in message.text()

    # The next one is due on a later day, and the sweep said what it did.
    coach.refresh_from_db()
    assert local_date(coach, coach.coach_digest_at) > coach.today()
    assert sum(SweepRun.objects.values_list("claimed_coach_digests", flat=True)) == 1


@pytest.mark.worker
def test_a_client_who_revokes_is_gone_from_the_next_digest(smtp_server, reminder_worker):
    coach, [leaving, staying] = coach_with_clients("Lea Leaving", "Stan Staying")
    overdue_follow_up(leaving)
    overdue_follow_up(staying, days=5)
    make_due(coach)
    sweep_until(lambda: coach_digests(smtp_server))
    [first] = coach_digests(smtp_server)
    assert "Lea Leaving" in first.text() and "Stan Staying" in first.text()
    # Furthest behind first.
    assert first.text().index("Stan Staying") < first.text().index("Lea Leaving")

    coaching_services.coaching_end(coaching=coaching_of(coach, leaving))
    # The next day's sweep, at the time the first one set.
    coach.refresh_from_db()
    reminders_sweep(now=coach.coach_digest_at + timedelta(seconds=1))
    sweep_until(lambda: len(coach_digests(smtp_server)) == 2)
    second = coach_digests(smtp_server)[1]
    assert second.message["Message-ID"] != first.message["Message-ID"]
    for body in (second.text(), second.html()):
        assert "Stan Staying" in body
        assert "Lea Leaving" not in body and client_url(leaving) not in body

    # The last client leaves too: the day after, there is no digest to make at all.
    coaching_services.coaching_end(coaching=coaching_of(coach, staying))
    coach.refresh_from_db()
    day_after = coach.coach_digest_at + timedelta(seconds=1)
    reminders_sweep(now=day_after)
    time.sleep(2)
    reminders_sweep()
    time.sleep(1)
    assert len(coach_digests(smtp_server)) == 2
    assert Reminder.objects.filter(kind="coach_digest").count() == 2
    coach.refresh_from_db()
    assert local_date(coach, coach.coach_digest_at) > local_date(coach, day_after)


@pytest.mark.worker
def test_one_click_unsubscribe_stops_coach_digests_not_own_reminders(smtp_server, reminder_worker):
    coach, [client] = coach_with_clients("Bea Behind")
    overdue_follow_up(client)
    # The coach is looking for a job too, and their own follow-up is due now.
    own = FollowUp.objects.create(
        application=ApplicationFactory(owner=coach, status="interviewing"),
        kind="follow_up",
        step=1,
        due_on=coach.today(),
        remind_at=timezone.now() - timedelta(minutes=1),
    )
    make_due(coach)
    sweep_until(lambda: coach_digests(smtp_server) and own_digests(smtp_server))
    [digest] = coach_digests(smtp_server)
    [own_digest] = own_digests(smtp_server)
    assert digest.recipients == own_digest.recipients == [coach.email]

    coach_link = str(digest.message["List-Unsubscribe"]).strip("<> ")
    own_link = str(own_digest.message["List-Unsubscribe"]).strip("<> ")
    assert read_unsubscribe_token(coach_link.rstrip("/").rsplit("/", 1)[-1])["k"] == "coach"
    assert "k" not in read_unsubscribe_token(own_link.rstrip("/").rsplit("/", 1)[-1])

    mail_client = Client(enforce_csrf_checks=True)
    path = coach_link.removeprefix("https://followup.test")
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    coach.refresh_from_db()
    own.refresh_from_db()
    assert coach.coach_digest_frequency == "off" and coach.coach_digest_at is None
    assert coach.reminders_stopped is False
    # Tomorrow's own follow-up still gets its reminder; no coach digest is scheduled.
    tomorrow = FollowUp.objects.create(
        application=own.application, kind="follow_up", step=2, due_on=coach.today()
    )
    schedule.refresh(FollowUp.objects.filter(pk=tomorrow.pk))
    tomorrow.refresh_from_db()
    assert tomorrow.remind_at is not None
    reminders_sweep()
    coach.refresh_from_db()
    assert coach.coach_digest_at is None


@pytest.mark.worker
def test_two_sweeps_at_once_claim_each_coach_digest_once(smtp_server, reminder_worker, settings):
    settings.REMINDER_CLAIM_BATCH = 7  # several batches each, interleaved
    coaches = []
    for i in range(30):
        coach, [client] = coach_with_clients(f"Client{i} Behind", email=f"coach{i}@example.com")
        overdue_follow_up(client)
        coaches.append(coach)
    User.objects.filter(pk__in=[c.pk for c in coaches]).update(
        coach_digest_at=timezone.now() - timedelta(minutes=1)
    )
    results = concurrent_sweeps(2)

    assert sum(r.claimed_coach_digests for r in results) == 30
    assert sum(r.new_reminders for r in results) == 30
    assert sum(r.errors for r in results) == 0
    wait_until(lambda: len(coach_digests(smtp_server)) == 30, timeout=60)
    for _ in range(3):
        reminders_sweep()
    time.sleep(1)
    recipients = [m.recipients[0] for m in coach_digests(smtp_server)]
    assert sorted(recipients) == sorted(c.email for c in coaches)
    sent = Reminder.objects.filter(kind="coach_digest", status="sent")
    wait_until(lambda: sent.count() == 30)


# --- In this process --------------------------------------------------------------------------


LONDON = ZoneInfo("Europe/London")


def person(**fields):
    fields = {
        "time_zone": "Europe/London",
        "reminder_hour": 8,
        "reminder_days": "01234",
        "is_coach": True,
        **fields,
    }
    user = UserFactory.build(**fields)
    user.pk = 7
    return user


def test_weekly_is_due_only_on_the_chosen_weekday_at_the_digest_hour():
    user = person(coach_digest_frequency="weekly", coach_digest_weekday=2)  # Wednesday
    now = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)  # a Monday, across the DST change
    instants = []
    for _ in range(6):
        at = schedule.next_coach_digest_at(
            user, now=now, on_or_after=local_date(user, now) + timedelta(days=1)
        )
        instants.append(at)
        now = at
    days = [local_date(user, at) for at in instants]
    assert {day.weekday() for day in days} == {2}
    assert [b - a for a, b in zip(days, days[1:], strict=False)] == [timedelta(days=7)] * 5
    offset = schedule.minute_offset(user.pk)
    assert {(at.astimezone(LONDON).hour, at.astimezone(LONDON).minute) for at in instants} == {
        (8, offset)
    }
    # Before Wednesday's hour, Wednesday itself; just after it, the next Wednesday.
    wednesday = datetime(2026, 3, 4, 7, 0, tzinfo=LONDON)
    assert local_date(user, schedule.next_coach_digest_at(user, now=wednesday)) == date(2026, 3, 4)
    later = wednesday.replace(hour=9)
    assert local_date(user, schedule.next_coach_digest_at(user, now=later)) == date(2026, 3, 11)


def test_daily_keeps_the_digest_days_and_a_pause_and_none_when_not_wanted():
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=LONDON)  # after the hour
    daily = person(reminder_days="0123")  # Monday to Thursday
    assert local_date(daily, schedule.next_coach_digest_at(daily, now=friday)) == date(2026, 3, 9)
    paused = person(reminder_days=EVERY_DAY, reminders_paused_until=date(2026, 3, 20))
    assert local_date(paused, schedule.next_coach_digest_at(paused, now=friday)) == date(
        2026, 3, 21
    )
    weekly_paused = person(
        coach_digest_frequency="weekly",
        coach_digest_weekday=4,
        reminders_paused_until=date(2026, 3, 13),
    )
    assert local_date(
        weekly_paused, schedule.next_coach_digest_at(weekly_paused, now=friday)
    ) == date(2026, 3, 20)
    for unwanted in (
        person(coach_digest_frequency="off"),
        person(is_coach=False),
        person(reminders_stopped=True),
        person(is_active=False),
    ):
        assert schedule.next_coach_digest_at(unwanted, now=friday) is None


@pytest.mark.django_db(transaction=True)
def test_weekly_sweeps_over_two_weeks_send_on_the_chosen_weekday_only(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coach, [client] = coach_with_clients("Bea Behind")
    overdue_follow_up(client, days=40)
    coach.coach_digest_frequency, coach.coach_digest_weekday = "weekly", 4  # Friday
    coach.save()
    # From the coming Monday at midnight, two weeks of hourly sweeps hold two Fridays' hours.
    today = timezone.localdate(timezone=LONDON)
    monday = today + timedelta(days=7 - today.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=LONDON)
    schedule.refresh_coach_digest(coach, now=start)
    mail.outbox.clear()  # the invitation

    for hour in range(0, 14 * 24):
        reminders_sweep(now=start + timedelta(hours=hour))

    reminders = list(Reminder.objects.filter(kind="coach_digest"))
    assert len(reminders) == 2 == len(mail.outbox)
    assert {r.local_date.weekday() for r in reminders} == {4}
    assert {r.status for r in reminders} == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_nothing_to_report_means_no_email_and_no_client_means_no_row(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coach, [client] = coach_with_clients("Otto Ontrack")
    overdue_follow_up(client, days=-3)  # due in three days: not late
    mail.outbox.clear()
    make_due(coach)
    reminders_sweep()
    reminder = Reminder.objects.get(kind="coach_digest")
    assert (reminder.status, reminder.last_error) == ("suppressed", "nothing to report")
    assert mail.outbox == []

    coaching_services.coaching_end(coaching=coaching_of(coach, client))
    make_due(coach)
    reminders_sweep()
    assert Reminder.objects.filter(kind="coach_digest").count() == 1
    coach.refresh_from_db()
    assert coach.coach_digest_at > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_revocation_after_the_claim_leaves_the_client_out_of_that_digest(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coach, [leaving, staying] = coach_with_clients("Lea Leaving", "Stan Staying")
    overdue_follow_up(leaving)
    overdue_follow_up(staying)
    make_due(coach)
    claim_due_coach_digests(now=timezone.now(), batch=10)  # claimed, not yet sent
    reminder = Reminder.objects.get(kind="coach_digest")
    coaching_services.coaching_end(coaching=coaching_of(coach, leaving))
    mail.outbox.clear()

    assert delivery.deliver(reminder.pk, connection=None) == "sent"
    [message] = mail.outbox
    assert "Stan Staying" in message.body and "Lea Leaving" not in message.body


@pytest.mark.django_db
def test_unsubscribe_page_of_a_coach_digest_offers_to_stop_it_only_there(owner):
    page = Client()
    coach_page = page.get(
        reverse("reminders:unsubscribe", args=[unsubscribe_token(owner, kind="coach")])
    )
    assert b"Stop coach digests" in coach_page.content
    own_page = page.get(reverse("reminders:unsubscribe", args=[unsubscribe_token(owner)]))
    assert b"Stop coach digests" not in own_page.content
    # From a coach digest's page, "stop all" still means everything.
    page.post(
        reverse("reminders:unsubscribe", args=[unsubscribe_token(owner, kind="coach")]),
        {"action": "stop_all"},
    )
    owner.refresh_from_db()
    assert owner.reminders_stopped is True


@pytest.mark.django_db
def test_preferences_show_coach_fields_to_coaches_and_schedule_the_weekly_day(client):
    seeker = UserFactory()
    client.force_login(seeker)
    assert b"coach_digest_frequency" not in client.get(reverse("reminders:preferences")).content

    coach = UserFactory(is_coach=True, time_zone="America/New_York")
    client.force_login(coach)
    assert b"coach_digest_frequency" in client.get(reverse("reminders:preferences")).content
    response = client.post(
        reverse("reminders:preferences"),
        {
            "reminder_hour": "7",
            "reminder_days": ["0", "1", "2", "3", "4"],
            "coach_digest_frequency": "weekly",
            "coach_digest_weekday": "5",
        },
    )
    assert response.status_code == 302
    coach.refresh_from_db()
    local = timezone.localtime(coach.coach_digest_at, coach.zone)
    assert (coach.coach_digest_frequency, local.weekday(), local.hour) == ("weekly", 5, 7)

    client.post(
        reverse("reminders:preferences"),
        {"reminder_hour": "7", "reminder_days": ["0"], "coach_digest_frequency": "off",
         "coach_digest_weekday": "5"},
    )  # fmt: skip
    coach.refresh_from_db()
    assert coach.coach_digest_at is None
