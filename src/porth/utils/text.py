"""Checks on text that comes from outside: control characters, and digits other than 0 to 9.

Plain Python, shared by the edge (middleware), the question types and the staff forms, so that
each kind of text is judged the same way everywhere.
"""

import re

# Unicode's control characters (category Cc): C0 (U+0000 to U+001F), DEL and C1 (U+007F to
# U+009F). PostgreSQL refuses NUL in text; the others move terminals' cursors, ring bells and
# hide text in exports, and nobody types them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same, less tab, line feed and carriage return: what a multi-line box may hold.
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a control character (tabs and line breaks allowed if `multiline`)."""
    return (_CONTROL_BUT_LINES if multiline else _CONTROL).search(text) is not None


def is_ascii_digits(text: str) -> bool:
    """One or more of the digits 0 to 9, and nothing else.

    `str.isdigit()` is also true for superscripts (²) and for other scripts' digits (٣),
    which `int()` then fails on or reads as numbers.
    """
    return text.isascii() and text.isdigit()


def has_other_digits(text: str) -> bool:
    """Whether `text` holds a digit other than 0 to 9 (a superscript, another script's)."""
    return not text.isascii() and any(c.isdigit() for c in text if not c.isascii())
