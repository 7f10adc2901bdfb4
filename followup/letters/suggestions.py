"""Gift ideas worth taking, from what an interviewer said they care about.

Three sources, all the letter owner's own: people in their contact book whose work matches the
interviewer's interests (an introduction), a gift they already gave someone else on a similar
topic (to give again), and kinds of gift that serve a topic (to look for). Matching compares
significant words: lower case, stop-words out, endings trimmed ("marathons" and "marathon",
"training" and "trains" meet). Three queries at most, whatever the size of the contact book.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import BooleanField, F, Func, Q

from followup.contacts.models import Contact
from followup.interviews.models import Interviewer

from .gift_sentences import FUNCTION_WORDS, topic_of, word_set
from .models import Gift, GiftKind, Letter

# Words too common in notes and job titles to say two people share an interest.
STOP_WORDS = FUNCTION_WORDS | word_set(
    """am are be been being did do does doing had has have having is was were will would can
    could should must may might shall than then there here out up down off again once too own
    such nor both yes yet via per etc really said says told mentioned talked spoke discussed
    asked about like likes love loves want wants need needs get gets got make makes made lot
    lots thing things way time times year years day days week weeks work works working job jobs
    role company people person someone something interview interviewer interviews panel round
    call manager senior junior head lead staff team teams member members current currently
    looking interested worried keen excited"""
)
MAX_WORDS = 30  # of the interviewer's, sought in the database
SHOWN = 3  # of each kind of idea
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def stem(word: str) -> str:
    """A word's stem, roughly: enough for "marathons"/"marathon" and "running"/"runs" to meet."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    for suffix, replacement in (("ies", "y"), ("ied", "y")):
        if word.endswith(suffix) and len(word) > 4:
            return word[: -len(suffix)] + replacement
    for suffix in ("ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "runn" -> "run", "plann" -> "plan"
    return word.removesuffix("e") if len(word) > 3 else word


def significant_words(text: str) -> dict[str, str]:
    """The text's significant words by stem, each as first written: {"marathon": "marathons"}."""
    found = {}
    for word in WORD.findall(text):
        lower = word.lower()
        if len(lower) < 3 or lower in STOP_WORDS or lower.isdigit():
            continue
        # As written, but "Training" at the start of a note is shown as "training".
        shown = lower if word[1:] == word[1:].lower() else word
        found.setdefault(stem(lower), shown)
    return found


def _starts(stems) -> list[str]:
    """What each stem's words start with: the stem, but for "study" (studies)."""
    return [s[:-1] if s.endswith("y") and len(s) > 4 else s for s in stems]


class _ContainsAny(Func):
    """Whether one of the fields holds one of the words, as `field__icontains` says it.

    On PostgreSQL one `LIKE ANY` a field: thirty words in three fields as ninety `icontains`
    cost Django more to build and compile than PostgreSQL takes to run them.
    """

    output_field = BooleanField()

    def __init__(self, fields: list[str], words: list[str]):
        super().__init__(*(F(name) for name in fields))
        self.fields, self.words = fields, words

    def as_sql(self, compiler, connection, **extra):
        query = Q()
        for word in self.words:
            for name in self.fields:
                query |= Q(**{f"{name}__icontains": word})
        return compiler.compile(query.resolve_expression(compiler.query))

    def as_postgresql(self, compiler, connection, **extra):
        # As Django's icontains: UPPER(field::text) LIKE UPPER('%word%'), the word escaped.
        patterns = [f"%{connection.ops.prep_for_like_query(word)}%" for word in self.words]
        columns, params = [], []
        for expression in self.source_expressions:
            sql, column_params = compiler.compile(expression)
            # The patterns upper-cased once per query (an InitPlan), not once per row; `sql` is
            # the column as Django's compiler writes it, the words go as a parameter.
            like_any = "LIKE ANY (ARRAY(SELECT UPPER(p) FROM unnest(%s::text[]) p))"
            columns.append(f"UPPER({sql}::text) {like_any}")
            params += [*column_params, patterns]
        return f"({' OR '.join(columns)})", params


def _matching(fields: list[str], stems) -> _ContainsAny:
    """Rows with one of the stems in one of the fields (refined in Python, word by word)."""
    return _ContainsAny(fields, _starts(stems))


def _quoted_list(words) -> str:
    return ", ".join(f"‘{word}’" for word in words)


@dataclass(frozen=True)
class Introduction:
    """Someone from the owner's contacts whose work matches what the interviewer cares about."""

    contact: Contact
    matched: tuple[str, ...]  # the interviewer's words, as they were written
    about: str  # what the contact does, or the line of their notes that matched
    topic: str

    @property
    def score(self) -> int:
        return len(self.matched)

    @property
    def reason(self) -> str:
        return f"{self.about} – matches {_quoted_list(self.matched)}"

    @property
    def query(self) -> str:
        return urlencode(
            {"kind": GiftKind.INTRODUCTION, "introduced_contact": self.contact.pk}
            | ({"inspiration": self.topic} if self.topic else {})
        )


@dataclass(frozen=True)
class Reuse:
    """A gift the owner gave someone else on a similar topic, to give again."""

    gift: Gift
    matched: tuple[str, ...]

    @property
    def label(self) -> str:
        gift = self.gift
        if gift.kind == GiftKind.INTRODUCTION and gift.introduced_contact_id:
            return f"Introducing {gift.introduced_contact.name}"
        return gift.title or gift.url or gift.get_kind_display()

    @property
    def reason(self) -> str:
        return f"given to {self.gift.letter.contact.name} – matches {_quoted_list(self.matched)}"

    @property
    def query(self) -> str:
        return urlencode({"from_gift": self.gift.pk})


@dataclass(frozen=True)
class GiftIdea:
    """A kind of gift that serves a topic the interviewer raised, with the form's first values."""

    kind: str
    idea: str
    topic: str
    title: str = ""

    @property
    def query(self) -> str:
        values = {"kind": self.kind, "title": self.title, "inspiration": self.topic}
        return urlencode({name: value for name, value in values.items() if value})


@dataclass(frozen=True)
class GiftIdeas:
    introductions: list[Introduction] = field(default_factory=list)
    reuses: list[Reuse] = field(default_factory=list)
    ideas: list[GiftIdea] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.introductions or self.reuses or self.ideas)


