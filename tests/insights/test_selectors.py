"""Each insight on a small history built here, the expected figures worked out by hand."""

from datetime import UTC, date, datetime

import pytest

from followup.insights import selectors
from followup.insights.selectors import insights_for
from tests.factories import ApplicationFactory
from tests.insights.conftest import application, letter, reply

pytestmark = pytest.mark.django_db


# --- (1) The funnel -------------------------------------------------------------------------


@pytest.fixture
def pipeline(owner, days_ago):
    """Six applications, each with its own path through the statuses."""
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    return {
        "still_applied": application(owner, [("applied", None)], started=d(50)),
        "interviewing": application(
            owner, [("applied", None), ("interviewing", d(20))], started=d(50)
        ),
        "eliminated_after_interview": application(
            owner,
            [("applied", None), ("interviewing", d(30)), ("eliminated", d(10))],
            started=d(40),
        ),
        "hired": application(
            owner,
            [("applied", None), ("interviewing", d(40)), ("offer", d(20)), ("hired", d(5))],
            started=d(60),
        ),
        "eliminated_at_once": application(
            owner, [("applied", None), ("eliminated", d(15))], started=d(20)
        ),
        "withdrawn_after_offer": application(
            owner,
            [("applied", None), ("interviewing", d(25)), ("offer", d(12)), ("withdrawn", d(9))],
            started=d(30),
        ),
    }


def test_funnel_counts_every_stage_ever_reached(owner, pipeline):
    funnel = selectors.funnel([owner.pk])

    assert [(s.status, s.applications, s.percent) for s in funnel.stages] == [
        ("applied", 6, 100),
        # interviewing, eliminated_after_interview, hired, withdrawn_after_offer: 4 of 6 = 66.7%
        ("interviewing", 4, 67),
        # hired, withdrawn_after_offer: 2 of 6 = 33.3%
        ("offer", 2, 33),
        # hired: 1 of 6 = 16.7%
        ("hired", 1, 17),
    ]


def test_funnel_counts_an_offer_without_recorded_interview_as_past_interviewing(owner, days_ago):
    # Straight from applied to offer: an offer went through interviewing.
    application(
        owner, [("applied", None), ("offer", days_ago(1, at=True))], started=days_ago(9, at=True)
    )

    stages = selectors.funnel([owner.pk]).stages

    assert [s.applications for s in stages] == [1, 1, 1, 0]


def test_funnel_uses_the_current_status_without_history(owner):
    # Recorded before the timeline existed (no event at all), now at "offer".
    ApplicationFactory(owner=owner, status="offer")

    assert [s.applications for s in selectors.funnel([owner.pk]).stages] == [1, 1, 1, 0]


def test_funnel_of_nothing(owner):
    stages = selectors.funnel([owner.pk]).stages

    assert [(s.applications, s.percent) for s in stages] == [(0, None)] * 4


# --- (3) Time to a decision -----------------------------------------------------------------


def test_median_days_to_a_decision_by_final_status(owner, pipeline):
    times = selectors.decision_times([owner.pk])

    assert [(t.status, t.applications, t.median_days) for t in times] == [
        # hired: started 60 days ago, hired 5 days ago: 60 - 5 = 55
        ("hired", 1, 55.0),
        # eliminated_after_interview 40 - 10 = 30, eliminated_at_once 20 - 15 = 5:
        # an even count, the mean of the middle two: (5 + 30) / 2 = 17.5
        ("eliminated", 2, 17.5),
        # withdrawn_after_offer: 30 - 9 = 21
        ("withdrawn", 1, 21.0),
    ]


def test_a_reopened_application_is_decided_by_its_last_closing(owner, days_ago):
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    application(
        owner,
        [("applied", None), ("eliminated", d(30)), ("applied", d(20)), ("eliminated", d(2))],
        started=d(40),
    )

    # 40 - 2 = 38, not 40 - 30
    assert [(t.status, t.median_days) for t in selectors.decision_times([owner.pk])] == [
        ("eliminated", 38.0)
    ]


def test_median_of_three_is_the_middle_one(owner, days_ago):
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    for started in (10, 13, 40):  # 10 - 0, 13 - 0, 40 - 0: the middle one is 13
        application(owner, [("applied", None), ("hired", d(0))], started=d(started))

    assert [(t.applications, t.median_days) for t in selectors.decision_times([owner.pk])] == [
        (3, 13.0)
    ]


def test_no_decision_yet(owner, days_ago):
    application(owner, [("applied", None)], started=days_ago(3, at=True))

    assert selectors.decision_times([owner.pk]) == []


# --- (2) Gifts and replies ------------------------------------------------------------------


def _lettered(owner, *, sent, gift, replies=(), kind="thank_you"):
    app = ApplicationFactory(owner=owner)
    made = letter(app, sent_on=sent, gift=gift, kind=kind)
    for when in replies:
        reply(app, when)
    return made


