from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from followup.accounts.models import WEEKDAY_CHOICES, User

# Reminders start again the day after a pause ends, so a pause cannot end on the calendar's last
# day (31 December 9999 overflowed the coach digest's schedule); a year past 2199 is a slip, or a
# wish to stop, which has its own choice.
PAUSE_LATEST = date(2199, 12, 31)


def validate_pause_end(value: date) -> None:
    if value > PAUSE_LATEST:
        raise ValidationError("Choose a day before 2200, or stop reminders instead.")


class ReminderPreferencesForm(forms.ModelForm):
    reminder_hour = forms.TypedChoiceField(
        label="Send my digest at",
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text="In your time zone; each digest goes out within that hour.",
    )
    reminder_days = forms.MultipleChoiceField(
        # Stored as a string of digits ("01234"); the choices' numbers compare as their digits.
        label="On these days",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    reminders_paused_until = forms.DateField(
        required=False,
        label="Pause all reminders until",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        validators=[validate_pause_end],
    )

    class Meta:
        model = User
        fields = [
            "reminder_hour",
            "reminder_days",
            "reminders_paused_until",
            "reminders_stopped",
            "coach_digest_frequency",
            "coach_digest_weekday",
        ]
        labels = {"coach_digest_frequency": "Digest of my clients"}
        help_texts = {
            "coach_digest_frequency": (
                "Clients with overdue follow-ups or interviews coming up, at the hour above: "
                "daily on the days above, or weekly on one day."
            ),
            "coach_digest_weekday": "Used when the digest of your clients is weekly.",
        }

    COACH_FIELDS = ("coach_digest_frequency", "coach_digest_weekday")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["reminder_days"] = list(self.instance.reminder_days)
        if not self.instance.is_coach:
            for name in self.COACH_FIELDS:
                del self.fields[name]

    def own_fields(self):
        return [self[name] for name in self.fields if name not in self.COACH_FIELDS]

    def coach_fields(self):
        return [self[name] for name in self.fields if name in self.COACH_FIELDS]

    def clean_reminder_days(self):
        return "".join(sorted(self.cleaned_data["reminder_days"]))


class PauseForm(forms.Form):
    until = forms.DateField(
        label="Pause all reminders until",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        validators=[validate_pause_end],
    )


class LinkPauseForm(PauseForm):
    """A pause chosen from an email's link, where no one has signed in.

    Whoever holds the email may only make the quiet longer: a day in the future, and not before
    a pause already set (shortening one is for the settings page, behind a login).
    """

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= self.person.today():
            raise ValidationError("Choose a day after today.")
        current = self.person.reminders_paused_until
        if current and until < current:
            raise ValidationError(
                f"Reminders are already paused until {current:%-d %B %Y}; this link can only "
                "make a pause longer. To shorten it, sign in and change your reminder settings."
            )
        return until
