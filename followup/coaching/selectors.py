"""What a coach reads about their clients, always through the access rule."""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.db.models import (
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
)
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    FollowUp,
)
from followup.contacts.models import Contact
from followup.core import listing
from followup.core.access import commentable_owner_ids, visible_owner_ids
from followup.core.prebuilt import Prebuilt
from followup.interviews.models import Interview
from followup.letters.models import Letter

from .models import (
    COMMENT_LEVELS,
    AccessAction,
    Coaching,
    CoachingStatus,
    Comment,
    EndedBy,
    InvitedBy,
    Level,
    comment_part_choices,
    log_line,
)
from .review_queue import ReviewRequest, review_queue

LEVEL_LABELS = dict(Level.choices)
SORTS = ("name", "overdue", "due_today", "next_interview", "last_activity")
DEFAULT_SORT = "name"


def client_ids_of(coach: User) -> list[int]:
    """Ids of the people who consent, right now, to `coach` seeing their data."""
    return [pk for pk in visible_owner_ids(coach) if pk != coach.pk]


def client_visible_to(coach: User, client_id: int) -> User:
    """The client `coach` may see, or 404: a stranger, a former client and oneself alike."""
    if client_id == coach.pk or client_id not in visible_owner_ids(coach):
        raise Http404("Not found.")
    return User.objects.get(pk=client_id)


def client_opened_by(coach: User, client_id: int, *, what: str, path: str) -> User:
    """The client for a coach's page about them, the read written to the client's access log
    (as the fetch helpers log a coach's reads); 404 like `client_visible_to`."""
    client = client_visible_to(coach, client_id)
    log_line(
        client=client, coach=coach, action=AccessAction.VIEWED, what=what, path=path[:500]
    ).save()
    return client


def clients_of(coach: User) -> dict[int, User]:
    """The consenting clients of `coach` by id, with what the coach's pages show of them."""
    clients = User.objects.filter(pk__in=client_ids_of(coach)).only("name", "email", "time_zone")
    return {client.pk: client for client in clients}


def todays_of(clients: dict[int, User]) -> dict[int, date]:
    """Each client's today, where they live: "due today" is their day, not the coach's."""
    # One ZoneInfo lookup per zone, not per client: clients share a handful of zones.
    now = timezone.now()
    days: dict[str, date] = {}
    todays = {}
    for pk, client in clients.items():
        if client.time_zone not in days:
            days[client.time_zone] = timezone.localtime(now, client.zone).date()
        todays[pk] = days[client.time_zone]
    return todays


@dataclass(frozen=True)
class DueCount:
    """A client's open follow-ups due before their today, and due on it."""

    overdue: int = 0
    due_today: int = 0


class DueRow(NamedTuple):
    """A follow-up due by its owner's today, as little as the counts and the order need."""

    pk: int
    owner_id: int
    due_on: date


@functools.lru_cache(maxsize=64)
def _due_statement(count: int) -> Prebuilt:
    """`due_rows` for `count` clients; values: the latest of their todays, then their ids."""
    client_ids = _stand_in_ids(count)
    query = (
        FollowUp.objects.still_due()
        .filter(application__owner__in=client_ids, due_on__lte=SOME_DAY)
        .order_by()
        .values_list("pk", "application__owner", "due_on")
        .query
    )
    return Prebuilt(query, [*client_ids, SOME_DAY])


def due_rows(coach: User, *, todays: dict[int, date]) -> list[DueRow]:
    """Every follow-up due by its owner's today across `todays`' clients, in one query.

    Plain tuples: the counts and the due list's order are computed from them in Python, which
    costs less than having SQL group them and order by each client's name (a CASE of one branch
    per client, which Django took longer to build than PostgreSQL to run). The query asks for
    what is due by the latest of the clients' todays (they differ by a day at most), and each
    client's own today is applied here: so it has one shape per number of clients, built once
    per process (`followup.core.prebuilt`).
    """
    # The access rule (`visible_to`): only clients whose consent lets the coach read.
    visible = set(visible_owner_ids(coach))
    client_ids = [pk for pk in todays if pk in visible and pk != coach.pk]
    if not client_ids:
        return []
    latest = max(todays[pk] for pk in client_ids)
    rows = _due_statement(len(client_ids)).run([*client_ids, latest])
    return [DueRow(*row) for row in rows if row[2] <= todays[row[1]]]


