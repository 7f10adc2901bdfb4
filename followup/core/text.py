"""Keep one-line text on one line: names, titles and subjects end up in headers and headings.

This module imports no app, so forms and the builders of emails can both use it.
"""

import re

# The C0 and C1 control characters (CR, LF, tab, vertical tab, form feed, the file, group and
# record separators, NEL...), DEL, and the Unicode line and paragraph separators. Django's header
# check knows only CR and LF, while email.header.Header.encode breaks a line at every separator
# str.splitlines() knows: a vertical tab in a subject started a new header line.
CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
# A run holding at least one control character, with the spaces around it.
_RUN = re.compile(rf"\s*[{CONTROL_CHARACTERS}][\s{CONTROL_CHARACTERS}]*")


def single_line(value: str) -> str:
    """Return `value` on one line: each run of control characters becomes one space."""
    return _RUN.sub(" ", value).strip()


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None
