from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse

from followup.applications.models import Application, FollowUp
from followup.contacts.models import Contact
from followup.core.forms import SingleLineCharField, SingleLineURLField
from followup.core.params import parse_id
from followup.core.text import single_line
from followup.interviews.models import Interview, Interviewer

from .gift_sentences import gift_sentence
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
        # A coach writing for clients at the "edit" level sees whose each application is.
        self.fields["application"].label_from_instance = lambda application: (
            str(application)
            if application.owner_id == user.pk
            else f"{application} (for {application.owner.display_name})"
        )
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
        # Each kind of letter gives the four fields its own parts.
        for part in parts_of(self.instance.kind or LetterKind.THANK_YOU):
            field = self.fields[part.field]
            field.label, field.help_text = part.label, part.help_text
            field.widget.attrs["placeholder"] = f"e.g. {part.example}"
        self.fields["version"].initial = self.instance.version


# The fields each kind of gift uses; the others are hidden by static/js/gifts.js, and ignored
# and cleared by the form whatever was sent (without the script, each says which kinds it is for).
KIND_FIELDS = {
    GiftKind.LINK: ("title", "url"),
    GiftKind.ARTICLE: ("title", "url", "file"),
    GiftKind.LIST: ("title", "items"),
    GiftKind.INTRODUCTION: ("introduced_contact",),
}
# What each kind cannot do without.
NEEDS = {
    GiftKind.LINK: ("url", "A link needs its URL."),
    GiftKind.ARTICLE: ("url", "An article needs a URL or an uploaded file."),
    GiftKind.LIST: ("items", "A list needs at least one item."),
    GiftKind.INTRODUCTION: ("introduced_contact", "Choose the person to introduce."),
}
# What an ignored field is cleared to; False clears a stored file.
CLEARED = {"title": "", "url": "", "file": False, "items": "", "introduced_contact": None}


def kinds_using(name: str) -> list[str]:
    return [kind for kind, names in KIND_FIELDS.items() if name in names]


class ContactGroups(forms.models.ModelChoiceIterator):
    """People met for this application first, then everyone else, each group by name."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        here, others = [], []
        # What a choice shows (Contact.__str__), not the whole contact: forty of them a page.
        for contact in self.queryset.only("pk", "name", "organisation"):
            (here if contact.at_application else others).append(self.choice(contact))
        if not here:
            yield from others
            return
        yield ("From this application", here)
        if others:
            yield ("Other contacts", others)


class GiftForm(forms.ModelForm):
    url = SingleLineURLField(
        label="URL",
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text="For a link or an article.",
    )
    file = forms.FileField(
        required=False,
        validators=[validate_gift_file],
        help_text="For an article, instead of or as well as its URL: PDF, Word (.docx), PNG, "
        "JPEG, text or Markdown; 5 MB at most.",
    )
    inspiration = forms.CharField(
        label="What they talked about",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="As a topic, in their words: “training for a first marathon”. The letter "
        "says “When we spoke about training for a first marathon, …”.",
    )
    sentence = forms.CharField(
        label="Sentence in the letter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave it empty to use the sentence written from the fields above; type here "
        "to say it your way. The link, the list or the person's details follow it.",
    )

    class Meta:
        model = Gift
        fields = [
            "kind",
            "title",
            "url",
            "file",
            "items",
            "introduced_contact",
            "inspiration",
            "sentence",
        ]
        widgets = {"items": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"title": SingleLineCharField}
        help_texts = {
            "title": "For a link, an article or a list.",
            "items": "For a list: one item per line.",
            "introduced_contact": "For an introduction: someone from your contacts.",
        }

    def __init__(self, *args, letter: Letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter
        self.fields["kind"].widget.attrs["data-gift-kind"] = ""
        for name in CLEARED:
            self.fields[name].widget.attrs["data-gift-kinds"] = " ".join(kinds_using(name))
        self.fields["introduced_contact"].queryset = self._people_to_introduce()
        self.fields["introduced_contact"].iterator = ContactGroups
        if self.instance.pk is not None:
            # What the letter says now, to start from when writing one's own.
            self.fields["sentence"].widget.attrs["placeholder"] = gift_sentence(self.instance)

    def _people_to_introduce(self):
        """The letter owner's own contacts, but not the person the letter is to."""
        letter = self.letter
        met_here = Interviewer.objects.filter(
            contact=OuterRef("pk"), interview__application=letter.application_id
        )
        written_to_here = Letter.objects.filter(
            contact=OuterRef("pk"), application=letter.application_id
        )
        return (
            Contact.objects.owned_by(letter.application.owner_id)
            .exclude(pk=letter.contact_id)
            .annotate(at_application=Exists(met_here) | Exists(written_to_here))
            .order_by("-at_application", "name", "pk")
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind not in KIND_FIELDS:
            return data
        for name, empty in CLEARED.items():
            if name not in KIND_FIELDS[kind]:
                # Not this kind's: whatever was typed (or was wrong in it) is left out.
                self._errors.pop(name, None)
                data[name] = empty
        field, message = NEEDS[kind]
        if kind == GiftKind.ARTICLE:
            given, refused = (
                data.get("url") or data.get("file"),
                {"url", "file"} & self._errors.keys(),
            )
        else:
            given, refused = data.get(field), field in self._errors
        if not (given or refused):  # a field refused already says what is wrong with it
            self.add_error(field, message)
        return data

    def save(self, commit=True):
        gift = super().save(commit=False)
        gift.letter = self.letter
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            # The name is shown in the letter and written into the .eml's attachment header.
            gift.file_name = single_line(upload.name)[:255]
        elif not gift.file:  # "clear" was ticked, or the kind holds no file
            gift.file_name = ""
        gift.sentence = gift.sentence.strip()
        if gift.sentence == gift_sentence(gift):
            # Left as written for them: it keeps following the fields when they change.
            gift.sentence = ""
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

    def __init__(self, *args, owner, missing_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The letter owner's today, whoever marks it: a coach elsewhere must not date it by theirs.
        self.today = owner.today()
        self.fields["sent_on"].initial = self.today
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
