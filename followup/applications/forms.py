from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from followup.core.forms import SingleLineCharField, SingleLineURLField

from .models import Application, Status, WorkMode

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A year typed as 0025 or 20250 is a slip; and near the ends of the calendar (years 1 and 9999)
# a day cannot be turned into an instant in every time zone (year 1 east of UTC is stored as a
# BC date that cannot be read back) nor have a follow-up planned after it (the plan adds days).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def validate_plausible_day(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            params={"earliest": EARLIEST_DAY.year, "latest": LATEST_DAY.year},
        )


def cadence_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=365, help_text=help_text
    )


class ApplicationForm(forms.ModelForm):
    """What a person knows when they apply; the status starts at "applied"."""

    posting_url = SingleLineURLField(
        label="Posting URL", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Application
        fields = [
            "organisation",
            "position",
            "applied_on",
            "posting_url",
            "found_via",
            "location",
            "work_mode",
            "salary_min",
            "salary_max",
            "salary_currency",
            "decision_date",
            "notes",
        ]
        widgets = {
            "applied_on": DATE_INPUT,
            "decision_date": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = dict.fromkeys(
            ["organisation", "position", "found_via", "location"], SingleLineCharField
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("applied_on", "decision_date"):
            self.fields[name].validators.append(validate_plausible_day)
        self.fields["applied_on"].required = False
        self.fields["applied_on"].help_text = "Left blank: today."
        for name in ("salary_min", "salary_max"):
            # A year's pay, in whole units; past two thousand million it is a slip of the keyboard.
            self.fields[name].max_value = 2_000_000_000
            self.fields[name].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["work_mode"].choices = [("", "Not said"), *WorkMode.choices]
        self.fields["salary_currency"].choices = [
            ("", "—"),
            *self.fields["salary_currency"].choices[1:],
        ]

    def clean_applied_on(self):
        day = self.cleaned_data["applied_on"]
        if day is None and not self.instance._state.adding:
            return self.instance.applied_on  # cleared on edit: keep what was recorded
        return day  # None on creation: the model sets the owner's today


class ApplicationUpdateForm(ApplicationForm):
    cadence_first_days = cadence_field(
        "First follow-up after (days)", "Blank: your own setting applies."
    )
    cadence_second_days = cadence_field("Second follow-up after (days)", "Blank: your setting.")
    cadence_repeat_days = cadence_field("Later follow-ups every (days)", "Blank: your setting.")

    class Meta(ApplicationForm.Meta):
        fields = [
            "organisation",
            "position",
            "status",
            "applied_on",
            "posting_url",
            "found_via",
            "location",
            "work_mode",
            "salary_min",
            "salary_max",
            "salary_currency",
            "decision_date",
            "notes",
            "cadence_first_days",
            "cadence_second_days",
            "cadence_repeat_days",
            "reminders_muted",
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Move to", choices=Status.choices)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What happened, e.g. who told you and how.",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="What they said",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    received_on = forms.DateField(
        label="Received on", widget=DATE_INPUT, validators=[validate_plausible_day]
    )

    def __init__(self, *args, owner, **kwargs):
        # The application owner's today: a coach elsewhere records replies on the owner's days.
        self.today = owner.today()
        kwargs.setdefault("initial", {"received_on": self.today})
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > self.today:
            raise ValidationError("That date is in the future: record a reply once it arrives.")
        return day


class SnoozeForm(forms.Form):
    """Where to move a follow-up; blank means the next business day (the view knows which)."""

    until = forms.DateField(
        label="Snooze until", required=False, widget=DATE_INPUT, validators=[validate_plausible_day]
    )

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_until(self):
        day = self.cleaned_data["until"]
        if day is not None and day <= self.today:
            raise ValidationError("Choose a day after today.")
        return day


SORTS = {
    "applied": "applied_on",
    "updated": "updated_at",
    "organisation": "organisation",
    "position": "position",
    "status": "status_rank",
    "decision_date": "decision_date",
}
SORT_CHOICES = [
    ("-applied", "Recently applied"),
    ("applied", "Applied longest ago"),
    ("-updated", "Recently updated"),
    ("updated", "Least recently updated"),
    ("organisation", "Organisation A–Z"),
    ("-organisation", "Organisation Z–A"),
    ("position", "Position A–Z"),
    ("-position", "Position Z–A"),
    ("status", "Status, pipeline order"),
    ("-status", "Status, reverse order"),
    ("decision_date", "Decision date, soonest first"),
    ("-decision_date", "Decision date, latest first"),
]


class ApplicationFilterForm(forms.Form):
    """The list's query string; a value that does not parse falls back to its default."""

    q = SingleLineCharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices]
    )
    state = forms.ChoiceField(
        label="Open or closed",
        required=False,
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "All")],
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)
    work_mode = forms.ChoiceField(
        label="Work mode", required=False, choices=[("", "Any"), *WorkMode.choices]
    )
    location = SingleLineCharField(label="Location contains", required=False, max_length=200)
    source = SingleLineCharField(label="Source contains", required=False, max_length=200)
    applied_from = forms.DateField(
        label="Applied from", required=False, widget=DATE_INPUT, validators=[validate_plausible_day]
    )
    applied_to = forms.DateField(
        label="Applied to", required=False, widget=DATE_INPUT, validators=[validate_plausible_day]
    )

    MORE = ("work_mode", "location", "source", "applied_from", "applied_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "type": "search",
                "placeholder": "Organisation, position, notes",
            }
        )
        for name in ("status", "state", "sort", "work_mode"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("location", "source", "applied_from", "applied_to"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def value(self, name: str, default=""):
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def more_used(self) -> bool:
        """Whether any of the filters folded away by default is in use (the fold opens then)."""
        return any(self.value(name) for name in self.MORE)

    def filter(self, applications):
        """Narrow `applications` by the filters beyond search, status and state."""
        if work_mode := self.value("work_mode"):
            applications = applications.filter(work_mode=work_mode)
        if location := self.value("location").strip():
            applications = applications.filter(location__icontains=location)
        if source := self.value("source").strip():
            applications = applications.filter(found_via__icontains=source)
        return applications.applied_between(
            self.value("applied_from", None), self.value("applied_to", None)
        )

    def ordering(self) -> list:
        sort = self.value("sort", "-applied")
        descending = sort.startswith("-")
        field = models.F(SORTS[sort.lstrip("-")])
        # Applications without a decision date go last either way: they have nothing to sort by.
        expression = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return [expression, "-pk" if descending else "pk"]
