"""The one rule for document ids: they become file names, URLs and HTML attributes, so only safe characters.

``corpus add`` makes ids like ``005_1a2b3c4d5e6f7a8b``; a hand-chosen id may use letters, digits, ``_``,
``-`` and ``.`` (not first), up to 128 characters: no path separators, no ``..`` walks, no markup.
"""

from __future__ import annotations

import re

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
ID_RULE = "1-128 characters from A-Z a-z 0-9 _ - . (not starting with . _ or -)"


def id_problem(value: object) -> str | None:
    """Why ``value`` is not a valid document id, or None when it is."""
    if not isinstance(value, str):
        return f"must be a string, got {type(value).__name__} {value!r}"
    if not ID_RE.fullmatch(value):
        return f"{value[:60]!r} is not a valid id: {ID_RULE}"
    return None