def count_due(rows: list[DueRow], *, todays: dict[int, date]) -> dict[int, DueCount]:
    """Each client's overdue and due-today counts.

    The clients table and the total above the due list both read these, so they always agree.
    """
    overdue, due_today = defaultdict(int), defaultdict(int)
    for row in rows:
        if row.due_on < todays[row.owner_id]:
            overdue[row.owner_id] += 1
        else:
            due_today[row.owner_id] += 1
    return {
        owner_id: DueCount(overdue=overdue[owner_id], due_today=due_today[owner_id])
        for owner_id in overdue.keys() | due_today.keys()
    }


def due_counts(coach: User, *, todays: dict[int, date]) -> dict[int, DueCount]:
    """Each client's overdue and due-today counts, from one query."""
    return count_due(due_rows(coach, todays=todays), todays=todays)


@dataclass
class ClientRow:
    """One line of the coach's table: a client, the consent, and where their search stands."""

    coaching: Coaching
    open_applications: int
    overdue: int
    due_today: int
    next_interview: datetime | None
    last_activity: datetime | None
    # The client's page: made once per page (listing.url_for_ids), not by a tag per row.
    url: str = ""

    @property
    def client(self) -> User:
        return self.coaching.client

    # The dates as the table shows them, in the coach's zone, formatted in Python: the `date`
    # filter, twice per row, was a fifth of the page's time with 50 clients.
    @property
    def level_label(self) -> str:
        # Not get_level_display(), which rebuilds a dict of the choices at each call.
        return LEVEL_LABELS[self.coaching.level]

    @property
    def next_interview_label(self) -> str:
        return listing.day_and_time(self.next_interview)

    @property
    def last_activity_label(self) -> str:
        return listing.day_month_year(self.last_activity)


def _figures(now: datetime) -> dict[str, RawSQL]:
    """The clients table's figures, each a correlated subquery on the consent's client.

    Written as SQL: Django took ~4 ms a page to build and compile the same five subqueries from
    querysets (as many as PostgreSQL took to run the page's every query). The conditions are
    those of `Application.objects.open()` and `Interview.objects.of_open_applications()`. Only
    table and column names from the models are put in the text; values go as parameters.
    """
    apps = Application._meta.db_table
    client_apps = f"{apps} a WHERE a.owner_id = {Coaching._meta.db_table}.client_id"
    is_open = f" AND a.status IN ({', '.join(['%s'] * len(OPEN_STATUSES))})"
    at = connection.ops.adapt_datetimefield_value(now)

    def of_client(select: str, model=None, where: str = "", params=(), *, count=False) -> RawSQL:
        rows = client_apps
        if model is not None:
            rows = f"{model._meta.db_table} x, {client_apps} AND a.id = x.application_id"
        sql = f"SELECT {select} FROM {rows}{where}"  # noqa: S608
        # The field says how to read the value back (SQLite returns datetimes as text).
        output = IntegerField() if count else DateTimeField()
        return RawSQL(sql, params, output_field=output)  # noqa: S611 - names from the models

    return {
        "open_applications": of_client("COUNT(*)", None, is_open, OPEN_STATUSES, count=True),
        "next_interview": of_client(
            "MIN(x.scheduled_at)",
            Interview,
            f"{is_open} AND x.scheduled_at >= %s",
            (*OPEN_STATUSES, at),
        ),  # fmt: skip
        # Last activity: the latest of a timeline event, a letter written, an interview held.
        "last_event_at": of_client("MAX(x.occurred_at)", ApplicationEvent),
        "last_letter_at": of_client("MAX(x.updated_at)", Letter),
        "last_interview_at": of_client(
            "MAX(x.scheduled_at)", Interview, " AND x.scheduled_at <= %s", (at,)
        ),
    }


