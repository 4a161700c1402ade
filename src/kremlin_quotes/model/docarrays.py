"""What the attributor reads from a Doc many times over, computed once per Doc: its text, its token offsets, one
byte of flags per token, its sentences and its runs of word characters, kept in weak-keyed caches that ``forget``
clears when the attributor starts on a Doc.

The candidate rules and the decisions' features call these for every candidate; a Span built per lookup or a walk
over Python Tokens cost more than the rest of the attributor (docs/model-development.md, twentieth session).
"""

from __future__ import annotations

import bisect
import functools
import weakref
from array import array
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, POS, SENT_START
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from ..core.marks import mask_marks, quotation_spans
from ..core.text import WORD

T = TypeVar("T")

_CACHES: list[weakref.WeakKeyDictionary] = []


def per_doc(compute: Callable[[Doc], T]) -> Callable[[Doc], T]:
    """``compute(doc)`` once per Doc, kept while the Doc lives (a weak key): what the candidate rules and the
    features read from a Doc many times over. The attributor never changes a Doc, and ``forget`` drops what was
    kept when it starts on one, so a Doc changed between two calls is read afresh."""
    cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    _CACHES.append(cache)

    @functools.wraps(compute)
    def cached(doc: Doc) -> T:
        hit = cache.get(doc)
        if hit is None:
            hit = cache[doc] = compute(doc)
        return hit

    return cached


def forget(doc: Doc) -> None:
    """Drop every ``per_doc`` value of ``doc`` (a caller may retokenize it or set new entities between calls)."""
    for cache in _CACHES:
        cache.pop(doc, None)


@per_doc
def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy joins every token on each access, which made candidate
    generation quadratic in document length."""
    return doc.text


@per_doc
def marked_text(doc: Doc) -> str:
    """``mask_marks(doc.text)``, once per Doc."""
    return mask_marks(text_of(doc))


@per_doc
def quotations_of(doc: Doc) -> list[tuple[int, int]]:
    """``quotation_spans(marked_text(doc))``, once per Doc: the extents' edges and the resolver read them both."""
    return quotation_spans(marked_text(doc))


@per_doc
def _quotation_starts(doc: Doc) -> list[int]:
    return [s for s, _ in quotations_of(doc)]


def in_quotation(doc: Doc, char: int) -> bool:
    """Whether character ``char`` lies inside one of ``quotations_of(doc)`` (disjoint, in text order): a binary
    search over their starts, kept once per Doc."""
    k = bisect.bisect_right(_quotation_starts(doc), char) - 1
    return k >= 0 and char < quotations_of(doc)[k][1]


@functools.lru_cache(maxsize=32)
def string_ids(words: frozenset[str], capitalized: bool) -> np.ndarray:
    """The hashes of ``words`` (and of their capitalized forms), once per word set rather than once per Doc:
    spaCy's string hashes do not depend on the vocab."""
    forms = [f for w in words for f in ((w, w.capitalize()) if capitalized else (w,))]
    return np.array(sorted({get_string_id(f) for f in forms}), dtype=np.uint64)


# bits of ``token_flags``: punctuation or space, a relative 'who' / 'which', a clause or conjunct dependency; a
# noun, name or pronoun in a subject or object role; the first word of a speaker entity; a word inside an entity
GAP, WH, CLAUSE, ROLE, ENT_B, ENT_I = 1, 2, 4, 8, 16, 32
SPEAKER_ENTS = {"PERSON", "ORG", "NORP", "GPE"}  # entity types that can speak
_WH_WORDS = ("who", "whom", "whose", "which")
_CLAUSE_DEPS = ("relcl", "acl", "advcl", "cc", "conj")
_ROLE_DEPS = ("nsubj", "nsubjpass", "pobj", "poss", "dobj", "appos")
_ROLE_POS = ("PROPN", "PRON", "NOUN")


@per_doc
def token_flags(doc: Doc) -> bytes:
    """One byte of the bits above per token, read from the Doc's arrays once: mention spans and the mentions of
    a sentence are found for every candidate, and walking their words as Python Tokens cost more than the rest."""
    if not len(doc):
        return b""
    arr = doc.to_array([IS_PUNCT, IS_SPACE, LOWER, DEP, POS, ENT_IOB, ENT_TYPE])
    bits = {
        GAP: (arr[:, 0] != 0) | (arr[:, 1] != 0),
        WH: np.isin(arr[:, 2], string_ids(frozenset(_WH_WORDS), capitalized=False)),
        CLAUSE: np.isin(arr[:, 3], string_ids(frozenset(_CLAUSE_DEPS), capitalized=False)),
        ROLE: np.isin(arr[:, 3], string_ids(frozenset(_ROLE_DEPS), capitalized=False))
        & np.isin(arr[:, 4], np.array([POS_IDS[p] for p in _ROLE_POS], dtype=np.uint64)),
        ENT_B: (arr[:, 5] == 3) & np.isin(arr[:, 6], string_ids(frozenset(SPEAKER_ENTS), capitalized=False)),
        ENT_I: arr[:, 5] == 1,
    }
    return sum(bit * mask.astype(np.uint8) for bit, mask in bits.items()).astype(np.uint8).tobytes()


@per_doc
def token_bounds(doc: Doc) -> tuple[array, array]:
    """(start, end) character offsets of every token, read from the Doc's arrays once."""
    arr = doc.to_array([IDX, LENGTH]).astype(np.int64) if len(doc) else np.zeros((0, 2), dtype=np.int64)
    return array("q", arr[:, 0].tobytes()), array("q", (arr[:, 0] + arr[:, 1]).tobytes())


def token_at(doc: Doc, char: int) -> Token | None:
    """The token whose text holds character ``char`` (None on the white space after a token, or outside the
    text), as ``Doc.char_span(char, char + 1, alignment_mode="expand")`` finds it, by binary search over the
    token offsets kept once per Doc: a Span built per call cost more than the search."""
    starts, ends = token_bounds(doc)
    k = bisect.bisect_right(starts, char) - 1
    return doc[k] if k >= 0 and char < ends[k] else None


@per_doc
def _word_runs(doc: Doc) -> tuple[array, array]:
    """Start and end offsets of every run of word characters in ``marked_text(doc)``."""
    starts, ends = array("q"), array("q")
    for m in WORD.finditer(marked_text(doc)):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def word_count(doc: Doc, a: int, b: int) -> int:
    """``len(WORD.findall(marked_text(doc)[a:b]))``: the words (runs of word characters) that the slice touches,
    counted by binary search over the Doc's runs, found once; features count words between and inside many
    spans of the same text."""
    if b <= a:
        return 0
    starts, ends = _word_runs(doc)
    return max(0, bisect.bisect_left(starts, b) - bisect.bisect_right(ends, a))


@per_doc
def sentence_index(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """(sentence number of every token, first token of every sentence), once per Doc: ``Token.sent``
    walks the sentence on every access."""
    if not len(doc):
        return np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    starts = doc.to_array([SENT_START]).reshape(-1) == 1
    starts[0] = True
    return np.cumsum(starts) - 1, np.flatnonzero(starts)


def sentence_of(doc: Doc, i: int) -> tuple[int, int]:
    """Token range [start, end) of the sentence holding token ``i``."""
    ids, starts = sentence_index(doc)
    k = int(ids[i])
    return int(starts[k]), int(starts[k + 1]) if k + 1 < len(starts) else len(doc)
