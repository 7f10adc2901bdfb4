from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.db.models.functions import Cast, Now
from django.utils import timezone

from followup.core.access import OwnedQuerySet
from followup.core.authorship import RecordedBy
from followup.core.fulltext import SearchableQuerySet
from followup.core.models import Revised, RevisedQuerySet
from followup.core.reversing import reverse


class Status(models.TextChoices):
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    ELIMINATED = "eliminated", "Eliminated"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (Status.APPLIED, Status.INTERVIEWING, Status.OFFER)
CLOSED_STATUSES = (Status.HIRED, Status.ELIMINATED, Status.WITHDRAWN)

cadence_days = [MinValueValidator(1), MaxValueValidator(365)]


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


# The currencies people here are paid in most often; a short list reads better than all of ISO 4217.
class Currency(models.TextChoices):
    EUR = "EUR", "EUR (euro)"
    GBP = "GBP", "GBP (pound sterling)"
    USD = "USD", "USD (US dollar)"
    CAD = "CAD", "CAD (Canadian dollar)"
    AUD = "AUD", "AUD (Australian dollar)"
    CHF = "CHF", "CHF (Swiss franc)"
    SEK = "SEK", "SEK (Swedish krona)"
    NOK = "NOK", "NOK (Norwegian krone)"
    DKK = "DKK", "DKK (Danish krone)"
    PLN = "PLN", "PLN (Polish zloty)"
    INR = "INR", "INR (Indian rupee)"
    JPY = "JPY", "JPY (Japanese yen)"
    SGD = "SGD", "SGD (Singapore dollar)"
    NZD = "NZD", "NZD (New Zealand dollar)"


class ApplicationQuerySet(RevisedQuerySet, SearchableQuerySet, OwnedQuerySet):
    # Indexed as they are, in this order: followup/search/migrations.
    search_fields = ("organisation", "position", "found_via", "notes")

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def applied_between(self, start: date | None, end: date | None):
        if start:
            self = self.filter(applied_on__gte=start)
        if end:
            self = self.filter(applied_on__lte=end)
        return self

    def search(self, text: str):
        if not text:
            return self
        return self.filter(
            models.Q(organisation__icontains=text)
            | models.Q(position__icontains=text)
            | models.Q(notes__icontains=text)
        )


class Application(RecordedBy, Revised):
    """A position at an organisation, from application to its final answer."""

    # What its interviews and follow-ups show in a calendar (followup/calendars).
    revised_fields = ("organisation", "position", "status")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    organisation = models.CharField(max_length=200)
    position = models.CharField(max_length=200)
    posting_url = models.URLField("posting URL", max_length=500, blank=True)
    found_via = models.CharField(
        "source or referral",
        max_length=200,
        blank=True,
        help_text="Where you found it, or who referred you.",
    )
    # The owner's today when recorded (see save); bulk inserts that leave it out get the UTC date.
    applied_on = models.DateField("date applied", db_default=Cast(Now(), models.DateField()))
    location = models.CharField(max_length=200, blank=True, help_text="City, region or country.")
    work_mode = models.CharField(max_length=10, choices=WorkMode.choices, blank=True)
    salary_min = models.PositiveIntegerField(
        "salary from", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    salary_max = models.PositiveIntegerField(
        "salary to", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    salary_currency = models.CharField(
        "currency", max_length=3, choices=Currency.choices, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    decision_date = models.DateField(
        null=True, blank=True, help_text="The date by which the employer said it would decide."
    )
    notes = models.TextField(blank=True)
    # Blank means the owner's own cadence applies.
    cadence_first_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=cadence_days, help_text="Days to the first follow-up."
    )
    cadence_second_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=cadence_days, help_text="Days to the second."
    )
    cadence_repeat_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=cadence_days, help_text="Days between later ones."
    )
    reminders_muted = models.BooleanField(
        default=False, help_text="No reminder emails about this application."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["owner", "-applied_on"], name="application_owner_applied_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__lte=models.F("salary_max"))
                | models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True),
                name="application_salary_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.position} at {self.organisation}"

    def save(self, *args, **kwargs):
        # "Today" is the owner's day, wherever the server or the person typing is.
        if self._state.adding and isinstance(self.applied_on, DatabaseDefault | None):
            self.applied_on = self.owner.today()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.salary_min and self.salary_max and self.salary_min > self.salary_max:
            raise ValidationError({"salary_max": "The top of the range is below its bottom."})
        if (self.salary_min or self.salary_max) and not self.salary_currency:
            raise ValidationError({"salary_currency": "Say which currency the salary is in."})

    @property
    def salary_range(self) -> str:
        """The salary as people say it: "45,000–55,000 GBP", "from 45,000 GBP", "up to ..."."""
        low, high = self.salary_min, self.salary_max
        currency = f" {self.salary_currency}" if self.salary_currency else ""
        if low and high:
            return f"{low:,}–{high:,}{currency}" if low != high else f"{low:,}{currency}"
        if low:
            return f"from {low:,}{currency}"
        if high:
            return f"up to {high:,}{currency}"
        return ""

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def cadence(self) -> tuple[int, int, int]:
        """Days to the first, the second, and every later follow-up."""
        owner = self.owner
        return (
            self.cadence_first_days or owner.cadence_first_days,
            self.cadence_second_days or owner.cadence_second_days,
            self.cadence_repeat_days or owner.cadence_repeat_days,
        )


