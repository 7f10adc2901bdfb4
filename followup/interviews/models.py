from datetime import date

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from followup.applications.models import Application, ApplicationChildQuerySet
from followup.core.authorship import RecordedBy
from followup.core.fulltext import SearchableQuerySet
from followup.core.models import Revised, RevisedQuerySet
from followup.core.reversing import reverse


class InterviewKind(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    ON_SITE = "on_site", "On site"
    PANEL = "panel", "Panel"
    TECHNICAL = "technical", "Technical"
    OTHER = "other", "Other"


class InterviewQuerySet(RevisedQuerySet, SearchableQuerySet, ApplicationChildQuerySet):
    # Indexed as they are, in this order: followup/search/migrations.
    search_fields = ("location", "notes")


class Interview(RecordedBy, Revised):
    # What its calendar entry shows (followup/calendars); a save from the edit form, which also
    # changes who is on the panel, counts whatever it changed.
    revised_fields = ("scheduled_at", "kind", "round", "location")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    scheduled_at = models.DateTimeField("date and time")
    kind = models.CharField(
        max_length=20, choices=InterviewKind.choices, default=InterviewKind.VIDEO
    )
    round = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(50)])
    location = models.CharField("location or link", max_length=500, blank=True)
    notes = models.TextField(blank=True)
    # The people themselves; `interviewers` are the rows saying who was there and what they care
    # about.
    contacts = models.ManyToManyField(
        "contacts.Contact", through="Interviewer", related_name="interviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from applications: no data moved.
        db_table = "applications_interview"
        ordering = ["-scheduled_at"]

    def __str__(self):
        return f"{self.get_kind_display()} interview, round {self.round}"

    def get_absolute_url(self):
        return reverse("interviews:detail", args=[self.pk])

    def local_date(self, zone) -> date:
        return timezone.localtime(self.scheduled_at, zone).date()


class Interviewer(models.Model):
    """One person on an interview, and what they said they care about (a gift's inspiration)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="interviewers")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    cares_about = models.TextField(
        "what they said they care about",
        blank=True,
        help_text="Short notes: a topic, a problem, a hobby. Gift ideas come from here.",
    )

    class Meta:
        db_table = "applications_interviewer"
        constraints = [
            # The database's name for it, kept as it was before the move.
            models.UniqueConstraint(fields=["interview", "contact"], name="one_seat_per_interview")
        ]

    def __str__(self):
        return f"{self.contact} at {self.interview}"
