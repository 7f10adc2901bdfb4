"""The board: one person's applications as cards in a column per status, read in one query."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import F, OuterRef, Subquery

from followup.core.access import editable_owner_ids
from followup.core.listing import day_month

from .models import CLOSED_STATUSES, Application, FollowUp, Status


@dataclass
class Card:
    """One application on the board, with its next follow-up's due date."""

    application: Application
    next_due_on: date | None
    days_late: int  # 0 when nothing is due before the owner's today

    @property
    def next_due_label(self) -> str:
        return day_month(self.next_due_on) if self.next_due_on else ""


@dataclass
class Column:
    status: str
    label: str
    is_closed: bool
    cards: list[Card] = field(default_factory=list)


@dataclass
class Board:
    owner: object  # the User whose applications these are
    today: date  # the owner's today: "late" is counted in their days, whoever looks
    can_move: bool  # may the viewer change the statuses (the owner, or a coach at edit level)
    columns: list[Column]

    @property
    def open_columns(self) -> list[Column]:
        return [column for column in self.columns if not column.is_closed]

    @property
    def closed_columns(self) -> list[Column]:
        return [column for column in self.columns if column.is_closed]

    @cached_property
    def statuses(self) -> list[tuple[str, str]]:
        """Where a card can be moved, for the "Move to" menus."""
        return [(column.status, column.label) for column in self.columns]


def board_for(owner, *, viewer) -> Board:
    """The board of `owner`'s applications as `viewer` may see it (the caller checked they may).

    One query, however many applications: the next pending follow-up's due date is a subquery.
    """
    today = owner.today()
    next_due = FollowUp.objects.pending().filter(application=OuterRef("pk")).order_by("due_on")
    applications = (
        Application.objects.visible_to(viewer)
        .owned_by(owner)
        .annotate(next_due_on=Subquery(next_due.values("due_on")[:1]))
        # Who recorded each, in the same query: a card a coach added says so.
        .select_related("created_by")
        .only(
            "pk",
            "organisation",
            "position",
            "status",
            "updated_at",
            "owner_id",
            "created_by__name",
            "created_by__email",
        )
        # The most pressing first: the follow-up due soonest, then the last one touched.
        .order_by(F("next_due_on").asc(nulls_last=True), "-updated_at", "-pk")
    )
    columns = {
        status: Column(status=status, label=label, is_closed=status in CLOSED_STATUSES)
        for status, label in Status.choices
    }
    for application in applications:
        due = application.next_due_on
        late = (today - due).days if due is not None and due < today else 0
        columns[application.status].cards.append(Card(application, due, late))
    return Board(
        owner=owner,
        today=today,
        can_move=owner.pk in editable_owner_ids(viewer),
        columns=list(columns.values()),
    )
