"""Domain rules of the follow-up plan, through the services (DOMAIN.md rules 1, 3, 4 and 5)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.applications import services
from followup.applications.models import ApplicationEvent, FollowUp, FollowUpKind, Status
from followup.letters import services as letter_services
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner)


@pytest.fixture
def interviewers(owner):
    return [
        ContactFactory(owner=owner, name="Ada Park"),
        ContactFactory(owner=owner, name="Ben Ruiz"),
    ]


def interview(application, interviewers, when=datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)):
    return services.interview_create(
        application=application,
        scheduled_at=when,
        interviewers=[(c, "cares about data quality") for c in interviewers],
        today=when.date(),
        kind="video",
    )


def pending(application, kind=None):
    rows = FollowUp.objects.filter(application=application, status="pending")
    return list(rows.filter(kind=kind) if kind else rows)


def send(application, contact, kind, on, interview=None):
    letter = LetterFactory(application=application, contact=contact, kind=kind, interview=interview)
    return letter_services.letter_mark_sent(letter=letter, sent_on=on, signature="Olivia")


def test_an_interview_plans_one_thank_you_per_interviewer_due_next_day(application, interviewers):
    interview(application, interviewers)
    thank_yous = pending(application, FollowUpKind.THANK_YOU)
    assert sorted(f.contact.name for f in thank_yous) == ["Ada Park", "Ben Ruiz"]
    assert {f.due_on for f in thank_yous} == {date(2026, 12, 1)}


def test_interview_late_in_the_evening_uses_the_owners_date(application, interviewers, owner):
    # 23:30 in London on Monday is still Monday there: the thank-you is due Tuesday.
    interview(application, interviewers, when=datetime(2026, 11, 30, 23, 30, tzinfo=LONDON))
    assert {f.due_on for f in pending(application)} == {date(2026, 12, 1)}


def test_adding_an_interview_moves_applied_to_interviewing(application, interviewers):
    interview(application, interviewers)
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWING
    assert ApplicationEvent.objects.filter(
        application=application, to_status="interviewing"
    ).exists()


def test_sending_the_thank_you_starts_the_cadence_once(application, interviewers):
    meeting = interview(application, interviewers)
    nxt = send(application, interviewers[0], "thank_you", MONDAY, meeting)
    assert nxt.due_on == date(2026, 12, 7) and nxt.step == 1
    # The second interviewer's thank-you does not add a second touch for the same step.
    send(application, interviewers[1], "thank_you", MONDAY, meeting)
    assert len(pending(application, FollowUpKind.FOLLOW_UP)) == 1
    assert pending(application, FollowUpKind.THANK_YOU) == []


def test_each_follow_up_sent_schedules_the_next_step_further_out(application, interviewers):
    meeting = interview(application, interviewers)
    send(application, interviewers[0], "thank_you", MONDAY, meeting)
    first = send(application, interviewers[0], "follow_up", date(2026, 12, 7))
    second = send(application, interviewers[0], "follow_up", date(2026, 12, 21))
    assert (first.step, first.due_on) == (2, date(2026, 12, 21))
    assert (second.step, second.due_on) == (3, date(2027, 1, 11))
    done = FollowUp.objects.filter(application=application, status="done", kind="follow_up")
    assert done.count() == 2 and all(f.letter_id for f in done)


def test_per_application_cadence_overrides_the_users(application, interviewers, owner):
    owner.cadence_first_days = 3
    owner.save()
    application.cadence_first_days = 10
    application.save()
    meeting = interview(application, interviewers)
    nxt = send(application, interviewers[0], "thank_you", MONDAY, meeting)
    assert nxt.due_on == date(2026, 12, 10)


def test_setting_a_decision_date_moves_the_next_follow_up_after_it(application, interviewers):
    meeting = interview(application, interviewers)
    send(application, interviewers[0], "thank_you", MONDAY, meeting)
    services.application_update(
        application=application, today=MONDAY, decision_date=date(2026, 12, 18)
    )
    [nxt] = pending(application, FollowUpKind.FOLLOW_UP)
    assert nxt.due_on == date(2026, 12, 21)


def test_a_new_interview_restarts_the_cycle(application, interviewers, owner):
    meeting = interview(application, interviewers)
    send(application, interviewers[0], "thank_you", MONDAY, meeting)
    send(application, interviewers[0], "follow_up", date(2026, 12, 7))

    third = ContactFactory(owner=owner, name="Cleo Diaz")
    services.interview_create(
        application=application,
        scheduled_at=datetime(2026, 12, 10, 15, 0, tzinfo=LONDON),
        interviewers=[(third, "")],
        today=date(2026, 12, 10),
    )
    assert pending(application, FollowUpKind.FOLLOW_UP) == []
    [thank_you] = pending(application, FollowUpKind.THANK_YOU)
    assert thank_you.contact == third and thank_you.due_on == date(2026, 12, 11)
    # And the cadence starts over at step 1 after that thank-you.
    assert send(application, third, "thank_you", date(2026, 12, 11)).step == 1


@pytest.mark.parametrize("closed", [Status.HIRED, Status.ELIMINATED, Status.WITHDRAWN])
def test_closing_cancels_every_pending_follow_up_at_once(application, interviewers, closed):
    meeting = interview(application, interviewers)
    send(application, interviewers[0], "thank_you", MONDAY, meeting)
    assert len(pending(application)) == 2  # Ben's thank-you, and the first follow-up

    services.application_set_status(application=application, status=closed, today=MONDAY)

    assert pending(application) == []
    assert FollowUp.objects.filter(application=application, status="cancelled").count() == 2


def test_letters_sent_after_closing_plan_nothing(application, interviewers):
    interview(application, interviewers)
    services.application_set_status(application=application, status="eliminated", today=MONDAY)
    send(application, interviewers[0], "closing", MONDAY)
    send(application, interviewers[0], "follow_up", MONDAY)
    assert pending(application) == []


def test_reopening_plans_from_that_day_without_a_backlog(application, interviewers):
    meeting = interview(application, interviewers)
    send(application, interviewers[0], "thank_you", MONDAY, meeting)
    services.application_set_status(application=application, status="withdrawn", today=MONDAY)

    reopened_on = MONDAY + timedelta(days=60)  # several cadence steps went by while closed
    services.application_set_status(
        application=application, status="interviewing", today=reopened_on
    )
    [nxt] = pending(application)
    assert (nxt.step, nxt.due_on) == (1, date(2027, 2, 5))
    assert nxt.contact == interviewers[0]


def test_skipping_a_follow_up_plans_the_next_step(application, interviewers):
    meeting = interview(application, interviewers)
    send(application, interviewers[0], "thank_you", MONDAY, meeting)
    [first] = pending(application, FollowUpKind.FOLLOW_UP)
    nxt = services.follow_up_skip(follow_up=first, today=date(2026, 12, 7))
    assert (nxt.step, nxt.due_on) == (2, date(2026, 12, 21))
    assert services.follow_up_skip(follow_up=first, today=date(2026, 12, 7)) is None


def test_recording_a_reply_puts_it_on_the_timeline(application):
    services.application_record_reply(application=application, text="They will decide Friday.")
    assert application.events.filter(kind="reply", text="They will decide Friday.").exists()
