from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from followup.contacts.models import Contact
from followup.core.forms import SingleLineCharField, SingleLineEmailField, SingleLineURLField

from .models import Application, Interview, Status

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The browser sends "2025-03-04T14:30"; Django reads it in the active (the person's) time zone.
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


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
        fields = ["organisation", "position", "posting_url", "found_via", "decision_date", "notes"]
        widgets = {"decision_date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = dict.fromkeys(
            ["organisation", "position", "found_via"], SingleLineCharField
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].validators.append(validate_plausible_day)


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
            "posting_url",
            "found_via",
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

    def __init__(self, *args, today, **kwargs):
        self.today = today
        kwargs.setdefault("initial", {"received_on": today})
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > self.today:
            raise ValidationError("That date is in the future: record a reply once it arrives.")
        return day


SORTS = {
    "updated": "updated_at",
    "organisation": "organisation",
    "position": "position",
    "status": "status_rank",
    "decision_date": "decision_date",
}
SORT_CHOICES = [
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "type": "search",
                "placeholder": "Organisation, position, notes",
            }
        )
        for name in ("status", "state", "sort"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def value(self, name: str, default: str = "") -> str:
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def ordering(self) -> list:
        sort = self.value("sort", "-updated")
        descending = sort.startswith("-")
        field = models.F(SORTS[sort.lstrip("-")])
        # Applications without a decision date go last either way: they have nothing to sort by.
        expression = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return [expression, "-pk" if descending else "pk"]


# --- Interviews ----------------------------------------------------------------------------


class InterviewForm(forms.ModelForm):
    scheduled_at = forms.DateTimeField(
        label="Date and time", widget=DATETIME_INPUT, validators=[validate_plausible_day]
    )
    round = forms.IntegerField(label="Round", min_value=1, max_value=50, initial=1)

    class Meta:
        model = Interview
        fields = ["scheduled_at", "kind", "round", "location", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"location": SingleLineCharField}
        help_texts = {
            "notes": "What was discussed. What an interviewer said about their interests is "
            "where a good gift idea comes from.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["scheduled_at"].help_text = f"In your time zone ({zone.replace('_', ' ')})."


class InterviewerForm(forms.Form):
    """One seat on the panel: an existing contact, or a new person typed in."""

    contact = forms.ModelChoiceField(
        label="Someone in your contacts",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="— a new person —",
    )
    name = SingleLineCharField(label="Or a new person: name", max_length=200, required=False)
    role = SingleLineCharField(label="Their role", max_length=200, required=False)
    # The contact's column, not the validator's 320: a longer address would fail on insert.
    email = SingleLineEmailField(
        label="Their email",
        required=False,
        max_length=Contact._meta.get_field("email").max_length,
    )
    cares_about = forms.CharField(
        label="What they said they care about",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A topic, a problem, a hobby: gift ideas come from here.",
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the viewer's own contacts are choices, so another person's id is "not a valid
        # choice" on the field rather than a silent link to someone else's data.
        self.fields["contact"].queryset = contacts

    def clean(self):
        data = super().clean()
        contact, name = data.get("contact"), (data.get("name") or "").strip()
        if contact and name:
            self.add_error("name", "Pick someone from your contacts or type a new name, not both.")
        elif not contact and not name and (data.get("role") or data.get("email")):
            self.add_error("name", "Type the new person's name.")
        elif not contact and not name and data.get("cares_about"):
            self.add_error("contact", "Pick who said this, or type a new name.")
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("contact") and not (data.get("name") or "").strip()


class BaseInterviewerFormSet(forms.BaseFormSet):
    def __init__(self, *args, contacts, **kwargs):
        self.contacts = contacts
        self.created_contacts: list[Contact] = []  # filled by interviewers()
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "contacts": self.contacts}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove from this interview"

    def seats(self) -> list[InterviewerForm]:
        """The rows that name someone; a row left empty, or ticked for removal, is no seat."""
        return [
            form for form in self.forms if not self._should_delete_form(form) and not form.is_blank
        ]

    def clean(self):
        if any(self.errors):
            return
        chosen = [form.cleaned_data["contact"] for form in self.seats()]
        chosen = [contact.pk for contact in chosen if contact]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("The same person is on the panel twice: keep one row for them.")

    def interviewers(self, *, owner, organisation: str) -> list[tuple[Contact, str]]:
        """The panel as (contact, cares_about) pairs; new people are saved as contacts here.

        Call inside the transaction that records the interview, so a failed save leaves no
        half-created contacts behind.
        """
        pairs = []
        for form in self.seats():
            data = form.cleaned_data
            contact = data["contact"]
            if contact is None:
                contact = Contact.objects.create(
                    owner=owner,
                    name=data["name"].strip(),
                    role=data["role"],
                    email=data["email"],
                    organisation=organisation,
                )
                self.created_contacts.append(contact)
            pairs.append((contact, data["cares_about"]))
        return pairs


InterviewerFormSet = forms.formset_factory(
    InterviewerForm,
    formset=BaseInterviewerFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=20,
    validate_max=True,
)
