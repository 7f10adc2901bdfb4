from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from followup.core.access import OwnedQuerySet
from followup.letters.parts import parts_of


class Level(models.TextChoices):
    VIEW = "view", "View"
    COMMENT = "comment", "View and comment"
    EDIT = "edit", "View, comment and edit"


COMMENT_LEVELS = (Level.COMMENT, Level.EDIT)


class CoachingStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    DECLINED = "declined", "Declined"


class InvitedBy(models.TextChoices):
    COACH = "coach", "The coach"
    CLIENT = "client", "The job seeker"


class EndedBy(models.TextChoices):
    """Which side ended a consent: the other one is told, by email and on their next page."""

    UNKNOWN = "", "Unknown"
    COACH = "coach", "The coach"
    CLIENT = "client", "The job seeker"
    # The end date the job seeker set has passed: their choice, made in advance.
    LAPSED = "lapsed", "The end date"


class CoachingQuerySet(models.QuerySet):
    def active(self, today=None):
        """Consent that holds now: accepted, not ended, not past its end date."""
        today = today or timezone.localdate()
        return self.filter(status=CoachingStatus.ACTIVE).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )

    def involving(self, user):
        return self.filter(Q(coach=user) | Q(client=user))


class Coaching(models.Model):
    """A job seeker's consent for a coach to see (and maybe comment on or edit) their data.

    The job seeker owns the data and the consent: only they choose the level, and either side
    can end it. Access exists only while it is active.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coachings_as_client",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coachings_as_coach",
    )
    invited_by = models.CharField(max_length=10, choices=InvitedBy.choices)
    invited_email = models.EmailField()
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.VIEW)
    status = models.CharField(
        max_length=10, choices=CoachingStatus.choices, default=CoachingStatus.INVITED
    )
    ends_on = models.DateField(
        null=True, blank=True, help_text="Access ends after this day. Leave empty for no end."
    )
    # The job seeker's choice, apart from the level: whether the coach's calendar feed shows
    # their interviews. Off until they turn it on; it ends with the consent.
    calendar_shared = models.BooleanField(
        "interviews in the coach's calendar",
        default=False,
        help_text="Your interviews appear in your coach's calendar feed, with your name.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=10, choices=EndedBy.choices, blank=True, default="")

    objects = CoachingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Nobody can coach themselves, and so nobody can grant themselves access.
            models.CheckConstraint(
                condition=Q(coach__isnull=True)
                | Q(client__isnull=True)
                | ~Q(coach=models.F("client")),
                name="coach_is_not_client",
            ),
            models.UniqueConstraint(
                fields=["coach", "client"],
                condition=Q(status="active"),
                name="one_active_coaching_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "status"]),
            models.Index(fields=["client", "status"]),
        ]

    def __str__(self):
        return f"{self.coach or self.invited_email} coaching {self.client or self.invited_email}"

    @property
    def inviter_id(self) -> int | None:
        """Who sent the invitation: the coach or the job seeker, as `invited_by` says."""
        return self.coach_id if self.invited_by == InvitedBy.COACH else self.client_id


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    COMMENTED = "commented", "Commented on"
    EDITED = "edited", "Changed"
    CREATED = "created", "Created"
    DELETED = "deleted", "Deleted"


# What the client reads where a coach who deleted their account is named.
FORMER_COACH = "a former coach"
# As wide as a user's name or email, whichever `display_name` gives.
COACH_NAME_LENGTH = 254


def log_line(*, coach, **fields) -> "AccessLogEntry":
    """An unsaved access-log line by `coach`, their name copied in for when the account is gone."""
    return AccessLogEntry(coach=coach, coach_name=coach.display_name[:COACH_NAME_LENGTH], **fields)


class AccessLogEntry(models.Model):
    """What a coach looked at or did in a client's data, for the client to read."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    # The log is the client's: a coach who deletes their account leaves the lines, with the name
    # they had when they wrote them, so the client can still read who looked at what.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    coach_name = models.CharField(max_length=COACH_NAME_LENGTH, blank=True)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    what = models.CharField(max_length=300)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"])]

    def __str__(self):
        return f"{self.who} {self.get_action_display().lower()} {self.what}"

    @property
    def who(self) -> str:
        """The coach's name now, or the one they had if their account is gone."""
        if self.coach is not None:
            return self.coach.display_name
        return self.coach_name or FORMER_COACH


# Longer than any useful note on a letter; the form and the service both refuse more.
COMMENT_MAX_LENGTH = 5000


class CommentQuerySet(OwnedQuerySet):
    owner_path = "letter__application__owner"


class Comment(models.Model):
    """A coach's note on a letter draft, on the whole letter or on one of its parts."""

    PARTS = [
        ("", "The whole letter"),
        ("subject", "Subject"),
        ("appreciation", "Appreciation"),
        ("still_interested", "Still interested"),
        ("great_fit", "Why a great fit"),
        ("availability", "Available for another interview"),
        ("body", "Body"),
        ("gift", "Gift"),
    ]

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="comments")
    # The comment is part of the client's letter: it stays when its coach deletes their account,
    # shown as by FORMER_COACH.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    part = models.CharField(max_length=20, choices=PARTS, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author or FORMER_COACH} on {self.letter}"

    @property
    def author_name(self) -> str:
        return self.author.display_name if self.author is not None else FORMER_COACH

    @property
    def part_label(self) -> str:
        """The part as the composer names it for this letter's kind. Expects `letter` loaded."""
        return dict(comment_part_choices(self.letter.kind))[self.part]


def comment_part_choices(kind: str) -> list[tuple[str, str]]:
    """What a comment on a `kind` letter can be about, each part named as the composer names it
    for that kind: a follow-up's third part is "Something new", not "Why a great fit"."""
    composer_labels = {part.field: part.label for part in parts_of(kind)}
    return [(value, composer_labels.get(value, label)) for value, label in Comment.PARTS]


# One line, like a task in a list: "Send the follow-up to Marcus by Friday".
NEXT_STEP_MAX_LENGTH = 300


class NextStepQuerySet(OwnedQuerySet):
    owner_path = "client"

    def open(self):
        return self.filter(done_at__isnull=True)


class NextStep(models.Model):
    """Something a coach asks the job seeker to do next, with an optional due date.

    It is the job seeker's (on their dashboard and in their digest, theirs to mark done) and
    stays theirs when the coaching ends; `set_by` says which coach asked.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="next_steps"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_steps",
    )
    text = models.CharField(max_length=NEXT_STEP_MAX_LENGTH)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        # Open steps with a date first, soonest first; then undated ones, oldest first.
        ordering = [models.F("due_on").asc(nulls_last=True), "created_at", "pk"]
        indexes = [models.Index(fields=["client", "done_at"])]

    def __str__(self):
        return self.text

    def is_late(self, today) -> bool:
        """Past its day in the job seeker's calendar and not done (or done after the day)."""
        if self.due_on is None:
            return False
        if self.done_at is None:
            return self.due_on < today
        return timezone.localtime(self.done_at, self.client.zone).date() > self.due_on


# A coach's private note: long enough for a session's notes, short enough to read on a page.
NOTE_MAX_LENGTH = 5000


class CoachNote(models.Model):
    """A coach's own note about a client, seen only by that coach.

    It belongs to the consent, not to the client's data: the client never sees it, another coach
    never sees it, and it is deleted when the coaching ends (`services.consent`).
    """

    coaching = models.ForeignKey(Coaching, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note of {self.created_at:%Y-%m-%d}"
