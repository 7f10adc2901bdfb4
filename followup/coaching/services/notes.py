"""A coach's private notes on a client: written by the coach, read only by them, and deleted
with the coaching (`consent.coaching_end`, `consent.invitation_decline`)."""

from ..models import Coaching, CoachNote


def note_add(*, coaching: Coaching, text: str) -> CoachNote:
    return CoachNote.objects.create(coaching=coaching, text=text)


def note_delete(*, note: CoachNote) -> None:
    note.delete()
