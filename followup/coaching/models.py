from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from followup.core.access import OwnedQuerySet


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


class AccessLogEntry(models.Model):
    """What a coach looked at or did in a client's data, for the client to read."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    what = models.CharField(max_length=300)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"])]

    def __str__(self):
        return f"{self.coach} {self.get_action_display().lower()} {self.what}"


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
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=20, choices=PARTS, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.letter}"
