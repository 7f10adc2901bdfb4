"""Drafts that last: the composer's autosave, and the version check that keeps two windows (or a
coach and a client) from overwriting each other's words without a word."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services as plan_services
from followup.applications.models import FollowUp
from followup.letters import services
from followup.letters.models import Gift, Letter
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

AUCKLAND = ZoneInfo("Pacific/Auckland")
MINE = {
    "subject": "Thank you for Monday",
    "appreciation": "Thank you for showing me the warehouse.",
    "still_interested": "",
    "great_fit": "",
    "availability": "",
    "body": "",
}
THEIRS = MINE | {"appreciation": "Thank you for the tour of the data warehouse."}
STALE = "This draft was changed in another window (or by your coach)"


@pytest.fixture
def owner(owner):
    # Far from the server's UTC, so a time shown in the wrong zone is seen.
    owner.time_zone = "Pacific/Auckland"
    owner.save()
    return owner


@pytest.fixture
def letter(owner):
    application = ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")
    ada = ContactFactory(owner=owner, name="Ada Park")
    plan_services.interview_create(
        application=application,
        scheduled_at=timezone.now(),
        interviewers=[(ada, "Sailing")],
        today=owner.today(),
    )
    letter, _ = services.letter_start(application=application, contact=ada, kind="thank_you")
    return letter


def autosave(client, letter, text, version):
    return client.post(reverse("letters:autosave", args=[letter.pk]), text | {"version": version})


def hh_mm(moment) -> str:
    return timezone.localtime(moment, AUCKLAND).strftime("%H:%M")


def test_autosave_saves_the_text_and_says_when_in_the_owners_zone(owner_client, letter):
    response = autosave(owner_client, letter, MINE, 1)

    assert response.status_code == 200
    letter.refresh_from_db()
    assert (letter.appreciation, letter.version) == (MINE["appreciation"], 2)
    html = response.content.decode()
    assert 'data-version="2"' in html
    assert "Saved <time datetime=" in html and f">{hh_mm(letter.updated_at)}</time>" in html


def test_each_save_moves_the_version_on(owner_client, letter):
    assert autosave(owner_client, letter, MINE, 1).status_code == 200
    assert autosave(owner_client, letter, THEIRS, 2).status_code == 200
    letter.refresh_from_db()
    assert (letter.appreciation, letter.version) == (THEIRS["appreciation"], 3)


def test_an_autosave_from_an_older_version_is_refused_and_both_texts_are_kept(owner_client, letter):
    autosave(owner_client, letter, THEIRS, 1)  # the other window saved first
    saved = Letter.objects.get(pk=letter.pk)

    response = autosave(owner_client, letter, MINE, 1)

    assert response.status_code == 409
    html = response.content.decode()
    assert f"{STALE} at <time datetime=" in html
    assert f">{hh_mm(saved.updated_at)}</time>. Your text is kept below" in html
    assert "Your text is kept below; copy what you need, then reload." in html
    assert THEIRS["appreciation"] in html  # the saved version, shown beside the form
    letter.refresh_from_db()
    assert (letter.appreciation, letter.version) == (THEIRS["appreciation"], 2)


def test_the_composer_refuses_a_stale_save_and_shows_both_texts(owner_client, letter):
    autosave(owner_client, letter, THEIRS, 1)
    saved = Letter.objects.get(pk=letter.pk)

    response = owner_client.post(
        reverse("letters:compose", args=[letter.pk]), MINE | {"version": 1}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert f"{STALE} at <time datetime" in html and f">{hh_mm(saved.updated_at)}</time>" in html
    assert THEIRS["appreciation"] in html  # saved, in the panel above the form
    assert f"\n{MINE['appreciation']}</textarea>" in html  # typed, still in the form
    assert "data-unsaved" in html  # leaving the page still warns
    assert Letter.objects.get(pk=letter.pk).appreciation == THEIRS["appreciation"]


def test_the_gift_form_carrying_stale_text_saves_neither_and_shows_both(owner_client, letter):
    autosave(owner_client, letter, THEIRS, 1)
    carried = {f"letter-{name}": value for name, value in (MINE | {"version": 1}).items()}
    gift = {"kind": "link", "title": "A guide", "url": "https://example.com/guide"}

    response = owner_client.post(reverse("letters:gift", args=[letter.pk]), gift | carried)

    assert response.status_code == 409
    html = response.content.decode()
    assert THEIRS["appreciation"] in html and f"\n{MINE['appreciation']}</textarea>" in html
    assert 'value="A guide"' in html  # the gift typed is on the page too
    assert not Gift.objects.exists()
    assert Letter.objects.get(pk=letter.pk).appreciation == THEIRS["appreciation"]


def test_autosave_changes_the_text_and_nothing_else(owner_client, letter):
    plan_before = list(FollowUp.objects.values_list("pk", "status", "due_on", "remind_at"))

    autosave(owner_client, letter, MINE | {"body": "Dear Ada,"}, 1)

    letter.refresh_from_db()
    assert letter.sent_on is None and letter.review_requested_at is None
    assert letter.follow_up.status == "pending"
    assert list(FollowUp.objects.values_list("pk", "status", "due_on", "remind_at")) == (
        plan_before
    )


def test_autosave_without_a_subject_is_refused_and_says_why(owner_client, letter):
    response = autosave(owner_client, letter, MINE | {"subject": ""}, 1)
    assert response.status_code == 400
    assert "Not saved: Subject: this field is required." in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).version == 1


def test_autosave_without_a_version_is_refused(owner_client, letter):
    response = owner_client.post(reverse("letters:autosave", args=[letter.pk]), MINE)
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).appreciation == ""


def test_a_window_left_open_cannot_save_over_a_letter_marked_sent(owner, owner_client, letter):
    services.letter_mark_sent(letter=letter, sent_on=owner.today(), signature="Olivia")
    response = autosave(owner_client, letter, MINE, 1)
    assert response.status_code == 409
    assert Letter.objects.get(pk=letter.pk).appreciation == ""


def test_two_saves_from_one_version_one_wins(letter):
    mine, theirs = Letter.objects.get(pk=letter.pk), Letter.objects.get(pk=letter.pk)
    mine.appreciation, theirs.appreciation = MINE["appreciation"], THEIRS["appreciation"]
    services.letter_save_text(letter=theirs, version=1)
    with pytest.raises(services.DraftConflict) as refused:
        services.letter_save_text(letter=mine, version=1)
    assert refused.value.saved.appreciation == THEIRS["appreciation"]
    assert refused.value.saved.version == 2


def test_the_composer_carries_the_version_it_opened(owner_client, letter):
    autosave(owner_client, letter, MINE, 1)
    html = owner_client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert '<input type="hidden" name="version" value="2"' in html
    assert f'data-autosave-url="{reverse("letters:autosave", args=[letter.pk])}"' in html


def test_a_conflict_names_the_parts_as_the_letters_kind_does(owner_client, owner):
    """A follow-up's third part is "Something new of value": the saved version shown beside a
    refused save names its parts as the composer does for that kind of letter."""
    letter = LetterFactory(
        application__owner=owner, kind="follow_up", great_fit="The article on queue design."
    )
    autosave(owner_client, letter, MINE | {"great_fit": "Their text."}, letter.version)

    response = autosave(owner_client, letter, MINE, letter.version)

    assert response.status_code == 409
    saved_version = response.content.decode().split('data-testid="saved-version"')[1]
    assert "<dt>Something new of value</dt>" in saved_version
    assert "Why a great fit" not in saved_version
