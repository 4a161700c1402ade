"""A component that starts a sentence after every line break, so the parser never joins a headline
or paragraph to the next one (the parser keeps preset boundaries)."""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    # line breaks are whitespace tokens; only those are visited (the array avoids a Token per word)
    if len(doc) < 2:
        return doc
    for i in np.flatnonzero(doc.to_array([IS_SPACE])[:-1]):
        if "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc
