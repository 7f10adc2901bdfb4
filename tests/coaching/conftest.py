"""Coaches of the owner at each level, a revoked one, and a coach of someone else.

Every consent is made the way people make it, through the services: the job seeker invites,
the coach accepts. Tests that need more clients use `coaching_between`.
"""

import pytest

from followup.coaching.models import Coaching, Level
from followup.coaching.services import consent
from tests.factories import UserFactory


def coaching_between(coach, client, level=Level.VIEW) -> Coaching:
    """An active consent: `client` invites `coach` at `level`, and `coach` accepts."""
    invitation = consent.client_invites_coach(client=client, email=coach.email, level=level)
    return consent.invitation_accept(coaching=invitation, user=coach)


def make_coach(**fields):
    return UserFactory(is_coach=True, **fields)


@pytest.fixture
def coach_view(owner):
    """A coach who may read the owner's data."""
    coach = make_coach(email="view.coach@example.com", name="Vera View")
    coaching_between(coach, owner, Level.VIEW)
    return coach


@pytest.fixture
def coach_comment(owner):
    """A coach who may read the owner's data and comment on their letters."""
    coach = make_coach(email="comment.coach@example.com", name="Cole Comment")
    coaching_between(coach, owner, Level.COMMENT)
    return coach


@pytest.fixture
def coach_edit(owner):
    """A coach who may read, comment on and change the owner's data."""
    coach = make_coach(email="edit.coach@example.com", name="Eddie Edit")
    coaching_between(coach, owner, Level.EDIT)
    return coach


@pytest.fixture
def coach_revoked(owner):
    """A coach the owner once consented to, and then stopped."""
    coach = make_coach(email="revoked.coach@example.com", name="Rita Revoked")
    consent.coaching_end(coaching=coaching_between(coach, owner, Level.EDIT))
    return coach


@pytest.fixture
def other_coach(stranger):
    """A coach of someone else (the stranger), with no consent from the owner."""
    coach = make_coach(email="other.coach@example.com", name="Otto Other")
    coaching_between(coach, stranger, Level.EDIT)
    return coach
