"""One draft per person and step: "Write it" opens the draft already started, wherever it is
clicked, and the plan and the dashboard say a draft is in progress."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from followup.applications import services as plan_services
from followup.applications.models import FollowUp, FollowUpKind
from followup.letters import services
from followup.letters.models import Letter, LetterKind
from followup.letters.selectors import with_drafts
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")


@pytest.fixture
def ada(owner):
    return ContactFactory(owner=owner, name="Ada Park")


@pytest.fixture
def ben(owner):
    return ContactFactory(owner=owner, name="Ben Ruiz")


@pytest.fixture
def interview(owner, application, ada, ben):
    return plan_services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[(ada, "Sailing"), (ben, "Rust")],
        today=owner.today(),
    )


@pytest.fixture
def thank_ada(interview, ada):
    return FollowUp.objects.get(interview=interview, contact=ada)


def start(follow_up, **fields):
    return services.letter_start(
        application=follow_up.application,
        contact=fields.pop("contact", follow_up.contact),
        kind=fields.pop("kind", follow_up.kind),
        follow_up=follow_up,
        **fields,
    )


def write_it(client, follow_up):
    """Press "Write it": the plan's button posts every choice of the follow-up."""
    return client.post(
        reverse("letters:new"),
        {
            "application": follow_up.application_id,
            "contact": follow_up.contact_id,
            "kind": follow_up.kind,
            "interview": follow_up.interview_id or "",
            "follow_up": follow_up.pk,
        },
    )


# --- The service ----------------------------------------------------------------------------


def test_starting_twice_opens_the_same_draft(thank_ada, interview):
    first, started = start(thank_ada)
    assert started and (first.follow_up, first.interview) == (thank_ada, interview)
    second, started_again = start(thank_ada)
    assert (second.pk, started_again) == (first.pk, False)
    assert Letter.objects.count() == 1


def test_a_letter_started_from_the_form_answers_the_step_planned_for_that_person(
    application, ada, thank_ada, interview
):
    letter, started = services.letter_start(
        application=application, contact=ada, kind=LetterKind.THANK_YOU
    )
    assert started and (letter.follow_up, letter.interview) == (thank_ada, interview)
    # ...so the plan's "Write it" opens it rather than a second one.
    assert start(thank_ada) == (letter, False)


def test_a_draft_written_before_is_taken_by_its_step_and_keeps_its_edit_time(
    application, ada, thank_ada, interview
):
    earlier = LetterFactory(application=application, contact=ada, interview=interview)
    edited_at = Letter.objects.get(pk=earlier.pk).updated_at

    letter, started = start(thank_ada)

    assert (letter.pk, started) == (earlier.pk, False)
    letter.refresh_from_db()
    assert (letter.follow_up, letter.updated_at, letter.version) == (thank_ada, edited_at, 1)


def test_one_draft_per_person_the_others_get_their_own(thank_ada, interview, ben):
    to_ada, _ = start(thank_ada)
    to_ben, started = start(FollowUp.objects.get(interview=interview, contact=ben))
    assert started and to_ben.pk != to_ada.pk


def test_a_sent_letter_is_never_opened_again(owner, thank_ada):
    letter, _ = start(thank_ada)
    services.letter_mark_sent(letter=letter, sent_on=owner.today(), signature="Olivia")
    next_step = FollowUp.objects.get(kind=FollowUpKind.FOLLOW_UP)

    follow_up_letter, started = start(next_step, kind=LetterKind.FOLLOW_UP)

    assert started and follow_up_letter.pk != letter.pk
    assert follow_up_letter.follow_up == next_step


def test_a_follow_up_planned_for_someone_else_is_not_answered(thank_ada, ben):
    letter, started = start(thank_ada, contact=ben)
    assert started and letter.contact == ben
    assert letter.follow_up != thank_ada
    assert start(thank_ada)[0].pk != letter.pk  # Ada's step still gets its own draft


