from django import forms
from django.core.exceptions import ValidationError

from followup.applications.models import Application, FollowUp
from followup.contacts.models import Contact
from followup.core.forms import SingleLineCharField, SingleLineURLField
from followup.core.text import single_line
from followup.interviews.models import Interview

from .models import Gift, GiftKind, Letter, LetterKind
from .parts import parts_of
from .uploads import validate_gift_file


class NewLetterForm(forms.Form):
    """Who the letter is to, about which application; choices are limited to the person's rows."""

    application = forms.ModelChoiceField(queryset=Application.objects.none())
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), label="To")
    kind = forms.ChoiceField(choices=LetterKind.choices)
    interview = forms.ModelChoiceField(
        queryset=Interview.objects.none(), required=False, label="About the interview"
    )
    follow_up = forms.ModelChoiceField(
        queryset=FollowUp.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.editable_by(user).select_related(
            "owner"
        )
        self.fields["contact"].queryset = Contact.objects.editable_by(user)
        self.fields["interview"].queryset = Interview.objects.editable_by(user).select_related(
            "application"
        )
        self.fields["follow_up"].queryset = FollowUp.objects.editable_by(user).pending()

    def clean(self):
        data = super().clean()
        application, contact = data.get("application"), data.get("contact")
        if application and contact and contact.owner_id != application.owner_id:
            self.add_error("contact", "Choose a contact from the same person's book.")
        for name in ("interview", "follow_up"):
            related = data.get(name)
            if application and related and related.application_id != application.pk:
                self.add_error(name, "This belongs to another application.")
        return data


class LetterForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = [
            "subject",
            "appreciation",
            "still_interested",
            "great_fit",
            "availability",
            "body",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("appreciation", "still_interested", "great_fit", "availability")
        } | {"body": forms.Textarea(attrs={"rows": 14})}
        field_classes = {"subject": SingleLineCharField}
        help_texts = {
            "body": "The text you will send. Leave it empty to use the parts above as they are, "
            "or fill it from the parts and then edit it freely."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind of letter gives the four fields its own parts.
        for part in parts_of(self.instance.kind or LetterKind.THANK_YOU):
            field = self.fields[part.field]
            field.label, field.help_text = part.label, part.help_text
            field.widget.attrs["placeholder"] = f"e.g. {part.example}"


class GiftForm(forms.ModelForm):
    url = SingleLineURLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    inspiration = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What they said that made you think of this, as the letter will say it: "
        "“When we spoke, you mentioned …” (for example: your team's flaky data tests).",
    )
    file = forms.FileField(
        required=False,
        validators=[validate_gift_file],
        help_text="PDF, Word (.docx), PNG, JPEG, text or Markdown; 5 MB at most.",
    )

    class Meta:
        model = Gift
        fields = ["kind", "title", "url", "file", "items", "introduced_contact", "inspiration"]
        widgets = {
            "items": forms.Textarea(attrs={"rows": 4}),
            "inspiration": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"title": SingleLineCharField}

    def __init__(self, *args, letter: Letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter
        # Only people from the letter owner's own book can be introduced.
        self.fields["introduced_contact"].queryset = Contact.objects.filter(
            owner_id=letter.application.owner_id
        ).exclude(pk=letter.contact_id)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needs = {
            GiftKind.LINK: ("url", "A link needs its URL."),
            GiftKind.LIST: ("items", "A list needs at least one item."),
            GiftKind.INTRODUCTION: ("introduced_contact", "Choose the person to introduce."),
        }
        if kind in needs and not data.get(needs[kind][0]):
            self.add_error(needs[kind][0], needs[kind][1])
        if kind == GiftKind.ARTICLE and not (data.get("url") or data.get("file")):
            self.add_error("url", "An article needs a URL or an uploaded file.")
        return data

    def save(self, commit=True):
        gift = super().save(commit=False)
        gift.letter = self.letter
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            # The name is shown in the letter and written into the .eml's attachment header.
            gift.file_name = single_line(upload.name)[:255]
        elif upload is False:  # "clear" was ticked
            gift.file_name = ""
        if commit:
            gift.save()
        return gift


class MarkSentForm(forms.Form):
    """When the letter was sent. A letter with a part not found yet is sent after one question:
    the composer then offers "Mark as sent anyway", which sends `send_anyway`."""

    sent_on = forms.DateField(
        label="Sent on", widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, today, missing_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.missing_items = list(missing_items)

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > self.today:
            raise ValidationError("A letter cannot be sent in the future; use today or earlier.")
        return sent_on

    @property
    def needs_confirmation(self) -> bool:
        """A part is not found yet and the person has not said to send the letter as it is."""
        return bool(self.missing_items) and not self.cleaned_data.get("send_anyway")

    @property
    def asks(self) -> bool:
        """Whether the composer shows the question: asked once, after "Mark as sent"."""
        return self.is_bound and self.is_valid() and self.needs_confirmation
