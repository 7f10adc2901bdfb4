import functools
import zoneinfo

from django import forms

from followup.core.forms import SingleLineCharField

from .models import User


@functools.cache
def time_zone_choices():
    # Region/City names only (plus UTC): the legacy aliases ("US/Eastern", "Factory") confuse.
    names = sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith("Etc/")
    )
    return [("UTC", "UTC")] + [(name, name.replace("_", " ")) for name in names]


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth's own form supplies email and passwords."""

    name = SingleLineCharField(max_length=150, required=False, label="Your name")
    time_zone = forms.ChoiceField(choices=time_zone_choices, initial="UTC")

    field_order = ["name", "email", "password1", "password2", "time_zone"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["name", "time_zone"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

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
