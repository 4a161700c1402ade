"""Candidates from quotation marks: the quoted passages of a text, the cue and speaker next to each, and the
quotations no cue reaches (a continuation of the utterance before, or a quotation alone).

The quotations also overrule the parse: a clause candidate that swallowed its own cue or speaker, or claimed
only part of a quotation beside its cue, takes the quotation instead, and every candidate is typed by the
quote marks inside it (direct, mixed, indirect).
"""

from __future__ import annotations

import bisect
import itertools
import re

from spacy.tokens import Doc, Span, Token

from ..core.labels import DIRECT, MIXED
from ..core.lexicon import cue_verbs
from ..core.marks import FILLER, mask_marks, quotation_spans
from ..core.text import WORD
from .candidates import (
    REPORTED_DEPS,
    Candidate,
    cue_phrase,
    mention_span,
    quoted_as_saying,
    subject_of,
    trim,
)
from .docarrays import marked_text, quotations_of, text_of, token_at


def find_quote_marks(text: str) -> list[tuple[int, int]]:
    """Content spans (marks excluded) of quoted passages; robust to unbalanced and mixed marks.

    Paragraphs (newline-separated) are scanned separately; an opening mark left unclosed at the end
    of a paragraph quotes to the paragraph's end, which is how multi-paragraph quotes are written
    (the opening mark repeated on each paragraph, the closing mark only at the end).
    """
    marked = mask_marks(text)
    return _content_spans(marked, quotation_spans(marked))


def quote_marks_of(doc: Doc) -> list[tuple[int, int]]:
    """``find_quote_marks(doc.text)`` from the Doc's masked text and quotations, which are read once per Doc."""
    return _content_spans(marked_text(doc), quotations_of(doc))


