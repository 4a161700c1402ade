"""The learned decisions of the attributor, made over what the candidate rules propose.

For every candidate the rules propose (recall first), five models trained on annotated documents decide:

- **extent**: which of a few boundary variants is the quote (the parse's clause, only the quoted words,
  the clause up to the sentence end, without a trailing participle clause);
- **speaker**: which mention is the speaker (the cue's subject, the 'according to' object, entities and
  pronouns near the cue, the previous attribution's speaker): a ranker over mention features, one softmax over
  each candidate's mentions;
- **keep**: whether the candidate is an attribution at all, given the chosen extent and speaker and the cue's
  role and form in the parse (trained to find the annotated quotes as a match counts them: mostly inside one and
  holding at least half of it);
- **type**: direct, indirect or mixed;
- **join**: whether a kept attribution continues the one before it (PolNeAR's '“A,” X said. “B.”' is one
  utterance in two parts, in the same paragraph or the next): joined parts share speaker and cue.

Each is a logistic regression over named sparse features (``linear.Linear``; the speaker's is a conditional
logit) except keep, a network with one hidden layer over its features (``linear.Network``: whether a candidate is
an attribution depends on how its cue, speaker, marks and extent combine); all are stored as JSON. The rule's own
choice is one feature among others ("rule_choice"), so the rules-only system is the same code with the learned
models switched off, and the model card compares the two.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from spacy.tokens import Doc, Token

from ..core.labels import DIRECT, INDIRECT, MIXED, QUOTE_LABELS
from ..core.text import WORD
from .candidates import ALL_MARKS, FILLER, PRONOUNS, Candidate, logical_dep, logical_head, mention_span, relayers
from .docarrays import (
    ENT_B,
    ENT_I,
    ROLE,
    marked_text,
    per_doc,
    quotations_of,
    sentence_index,
    sentence_of,
    token_at,
    token_bounds,
    token_flags,
    word_count,
)
from .linear import Linear, Multiclass, Network, binary_from_dict

_MARK_SPLIT = re.compile(r"([" + ALL_MARKS + r"])")  # a quote mark as its own piece
PARTICIPLES = {"adding", "saying", "noting", "arguing", "calling", "citing", "describing", "claiming", "warning"}


@dataclass
class Option:
    """A possible speaker mention of a candidate."""

    span: tuple[int, int]
    feats: dict[str, Any]  # named features; "@" names hold context vectors (see linear.py)
    rule: bool = False


@dataclass
class Proposal:
    """A candidate with its extent variants, speaker options and features."""

    cand: Candidate
    variants: list[list[tuple[int, int]]]
    variant_feats: list[dict[str, Any]]
    options: list[Option] = field(default_factory=list)


# ---------------------------------------------------------------- words
def words(text: str, segs: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Start offsets of the word tokens inside ``segs`` (the bench's unit of matching)."""
    return frozenset(m.start() for s, e in segs for m in WORD.finditer(text, s, e))


def strip_that(text: str, ws: frozenset[int]) -> frozenset[int]:
    if ws:
        first = min(ws)
        if text[first : first + 4].lower() == "that" and not text[first + 4 : first + 5].isalnum():
            return ws - {first}
    return ws


def overlaps(a: frozenset[int], b: frozenset[int]) -> bool:
    ov = len(a & b)
    return bool(ov) and ov >= 0.5 * len(a) and ov >= 0.5 * len(b)


# ---------------------------------------------------------------- extent variants
def _sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    tok = token_at(doc, char)
    if tok is None:
        return char, char
    a, b = sentence_of(doc, tok.i)
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",;:—–-" + ALL_MARKS + FILLER):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:.!?—–-" + ALL_MARKS + FILLER):
        e -= 1
    return s, e


