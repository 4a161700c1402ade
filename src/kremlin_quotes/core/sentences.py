"""A component that presets sentence starts before the parser (which keeps preset boundaries).

A sentence starts after every line break, so the parser never joins a headline or paragraph to the next one. And
no sentence runs longer than ``max_tokens`` tokens without a sentence end: the attributor's work grows with the
square of a sentence's length (every reporting verb in it proposes the rest of the sentence as its content), and
where the parser finds nowhere to cut, 10,000 characters of chained reports without a full stop took 47 s instead
of about one (scripts/benchmark_long.py). No text of the corpus, PolNeAR train or the bench runs past 199 tokens
without a line break or a token ending in '.', '!' or '?', so the default cap of 300 changes none of their parses.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_ENDS = (".", "!", "?")


class ParagraphSentences:
    """Presets sentence starts: after line breaks, and every ``max_tokens`` tokens of a run without a sentence end
    or line break (0: no cap)."""

    def __init__(self, max_tokens: int = 300) -> None:
        if max_tokens < 0:
            raise ValueError(f"max_tokens={max_tokens}: 0 (no cap) or a positive number of tokens")
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        # the arrays avoid a Token per word (each distinct word's text is read once), and the starts are written in
        # one call: setting ``is_sent_start`` token by token checks the whole Doc each time
        arr = doc.to_array([ORTH, IS_SPACE, SENT_START])
        kinds, inverse = np.unique(arr[:, 0], return_inverse=True)
        strings = [doc.vocab.strings[int(k)] for k in kinds]
        is_break = np.array([("\n" in s) for s in strings], dtype=bool)[inverse] & (arr[:, 1] > 0)
        is_end = np.array([s.endswith(SENTENCE_ENDS) for s in strings], dtype=bool)[inverse]
        starts = np.flatnonzero(is_break[:-1]) + 1
        if self.max_tokens:
            resets = np.concatenate(([-1], np.flatnonzero(is_break | is_end), [len(doc)]))
            cap = self.max_tokens
            gaps = zip(resets[:-1], resets[1:], strict=True)
            runs = [np.arange(a + 1 + cap, b, cap) for a, b in gaps if b - a > cap]
            starts = np.concatenate([starts, *runs])
        if len(starts):
            sent_start = arr[:, 2].copy()
            sent_start[starts] = 1
            doc.from_array([SENT_START], sent_start.reshape(-1, 1))
        return doc


@Language.factory("paragraph_sentences", default_config={"max_tokens": 300})
def make_paragraph_sentences(nlp: Language, name: str, max_tokens: int) -> ParagraphSentences:
    return ParagraphSentences(max_tokens)
