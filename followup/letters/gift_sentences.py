"""The sentence that offers a gift and says what prompted it, written to read well.

The inspiration is typed in many ways: a topic ("training for a first marathon"), a note about
the interviewer ("He is running his first marathon", "She said she loves Lisbon."), a question
they asked. `reason_for` sorts it into one of a few frames, turning "he/she/they" into "you",
since the letter is written to that person; `gift_sentence` adds the offer itself, with the
title quoted and no doubled punctuation. Links, list items and contact details are not part of
the sentence: `composing.gift_paragraph` puts them on lines of their own, so a URL never ends a
sentence (mail clients take a final full stop into the link).
"""

import re
from dataclasses import dataclass

from followup.core.text import single_line

from .models import GiftKind


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“"}
SENTENCE_END = (".", "?", "!", "…")
CLOSING_QUOTES = "”’\"')»"

# Words that start a phrase without being a name, so they read in lower case mid-sentence.
# A first word not listed keeps its capital: "Lisbon restaurants" must not become "lisbon".
FUNCTION_WORDS = word_set(
    """a an the this that these those some any all each every no my our your his her its their
    he she they it we you i me him them us who whom whose which what when where why how whether
    if about after before for from in into of on onto over to under with without and or but so
    not only just also very more most less many much few new first last next other another same
    big small good bad better best great data team teams hiring how-to tips ways"""
)
# Words ending in -ing that are names, not gerunds.
ING_NAMES = frozenset({"beijing", "reading", "boeing", "epping", "kipling", "nanjing", "ealing"})

SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})
TO_SECOND_PERSON = {
    "he": "you", "she": "you", "they": "you", "him": "you", "them": "you",
    "his": "your", "their": "your", "hers": "yours", "theirs": "yours",
    "himself": "yourself", "herself": "yourself", "themselves": "yourself", "themself": "yourself",
    "he's": "you're", "she's": "you're", "they're": "you're", "they've": "you've",
    "he'd": "you'd", "she'd": "you'd", "they'd": "you'd",
    "he'll": "you'll", "she'll": "you'll", "they'll": "you'll",
}  # fmt: skip
# After "her", these words say it is "her" the object ("told her about"), not "her marathon".
NOT_A_NOUN_AFTER_HER = word_set(
    """a an the this that these those some about after at before by for from in into of on to
    with and or but so when while because if as"""
)
PLURAL_VERBS = {
    "is": "are", "was": "were", "has": "have", "does": "do", "goes": "go",
    "isn't": "aren't", "wasn't": "weren't", "hasn't": "haven't", "doesn't": "don't",
}  # fmt: skip
# Adverbs that may stand between "he" and his verb: "he really loves".
ADVERBS = word_set(
    "also really still just always often never usually recently now already currently only "
    "even actually mostly sometimes rarely"
)
AUXILIARIES = word_set(
    """is are was were am has have had will would can could should must may might does did
    isn't aren't wasn't weren't hasn't haven't won't can't doesn't didn't"""
)
# Third-person verbs a note often starts with, the subject left out: "Loves Lisbon".
VERBS_WITHOUT_SUBJECT = word_set(
    """loves likes enjoys wants needs runs plays reads writes works leads manages hates prefers
    plans hopes struggles worries cares collects travels trains speaks lives owns builds uses
    follows watches teaches volunteers keeps thinks believes knows goes spends finds feels
    misses cycles hikes swims cooks bakes paints sings studies organises organizes mentors
    coaches tries is has was"""
)
# Adjectives a note often starts with, the subject left out: "Worried about flaky tests".
STATES_WITHOUT_SUBJECT = word_set(
    """worried concerned interested excited passionate curious keen frustrated proud busy stuck
    fascinated focused obsessed annoyed bothered"""
)
WORD = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)?)")
# "She said (that) ...", "He told me ...", "You mentioned ...": what follows is what counts.
REPORTED = re.compile(
    r"^(?:he|she|they|you)\s+(?:said|says|mentioned|mentions|told me|tells me|explained|"
    r"explains|noted|shared)\s+(?:that\s+)?",
    re.I,
)
# "We talked about X", "Discussed X", "About X": X is the topic.
TALKED_ABOUT = re.compile(
    r"^(?:(?:we|you|he|she|they|i)\s+)?(?:talked|spoke|chatted|talk|speak|chat)\s+about\s+|"
    r"^(?:(?:we|you|he|she|they|i)\s+)?(?:discussed|mentioned)\s+|^about\s+",
    re.I,
)


