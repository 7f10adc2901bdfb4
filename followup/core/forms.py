"""Form fields for text that must stay on one line, shared by every app's forms."""

from django import forms
from django.core.exceptions import ValidationError

from .text import has_control_characters, single_line


def refuse_control_characters(value: str) -> None:
    """Refuse what cannot be cleaned without changing its meaning, such as an address."""
    if value and has_control_characters(value):
        raise ValidationError(
            "Remove the line breaks and other control characters.", code="control_characters"
        )


class SingleLineCharField(forms.CharField):
    """One line of text (a name, a title, a subject): line breaks, tabs and other control
    characters, pasted or sent, become one space, so the value never breaks a header line."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return single_line(value) or self.empty_value


class SingleLineEmailField(forms.EmailField):
    """An address that can go into a header: Django's own check accepts a quoted local part
    holding a vertical tab or a form feed ("a<VT>b"@example.com)."""

    default_validators = [*forms.EmailField.default_validators, refuse_control_characters]


class SingleLineURLField(forms.URLField):
    """A link shown and followed as one line: Django's check lets most control characters
    through in the path."""

    default_validators = [*forms.URLField.default_validators, refuse_control_characters]