# What `consents_with_figures` reads of a consent and its client, then the figures.
CONSENT_COLUMNS = ("id", "level", "client_id")
CLIENT_COLUMNS = ("client__name", "client__email", "client__time_zone")
FIGURES = (
    "open_applications",
    "next_interview",
    "last_event_at",
    "last_letter_at",
    "last_interview_at",
)

# Stand-ins for a prebuilt statement's values (`followup.core.prebuilt`): no row has them.
SOME_DAY = date(1900, 1, 1)
SOME_TIME = datetime(1900, 1, 1, tzinfo=UTC)


def _stand_in_ids(count: int, *, after: int = 0) -> list[int]:
    """`count` negative ids, none of them another stand-in's (`after` of those come first)."""
    return list(range(-1 - after, -1 - after - count, -1))


@functools.lru_cache(maxsize=64)
def _consents_statement(count: int) -> Prebuilt:
    """`consents_with_figures` for `count` clients; values: coach, today, now, the ids."""
    coach, client_ids = _stand_in_ids(1), _stand_in_ids(count, after=1)
    query = (
        Coaching.objects.active(today=SOME_DAY)
        .filter(coach=coach[0], client_id__in=client_ids)
        .annotate(**_figures(SOME_TIME))
        .order_by()  # the table sorts its rows itself (`sort_rows`)
        .values_list(*CONSENT_COLUMNS, *CLIENT_COLUMNS, *FIGURES)
        .query
    )
    return Prebuilt(query, [*coach, SOME_DAY, SOME_TIME, *client_ids])


def _instance(model, values: dict):
    """A `model` instance of these columns only (by attname), as a queryset's `only()` gives:
    the other columns load when read.

    Not through `Model.__init__`, which sets every field and sends two signals for each of
    the page's hundred instances (about a tenth of the page's time); as `from_db` does, the
    instance is marked as read from the database.
    """
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, model.objects.db
    instance.__dict__.update(values)
    return instance


def consents_with_figures(coach: User, client_ids: list[int]) -> list[Coaching]:
    """The active consents of `client_ids` to `coach`, each with its client (what the pages
    show of them) and the figures of the clients table, in one query however many.

    The access rule is applied once, to the lines (consenting clients only, `client_ids`);
    repeating it in each subquery could not narrow them further. The statement is built once
    per process and number of clients: building it took Django longer than running it.
    """
    if not client_ids:
        return []
    statement = _consents_statement(len(client_ids))
    rows = statement.run([coach.pk, timezone.localdate(), timezone.now(), *client_ids])
    consents = []
    for pk, level, client_id, name, email, time_zone, *figures in rows:
        coaching = _instance(Coaching, {"id": pk, "level": level, "client_id": client_id})
        coaching.client = _instance(
            User, {"id": client_id, "name": name, "email": email, "time_zone": time_zone}
        )
        for figure, value in zip(FIGURES, figures, strict=True):
            setattr(coaching, figure, value)
        consents.append(coaching)
    return consents


def client_rows(
    consents: list[Coaching],
    *,
    due: dict[int, DueCount],
    sort: str = DEFAULT_SORT,
    behind: bool = False,
) -> list[ClientRow]:
    """A line per consent (`consents_with_figures`), sorted; only those behind if `behind`.

    `due` holds the clients' overdue and due-today counts (`count_due`): a client missing from
    it has nothing due.
    """
    client_url = listing.url_for_ids("coaching:client")
    rows = []
    for coaching in consents:
        count = due.get(coaching.client_id, DueCount())
        if behind and not count.overdue:
            continue
        activity = [coaching.last_event_at, coaching.last_letter_at, coaching.last_interview_at]
        rows.append(
            ClientRow(
                coaching=coaching,
                open_applications=coaching.open_applications,
                overdue=count.overdue,
                due_today=count.due_today,
                next_interview=coaching.next_interview,
                last_activity=max(filter(None, activity), default=None),
                url=client_url(coaching.client_id),
            )
        )
    return sort_rows(rows, sort)


