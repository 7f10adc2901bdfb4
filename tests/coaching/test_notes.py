"""A coach's private notes: only their author reads them, and they go when the coaching ends."""

import pytest
from django.urls import reverse

from followup.coaching.models import Coaching, CoachingStatus, CoachNote, Level
from followup.coaching.services import consent
from tests.coaching.conftest import coaching_between

SECRET = "Nervous about the salary talk"


@pytest.fixture
def note(coach_view, owner):
    """The view coach's note about the owner."""
    coaching = Coaching.objects.get(coach=coach_view, client=owner, status=CoachingStatus.ACTIVE)
    return CoachNote.objects.create(coaching=coaching, text=SECRET)


def test_the_coach_keeps_a_note_and_reads_it_on_the_client_page(client, owner, coach_view):
    client.force_login(coach_view)
    page = reverse("coaching:client", args=[owner.pk])
    response = client.post(reverse("coaching:note_add", args=[owner.pk]), {"text": SECRET})
    assert response.status_code == 302 and response["Location"] == page
    content = client.get(page).content.decode()
    assert SECRET in content
    assert "Only you can see these notes. They are deleted when the coaching ends." in content


def test_an_empty_note_comes_back_with_an_error(client, owner, coach_view):
    client.force_login(coach_view)
    response = client.post(reverse("coaching:note_add", args=[owner.pk]), {"text": ""})
    assert response.status_code == 400
    assert response.context["note_form"].errors["text"] == ["Write the note first."]
    assert not CoachNote.objects.exists()


@pytest.mark.parametrize(
    "actor, sees_it",
    [
        ("owner", False),
        ("coach_view", True),
        ("coach_comment", False),
        ("coach_edit", False),
        ("coach_revoked", False),
        ("other_coach", False),
        ("stranger", False),
        ("anonymous", False),
    ],
)
def test_only_the_author_sees_a_note(request, client, owner, note, actor, sees_it):
    """Every page where a note could show, for each of the eight actors."""
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    pages = [
        reverse("coaching:client", args=[owner.pk]),
        "/",
        reverse("coaching:settings"),
        reverse("coaching:dashboard"),
        reverse("search:results") + "?q=salary",
    ]
    shown = [path for path in pages if SECRET in client.get(path).content.decode()]
    assert shown == ([pages[0]] if sees_it else [])


@pytest.mark.parametrize(
    "actor, status",
    [
        ("owner", 404),
        ("coach_comment", 404),
        ("coach_edit", 404),
        ("coach_revoked", 404),
        ("other_coach", 404),
        ("stranger", 404),
    ],
)
def test_nobody_but_the_author_deletes_a_note(request, client, note, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.post(reverse("coaching:note_delete", args=[note.pk])).status_code == status
    assert CoachNote.objects.filter(pk=note.pk).exists()


def test_the_author_deletes_their_note(client, note, coach_view):
    client.force_login(coach_view)
    assert client.post(reverse("coaching:note_delete", args=[note.pk])).status_code == 302
    assert not CoachNote.objects.exists()


def test_notes_are_deleted_when_the_client_revokes(client, owner, note):
    client.force_login(owner)
    response = client.post(reverse("coaching:end", args=[note.coaching.pk]))
    assert response.status_code == 302
    assert not CoachNote.objects.exists()


def test_notes_are_deleted_when_the_coach_steps_back(client, coach_view, note):
    client.force_login(coach_view)
    response = client.post(reverse("coaching:end", args=[note.coaching.pk]))
    assert response.status_code == 302
    assert not CoachNote.objects.exists()


def test_notes_are_deleted_with_a_declined_or_withdrawn_invitation(owner):
    invitation = consent.client_invites_coach(client=owner, email="new@example.com", level="view")
    CoachNote.objects.create(coaching=invitation, text="Kept on an invitation")
    consent.invitation_decline(coaching=invitation, user=owner)
    assert not CoachNote.objects.exists()


def test_only_the_ended_coachings_notes_go(owner, coach_view, coach_comment, note):
    other = CoachNote.objects.create(
        coaching=Coaching.objects.get(coach=coach_comment, status=CoachingStatus.ACTIVE),
        text="The other coach's note",
    )
    consent.coaching_end(coaching=note.coaching, by=owner)
    assert list(CoachNote.objects.all()) == [other]


def test_a_new_consent_between_the_same_two_keeps_the_notes(owner, coach_view, note):
    """Accepting a new invitation replaces the consent without a break: the notes follow."""
    renewed = coaching_between(coach_view, owner, Level.COMMENT)
    note.refresh_from_db()
    assert note.coaching == renewed
    assert Coaching.objects.get(pk=note.coaching_id).status == CoachingStatus.ACTIVE
