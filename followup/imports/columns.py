"""What a spreadsheet column can be imported as, and the guess from its header.

Each kind has its targets (a field, or a part of one: a salary becomes a range and a currency);
the guess compares a header, lowercased and stripped of punctuation, with the usual spellings.
"""

import re
from dataclasses import dataclass

from .models import Kind

IGNORE = ""


@dataclass(frozen=True)
class Target:
    name: str  # the value sent in the mapping form
    label: str
    headers: tuple[str, ...]  # usual spellings, normalised (see `normalise`)
    required: bool = False


APPLICATION_TARGETS = (
    Target(
        "organisation",
        "Company",
        ("company", "company name", "organisation", "organization", "employer", "org"),
        required=True,
    ),
    Target(
        "position",
        "Position",
        ("position", "role", "title", "job title", "job", "job role", "post", "vacancy"),
        required=True,
    ),
    Target("status", "Status", ("status", "stage", "state", "application status", "outcome")),
    Target(
        "applied_on",
        "Date applied",
        ("date applied", "applied", "applied on", "application date", "date", "applied date"),
    ),
    Target(
        "posting_url",
        "Link",
        ("link", "url", "posting", "posting url", "job link", "job url", "website", "ad"),
    ),
    Target("location", "Location", ("location", "city", "place", "where", "country")),
    Target("work_mode", "Work mode", ("work mode", "remote", "remote hybrid", "workplace")),
    Target("salary", "Salary", ("salary", "pay", "compensation", "salary range", "wage")),
    Target("salary_currency", "Currency", ("currency", "salary currency")),
    Target("found_via", "Source", ("source", "found via", "referral", "referred by", "found on")),
    Target(
        "decision_date", "Decision date", ("decision date", "decision by", "answer by", "deadline")
    ),
    Target("notes", "Notes", ("notes", "note", "comments", "comment", "details", "description")),
)

CONTACT_TARGETS = (
    Target("name", "Name", ("name", "full name", "contact", "contact name", "person")),
    Target("first_name", "First name", ("first name", "firstname", "given name", "forename")),
    Target("last_name", "Last name", ("last name", "lastname", "surname", "family name")),
    Target(
        "email",
        "Email",
        ("email", "e mail", "email address", "e mail address", "mail"),
    ),
    Target("role", "Role", ("role", "position", "title", "job title", "job")),
    Target(
        "organisation",
        "Organisation",
        ("organisation", "organization", "company", "employer", "company name", "org"),
    ),
    Target("phone", "Phone", ("phone", "phone number", "telephone", "mobile", "tel")),
    Target(
        "profile_url",
        "Profile link",
        ("profile url", "profile", "linkedin", "url", "link", "linkedin url", "website"),
    ),
    Target("notes", "Notes", ("notes", "note", "comments", "comment", "details")),
)

TARGETS = {Kind.APPLICATIONS: APPLICATION_TARGETS, Kind.CONTACTS: CONTACT_TARGETS}


def targets_for(kind: str) -> tuple[Target, ...]:
    return TARGETS[kind]


def choices_for(kind: str) -> list[tuple[str, str]]:
    return [(IGNORE, "Ignore"), *[(t.name, t.label) for t in targets_for(kind)]]


def normalise(header: str) -> str:
    """ "Date Applied", "date_applied" and "DATE-APPLIED:" all read "date applied"."""
    return " ".join(re.sub(r"[^\w]+|_", " ", header.casefold()).split())


def guess_mapping(headers: list[str], kind: str) -> dict[int, str]:
    """Column index -> target name for each header that reads as a usual spelling; a target is
    given to the first column that claims it, the rest are ignored."""
    by_spelling = {spelling: t.name for t in targets_for(kind) for spelling in t.headers}
    taken: set[str] = set()
    mapping = {}
    for index, header in enumerate(headers):
        target = by_spelling.get(normalise(header), IGNORE)
        if target and target not in taken:
            taken.add(target)
            mapping[index] = target
        else:
            mapping[index] = IGNORE
    return mapping


def missing_required(mapping: dict[int, str], kind: str) -> list[Target]:
    """The targets a row cannot do without that no column is mapped to."""
    chosen = set(mapping.values())
    missing = [t for t in targets_for(kind) if t.required and t.name not in chosen]
    if kind == Kind.CONTACTS and not chosen & {"name", "first_name", "last_name"}:
        missing.append(CONTACT_TARGETS[0])
    return missing
