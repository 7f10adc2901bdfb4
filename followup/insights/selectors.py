"""What a person's own history says about their search, read in a few aggregate queries.

Every insight is computed for a set of owners: one person (their own page, or a client's page for
their coach) or a coach's whole caseload (consenting clients only, the caller decides). Each one
is a single query whatever the amount of data: conditional counts, correlated subqueries and
PostgreSQL's `percentile_cont`, never a query per row.

Days are the owner's: a timestamp becomes a date in the owner's time zone, in SQL.
"""

import functools
from dataclasses import dataclass
from statistics import median

from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Now

from followup.applications.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationEvent,
    EventKind,
    Status,
)
from followup.core.prebuilt import Prebuilt
from followup.letters.models import Gift, Letter, LetterKind

# A reply counts for a letter when it comes on the day the letter was sent or up to this many
# days after it.
REPLY_WINDOW_DAYS = 14
# Below this many letters in either group, a difference in shares says nothing yet.
MIN_LETTERS_TO_COMPARE = 5
# The stages of the funnel, in order; eliminated and withdrawn end it at whatever stage it was.
FUNNEL = (Status.APPLIED, Status.INTERVIEWING, Status.OFFER, Status.HIRED)
# Letters that ask, in effect, for an answer: a closing note does not.
LETTERS_SEEKING_REPLY = (LetterKind.THANK_YOU, LetterKind.FOLLOW_UP)
# The follow-ups chart groups applications by this many follow-ups, the last bucket "or more".
FOLLOW_UP_BUCKETS = 4


# --- Statements -----------------------------------------------------------------------------

# Each insight is one statement whose SQL Django builds once per process and number of owners
# (core/prebuilt.py): building these annotated aggregates cost Django several times what
# PostgreSQL takes to run them for one person.


def _stand_in_ids(count: int) -> list[int]:
    """`count` negative ids: where the owners' ids go in a statement's SQL."""
    return list(range(-1, -1 - count, -1))


def _rows(statement, owner_ids: list[int]) -> list[tuple]:
    """The rows of `statement` for these owners; none for no one (Django runs no query)."""
    if not owner_ids:
        return []
    return statement(len(owner_ids)).run(list(owner_ids))


# --- Expressions ----------------------------------------------------------------------------


def local_date(timestamp, zone):
    """The date of `timestamp` where the person whose time zone is `zone` lives."""
    # PostgreSQL's timezone(zone, timestamptz) is the wall-clock time in that zone.
    wall_clock = Func(zone, timestamp, function="timezone", output_field=DateTimeField())
    return Cast(wall_clock, DateField())


def application_started_on(prefix: str = ""):
    """The day an application started, as an expression over Application (or via `prefix`).

    The one place that says it: the date applied, which defaults to the owner's day of
    recording it (and was filled that way for rows older than the field).
    """
    return F(f"{prefix}applied_on")


def _event_day(zone):
    """The day of an event in a subquery, in `zone` (an OuterRef to the owner's time zone)."""
    return local_date(F("occurred_at"), zone)


def _stage(field: str):
    """How far down the funnel a status is (0 for applied, and for statuses off the funnel)."""
    return Case(
        *[When(**{field: status}, then=Value(n)) for n, status in enumerate(FUNNEL)],
        default=Value(0),
        output_field=IntegerField(),
    )


