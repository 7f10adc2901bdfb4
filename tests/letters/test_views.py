"""The composer and what surrounds it, through HTTP."""

import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.applications import services
from followup.applications.models import FollowUp
from followup.letters.models import Gift, Letter
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory
from tests.letters.samples import NATURAL

pytestmark = pytest.mark.django_db

PARTS = {
    "subject": "Thank you for Monday",
    "appreciation": "Thank you for meeting me on Monday.",
    "still_interested": "I remain very interested in the role.",
    "great_fit": "My experience with streaming pipelines is a close fit for your migration.",
    "availability": "I am available for another interview whenever you wish.",
    "body": "",
    "version": "1",  # the version the composer opened: a fresh letter's
}


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")


@pytest.fixture
def ada(owner):
    return ContactFactory(owner=owner, name="Ada Park", email="ada@acme.example")


@pytest.fixture
def interview(application, ada):
    return services.interview_create(
        application=application,
        scheduled_at=datetime.now(ZoneInfo("Europe/London")) - timedelta(hours=2),
        interviewers=[(ada, "Worried about flaky dbt tests; loves trail running")],
        today=datetime.now(ZoneInfo("Europe/London")).date(),
        notes="Panel of two; discussed the warehouse migration.",
    )


@pytest.fixture
def letter(application, ada, interview):
    return LetterFactory(application=application, contact=ada, interview=interview)


def test_a_planned_thank_you_opens_a_prefilled_new_letter_form(owner_client, interview, ada):
    follow_up = FollowUp.objects.get(interview=interview, contact=ada)
    response = owner_client.get(reverse("letters:new") + f"?follow_up={follow_up.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["contact"] == ada.pk and form.initial["kind"] == "thank_you"

    response = owner_client.post(reverse("letters:new"), {**form.initial})
    letter = Letter.objects.get()
    assert response["Location"] == reverse("letters:compose", args=[letter.pk])
    assert (letter.follow_up, letter.interview, letter.contact) == (follow_up, interview, ada)


def test_new_letter_refuses_another_persons_contact(owner_client, application, stranger):
    theirs = ContactFactory(owner=stranger)
    response = owner_client.post(
        reverse("letters:new"),
        {"application": application.pk, "contact": theirs.pk, "kind": "thank_you"},
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    assert not Letter.objects.exists()


def test_composer_shows_interview_notes_what_they_care_about_and_gift_ideas(owner_client, letter):
    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "flaky dbt tests" in content
    assert "warehouse migration" in content
    assert 'data-testid="gift-suggestions"' in content
    assert "An article on flaky dbt tests" in content
    assert "A link about trail running, the interest they shared outside work" in content


def test_saving_parts_and_filling_the_body(owner_client, letter):
    response = owner_client.post(
        reverse("letters:compose", args=[letter.pk]), {**PARTS, "assemble": "1"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.body.startswith("Dear Ada,\n\nThank you for meeting me on Monday.")
    assert letter.body.endswith("Best regards,\nOlivia Owner")


def test_live_preview_checks_the_unsaved_text(owner_client, letter):
    response = owner_client.post(reverse("letters:preview", args=[letter.pk]), PARTS)
    items = {item.key: item.present for item in response.context["draft"].checklist}
    assert items["appreciation"] and items["availability"] and not items["gift"]
    letter.refresh_from_db()
    assert letter.appreciation == ""  # nothing was saved


def add_gift(client, letter, **fields):
    data = {
        "kind": "link",
        "title": "A guide to testing dbt models",
        "url": "https://example.com/dbt",
        "inspiration": "flaky dbt tests",
    }
    data |= fields
    return client.post(reverse("letters:gift", args=[letter.pk]), data)


def test_mark_sent_asks_once_when_a_part_is_not_found_then_sends_when_confirmed(
    owner_client, owner, letter
):
    owner_client.post(reverse("letters:compose", args=[letter.pk]), {**PARTS, "great_fit": ""})
    today = owner.today().isoformat()
    url = reverse("letters:mark_sent", args=[letter.pk])

    response = owner_client.post(url, {"sent_on": today})
    assert response.status_code == 200  # a question, not an error
    content = response.content.decode()
    assert "Not found yet: say why you are a great fit. Mark it sent as it is?" in content
    assert "Mark as sent anyway" in content
    assert not response.context["sent_form"].errors
    letter.refresh_from_db()
    assert letter.sent_on is None

    response = owner_client.post(url, {"sent_on": today, "send_anyway": "on"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.sent_on == owner.today()


def test_a_letter_written_freely_in_natural_words_is_marked_sent_without_a_question(
    owner_client, owner, letter
):
    body = NATURAL
    owner_client.post(
        reverse("letters:compose", args=[letter.pk]),
        {"subject": "Tuesday", "body": body, "version": letter.version},
    )
    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]), {"sent_on": owner.today().isoformat()}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.sent_on == owner.today()


def test_mark_sent_keeps_and_checks_the_unsaved_text_sent_along(owner_client, owner, letter):
    carried = {f"letter-{name}": value for name, value in PARTS.items()}
    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]),
        {"sent_on": owner.today().isoformat(), **carried},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.appreciation == PARTS["appreciation"]
    assert PARTS["availability"] in letter.body
    assert letter.sent_on == owner.today()


def test_a_part_written_then_edited_lightly_in_the_body_still_counts(owner_client, owner, letter):
    # In words no recognition rule knows: only having written it in its field counts.
    parts = {**PARTS, "great_fit": "Spreadsheets to dbt, tests and all: a road I know."}
    owner_client.post(reverse("letters:compose", args=[letter.pk]), {**parts, "assemble": "1"})
    letter.refresh_from_db()
    edited = letter.body.replace("a road I know.", "a road I know well!")
    owner_client.post(
        reverse("letters:compose", args=[letter.pk]),
        {**parts, "body": edited, "version": letter.version},
    )
    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))
    assert response.context["composer"].draft.missing == []

    letter.refresh_from_db()
    rewritten = edited.replace("Spreadsheets to dbt, tests and all: a road I know well!", "")
    owner_client.post(
        reverse("letters:compose", args=[letter.pk]),
        {**parts, "body": rewritten, "version": letter.version},
    )
    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))
    assert [item.key for item in response.context["composer"].draft.missing] == ["great_fit"]


