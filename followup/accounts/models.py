import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


def validate_weekdays(value: str) -> None:
    if not value or any(c not in "0123456" for c in value) or len(set(value)) != len(value):
        raise ValidationError("Choose at least one day of the week.")


class CoachDigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


WEEKDAY_CHOICES = [
    (0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
    (5, "Saturday"), (6, "Sunday"),
]  # fmt: skip


class ApplicationsView(models.TextChoices):
    LIST = "list", "List"
    BOARD = "board", "Board"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # People type their address with any capitalisation; one account per address. Compared
        # as lower(email) so the unique index on it serves every login.
        return self.alias(email_lower=Lower("email")).get(email_lower=Lower(Value(email)))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a job seeker, and possibly also a career coach."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Dates and reminders are shown and sent in this zone.",
    )
    is_coach = models.BooleanField(
        "career coach",
        default=False,
        help_text="Coaches can follow the pipelines of clients who invite them.",
    )
    # The follow-up cadence: days to the first follow-up, to the second, and between later ones.
    cadence_first_days = models.PositiveSmallIntegerField(
        "first follow-up after (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    cadence_second_days = models.PositiveSmallIntegerField(
        "second follow-up after (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    cadence_repeat_days = models.PositiveSmallIntegerField(
        "later follow-ups every (days)",
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # Reminder preferences: a daily digest at this local hour on these weekdays (0 is Monday).
    reminder_hour = models.PositiveSmallIntegerField(
        "digest hour", default=8, validators=[MaxValueValidator(23)]
    )
    reminder_days = models.CharField(
        "digest days", max_length=7, default="01234", validators=[validate_weekdays]
    )
    reminders_paused_until = models.DateField("pause reminders until", null=True, blank=True)
    reminders_stopped = models.BooleanField("stop all reminder emails", default=False)
    # A coach's digest of clients falling behind: daily (on the digest days) or weekly (on one
    # weekday), at the digest hour. `coach_digest_at` is the next instant it is due, kept by
    # followup.reminders.schedule (None: not a coach, off, or stopped).
    coach_digest_frequency = models.CharField(
        "coach digest",
        max_length=10,
        choices=CoachDigestFrequency.choices,
        default=CoachDigestFrequency.DAILY,
        help_text="An email about clients with overdue follow-ups or interviews coming up.",
    )
    coach_digest_weekday = models.PositiveSmallIntegerField(
        "weekly coach digest on", choices=WEEKDAY_CHOICES, default=0
    )
    coach_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How /applications/ shows them: the table or the board. Set by the switch on those pages.
    applications_view = models.CharField(
        max_length=10, choices=ApplicationsView.choices, default=ApplicationsView.LIST
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"), name="accounts_user_email_ci_unique"
            ),
        ]
        indexes = [
            # The reminder sweep's claim of due coach digests: only scheduled rows are indexed, so
            # its cost follows the number of coaches, not of users.
            models.Index(
                fields=["coach_digest_at"],
                name="user_coach_digest_due_idx",
                condition=models.Q(coach_digest_at__isnull=False),
            ),
            # Coaches whose digest is not scheduled yet (e.g. just became a coach by accepting an
            # invitation): the sweep schedules them; this index is empty almost all the time.
            models.Index(
                fields=["id"],
                name="user_coach_digest_unset_idx",
                condition=models.Q(
                    is_coach=True,
                    is_active=True,
                    reminders_stopped=False,
                    coach_digest_at__isnull=True,
                )
                & ~models.Q(coach_digest_frequency="off"),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    def today(self):
        """The date it is now where this person lives."""
        return timezone.localdate(timezone=self.zone)

    def reminder_weekdays(self) -> set[int]:
        return {int(c) for c in self.reminder_days}

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
