"""The one rule of whose data a person may see and change.

Every query for user data starts from `<Model>.objects.visible_to(user)` or `editable_by(user)`,
which are built on the two functions below. Views fetch objects through `get_visible_or_404` and
`get_editable_or_404`: what a person may not see does not exist for them (404); what they may see
but not change is forbidden (403).
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


def visible_owner_ids(user) -> models.QuerySet | list:
    """Ids of the people whose data `user` may read: themselves."""
    if not user.is_authenticated:
        return []
    return [user.pk]


def editable_owner_ids(user) -> models.QuerySet | list:
    """Ids of the people whose data `user` may change: themselves."""
    if not user.is_authenticated:
        return []
    return [user.pk]


class OwnedQuerySet(models.QuerySet):
    """A queryset of rows that belong to one person, reached through `owner_path`."""

    owner_path = "owner"

    def visible_to(self, user):
        return self.filter(**{f"{self.owner_path}__in": visible_owner_ids(user)})

    def editable_by(self, user):
        return self.filter(**{f"{self.owner_path}__in": editable_owner_ids(user)})


def get_visible_or_404(queryset: OwnedQuerySet, user, **lookup):
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None


def get_editable_or_404(queryset: OwnedQuerySet, user, **lookup):
    """Return the object if `user` may change it; 404 if they cannot see it, 403 if read-only."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied("You can see this but not change it.")
    return obj


def owned_queryset(owner_path: str) -> type[OwnedQuerySet]:
    return type(
        f"OwnedBy{owner_path.title()}QuerySet", (OwnedQuerySet,), {"owner_path": owner_path}
    )
