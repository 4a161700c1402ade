"""A component that starts a sentence after every line break, so the parser never joins a headline
or paragraph to the next one (the parser keeps preset boundaries)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc
