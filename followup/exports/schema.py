"""What an export holds, kind by kind: the one description the JSON, the CSV files and the
restore all read (docs/export-format.md explains each field to people).

Ids in a file are the exporting account's; a row refers to another by that id (`refs`). A
restore makes new rows and maps the file's ids to theirs.
"""

from dataclasses import dataclass, field

from django.db import models

from followup.applications.models import Application, ApplicationEvent, FollowUp
from followup.coaching.models import Comment
from followup.contacts.models import Contact
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Gift, Letter

# Bump when a field changes meaning or disappears; a restore refuses versions it does not know.
SCHEMA_VERSION = 1

# The person's own settings that travel with their data (not their address or password).
ACCOUNT_FIELDS = (
    "name",
    "time_zone",
    "is_coach",
    "cadence_first_days",
    "cadence_second_days",
    "cadence_repeat_days",
    "reminder_hour",
    "reminder_days",
    "reminders_paused_until",
    "reminders_stopped",
    "coach_digest_frequency",
    "coach_digest_weekday",
    "applications_view",
)


@dataclass(frozen=True)
class Kind:
    """One kind of row: where it lives, its fields, and which of them name other rows."""

    key: str  # the JSON list and the CSV file's name
    model: type[models.Model]
    owner_path: str
    fields: tuple[str, ...]
    refs: dict[str, str] = field(default_factory=dict)  # field -> key of the kind it names
    restored: bool = True


KINDS = (
    Kind(
        "contacts",
        Contact,
        "owner",
        ("name", "role", "organisation", "email", "phone", "profile_url", "notes", "created_at"),
    ),
    Kind(
        "applications",
        Application,
        "owner",
        (
            "organisation",
            "position",
            "posting_url",
            "found_via",
            "applied_on",
            "location",
            "work_mode",
            "salary_min",
            "salary_max",
            "salary_currency",
            "status",
            "decision_date",
            "notes",
            "cadence_first_days",
            "cadence_second_days",
            "cadence_repeat_days",
            "reminders_muted",
            "created_at",
        ),  # fmt: skip
    ),
    Kind(
        "events",
        ApplicationEvent,
        "application__owner",
        ("kind", "from_status", "to_status", "text", "occurred_at"),
        {"application": "applications"},
    ),
    Kind(
        "interviews",
        Interview,
        "application__owner",
        ("scheduled_at", "kind", "round", "location", "notes", "created_at"),
        {"application": "applications"},
    ),
    Kind(
        "interviewers",
        Interviewer,
        "interview__application__owner",
        ("cares_about",),
        {"interview": "interviews", "contact": "contacts"},
    ),
    Kind(
        "follow_ups",
        FollowUp,
        "application__owner",
        ("kind", "step", "due_on", "status", "created_at", "completed_at"),
        # `letter` is restored once the letters exist (a letter names its follow-up too).
        {
            "application": "applications",
            "contact": "contacts",
            "interview": "interviews",
            "letter": "letters",
        },
    ),
    Kind(
        "letters",
        Letter,
        "application__owner",
        (
            "kind",
            "subject",
            "appreciation",
            "still_interested",
            "great_fit",
            "availability",
            "body",
            "sent_on",
            "review_requested_at",
            "created_at",
        ),  # fmt: skip
        {
            "application": "applications",
            "contact": "contacts",
            "interview": "interviews",
            "follow_up": "follow_ups",
        },
    ),
    Kind(
        "gifts",
        Gift,
        "letter__application__owner",
        (
            "kind",
            "title",
            "url",
            "file_name",
            "items",
            "inspiration",
            "sentence",
            "created_at",
        ),  # fmt: skip
        {"letter": "letters", "introduced_contact": "contacts"},
    ),
    # Coaches' comments on the person's letters: exported to keep, not restored (their authors
    # have no link to a new account).
    Kind(
        "comments",
        Comment,
        "letter__application__owner",
        ("part", "text", "created_at", "resolved_at"),
        {"letter": "letters"},
        restored=False,
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}
# Refs filled in after the row exists, because the row they name comes later.
LATE_REFS = {("follow_ups", "letter")}
# Gifts also carry `file`: the path of the uploaded file inside the zip, or "".
GIFT_FILE_DIR = "files"
