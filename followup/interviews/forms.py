from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from followup.applications.forms import validate_plausible_day
from followup.contacts.models import Contact
from followup.core.forms import SingleLineCharField, SingleLineEmailField

from .models import Interview

# The browser sends "2025-03-04T14:30"; Django reads it in the active (the person's) time zone.
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


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

    def __init__(self, *args, whose: str = "", **kwargs):
        """`whose`: the owner's name when someone else (their coach) fills the form in; the
        view reads the time in the owner's zone, the current one here."""
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name().replace("_", " ")
        owner = f"{whose}’s" if whose else "your"
        self.fields["scheduled_at"].help_text = f"In {owner} time zone ({zone})."


class InterviewerForm(forms.Form):
    """One interviewer: an existing contact, or a new person typed in."""

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

    def interviewer_forms(self) -> list[InterviewerForm]:
        """The rows that name someone; a row left empty, or ticked for removal, is nobody."""
        return [
            form for form in self.forms if not self._should_delete_form(form) and not form.is_blank
        ]

    def clean(self):
        if any(self.errors):
            return
        chosen = [form.cleaned_data["contact"] for form in self.interviewer_forms()]
        chosen = [contact.pk for contact in chosen if contact]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("The same person is on the panel twice: keep one row for them.")

    def interviewers(self, *, owner, organisation: str) -> list[tuple[Contact, str]]:
        """The interviewers as (contact, cares_about) pairs; new people are saved as contacts here.

        Call inside the transaction that records the interview, so a failed save leaves no
        half-created contacts behind.
        """
        pairs = []
        for form in self.interviewer_forms():
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
