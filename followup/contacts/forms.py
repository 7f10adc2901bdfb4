import re

from django import forms
from django.core.exceptions import ValidationError

from followup.core.forms import SingleLineCharField, SingleLineEmailField, SingleLineURLField

from .models import Contact

# Digits with the usual separators, an optional leading "+" and an optional extension.
PHONE_PATTERN = re.compile(r"^\+?[\d\s().\-/]+((\s*(x|ext\.?)\s*)\d{1,6})?$", re.IGNORECASE)


def clean_phone_number(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE_PATTERN.match(value) or not 5 <= digits <= 20:
        raise ValidationError(
            "Enter a phone number: digits, spaces and + ( ) - only, e.g. +44 20 7946 0958."
        )
    return value


class ContactForm(forms.ModelForm):
    # Explicit so a bare "linkedin.com/in/…" becomes https://, not http://.
    profile_url = SingleLineURLField(
        label="Profile URL",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="A LinkedIn page, a personal site…",
    )

    class Meta:
        model = Contact
        fields = ["name", "role", "organisation", "email", "phone", "profile_url", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = dict.fromkeys(
            ["name", "role", "organisation", "phone"], SingleLineCharField
        )
        field_classes["email"] = SingleLineEmailField

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])


class ContactSearchForm(forms.Form):
    q = SingleLineCharField(label="Search contacts", required=False, max_length=200)