def test_a_complete_letter_marked_sent_completes_its_thank_you_and_plans_the_next(
    owner_client, owner, letter, ada
):
    owner_client.post(reverse("letters:compose", args=[letter.pk]), PARTS)
    add_gift(owner_client, letter)
    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]), {"sent_on": owner.today().isoformat()}
    )
    assert response.status_code == 302
    thank_you = FollowUp.objects.get(kind="thank_you", contact=ada)
    assert (thank_you.status, thank_you.letter) == ("done", letter)
    assert FollowUp.objects.filter(kind="follow_up", status="pending", step=1).count() == 1


def test_sent_date_in_the_future_is_refused(owner_client, owner, letter):
    tomorrow = (owner.today() + timedelta(days=1)).isoformat()
    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]), {"sent_on": tomorrow, "send_anyway": "on"}
    )
    assert response.status_code == 400
    assert "cannot be sent in the future" in response.content.decode()


def test_eml_download_has_the_recipient_subject_and_body(owner_client, letter):
    owner_client.post(reverse("letters:compose", args=[letter.pk]), {**PARTS, "assemble": "1"})
    response = owner_client.get(reverse("letters:eml", args=[letter.pk]))
    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    message = email.message_from_bytes(response.content, policy=email.policy.default)
    assert message["To"] == "Ada Park <ada@acme.example>"
    assert message["Subject"] == "Thank you for Monday"
    assert message["X-Unsent"] == "1"
    assert "remain very interested" in message.get_content()


def test_mailto_link_carries_recipient_subject_and_body(owner_client, letter):
    owner_client.post(reverse("letters:compose", args=[letter.pk]), {**PARTS, "assemble": "1"})
    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))
    mailto = response.context["composer"].mailto
    assert mailto.startswith("mailto:ada%40acme.example?subject=Thank%20you%20for%20Monday&body=")


def test_each_gift_kind_needs_its_own_field(owner_client, letter, owner):
    cases = {
        "link": ({"url": ""}, "url"),
        "list": ({"items": ""}, "items"),
        "introduction": ({"introduced_contact": ""}, "introduced_contact"),
        "article": ({"url": ""}, "url"),
    }
    for kind, (fields, field) in cases.items():
        response = add_gift(owner_client, letter, kind=kind, **fields)
        assert response.status_code == 200
        assert field in response.context["gift_form"].errors, kind
    assert not Gift.objects.exists()


def test_introduction_gift_puts_the_persons_details_in_the_letter(owner_client, owner, letter):
    friend = ContactFactory(owner=owner, name="Lena Ortiz", email="lena@example.org", role="CTO")
    add_gift(owner_client, letter, kind="introduction", introduced_contact=friend.pk, url="")
    owner_client.post(reverse("letters:compose", args=[letter.pk]), {**PARTS, "assemble": "1"})
    letter.refresh_from_db()
    assert "introduce you to Lena Ortiz" in letter.body
    assert "lena@example.org" in letter.body


def test_introduction_of_another_persons_contact_is_refused(owner_client, letter, stranger):
    theirs = ContactFactory(owner=stranger)
    response = add_gift(owner_client, letter, kind="introduction", introduced_contact=theirs.pk)
    assert "introduced_contact" in response.context["gift_form"].errors


def test_the_same_gift_to_the_same_contact_is_flagged(owner_client, letter, application, ada):
    add_gift(owner_client, letter)
    second = LetterFactory(application=application, contact=ada, kind="follow_up")
    response = add_gift(owner_client, second)
    assert response.status_code == 302
    response = owner_client.get(response["Location"])
    assert "You already gave this to Ada Park" in response.content.decode()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("big.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 1), "the limit is"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "does not match"),
        ("page.html", b"<script>alert(1)</script>", "are not accepted"),
        ("tool.exe", b"MZ\x90\x00", "are not accepted"),
    ],
)
def test_bad_uploads_are_refused_on_the_field(owner_client, letter, name, content, message):
    response = add_gift(owner_client, letter, kind="article", url="", file=upload(name, content))
    assert response.status_code == 200
    assert message in " ".join(response.context["gift_form"].errors["file"])
    assert not Gift.objects.exists()


