"""The bars of each insight's chart: label, length, the words on it, and a pattern.

Every bar carries its number in words, and neighbouring bars differ by pattern, so a chart reads
the same without colour.
"""

from dataclasses import dataclass

from .selectors import DecisionTime, FollowUpsBeforeReply, Funnel, GiftReplies, Insights

PATTERNS = ("solid", "hatch", "dots", "grid")


@dataclass(frozen=True)
class Bar:
    label: str
    # Percent of the chart's width, as the SVG attribute wants it (never localised).
    length: str
    text: str
    pattern: str


def _length(value: float, largest: float) -> str:
    return f"{100 * value / largest:.1f}".removesuffix(".0") if largest else "0"


def _days(value: float) -> str:
    number = f"{value:.1f}".removesuffix(".0")
    return f"{number} day{'' if number == '1' else 's'}"


def _applications(n: int) -> str:
    return f"{n} application{'' if n == 1 else 's'}"


def funnel_bars(funnel: Funnel) -> list[Bar]:
    return [
        Bar(
            stage.label,
            _length(stage.applications, funnel.total),
            f"{stage.applications}" + (f" ({stage.percent}%)" if n else ""),
            PATTERNS[n % len(PATTERNS)],
        )
        for n, stage in enumerate(funnel.stages)
    ]


def gift_bars(replies: GiftReplies) -> list[Bar]:
    return [
        Bar(
            label,
            _length(share.percent or 0, 100),
            f"{share.replied} of {share.letters}"
            + (f" ({share.percent}%)" if share.percent is not None else ""),
            pattern,
        )
        for label, share, pattern in [
            ("With a gift", replies.with_gift, "solid"),
            ("Without a gift", replies.without_gift, "hatch"),
        ]
    ]


def decision_bars(times: list[DecisionTime]) -> list[Bar]:
    longest = max((time.median_days for time in times), default=0)
    return [
        Bar(
            time.label,
            _length(time.median_days, longest),
            f"{_days(time.median_days)} · {_applications(time.applications)}",
            PATTERNS[n % len(PATTERNS)],
        )
        for n, time in enumerate(times)
    ]


def follow_up_bars(before: FollowUpsBeforeReply) -> list[Bar]:
    most = max((bucket.applications for bucket in before.buckets), default=0)
    return [
        Bar(
            bucket.label,
            _length(bucket.applications, most),
            str(bucket.applications),
            PATTERNS[n % len(PATTERNS)],
        )
        for n, bucket in enumerate(before.buckets)
    ]


def charts_for(insights: Insights) -> dict[str, list[Bar]]:
    return {
        "funnel": funnel_bars(insights.funnel),
        "gifts": gift_bars(insights.gift_replies),
        "decisions": decision_bars(insights.decision_times),
        "follow_ups": follow_up_bars(insights.follow_ups_before_reply),
    }
