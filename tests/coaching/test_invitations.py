"""Answering an invitation: only the person it was sent to accepts or declines; the inviter
withdraws it."""

import pytest
from django.urls import reverse

from followup.coaching.invitations import invitation_token
from followup.coaching.models import Coaching, CoachingStatus, Level
from followup.coaching.services import consent
from tests.coaching.conftest import make_coach
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["coach invites", "job seeker invites"])
def invitation(request, owner):
    """A pending invitation to invitee@example.com, from a coach or from the owner."""
    if request.param == "coach invites":
        return consent.coach_invites_client(coach=make_coach(), email="invitee@example.com")
    return consent.client_invites_coach(client=owner, email="invitee@example.com", level=Level.EDIT)


def link(invitation) -> str:
    return reverse("coaching:invitation", args=[invitation_token(invitation)])


def answer(client, user, invitation, decision: str):
    """Where the answer leads and what it says there (followed, so the messages are used up)."""
    client.force_login(user)
    response = client.post(
        link(invitation), {"decision": decision, "level": Level.VIEW}, follow=True
    )
    said = [str(message) for message in response.context["messages"]]
    return response.redirect_chain, said


def status(invitation) -> str:
    return Coaching.objects.get(pk=invitation.pk).status


def test_a_stranger_holding_the_link_cannot_decline_it(client, invitation, stranger):
    refused_accept = answer(client, stranger, invitation, "accept")
    assert status(invitation) == CoachingStatus.INVITED

    refused_decline = answer(client, stranger, invitation, "decline")

    assert refused_decline == refused_accept
    assert refused_decline[0] == [(reverse("home"), 302)]
    assert "This invitation was sent to invitee@example.com" in refused_decline[1][0]
    assert status(invitation) == CoachingStatus.INVITED


def test_the_invitee_declines(client, invitation):
    invitee = UserFactory(email="invitee@example.com")
    assert answer(client, invitee, invitation, "decline") == (
        [(reverse("home"), 302)],
        ["Invitation declined."],
    )
    assert status(invitation) == CoachingStatus.DECLINED
    assert client.get(link(invitation)).status_code == 404


def test_the_inviter_withdraws_through_the_link(client, invitation):
    inviter = invitation.coach or invitation.client
    assert answer(client, inviter, invitation, "decline") == (
        [(reverse("home"), 302)],
        ["Invitation withdrawn."],
    )
    assert status(invitation) == CoachingStatus.ENDED
    assert client.get(link(invitation)).status_code == 404


def test_the_inviter_withdraws_from_their_page(client, invitation):
    inviter = invitation.coach or invitation.client
    client.force_login(inviter)
    response = client.post(reverse("coaching:end", args=[invitation.pk]))
    assert response.status_code == 302
    assert status(invitation) == CoachingStatus.ENDED
    invitee = UserFactory(email="invitee@example.com")
    client.force_login(invitee)
    assert client.get(link(invitation)).status_code == 404


def test_nobody_else_can_withdraw_an_invitation(client, invitation, stranger):
    client.force_login(stranger)
    response = client.post(reverse("coaching:end", args=[invitation.pk]))
    assert response.status_code == 404
    assert status(invitation) == CoachingStatus.INVITED


def test_the_inviter_opening_the_link_is_offered_withdrawal_only(client, invitation):
    client.force_login(invitation.coach or invitation.client)
    content = client.get(link(invitation)).content.decode()
    assert "Withdraw the invitation" in content
    assert 'value="accept"' not in content
