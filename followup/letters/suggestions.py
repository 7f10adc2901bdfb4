"""Gift ideas drawn from what an interviewer said they care about."""

import re
from dataclasses import dataclass

from .models import GiftKind


@dataclass(frozen=True)
class GiftIdea:
    kind: str
    idea: str


# Each rule: words that signal an interest, and the kind of gift that serves it.
RULES = [
    (r"restaurant|food|lunch|coffee|cook|wine|eat", GiftKind.LIST,
     "A short list of places near their office worth trying"),
    (r"hir(e|ing)|recruit|team|headcount|talent|looking for", GiftKind.INTRODUCTION,
     "An introduction to someone in your network who could fit the team"),
    (r"tool|software|stack|framework|library|platform|automat", GiftKind.LIST,
     "A list of tools you have used that address what they described"),
    (r"book|read|podcast|research|paper|learn|trend", GiftKind.ARTICLE,
     "An article or paper on the topic they brought up"),
    (r"event|conference|meetup|community|talk|speak", GiftKind.LINK,
     "A link to an upcoming event or community on that subject"),
    (r"run|marathon|cycl|hike|travel|sport|music|garden|photograph", GiftKind.LINK,
     "A link to something about the interest they shared outside work"),
    (r"customer|client|market|compet|grow|launch|expan", GiftKind.ARTICLE,
     "An article about their market, or a competitor's recent move"),
]  # fmt: skip


def suggest(cares_about: str) -> list[GiftIdea]:
    """Ideas for a gift, most specific first; a generic one when nothing matches."""
    text = cares_about.lower()
    ideas = [
        GiftIdea(kind, f"{idea}: “{cares_about.strip()}”")
        for pattern, kind, idea in RULES
        if re.search(pattern, text)
    ]
    if cares_about.strip() and not ideas:
        ideas.append(
            GiftIdea(
                GiftKind.ARTICLE, f"An article about what they mentioned: “{cares_about.strip()}”"
            )
        )
    return ideas