def extent_variants(doc: Doc, cand: Candidate) -> list[tuple[str, list[tuple[int, int]]]]:
    """The rule's extent first, then alternatives; duplicates removed."""
    text = marked_text(doc)  # same offsets as doc.text; '' and `` read as one mark
    base = [tuple(x) for x in cand.content]
    out: list[tuple[str, list[tuple[int, int]]]] = [("rule", list(base))]
    s0, e0 = base[0][0], base[-1][1]
    # the clause up to the end of its sentence, when the cue comes before the content
    if cand.cue and cand.cue[1] <= s0:
        ss, se = _sentence_bounds(doc, s0)
        if se > e0:
            out.append(("clause_to_sentence_end", [*base[:-1], _trim(text, base[-1][0], se)]))
    # from the sentence start, when the content comes before its cue ('…, X said')
    if cand.cue and e0 <= cand.cue[0]:
        ss, se = _sentence_bounds(doc, s0)
        if ss < s0:
            out.append(("sentence_start_to_clause", [_trim(text, ss, base[0][1]), *base[1:]]))
    # everything after the cue to the sentence end / from the sentence start to the cue (the parse's clause
    # can stop short of what the speaker said)
    if cand.cue:
        cs, ce = _sentence_bounds(doc, cand.cue[0])
        if cand.cue[1] <= s0 and cs <= s0 < ce:
            out.append(("after_cue", [_trim(text, cand.cue[1], ce)]))
        if e0 <= cand.cue[0] and cs <= s0 < ce:
            out.append(("before_cue", [_trim(text, cs, cand.cue[0])]))
    # around a parenthetical cue: '[In the three years since …], Barden says, [far too many lives …]' is one
    # content in two parts (the part before the cue clause ends with a comma)
    if cand.cue and cand.cue[1] <= s0 and len(base) == 1:
        lead = min(cand.cue[0], cand.speaker[0] if cand.speaker else cand.cue[0])
        cs, _ = _sentence_bounds(doc, lead)
        before = text[cs:lead].rstrip()
        if cs < lead and before.endswith(",") and WORD.search(before):
            out.append(("around_cue", [_trim(text, cs, lead), *base]))
    # without a trailing participle clause ('…, adding that …')
    seg = text[s0:e0]
    m = re.search(r",\s+(" + "|".join(PARTICIPLES) + r")\b", seg)
    if m and len(base) == 1:
        out.append(("no_participle", [_trim(text, s0, s0 + m.start())]))
    # the parse's pieces: without a leading dependent of the cue ('accused [Obama] of …', 'said [Tuesday] his …')
    # or without a trailing adjunct ('… [after determining that …]')
    if len(base) == 1:
        out += _dependency_variants(doc, text, s0, e0)
    # a quotation found by its marks can be the end of a longer reported clause ('… and a city of “honesty and
    # straight talk.”'): the clause from the sentence start, or from the cue, to the quotation's end
    if len(base) == 1 and text[s0 - 1 : s0] in ALL_MARKS and text[e0 : e0 + 1] in ALL_MARKS:
        ss, _ = _sentence_bounds(doc, s0)
        if ss < s0 - 1:
            start = cand.cue[1] if cand.cue and ss <= cand.cue[0] and cand.cue[1] < s0 else ss
            out.append(("quote_sentence", [_trim(text, start, e0)]))
    # without a leading preposition ('[for] volunteers to move to the back', '[to] attacks on her campaign')
    first = token_at(doc, s0)
    if len(base) == 1 and first is not None and first.pos_ == "ADP" and first.idx == s0:
        nxt = first.i + 1
        if nxt < len(doc) and doc[nxt].idx < e0:
            out.append(("drop_lead_adp", [_trim(text, doc[nxt].idx, e0)]))
    # 'said [in a statement that] the race …', 'told [reporters in an interview that] …': the parser can hang the
    # reported clause on the noun of the occasion, as a clause of 'statement'
    if len(base) == 1 and first is not None:
        preps = (t for t in doc[first.i : first.i + 8] if t.dep_ == "prep")
        objs = (c for t in preps for c in t.children if c.dep_ == "pobj")
        that = next((o.i + 1 for o in objs if o.i + 2 < len(doc) and doc[o.i + 1].lower_ == "that"), None)
        if that is not None and doc[that + 1].idx < e0:
            out.append(("after_occasion_that", [_trim(text, doc[that + 1].idx, e0)]))
    # only the quoted words, when the content holds a quotation
    marks = [i for i in range(s0, e0) if text[i] in ALL_MARKS]
    if len(marks) >= 2 and len(base) == 1:
        qs, qe = _trim(text, marks[0] + 1, marks[-1])
        if qe > qs and (qs, qe) != (s0, e0):
            out.append(("quoted_only", [(qs, qe)]))
    quotes = _quotations(doc)
    seen, uniq = set(), []
    for name, v in out:
        v = [(s, e) for s, e in v if e > s]
        if v and quotes[0]:
            v = _whole_quotations(text, quotes, v)
        key = tuple(v)
        if v and key not in seen:
            seen.add(key)
            uniq.append((name, v))
    return uniq


@per_doc
def _quotations(doc: Doc) -> tuple[list[int], list[int]]:
    """The opening and closing marks' offsets of the quotations that close in their paragraph, in text order. A
    mark followed by a space opens nothing ('an “expedited review“ of': a closing mark typed as an opening one)."""
    text = marked_text(doc)
    pairs = [(s - 1, e) for s, e in quotations_of(doc) if e < len(text) and text[e] in ALL_MARKS]
    pairs = [(o, c) for o, c in pairs if not text[o + 1].isspace()]
    return [o for o, _ in pairs], [c for _, c in pairs]