class Median(Aggregate):
    """The median (the mean of the two middle values for an even count), as PostgreSQL has it."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_between(later, earlier):
    # date - date is a whole number of days in PostgreSQL.
    return Func(later, earlier, template="(%(expressions)s)", arg_joiner=" - ")


# --- (1) The funnel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    status: str
    label: str
    applications: int
    # Of every application; None when there is none.
    percent: int | None


@dataclass(frozen=True)
class Funnel:
    """How many applications ever reached each stage, from applied to hired."""

    stages: list[Stage]

    @property
    def total(self) -> int:
        return self.stages[0].applications


def funnel(owner_ids: list[int]) -> Funnel:
    """Applications that ever reached each stage: by their status now or any earlier one.

    Reaching a stage counts for the stages before it too (an offer straight after applying
    went through interviewing), so the counts never grow down the funnel.
    """
    furthest = dict(_rows(_funnel_statement, owner_ids))
    counts = {
        status: sum(n for reached, n in furthest.items() if reached >= stage)
        for stage, status in enumerate(FUNNEL)
    }
    total = counts[Status.APPLIED]
    return Funnel(
        stages=[
            Stage(
                status=status,
                label=Status(status).label,
                applications=counts[status],
                percent=round(100 * counts[status] / total) if total else None,
            )
            for status in FUNNEL
        ]
    )


@functools.lru_cache(maxsize=64)
def _funnel_statement(count: int) -> Prebuilt:
    """(furthest stage, applications) for `count` owners."""
    owner_ids = _stand_in_ids(count)
    furthest_event = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"))
        .annotate(stage=Greatest(_stage("from_status"), _stage("to_status")))
        .order_by("-stage")
        .values("stage")[:1]
    )
    # One row per furthest stage (at most four), each application's furthest computed once.
    query = (
        Application.objects.filter(owner__in=owner_ids)
        .annotate(reached=Greatest(_stage("status"), Coalesce(Subquery(furthest_event), Value(0))))
        .order_by()
        .values_list("reached")
        .annotate(applications=Count("pk"))
        .query
    )
    return Prebuilt(query, owner_ids)


# --- (2) Gifts and replies ------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyShare:
    letters: int
    replied: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.replied / self.letters) if self.letters else None


@dataclass(frozen=True)
class GiftReplies:
    """Letters with a gift against letters without: how many got a reply within the window."""

    with_gift: ReplyShare
    without_gift: ReplyShare
    # Sent too recently to judge: their window is still open.
    waiting: int

    @property
    def can_compare(self) -> bool:
        return min(self.with_gift.letters, self.without_gift.letters) >= MIN_LETTERS_TO_COMPARE


def gift_replies(owner_ids: list[int]) -> GiftReplies:
    """Sent thank-you and follow-up letters, with and without a gift, and how many got a reply.

    A letter got a reply when its application has a reply event dated from the day it was sent
    to REPLY_WINDOW_DAYS after. Only letters whose window has passed count; the others are
    `waiting` (counting them now would call every recent letter unanswered).
    """
    # One row per owner, added up here.
    rows = _rows(_gift_replies_statement, owner_ids)
    gift, gift_replied, plain, plain_replied, waiting = (
        sum(row[column] for row in rows) for column in range(1, 6)
    )
    return GiftReplies(
        with_gift=ReplyShare(gift, gift_replied),
        without_gift=ReplyShare(plain, plain_replied),
        waiting=waiting,
    )


@functools.lru_cache(maxsize=64)
def _gift_replies_statement(count: int) -> Prebuilt:
    """(owner, gift, gift_replied, plain, plain_replied, waiting) for `count` owners."""
    owner_ids = _stand_in_ids(count)
    reply_in_window = ApplicationEvent.objects.annotate(
        day=_event_day(OuterRef("application__owner__time_zone"))
    ).filter(
        application=OuterRef("application"),
        kind=EventKind.REPLY,
        day__gte=OuterRef("sent_on"),
        day__lte=OuterRef("window_ends_on"),
    )
    owner_today = local_date(Now(), F("application__owner__time_zone"))
    has_gift, replied, closed = Q(has_gift=True), Q(replied=True), Q(window_ends_on__lt=owner_today)
    query = (
        Letter.objects.filter(
            application__owner__in=owner_ids, sent_on__isnull=False, kind__in=LETTERS_SEEKING_REPLY
        )
        .alias(
            # date + integer is a date in PostgreSQL.
            window_ends_on=ExpressionWrapper(
                F("sent_on") + Value(REPLY_WINDOW_DAYS), output_field=DateField()
            ),
            has_gift=Exists(Gift.objects.filter(letter=OuterRef("pk"))),
            replied=Exists(reply_in_window),
        )
        .order_by()
        .values_list("application__owner")
        .annotate(
            gift=Count("pk", filter=closed & has_gift),
            gift_replied=Count("pk", filter=closed & has_gift & replied),
            plain=Count("pk", filter=closed & ~has_gift),
            plain_replied=Count("pk", filter=closed & ~has_gift & replied),
            waiting=Count("pk", filter=~closed),
        )
        .query
    )
    return Prebuilt(query, owner_ids)


# --- (3) Time to a decision -----------------------------------------------------------------


@dataclass(frozen=True)
class DecisionTime:
    status: str
    label: str
    applications: int
    median_days: float


def decision_times(owner_ids: list[int]) -> list[DecisionTime]:
    """The median days from an application's start to its decision, per final status.

    The decision is the day of the latest event that set the status it has now; a closed
    application without one (none should exist: every change writes an event) is left out.
    """
    rows = _rows(_decision_times_statement, owner_ids)
    by_status = {status: (applications, days) for status, applications, days in rows}
    return [
        DecisionTime(
            status=status,
            label=Status(status).label,
            applications=by_status[status][0],
            median_days=by_status[status][1],
        )
        for status in CLOSED_STATUSES
        if status in by_status
    ]


@functools.lru_cache(maxsize=64)
def _decision_times_statement(count: int) -> Prebuilt:
    """(status, applications, median days) for `count` owners."""
    owner_ids = _stand_in_ids(count)
    decided_on = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-occurred_at", "-pk")
        .values(day=_event_day(OuterRef("owner__time_zone")))[:1]
    )
    rows = (
        Application.objects.filter(owner__in=owner_ids, status__in=CLOSED_STATUSES)
        .annotate(days=_days_between(Subquery(decided_on), application_started_on()))
        .filter(days__isnull=False)
        .order_by()
        .values_list("status")
        .annotate(applications=Count("pk"), median_days=Median("days"))
        .query
    )
    return Prebuilt(rows, owner_ids)


# --- (4) Follow-ups before the first reply -----------------------------------------------------


@dataclass(frozen=True)
class FollowUpCount:
    follow_ups: int
    label: str
    applications: int


@dataclass(frozen=True)
class FollowUpsBeforeReply:
    """For each application that got a reply: how many follow-up letters went before it."""

    buckets: list[FollowUpCount]
    median: float | None

    @property
    def applications(self) -> int:
        return sum(bucket.applications for bucket in self.buckets)


def follow_ups_before_reply(owner_ids: list[int]) -> FollowUpsBeforeReply:
    """How many follow-up letters (the thank-you is not one) were sent up to the first reply.

    A follow-up sent on the day of the reply counts as before it, as a reply on the day a
    letter was sent counts as its answer in `gift_replies`.
    """
    counts = dict(_rows(_follow_ups_statement, owner_ids))
    # The median from the grouped counts: as many values as applications, no more rows.
    values = [n for n, applications in sorted(counts.items()) for _ in range(applications)]
    top = FOLLOW_UP_BUCKETS
    buckets = [
        FollowUpCount(n, _follow_ups_label(n, last=n == top), _bucket(counts, n, last=n == top))
        for n in range(top + 1)
    ]
    return FollowUpsBeforeReply(buckets=buckets, median=median(values) if values else None)


@functools.lru_cache(maxsize=64)
def _follow_ups_statement(count: int) -> Prebuilt:
    """(follow-ups sent before the first reply, applications) for `count` owners."""
    owner_ids = _stand_in_ids(count)
    first_reply_on = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), kind=EventKind.REPLY)
        .order_by("occurred_at", "pk")
        .values(day=_event_day(OuterRef("owner__time_zone")))[:1]
    )
    sent_before = (
        Letter.objects.filter(
            application=OuterRef("pk"),
            kind=LetterKind.FOLLOW_UP,
            sent_on__lte=OuterRef("first_reply_on"),
        )
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Application.objects.filter(owner__in=owner_ids)
        .annotate(first_reply_on=Subquery(first_reply_on))
        .filter(first_reply_on__isnull=False)
        .annotate(sent_follow_ups=Coalesce(Subquery(sent_before), Value(0)))
        .order_by()
        .values_list("sent_follow_ups")
        .annotate(applications=Count("pk"))
        .query
    )
    return Prebuilt(rows, owner_ids)


def _bucket(counts: dict[int, int], n: int, *, last: bool) -> int:
    return sum(c for k, c in counts.items() if k >= n) if last else counts.get(n, 0)


def _follow_ups_label(n: int, *, last: bool) -> str:
    if n == 0:
        return "No follow-up"
    if last:
        return f"{n} or more"
    return f"{n} follow-up{'' if n == 1 else 's'}"


# --- The page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Insights:
    """Everything the insights page shows, for one person or a caseload: four queries."""

    funnel: Funnel
    gift_replies: GiftReplies
    decision_times: list[DecisionTime]
    follow_ups_before_reply: FollowUpsBeforeReply
    people: int

    @property
    def is_empty(self) -> bool:
        return self.funnel.total == 0


def insights_for(owner_ids: list[int]) -> Insights:
    """The four insights over the data of `owner_ids`; the caller has applied the access rule."""
    return Insights(
        funnel=funnel(owner_ids),
        gift_replies=gift_replies(owner_ids),
        decision_times=decision_times(owner_ids),
        follow_ups_before_reply=follow_ups_before_reply(owner_ids),
        people=len(owner_ids),
    )
