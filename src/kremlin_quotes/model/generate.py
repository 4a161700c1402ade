"""All candidate attributions of a parsed document: the clause, noun, headline and transcript candidates of
``candidates.py``, then those of the quotation marks (``quotations.py``), one per stretch of text."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from .candidates import (
    PRONOUNS,
    Candidate,
    cue_candidates,
    headline_candidates,
    noun_candidates,
    transcript_candidates,
)
from .docarrays import text_of
from .quotations import attach_quote_marks, quote_marks_of


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content region: the one found by the strongest construction."""
    rank = {
        "transcript": 0,
        "ccomp": 0,
        "according": 1,
        "xcomp": 3,
        "head": 2,
        "headline": 2,
        "adjacent": 3,
        "dobj": 3,
        "noun": 3,
        "noun_to": 4,
        "noun_prep": 4,
        "adjacent_verb": 4,
        "continuation": 4,
        "quote_only": 5,
        "fallback": 5,
    }
    out: list[tuple[Candidate, int]] = []
    buckets: dict[int, list[int]] = {}  # block of 256 characters -> the kept candidates that reach into it
    for c in sorted(cands, key=lambda c: (rank.get(c.kind, 9), c.start)):
        size = sum(e - s for s, e in c.content)
        clash = False
        near = sorted({i for b in range(c.start >> 8, (c.end >> 8) + 1) for i in buckets.get(b, ())})
        for o, o_size in (out[i] for i in near):
            if o.end <= c.start or c.end <= o.start:  # no overlap possible
                continue
            ov = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in c.content for s2, e2 in o.content)
            small = min(size, o_size)
            if small and ov >= 0.6 * small and (c.cue == o.cue or ov >= 0.95 * small):
                clash = True
                break
        if not clash:
            for b in range(c.start >> 8, (c.end >> 8) + 1):
                buckets.setdefault(b, []).append(len(out))
            out.append((c, size))
    return sorted((c for c, _ in out), key=lambda c: (c.start, c.end))


def _reported_inside(doc: Doc, c: Candidate, quotes: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``c``'s cue lies inside a quotation and either its speaker is a pronoun or its content lies inside
    the same quotation. ``quotes`` are disjoint and in text order, ``starts`` their starts (binary search)."""
    if not c.cue:
        return False
    k = bisect.bisect_right(starts, c.cue[0]) - 1
    if k < 0 or c.cue[0] >= quotes[k][1]:
        return False
    q = quotes[k]
    if c.speaker and text_of(doc)[c.speaker[0] : c.speaker[1]].lower() in PRONOUNS:
        return True
    return all(q[0] <= s and e <= q[1] + 1 for s, e in c.content)


def generate(doc: Doc, title_end: int | None = None, lemmas: frozenset[str] | None = None) -> list[Candidate]:
    """All candidate attributions of a parsed document; ``lemmas`` are the cue verbs (default: the lexicon)."""
    quotes = quote_marks_of(doc)
    cands = cue_candidates(doc, lemmas) + noun_candidates(doc, lemmas) + headline_candidates(doc, title_end)
    cands += transcript_candidates(doc)
    cands = [c for c in cands if c.speaker is None or not any(s <= c.speaker[0] < e for s, e in c.content)]
    # speech reported inside a quotation is part of that quote: by its own speaker ("I will not say more"), or
    # wholly inside it ('“… where the secretary tells them they are not getting a waiver …,” Murray said'), where
    # it would otherwise claim the whole quotation for a speaker named inside it
    starts = [q[0] for q in quotes]
    cands = [c for c in cands if not _reported_inside(doc, c, quotes, starts)]
    cands = dedupe(cands)
    return dedupe(attach_quote_marks(doc, cands, quotes, lemmas))