def test_a_closing_letter_is_one_draft_per_person(application, ada, ben):
    closing = {"application": application, "kind": LetterKind.CLOSING}
    first, _ = services.letter_start(contact=ada, **closing)
    assert services.letter_start(contact=ada, **closing) == (first, False)
    assert services.letter_start(contact=ben, **closing)[1] is True


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_draft(owner, thank_ada):
    """Two requests in two connections, released together: the lock makes the second wait and
    find the first one's draft (without it, one of them would hit the unique constraint)."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            barrier.wait()
            results.append(start(FollowUp.objects.get(pk=thank_ada.pk))[0].pk)
        except Exception as error:  # reported below, from the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1 and Letter.objects.count() == 1


# --- Through HTTP ---------------------------------------------------------------------------


def test_write_it_twice_opens_the_composer_on_one_draft(owner_client, thank_ada):
    first = write_it(owner_client, thank_ada)
    letter = Letter.objects.get()
    assert first["Location"] == reverse("letters:compose", args=[letter.pk])

    second = write_it(owner_client, thank_ada)

    assert second["Location"] == first["Location"]
    assert Letter.objects.count() == 1
    page = owner_client.get(second["Location"]).content.decode()
    assert "A draft to Ada Park was already started: here it is." in page


def test_a_reminder_link_opens_the_draft_already_written(owner_client, thank_ada):
    letter, _ = start(thank_ada)
    response = owner_client.get(reverse("letters:new"), {"follow_up": thank_ada.pk})
    assert response["Location"] == reverse("letters:compose", args=[letter.pk])


def test_a_reminder_link_without_a_draft_still_asks_first(owner_client, thank_ada):
    """A link followed from an email is a GET: it shows the form, it creates nothing."""
    response = owner_client.get(reverse("letters:new"), {"follow_up": thank_ada.pk})
    assert response.status_code == 200
    assert response.context["form"].initial["follow_up"] == thank_ada.pk
    assert not Letter.objects.exists()


def test_the_to_list_offers_the_people_at_this_application_first(
    owner_client, owner, application, interview
):
    ContactFactory(owner=owner, name="Zoe Elsewhere")
    ContactFactory(owner=owner, name="Aaron Elsewhere")
    page = owner_client.get(reverse("letters:new"), {"application": application.pk})
    html = page.content.decode()
    here, others = html.index('label="At this application"'), html.index('label="Other contacts"')
    assert here < html.index("Ada Park") < html.index("Ben Ruiz") < others
    assert others < html.index("Aaron Elsewhere") < html.index("Zoe Elsewhere")


def test_the_to_list_is_one_list_until_an_application_is_chosen(owner_client, interview):
    html = owner_client.get(reverse("letters:new")).content.decode()
    assert "Ada Park" in html and "<optgroup" not in html


def test_the_to_list_shows_only_the_applications_owners_book(
    owner_client, owner, application, interview, stranger
):
    ContactFactory(owner=stranger, name="Someone Else's")
    html = owner_client.get(reverse("letters:new"), {"application": application.pk}).content
    assert b"Someone Else" not in html


# --- The plan and the dashboard -------------------------------------------------------------


def edited_hours_ago(letter, hours):
    Letter.objects.filter(pk=letter.pk).update(updated_at=timezone.now() - timedelta(hours=hours))


def test_the_plan_says_a_draft_is_in_progress_and_links_to_it(owner_client, thank_ada, ben):
    letter, _ = start(thank_ada)
    edited_hours_ago(letter, 2)

    page = owner_client.get(thank_ada.application.get_absolute_url()).content.decode()

    assert "Draft in progress (edited" in page and "2\xa0hours ago" in page
    assert reverse("letters:compose", args=[letter.pk]) in page
    # Ben's thank-you has no draft: its button still starts one.
    assert page.count("Draft in progress") == 1
    assert page.count(">Write it</button>") == 1


def test_the_dashboard_says_a_draft_is_in_progress_and_links_to_it(owner_client, thank_ada):
    letter, _ = start(thank_ada)
    edited_hours_ago(letter, 2)
    page = owner_client.get("/").content.decode()
    assert "Draft in progress (edited" in page and "2\xa0hours ago" in page
    assert reverse("letters:compose", args=[letter.pk]) in page


def test_a_draft_edited_this_minute_was_edited_just_now(owner_client, thank_ada):
    letter, _ = start(thank_ada)
    Letter.objects.filter(pk=letter.pk).update(updated_at=timezone.now() - timedelta(seconds=30))
    page = owner_client.get("/").content.decode()
    assert "Draft in progress (edited" in page
    assert ">just now</time>)" in page
    assert "seconds ago" not in page and "0\xa0minutes" not in page


def test_with_drafts_ignores_sent_letters(owner, thank_ada):
    letter, _ = start(thank_ada)
    [row] = with_drafts(FollowUp.objects.filter(pk=thank_ada.pk))
    assert (row.draft_id, row.draft_edited_at) == (letter.pk, letter.updated_at)
    Letter.objects.filter(pk=letter.pk).update(sent_on=owner.today())
    [row] = with_drafts(FollowUp.objects.filter(pk=thank_ada.pk))
    assert row.draft_id is None


def test_the_agenda_says_a_draft_is_in_progress_and_links_to_it(owner_client, thank_ada):
    letter, _ = start(thank_ada)
    edited_hours_ago(letter, 2)
    page = owner_client.get(reverse("applications:agenda")).content.decode()
    assert "Draft in progress (edited" in page
    assert reverse("letters:compose", args=[letter.pk]) in page