def parse_sort(sort: str) -> tuple[str, bool]:
    """("overdue", True) for "-overdue"; the default for anything unknown."""
    field, descending = sort.removeprefix("-"), sort.startswith("-")
    return (field, descending) if field in SORTS else (DEFAULT_SORT, False)


def sort_rows(rows: list[ClientRow], sort: str) -> list[ClientRow]:
    """Sort by `sort` ("-" for descending), ties by name; rows without a value come last."""
    field, descending = parse_sort(sort)
    rows = sorted(rows, key=lambda row: row.client.display_name.lower())
    if field == "name":
        return rows[::-1] if descending else rows
    present = [row for row in rows if getattr(row, field) is not None]
    missing = [row for row in rows if getattr(row, field) is None]
    # Python's sort is stable, also in reverse: equal values stay in name order.
    return sorted(present, key=attrgetter(field), reverse=descending) + missing


# The cross-client list shows the most overdue first, up to this many; the table above it counts
# every client's overdue and due-today follow-ups, and each client's page lists them all.
DUE_LIST_LIMIT = 20


# Only what a line of the due list shows of a follow-up: not the notes and the rest of each row.
DUE_LIST_COLUMNS = (
    "id",
    "kind",
    "due_on",
    "application_id",
    "application__owner_id",
    "application__position",
    "application__organisation",
    "contact_id",
    "contact__name",
)


@functools.lru_cache(maxsize=DUE_LIST_LIMIT + 1)
def _due_list_statement(count: int) -> Prebuilt:
    """The due list's `count` follow-ups, whose ids (from `due_rows`) are its values."""
    ids = _stand_in_ids(count)
    query = FollowUp.objects.filter(pk__in=ids).values_list(*DUE_LIST_COLUMNS).query
    return Prebuilt(query, ids)


def _due_follow_up(
    pk, kind, due_on, application_id, owner_id, position, organisation, contact_id, contact_name
) -> FollowUp:
    """A follow-up of the due list with its application and contact, from its columns."""
    follow_up = _instance(
        FollowUp,
        {"id": pk, "kind": kind, "due_on": due_on, "application_id": application_id,
         "contact_id": contact_id},
    )  # fmt: skip
    follow_up.application = _instance(
        Application,
        {"id": application_id, "owner_id": owner_id, "position": position,
         "organisation": organisation},
    )  # fmt: skip
    follow_up.contact = (
        _instance(Contact, {"id": contact_id, "name": contact_name}) if contact_id else None
    )
    return follow_up


def most_overdue_of(
    rows: list[DueRow],
    *,
    clients: dict[int, User],
    todays: dict[int, date],
    limit: int = DUE_LIST_LIMIT,
) -> list[FollowUp]:
    """The `limit` most overdue of `rows` (`due_rows`); same day: by client name. One query."""
    by_name = sorted(clients.values(), key=lambda client: (client.display_name.lower(), client.pk))
    name_order = {client.pk: n for n, client in enumerate(by_name)}
    chosen = sorted(rows, key=lambda row: (row.due_on, name_order[row.owner_id], row.pk))[:limit]
    if not chosen:
        return []
    found = _due_list_statement(len(chosen)).run([row.pk for row in chosen])
    by_pk = {row[0]: _due_follow_up(*row) for row in found}
    follow_ups = [by_pk[row.pk] for row in chosen if row.pk in by_pk]
    application_url = listing.url_for_ids("applications:detail")
    for follow_up in follow_ups:
        owner_id = follow_up.application.owner_id
        follow_up.application.owner = clients[owner_id]
        follow_up.days_overdue = (todays[owner_id] - follow_up.due_on).days
        follow_up.application_url = application_url(follow_up.application_id)
        follow_up.due_label = listing.weekday_day_month(follow_up.due_on)
    return follow_ups


