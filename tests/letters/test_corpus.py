"""How well the recognition rules find each element in natural sentences, measured on a corpus.

The corpus (tests/letters/corpus/) was written before the rules were tuned. Every fifth line of
each file is held out: the rules were tuned looking only at the other lines, and the held-out
figures are reported separately (run with -rA or -s to see the table).

An element's negatives are none.txt plus the elements that share letters with it: a thank-you
also carries a gift sentence or a question about timing, so those count against the thank-you
elements. Two pairs are left out where the meanings overlap: a closing note's thanks is read by
the appreciation rules (its lines are positives there), and a follow-up's news ("since we
spoke I finished the course") is also a reason the writer fits, so great_fit lines are not
negatives for new_value.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from followup.letters import recognition

CORPUS = Path(__file__).parent / "corpus"
HELD_OUT_EVERY = 5

THANK_YOU = ["appreciation", "still_interested", "great_fit", "availability"]
FOLLOW_UP = ["new_value", "timing_question"]
CLOSING = ["kept_in_mind", "stay_in_touch", "feedback"]

# element: (files of its positives, files of its negatives besides none.txt)
ELEMENTS = {
    "appreciation": (
        ["appreciation", "closing_thanks"],
        ["still_interested", "great_fit", "availability", *FOLLOW_UP, *CLOSING],
    ),
    "still_interested": (
        ["still_interested"],
        ["appreciation", "closing_thanks", "great_fit", "availability", *FOLLOW_UP],
    ),
    "great_fit": (["great_fit"], ["appreciation", "still_interested", "availability", *FOLLOW_UP]),
    "availability": (
        ["availability"],
        ["appreciation", "still_interested", "great_fit", *FOLLOW_UP],
    ),
    "new_value": (
        ["new_value"],
        ["appreciation", "still_interested", "availability", "timing_question"],
    ),
    "timing_question": (
        ["timing_question"],
        ["appreciation", "still_interested", "great_fit", "availability", "new_value"],
    ),
    "kept_in_mind": (["kept_in_mind"], ["closing_thanks", "stay_in_touch", "feedback"]),
    "stay_in_touch": (["stay_in_touch"], ["closing_thanks", "kept_in_mind", "feedback"]),
    "feedback": (["feedback"], ["closing_thanks", "kept_in_mind", "stay_in_touch"]),
}
# Fixed before tuning: the whole corpus must meet the target, and the held-out lines, which
# were never looked at while tuning, must not fall far behind it.
TARGET_RECALL, TARGET_FALSE_POSITIVES = 0.95, 0.05
HELD_OUT_RECALL, HELD_OUT_FALSE_POSITIVES = 0.85, 0.10


def lines(name: str) -> list[tuple[str, bool]]:
    """The file's examples, each with whether it is held out."""
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    examples = [line.strip() for line in text.splitlines()]
    examples = [line for line in examples if line and not line.startswith("#")]
    return [(line, i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) for i, line in enumerate(examples)]


@dataclass
class Score:
    found: int = 0
    positives: int = 0
    false_positives: int = 0
    negatives: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.positives

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.negatives

    @property
    def precision(self) -> float:
        flagged = self.found + self.false_positives
        return self.found / flagged if flagged else 1.0

    def __str__(self):
        return (
            f"recall {self.recall:6.1%} ({self.found}/{self.positives})  "
            f"false positives {self.false_positive_rate:5.1%} "
            f"({self.false_positives}/{self.negatives})  precision {self.precision:6.1%}"
        )


def score(element: str, *, held_out: bool | None) -> Score:
    """Score one element on the held-out lines, the tuning lines, or all (held_out=None)."""
    positive_files, negative_files = ELEMENTS[element]
    result = Score()
    for name in positive_files:
        for text, is_held_out in lines(name):
            if held_out in (None, is_held_out):
                result.positives += 1
                result.found += recognition.recognise(element, text)
    for name in ["none", *negative_files]:
        for text, is_held_out in lines(name):
            if held_out in (None, is_held_out):
                result.negatives += 1
                result.false_positives += recognition.recognise(element, text)
    return result


def test_the_corpus_is_big_enough():
    for name in THANK_YOU + ["none"]:
        assert len(lines(name)) >= 150, name
    for name in FOLLOW_UP + CLOSING + ["closing_thanks"]:
        assert len(lines(name)) >= 40, name


@pytest.mark.parametrize("element", ELEMENTS)
def test_recognition_meets_the_target_on_the_corpus(element):
    whole, held_out = score(element, held_out=None), score(element, held_out=True)
    print(f"\n{element:16} all       {whole}\n{'':16} held out  {held_out}")
    assert whole.recall >= TARGET_RECALL
    assert whole.false_positive_rate <= TARGET_FALSE_POSITIVES
    assert held_out.recall >= HELD_OUT_RECALL
    assert held_out.false_positive_rate <= HELD_OUT_FALSE_POSITIVES


def test_every_element_has_rules():
    assert set(ELEMENTS) == set(recognition.RULES)
