import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from followup.applications.models import FollowUpStatus
from followup.core.access import OwnedQuerySet
from followup.core.authorship import RecordedBy
from followup.core.fulltext import SearchableQuerySet
from followup.core.reversing import reverse


class LetterKind(models.TextChoices):
    THANK_YOU = "thank_you", "Thank-you letter"
    FOLLOW_UP = "follow_up", "Follow-up letter"
    CLOSING = "closing", "Closing note"


class LetterQuerySet(SearchableQuerySet, OwnedQuerySet):
    owner_path = "application__owner"
    # Indexed as they are, in this order: followup/search/migrations.
    search_fields = (
        "subject",
        "appreciation",
        "still_interested",
        "great_fit",
        "availability",
        "body",
    )

    def drafts(self):
        return self.filter(sent_on__isnull=True)

    def sent(self):
        return self.filter(sent_on__isnull=False)

    def awaiting_review(self):
        """Drafts whose owner asked for a review that no coach has closed yet."""
        return self.filter(review_requested_at__isnull=False, sent_on__isnull=True)

    def unclaimed_drafts_to(self, *, application, contact, kind: str, interview=None):
        """Drafts of this kind to `contact` on `application` that no planned follow-up has
        claimed (for a thank-you, about `interview`), the one edited last first."""
        drafts = self.drafts().filter(application=application, contact=contact, kind=kind)
        if kind == LetterKind.THANK_YOU and interview is not None:
            drafts = drafts.filter(interview=interview)
        claimed = models.Q(follow_up__isnull=False, follow_up__status=FollowUpStatus.PENDING)
        return drafts.exclude(claimed).order_by("-updated_at", "-pk")


class Letter(RecordedBy):
    """A message to one contact about one application, written here and sent by the person."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="letters"
    )
    # RESTRICT, not PROTECT: a contact stays while a letter names it, but deleting the whole
    # person (contacts and letters in one cascade) is allowed.
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.RESTRICT, related_name="letters", verbose_name="to"
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        help_text="The interview this letter thanks for.",
    )
    follow_up = models.ForeignKey(
        "applications.FollowUp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The planned follow-up this letter fulfils.",
    )
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    subject = models.CharField(max_length=300)
    # The four parts of a thank-you letter; the body is assembled from them and stays editable.
    appreciation = models.TextField(blank=True)
    still_interested = models.TextField(blank=True)
    great_fit = models.TextField("why a great fit", blank=True)
    availability = models.TextField("available for another interview", blank=True)
    body = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    # Set when the job seeker asks their coach to review this draft; cleared when a coach marks
    # the review done (who and when are kept below) or when the letter is marked sent.
    review_requested_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Counts the saves of the text: a save that started from an older version is refused, so two
    # windows (or a coach and their client) never silently overwrite each other's words.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # "Write it" twice, in two tabs at once, must open one draft, not two.
            models.UniqueConstraint(
                fields=["follow_up"],
                condition=models.Q(sent_on__isnull=True, follow_up__isnull=False),
                name="letter_one_draft_per_follow_up",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.contact.name}"

    def get_absolute_url(self):
        return reverse("letters:compose", args=[self.pk])

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None

    @property
    def gift_or_none(self):
        try:
            return self.gift
        except Gift.DoesNotExist:
            return None


class GiftKind(models.TextChoices):
    LINK = "link", "Link to a website"
    ARTICLE = "article", "Article (link or file)"
    LIST = "list", "List (places, tools, events…)"
    INTRODUCTION = "introduction", "Introduction to a person"


class GiftQuerySet(OwnedQuerySet):
    owner_path = "letter__application__owner"


# Where gift files are stored, and the only place `delete_orphan_files` looks.
GIFT_UPLOAD_DIR = "gifts"


def gift_upload_path(gift, filename: str) -> str:
    # A random name: the person's own file name never becomes part of a path on disk.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{GIFT_UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}"


class Gift(models.Model):
    """Something the interviewer will value, chosen because of something they said."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="gift")
    kind = models.CharField(max_length=20, choices=GiftKind.choices)
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    file = models.FileField(upload_to=gift_upload_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    items = models.TextField(blank=True, help_text="One item per line.")
    introduced_contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="introductions",
        verbose_name="person to introduce",
    )
    inspiration = models.TextField(
        help_text="What the interviewer said that made you think of this.", blank=True
    )
    # Blank: the letter says the sentence generated from the fields (gift_sentences).
    sentence = models.TextField(
        "sentence in the letter",
        blank=True,
        help_text="The sentence that offers the gift, in your words; empty to use the one "
        "written from the fields.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GiftQuerySet.as_manager()

    def __str__(self):
        return self.title or self.get_kind_display()

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]

    def sameness(self) -> tuple | None:
        """What makes another gift "the same" as this one, as a value (see same_gift_filter)."""
        if self.kind == GiftKind.INTRODUCTION and self.introduced_contact_id:
            return ("introduction", self.introduced_contact_id)
        if self.url:
            return ("url", self.url.lower())
        if self.title:
            return ("title", self.kind, self.title.lower())
        return None

    def same_gift_filter(self) -> models.Q | None:
        """What makes another gift "the same" as this one, for the already-given warning."""
        if self.kind == GiftKind.INTRODUCTION and self.introduced_contact_id:
            return models.Q(introduced_contact_id=self.introduced_contact_id)
        if self.url:
            return models.Q(url__iexact=self.url)
        if self.title:
            return models.Q(kind=self.kind, title__iexact=self.title)
        return None