def most_overdue(
    coach: User, *, clients: dict[int, User], todays: dict[int, date], limit: int = DUE_LIST_LIMIT
) -> list[FollowUp]:
    """The `limit` most overdue follow-ups due by today across clients; same day: by name."""
    rows = due_rows(coach, todays=todays)
    return most_overdue_of(rows, clients=clients, todays=todays, limit=limit)


def pending_invitations_from(coach: User):
    """Invitations the coach sent that nobody has answered yet."""
    return Coaching.objects.filter(
        coach=coach, invited_by=InvitedBy.COACH, status=CoachingStatus.INVITED
    ).order_by("-created_at")


@functools.cache
def _pending_invitations_statement() -> Prebuilt:
    """`pending_invitations_from`, what the dashboard shows of them; value: the coach's id."""
    coach = _stand_in_ids(1)
    query = pending_invitations_from(coach[0]).values_list("id", "invited_email", "created_at")
    return Prebuilt(query.query, coach)


def pending_invitations_listed(coach: User) -> list[Coaching]:
    """`pending_invitations_from` with only what the dashboard lists of each."""
    rows = _pending_invitations_statement().run([coach.pk])
    return [
        _instance(Coaching, {"id": pk, "invited_email": email, "created_at": created_at})
        for pk, email, created_at in rows
    ]


@dataclass(frozen=True)
class CoachDashboard:
    """The coach's page: a line per consenting client, the work due across them, invitations."""

    rows: list[ClientRow]
    # The most overdue follow-ups of all clients, up to DUE_LIST_LIMIT; `due_total` counts them
    # all, from the same figures as the rows, so the two always agree.
    due_list: list[FollowUp]
    due_total: int
    invitations: list[Coaching]
    # Whether anyone consents at all: "nobody is behind" and "nobody yet" read differently.
    has_clients: bool
    # Letters clients asked the coach to review, oldest request first.
    reviews: list[ReviewRequest] = field(default_factory=list)


def coach_dashboard(
    *, coach: User, sort: str = DEFAULT_SORT, behind: bool = False
) -> CoachDashboard:
    """What the coach dashboard shows, in the same few queries however many clients.

    The consents are read once, with their clients and the table's figures; the follow-ups due
    once, as tuples, for both the counts and the due list's order.
    """
    consents = consents_with_figures(coach, client_ids_of(coach))
    clients = {coaching.client_id: coaching.client for coaching in consents}
    todays = todays_of(clients)
    due = due_rows(coach, todays=todays)
    counts = count_due(due, todays=todays)
    may_comment = {
        coaching.client_id: coaching.client
        for coaching in consents
        if coaching.level in COMMENT_LEVELS
    }
    return CoachDashboard(
        rows=client_rows(consents, due=counts, sort=sort, behind=behind),
        due_list=most_overdue_of(due, clients=clients, todays=todays),
        due_total=len(due),
        invitations=pending_invitations_listed(coach),
        has_clients=bool(clients),
        reviews=review_queue(coach, clients=may_comment),
    )


@functools.cache
def _ended_statement() -> Prebuilt:
    """`access_ended_lately`; values: coach, since, today."""
    coach = _stand_in_ids(1)[0]
    still_active = Coaching.objects.active(today=SOME_DAY).filter(coach=coach).values("client")
    query = (
        Coaching.objects.filter(
            coach=coach,
            status=CoachingStatus.ENDED,
            ended_by__in=[EndedBy.CLIENT, EndedBy.LAPSED],
            ended_at__gte=SOME_TIME,
            client__isnull=False,
        )
        .exclude(client__in=still_active)
        .order_by("-ended_at")
        .values_list(
            "id", "ended_at", "ends_on", "ended_by", "client_id", "client__name", "client__email"
        )
        .query
    )
    return Prebuilt(query, [coach, SOME_TIME, SOME_DAY])


