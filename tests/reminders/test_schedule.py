"""When reminders are due: the person's hour, days, pauses, DST, and a change of time zone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from followup.applications.models import FollowUp
from followup.reminders import schedule
from followup.reminders.models import Reminder
from followup.reminders.services.sweep import reminders_sweep
from tests.factories import ApplicationFactory, UserFactory

UTC = ZoneInfo("UTC")


def person(zone="America/New_York", hour=8, days="01234", pk=None):
    user = UserFactory.build(time_zone=zone, reminder_hour=hour, reminder_days=days)
    user.pk = pk or 7
    return user


def local(user, instant):
    return instant.astimezone(user.zone)


def test_minute_offset_is_stable_and_spreads_people_over_the_hour():
    offsets = [schedule.minute_offset(pk) for pk in range(1, 2001)]
    assert offsets == [schedule.minute_offset(pk) for pk in range(1, 2001)]
    assert len(set(offsets)) == 60
    assert max(offsets.count(m) for m in range(60)) < 2000 / 60 * 1.6


@pytest.mark.parametrize(
    "zone, before, change, after",
    [
        # Spring forward and fall back, 2026.
        ("America/New_York", date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)),
        ("America/New_York", date(2026, 10, 30), date(2026, 11, 2), date(2026, 11, 3)),
        ("Europe/London", date(2026, 3, 27), date(2026, 3, 30), date(2026, 3, 31)),
        ("Europe/London", date(2026, 10, 23), date(2026, 10, 26), date(2026, 10, 27)),
    ],
)
def test_the_chosen_hour_holds_across_dst(zone, before, change, after):
    user = person(zone)
    for day in (before, change, after):
        instant = schedule.slot_instant(user, day, 8)
        assert (local(user, instant).date(), local(user, instant).hour) == (day, 8)
    # The UTC instant moved by an hour across the change; the local hour did not.
    utc_hours = {schedule.slot_instant(user, d, 8).hour for d in (before, after)}
    assert len(utc_hours) == 2


def test_a_skipped_hour_sends_once_just_after_the_gap():
    # New York, 8 March 2026: 02:00-03:00 does not exist.
    user = person("America/New_York", hour=2, days="0123456")
    instant = schedule.slot_instant(user, date(2026, 3, 8), 2)
    assert local(user, instant).hour == 3
    assert local(user, instant).date() == date(2026, 3, 8)
    slots = {
        schedule.next_slot(
            user,
            hour=2,
            on_or_after=date(2026, 3, 8),
            not_before=datetime(2026, 3, 8, 0, 0, tzinfo=user.zone) + timedelta(minutes=m),
        )
        for m in range(0, 120, 10)
    }
    assert len(slots) == 1


def test_a_repeated_hour_sends_once_in_its_first_occurrence():
    # New York, 1 November 2026: 01:00-02:00 happens twice.
    user = person("America/New_York", hour=1, days="0123456")
    instant = schedule.slot_instant(user, date(2026, 11, 1), 1)
    assert local(user, instant).hour == 1
    assert local(user, instant).utcoffset() == timedelta(hours=-4)  # still summer time
    second_pass = instant + timedelta(hours=1)
    following = schedule.next_slot(
        user, hour=1, on_or_after=date(2026, 11, 1), not_before=second_pass
    )
    assert local(user, following).date() == date(2026, 11, 2)


def test_weekdays_only_by_default_and_pause_until_a_date():
    user = person("Europe/London", days="01234")
    saturday = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    slot = schedule.next_slot(user, hour=8, on_or_after=date(2026, 11, 28), not_before=saturday)
    assert local(user, slot).date() == date(2026, 11, 30)  # Monday

    user.reminders_paused_until = date(2026, 12, 2)
    slot = schedule.next_slot(user, hour=8, on_or_after=date(2026, 11, 28), not_before=saturday)
    assert local(user, slot).date() == date(2026, 12, 3)


@pytest.mark.django_db
def test_an_evening_nudge_when_the_interview_ends_after_the_digest(owner):
    from followup.applications import services as app_services
    from tests.factories import ContactFactory

    owner.time_zone, owner.reminder_hour = "Europe/London", 8
    owner.save()
    london = ZoneInfo("Europe/London")
    interview_at = datetime(2026, 11, 24, 14, 0, tzinfo=london)  # a Tuesday afternoon
    application = ApplicationFactory(owner=owner)
    app_services.interview_create(
        application=application,
        scheduled_at=interview_at,
        interviewers=[(ContactFactory(owner=owner), "")],
        today=interview_at.date(),
    )
    thank_you = FollowUp.objects.get(kind="thank_you")
    at = schedule.remind_at(thank_you, now=interview_at + timedelta(hours=1))
    assert (local(owner, at).date(), local(owner, at).hour) == (date(2026, 11, 24), 18)

    # An interview after the evening hour is reminded in the next morning's digest instead.
    thank_you.interview.scheduled_at = datetime(2026, 11, 24, 19, 0, tzinfo=london)
    at = schedule.remind_at(thank_you, now=datetime(2026, 11, 24, 20, 0, tzinfo=london))
    assert (local(owner, at).date(), local(owner, at).hour) == (date(2026, 11, 25), 8)


@pytest.mark.django_db
def test_closed_muted_or_stopped_means_no_reminder_time(owner):
    application = ApplicationFactory(owner=owner, status="interviewing")
    follow_up = FollowUp.objects.create(
        application=application, kind="follow_up", step=1, due_on=date(2026, 12, 1)
    )
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert schedule.remind_at(follow_up, now=now) is not None
    application.reminders_muted = True
    assert schedule.remind_at(follow_up, now=now) is None
    application.reminders_muted, application.status = False, "hired"
    assert schedule.remind_at(follow_up, now=now) is None
    application.status, owner.reminders_stopped = "interviewing", True
    assert schedule.remind_at(follow_up, now=now) is None


def due_today_follow_up(owner, now):
    application = ApplicationFactory(owner=owner, status="interviewing")
    follow_up = FollowUp.objects.create(
        application=application,
        kind="follow_up",
        step=1,
        due_on=now.astimezone(owner.zone).date(),
    )
    schedule.refresh(FollowUp.objects.filter(pk=follow_up.pk), now=now)
    follow_up.refresh_from_db()
    return follow_up


@pytest.mark.django_db(transaction=True)
def test_a_digest_on_a_dst_day_goes_once(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory(time_zone="America/New_York", reminder_hour=1, reminder_days="0123456")
    before = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # 00:00 EDT on the fall-back day
    follow_up = due_today_follow_up(user, before)
    for minutes in range(0, 240, 15):  # sweeps through both passes of 01:00-02:00
        reminders_sweep(now=before + timedelta(minutes=minutes))
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().local_date == date(2026, 11, 1)
    follow_up.refresh_from_db()
    assert follow_up.reminder is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("new_zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_changing_time_zone_gives_no_double_and_no_missing_digest(client, settings, new_zone):
    """London person, digest at 08:00; changes zone once today's digest went out, or before."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory(time_zone="Europe/London", reminder_hour=8)
    monday_0900 = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    due_today_follow_up(user, monday_0900 - timedelta(hours=2))
    reminders_sweep(now=monday_0900)
    assert len(mail.outbox) == 1

    # Another follow-up falls due today, then the person moves.
    second = due_today_follow_up(user, monday_0900)
    client.force_login(user)
    client.post(
        reverse("accounts:profile"),
        {"name": user.name, "time_zone": new_zone, "cadence_first_days": 7,
         "cadence_second_days": 14, "cadence_repeat_days": 21},
    )  # fmt: skip
    for hours in range(0, 48):
        reminders_sweep(now=monday_0900 + timedelta(hours=hours))
    second.refresh_from_db()
    assert second.reminder is not None  # not missing
    sent_days = list(Reminder.objects.values_list("local_date", "slot"))
    assert len(sent_days) == len(set(sent_days)) == len(mail.outbox) == 2  # no double


@pytest.mark.django_db(transaction=True)
def test_a_time_zone_change_before_the_digest_keeps_todays_digest(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory(time_zone="Europe/London", reminder_hour=8)
    monday_0730 = datetime(2026, 11, 30, 7, 30, tzinfo=ZoneInfo("Europe/London"))
    follow_up = due_today_follow_up(user, monday_0730)
    user.time_zone = "Asia/Tokyo"  # 16:30 there: Tokyo's 08:00 has gone
    user.save()
    schedule.refresh_for_user(user, now=monday_0730, catch_up=True)
    reminders_sweep(now=monday_0730 + timedelta(minutes=1))
    assert len(mail.outbox) == 1
    follow_up.refresh_from_db()
    assert follow_up.reminder.local_date == date(2026, 11, 30)