class ApplicationChildQuerySet(OwnedQuerySet):
    owner_path = "application__owner"

    def of_open_applications(self):
        return self.filter(application__status__in=OPEN_STATUSES)


class EventKind(models.TextChoices):
    CREATED = "created", "Application recorded"
    STATUS = "status", "Status changed"
    REPLY = "reply", "Employer replied"


class ApplicationEvent(models.Model):
    """A dated line on the application's timeline: a status change or a reply from the employer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationChildQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["application", "-occurred_at"])]

    def __str__(self):
        if self.kind == EventKind.STATUS:
            return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return self.get_kind_display()


class FollowUpKind(models.TextChoices):
    THANK_YOU = "thank_you", "Thank-you letter"
    FOLLOW_UP = "follow_up", "Follow-up"


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"
    CANCELLED = "cancelled", "Cancelled"


class FollowUpQuerySet(RevisedQuerySet, ApplicationChildQuerySet):
    def pending(self):
        return self.filter(status=FollowUpStatus.PENDING)

    def still_due(self):
        """Pending, on an application still open: what the person has yet to do."""
        return self.pending().of_open_applications()

    def remindable(self):
        """Still due, on an application whose reminders are not muted: what a digest lists."""
        return self.still_due().filter(application__reminders_muted=False)

    def unclaimed_due(self, now: datetime):
        """Pending, covered by no reminder yet, and its reminder time has come: what the sweep
        claims, served by the partial index `followup_remind_due_idx`."""
        return self.pending().filter(reminder__isnull=True, remind_at__lte=now)


class FollowUp(Revised):
    """One planned touch with the employer; the pending ones are the application's plan."""

    # What its calendar entry shows (followup/calendars); not the reminder's bookkeeping.
    revised_fields = ("kind", "contact", "interview", "step", "due_on", "status")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(max_length=20, choices=FollowUpKind.choices)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    # 0 for a thank-you letter; 1, 2, 3... for the cadence steps after it.
    step = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    letter = models.ForeignKey(
        "letters.Letter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When its reminder email is due (None: no reminder, e.g. muted), and the email that covered it.
    remind_at = models.DateTimeField(null=True, blank=True)
    reminder = models.ForeignKey(
        "reminders.Reminder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # Serves the dashboard and the reminder sweep: only open rows are indexed.
            models.Index(
                fields=["due_on"],
                name="followup_pending_due_idx",
                condition=models.Q(status="pending"),
            ),
            # The reminder sweep's claim query: only rows still waiting for their reminder, so its
            # cost follows what is due, not the size of the table.
            models.Index(
                fields=["remind_at"],
                name="followup_remind_due_idx",
                condition=models.Q(
                    status="pending", reminder__isnull=True, remind_at__isnull=False
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on}"

    def days_late(self, today: date) -> int:
        """How many days past its due day a pending follow-up is (0 when not late)."""
        if self.status != FollowUpStatus.PENDING:
            return 0
        return max((today - self.due_on).days, 0)


class PlanChangeQuerySet(OwnedQuerySet):
    owner_path = "follow_up__application__owner"


class PlanChange(models.Model):
    """A Done, Skip or Snooze on one follow-up, with every row of the plan it changed, kept so a
    mis-click can be undone for a short while (followup/applications/undoing.py).

    `before` and `after` hold, for each follow-up the action changed, the fields that changed:
    their values before it, and the values it left. `planned` holds the follow-ups it created,
    as they were created. Undoing checks that the rows still read as the action left them.
    """

    class Action(models.TextChoices):
        DONE = "done", "Marked done"
        SKIPPED = "skipped", "Skipped"
        SNOOZED = "snoozed", "Moved"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    planned = models.JSONField(default=dict)
    made_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = PlanChangeQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["made_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.follow_up}"
