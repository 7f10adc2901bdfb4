from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from followup.core.forms import SingleLineEmailField

from .models import COMMENT_MAX_LENGTH, Coaching, Comment, Level


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


class InviteClientForm(forms.Form):
    email = SingleLineEmailField(label="Your client's email address", max_length=ADDRESS_MAX_LENGTH)


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

    def __init__(self, *args, **kwargs):
        # The composer holds other forms on the same page; keep the element ids apart.
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)