def test_reply_shares_with_and_without_a_gift(owner, days_ago):
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    # With a gift, every window closed (sent 15 or more days ago):
    _lettered(owner, sent=days_ago(30), gift=True, replies=[d(30)])  # the same day: replied
    _lettered(owner, sent=days_ago(30), gift=True, replies=[d(16)])  # day 14: replied
    _lettered(owner, sent=days_ago(30), gift=True, replies=[d(15)])  # day 15: too late
    _lettered(owner, sent=days_ago(20), gift=True, replies=[d(21)])  # the day before: not
    _lettered(owner, sent=days_ago(20), gift=True)  # no reply
    # Without a gift: one replied (day 5) out of six.
    _lettered(owner, sent=days_ago(40), gift=False, replies=[d(35)])
    for _ in range(5):
        _lettered(owner, sent=days_ago(40), gift=False)
    # Not counted: windows still open (sent 3 and 14 days ago) ...
    _lettered(owner, sent=days_ago(3), gift=True, replies=[d(1)])
    _lettered(owner, sent=days_ago(14), gift=False)
    # ... a draft, and a closing note (it asks for no answer).
    _lettered(owner, sent=None, gift=True, replies=[d(1)])
    _lettered(owner, sent=days_ago(30), gift=False, replies=[d(29)], kind="closing")

    replies = selectors.gift_replies([owner.pk])

    # 2 of 5 = 40%; 1 of 6 = 16.7%
    assert (replies.with_gift.replied, replies.with_gift.letters, replies.with_gift.percent) == (
        2,
        5,
        40,
    )
    assert (
        replies.without_gift.replied,
        replies.without_gift.letters,
        replies.without_gift.percent,
    ) == (1, 6, 17)
    assert replies.waiting == 2
    assert replies.can_compare  # min(5, 6) = 5, the threshold


def test_a_reply_on_the_application_counts_for_each_letter_it_follows(owner, days_ago):
    app = ApplicationFactory(owner=owner)
    letter(app, sent_on=days_ago(30), gift=True)
    letter(app, sent_on=days_ago(25), kind="follow_up")
    reply(app, days_ago(20, at=True))  # day 10 of the first letter, day 5 of the second

    replies = selectors.gift_replies([owner.pk])

    assert (replies.with_gift.replied, replies.with_gift.letters) == (1, 1)
    assert (replies.without_gift.replied, replies.without_gift.letters) == (1, 1)


def test_too_few_letters_to_compare(owner, days_ago):
    for _ in range(4):  # 4 with a gift: one short of 5
        _lettered(owner, sent=days_ago(30), gift=True)
    for _ in range(9):
        _lettered(owner, sent=days_ago(30), gift=False)

    replies = selectors.gift_replies([owner.pk])

    assert (replies.with_gift.letters, replies.without_gift.letters) == (4, 9)
    assert not replies.can_compare


def test_no_letters_sent(owner):
    replies = selectors.gift_replies([owner.pk])

    assert (replies.with_gift.percent, replies.without_gift.percent) == (None, None)
    assert (replies.waiting, replies.can_compare) == (0, False)


# --- (4) Follow-ups before the first reply --------------------------------------------------


def test_follow_ups_sent_before_the_first_reply(owner, days_ago):
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    two = ApplicationFactory(owner=owner)
    letter(two, sent_on=days_ago(25))  # a thank-you: not a follow-up
    letter(two, sent_on=days_ago(20), kind="follow_up")
    letter(two, sent_on=days_ago(15), kind="follow_up")
    letter(two, sent_on=days_ago(5), kind="follow_up")  # after the reply
    reply(two, d(10))

    one = ApplicationFactory(owner=owner)
    letter(one, sent_on=days_ago(10), kind="follow_up")  # the day of the reply: before it
    letter(one, sent_on=None, kind="follow_up")  # a draft
    reply(one, d(10))

    none = ApplicationFactory(owner=owner)
    reply(none, d(10))
    letter(none, sent_on=days_ago(5), kind="follow_up")  # between the first and second reply
    reply(none, d(2))

    five = ApplicationFactory(owner=owner)
    for n in (30, 25, 20, 15, 12):
        letter(five, sent_on=days_ago(n), kind="follow_up")
    reply(five, d(11))

    no_reply = ApplicationFactory(owner=owner)
    for n in (30, 20, 10):
        letter(no_reply, sent_on=days_ago(n), kind="follow_up")

    before = selectors.follow_ups_before_reply([owner.pk])

    assert [(b.label, b.applications) for b in before.buckets] == [
        ("No follow-up", 1),
        ("1 follow-up", 1),
        ("2 follow-ups", 1),
        ("3 follow-ups", 0),
        ("4 or more", 1),  # five
    ]
    assert before.applications == 4  # no_reply is not one
    # 0, 1, 2, 5: an even count, (1 + 2) / 2 = 1.5
    assert before.median == 1.5


def test_no_reply_yet(owner, days_ago):
    letter(ApplicationFactory(owner=owner), sent_on=days_ago(3), kind="follow_up")

    before = selectors.follow_ups_before_reply([owner.pk])

    assert (before.applications, before.median) == (0, None)


# --- Whose data -----------------------------------------------------------------------------


def test_only_the_owners_asked_for(owner, stranger, pipeline, days_ago):
    application(
        stranger, [("applied", None), ("hired", days_ago(1, at=True))], started=days_ago(9, at=True)
    )

    mine, theirs = insights_for([owner.pk]), insights_for([stranger.pk])

    assert (mine.funnel.total, theirs.funnel.total) == (6, 1)
    assert [s.applications for s in theirs.funnel.stages] == [1, 1, 1, 1]
    assert insights_for([owner.pk, stranger.pk]).funnel.total == 7
    assert insights_for([]).is_empty


def test_a_reply_is_dated_in_the_owners_time_zone(owner):
    owner.time_zone = "America/Los_Angeles"
    owner.save()
    app = ApplicationFactory(owner=owner)
    letter(app, sent_on=date(2026, 1, 1), gift=True)
    # 03:00 UTC on 16 January is 19:00 on 15 January in Los Angeles: day 14, in the window
    # (by the UTC date it would be day 15, too late).
    reply(app, datetime(2026, 1, 16, 3, 0, tzinfo=UTC))

    replies = selectors.gift_replies([owner.pk])

    assert (replies.with_gift.replied, replies.with_gift.letters) == (1, 1)