def access_ended_lately(coach: User, *, days: int) -> list[Coaching]:
    """The consents clients ended, or that reached the end date they set, within `days`, latest
    first, unless they have given it back since; each with its client. Asked on every coach
    dashboard, so built once per process."""
    since = timezone.now() - timedelta(days=days)
    rows = _ended_statement().run([coach.pk, since, timezone.localdate()])
    ended = []
    for pk, ended_at, ends_on, ended_by, client_id, name, email in rows:
        values = {"id": pk, "ended_at": ended_at, "ends_on": ends_on, "ended_by": ended_by}
        coaching = _instance(Coaching, values | {"client_id": client_id})
        coaching.client = _instance(User, {"id": client_id, "name": name, "email": email})
        ended.append(coaching)
    return ended


def invitations_for(user: User) -> list[Coaching]:
    """Coaches' invitations waiting for `user`, sent to one of their confirmed addresses.

    Only a verified address counts: anyone can sign up with an address they do not own, and
    must not be shown what was sent to it.
    """
    still_valid = timezone.now() - timedelta(seconds=settings.COACHING_INVITATION_MAX_AGE)
    verified = EmailAddress.objects.filter(
        user=user, verified=True, email__iexact=OuterRef("invited_email")
    )
    return list(
        Coaching.objects.filter(
            Exists(verified),
            invited_by=InvitedBy.COACH,
            status=CoachingStatus.INVITED,
            created_at__gte=still_valid,
        )
        # A coach who invited their own second address cannot accept it: not shown.
        .exclude(coach=user)
        .select_related("coach")
        .order_by("-created_at")
    )


# --- Letter review --------------------------------------------------------------------------


def commenting_coaches(owner: User) -> QuerySet[User]:
    """The coaches who may comment on `owner`'s letters today."""
    coach_ids = (
        Coaching.objects.active().filter(client=owner, level__in=COMMENT_LEVELS).values("coach_id")
    )
    return User.objects.filter(pk__in=coach_ids, is_active=True).order_by("name", "email")


class CommentGroup(NamedTuple):
    part: str
    label: str
    comments: list[Comment]


def comment_groups(comments: list[Comment], letter_kind: str) -> list[CommentGroup]:
    """Comments grouped by part: the whole letter first, then part by part."""
    by_part: dict[str, list[Comment]] = {}
    for comment in comments:
        by_part.setdefault(comment.part, []).append(comment)
    return [
        CommentGroup(part, label, by_part[part])
        for part, label in comment_part_choices(letter_kind)
        if part in by_part
    ]


@dataclass(frozen=True)
class ReviewPanel:
    """What the composer's review panel shows one person: the comments and what they may do."""

    comment_groups: list[CommentGroup]
    is_letter_owner: bool
    # A coach comments with consent; the owner may always answer in the thread.
    can_comment: bool
    can_request_review: bool
    # A coach who may comment closes an open review request.
    can_mark_done: bool = False
    # Who closed the last review, if anyone did: "reviewed by your coach" for the job seeker.
    reviewed_by: User | None = None


def review_panel(*, letter: Letter, viewer: User) -> ReviewPanel:
    """The review panel of `letter` as `viewer` sees it, its comments read in one query."""
    owner_id = letter.application.owner_id
    is_owner = owner_id == viewer.pk
    coach_may_comment = not is_owner and owner_id in commentable_owner_ids(viewer)
    return ReviewPanel(
        comment_groups=comment_groups(list(letter.comments.select_related("author")), letter.kind),
        is_letter_owner=is_owner,
        can_comment=is_owner or coach_may_comment,
        can_request_review=is_owner
        and not letter.is_sent
        and letter.review_requested_at is None
        and commenting_coaches(viewer).exists(),
        can_mark_done=coach_may_comment
        and letter.review_requested_at is not None
        and not letter.is_sent,
        reviewed_by=letter.reviewed_by if letter.reviewed_at else None,
    )