# Each rule: words that signal an interest, the kind of gift that serves it, how to say the idea
# and, for lists and articles, a title to start from.
RULES = [
    (r"restaurant|food|lunch|coffee|cook|wine|eat|bakery|cafe", GiftKind.LIST,
     "A short list of places for {topic}", "{Topic}: places worth trying"),
    (r"hir(e|ing)|recruit|headcount|talent|looking for", GiftKind.INTRODUCTION,
     "An introduction to someone in your network, for {topic}", ""),
    (r"tool|software|stack|framework|library|platform|automat", GiftKind.LIST,
     "A list of tools you have used for {topic}", "Tools for {topic}"),
    (r"book|read|podcast|research|paper|learn|trend", GiftKind.ARTICLE,
     "An article or paper on {topic}", "{Topic}"),
    (r"event|conference|meetup|community|talk|speak", GiftKind.LINK,
     "A link to an upcoming event or community on {topic}", ""),
    (r"run|marathon|cycl|hike|travel|sport|music|garden|photograph", GiftKind.LINK,
     "A link about {topic}, the interest they shared outside work", ""),
    (r"customer|client|market|compet|grow|launch|expan", GiftKind.ARTICLE,
     "An article about {topic}: their market, or a competitor's recent move", "{Topic}"),
]  # fmt: skip


def _phrases(cares_about: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n.!?]+|,\s+", cares_about) if p.strip()]


def topic_ideas(cares_about: str) -> list[GiftIdea]:
    """One kind of gift for each topic they raised: the first rule that fits, else an article."""
    ideas = []
    for phrase in _phrases(cares_about):
        topic = topic_of(phrase)
        if not topic:
            continue
        capitalised = topic[:1].upper() + topic[1:]
        kind, idea, title = GiftKind.ARTICLE, "An article on {topic}", "{Topic}"
        for pattern, *rule in RULES:
            if re.search(pattern, phrase, re.I):
                kind, idea, title = rule
                break
        ideas.append(
            GiftIdea(
                kind, idea.format(topic=topic), topic, title.format(topic=topic, Topic=capitalised)
            )
        )
    return ideas[:SHOWN]


def _topic_for(word: str, cares_about: str) -> str:
    """The topic, among those they raised, that holds `word`; the first when none does."""
    phrases = _phrases(cares_about)
    holding = [p for p in phrases if word.lower() in p.lower()]
    return topic_of((holding or phrases or [""])[0])


def _met_here(letter: Letter):
    """The seats at this application's interviews: their people are no one's gift here."""
    return Interviewer.objects.filter(interview__application=letter.application_id)


