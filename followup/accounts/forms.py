from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
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


class DeleteAccountForm(forms.Form):
    """The account's password, and a code from its authenticator when it has one: whoever holds
    an open session must not be able to delete the account on their own."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = SingleLineCharField(
        label="Code from your authenticator app (or a recovery code)",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user: User, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.authenticators = list(Authenticator.objects.filter(user=user))
        self.needs_code = any(a.type == Authenticator.Type.TOTP for a in self.authenticators)
        if not self.needs_code:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        # The same limit as allauth's "confirm your password" (10 a minute per person): a
        # stolen session must not be able to guess the password here instead.
        if self.request is not None and not ratelimit.consume(
            self.request, action="reauthenticate", user=self.user
        ):
            raise forms.ValidationError("Too many attempts. Please wait a minute and try again.")
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError("Enter the code your authenticator app shows now.")
        for authenticator in self.authenticators:
            wrapped = authenticator.wrap()
            if authenticator.type in (
                Authenticator.Type.TOTP,
                Authenticator.Type.RECOVERY_CODES,
            ) and wrapped.validate_code(code):
                return code
        raise forms.ValidationError("That code is not valid. Enter the current one.")