@dataclass(frozen=True)
class Reason:
    """What prompted the gift, as the start of the letter's sentence, and what joins the offer."""

    text: str
    joiner: str


def unquote(text: str) -> str:
    """`text` without the quotation marks around it, if it is wrapped in a matching pair."""
    text = text.strip()
    if len(text) >= 2 and QUOTE_PAIRS.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def ends_sentence(text: str) -> bool:
    return text.rstrip(CLOSING_QUOTES).endswith(SENTENCE_END)


def close(text: str, mark: str) -> str:
    """End `text` with `mark` unless it already ends a sentence ("…flake?”" takes no colon)."""
    return text if ends_sentence(text) else text + mark


def then(text: str, rest: str) -> str:
    """`text, rest`, without the comma after a sentence's own end: “Why do tests flake?” so…"""
    return f"{text} {rest}" if ends_sentence(text) else f"{text}, {rest}"


def quoted(title: str) -> str:
    title = unquote(single_line(title))
    return f"“{title}”" if title else ""


def lower_first(text: str) -> str:
    """Lower the first word's capital, when it is a common word and not a name or acronym."""
    match = WORD.match(text)
    if not match:
        return text
    word = match.group(1)
    lower = word.lower()
    common = lower in FUNCTION_WORDS or (lower.endswith("ing") and len(lower) > 4)
    if word[1:] != word[1:].lower() or word == "I" or not common or lower in ING_NAMES:
        return text
    return text[0].lower() + text[1:]


def plural_verb(word: str) -> str:
    """The verb that follows "you" where `word` followed "he": is -> are, loves -> love."""
    lower = word.lower().replace("’", "'")
    if lower in PLURAL_VERBS:
        return PLURAL_VERBS[lower]
    if not lower.isalpha() or len(lower) < 3 or not lower.endswith("s") or lower.endswith("ss"):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    return word[:-1]


def _with_case_of(original: str, replacement: str) -> str:
    return replacement[0].upper() + replacement[1:] if original[0].isupper() else replacement


def to_second_person(text: str) -> str:
    """Speak to the interviewer: "he is running his first marathon" -> "you are running your..."."""
    parts = WORD.split(text)  # words at odd indexes, what lies between them at even ones
    fix_verb = third_person = False
    for index in range(1, len(parts), 2):
        word, before = parts[index], parts[index - 1]
        lower = word.lower().replace("’", "'")
        if any(mark in before for mark in ",;.:"):
            third_person = False  # a new clause: its verb has a subject of its own
        coordinated = third_person and parts[index - 2 : index - 1] in (["and"], ["or"])
        if (fix_verb and lower not in ADVERBS) or (coordinated and lower in VERBS_WITHOUT_SUBJECT):
            # "he watches F1 and tries new tools" -> "you watch F1 and try new tools"
            parts[index] = plural_verb(word)
            fix_verb = False
        elif lower == "her":
            after = parts[index + 2].lower() if index + 2 < len(parts) else ""
            is_possessive = parts[index + 1] == " " and after and after not in NOT_A_NOUN_AFTER_HER
            parts[index] = _with_case_of(word, "your" if is_possessive else "you")
        elif lower in TO_SECOND_PERSON:
            parts[index] = _with_case_of(word, TO_SECOND_PERSON[lower])
            fix_verb = third_person = lower in ("he", "she")
    return "".join(parts)


def _clean(inspiration: str) -> str:
    text = unquote(single_line(inspiration))
    if text.endswith("?"):
        return text
    text = text.rstrip(" .!…;:,").strip()
    # Notes typed as two sentences read as one: "Runs marathons; training for Lisbon".
    first, *others = re.split(r"[.!]\s+(?=\S)", text)
    return "; ".join([first, *(lower_first(other) for other in others)])


def _words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text)]


