from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.applications.models import Application, FollowUp
from followup.contacts.models import Contact
from followup.core.forms import SingleLineCharField, SingleLineURLField
from followup.core.params import parse_id
from followup.core.text import single_line
from followup.interviews.models import Interview

from .models import Gift, GiftKind, Letter, LetterKind
from .uploads import validate_gift_file

PART_PLACEHOLDERS = {
    LetterKind.THANK_YOU: {
        "appreciation": "Thank them for their time and for something specific they said.",
        "still_interested": "Say you are still interested in the position, and why it appeals.",
        "great_fit": "Why you are a great fit: tie your experience to what they said they need.",
        "availability": "Say you are available for another interview whenever they wish.",
    },
    LetterKind.FOLLOW_UP: {
        "appreciation": "A short, friendly opening: you are checking in on the position.",
        "still_interested": "Say you remain interested, perhaps with news since you spoke.",
        "great_fit": "Optional: one more reason you would do the job well.",
        "availability": "Say you are glad to talk again whenever it suits them.",
    },
    LetterKind.CLOSING: {
        "appreciation": "Thank them for their time and for considering you.",
        "still_interested": "Optional: say you would welcome hearing about future openings.",
        "great_fit": "Optional: something you valued in the process, or wish them well with it.",
        "availability": "Optional: invite them to keep in touch.",
    },
}


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
        # Choosing another application reloads the "To" list, its people first (htmx, in the
        # page's form: the new-letter page answers a GET with the application in its query).
        self.fields["application"].widget.attrs.update(
            {
                "hx-get": reverse("letters:new"),
                "hx-trigger": "change",
                "hx-include": "#id_contact",
                "hx-select": "#div_id_contact",
                "hx-target": "#div_id_contact",
                "hx-swap": "outerHTML",
            }
        )
        application_id = parse_id(str(self["application"].value() or ""))
        if application_id is not None:
            self._offer_people_at(application_id)

    def _offer_people_at(self, application_id: int) -> None:
        """List the people at the chosen application first, then the rest of its owner's book."""
        owner_id = (
            self.fields["application"]
            .queryset.filter(pk=application_id)
            .values_list("owner_id", flat=True)
            .first()
        )
        if owner_id is None:
            return
        contacts = self.fields["contact"].queryset.filter(owner_id=owner_id)
        here = set(contacts.at_application(application_id).values_list("pk", flat=True))
        everyone = [(contact.pk, str(contact)) for contact in contacts]
        groups = [
            ("At this application", [choice for choice in everyone if choice[0] in here]),
            ("Other contacts", [choice for choice in everyone if choice[0] not in here]),
        ]
        # The queryset still decides what may be chosen; the groups only order the list.
        self.fields["contact"].choices = [("", "---------")] + [g for g in groups if g[1]]

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
    # The version of the text this form started from; a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

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
        kind = self.instance.kind or LetterKind.THANK_YOU
        for name, placeholder in PART_PLACEHOLDERS[kind].items():
            self.fields[name].widget.attrs["placeholder"] = placeholder
        self.fields["version"].initial = self.instance.version


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
    sent_on = forms.DateField(
        label="Sent on", widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    send_anyway = forms.BooleanField(
        required=False, label="Mark it sent even though parts are missing"
    )

    def __init__(self, *args, today, missing_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.missing_items = list(missing_items)
        if not self.missing_items:
            # Nothing to confirm: the box would only confuse.
            del self.fields["send_anyway"]

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > self.today:
            raise ValidationError("A letter cannot be sent in the future; use today or earlier.")
        return sent_on

    def clean(self):
        data = super().clean()
        if self.missing_items and not data.get("send_anyway"):
            names = ", ".join(item.label.lower() for item in self.missing_items)
            raise ValidationError(
                f"This letter is missing: {names}. Add them, or tick the box to mark it sent "
                "anyway."
            )
        return data
