from django import forms

from followup.core.forms import SingleLineCharField

from .models import User
from .time_zones import time_zone_choices, time_zone_names


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth's own form supplies email and passwords."""

    name = SingleLineCharField(max_length=150, required=False, label="Your name")
    time_zone = forms.ChoiceField(choices=time_zone_choices, initial="UTC")

    field_order = ["name", "email", "password1", "password2", "time_zone"]

    class Media:
        js = ["js/timezone.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Only a fresh form takes the browser's zone: after an error it shows what was sent.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = ""

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["name", "time_zone"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.time_zone
        if current and current not in time_zone_names():
            # An old name chosen before the list lost them ("US/Eastern") stays on offer, so
            # saving other settings does not silently move the person to the first zone.
            field = self.fields["time_zone"]
            field.choices = [(current, current.replace("_", " ")), *field.choices]

    class Meta:
        model = User
        fields = [
            "name",
            "time_zone",
            "cadence_first_days",
            "cadence_second_days",
            "cadence_repeat_days",
            "is_coach",
        ]
        labels = {"is_coach": "I am a career coach"}
        field_classes = {"name": SingleLineCharField}
