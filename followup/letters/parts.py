"""The parts of each kind of letter, and the Letter field that holds each.

A letter has four text fields; each kind of letter gives them its own meaning, label, help and
example, in the order the body assembles them (the gift goes before the last one). The
checklist looks for each part's element (a key of `recognition.RULES`); an optional part
never counts as missing, and a part without an element is not checked at all.
"""

from dataclasses import dataclass

from .models import LetterKind

FIELDS = ("appreciation", "still_interested", "great_fit", "availability")


@dataclass(frozen=True)
class Part:
    field: str
    label: str  # the composer's label for the field
    summary: str  # the checklist's line once the part is found
    element: str | None
    hint: str  # ends "Not found yet: ..."
    example: str
    help_text: str
    optional: bool = False
    # A follow-up's "something new" may be the gift itself.
    gift_counts: bool = False


THANK_YOU = (
    Part(
        "appreciation",
        label="Appreciation",
        summary="Appreciation for the interview",
        element="appreciation",
        hint="thank them for the interview",
        example="Thank you for taking the time to talk with me yesterday.",
        help_text="Thank them for their time and for something specific they said.",
    ),
    Part(
        "still_interested",
        label="Still interested",
        summary="Still interested in the position",
        element="still_interested",
        hint="say you are still interested",
        example="I'm still very keen on the role.",
        help_text="Say the position still appeals to you, and why.",
    ),
    Part(
        "great_fit",
        label="Why a great fit",
        summary="Why you are a great fit",
        element="great_fit",
        hint="say why you are a great fit",
        example="At my last job I moved our reporting from spreadsheets to tested SQL models, "
        "much like the work you described.",
        help_text="Tie something you have done to what they said they need.",
    ),
    Part(
        "availability",
        label="Available for another interview",
        summary="Available for another interview",
        element="availability",
        hint="say you are available for another interview",
        example="I would be glad to come back and meet the rest of the team whenever suits you.",
        help_text="Offer to meet again whenever suits them.",
    ),
)

FOLLOW_UP = (
    Part(
        "appreciation",
        label="Opening (optional)",
        summary="Opening",
        element=None,
        hint="open with a friendly line",
        example="I hope the product launch went well.",
        help_text="A short, friendly first line, if you like.",
        optional=True,
    ),
    Part(
        "still_interested",
        label="Interest restated",
        summary="Still interested in the position",
        element="still_interested",
        hint="say you are still interested",
        example="I remain very interested in the analyst role.",
        help_text="Say you are still interested, perhaps with news since you spoke.",
    ),
    Part(
        "great_fit",
        label="Something new of value",
        summary="Something new of value",
        element="new_value",
        hint="offer something new: a gift, or news that helps them",
        example="I came across a short guide to testing dbt models that made me think of "
        "your team.",
        help_text="The gift below, or news since you spoke that is useful to them.",
        gift_counts=True,
    ),
    Part(
        "availability",
        label="A question about timing",
        summary="A short question about timing",
        element="timing_question",
        hint="ask briefly about the timing",
        example="Is there any news on the timing of a decision?",
        help_text="One short, polite question about where things stand.",
    ),
)

CLOSING = (
    Part(
        "appreciation",
        label="Thanks for the process",
        summary="Thanks for the process",
        element="appreciation",
        hint="thank them for the process",
        example="Thank you for letting me know, and for your time throughout the process.",
        help_text="Thank them for their time and for considering you.",
    ),
    Part(
        "still_interested",
        label="Keep me in mind",
        summary="Asks to be kept in mind",
        element="kept_in_mind",
        hint="ask them to keep you in mind",
        example="Please keep me in mind for future openings on the team.",
        help_text="Ask to be considered if another role comes up.",
    ),
    Part(
        "great_fit",
        label="Ask for feedback (optional)",
        summary="Asks for feedback",
        element="feedback",
        hint="ask for feedback",
        example="If you have a moment, I would welcome any feedback on my interviews.",
        help_text="Only if you would like some; one light sentence is enough.",
        optional=True,
    ),
    Part(
        "availability",
        label="Stay in touch",
        summary="Stays in touch",
        element="stay_in_touch",
        hint="say you would like to stay in touch",
        example="I would like to stay in touch, and I will follow the team's work with interest.",
        help_text="A warm close that keeps the door open.",
    ),
)

PARTS = {
    LetterKind.THANK_YOU: THANK_YOU,
    LetterKind.FOLLOW_UP: FOLLOW_UP,
    LetterKind.CLOSING: CLOSING,
}


def parts_of(kind: str) -> tuple[Part, ...]:
    """The parts of a kind of letter, one per field, in the order of FIELDS."""
    return PARTS[LetterKind(kind)]


def written_parts(letter) -> list[tuple[str, str]]:
    """The letter's parts that hold text, as (the composer's label, the text)."""
    return [
        (part.label, text)
        for part in parts_of(letter.kind)
        if (text := getattr(letter, part.field))
    ]
