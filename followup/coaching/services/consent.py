"""Consent between a job seeker and a coach: invitations, acceptance, levels, ending it."""

from dataclasses import dataclass
from datetime import date
from functools import partial

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from followup.accounts.models import User

from ..models import Coaching, CoachingStatus, CoachNote, EndedBy, InvitedBy
from ..tasks import send_coaching_ended, send_invitation


def _addresses_of(user: User) -> set[str]:
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return {user.email.lower(), *(address.lower() for address in addresses)}


def _check_invitation(inviter: User, email: str, **pending) -> None:
    if email.strip().lower() in _addresses_of(inviter):
        raise ValidationError("You cannot invite yourself.")
    if Coaching.objects.filter(
        status=CoachingStatus.INVITED, invited_email__iexact=email.strip(), **pending
    ).exists():
        raise ValidationError("An invitation to this address is already waiting for an answer.")


@transaction.atomic
def coach_invites_client(*, coach: User, email: str) -> Coaching:
    """A coach asks a job seeker for access; nothing is visible until the job seeker accepts."""
    _check_invitation(coach, email, coach=coach, invited_by=InvitedBy.COACH)
    if not coach.is_coach:
        User.objects.filter(pk=coach.pk).update(is_coach=True)
        coach.is_coach = True
    coaching = Coaching.objects.create(
        coach=coach, invited_by=InvitedBy.COACH, invited_email=email.strip()
    )
    transaction.on_commit(lambda: send_invitation.delay(coaching.pk))
    return coaching


@transaction.atomic
def client_invites_coach(
    *, client: User, email: str, level: str, ends_on: date | None = None
) -> Coaching:
    """A job seeker offers a coach access at a level they choose, from when the coach accepts."""
    _check_invitation(client, email, client=client, invited_by=InvitedBy.CLIENT)
    coaching = Coaching.objects.create(
        client=client,
        invited_by=InvitedBy.CLIENT,
        invited_email=email.strip(),
        level=level,
        ends_on=ends_on,
    )
    transaction.on_commit(lambda: send_invitation.delay(coaching.pk))
    return coaching


def _pending_invitation_locked(coaching: Coaching) -> Coaching:
    coaching = Coaching.objects.select_for_update().get(pk=coaching.pk)
    if coaching.status != CoachingStatus.INVITED:
        raise ValidationError("This invitation has already been answered.")
    return coaching


def _check_invitee(coaching: Coaching, user: User) -> None:
    # The link is a key, but only for the person it was sent to: a forwarded link is useless.
    if not EmailAddress.objects.filter(
        user=user, email__iexact=coaching.invited_email, verified=True
    ).exists():
        raise ValidationError(
            f"This invitation was sent to {coaching.invited_email}. Log in with that address "
            "(or add and confirm it in your email settings) to answer it."
        )


@transaction.atomic
def invitation_accept(
    *, coaching: Coaching, user: User, level: str | None = None, ends_on: date | None = None
) -> Coaching:
    """Accept an invitation as the person it was sent to.

    When a coach invited, the job seeker accepting chooses the level and end date. When the job
    seeker invited, the level is theirs already and the coach only accepts it.
    """
    coaching = _pending_invitation_locked(coaching)
    _check_invitee(coaching, user)
    if coaching.invited_by == InvitedBy.COACH:
        if user.pk == coaching.coach_id:
            raise ValidationError("You cannot accept your own invitation.")
        coaching.client = user
        coaching.level = level or coaching.level
        coaching.ends_on = ends_on
    else:
        if user.pk == coaching.client_id:
            raise ValidationError("You cannot accept your own invitation.")
        coaching.coach = user
        if not user.is_coach:
            User.objects.filter(pk=user.pk).update(is_coach=True)
    # An earlier consent between the same two people is replaced by this one. The coaching
    # goes on without a break, so the coach's notes move to the new consent.
    replaced = Coaching.objects.filter(
        coach=coaching.coach, client=coaching.client, status=CoachingStatus.ACTIVE
    )
    replaced_ids = list(replaced.values_list("pk", flat=True))
    replaced.update(status=CoachingStatus.ENDED, ended_at=timezone.now())
    coaching.status = CoachingStatus.ACTIVE
    coaching.accepted_at = timezone.now()
    coaching.save()
    CoachNote.objects.filter(coaching__in=replaced_ids).update(coaching=coaching)
    return coaching


@transaction.atomic
def invitation_decline(*, coaching: Coaching, user: User) -> Coaching:
    """Decline as the person invited, or withdraw as the one who invited; nobody else may.

    Anyone else holding the link is refused exactly as when they try to accept. A withdrawal
    ends the invitation, as `coaching_end` does from the inviter's own page.
    """
    coaching = _pending_invitation_locked(coaching)
    if user.pk == coaching.inviter_id:
        coaching.status = CoachingStatus.ENDED
    else:
        _check_invitee(coaching, user)
        coaching.status = CoachingStatus.DECLINED
    coaching.ended_at = timezone.now()
    coaching.save(update_fields=["status", "ended_at"])
    CoachNote.objects.filter(coaching=coaching).delete()
    return coaching


