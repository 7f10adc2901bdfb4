import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from followup.applications.models import Application
from followup.core.forms import SingleLineCharField, SingleLineEmailField, refuse_control_characters
from followup.core.text import single_line

from .models import (
    COMMENT_MAX_LENGTH,
    NEXT_STEP_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Coaching,
    Comment,
    Level,
    comment_part_choices,
)


class EndsOnField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            input_formats=["%Y-%m-%d"],
            label="Access ends after",
            help_text="Optional. Leave empty to keep it until you end it.",
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value and value < timezone.localdate():
            raise ValidationError("Choose today or a later date.")


# The email validator accepts addresses of up to 320 characters; the invitation's column holds
# fewer, and a longer address would fail on insert instead of as a field error.
ADDRESS_MAX_LENGTH = Coaching._meta.get_field("invited_email").max_length


class InviteCoachForm(forms.Form):
    email = SingleLineEmailField(label="Your coach's email address", max_length=ADDRESS_MAX_LENGTH)
    level = forms.ChoiceField(choices=Level.choices, initial=Level.VIEW, label="They may")
    ends_on = EndsOnField()


# A pasted class list, not a mailing list: more at once is more likely a mistake.
MAX_ADDRESSES = 50


class MultipleEmailsField(forms.CharField):
    """Addresses separated by commas, semicolons or new lines, each checked on its own.

    Every bad line is reported with its number and text, so a list of thirty with one typo
    says which one; repeats (whatever their case) are kept once.
    """

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        value = super().to_python(value)
        found = [part.strip() for part in re.split(r"[,;\n]", value or "")]
        return [part for part in found if part]

    def validate(self, value):
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")
        problems = []
        for email in value:
            try:
                refuse_control_characters(email)
            except ValidationError as error:
                # Say why rather than echo the characters back into the page.
                problems.append(f"“{single_line(email)[:80]}”: {error.messages[0]}")
                continue
            try:
                validate_email(email)
                if len(email) > ADDRESS_MAX_LENGTH:
                    raise ValidationError("too long")
            except ValidationError:
                problems.append(f"“{email[:80]}” is not a valid email address.")
        if len(value) > MAX_ADDRESSES:
            problems.append(f"Send at most {MAX_ADDRESSES} invitations at once.")
        if problems:
            raise ValidationError(problems)

    def clean(self, value):
        emails = super().clean(value)
        unique = {}
        for email in emails:
            unique.setdefault(email.lower(), email)
        return list(unique.values())


class InviteClientForm(forms.Form):
    email = MultipleEmailsField(
        label="Your clients' email addresses",
        help_text="One or several, separated by commas or on separate lines.",
        error_messages={"required": "Enter at least one email address."},
    )


class AcceptForm(forms.Form):
    """What the job seeker chooses when accepting a coach's invitation."""

    level = forms.ChoiceField(
        choices=Level.choices,
        initial=Level.VIEW,
        widget=forms.RadioSelect,
        label="Your coach may",
    )
    ends_on = EndsOnField()


class LevelForm(AcceptForm):
    pass


class CommentForm(forms.Form):
    """A comment on a letter draft: on the whole letter or on one part of it."""

    part = forms.ChoiceField(choices=Comment.PARTS, required=False, label="About")
    text = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a comment."},
    )

    def __init__(self, *args, letter_kind: str, **kwargs):
        # The composer holds other forms on the same page; keep the element ids apart.
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = comment_part_choices(letter_kind)


class NextStepForm(forms.Form):
    """A next step a coach sets for a client: what, by when, and about which application."""

    text = SingleLineCharField(
        label="Next step",
        max_length=NEXT_STEP_MAX_LENGTH,
        error_messages={"required": "Say what the next step is."},
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. Send the follow-up to Marcus by Friday"}
        ),
    )
    due_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        label="Due on",
        help_text="Optional. A day in their calendar.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        required=False,
        label="About the application",
        empty_label="None in particular",
    )

    def __init__(self, *args, applications=None, **kwargs):
        kwargs.setdefault("auto_id", "id_step_%s")
        super().__init__(*args, **kwargs)
        if applications is not None:
            self.fields["application"].queryset = applications


class NoteForm(forms.Form):
    text = forms.CharField(
        label="New note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note first."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)