def _is_clause(words: list[str], text: str) -> bool:
    """Does the text say something (has a verb), rather than name a topic?"""
    if not words or words[0] in ("how", "what", "why", "when", "where", "whether", "which"):
        return False
    if words[0] in SUBJECT_PRONOUNS | {"i", "we", "you", "it", "that", "there"}:
        return True
    # "Data quality is a worry", "The team has two openings": a verb among the first words.
    head = words[1:4]
    if any(word in AUXILIARIES for word in head):
        return True
    # "Ada loves Lisbon": a name, then one of the verbs notes start with.
    return text[:1].isupper() and len(words) > 1 and words[1] in VERBS_WITHOUT_SUBJECT


def topic_of(phrase: str) -> str:
    """The topic a phrase is about, in words that follow "When we spoke about"."""
    text = _clean(phrase).rstrip("?")
    text = TALKED_ABOUT.sub("", REPORTED.sub("", text), count=1)
    words = _words(text)
    if words and words[0] in SUBJECT_PRONOUNS and len(words) > 1 and words[1] in AUXILIARIES:
        # "she is training for Lisbon" -> "training for Lisbon"
        text = text.split(None, 2)[2] if len(text.split(None, 2)) > 2 else text
    elif words and (words[0] in VERBS_WITHOUT_SUBJECT or words[0] in STATES_WITHOUT_SUBJECT):
        # "loves trail running" -> "trail running"; "worried about flaky tests" -> "flaky tests"
        text = re.sub(r"^\S+\s+(?:about|in|on|with|by|of|into)?\s*", "", text, flags=re.I)
    return lower_first(to_second_person(text).strip())


def reason_for(inspiration: str) -> Reason | None:
    """The start of the gift's sentence: what the interviewer talked about, in a frame that fits."""
    text = _clean(inspiration)
    if not text:
        return None
    if text.endswith("?"):
        # A question they asked is quoted as they asked it; the offer is a new sentence.
        return Reason(f"You asked, “{text}”", " ")
    reported = REPORTED.match(text)
    if reported:
        text = text[reported.end() :]
    else:
        topic = TALKED_ABOUT.match(text)
        if topic:
            return Reason(f"When we spoke about {topic_of(text)}", ", ")
    words = _words(text)
    if not words:
        return None
    if words[0] in ("i", "we") and not reported:
        # The writer's own words ("I told him about my project"): told back as they happened.
        return Reason(f"When we spoke, {to_second_person(text)}", ", so ")
    if words[0] in VERBS_WITHOUT_SUBJECT:
        # "Loves Lisbon" -> "you love Lisbon"
        first, _, rest = text.partition(" ")
        text = f"you {plural_verb(first).lower()} {rest}".strip()
    elif words[0] in STATES_WITHOUT_SUBJECT:
        text = f"you are {text[0].lower()}{text[1:]}"
    elif not _is_clause(words, text):
        return Reason(f"When we spoke about {lower_first(to_second_person(text))}", ", ")
    clause = lower_first(to_second_person(text))
    if not clause.startswith("that "):
        clause = f"that {clause}"
    return Reason(f"You mentioned {clause}", ", so ")


def offer(gift) -> str:
    """The part of the sentence that offers the gift; it always starts with "I"."""
    title = quoted(gift.title)
    if gift.kind == GiftKind.INTRODUCTION:
        person = gift.introduced_contact if gift.introduced_contact_id else None
        if person is None:
            return "I would be glad to introduce you to someone I know."
        name = single_line(person.name)
        return f"I would be glad to introduce you to {name}; here are their details:"
    if gift.kind == GiftKind.LIST:
        text = "I put together a short list for you"
        return close(then(text, title) if title else text, ":")
    if gift.kind == GiftKind.ARTICLE and gift.file:
        file_name = single_line(gift.file_name)
        attached = f" ({file_name})" if file_name else ""
        # The file name between the title and the comma keeps “…flake?” from meeting it.
        what = f"{title}{attached}" if title else f"an article{attached}"
        text = then(f"I have attached {what}", "which I thought you might enjoy")
        return close(text + "; it is also online", ":") if gift.url else close(text, ".")
    what = title or ("this article" if gift.kind == GiftKind.ARTICLE else "this page")
    return close(f"I thought you might enjoy {what}", ":" if gift.url else ".")


def gift_sentence(gift) -> str:
    """The sentence the letter offers the gift with, as generated from the gift's fields."""
    reason = reason_for(gift.inspiration)
    if reason is None:
        return offer(gift)
    return reason.text + reason.joiner + offer(gift)
