"""What a coach reads about their clients, always through the access rule."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import attrgetter, or_
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    FollowUp,
    Interview,
)
from followup.core.access import visible_owner_ids
from followup.letters.models import Letter

from .models import Coaching, CoachingStatus, InvitedBy

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


def clients_of(coach: User) -> dict[int, User]:
    """The consenting clients of `coach` by id, with what the coach's pages show of them."""
    clients = User.objects.filter(pk__in=client_ids_of(coach)).only("name", "email", "time_zone")
    return {client.pk: client for client in clients}


def todays_of(clients: dict[int, User]) -> dict[int, date]:
    """Each client's today, where they live: "due today" is their day, not the coach's."""
    return {
        pk: timezone.localdate(timezone=ZoneInfo(client.time_zone))
        for pk, client in clients.items()
    }


def _ids_by_day(todays: dict[int, date]) -> dict[date, list[int]]:
    # Clients' todays span at most three dates, so SQL compares with a handful of values.
    by_day = defaultdict(list)
    for pk, day in todays.items():
        by_day[day].append(pk)
    return by_day


def _client_today(todays: dict[int, date], field: str):
    """A SQL expression for the client's today, chosen by the client id in `field`."""
    whens = [
        When(**{f"{field}__in": ids}, then=Value(day)) for day, ids in _ids_by_day(todays).items()
    ]
    return Case(*whens, default=Value(None), output_field=DateField())


def _count(queryset):
    """COUNT(*) of a correlated subquery, 0 when nothing matches."""
    counted = queryset.order_by().values(queryset.owner_path).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _first(queryset, field: str, *, order: str):
    """The first value of `field` in a correlated subquery ordered by `order`, or NULL."""
    return Subquery(queryset.order_by(order).values(field)[:1])


@dataclass
class ClientRow:
    """One line of the coach's table: a client, the consent, and where their search stands."""

    coaching: Coaching
    open_applications: int
    overdue: int
    due_today: int
    next_interview: datetime | None
    last_activity: datetime | None

    @property
    def client(self) -> User:
        return self.coaching.client


def client_rows(
    coach: User, *, todays: dict[int, date], sort: str = DEFAULT_SORT, behind: bool = False
) -> list[ClientRow]:
    """Every consenting client of `coach` with their counts, in one query however many."""
    client_ids = list(todays)
    now = timezone.now()

    def of_client(queryset):
        return queryset.visible_to(coach).filter(**{queryset.owner_path: OuterRef("client_id")})

    open_follow_ups = of_client(FollowUp.objects.pending()).filter(
        application__status__in=OPEN_STATUSES
    )
    coachings = (
        Coaching.objects.active()
        .filter(coach=coach, client_id__in=client_ids)
        .select_related("client")
        .annotate(
            client_today=_client_today(todays, "client_id"),
            open_applications=_count(of_client(Application.objects.open())),
            overdue=_count(open_follow_ups.filter(due_on__lt=OuterRef("client_today"))),
            due_today=_count(open_follow_ups.filter(due_on=OuterRef("client_today"))),
            next_interview=_first(
                of_client(Interview.objects.filter(scheduled_at__gte=now)).filter(
                    application__status__in=OPEN_STATUSES
                ),
                "scheduled_at",
                order="scheduled_at",
            ),
            # Last activity: the latest of a timeline event, a letter written, an interview held.
            last_event_at=_first(
                of_client(ApplicationEvent.objects.all()), "occurred_at", order="-occurred_at"
            ),
            last_letter_at=_first(
                of_client(Letter.objects.all()), "updated_at", order="-updated_at"
            ),
            last_interview_at=_first(
                of_client(Interview.objects.filter(scheduled_at__lte=now)),
                "scheduled_at",
                order="-scheduled_at",
            ),
        )
    )
    if behind:
        coachings = coachings.filter(overdue__gt=0)
    rows = [
        ClientRow(
            coaching=coaching,
            open_applications=coaching.open_applications,
            overdue=coaching.overdue,
            due_today=coaching.due_today,
            next_interview=coaching.next_interview,
            last_activity=max(
                filter(
                    None,
                    [coaching.last_event_at, coaching.last_letter_at, coaching.last_interview_at],
                ),
                default=None,
            ),
        )
        for coaching in coachings
    ]
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


def due_follow_ups(
    coach: User, *, clients: dict[int, User], todays: dict[int, date], limit: int = DUE_LIST_LIMIT
) -> tuple[list[FollowUp], int]:
    """The `limit` most overdue follow-ups due by today across clients, and how many there are."""
    if not todays:
        return [], 0
    due_by_client_day = reduce(
        or_,
        [
            Q(application__owner__in=ids, due_on__lte=day)
            for day, ids in _ids_by_day(todays).items()
        ],
    )
    due = (
        FollowUp.objects.visible_to(coach)
        .pending()
        .filter(due_by_client_day, application__status__in=OPEN_STATUSES)
    )
    follow_ups = list(
        # The owners are in `clients` already: not fetched again with every row.
        due.select_related("application", "contact")
        # Only what a row shows: not the notes and the rest of each row.
        .only(
            "kind",
            "due_on",
            "contact__name",
            "application__owner_id",
            "application__position",
            "application__organisation",
        )
        .order_by("due_on", "application__owner__name", "pk")[:limit]
    )
    total = due.count()
    for follow_up in follow_ups:
        owner_id = follow_up.application.owner_id
        follow_up.application.owner = clients[owner_id]
        follow_up.days_overdue = (todays[owner_id] - follow_up.due_on).days
    return follow_ups, total


def pending_invitations_from(coach: User):
    """Invitations the coach sent that nobody has answered yet."""
    return Coaching.objects.filter(
        coach=coach, invited_by=InvitedBy.COACH, status=CoachingStatus.INVITED
    ).order_by("-created_at")


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
