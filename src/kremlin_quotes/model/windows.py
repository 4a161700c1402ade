"""Long documents in windows: parse cost linear in length, memory bounded by the window, not the document.

A text longer than ``size`` characters is cut at paragraph breaks into segments of about ``size``
characters (a paragraph longer than that at sentence ends, else at spaces). Each segment is parsed once by
the base pipeline, with ``MARGIN_CHARS`` of its neighbours' text on each side that are then cut off again:
the base pipeline's tok2vec reads a few words across a cut, and the attributor reads its output
(``doc.tensor``), so without the margins the words at a cut would get other vectors than in the whole
document. The attributor then runs on each segment joined with ``context`` characters of whole paragraphs
from its neighbours (``Doc.from_docs``: already parsed, not parsed again), so a quote near a cut still sees
its speaker, the speaker's earlier mentions and the paragraphs a multi-paragraph quote runs on to. A window
keeps the attributions that start in its own segment, shifted to document offsets; where two windows claim
overlapping text the higher score wins, as inside one document. Only three segments are held at a time, so
peak memory does not grow with the document. Texts up to ``size`` characters are processed whole, exactly as
``nlp(text)``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .resolve import Mention, gender_votes, mention_of, persons_of, resolve, subject_names

ATTRIBUTOR = "quote_attributor"
WINDOW_CHARS = 20_000
CONTEXT_CHARS = 3_000
MARGIN_CHARS = 200  # words on each side of a segment for the tok2vec window (a few tokens in en_core_web_sm)
_BREAK = re.compile(r"\n\s*")  # a paragraph break and the white space after it
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*\s+")


def cut_points(text: str, size: int) -> list[int]:
    """Segment starts (0 first): after paragraph breaks, about ``size`` characters apart."""
    starts = [0]
    breaks = [m.end() for m in _BREAK.finditer(text) if m.end() < len(text)]
    while len(text) - starts[-1] > size:
        lo, hi = starts[-1], starts[-1] + size
        i = bisect.bisect_right(breaks, hi) - 1
        if i >= 0 and breaks[i] > lo + size // 4:
            starts.append(breaks[i])
            continue
        # one paragraph longer than the window: cut at the last sentence end, else the last space
        chunk = text[lo + size // 4 : hi]
        ends = [m.end() for m in _SENTENCE_END.finditer(chunk)] or [m.end() for m in re.finditer(r"\s+", chunk)]
        starts.append(lo + size // 4 + ends[-1] if ends else hi)
    return starts


def _context(doc: Doc, chars: int, left: bool) -> Doc | None:
    """The last (``left``) or first ``chars`` characters of ``doc``, widened to whole paragraphs, as a Doc."""
    if chars <= 0 or not len(doc):
        return None
    text = doc.text
    if left:
        cut = max(0, len(text) - chars)
        m = text.rfind("\n", 0, cut)
        start_char = m + 1 if m >= 0 else 0
        tok = next((t.i for t in doc if t.idx >= start_char and not t.is_space), None)
        return doc[tok:].as_doc() if tok is not None else None
    cut = min(len(text), chars)
    m = text.find("\n", cut)
    end_char = m + 1 if m >= 0 else len(text)
    toks = [t.i for t in doc if t.idx + len(t.text) <= end_char]
    return doc[: toks[-1] + 1].as_doc() if toks else None


def _shift(a: dict, off: int) -> dict:
    a = dict(a)
    a["content"] = [[s + off, e + off] for s, e in a["content"]]
    a["speaker"] = [a["speaker"][0] + off, a["speaker"][1] + off]
    if a["cue"]:
        a["cue"] = [a["cue"][0] + off, a["cue"][1] + off]
    return a


def windowed_attributions(
    nlp: Language, text: str, size: int | None = None, context: int | None = None, batch_size: int = 4
) -> list[dict]:
    """The attributions of one long text, window by window (document character offsets).

    Speakers are resolved once for the whole document at the end, from every window's mentions and PERSON
    entities, so a surname far from its full name still reaches it."""
    size, context = size or WINDOW_CHARS, CONTEXT_CHARS if context is None else context
    starts = cut_points(text, size)
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    attributor = nlp.get_pipe(ATTRIBUTOR)
    found: list[tuple[dict, Mention]] = []
    persons: list[tuple[int, str]] = []
    votes: list[tuple[int, str, str]] = []
    subjects: list[tuple[int, str, int, str]] = []
    with nlp.select_pipes(disable=[ATTRIBUTOR]):
        parsed = _parse_segments(nlp, text, bounds, batch_size)
        prev: Doc | None = None
        cur = next(parsed)
        for k, (seg_start, seg_end) in enumerate(bounds):
            nxt = next(parsed) if k + 1 < len(bounds) else None
            left = _context(prev, context, left=True) if prev is not None else None
            right = _context(nxt, context, left=False) if nxt is not None else None
            parts = [d for d in (left, cur, right) if d is not None]
            joined = Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else cur
            offset = len(left.text) if left is not None else 0
            shift = seg_start - offset  # window offsets -> document offsets
            attributor(joined)
            persons += persons_of(cur, seg_start)
            votes += gender_votes(cur, seg_start)
            subjects += subject_names(cur, seg_start)
            for a in joined._.attributions or []:
                if offset <= a["content"][0][0] < offset + (seg_end - seg_start):
                    found.append((_shift(a, shift), mention_of(joined, a["speaker"], shift)))
            prev, cur = cur, nxt
    kept = _resolve_overlaps(found)
    names = resolve([m for _, m in kept], sorted(persons), votes, subjects)
    out = []
    for (a, m), canon in zip(kept, names, strict=True):
        a["canonical"] = canon
        a["entity"] = attributor.entity_of(m.text, canon)
        out.append(a)
    return out


def _margins(text: str, s: int, e: int, margin: int) -> tuple[int, int]:
    """``s``-``e`` widened by about ``margin`` characters each side, cut just after a space."""
    ms = s
    if s > 0 and margin > 0:
        cut = text.find(" ", max(0, s - margin), s)
        ms = cut + 1 if cut >= 0 else max(0, s - margin)
    me = e
    if e < len(text) and margin > 0:
        cut = text.rfind(" ", e, min(len(text), e + margin))
        me = cut + 1 if cut >= 0 else min(len(text), e + margin)
    return ms, me


def _parse_segments(
    nlp: Language, text: str, bounds: list[tuple[int, int]], batch_size: int, margin: int = MARGIN_CHARS
) -> Iterator[Doc]:
    """Each segment parsed with its margins, then cut back to exactly ``text[s:e]`` (the segment alone where a
    margin does not split into whole tokens)."""
    widened = [_margins(text, s, e, margin) for s, e in bounds]
    for (s, e), (ms, _), doc in zip(
        bounds, widened, nlp.pipe((text[a:b] for a, b in widened), batch_size=batch_size), strict=True
    ):
        span = doc.char_span(s - ms, e - ms)
        inner = span.as_doc() if span is not None else None
        if inner is not None and inner.text == text[s:e]:
            yield inner
        else:
            yield nlp(text[s:e])


def _resolve_overlaps(found: list[tuple[dict, Mention]]) -> list[tuple[dict, Mention]]:
    """Where windows claimed overlapping text, keep the higher score (then the earlier start); a binary
    search over the taken segments per check, as in the component. Returned in text order."""
    kept: list[tuple[dict, Mention]] = []
    starts: list[int] = []
    ends: list[int] = []

    def clashes(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, e) - 1
        return i >= 0 and ends[i] > s

    for a, m in sorted(found, key=lambda x: (-x[0].get("score", 0.0), x[0]["content"][0][0])):
        if any(clashes(s, e) for s, e in a["content"]):
            continue
        kept.append((a, m))
        for s, e in a["content"]:
            i = bisect.bisect_left(starts, s)
            starts.insert(i, s)
            ends.insert(i, e)
    return sorted(kept, key=lambda x: (x[0]["content"][0][0], x[0]["content"][-1][1]))


def attributions_of(
    nlp: Language,
    texts: Iterable[str],
    batch_size: int = 16,
    n_process: int = 1,
    size: int | None = None,
    context: int | None = None,
) -> Iterator[list[dict]]:
    """Attributions (document character offsets) for each text, in order; long texts go window by window."""
    size, context = size or WINDOW_CHARS, CONTEXT_CHARS if context is None else context
    texts = list(texts)
    short = nlp.pipe((t for t in texts if len(t) <= size), batch_size=batch_size, n_process=n_process)
    for text in texts:
        if len(text) <= size:
            yield list(next(short)._.attributions or [])
        else:
            yield windowed_attributions(nlp, text, size, context)