def _introductions(*, letter, viewer, interests, cares_about, excluded_ids) -> list[Introduction]:
    """Contacts whose role, organisation or notes share the most words with the interests."""
    candidates = (
        Contact.objects.visible_to(viewer)
        .owned_by(letter.application.owner_id)
        .exclude(pk=letter.contact_id)
        .exclude(pk__in=_met_here(letter).values("contact_id"))
        .exclude(pk__in=excluded_ids)
        .filter(_matching(["role", "organisation", "notes"], interests))
        .only("pk", "name", "role", "organisation", "notes")
    )
    found = []
    for contact in candidates:
        work = significant_words(f"{contact.role}\n{contact.organisation}")
        notes = significant_words(contact.notes)
        shared = [s for s in interests if s in work or s in notes]
        if not shared:
            continue
        if any(s in work for s in shared):
            about = " at ".join(filter(None, [contact.role, contact.organisation]))
        else:
            about = _line_of(contact.notes, notes, shared)
        matched = tuple(interests[s] for s in shared)
        found.append(Introduction(contact, matched, about, _topic_for(matched[0], cares_about)))
    found.sort(key=lambda i: (-i.score, i.contact.name.lower()))
    return found[:SHOWN]


def _line_of(notes: str, words: dict[str, str], shared: list[str]) -> str:
    """The line of the notes holding the first shared word, short enough for a reason."""
    needle = words[next(s for s in shared if s in words)].lower()
    for line in re.split(r"[\n.;]+", notes):
        if needle in line.lower():
            line = line.strip()
            return line if len(line) <= 80 else line[:79].rstrip() + "…"
    return ""


def _reuses(*, letter, viewer, interests, given_here) -> list[Reuse]:
    """Gifts given to others whose title or inspiration share words with the interests."""
    candidates = (
        Gift.objects.visible_to(viewer)
        .owned_by(letter.application.owner_id)
        .exclude(letter__contact_id=letter.contact_id)
        # Nobody is introduced to a person they sat beside at the interview.
        .exclude(introduced_contact__in=_met_here(letter).values("contact_id"))
        .filter(_matching(["title", "inspiration", "items"], interests))
        .select_related("letter__contact", "introduced_contact")
        # What the ideas show and compare (Reuse, Gift.sameness), not the letters' text.
        .only(
            "kind",
            "title",
            "url",
            "items",
            "inspiration",
            "introduced_contact__name",
            "letter__contact__name",
        )
        .order_by("-created_at")[:50]
    )
    found, seen = [], {gift.sameness() for gift in given_here}
    for gift in candidates:
        key = gift.sameness()
        if key is None or key in seen or gift.introduced_contact_id == letter.contact_id:
            continue
        words = significant_words(f"{gift.title}\n{gift.inspiration}\n{gift.items}")
        shared = tuple(interests[s] for s in interests if s in words)
        if shared:
            seen.add(key)  # the same link given to three people is offered once
            found.append(Reuse(gift, shared))
    found.sort(key=lambda r: -len(r.matched))
    return found[:SHOWN]


def gift_ideas(*, letter: Letter, interviewer: Interviewer | None, viewer) -> GiftIdeas:
    """Ideas for the letter's gift, from the letter owner's data only, as `viewer` may see it."""
    if interviewer is None:
        return GiftIdeas()
    cares_about = interviewer.cares_about
    interests = significant_words(f"{cares_about}\n{interviewer.interview.notes}")
    interests = dict(list(interests.items())[:MAX_WORDS])
    if not interests:
        return GiftIdeas(ideas=topic_ideas(cares_about))
    # What this person was already given: never offered to them again.
    given_here = list(
        Gift.objects.visible_to(viewer)
        .filter(letter__contact_id=letter.contact_id)
        .only("kind", "title", "url", "introduced_contact")
    )
    introduced = {gift.introduced_contact_id for gift in given_here if gift.introduced_contact_id}
    return GiftIdeas(
        introductions=_introductions(
            letter=letter,
            viewer=viewer,
            interests=interests,
            cares_about=cares_about,
            excluded_ids=introduced,
        ),
        reuses=_reuses(letter=letter, viewer=viewer, interests=interests, given_here=given_here),
        ideas=topic_ideas(cares_about),
    )


def reuse_initial(gift: Gift) -> dict:
    """The gift form's first values to give `gift` again (a file has to be attached anew)."""
    return {
        "kind": gift.kind,
        "title": gift.title,
        "url": gift.url,
        "items": gift.items,
        "introduced_contact": gift.introduced_contact_id,
        "inspiration": gift.inspiration,
    }
