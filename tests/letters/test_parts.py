"""Each kind of letter has its own parts, mapped onto the Letter's four text fields."""

import pytest
from django.urls import reverse

from followup.letters import recognition
from followup.letters.forms import LetterForm
from followup.letters.models import Letter, LetterKind
from followup.letters.parts import FIELDS, parts_of
from tests.factories import LetterFactory


def mapping(kind):
    return {part.field: (part.element, part.optional) for part in parts_of(kind)}


def test_every_kind_has_one_part_per_field_in_the_bodys_order():
    for kind in LetterKind:
        assert tuple(part.field for part in parts_of(kind)) == FIELDS
        assert all(name in {f.name for f in Letter._meta.fields} for name in FIELDS)


def test_a_thank_you_has_the_four_elements_none_optional():
    assert mapping(LetterKind.THANK_YOU) == {
        "appreciation": ("appreciation", False),
        "still_interested": ("still_interested", False),
        "great_fit": ("great_fit", False),
        "availability": ("availability", False),
    }


def test_a_follow_up_restates_interest_offers_something_new_and_asks_about_timing():
    assert mapping(LetterKind.FOLLOW_UP) == {
        "appreciation": (None, True),  # an opening, never checked
        "still_interested": ("still_interested", False),
        "great_fit": ("new_value", False),
        "availability": ("timing_question", False),
    }
    [something_new] = [part for part in parts_of(LetterKind.FOLLOW_UP) if part.gift_counts]
    assert something_new.field == "great_fit"


def test_a_closing_note_thanks_asks_to_be_kept_in_mind_stays_in_touch_and_may_ask_feedback():
    assert mapping(LetterKind.CLOSING) == {
        "appreciation": ("appreciation", False),
        "still_interested": ("kept_in_mind", False),
        "great_fit": ("feedback", True),
        "availability": ("stay_in_touch", False),
    }


@pytest.mark.parametrize("kind", LetterKind)
def test_each_parts_example_is_recognised_as_that_part(kind):
    for part in parts_of(kind):
        assert part.label and part.help_text and part.example and part.hint
        if part.element is not None:
            assert recognition.recognise(part.element, part.example), (kind, part.field)


def test_the_closing_note_no_longer_borrows_the_thank_yous_labels():
    labels = {kind: {part.label for part in parts_of(kind)} for kind in LetterKind}
    assert labels[LetterKind.CLOSING].isdisjoint(labels[LetterKind.THANK_YOU])
    assert labels[LetterKind.FOLLOW_UP].isdisjoint(labels[LetterKind.THANK_YOU])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LetterKind)
def test_the_composer_form_shows_the_kinds_labels_help_and_examples(kind):
    form = LetterForm(instance=LetterFactory(kind=kind))
    for part in parts_of(kind):
        field = form.fields[part.field]
        assert (field.label, field.help_text) == (part.label, part.help_text)
        assert field.widget.attrs["placeholder"] == f"e.g. {part.example}"


@pytest.mark.django_db
def test_the_composer_page_shows_a_closing_notes_parts(owner_client, owner):
    closing = LetterFactory(application__owner=owner, kind="closing")
    content = owner_client.get(reverse("letters:compose", args=[closing.pk])).content.decode()
    for label in ("Thanks for the process", "Keep me in mind", "Ask for feedback (optional)",
                  "Stay in touch"):  # fmt: skip
        assert label in content
    assert "Why a great fit" not in content
