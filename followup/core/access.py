"""The one rule of whose data a person may see and change.

A person sees their own data, and the data of each job seeker who has given them active consent
as their coach; they change their own, and a client's only at the "edit" level. Every query for
user data starts from `<Model>.objects.visible_to(user)` or `editable_by(user)`, built on the
functions below. Views fetch one object through `get_visible_or_404` / `get_editable_or_404`:
what a person may not see does not exist for them (404); what they may see but not change is
forbidden (403). A coach's reads and writes through these helpers are written to the client's
access log.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


def _client_ids(user, levels=None) -> list[int]:
    if not user.is_coach:
        # Only coaches have clients; everyone else is spared the query.
        return []
    from followup.coaching.models import Coaching

    consents = Coaching.objects.active().filter(coach=user, client__isnull=False)
    if levels is not None:
        consents = consents.filter(level__in=levels)
    return list(consents.values_list("client_id", flat=True))


def visible_owner_ids(user) -> list[int]:
    """Ids of the people whose data `user` may read: themselves and consenting clients."""
    if not user.is_authenticated:
        return []
    # Computed once per request: the user object is the request's, so a revocation takes effect
    # on the very next request.
    if not hasattr(user, "_visible_owner_ids"):
        user._visible_owner_ids = [user.pk, *_client_ids(user)]
    return user._visible_owner_ids


def editable_owner_ids(user) -> list[int]:
    """Ids of the people whose data `user` may change: themselves and clients at "edit" level."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_editable_owner_ids"):
        from followup.coaching.models import Level

        user._editable_owner_ids = [user.pk, *_client_ids(user, levels=[Level.EDIT])]
    return user._editable_owner_ids


def commentable_owner_ids(user) -> list[int]:
    """Ids of the people whose letters `user` may comment on: clients at comment or edit level."""
    if not user.is_authenticated:
        return []
    from followup.coaching.models import COMMENT_LEVELS

    return _client_ids(user, levels=COMMENT_LEVELS)


class OwnedQuerySet(models.QuerySet):
    """A queryset of rows that belong to one person, reached through `owner_path`."""

    owner_path = "owner"

    def visible_to(self, user):
        return self.filter(**{f"{self.owner_path}__in": visible_owner_ids(user)})

    def editable_by(self, user):
        return self.filter(**{f"{self.owner_path}__in": editable_owner_ids(user)})

    def owned_by(self, owner):
        return self.filter(**{f"{self.owner_path}": owner})


def owner_id_of(obj, owner_path: str) -> int:
    """Follow `owner_path` (e.g. "application__owner") from `obj` to its owner's id."""
    *hops, last = owner_path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


def _log_coach_access(user, obj, owner_id: int, action: str, request=None) -> None:
    if owner_id == user.pk:
        return
    from followup.coaching.models import AccessLogEntry

    AccessLogEntry.objects.create(
        client_id=owner_id,
        coach=user,
        action=action,
        what=f"{obj._meta.verbose_name}: {obj}"[:300],
        path=(request.path if request else "")[:500],
    )


def _visible_object(queryset: OwnedQuerySet, user, lookup: dict):
    """The object `user` may see, and its owner's id; 404 when they may not see it."""
    queryset = queryset.all()  # a manager works too
    try:
        obj = queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None
    return obj, owner_id_of(obj, queryset.owner_path)


def get_visible_or_404(queryset: OwnedQuerySet, user, *, request=None, **lookup):
    obj, owner_id = _visible_object(queryset, user, lookup)
    if request is None or request.method in ("GET", "HEAD"):
        _log_coach_access(user, obj, owner_id, "viewed", request)
    return obj


def get_editable_or_404(queryset: OwnedQuerySet, user, *, request=None, **lookup):
    """Return the object if `user` may change it; 404 if they cannot see it, 403 if read-only."""
    obj, owner_id = _visible_object(queryset, user, lookup)
    if owner_id not in editable_owner_ids(user):
        raise PermissionDenied("You can see this but not change it.")
    action = "edited" if request is None or request.method == "POST" else "viewed"
    _log_coach_access(user, obj, owner_id, action, request)
    return obj