def _content_spans(marked: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [trim(marked, s, e, strip_marks=True) for s, e in spans if WORD.search(marked[s:e])]


def attach_quote_marks(
    doc: Doc, cands: list[Candidate], quotes: list[tuple[int, int]], lemmas: frozenset[str] | None = None
) -> list[Candidate]:
    """Type each candidate by the quote marks inside it; quoted passages with no cue become candidates too."""
    text = text_of(doc)
    # A quotation right next to a cue ('“…,” X said', 'X replied, “…”', 'X said: “…”') is that cue's
    # content, whatever clause the parser hung under the verb; an interrupted one has two such parts.
    # The parse is overruled only where it went wrong: the content swallowed its own cue or speaker, or
    # claimed only part of the quotation. A quoted fragment inside a reported clause stays mixed.
    adjacent_of = {q: _adjacent_cue(doc, q, lemmas) for q in quotes}  # each quote's cue, found once
    marked = marked_text(doc)
    # every lookup below goes through an index (a character map, binary search over the sorted quotes,
    # a running maximum), so the cost grows with the number of candidates, not with its square
    cue_at: dict[int, tuple[int, tuple[int, int]]] = {}  # character -> (order, cue) of the cues next to quotes
    next_to: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for q, adj in adjacent_of.items():
        if adj is not None and adj.cue is not None and adj.cue_lemma != "dash":
            if adj.cue not in next_to:
                for i in range(*adj.cue):
                    cue_at.setdefault(i, (len(next_to), adj.cue))
            next_to.setdefault(adj.cue, []).append(q)
    for c in cands:
        if c.kind not in ("ccomp", "dobj", "head") or not c.cue:
            continue
        hits = [cue_at[i] for i in range(*c.cue) if i in cue_at]
        parts = next_to[min(hits)[1]] if hits else None
        if not parts:
            continue
        swallowed = any(s <= c.cue[0] < e or (c.speaker and s <= c.speaker[0] < e) for s, e in c.content)
        partial = any(q[0] <= s and e <= q[1] + 1 and (e - s) < (q[1] - q[0]) for s, e in c.content for q in parts)
        # '[…, especially fundraising: “There’s just a ton …],” he said': the clause ran on back past the colon
        # that opens the quotation
        overreach = any(
            s < q[0] and q[0] < e <= q[1] + 1 and q[1] <= c.cue[0] and _lead_in(marked, q[0]) == ":"
            for s, e in c.content
            for q in parts
        )
        if swallowed or partial or overreach:
            c.content = sorted(parts)
            c.label = DIRECT
    q_starts = [q[0] for q in quotes]  # quotes are disjoint and in text order
    for c in cands:
        if c.kind == "transcript":
            continue
        found = set()
        for s, e in c.content:
            for k in range(bisect.bisect_left(q_starts, s), bisect.bisect_right(q_starts, e + 1)):
                if quotes[k][1] <= e + 1:
                    found.add(k)
        inside = [quotes[k] for k in sorted(found)]
        k = bisect.bisect_right(q_starts, c.start) - 1
        around = [quotes[k]] if len(c.content) == 1 and k >= 0 and c.end <= quotes[k][1] else []
        if around and not inside:
            c.content = [around[0]]
            c.label = DIRECT
            continue
        if not inside:
            continue
        covered = sum(q[1] - q[0] for q in inside)
        total = sum(e - s for s, e in c.content)
        if covered >= 0.85 * total:
            c.content = [q for q in inside]
            c.label = DIRECT
        else:
            c.label = MIXED
    claimed = sorted((s, e) for c in cands for s, e in c.content)
    claimed_starts = [s for s, _ in claimed]
    reach = list(itertools.accumulate((e for _, e in claimed), max))  # furthest end among the first k segments
    extra = []
    ordered = sorted(cands, key=lambda c: c.start)  # attributed candidates by start; extras are inserted
    longest = max((c.end - c.start for c in cands), default=0)
    for q in quotes:
        k = bisect.bisect_left(claimed_starts, q[1])  # segments starting before the quote ends ...
        if k and reach[k - 1] > q[0]:  # ... one of which ends after it starts: the quote is claimed
            continue
        adjacent = adjacent_of[q]
        if adjacent is not None:
            extra.append(adjacent)
            bisect.insort_right(ordered, adjacent, key=lambda c: c.start)
            longest = max(longest, adjacent.end - adjacent.start)
            continue
        if len(text[q[0] : q[1]].split()) < 4 and not _whole_sentence(marked, q):
            continue  # a scare quote or a name, not a quotation; but '“Big time.”' after a quotation is one
        # the nearest attributed candidate before the quote in the previous two paragraphs: at most four
        # line breaks between its end and the quote, i.e. it ends after the fifth break before the quote
        fifth = q[0]
        for _ in range(5):
            fifth = text.rfind("\n", 0, fifth) if fifth > 0 else -1
            if fifth < 0:
                break
        last_speaker = _reporter_before(text, ordered, q[0], fifth, longest)
        if last_speaker is None:  # a quotation with no cue in sight: the speaker is left to the learned ranker
            quote_only = Candidate(content=[q], kind="quote_only", label=DIRECT, cue_lemma="none")
            extra.append(quote_only)
            bisect.insort_right(ordered, quote_only, key=lambda c: c.start)
            longest = max(longest, quote_only.end - quote_only.start)
            continue
        colon = _lead_in(marked, q[0]) == ":"
        same_para = "\n" not in text[last_speaker.end : q[0]]
        continuation = Candidate(
            content=[q],
            kind="continuation",
            label=DIRECT,
            cue=last_speaker.cue if (colon or same_para) else None,
            cue_lemma="colon" if colon else ("same_paragraph" if same_para else "none"),
            speaker=last_speaker.speaker,
            speaker_token=last_speaker.speaker_token,
        )
        extra.append(continuation)
        bisect.insort_right(ordered, continuation, key=lambda c: c.start)
        longest = max(longest, continuation.end - continuation.start)
    return cands + extra


def _reporter_before(text: str, ordered: list[Candidate], q_start: int, floor: int, longest: int) -> Candidate | None:
    """The candidate a quotation with no cue of its own continues: the nearest one with a speaker that ends before
    it and after ``floor``; but a direct quotation earlier in the same paragraph wins over a nearer reported
    clause. In '“A,” she said, noting B. “C.”' PolNeAR's annotators join C to A, not to B."""
    para = text.rfind("\n", 0, q_start)
    nearest = None
    for j in range(bisect.bisect_left(ordered, q_start, key=lambda c: c.start) - 1, -1, -1):
        c = ordered[j]
        if c.start < (floor if nearest is None else para) - longest:
            break  # every earlier candidate ends before the floor (or, once one is found, before the paragraph)
        if c.end > q_start or c.speaker is None:
            continue
        if nearest is None:
            if c.end <= floor:
                continue
            nearest = c
            if c.label == DIRECT or c.start <= para:
                return c
        elif c.label == DIRECT and c.start > para:
            return c
    return nearest


def _whole_sentence(marked: str, q: tuple[int, int]) -> bool:
    """Whether a quotation is a sentence of its own: it opens a sentence with a capital and closes with its own
    final stop ('… he said. “We’re hopeful.”'), which a scare quote or a quoted name inside a sentence does not."""
    inner = marked[q[0] : q[1]].strip(" \u00a0’'" + FILLER)
    if not inner[:1].isupper() or inner[-1:] not in ".!?…":
        return False
    j = _skip_back(marked, q[0], ' “"«\u00a0' + FILLER)
    return j == 0 or marked[j - 1] in '.!?…:\n”"»'


def _lead_in(marked: str, q_start: int) -> str:
    """The character before a quotation's opening mark, spaces and line breaks skipped (':' in 'fundraising:
    “…'); '' at the start of the text."""
    j = _skip_back(marked, q_start, ' “"«\u00a0\n' + FILLER)
    return marked[j - 1] if j > 0 else ""


def _skip_back(marked: str, pos: int, chars: str, floor: int = 0) -> int:
    """Where the run of ``chars`` that ends at ``pos`` starts (not before ``floor``): a look-back that copies no
    text (one per quotation, so a prefix copy each would cost the square of a window's length)."""
    while pos > floor and marked[pos - 1] in chars:
        pos -= 1
    return pos


def _before_nested_close(marked: str, q: tuple[int, int]) -> str:
    """The last character of a quotation before the closing single marks of a quotation nested at its end
    ('… has been, ‘Let’s see?’' -> '?'); '' when nothing is left."""
    j = _skip_back(marked, q[1], "’'", floor=q[0])
    return marked[j - 1] if j > q[0] else ""


# pull-quote attribution: “…” ― Jane Doe (\x01 is the filler of a two-character mark; '--' is a typed dash)
_CLOSING = r"[”\"»]?\x01?[,.!?]?[”\"»]?\x01?[ \u00a0]*"
_DASH_NAME = r"([―—–-]-?)[ \u00a0]*((?:[A-Z][\w.'’-]*[ \u00a0]?){1,5})"
_PULL_QUOTE = re.compile(_CLOSING + _DASH_NAME)
# the same on the next line ('“…”\n\n- Bernie Sanders.'): there the line must hold nothing but the name (and what
# follows a comma), so that a list item or a heading set off by a dash ('— Reduce regulations') is no attribution
_PULL_QUOTE_LINE = re.compile(_CLOSING + r"\n[\n \u00a0]*" + _DASH_NAME + r"(?=[.,]|\n|$)")


def _adjacent_cue(doc: Doc, q: tuple[int, int], lemmas: frozenset[str] | None = None) -> Candidate | None:
    """'“…,” Trump said' / '“…,” said Trump' / 'Trump said: “…”': a reporting verb right next to the quote."""
    lemmas = cue_verbs() if lemmas is None else lemmas
    after = doc.char_span(q[1], min(len(text_of(doc)), q[1] + 80), alignment_mode="contract")
    before = doc.char_span(max(0, q[0] - 60), q[0], alignment_mode="contract")
    windows = []
    marked = marked_text(doc)
    tail = marked[q[1] : q[1] + 80]
    m = _PULL_QUOTE.match(tail) or _PULL_QUOTE_LINE.match(tail)
    if m:  # pull-quote attribution: “…” ― Jane Doe
        name_s = q[1] + m.start(2)
        name_e = name_s + len(m.group(2).rstrip(" \u00a0."))
        return Candidate(
            content=[q],
            kind="adjacent",
            label=DIRECT,
            cue=(q[1] + m.start(1), q[1] + m.end(1)),  # '―', or '--' typed for a dash
            cue_lemma="dash",
            speaker=(name_s, name_e),
        )
    bare = False
    if after is not None:
        # the quotation's last character, past the closing single mark of a quotation inside it ('… ‘Let’s go?’”')
        last = _before_nested_close(marked, q)
        # '“…,” X said' continues the sentence even where the parser starts a new one after the mark
        comma = last == "," or re.match(r"[”\"»]?,|,[”\"»]", tail) is not None
        # '“…?” Trump asked.' / '“…!” the group shouted': a question or exclamation ends the quotation, not the
        # sentence, when a reporting verb follows at once (within the next few words)
        asked = not comma and (last in ("?", "!") or re.match(r"[”\"»]\x01?[?!]", tail))
        # '“….” Trump said.': a sentence of its own that reports nothing else names the quotation before it
        bare = not comma and not asked and last == "."
        toks = []
        for t in after[: 5 if asked or bare else 16]:
            glued = (comma or asked or bare) and all(x.is_punct for x in toks)
            if "\n" in t.text or "\n" in t.whitespace_ or (t.is_sent_start and t.i > after.start and not glued):
                break
            toks.append(t)
        windows.append(toks)
    lead = _skip_back(marked, q[0], ' “"«\u00a0' + FILLER)
    # 'He said:' may end the paragraph before the quotation; a comma must be on the same line
    colon = _skip_back(marked, lead, "\n ")
    if before is not None and (marked[lead - 1 : lead] == "," or marked[colon - 1 : colon] == ":"):
        # walk back from the quotation to the start of its clause: the nearest verb is the cue
        # ('Trump said, adding later, “…”' -> 'adding'; '… she said. She continued, “…”' -> 'continued')
        toks: list = []
        for t in reversed(before):
            if "\n" in t.text or "\n" in t.whitespace_:
                if any(not x.is_punct for x in toks):
                    break
                continue
            if t.text in (".", "!", "?", ";") or len(toks) == 6:
                break
            toks.append(t)
        windows.append(toks)
    for w, toks in enumerate(windows):
        for t in toks:
            if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lemmas:
                if w == 0 and bare and any(c.dep_ in REPORTED_DEPS for c in t.children):
                    break  # 'He said the plan would work.' reports its own clause
                return _adjacent_candidate(doc, q, t, toks, "adjacent")
    # 'Carl Bialik: “…”': a name alone before the colon that opens the quotation is its speaker
    if marked[colon - 1 : colon] == ":" and before is not None:
        name = _name_before(doc, colon - 1)
        if name is not None and not q[0] <= name.start_char < q[1]:
            return Candidate(
                content=[q],
                kind="adjacent",
                label=DIRECT,
                cue=(colon - 1, colon),
                cue_lemma="name_colon",
                speaker=(name.start_char, name.end_char),
                speaker_token=name.root.i,
            )
    # any other verb glued to the quotation with a subject of its own ('“…?” a staffer wondered', 'She went on:
    # “…”'): a weaker construction the keep decision learns to weigh (kind 'adjacent_verb')
    glued = []
    if after is not None and (comma or asked):
        glued.append(windows[0][:6])
    if marked[colon - 1 : colon] == ":" and before is not None:
        glued.append(windows[-1])
    for toks in glued:
        inside = {x.i for x in toks}
        for t in toks:
            subj = subject_of(t, avoid=q) if t.pos_ == "VERB" else None
            if subj is not None and subj.i in inside and subj.lower_ not in ("which", "that", "who"):
                return _adjacent_candidate(doc, q, t, toks, "adjacent_verb", subj)
    return None


def _name_before(doc: Doc, char: int) -> Span | None:
    """The proper name that ends right before character ``char`` and opens its line or sentence ('Pew Research'
    in 'Pew Research: “…”'), or None: a clause ('He said:'), a common noun or a name inside a sentence."""
    colon = token_at(doc, char)
    if colon is None or colon.idx != char:
        return None
    i = colon.i
    while (
        i > 0
        and colon.i - i < 6
        and (doc[i - 1].pos_ == "PROPN" or doc[i - 1].ent_type_ in ("PERSON", "ORG") or doc[i - 1].is_title)
        and "\n" not in doc[i - 1].whitespace_
    ):
        i -= 1
    if i == colon.i or not any(t.pos_ == "PROPN" for t in doc[i : colon.i]):
        return None
    first = doc[i]
    opens = i == 0 or first.is_sent_start or "\n" in doc[i - 1].text + doc[i - 1].whitespace_
    return doc[i : colon.i] if opens else None


def _adjacent_candidate(
    doc: Doc, q: tuple[int, int], t: Token, toks: list[Token], kind: str, subj: Token | None = None
) -> Candidate | None:
    """The candidate of quotation ``q`` with cue verb ``t`` (and its subject, when already found) in the window
    ``toks`` next to it."""
    subj = subj if subj is not None else subject_of(t, avoid=q)
    if subj is None:  # a broken parse: the name next to the verb ('…,” Chief Jordan said Monday')
        near = [x for x in toks if x.pos_ in ("PROPN", "PRON", "NOUN") and x.ent_type_ not in ("DATE", "TIME")]
        before_verb = [x for x in near if x.i < t.i]
        after_verb = [x for x in near if x.i > t.i and x.dep_ != "npadvmod"]
        subj = max(before_verb, key=lambda x: x.i) if before_verb else (after_verb[0] if after_verb else None)
    if subj is None or q[0] <= subj.idx < q[1]:
        return None
    spk = mention_span(subj)
    cue = cue_phrase(t)
    return Candidate(
        content=[q],
        kind=kind,
        label=DIRECT,
        cue=(cue.start_char, cue.end_char),
        cue_lemma="say" if quoted_as_saying(t) is not None else t.lemma_.lower(),
        speaker=(spk.start_char, spk.end_char),
        speaker_token=subj.i,
    )
