"""The client's access log says what each coach did, after it happened: one line per request.

A coach's read is logged as "viewed" (whatever the method: a preview or a refused form shows the
data); a saved change as "edited", a new row in the client's data as "created", a removal as
"deleted". A request refused before anything is shown (403, 404) logs nothing.
"""

import pytest
from django.urls import reverse

from followup.applications import services as plan_services
from followup.coaching.models import AccessLogEntry, Comment
from followup.letters.models import Letter
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

LEVELS = ["coach_view", "coach_comment", "coach_edit"]


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")


@pytest.fixture
def ada(owner):
    return ContactFactory(owner=owner, name="Ada Park")


@pytest.fixture
def letter(application, ada):
    return LetterFactory(application=application, contact=ada)


@pytest.fixture
def as_coach(client, request):
    """Sign in as the coach at the level named by the test's `level` parameter."""

    def sign_in(level: str):
        client.force_login(request.getfixturevalue(level))
        return client

    return sign_in


def log(owner) -> list[tuple[str, str]]:
    """The owner's log, oldest first, as (action, what) pairs."""
    entries = AccessLogEntry.objects.filter(client=owner).order_by("at", "pk")
    return [(entry.action, entry.what) for entry in entries]


def actions(owner) -> list[str]:
    return [action for action, _ in log(owner)]


LETTER_TEXT = {
    "subject": "Thank you",
    "appreciation": "Thank you for Monday.",
    "still_interested": "",
    "great_fit": "",
    "availability": "",
    "body": "",
    "version": "1",
}


# --- Reads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_a_preview_is_logged_as_a_read(as_coach, owner, letter, level):
    response = as_coach(level).post(reverse("letters:preview", args=[letter.pk]), LETTER_TEXT)
    assert response.status_code == 200
    assert log(owner) == [("viewed", f"letter: {letter}")]


@pytest.mark.parametrize("level", LEVELS)
def test_opening_a_letter_is_logged_as_a_read(as_coach, owner, letter, level):
    as_coach(level).get(reverse("letters:compose", args=[letter.pk]))
    assert log(owner) == [("viewed", f"letter: {letter}")]


@pytest.mark.parametrize("name", ["letters:compose", "letters:autosave"])
@pytest.mark.parametrize("level", ["coach_view", "coach_comment"])
def test_a_refused_write_logs_nothing(as_coach, owner, letter, level, name):
    response = as_coach(level).post(reverse(name, args=[letter.pk]), LETTER_TEXT)
    assert response.status_code == 403
    assert log(owner) == []
    assert Letter.objects.get(pk=letter.pk).appreciation == ""


def test_a_refused_comment_logs_nothing(as_coach, owner, letter):
    response = as_coach("coach_view").post(
        reverse("coaching:comment_add", args=[letter.pk]), {"part": "", "text": "Nice."}
    )
    assert response.status_code == 403
    assert log(owner) == []


@pytest.mark.parametrize("level", LEVELS)
def test_a_refused_review_request_or_resolve_logs_nothing(as_coach, owner, letter, level):
    comment = Comment.objects.create(letter=letter, author=owner, text="Is this better?")
    coach = as_coach(level)
    assert coach.post(reverse("coaching:review_request", args=[letter.pk])).status_code == 403
    assert coach.post(reverse("coaching:comment_resolve", args=[comment.pk])).status_code == 403
    assert log(owner) == []


# --- Refused forms are reads, not edits -----------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, target, data",
    [
        ("letters:compose", "letter", {**LETTER_TEXT, "subject": ""}),
        ("letters:gift", "letter", {"kind": "link", "url": ""}),
        ("applications:update", "application", {"position": ""}),
        ("applications:status", "application", {"status": "no such status"}),
        ("applications:reply", "application", {"text": ""}),
        ("interviews:create", "application", {"scheduled_at": ""}),
        ("contacts:update", "ada", {"name": ""}),
    ],
)
def test_an_invalid_post_is_logged_as_a_read_not_an_edit(
    as_coach, owner, request, url_name, target, data
):
    obj = request.getfixturevalue(target)
    response = as_coach("coach_edit").post(reverse(url_name, args=[obj.pk]), data)
    assert response.status_code in (200, 400)
    assert actions(owner) == ["viewed"]


def test_an_invalid_comment_is_logged_as_a_read(as_coach, owner, letter):
    response = as_coach("coach_comment").post(
        reverse("coaching:comment_add", args=[letter.pk]), {"part": "", "text": ""}
    )
    assert response.status_code == 400
    assert actions(owner) == ["viewed"]


