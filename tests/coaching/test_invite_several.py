"""A coach pastes a list of addresses: each gets its own invitation, or nothing goes and every
bad line is named."""

from django.core import mail
from django.urls import reverse

from followup.coaching.models import Coaching, CoachingStatus, InvitedBy
from followup.coaching.services import consent
from tests.coaching.conftest import make_coach

INVITE = reverse("coaching:invite_client")


def invited(coach) -> list[str]:
    return sorted(
        Coaching.objects.filter(
            coach=coach, invited_by=InvitedBy.COACH, status=CoachingStatus.INVITED
        ).values_list("invited_email", flat=True)
    )


def test_each_address_gets_its_own_invitation(client, db, django_capture_on_commit_callbacks):
    coach = make_coach(name="Cora Coach")
    client.force_login(coach)
    pasted = "ann@example.com, bob@example.com\n\ncat@example.com;dan@example.com\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"email": pasted}, follow=True)
    assert invited(coach) == [
        "ann@example.com",
        "bob@example.com",
        "cat@example.com",
        "dan@example.com",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == invited(coach)
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others
    assert "4 invitations sent" in response.content.decode()


def test_one_bad_line_sends_nothing_and_names_every_bad_line(client, db):
    coach = make_coach()
    client.force_login(coach)
    pasted = "ann@example.com\nbob@example\nnot an address\ncat@example.com"
    response = client.post(INVITE, {"email": pasted})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "“bob@example” is not a valid email address.",
        "“not an address” is not a valid email address.",
    ]
    assert pasted in response.content.decode()  # nothing typed is lost
    assert invited(coach) == []


def test_repeats_go_once_and_people_already_linked_are_reported(
    client, owner, coach_view, django_capture_on_commit_callbacks
):
    consent.coach_invites_client(coach=coach_view, email="waiting@example.com")
    client.force_login(coach_view)
    pasted = f"new@example.com\nNEW@example.com\n{owner.email.upper()}\nwaiting@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"email": pasted}, follow=True)
    assert invited(coach_view) == ["new@example.com", "waiting@example.com"]
    assert [message.to for message in mail.outbox] == [["new@example.com"]]
    page = response.content.decode()
    assert "Invitation sent to new@example.com." in page
    assert "OWNER@EXAMPLE.COM: already your client" in page
    assert "waiting@example.com: an invitation is already waiting for an answer" in page


def test_nothing_new_to_send_is_an_error_beside_the_list(client, owner, coach_view):
    client.force_login(coach_view)
    response = client.post(INVITE, {"email": owner.email})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [f"{owner.email}: already your client."]


def test_the_coachs_own_address_in_the_list_sends_nothing(client, db):
    coach = make_coach(email="cora@example.com")
    client.force_login(coach)
    response = client.post(INVITE, {"email": "ann@example.com\ncora@example.com"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["You cannot invite yourself."]
    assert invited(coach) == []


def test_at_most_fifty_at_once(client, db):
    coach = make_coach()
    client.force_login(coach)
    pasted = "\n".join(f"person{i}@example.com" for i in range(51))
    response = client.post(INVITE, {"email": pasted})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Send at most 50 invitations at once."]
    assert invited(coach) == []


def test_an_empty_list_asks_for_an_address(client, db):
    coach = make_coach()
    client.force_login(coach)
    response = client.post(INVITE, {"email": " ,\n ; "})
    assert response.context["form"].errors["email"] == ["Enter at least one email address."]
