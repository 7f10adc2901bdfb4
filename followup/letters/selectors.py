"""Reads of letters for other apps' pages."""

from django.db.models import OuterRef, QuerySet, Subquery

from followup.applications.models import FollowUp

from .models import Letter


def with_drafts(follow_ups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """Give each follow-up its draft in progress, in the same query: `draft_id` and
    `draft_edited_at`, both None when nothing is written yet.

    A follow-up has at most one draft (the constraint `letter_one_draft_per_follow_up`, whose
    index serves these subqueries), so a page lists any number of rows in one query.
    """
    draft = Letter.objects.drafts().filter(follow_up=OuterRef("pk")).order_by()
    return follow_ups.annotate(
        draft_id=Subquery(draft.values("pk")[:1]),
        draft_edited_at=Subquery(draft.values("updated_at")[:1]),
    )
