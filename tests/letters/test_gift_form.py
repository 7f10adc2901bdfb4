"""The gift form: each kind takes its own fields, and the others are ignored and cleared."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.applications import services
from followup.letters.forms import GiftForm
from followup.letters.gift_sentences import gift_sentence
from followup.letters.models import Gift
from followup.letters.services import gift_save
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory, gift_with_file

pytestmark = pytest.mark.django_db

EVERYTHING = {
    "title": "Couch to marathon",
    "url": "https://example.com/couch",
    "items": "Parkrun\nRunClub",
    "inspiration": "training for a first marathon",
}


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, organisation="Acme")


@pytest.fixture
def ada(owner):
    return ContactFactory(owner=owner, name="Ada Park")


@pytest.fixture
def letter(application, ada):
    return LetterFactory(application=application, contact=ada)


@pytest.fixture
def lena(owner):
    return ContactFactory(owner=owner, name="Lena Ortiz", organisation="Nimbus")


def form_for(letter, data, files=None, instance=None):
    return GiftForm(data, files, instance=instance, letter=letter)


@pytest.mark.parametrize(
    "kind, kept",
    [
        ("link", {"title": "Couch to marathon", "url": "https://example.com/couch"}),
        ("article", {"title": "Couch to marathon", "url": "https://example.com/couch"}),
        ("list", {"title": "Couch to marathon", "items": "Parkrun\nRunClub"}),
        ("introduction", {"introduced_contact": "lena"}),
    ],
)
def test_each_kind_keeps_its_own_fields_and_clears_the_others(letter, lena, kind, kept):
    form = form_for(letter, {**EVERYTHING, "kind": kind, "introduced_contact": lena.pk})
    assert form.is_valid(), form.errors
    gift = form.save()
    values = {
        "title": gift.title,
        "url": gift.url,
        "items": gift.items,
        "introduced_contact": "lena" if gift.introduced_contact == lena else None,
    }
    assert {name: value for name, value in values.items() if value} == kept
    assert gift.inspiration == "training for a first marathon"


@pytest.mark.parametrize(
    "kind, field, message",
    [
        ("link", "url", "A link needs its URL."),
        ("article", "url", "An article needs a URL or an uploaded file."),
        ("list", "items", "A list needs at least one item."),
        ("introduction", "introduced_contact", "Choose the person to introduce."),
    ],
)
def test_each_kind_needs_what_makes_it(letter, kind, field, message):
    form = form_for(letter, {"kind": kind, "title": "Something", "inspiration": "marathons"})
    assert not form.is_valid()
    assert form.errors == {field: [message]}


def test_an_article_may_be_a_file_alone(letter):
    upload = SimpleUploadedFile("notes.txt", b"Read me")
    form = form_for(letter, {"kind": "article", "title": "Notes"}, {"file": upload})
    assert form.is_valid(), form.errors


def test_a_wrong_value_in_another_kinds_field_is_no_error(letter):
    form = form_for(letter, {"kind": "list", "items": "One", "url": "not a link at all"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["url"] == ""


def test_turning_an_article_with_a_file_into_a_link_lets_the_file_go(
    letter, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    gift = gift_with_file(letter)
    stored = gift.file.name
    form = form_for(letter, {"kind": "link", "url": "https://example.com/a"}, instance=gift)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        gift = gift_save(gift=form.save(commit=False))
    gift.refresh_from_db()
    assert (gift.file.name, gift.file_name) == ("", "")
    assert not (tmp_path / stored).exists()


def test_the_person_to_introduce_is_one_of_the_owners_contacts_grouped_and_by_name(
    owner, stranger, letter, application, ada, lena
):
    zone = ZoneInfo("Europe/London")
    ben = ContactFactory(owner=owner, name="Ben Ruiz", organisation="Acme")
    cleo = ContactFactory(owner=owner, name="Cleo Diaz", organisation="Acme")
    services.interview_create(
        application=application,
        scheduled_at=datetime.now(zone) - timedelta(hours=2),
        interviewers=[(ada, ""), (cleo, "")],
        today=datetime.now(zone).date(),
    )
    LetterFactory(application=application, contact=ben)
    ContactFactory(owner=owner, name="Anna Bell", organisation="")
    ContactFactory(owner=stranger, name="Aaron Stranger")

    choices = list(form_for(letter, None).fields["introduced_contact"].choices)

    assert [(group, [str(label) for _, label in options]) for group, options in choices[1:]] == [
        ("From this application", ["Ben Ruiz (Acme)", "Cleo Diaz (Acme)"]),
        ("Other contacts", ["Anna Bell", "Lena Ortiz (Nimbus)"]),
    ]
    stranger_contact = ContactFactory(owner=stranger)
    form = form_for(letter, {"kind": "introduction", "introduced_contact": stranger_contact.pk})
    assert "introduced_contact" in form.errors
    form = form_for(letter, {"kind": "introduction", "introduced_contact": ada.pk})
    assert "introduced_contact" in form.errors  # not to the person the letter is to


def test_without_people_met_for_the_application_the_list_is_not_grouped(letter, lena):
    choices = list(form_for(letter, None).fields["introduced_contact"].choices)
    assert [str(label) for _, label in choices] == ["---------", "Lena Ortiz (Nimbus)"]


def test_the_sentence_is_theirs_when_they_write_one_and_generated_otherwise(letter):
    data = {"kind": "link", "url": "https://example.com/a", "title": "Guide", "inspiration": "dbt"}
    gift = form_for(letter, {**data, "sentence": "  Here is the guide I promised.  "}).save()
    assert gift.sentence == "Here is the guide I promised."

    # Saved back unchanged, the generated sentence is not stored: it keeps following the fields.
    generated = gift_sentence(Gift(**data))
    assert generated == "When we spoke about dbt, I thought you might enjoy “Guide”:"
    gift = form_for(letter, {**data, "sentence": generated}, instance=gift).save()
    assert gift.sentence == ""
    form = form_for(letter, None, instance=gift)
    assert form.fields["sentence"].widget.attrs["placeholder"] == generated


def test_saving_a_gift_shows_its_sentence_in_the_composer_and_preview(owner_client, letter):
    response = owner_client.post(
        reverse("letters:gift", args=[letter.pk]),
        {"kind": "list", "title": "Lisbon bakeries", "items": "Manteigaria\nLandeau",
         "inspiration": "She said she loves Lisbon.", "url": "https://ignored.example"},
    )  # fmt: skip
    assert response.status_code == 302
    composer = owner_client.get(response["Location"]).context["composer"]
    text = (
        "You mentioned that you love Lisbon, so I put together a short list for you, “Lisbon "
        "bakeries”:\n- Manteigaria\n- Landeau"
    )
    assert composer.gift_text == text
    assert text in composer.draft.body
    assert Gift.objects.get().url == ""
