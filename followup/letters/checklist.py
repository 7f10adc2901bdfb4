"""What a letter says, read from its text: the four parts of a thank-you, the gift, its reason."""

import re
from dataclasses import dataclass

from .models import LetterKind

PART_PATTERNS = {
    "appreciation": re.compile(r"\b(thank|thanks|appreciat\w*|grateful|gratitude)\b", re.I),
    "still_interested": re.compile(
        r"\b(interest(ed)?|excited|enthusias\w*|keen|eager|look(ing)? forward to joining)\b", re.I
    ),
    "great_fit": re.compile(
        r"\b(fit|good match|my experience|experience (in|with)|background|skills?|"
        r"strengths?|bring to|qualif\w*|track record)\b",
        re.I,
    ),
    "availability": re.compile(
        r"\b(available|availability|happy to (meet|talk|speak|come)|another (interview|"
        r"conversation|meeting)|further (discussion|interview|conversation)|at your convenience|"
        r"whenever (it suits|you wish|you like))\b",
        re.I,
    ),
}
MENTION_PATTERN = re.compile(
    r"\b(you (mentioned|said|told|spoke)|when we (spoke|talked)|our conversation about)\b", re.I
)
SIGNIFICANT_WORD = re.compile(r"[^\W\d_]{5,}")

LABELS = {
    "appreciation": "Appreciation for the interview",
    "still_interested": "Still interested in the position",
    "great_fit": "Why you are a great fit",
    "availability": "Available for another interview",
    "gift": "An informational gift",
    "inspiration": "What prompted the gift",
}

REQUIRED = {
    LetterKind.THANK_YOU: list(LABELS),
    LetterKind.FOLLOW_UP: ["still_interested", "gift", "inspiration"],
    LetterKind.CLOSING: ["appreciation"],
}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    present: bool


def mentions_inspiration(body: str, inspiration: str) -> bool:
    """The letter tells the interviewer what prompted the gift, in words or by its subject."""
    if not inspiration.strip():
        return False
    if MENTION_PATTERN.search(body):
        return True
    words = {w.lower() for w in SIGNIFICANT_WORD.findall(inspiration)}
    if not words:
        return inspiration.strip().lower() in body.lower()
    found = {w for w in words if w in body.lower()}
    return len(found) * 2 >= len(words)


def gift_in_body(body: str, gift) -> bool:
    markers = [gift.title, gift.url]
    if gift.introduced_contact_id:
        markers.append(gift.introduced_contact.name)
    markers += gift.item_list()[:1]
    return any(marker and marker.lower() in body.lower() for marker in markers)


def check(*, kind: str, body: str, gift=None) -> list[ChecklistItem]:
    """One item per element the kind of letter should have, each present or missing."""
    present = {key: bool(pattern.search(body)) for key, pattern in PART_PATTERNS.items()}
    present["gift"] = gift is not None and gift_in_body(body, gift)
    present["inspiration"] = gift is not None and mentions_inspiration(body, gift.inspiration)
    return [ChecklistItem(key, LABELS[key], present[key]) for key in REQUIRED[kind]]


def missing(items: list[ChecklistItem]) -> list[ChecklistItem]:
    return [item for item in items if not item.present]
