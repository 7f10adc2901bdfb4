"""One-line fields stay on one line: every form's names, titles and subjects are cleaned (or,
for addresses and links, refused) before they are stored, shown in a heading or written into an
email header."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import followup
from followup.accounts.forms import ProfileForm, SignupForm
from followup.applications.forms import (
    ApplicationFilterForm,
    ApplicationForm,
)
from followup.coaching.forms import InviteClientForm, InviteCoachForm
from followup.contacts.forms import ContactForm, ContactSearchForm
from followup.contacts.models import Contact
from followup.core.forms import SingleLineCharField, refuse_control_characters
from followup.core.text import single_line
from followup.interviews.forms import InterviewerForm, InterviewForm
from followup.letters.forms import GiftForm, LetterForm
from followup.letters.models import Letter
from tests.factories import ApplicationFactory, LetterFactory

CONTROLS = [chr(code) for code in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029"]
CHAR_IDS = {"ids": lambda char: f"U+{ord(char):04X}"}


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in one of the project's *forms modules."""
    found = []
    for module_info in pkgutil.walk_packages(followup.__path__, "followup."):
        if not module_info.name.endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_one_line_text_field_of_every_form_keeps_to_one_line():
    """A new text input must clean its value (SingleLineCharField) or refuse control
    characters (an address, a link); only a textarea may hold line breaks, and a password is
    taken as typed (it is checked, never stored or sent)."""
    classes = project_forms()
    assert {"ContactForm", "LetterForm", "GiftForm", "ProfileForm"} <= {c.__name__ for c in classes}
    loose = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.Textarea | forms.PasswordInput)
        and not isinstance(field, SingleLineCharField)
        and refuse_control_characters not in field.validators
    ]
    assert loose == []


@pytest.mark.parametrize("char", CONTROLS, **CHAR_IDS)
def test_single_line_field_turns_each_run_of_control_characters_into_one_space(char):
    field = SingleLineCharField(max_length=50)
    assert field.clean(f"{char} Ada {char}{char} Park{char}") == "Ada Park"
    assert field.clean(f"Hi{char}Bcc: evil@attacker.example") == "Hi Bcc: evil@attacker.example"
    with pytest.raises(forms.ValidationError, match="required"):
        field.clean(char * 3)


def test_single_line_leaves_ordinary_text_and_spaces_alone():
    assert single_line("Zoë  O’Neil\u00a0— 名前 😀") == "Zoë  O’Neil\u00a0— 名前 😀"


@pytest.mark.parametrize("char", CONTROLS, **CHAR_IDS)
def test_single_line_field_keeps_the_length_limit_after_cleaning(char):
    field = SingleLineCharField(max_length=5)
    assert field.clean(f"ab{char * 10}cd") == "ab cd"
    with pytest.raises(forms.ValidationError):
        field.clean(f"abc{char}def")


@pytest.fixture
def letter(owner):
    return LetterFactory(application=ApplicationFactory(owner=owner))


HOSTILE = "Hi\x0b\x0bBcc : evil@attacker.example\u2028Injected\r\nline"
CLEANED = "Hi Bcc : evil@attacker.example Injected line"


def bound_forms(letter, owner) -> dict:
    """Each form with one-line text fields, bound to the hostile value in all of them."""
    contacts = Contact.objects.filter(owner=owner)
    return {
        "LetterForm": (
            LetterForm({"subject": HOSTILE, "version": letter.version}, instance=letter),
            ["subject"],
        ),
        "GiftForm": (
            GiftForm({"kind": "link", "title": HOSTILE, "url": "https://e.example"}, letter=letter),
            ["title"],
        ),
        "ContactForm": (
            ContactForm({"name": HOSTILE, "role": HOSTILE, "organisation": HOSTILE}),
            ["name", "role", "organisation"],
        ),
        "ContactSearchForm": (ContactSearchForm({"q": HOSTILE}), ["q"]),
        "ProfileForm": (
            ProfileForm(
                {
                    "name": HOSTILE,
                    "time_zone": "UTC",
                    "cadence_first_days": 7,
                    "cadence_second_days": 14,
                    "cadence_repeat_days": 21,
                },
                instance=owner,
            ),
            ["name"],
        ),
        "SignupForm": (SignupForm({"name": HOSTILE, "time_zone": "UTC"}), ["name"]),
        "ApplicationForm": (
            ApplicationForm({"organisation": HOSTILE, "position": HOSTILE, "found_via": HOSTILE}),
            ["organisation", "position", "found_via"],
        ),
        "ApplicationFilterForm": (ApplicationFilterForm({"q": HOSTILE}), ["q"]),
        "InterviewForm": (
            InterviewForm(
                {
                    "scheduled_at": "2025-06-02T10:00",
                    "kind": "video",
                    "round": "1",
                    "location": HOSTILE,
                }
            ),
            ["location"],
        ),
        "InterviewerForm": (
            InterviewerForm({"name": HOSTILE, "role": HOSTILE}, contacts=contacts),
            ["name", "role"],
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "LetterForm",
        "GiftForm",
        "ContactForm",
        "ContactSearchForm",
        "ProfileForm",
        "SignupForm",
        "ApplicationForm",
        "ApplicationFilterForm",
        "InterviewForm",
        "InterviewerForm",
    ],
)
def test_forms_clean_one_line_fields_to_one_line(letter, owner, name):
    form, fields = bound_forms(letter, owner)[name]
    assert form.is_valid(), form.errors
    assert {field: form.cleaned_data[field] for field in fields} == dict.fromkeys(fields, CLEANED)


ADDRESS = '"ada\x0bBcc:evil"@acme.example'  # Django's own check accepts it


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        lambda owner: ContactForm({"name": "Ada", "email": ADDRESS}),
        lambda owner: InterviewerForm(
            {"name": "Ada", "email": ADDRESS}, contacts=Contact.objects.none()
        ),
        lambda owner: InviteClientForm({"email": ADDRESS}),
        lambda owner: InviteCoachForm({"email": ADDRESS, "level": "view"}),
    ],
    ids=["ContactForm", "InterviewerForm", "InviteClientForm", "InviteCoachForm"],
)
def test_forms_refuse_an_address_holding_a_control_character(owner, form):
    bound = form(owner)
    assert forms.EmailField().clean(ADDRESS) == ADDRESS
    assert not bound.is_valid()
    assert "control characters" in str(bound.errors["email"])


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85"], **CHAR_IDS)
def test_forms_refuse_a_link_holding_a_control_character(letter, char):
    """Django's URL check lets these through in the path."""
    link = f"https://e.example/a{char}b"
    bound = [
        (ContactForm({"name": "Ada", "profile_url": link}), "profile_url"),
        (
            ApplicationForm({"organisation": "A", "position": "B", "posting_url": link}),
            "posting_url",
        ),
        (GiftForm({"kind": "link", "url": link}, letter=letter), "url"),
    ]
    assert [name for form, name in bound if name in form.errors] == [name for _, name in bound]


@pytest.mark.django_db
def test_a_subject_typed_with_line_breaks_is_saved_on_one_line(owner_client, letter):
    response = owner_client.post(
        reverse("letters:compose", args=[letter.pk]),
        {"subject": HOSTILE, "body": "", "version": letter.version},
    )
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).subject == CLEANED


@pytest.mark.django_db
def test_an_uploaded_gifts_name_is_kept_on_one_line(letter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("my\x0bBcc: x\u2028notes.txt", b"Read me")
    form = GiftForm({"kind": "article"}, {"file": upload}, letter=letter)
    assert form.is_valid(), form.errors
    assert form.save().file_name == "my Bcc: x notes.txt"