def _side_of(coaching: Coaching, user: User | None) -> str:
    if user is None:
        return EndedBy.UNKNOWN
    return EndedBy.CLIENT if user.pk == coaching.client_id else EndedBy.COACH


@transaction.atomic
def coaching_end(*, coaching: Coaching, by: User | None = None) -> bool:
    """End access now; either side may. The next request and the next email see it.

    The coach's private notes about the client go with it. When an active coaching is ended by
    one side (`by`), the other side is told by email. False if it had ended already.
    """
    coaching = (
        Coaching.objects.select_for_update()
        .filter(pk=coaching.pk, status__in=[CoachingStatus.ACTIVE, CoachingStatus.INVITED])
        .first()
    )
    if coaching is None:
        return False
    was_active = coaching.status == CoachingStatus.ACTIVE
    coaching.status = CoachingStatus.ENDED
    coaching.ended_at = timezone.now()
    coaching.ended_by = _side_of(coaching, by)
    coaching.save(update_fields=["status", "ended_at", "ended_by"])
    CoachNote.objects.filter(coaching=coaching).delete()
    if was_active and by is not None and coaching.client_id and coaching.coach_id:
        transaction.on_commit(lambda: send_coaching_ended.delay(coaching.pk))
    return True


def coachings_lapse(*, today: date | None = None) -> int:
    """End every consent whose end date has passed, as the job seeker asked when they set it:
    the coach's notes go, and the coach is told by email and on their next page, as when a job
    seeker ends it by hand. Access itself stopped at the end date (`active()`); this makes the
    end a fact the rest of the product can see. Returns how many ended."""
    today = today or timezone.localdate()
    with transaction.atomic():
        lapsed = list(
            Coaching.objects.select_for_update(skip_locked=True)
            .filter(status=CoachingStatus.ACTIVE, ends_on__lt=today)
            .values_list("pk", flat=True)
        )
        Coaching.objects.filter(pk__in=lapsed).update(
            status=CoachingStatus.ENDED, ended_at=timezone.now(), ended_by=EndedBy.LAPSED
        )
        CoachNote.objects.filter(coaching__in=lapsed).delete()
        for pk in lapsed:
            transaction.on_commit(partial(send_coaching_ended.delay, pk))
    return len(lapsed)


def coaching_change_level(*, coaching: Coaching, level: str, ends_on: date | None) -> None:
    """Only the job seeker calls this: the level is theirs to choose."""
    Coaching.objects.filter(pk=coaching.pk).update(level=level, ends_on=ends_on)


@dataclass(frozen=True)
class InvitationBatch:
    """What came of inviting several people at once: who was invited and who was not, and why."""

    sent: list[str]
    skipped: list[tuple[str, str]]


def _why_not_invite(coach: User, email: str) -> str | None:
    """Why `coach` need not invite `email` again (already a client, already invited), or None."""
    if (
        Coaching.objects.active()
        .filter(coach=coach)
        .filter(
            Q(client__email__iexact=email)
            | Q(client__emailaddress__email__iexact=email, client__emailaddress__verified=True)
        )
        .exists()
    ):
        return "already your client"
    if Coaching.objects.filter(
        coach=coach,
        invited_by=InvitedBy.COACH,
        status=CoachingStatus.INVITED,
        invited_email__iexact=email,
    ).exists():
        return "an invitation is already waiting for an answer"
    return None


@transaction.atomic
def coach_invites_clients(*, coach: User, emails: list[str]) -> InvitationBatch:
    """Invite each address that is neither the coach's own, a client already, nor invited.

    The addresses come checked and without repeats (`forms.MultipleEmailsField`). Addresses of
    the coach themselves refuse the whole batch: that is a mistake in the list, to be fixed
    before anything goes out, while one already invited or already a client is simply left out.
    """
    own = _addresses_of(coach)
    mine = [email for email in emails if email.lower() in own]
    if mine:
        raise ValidationError("You cannot invite yourself.")
    sent, skipped = [], []
    for email in emails:
        reason = _why_not_invite(coach, email)
        if reason is not None:
            skipped.append((email, reason))
            continue
        coach_invites_client(coach=coach, email=email)
        sent.append(email)
    return InvitationBatch(sent=sent, skipped=skipped)


def coaching_share_calendar(*, coaching: Coaching, shared: bool) -> None:
    """Only the job seeker calls this: whether their coach's calendar shows their interviews."""
    Coaching.objects.filter(pk=coaching.pk).update(calendar_shared=shared)
