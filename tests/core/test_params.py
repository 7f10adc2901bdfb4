"""Ids read from a query string: ASCII digits naming a possible row, or None."""

import pytest

from followup.core.params import LARGEST_ID, parse_id


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", 1),
        ("042", 42),
        (str(LARGEST_ID), LARGEST_ID),
        (str(LARGEST_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("", None),
        ("²", None),  # isdigit() says yes, int() fails
        ("1²", None),
        ("①", None),
        ("١٢", None),  # int() reads 12
        ("٣", None),
        ("１２", None),  # full-width
        ("𝟓", None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected
