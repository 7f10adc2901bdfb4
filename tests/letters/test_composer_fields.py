"""The composer's forms written by core's bootstrap_fields tags: the markup crispy writes.

The tags write text inputs, text areas and selects in Python for speed; what a person (and a
screen reader) gets must stay crispy's Bootstrap 5 markup, errors and help texts included.
Compared with whitespace between and inside tags evened out.
"""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms

from followup.core.templatetags.bootstrap_fields import bootstrap_field, bootstrap_fields
from followup.letters.forms import GiftForm, LetterForm, MarkSentForm
from tests.factories import LetterFactory, gift_with_file


def even(html: str) -> str:
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


class EveryKind(forms.Form):
    name = forms.CharField(max_length=20, help_text="Who <em>you</em> are.")
    about = forms.CharField(widget=forms.Textarea, required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=[("", "---"), ("a", "A & B"), ("Group", [("c", "C")])])
    agree = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form <b>is</b> off.")


def test_unbound_form_is_written_as_crispy_writes_it():
    form = EveryKind(initial={"name": 'Ann "A" <Lee>', "kind": "c"})
    assert even(bootstrap_fields(form)) == even(as_crispy_form(form))


def test_errors_are_written_as_crispy_writes_them():
    form = EveryKind(data={"name": "x" * 30, "about": "<script>", "when": "not a day"})
    assert not form.is_valid()
    written = even(bootstrap_fields(form))
    assert written == even(as_crispy_form(form))
    assert 'class="textinput form-control is-invalid"' in written
    assert 'aria-invalid="true"' in written
    assert "&lt;script&gt;" in written


@pytest.mark.django_db
def test_the_composer_forms_are_written_as_crispy_writes_them():
    letter = LetterFactory(body="Dear <them>,\n\nThanks.")
    gift = gift_with_file(letter, url="https://example.org/a?b=1&c=2")
    letter_form = LetterForm(instance=letter)
    assert even(bootstrap_fields(letter_form)) == even(as_crispy_form(letter_form))
    gift_form = GiftForm(instance=gift, letter=letter)
    assert even(bootstrap_fields(gift_form)) == even(as_crispy_form(gift_form))
    invalid = GiftForm(data={"kind": "nonsense", "url": "not a url"}, instance=gift, letter=letter)
    assert not invalid.is_valid()
    assert even(bootstrap_fields(invalid)) == even(as_crispy_form(invalid))
    sent = MarkSentForm(data={"sent_on": "tomorrow"}, owner=letter.application.owner)
    sent.is_valid()
    assert even(bootstrap_field(sent["sent_on"])) == even(as_crispy_field(sent["sent_on"]))
