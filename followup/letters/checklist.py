"""What a letter says: each part of its kind, the gift and its reason, found or not found yet.

A part is there when the person wrote it in its field and it is still in the body (edited
lightly or not at all), or when the body says it in words of its own (`recognition`).
"""

import heapq
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from . import recognition
from .models import LetterKind
from .parts import parts_of

MENTION_PATTERN = re.compile(
    r"\b(you (mentioned|said|told|spoke)|when we (spoke|talked)|our conversation about)\b", re.I
)
SIGNIFICANT_WORD = re.compile(r"[^\W\d_]{5,}")

# How much of a part's wording must survive in the body for the part to count as still there:
# fixing a typo or a word keeps it, rewriting it leaves it to the recognition rules.
STILL_IN_BODY = 0.6
CLOSEST = 3
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Words too common to show that a sentence survived.
COMMON_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "have", "i", "i'm",
    "in", "is", "it", "it's", "me", "my", "of", "on", "or", "so", "that", "the", "this", "to",
    "very", "was", "we", "were", "will", "with", "would", "you", "your",
})  # fmt: skip


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    present: bool
    optional: bool = False
    hint: str = ""
    example: str = ""


GIFT = ChecklistItem(
    "gift",
    "An informational gift",
    False,
    optional=True,
    hint="add something useful tied to what they said",
    example="When we spoke, you mentioned flaky tests; here is a guide that helped my team.",
)
INSPIRATION = ChecklistItem(
    "inspiration",
    "What prompted the gift",
    False,
    optional=True,
    hint="say what they said that made you think of the gift",
    example="When we spoke, you mentioned you are training for a marathon.",
)


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def _best_score(words: list[str], candidates: list[tuple[list[str], set[str]]]) -> float:
    """How much of a part's sentence is in the body's likeliest sentence: the better of the
    share of its meaningful words that sentence holds and the two word sequences' likeness.

    The likeness (quadratic in words) is computed only for the few sentences sharing the most
    words, so that a pasted essay costs little more than a letter.
    """
    meaningful = set(words) - COMMON_WORDS or set(words)
    shares = (
        (len(meaningful & held) / len(meaningful), candidate) for candidate, held in candidates
    )
    closest = heapq.nlargest(CLOSEST, shares, key=lambda pair: pair[0])
    return max(
        (
            max(share, SequenceMatcher(None, words, candidate, autojunk=False).ratio())
            for share, candidate in closest
        ),
        default=0.0,
    )


def still_in_body(part: str, body: str, *, threshold: float = STILL_IN_BODY) -> bool:
    """Whether what was written in a part is still in the body, allowing light edits.

    Each sentence of the part is compared with each sentence of the body and each pair of
    neighbouring sentences (one may have been split in two); the part counts when its
    sentences' best scores, weighted by length, reach the threshold.
    """
    part_words, body_words = _words(part), _words(body)
    if not part_words:
        return False
    if " ".join(part_words) in " ".join(body_words):
        return True
    sentences = [words for s in SENTENCE_END.split(body) if (words := _words(s))]
    candidates = sentences + [a + b for a, b in itertools.pairwise(sentences)]
    candidates = [(candidate, set(candidate)) for candidate in candidates]
    total = weighted = 0.0
    for sentence in SENTENCE_END.split(part):
        if words := _words(sentence):
            total += len(words)
            weighted += _best_score(words, candidates) * len(words)
    return weighted / total >= threshold


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


def check(
    *, kind: str, body: str, gift=None, parts: Mapping[str, str] | None = None
) -> list[ChecklistItem]:
    """One item per element the kind of letter has, each found or not found yet.

    `parts` is what was written in the letter's part fields; `body` the text as it would be
    sent (assembled from the parts, or edited by hand).
    """
    parts = parts or {}
    gift_found = gift is not None and gift_in_body(body, gift)
    items = []
    for part in parts_of(kind):
        if part.element is None:
            continue
        written = parts.get(part.field, "").strip()
        present = (
            bool(written and still_in_body(written, body))
            or recognition.recognise(part.element, body)
            or (part.gift_counts and gift_found)
        )
        items.append(
            ChecklistItem(
                part.field,
                part.summary,
                present,
                optional=part.optional,
                hint=part.hint,
                example=part.example,
            )
        )
    if kind == LetterKind.THANK_YOU:
        items.append(_found(GIFT, gift_found))
    if gift is not None and kind != LetterKind.CLOSING:
        items.append(_found(INSPIRATION, mentions_inspiration(body, gift.inspiration)))
    return items


def _found(item: ChecklistItem, present: bool) -> ChecklistItem:
    return ChecklistItem(
        item.key, item.label, present, item.optional, hint=item.hint, example=item.example
    )


def missing(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """The items that ask for a confirmation before the letter is marked sent."""
    return [item for item in items if not item.present and not item.optional]