def test_an_uploaded_article_is_served_only_to_its_owner_as_a_download(
    owner_client, letter, client, stranger, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    add_gift(owner_client, letter, kind="article", url="", file=upload("notes.txt", b"Read me"))
    gift = Gift.objects.get()
    url = reverse("letters:gift_file", args=[gift.pk])

    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Read me"
    assert response["Content-Disposition"].startswith('attachment; filename="notes.txt"')
    assert "sandbox" in response["Content-Security-Policy"]

    client.force_login(stranger)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name, method",
    [
        ("letters:compose", "get"), ("letters:compose", "post"), ("letters:preview", "post"),
        ("letters:gift", "get"), ("letters:gift", "post"), ("letters:gift_delete", "post"),
        ("letters:eml", "get"), ("letters:mark_sent", "post"), ("letters:delete", "get"),
        ("letters:delete", "post"),
    ],
)  # fmt: skip
def test_another_persons_letter_does_not_exist(stranger_client, letter, name, method):
    before = Letter.objects.values().get(pk=letter.pk)
    response = getattr(stranger_client, method)(reverse(name, args=[letter.pk]), PARTS)
    assert response.status_code == 404
    assert Letter.objects.values().get(pk=letter.pk) == before


def test_user_text_is_escaped_in_the_composer(owner_client, letter):
    script = "<script>alert('x')</script>"
    owner_client.post(
        reverse("letters:compose", args=[letter.pk]),
        {**PARTS, "subject": script, "appreciation": script},
    )
    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))
    assert script.encode() not in response.content
    assert b"&lt;script&gt;" in response.content


def test_adding_a_gift_keeps_the_unsaved_letter_text_sent_along(owner_client, letter):
    carried = {f"letter-{name}": value for name, value in PARTS.items()}
    response = add_gift(owner_client, letter, **carried)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.appreciation == PARTS["appreciation"]
    assert Gift.objects.filter(letter=letter).exists()


def test_a_closing_note_offers_no_gift_and_its_own_prompts(owner_client, application, ada):
    closing = LetterFactory(application=application, contact=ada, kind="closing")
    content = owner_client.get(reverse("letters:compose", args=[closing.pk])).content.decode()
    assert "Informational gift" not in content
    assert "Thank them for their time and for considering you." in content


def test_the_question_is_asked_only_after_mark_as_sent(owner_client, owner, letter):
    """An empty draft shows hints, not a box to tick; the question comes with the first try."""
    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))
    content = response.content.decode()
    assert "Not found yet: say you are still interested" in content
    assert "Mark as sent anyway" not in content
    assert "✘" not in content
    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]), {"sent_on": owner.today().isoformat()}
    )
    assert "Mark as sent anyway" in response.content.decode()


def test_mark_sent_with_text_typed_from_an_older_version_is_refused_and_keeps_both(
    owner_client, owner, letter
):
    """Another window (or the coach) saved since: the text carried along must not overwrite it,
    and the letter is not marked sent on text the person has not seen."""
    owner_client.post(reverse("letters:compose", args=[letter.pk]), PARTS)  # now version 2
    letter.refresh_from_db()
    saved = letter.great_fit
    stale = {f"letter-{name}": value for name, value in PARTS.items()}
    stale |= {"letter-great_fit": "Typed in a window opened before.", "letter-version": "1"}

    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]),
        {"sent_on": owner.today().isoformat(), **stale},
    )
    assert response.status_code == 409
    assert b"Typed in a window opened before." in response.content
    letter.refresh_from_db()
    assert (letter.great_fit, letter.sent_on, letter.version) == (saved, None, 2)


def test_carried_text_that_does_not_validate_is_shown_again_not_dropped(
    owner_client, owner, letter
):
    carried = {f"letter-{name}": value for name, value in PARTS.items()}
    carried |= {"letter-subject": "", "letter-great_fit": "Words worth keeping."}
    response = owner_client.post(
        reverse("letters:mark_sent", args=[letter.pk]),
        {"sent_on": owner.today().isoformat(), **carried},
    )
    assert response.status_code == 400
    assert b"Words worth keeping." in response.content
    letter.refresh_from_db()
    assert letter.sent_on is None


def test_marking_a_letter_sent_twice_completes_one_step(owner_client, owner, letter, ada):
    owner_client.post(reverse("letters:compose", args=[letter.pk]), PARTS)
    add_gift(owner_client, letter)
    mark = {"sent_on": owner.today().isoformat()}
    assert (
        owner_client.post(reverse("letters:mark_sent", args=[letter.pk]), mark).status_code == 302
    )
    planned = list(FollowUp.objects.order_by("pk").values_list("pk", "status"))

    owner_client.post(reverse("letters:mark_sent", args=[letter.pk]), mark)
    assert list(FollowUp.objects.order_by("pk").values_list("pk", "status")) == planned