def _whole_quotations(
    text: str, quotes: tuple[list[int], list[int]], v: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """An extent holds every quotation it opens or closes whole: a cut at a sentence end inside one ('that
    foreigners “look at these goofballs across the ocean[. We’ve got to …]”', '“[Super PACs have the money.] They
    don’t have a choice” but to …') would quote half of what was said. Its first segment starts no later than the
    opening mark of a quotation it closes, its last ends no earlier than the closing mark of one it opens or starts
    right after ('“[I am proud to be gay.] I am proud to be a Republican.”'). The quotations do not nest, so the one
    around an offset is the last to open before it (a binary search)."""
    opens, closes = quotes
    out = list(v)
    s, e = out[0]
    k = bisect.bisect_left(opens, s) - 1  # the last quotation to open before the start
    if k >= 0 and s <= closes[k] < e and WORD.search(text, opens[k], s):
        out[0] = (_trim(text, opens[k], e)[0], e)
    s, e = out[-1]
    k = bisect.bisect_left(opens, e) - 1  # the last quotation to open before the end
    opened = k >= 0 and (opens[k] >= s or not WORD.search(text, opens[k], s))  # in the segment, or at its start
    if opened and closes[k] > e and WORD.search(text, e, closes[k]):
        out[-1] = (s, _trim(text, s, closes[k])[1])
    return out


def _with_fragment_marks(
    text: str, quotes: tuple[list[int], list[int]], segs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """A reported clause that starts or ends with a quoted fragment, with nothing but punctuation between its edge
    and the fragment's mark, takes the mark: the fragment stays whole (guidelines §2.2), which
    ``_whole_quotations``, reading only words, leaves open ('called it “a disaster.”' ended at 'disaster'). A
    clause that is all quotation is left as it is."""
    opens, closes = quotes
    if not opens:
        return segs
    out = list(segs)
    s, e = out[0]
    k = bisect.bisect_right(opens, s) - 1  # the last quotation to open at or before the start
    if (
        k >= 0
        and opens[k] < s < closes[k] < e
        and not WORD.search(text, opens[k], s)
        and WORD.search(text, closes[k], e)
    ):
        j = opens[k]
        while j > 0 and text[j] == FILLER:  # the wires' '``' is a mark and a filler
            j -= 1
        out[0] = (j, e)
    s, e = out[-1]
    k = bisect.bisect_left(opens, e) - 1  # the last quotation to open before the end
    if (
        k >= 0
        and s < opens[k]
        and e <= closes[k]
        and not WORD.search(text, e, closes[k])
        and WORD.search(text, s, opens[k])
    ):
        j = closes[k] + 1
        while j < len(text) and text[j] == FILLER:
            j += 1
        out[-1] = (s, j)
    return out


_COMPLEMENTIZERS = {"that", "whether"}
_FINAL = ".?!…"


def conform_extent(doc: Doc, segs: list[tuple[int, int]], label: str) -> list[tuple[int, int]]:
    """The chosen extent with the edges the guidelines fix (§2.2), which no measure sees (they count words) and
    so no learned decision settles: a reported clause loses its leading complementizer ('said [that] …', a
    ``mark`` in the parse, never a demonstrative 'That …' or a word inside quote marks); a reported clause holds
    a quoted fragment at its edge whole (``_with_fragment_marks``); a direct quote keeps the final '.', '?' or '!'
    of the quoted sentence when the closing mark follows it."""
    text = marked_text(doc)
    out = [tuple(x) for x in segs]
    s, e = out[0]
    tok = token_at(doc, s)
    inside = s > 0 and text[s - 1] in ALL_MARKS + FILLER
    if tok is not None and tok.idx == s and tok.lower_ in _COMPLEMENTIZERS and tok.dep_ == "mark" and not inside:
        ns, ne = _trim(text, s + len(tok.text), e)
        if ne > ns and WORD.search(text[ns:ne]):
            out[0] = (ns, ne)
    # a quoted fragment is held whole, its marks included: 'of “neo-colonialism.”', not 'of “neo-colonialism'
    if label != DIRECT:
        out = _with_fragment_marks(text, _quotations(doc), out)
    if label == DIRECT:
        for k, (s, e) in enumerate(out):
            j = e
            while j < len(text) and text[j] in _FINAL:
                j += 1
            closed = j == len(text) or text[j] in ALL_MARKS + FILLER + "\n"  # a quoted paragraph may stay open
            if j > e and closed:
                out[k] = (s, j)
    return [(int(a), int(b)) for a, b in out]


ADJUNCTS = {"advcl", "prep", "npadvmod", "advmod", "agent"}


def _dependency_variants(doc: Doc, text: str, s0: int, e0: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """Extents cut at the parse's subtree boundaries inside the content; the dependency label is in the name,
    so the extent model learns which cuts the annotators make (after 'accuse X of', before 'after …')."""
    span = doc.char_span(s0, e0, alignment_mode="contract")
    if span is None or len(span) < 3:
        return []
    lo, hi = span.start, span.end
    words_ = [t for t in span if not (t.is_punct or t.is_space)]
    if not words_:
        return []
    last_word = words_[-1].i

    def piece(a: int, b: int) -> tuple[int, int]:
        a, b = max(a, lo), min(b, hi)
        if b <= a:
            return (s0, s0)
        return _trim(text, max(doc[a].idx, s0), min(doc[b - 1].idx + len(doc[b - 1]), e0))

    out: list[tuple[str, list[tuple[int, int]]]] = []
    roots = [t for t in span if not (lo <= t.head.i < hi) or t.head.i == t.i]
    roots = [r for r in roots if not (r.is_punct or r.is_space)]
    if 2 <= len(roots) <= 6:
        first, second = roots[0], roots[1]
        out.append((f"drop_lead:{first.dep_}", [piece(max(second.left_edge.i, first.right_edge.i + 1), hi)]))
        if second.dep_ == "prep" and second.i + 1 < hi:
            out.append((f"drop_lead_prep:{first.dep_}", [piece(second.i + 1, hi)]))
        last = roots[-1]
        if last.dep_ in ADJUNCTS and last.left_edge.i > lo:
            out.append((f"drop_tail:{last.dep_}", [piece(lo, last.left_edge.i)]))
    if len(roots) == 1:
        head = roots[0]
        tail = [c for c in head.rights if c.dep_ in ADJUNCTS and c.right_edge.i >= last_word and c.left_edge.i > lo]
        if tail:
            out.append((f"cut_tail:{tail[-1].dep_}", [piece(lo, tail[-1].left_edge.i)]))
        lead = [c for c in head.lefts if c.left_edge.i <= lo and c.dep_ in ADJUNCTS]
        if lead:  # 'said [Tuesday] his actions are …'
            out.append((f"drop_inner_lead:{lead[0].dep_}", [piece(lead[0].right_edge.i + 1, hi)]))
    if roots and roots[0].pos_ in ("NOUN", "PROPN", "PRON"):
        # into the first noun's preposition: 'accusing [Obama of] political exploitation', 'tweeting [support for] …'
        preps = [c for c in roots[0].rights if c.dep_ == "prep" and c.i + 1 < hi]
        if preps:
            out.append((f"into_prep:{preps[0].lower_}", [piece(preps[0].i + 1, hi)]))
    # without a trailing apposition (', a longstanding federal provision that …')
    appos = [t for t in span if t.dep_ == "appos" and t.right_edge.i >= last_word and t.left_edge.i > lo + 1]
    if appos and doc[appos[0].left_edge.i - 1].text == ",":
        out.append(("cut_appos", [piece(lo, appos[0].left_edge.i - 1)]))
    return out


def has_context_vectors(doc: Doc) -> bool:
    """Whether ``doc.tensor`` holds a row per token: a base pipeline without tok2vec leaves none, and a ``DocBin``
    does not store it."""
    t = doc.tensor
    return t.ndim == 2 and t.shape[0] == len(doc)


def context_vector(doc: Doc, tok: Token | None) -> np.ndarray | None:
    """The base pipeline's ``doc.tensor`` row of ``tok`` (its tok2vec output: the token in its context), or None
    where the doc has no such rows (``has_context_vectors``)."""
    if tok is None or not has_context_vectors(doc):
        return None
    return doc.tensor[tok.i]


def variant_features(
    doc: Doc, cand: Candidate, v: list[tuple[int, int]], name: str, vectors: bool = True
) -> dict[str, Any]:
    text = marked_text(doc)
    s, e = v[0][0], v[-1][1]
    n = sum(word_count(doc, a, b) for a, b in v)
    base_n = max(1, sum(word_count(doc, a, b) for a, b in cand.content))
    before, after = text[max(0, s - 2) : s], text[e : e + 2]
    feats = {
        "bias": 1.0,
        f"variant={name}": 1.0,
        f"kind={cand.kind}|variant={name}": 1.0,
        f"cue={cand.cue_lemma}|variant={name}": 1.0,
        "log_ratio": math.log(max(1, n) / base_n),
        "mark_before": float(any(c in before for c in ALL_MARKS)),
        "mark_after": float(any(c in after for c in ALL_MARKS)),
        "marks_inside": float(any(c in text[s:e] for c in ALL_MARKS)),
        "ends_sentence": float(text[e : e + 1] in (".", "!", "?") or text[e : e + 2].strip() in ('."', ".”")),
        "first_lower": float(text[s : s + 1].islower()),
        "first_that": float(text[s : s + 5].lower() == "that "),
        "rule_choice": float(name == "rule"),
        "log_words_outside_marks": math.log1p(_words_outside_marks(text, v)),
        "starts_at_mark": float(text[s - 1 : s] in ALL_MARKS if s else False),
        "ends_at_mark": float(text[e : e + 1] in ALL_MARKS or text[e + 1 : e + 2] in ALL_MARKS),
    }
    if cand.cue:
        feats["after_cue"] = float(cand.cue[1] <= s)
        feats["holds_own_cue"] = float(any(a <= cand.cue[0] < b for a, b in v))
    if cand.speaker:
        feats["holds_own_speaker"] = float(any(a <= cand.speaker[0] < b for a, b in v))
    # the words at the boundaries: annotators start after 'of'/'for' and stop before ', a …' or 'after …'
    first, last = token_at(doc, s), token_at(doc, max(s, e - 1))
    prev = doc[first.i - 1] if first is not None and first.i > 0 else None
    nxt = doc[last.i + 1] if last is not None and last.i + 1 < len(doc) else None
    if first is not None:
        feats[f"first_pos={first.pos_}"] = 1.0
        feats[f"first_dep={first.dep_}"] = 1.0
    if prev is not None:
        feats[f"prev_word={prev.lower_ if prev.is_stop or prev.is_punct else prev.pos_}"] = 1.0
    if nxt is not None:
        feats[f"next_word={nxt.lower_ if nxt.is_stop or nxt.is_punct else nxt.pos_}"] = 1.0
    if last is not None:
        feats[f"last_pos={last.pos_}"] = 1.0
    if vectors:  # the words at and just outside each edge, in context: where annotators start and stop
        for key, tok in (("@first", first), ("@last", last), ("@prev", prev), ("@next", nxt)):
            vec = context_vector(doc, tok)
            if vec is not None:
                feats[key] = vec
    return feats


def _words_outside_marks(text: str, v: list[tuple[int, int]]) -> int:
    """Words of the variant that lie outside every quotation inside it (0 for an all-quoted variant)."""
    n = 0
    for s, e in v:
        inside = False
        for piece in _MARK_SPLIT.split(text[s:e]):
            if len(piece) == 1 and piece in ALL_MARKS:
                inside = not inside
            elif not inside:
                n += len(WORD.findall(piece))
    return n


# ---------------------------------------------------------------- speaker options
@per_doc
def _mentions_by_sentence(doc: Doc) -> dict[int, list[tuple[tuple[int, int], int, str]]]:
    """Where ``_sentence_mentions`` keeps what it found, by the sentence's first token."""
    return {}


def _sentence_mentions(doc: Doc, start: int, end: int) -> list[tuple[tuple[int, int], int, str]]:
    """Noun phrases in subject/object roles and named entities of one sentence, found once per sentence
    (every candidate in it reuses them): (char span, head token index, source)."""
    found = _mentions_by_sentence(doc)
    hit = found.get(start)
    if hit is not None:
        return hit
    flags, (starts, ends) = token_flags(doc), token_bounds(doc)
    out = []
    for i in range(start, end):
        if flags[i] & ROLE:
            sp = mention_span(doc[i])
            out.append(((sp.start_char, sp.end_char), i, "dep"))
        elif flags[i] & ENT_B:
            j = i + 1
            while j < len(doc) and flags[j] & ENT_I:
                j += 1
            out.append(((starts[i], ends[j - 1]), j - 1, "ent"))
    found[start] = out
    return out


def speaker_options(
    doc: Doc, cand: Candidate, previous: tuple[int, int] | None, max_options: int, vectors: bool = True
) -> list[Option]:
    """Mentions that could be the speaker: the rule's, and nouns, names and pronouns near the cue (this
    sentence and the one before). The nearest ``max_options`` are kept, then featurized (on the text with its marks
    read as one kind, so a mention inside British single marks is inside a quotation too)."""
    text = marked_text(doc)
    anchor = cand.cue[0] if cand.cue else cand.start
    cue_tok = token_at(doc, anchor) if cand.cue else None
    at = cue_tok if cue_tok is not None else token_at(doc, anchor)
    sent = sentence_of(doc, at.i) if at is not None else None
    found: dict[tuple[int, int], tuple[Token | None, list[str]]] = {}
    rule_span = cand.speaker
    cue_span = doc.char_span(*cand.cue, alignment_mode="expand") if cand.cue else None
    cue_words = {t.i for t in cue_span} if cue_span is not None else set()
    relaying = relayers(cue_span) if cue_span is not None else set()  # 'TASS quoted X as saying': not TASS

    def add(span: tuple[int, int], tok: Token | None, source: str) -> None:
        if span[1] <= span[0] or any(s <= span[0] < e for s, e in cand.content):
            return
        if tok is not None and tok.i in relaying:
            return
        if span not in found:
            found[span] = (tok, [])
        found[span][1].append(source)

    if cand.speaker is not None:
        tok = doc[cand.speaker_token] if cand.speaker_token is not None else token_at(doc, cand.speaker[0])
        add(cand.speaker, tok, "rule")
    if previous is not None:
        add(previous, token_at(doc, previous[0]), "previous")
    if sent is not None:
        sents = [sent]
        if sent[0] > 0:  # and the sentence before
            sents.insert(0, sentence_of(doc, sent[0] - 1))
        for a, b in sents:
            for span, i, source in _sentence_mentions(doc, a, b):
                add(span, doc[i], source)
    spans = sorted(found, key=lambda sp: (sp != rule_span, abs(sp[0] - anchor)))[:max_options]
    sent_ids = sentence_index(doc)[0]
    opts = []
    for span in spans:
        tok, sources = found[span]
        opt = Option(span, _option_features(doc, cand, span, tok, cue_tok, cue_words, anchor, text, sent_ids))
        vec = context_vector(doc, tok) if vectors else None
        if vec is not None:
            opt.feats["@head"] = vec
        for source in sources:
            opt.feats[f"from={source}"] = 1.0
            opt.feats[f"from={source}|kind={cand.kind}"] = 1.0
        if span == rule_span:
            opt.rule = True
            opt.feats["rule_choice"] = 1.0
        opts.append(opt)
    return opts


def _option_features(
    doc: Doc,
    cand: Candidate,
    span: tuple[int, int],
    tok: Token | None,
    cue_tok: Token | None,
    cue_words: set[int],
    anchor: int,
    text: str,
    sent_ids: np.ndarray,
) -> dict[str, float]:
    """One option's features; ``sent_ids`` is ``sentence_index(doc)[0]``, looked up once per candidate."""
    mention = text[span[0] : span[1]]
    low = mention.lower()
    dist = (span[0] - anchor) if span[0] >= anchor else (span[1] - anchor)
    words_between = word_count(doc, min(span[1], anchor), max(span[0], anchor))
    feats: dict[str, float] = {
        "bias": 1.0,
        "before_cue": float(span[1] <= anchor),
        "log_dist": math.log1p(words_between),
        "adjacent": float(words_between <= 1),
        "pronoun": float(low in PRONOUNS),
        "n_words": float(min(len(mention.split()), 6)),
        "capital": float(mention[:1].isupper()),
        "in_marks": float(_inside_marks(text, span[0])),
        "newline_between": float("\n" in text[min(span[1], anchor) : max(span[0], anchor)]),
        "sign": float(dist > 0),
    }
    if tok is not None:
        dep = logical_dep(tok)
        feats[f"dep={dep}"] = 1.0
        feats[f"ent={tok.ent_type_ or '-'}"] = 1.0
        feats[f"pos={tok.pos_}"] = 1.0
        if cue_tok is not None:
            # 'TASS quoted X as saying', 'X was quoted as saying': X is the subject of 'saying', a word of the cue
            head = logical_head(tok)
            head_is_cue = head.i == cue_tok.i or (head.i != tok.head.i and head.i in cue_words)
            feats["head_is_cue"] = float(head_is_cue)
            feats[f"dep={dep}|head_is_cue={head_is_cue}"] = 1.0
            feats["same_sentence"] = float(sent_ids[tok.i] == sent_ids[cue_tok.i])
            if tok.dep_ == "pobj" and tok.head.head.i == cue_tok.i:
                feats[f"pobj_of={tok.head.lower_}"] = 1.0
    return feats


def _inside_marks(text: str, pos: int) -> bool:
    """An odd number of quote marks since the paragraph start: the position is inside a quotation."""
    para = text.rfind("\n", 0, pos) + 1
    seg = text[para:pos]
    return (seg.count("“") > seg.count("”")) or seg.count('"') % 2 == 1


# ---------------------------------------------------------------- keep and type features
def keep_features(
    doc: Doc, cand: Candidate, v: list[tuple[int, int]], opt: Option | None, base: dict[str, float]
) -> dict[str, float]:
    text = marked_text(doc)  # a quotation in '' or British single marks is marked too
    feats = dict(base)
    n = sum(word_count(doc, a, b) for a, b in v)
    feats["log_words"] = math.log1p(n)
    feats[f"nbin={min(n // 3, 8)}"] = 1.0
    feats[f"kind={cand.kind}|cue={cand.cue_lemma}"] = 1.0
    feats["has_speaker"] = float(opt is not None)
    cue_span = doc.char_span(*cand.cue, alignment_mode="expand") if cand.cue else None
    cue_tok = cue_span.root if cue_span is not None and len(cue_span) else None
    if cue_tok is not None:  # the cue's role and form: 'he said', 'declined to say', 'who says' are different bets
        feats[f"cue_dep={cue_tok.dep_}"] = 1.0
        feats[f"cue_tag={cue_tok.tag_}"] = 1.0
    # the same construction is a different bet inside quote marks and before or after its cue
    # a filler stands right after a mark (an opening '' reads as '"' and a filler), so it marks too
    marked = any(c in text[max(0, v[0][0] - 1) : v[-1][1] + 1] for c in ALL_MARKS + FILLER)
    before = cand.cue is not None and v[-1][1] <= cand.cue[0]
    feats[f"kind={cand.kind}|marks={marked}|before={before}"] = 1.0
    if opt is not None:
        feats[f"kind={cand.kind}|spk_rule={opt.rule}"] = 1.0
        feats["speaker_inside"] = float(any(a <= opt.span[0] < b for a, b in v))
        for k in ("pronoun", "capital", "in_marks", "adjacent", "head_is_cue"):
            feats[f"spk_{k}"] = opt.feats.get(k, 0.0)
        for k in opt.feats:
            if k.startswith(("ent=", "dep=", "from=")) and "|" not in k:
                feats[f"spk_{k}"] = 1.0
    return feats


def sibling_features(proposals: list[Proposal]) -> None:
    """Which other constructions found a candidate at the same cue: one 'said' can report a quotation and also
    head a spurious clause ('“Wow,” she said [in Iowa earlier this year]'); the two would merge downstream, so the
    keep decision sees its siblings."""
    by_cue: dict[tuple[int, int], list[Proposal]] = {}
    for p in proposals:
        if p.cand.cue is not None:
            by_cue.setdefault(tuple(p.cand.cue), []).append(p)
    for group in by_cue.values():
        if len(group) < 2:
            continue
        for p in group:
            p.cand.features["cue_shared"] = 1.0
            for q in group:
                if q is not p:
                    p.cand.features[f"kind={p.cand.kind}|sibling={q.cand.kind}"] = 1.0


def swallow_features(proposals: list[Proposal]) -> None:
    """Mark the extent variants that contain another attribution's cue: '[they were worried about the economy, and
    more than 4 in 10 said Trump would be best]' runs into the next report, and the extent decision learns what that
    costs. Each variant finds the cues inside it by binary search over their sorted starts, not by a scan of all."""
    cues = sorted({tuple(p.cand.cue) for p in proposals if p.cand.cue and p.cand.speaker})
    starts = [c[0] for c in cues]
    for p in proposals:
        own = tuple(p.cand.cue) if p.cand.cue else None
        for v, feats in zip(p.variants, p.variant_feats, strict=True):
            if any(
                cues[k] != own
                for s, e in v
                for k in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e))
            ):
                feats["swallows_cue"] = 1.0
                feats[f"swallows_cue|kind={p.cand.kind}"] = 1.0


def reported_mention_features(proposals: list[Proposal]) -> None:
    """Mark the speaker options that lie inside what another candidate with a speaker reports: in 'He says the
    obvious response was … and says [he introduced legislation]', 'the obvious response' is said, not saying. The
    contents are summed into one coverage count per character, so every option is one lookup."""
    ends = [e for p in proposals if p.cand.speaker is not None for _, e in p.cand.content]
    if not ends:
        return
    cover = np.zeros(max(ends) + 1, dtype=np.int32)
    for p in proposals:
        if p.cand.speaker is not None:
            for s, e in p.cand.content:
                cover[s] += 1
                cover[e] -= 1
    cover = np.cumsum(cover)
    for p in proposals:
        for opt in p.options:
            if opt.span[0] < len(cover) and cover[opt.span[0]] > 0:
                opt.feats["in_other_content"] = 1.0


def type_features(doc: Doc, cand: Candidate, v: list[tuple[int, int]]) -> dict[str, float]:
    text = marked_text(doc)
    total = sum(e - s for s, e in v) or 1
    quoted = 0
    for s, e in v:
        inner = text[s:e]
        if any(c in text[max(0, s - 2) : s] for c in ALL_MARKS) and any(c in text[e : e + 3] for c in ALL_MARKS):
            quoted += e - s
        else:
            # marks inside the content: the share of characters between them
            marks = [i for i, c in enumerate(inner) if c in ALL_MARKS]
            for a, b in zip(marks[::2], marks[1::2], strict=False):
                quoted += b - a
    share = quoted / total
    return {
        "bias": 1.0,
        "share": share,
        "all_quoted": float(share >= 0.9),
        "none_quoted": float(share == 0),
        f"kind={cand.kind}": 1.0,
        f"rule={cand.label}": 1.0,
        "segments": float(len(v) - 1),
    }


def join_features(doc: Doc, a: Candidate, b: Candidate) -> dict[str, float]:
    """Features of two consecutive kept attributions: is ``b`` the second part of ``a``'s utterance?"""
    text = marked_text(doc)
    between = text[a.end : b.start]
    n_between = len(WORD.findall(between))
    lead = text[text.rfind("\n", 0, b.start) + 1 : b.start].strip(" \t\u00a0" + FILLER)
    feats = {
        "bias": 1.0,
        f"kinds={a.kind}>{b.kind}": 1.0,
        f"b_cue={b.cue_lemma}": 1.0,
        f"labels={a.label}>{b.label}": 1.0,
        f"newlines={min(between.count(chr(10)), 3)}": 1.0,
        "log_words_between": math.log1p(n_between),
        f"words_between={min(n_between, 12) // 3}": 1.0,
        "b_has_cue": float(b.cue is not None),
        "same_speaker_text": float(
            a.speaker is not None and b.speaker is not None and text[slice(*a.speaker)] == text[slice(*b.speaker)]
        ),
        "a_cue_between": float(a.cue is not None and a.end <= a.cue[0] < b.start),
        "b_cue_between": float(b.cue is not None and a.end <= b.cue[0] < b.start),
        "b_cue_after": float(b.cue is not None and b.cue[0] >= b.end),
        "a_speaker_between": float(a.speaker is not None and a.end <= a.speaker[0] < b.start),
        "a_ends_comma": float("," in text[a.end : a.end + 3]),
        "b_opens_paragraph": float(lead in ("", *ALL_MARKS)),
        "b_marked": float(text[b.start - 1 : b.start] in ALL_MARKS if b.start else False),
        "a_marked": float(text[a.end : a.end + 1] in ALL_MARKS or text[a.end + 1 : a.end + 2] in ALL_MARKS),
    }
    return feats


def joinable(a: Candidate, b: Candidate) -> bool:
    """Whether the join decision has anything to decide: ``a`` has a cue and ``b`` is not already its part."""
    continues = b.cue is not None and b.cue[1] <= a.start  # b already continues an utterance before a
    return a.cue is not None and (a.speaker, a.cue) != (b.speaker, b.cue) and not continues


# ---------------------------------------------------------------- the cue lexicon, learned
class Cued(Protocol):
    """What the cue lexicon is learned from: an annotated attribution's cue (``component.GoldQuote`` is one)."""

    @property
    def cue(self) -> tuple[int, int] | None: ...


def learn_cue_lemmas(
    items: Sequence[tuple[Doc, Sequence[Cued], float]], base: frozenset[str], min_count: int, min_share: float
) -> list[str]:
    """Verbs the annotators mark as the head of a cue at least ``min_count`` times and in at least ``min_share`` of
    their uses, that the lexicon lacks ('shout', 'quip', …): the candidates are then found around them too."""
    as_cue: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for doc, golds, _ in items:
        heads = set()
        for g in golds:
            span = doc.char_span(*g.cue, alignment_mode="expand") if g.cue is not None else None
            verbs = [t for t in span if t.pos_ == "VERB"] if span is not None else []
            if verbs:
                heads.add(span.root.i if span.root.pos_ == "VERB" else verbs[-1].i)
        for t in doc:
            if t.pos_ == "VERB":
                lemma = t.lemma_.lower()
                uses[lemma] += 1
                as_cue[lemma] += t.i in heads
    return sorted(
        lemma
        for lemma, n in as_cue.items()
        if lemma not in base and n >= min_count and n >= min_share * uses[lemma] and lemma.isalpha()
    )


# ---------------------------------------------------------------- the decider
@dataclass
class Decisions:
    """The five learned models; ``learned=False`` gives the rules-only system (same candidates)."""

    keep: Linear | Network = field(default_factory=Linear)
    extent: Linear = field(default_factory=Linear)
    speaker: Linear = field(default_factory=Linear)
    qtype: Multiclass = field(default_factory=lambda: Multiclass(list(QUOTE_LABELS)))
    join: Linear = field(default_factory=lambda: Linear({"bias": -4.0}))

    def to_dict(self) -> dict:
        return {
            "keep": self.keep.to_dict(),
            "extent": self.extent.to_dict(),
            "speaker": self.speaker.to_dict(),
            "type": self.qtype.to_dict(),
            "join": self.join.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Decisions:
        return cls(
            keep=binary_from_dict(data["keep"]),
            extent=Linear.from_dict(data["extent"]),
            speaker=Linear.from_dict(data["speaker"]),
            qtype=Multiclass.from_dict(data["type"]),
            join=Linear.from_dict(data["join"]),
        )


def logits(dec: Decisions, p: Proposal) -> tuple[list[float], list[float]]:
    """The extent decision's logit of every variant and the speaker decision's of every option, computed once:
    choosing the extent and the speaker and the keep decision's confidence features all read them."""
    return [dec.extent.logit(f) for f in p.variant_feats], [dec.speaker.logit(o.feats) for o in p.options]


def confidence_features(p: Proposal, vi: int, scores: tuple[list[float], list[float]]) -> dict[str, float]:
    """How sure the speaker and extent decisions are (clipped logits, best speaker's margin over the next): a
    candidate none of whose mentions or extents looks right is less likely an attribution at all. ``scores``
    are ``logits(dec, p)``."""

    def clip(x: float) -> float:
        return max(-5.0, min(5.0, x)) / 5

    ext, spk = scores
    feats = {"ext_conf": clip(ext[vi])}
    if p.options:
        ranked = sorted(spk, reverse=True)
        feats["spk_conf"] = clip(ranked[0])
        feats["spk_margin"] = clip(ranked[0] - ranked[1]) if len(ranked) > 1 else 1.0
    return feats


def choose_variant(p: Proposal, ext: list[float] | None) -> int:
    """The variant with the highest extent logit (the first of equals), or the rule's extent where there are no
    logits (``None``: the rules-only system)."""
    if ext is None or len(p.variants) == 1:
        return 0
    return max(range(len(ext)), key=lambda i: (ext[i], -i))


def choose_speaker(p: Proposal, spk: list[float] | None) -> Option | None:
    """The option with the highest speaker logit (the first of equals), or the rule's option where there are no
    logits (``None``: the rules-only system)."""
    if not p.options:
        return None
    if spk is None:
        return next((o for o in p.options if o.rule), None)
    return p.options[max(range(len(spk)), key=spk.__getitem__)]


def choose_type(dec: Decisions, doc: Doc, p: Proposal, v: list[tuple[int, int]], learned: bool) -> str:
    if not learned:
        return p.cand.label if p.cand.label in (DIRECT, INDIRECT, MIXED) else INDIRECT
    return dec.qtype.predict(type_features(doc, p.cand, v))