# --- Changes ------------------------------------------------------------------------------------


def test_a_saved_letter_is_logged_once_as_edited(as_coach, owner, letter):
    response = as_coach("coach_edit").post(
        reverse("letters:compose", args=[letter.pk]), LETTER_TEXT
    )
    assert response.status_code == 302
    assert log(owner) == [("edited", f"letter: {letter}")]


def test_each_autosave_is_logged_as_an_edit_like_any_other(as_coach, owner, letter):
    coach = as_coach("coach_edit")
    url = reverse("letters:autosave", args=[letter.pk])
    assert coach.post(url, LETTER_TEXT).status_code == 200
    assert coach.post(url, LETTER_TEXT | {"version": "2"}).status_code == 200
    assert log(owner) == [("edited", f"letter: {letter}")] * 2


def test_an_autosave_refused_as_stale_is_logged_as_a_read(as_coach, owner, letter):
    """The refusal shows the saved text: a read, not an edit."""
    coach = as_coach("coach_edit")
    url = reverse("letters:autosave", args=[letter.pk])
    coach.post(url, LETTER_TEXT)
    response = coach.post(url, LETTER_TEXT)  # from version 1 again
    assert response.status_code == 409
    assert "(or by Olivia Owner)" in response.content.decode()
    assert actions(owner) == ["edited", "viewed"]


@pytest.mark.parametrize("level", ["coach_comment", "coach_edit"])
def test_a_comment_is_logged_once_as_commented(as_coach, owner, letter, level):
    as_coach(level).post(
        reverse("coaching:comment_add", args=[letter.pk]), {"part": "", "text": "Nice."}
    )
    assert log(owner) == [("commented", f"letter: {letter}")]


def test_a_new_letter_in_the_clients_data_is_logged_as_created(as_coach, owner, application, ada):
    response = as_coach("coach_edit").post(
        reverse("letters:new"),
        {"application": application.pk, "contact": ada.pk, "kind": "thank_you"},
    )
    assert response.status_code == 302
    letter = application.letters.get()
    assert log(owner) == [("created", f"letter: {letter}")]


def test_a_gift_added_to_a_clients_letter_is_logged_as_created(as_coach, owner, letter):
    as_coach("coach_edit").post(
        reverse("letters:gift", args=[letter.pk]),
        {"kind": "link", "title": "A guide", "url": "https://example.com/guide"},
    )
    assert log(owner) == [("created", "gift: A guide")]


def test_an_interview_and_its_new_person_are_logged_as_created(as_coach, owner, application, ada):
    data = {
        "scheduled_at": "2026-03-04T14:30",
        "kind": "video",
        "round": "1",
        "interviewers-TOTAL_FORMS": "2",
        "interviewers-INITIAL_FORMS": "0",
        "interviewers-MIN_NUM_FORMS": "0",
        "interviewers-MAX_NUM_FORMS": "1000",
        "interviewers-0-contact": ada.pk,
        "interviewers-1-name": "Ben Ruiz",
    }
    response = as_coach("coach_edit").post(
        reverse("interviews:create", args=[application.pk]), data
    )
    assert response.status_code == 302
    interview = application.interviews.get()
    ben = owner.contacts.get(name="Ben Ruiz")
    assert log(owner) == [("created", f"interview: {interview}"), ("created", f"contact: {ben}")]


def test_a_deleted_letter_is_logged_as_deleted(as_coach, owner, letter):
    what = f"letter: {letter}"
    as_coach("coach_edit").post(reverse("letters:delete", args=[letter.pk]))
    assert log(owner) == [("deleted", what)]


def test_a_status_change_is_logged_as_edited(as_coach, owner, application):
    as_coach("coach_edit").post(
        reverse("applications:status", args=[application.pk]), {"status": "interviewing"}
    )
    assert log(owner) == [("edited", f"application: {application}")]


def test_a_skipped_follow_up_is_logged_as_edited(as_coach, owner, application, ada):
    plan_services.plan_after_touch(application=application, after=owner.today(), contact=ada)
    follow_up = application.follow_ups.pending().get()
    as_coach("coach_edit").post(reverse("applications:follow_up_skip", args=[follow_up.pk]))
    assert actions(owner) == ["edited"]


def test_the_owners_own_work_is_not_logged(owner_client, owner, letter):
    owner_client.post(reverse("letters:compose", args=[letter.pk]), LETTER_TEXT)
    owner_client.post(reverse("letters:preview", args=[letter.pk]), LETTER_TEXT)
    assert log(owner) == []
