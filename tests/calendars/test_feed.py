"""The calendar feed read back with icalendar, event by event, against the database."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.applications.models import FollowUp, FollowUpStatus, Status
from followup.calendars.entries import CANCELLED_KEEP, INTERVIEW_LENGTH
from followup.interviews.models import Interview
from tests.calendars.conftest import LONDON, read_feed, record_interview

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"


def check_against_database(events: dict, owner) -> None:
    """Every interview and follow-up of `owner` is an event saying what the database says."""
    expected = set()
    for interview in Interview.objects.owned_by(owner).select_related("application"):
        application = interview.application
        uid = f"interview-{interview.pk}@{HOST}"
        expected.add(uid)
        event = events[uid]
        assert event.decoded("DTSTART") == interview.scheduled_at
        assert event.decoded("DTEND") == interview.scheduled_at + INTERVIEW_LENGTH
        assert event["SEQUENCE"] == interview.revision + application.revision
        assert str(event["STATUS"]) == ("CANCELLED" if application.is_closed else "CONFIRMED")
        assert str(event.get("LOCATION", "")) == interview.location
        assert application.position in str(event["SUMMARY"])
        for seat in interview.interviewers.select_related("contact"):
            assert seat.contact.name in str(event["DESCRIPTION"])
    for follow_up in FollowUp.objects.owned_by(owner).select_related("application"):
        uid = f"follow-up-{follow_up.pk}@{HOST}"
        expected.add(uid)
        event = events[uid]
        assert event.decoded("DTSTART") == follow_up.due_on
        assert event.decoded("DTEND") == follow_up.due_on + timedelta(days=1)
        assert event["SEQUENCE"] == follow_up.revision + follow_up.application.revision
        cancelled = follow_up.status in (FollowUpStatus.SKIPPED, FollowUpStatus.CANCELLED)
        assert str(event["STATUS"]) == ("CANCELLED" if cancelled else "CONFIRMED")
        if follow_up.status == FollowUpStatus.PENDING:
            composer = f"http://{HOST}:8000/letters/new/?follow_up={follow_up.pk}"
            assert str(event["URL"]) == composer
            assert composer in str(event["DESCRIPTION"])
    assert set(events) == expected


def test_an_interview_and_its_thank_you_are_in_the_feed(client, owner, feed):
    interview = record_interview(owner)

    events = read_feed(client, feed)

    check_against_database(events, owner)
    event = events[f"interview-{interview.pk}@{HOST}"]
    assert str(event["SUMMARY"]) == "Video interview: Data Engineer at Acme, Inc.; Data"
    assert "With: Ada Lovelace (CTO)" in str(event["DESCRIPTION"])
    assert "Join: https://meet.example/abc-defg" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://meet.example/abc-defg"
    thank_you = FollowUp.objects.get(interview=interview)
    assert thank_you.due_on == date(2030, 3, 5)
    assert str(events[f"follow-up-{thank_you.pk}@{HOST}"]["SUMMARY"]) == (
        "Thank-you letter to Ada Lovelace: Data Engineer at Acme, Inc.; Data"
    )


def test_moving_an_interview_keeps_its_uid_and_raises_its_sequence(client, owner, feed):
    interview = record_interview(owner)
    before = read_feed(client, feed)
    seats = [(seat.contact, seat.cares_about) for seat in interview.interviewers.all()]

    moved_to = datetime(2030, 3, 6, 15, 0, tzinfo=LONDON)
    services.interview_update(interview=interview, interviewers=seats, scheduled_at=moved_to)
    after = read_feed(client, feed)

    check_against_database(after, owner)
    uid = f"interview-{interview.pk}@{HOST}"
    assert after[uid].decoded("DTSTART") == moved_to
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    # The thank-you moved with it, to the day after.
    thank_you = FollowUp.objects.get(interview=interview)
    uid = f"follow-up-{thank_you.pk}@{HOST}"
    assert after[uid].decoded("DTSTART") == date(2030, 3, 7)
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]


def test_snoozing_a_follow_up_moves_its_entry(client, owner, feed):
    interview = record_interview(owner)
    thank_you = FollowUp.objects.get(interview=interview)
    uid = f"follow-up-{thank_you.pk}@{HOST}"
    before = read_feed(client, feed)

    services.follow_up_snooze(follow_up=thank_you, until=date(2030, 3, 8))
    after = read_feed(client, feed)

    check_against_database(after, owner)
    assert after[uid].decoded("DTSTART") == date(2030, 3, 8)
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]


def test_a_skipped_follow_up_is_cancelled_and_the_next_one_appears(client, owner, feed):
    interview = record_interview(owner)
    thank_you = FollowUp.objects.get(interview=interview)
    uid = f"follow-up-{thank_you.pk}@{HOST}"
    before = read_feed(client, feed)

    planned = services.follow_up_skip(follow_up=thank_you, today=date(2030, 3, 5))
    after = read_feed(client, feed)

    check_against_database(after, owner)
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    assert str(after[f"follow-up-{planned.pk}@{HOST}"]["STATUS"]) == "CONFIRMED"


@pytest.mark.parametrize("closing", [Status.HIRED, Status.ELIMINATED])
def test_closing_the_application_cancels_its_entries(client, owner, feed, closing):
    interview = record_interview(owner)
    thank_you = FollowUp.objects.get(interview=interview)
    before = read_feed(client, feed)

    services.application_set_status(application=interview.application, status=closing)
    after = read_feed(client, feed)

    check_against_database(after, owner)
    for uid in (f"interview-{interview.pk}@{HOST}", f"follow-up-{thank_you.pk}@{HOST}"):
        assert str(after[uid]["STATUS"]) == "CANCELLED"
        assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]


def test_reopening_brings_the_interview_back_with_a_higher_sequence(client, owner, feed):
    interview = record_interview(owner)
    application = interview.application
    services.application_set_status(application=application, status=Status.ELIMINATED)
    closed = read_feed(client, feed)

    services.application_set_status(
        application=application, status=Status.INTERVIEWING, today=date(2030, 3, 10)
    )
    reopened = read_feed(client, feed)

    check_against_database(reopened, owner)
    uid = f"interview-{interview.pk}@{HOST}"
    assert str(reopened[uid]["STATUS"]) == "CONFIRMED"
    assert reopened[uid]["SEQUENCE"] > closed[uid]["SEQUENCE"]


def test_renaming_a_contact_raises_the_sequence_of_the_entries_naming_them(client, owner, feed):
    """Entries show the panel's names and roles and whom a letter goes to: a contact edited
    through its page changes those entries, and only a shown field counts."""
    interview = record_interview(owner)
    thank_you = FollowUp.objects.get(interview=interview)
    ada = thank_you.contact
    uids = [f"interview-{interview.pk}@{HOST}", f"follow-up-{thank_you.pk}@{HOST}"]
    client.force_login(owner)
    edit = reverse("contacts:update", args=[ada.pk])
    fields = {"name": ada.name, "role": ada.role, "organisation": "", "email": "", "phone": ""}
    client.post(edit, fields | {"phone": "+44 20 7946 0000"})
    before = read_feed(client, feed)
    assert [before[uid]["SEQUENCE"] for uid in uids] == [
        interview.revision + interview.application.revision,
        thank_you.revision + thank_you.application.revision,
    ]  # the phone number shows nowhere: nothing changed for a calendar

    client.force_login(owner)
    response = client.post(edit, fields | {"name": "Ada King", "role": "Chief Technology Officer"})
    assert response.status_code == 302
    after = read_feed(client, feed)

    check_against_database(after, owner)
    for uid in uids:
        assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"] + 1
    assert "With: Ada King (Chief Technology Officer)" in str(after[uids[0]]["DESCRIPTION"])
    assert str(after[uids[1]]["SUMMARY"]).startswith("Thank-you letter to Ada King")


def test_the_reminder_bookkeeping_does_not_count_as_a_change(client, owner, feed):
    interview = record_interview(owner)
    before = read_feed(client, feed)

    FollowUp.objects.filter(interview=interview).update(remind_at=timezone.now())
    after = read_feed(client, feed)

    assert {uid: e["SEQUENCE"] for uid, e in after.items()} == {
        uid: e["SEQUENCE"] for uid, e in before.items()
    }


def test_cancelled_entries_leave_the_feed_a_month_after_they_were_cancelled(client, owner, feed):
    interview = record_interview(owner)
    thank_you = FollowUp.objects.get(interview=interview)
    services.follow_up_skip(follow_up=thank_you, today=date(2030, 3, 5))
    uid = f"follow-up-{thank_you.pk}@{HOST}"
    assert uid in read_feed(client, feed)

    # Not a change to what the entry shows: the revision stays, only the time moves back.
    a_while_ago = timezone.now() - CANCELLED_KEEP - timedelta(minutes=1)
    FollowUp.objects.filter(pk=thank_you.pk).update(revised_at=a_while_ago)
    type(interview.application).objects.filter(pk=interview.application_id).update(
        revised_at=a_while_ago
    )

    events = read_feed(client, feed)
    assert uid not in events
    assert f"interview-{interview.pk}@{HOST}" in events  # still planned


def test_entries_long_past_are_left_out(client, owner, feed):
    old = record_interview(owner, when=timezone.now() - timedelta(days=200))
    recent = record_interview(owner, when=timezone.now() - timedelta(days=10))

    events = read_feed(client, feed)

    assert f"interview-{old.pk}@{HOST}" not in events
    assert f"interview-{recent.pk}@{HOST}" in events


def test_times_are_utc_and_every_event_is_stamped(client, owner, feed):
    record_interview(owner)
    client.logout()
    raw = client.get(f"/calendar/feed/{feed.token}.ics").content.decode()
    unfolded = raw.replace("\r\n ", "")

    assert unfolded.startswith("BEGIN:VCALENDAR\r\n")
    assert "\r\nVERSION:2.0\r\n" in unfolded
    assert "\r\nPRODID:-//followup//Interviews and follow-ups//EN\r\n" in unfolded
    starts = [line for line in unfolded.split("\r\n") if line.startswith("DTSTART")]
    assert "DTSTART:20300304T103000Z" in starts  # 10:30 in London, in March, is 10:30 UTC
    assert "DTSTART;VALUE=DATE:20300305" in starts
    assert "VTIMEZONE" not in unfolded  # every time is UTC, so none is needed
    assert unfolded.count("\r\nDTSTAMP:") == unfolded.count("BEGIN:VEVENT") == 2
    assert all(
        line.endswith("Z")
        for line in unfolded.split("\r\n")
        if line.startswith(("DTSTAMP", "CREATED", "LAST-MODIFIED"))
    )


def test_a_stale_copy_saved_late_still_counts_up(owner):
    """Two copies of one row, each saved after the other's change: the count never repeats."""
    interview = record_interview(owner)
    first = Interview.objects.get(pk=interview.pk)
    second = Interview.objects.get(pk=interview.pk)
    start = first.revision

    first.save()
    second.save()  # read before the first save

    assert Interview.objects.get(pk=interview.pk).revision == start + 2
    assert second.revision == start + 2  # read back from the row, not guessed
