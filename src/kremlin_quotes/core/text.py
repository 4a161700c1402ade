"""Facts about plain text shared by the corpus cleaner and the model (so neither imports the other)."""

from __future__ import annotations

import re

_HEADLINE_END = re.compile(r"[.!?][\"'”’)]*$")
WORD = re.compile(r"\w+")  # a word as the bench counts them (its scorer matches on runs of word characters)


def looks_like_headline(line: str) -> bool:
    """A headline has no sentence-final punctuation and is short; a first line that is a sentence is body."""
    return bool(line) and len(line) <= 300 and not _HEADLINE_END.search(line)


# spaCy's tokenizer splits a run of characters without white space affix by affix, in time that grows with the square
# of the run's length (20,000 quotation marks in a row: 113 s); ``core.tokenizer`` tokenizes such runs in pieces of
# RUN_CHARS
RUN_CHARS = 1_000
_LONG_RUN = re.compile(rf"\S{{{RUN_CHARS + 1},}}")


def run_cuts(text: str) -> list[int]:
    """Offsets every ``RUN_CHARS`` characters inside each run of more than ``RUN_CHARS`` characters without white
    space, where the model's tokenizer (``core.tokenizer``) cuts the text into pieces. No text of the corpus,
    PolNeAR or the bench has a run longer than 87 characters."""
    return [c for m in _LONG_RUN.finditer(text) for c in range(m.start() + RUN_CHARS, m.end(), RUN_CHARS)]
