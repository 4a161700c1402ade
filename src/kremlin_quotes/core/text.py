"""Facts about plain text shared by the corpus cleaner and the model (so neither imports the other)."""

from __future__ import annotations

import re

_HEADLINE_END = re.compile(r"[.!?][\"'”’)]*$")
WORD = re.compile(r"\w+")  # a word as the bench counts them (its scorer matches on runs of word characters)


def looks_like_headline(line: str) -> bool:
    """A headline has no sentence-final punctuation and is short; a first line that is a sentence is body."""
    return bool(line) and len(line) <= 300 and not _HEADLINE_END.search(line)
