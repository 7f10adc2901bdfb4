"""The one rule of whose data a person may see and change.

A person sees their own data, and the data of each job seeker who has given them active consent
as their coach; they change their own, and a client's only at the "edit" level. Every query for
user data starts from `<Model>.objects.visible_to(user)` or `editable_by(user)`, built on the
functions below. Views fetch one object through `get_visible_or_404` / `get_editable_or_404`:
what a person may not see does not exist for them (404); what they may see but not change is
forbidden (403).

A coach's work in a client's data is written to the client's access log, one line per request,
saying what happened: the fetch helpers log a read ("viewed", whatever the method: a preview or
a refused form shows the data), and a view or service that then saves a change calls
`record_change`, which turns that read into "edited", "created", "deleted" or "commented". A
request refused before anything is shown (403, 404) logs nothing.

Consent is kept by the coaching app, which this module does not import: coaching registers a
`ConsentSource` (`register_consent`, from its `AppConfig.ready()`), and the rule asks it for the
clients' ids and writes the log through it. With no source registered, a person sees only their
own data.
"""

import enum
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


class Permission(enum.Enum):
    """What a consent lets a coach do with a client's data."""

    READ = "read"
    COMMENT = "comment"
    EDIT = "edit"


class ConsentSource(Protocol):
    """What the access rule asks of the app that keeps consents."""

    def client_ids(self, coach, *, permission: Permission) -> list[int]:
        """Ids of the people whose consent, right now, lets `coach` do `permission`."""
        ...

    def log_read(self, *, coach, client_id: int, what: str, path: str) -> Any:
        """Write in the client's access log that `coach` was shown `what`; return the line."""
        ...

    def log_change(
        self, *, coach, client_id: int, action: str, what: str, path: str, replacing: Any = None
    ) -> None:
        """Write that `coach` changed `what` (`action`: edited, created, deleted, commented).

        `replacing` is the line `log_read` returned for the same client in this request, if
        any: it becomes the change instead of staying a read.
        """
        ...


class NoConsent:
    """No consent app installed: nobody has clients, so there is nothing to log."""

    def client_ids(self, coach, *, permission: Permission) -> list[int]:
        return []

    def log_read(self, *, coach, client_id: int, what: str, path: str) -> None:
        return None

    def log_change(self, **line) -> None:
        return None


_consent: ConsentSource = NoConsent()


def register_consent(source: ConsentSource) -> None:
    """Make `source` the one the rule asks; the consent app calls this once, at start."""
    global _consent
    _consent = source


def visible_owner_ids(user) -> list[int]:
    """Ids of the people whose data `user` may read: themselves and consenting clients."""
    if not user.is_authenticated:
        return []
    # Computed once per request: the user object is the request's, so a revocation takes effect
    # on the very next request.
    if not hasattr(user, "_visible_owner_ids"):
        clients = _consent.client_ids(user, permission=Permission.READ)
        user._visible_owner_ids = [user.pk, *clients]
    return user._visible_owner_ids


def editable_owner_ids(user) -> list[int]:
    """Ids of the people whose data `user` may change: themselves and clients at "edit" level."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_editable_owner_ids"):
        clients = _consent.client_ids(user, permission=Permission.EDIT)
        user._editable_owner_ids = [user.pk, *clients]
    return user._editable_owner_ids


def commentable_owner_ids(user) -> list[int]:
    """Ids of the people whose letters `user` may comment on: clients at comment or edit level."""
    if not user.is_authenticated:
        return []
    return _consent.client_ids(user, permission=Permission.COMMENT)


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


def _describe(obj) -> str:
    return f"{obj._meta.verbose_name}: {obj}"


def _log_read(user, obj, owner_id: int, request=None) -> None:
    if owner_id == user.pk:
        return
    line = _consent.log_read(
        coach=user, client_id=owner_id, what=_describe(obj), path=request.path if request else ""
    )
    # Kept on the user object, which is the request's (as the owner ids above are): a change
    # saved later in this request replaces the read instead of adding a second line.
    user._access_read = (owner_id, line)


def record_change(user, obj, action: str, *, path: str = "") -> None:
    """Log a coach's change to `obj` in a client's data; call it once the change is saved.

    The read this request logged for the same client becomes the change: a saved change answers
    with a redirect, so nothing was shown that should stay logged as a read. A second change in
    the same request (a new person added with an interview) gets a line of its own.
    """
    owner_id = owner_id_of(obj, obj._meta.default_manager.all().owner_path)
    if owner_id == user.pk:
        return
    read_owner_id, read = getattr(user, "_access_read", (None, None))
    if read_owner_id == owner_id:
        del user._access_read
    else:
        read = None
    _consent.log_change(
        coach=user,
        client_id=owner_id,
        action=action,
        what=_describe(obj),
        path=path,
        replacing=read,
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
    """Return the object if `user` may see it (logged as a coach's read); 404 if they may not."""
    obj, owner_id = _visible_object(queryset, user, lookup)
    _log_read(user, obj, owner_id, request)
    return obj


def _permitted_object(queryset, user, lookup: dict, allowed_owner_ids, request, refusal: str):
    obj, owner_id = _visible_object(queryset, user, lookup)
    if owner_id not in allowed_owner_ids:
        # Refused before anything is shown: nothing to log.
        raise PermissionDenied(refusal)
    _log_read(user, obj, owner_id, request)
    return obj


def get_editable_or_404(queryset: OwnedQuerySet, user, *, request=None, **lookup):
    """Return the object if `user` may change it; 404 if they cannot see it, 403 if read-only.

    A coach's fetch is logged as a read; the caller records the change with `record_change`
    once it is saved, so a refused form stays logged as what it was.
    """
    return _permitted_object(
        queryset,
        user,
        lookup,
        editable_owner_ids(user),
        request,
        "You can see this but not change it.",
    )


def get_commentable_or_404(queryset: OwnedQuerySet, user, *, request=None, **lookup):
    """Return the object if `user` may comment on it (its owner, or a coach at comment level or
    above); 404 if they cannot see it, 403 if they may only read it."""
    return _permitted_object(
        queryset,
        user,
        lookup,
        [user.pk, *commentable_owner_ids(user)],
        request,
        "You can read this but not comment on it.",
    )


def get_own_or_404(queryset: OwnedQuerySet, user, **lookup):
    """Return the object if it is `user`'s own; 404 if they cannot see it, 403 for their coach."""
    return _permitted_object(queryset, user, lookup, [user.pk], None, "Only its owner can do this.")


def get_owned_or_404(queryset: OwnedQuerySet, user, **lookup):
    """Return the object if it is `user`'s own; 404 for everyone else, their coaches included.

    For what acts on the account itself rather than on data a consent shares (a restore into
    it): a coach is not shown that it exists.
    """
    queryset = queryset.all()  # a manager works too
    try:
        return queryset.owned_by(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None


def refuse_unless_editable(user, owner_id: int) -> None:
    """Raise PermissionDenied unless `user` may change `owner_id`'s data (their own, or a client's
    at the "edit" level).

    The services' own check on the person they act for: the views have fetched through the
    rule already, and this keeps a service from writing for someone else whatever calls it.
    """
    if owner_id not in editable_owner_ids(user):
        raise PermissionDenied("You cannot change this person's data.")
