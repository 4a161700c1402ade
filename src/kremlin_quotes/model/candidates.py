"""Candidate attributions from the dependency parse and the layout of the text.

Nothing here is specific to the seed corpus: candidates come from reporting verbs of a general English lexicon
with their syntactic complements and subjects, "according to X", reporting nouns, headline colons and dashes,
and transcript turns; ``quotations.py`` adds those of the quote marks, and ``generate.py`` puts them together.
The candidates aim at recall: learned decisions (``decide.py``) then choose extent, speaker, type, and whether a
candidate is an attribution at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from ..core.labels import DIRECT, INDIRECT
from ..core.lexicon import as_saying_verbs, cue_verbs
from ..core.marks import ALL_MARKS, FILLER
from ..core.text import WORD
from .docarrays import CLAUSE, GAP, WH, marked_text, string_ids, text_of, token_flags

PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "you", "him", "her", "them"}
NOMINATIVE = {"he", "she", "they", "we", "i"}
# Verbs whose direct object is the addressee, not the content.
ADDRESSEE_VERBS = {"tell", "ask", "inform", "remind", "assure", "urge", "warn", "instruct", "advise", "answer"}
REPORTED_DEPS = {"ccomp", "xcomp", "dobj", "oprd", "acomp"}  # what a reporting verb reports, when it does
CONTENT_PREPS = {"about", "on", "of", "for", "against", "to", "over"}  # 'talked [about] X'
FOR_VERBS = {"call", "argue"}  # "<verb> for X": X is the content ("called for a moratorium")


@dataclass
class Candidate:
    """A possible attribution: content segments, cue and speaker as character offsets."""

    content: list[tuple[int, int]]
    kind: str  # how it was found: ccomp, head, dobj, according, quote, headline, continuation
    label: str = INDIRECT
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    cue_lemma: str = ""
    speaker_token: int | None = None  # index of the speaker's head token
    prep: str = ""  # the preposition of a 'prep' candidate ('about' in 'talked about X'), a keep feature
    features: dict = field(default_factory=dict)
    score: float = 1.0

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


# ---------------------------------------------------------------- entities and spans
def ents_in(span: Span) -> list[Span]:
    """The entities inside ``span``, read from the tokens: ``Span.ents`` scans every entity of the Doc."""
    doc, out = span.doc, []
    for t in span:
        if t.ent_iob_ == "B":
            j = t.i + 1
            while j < len(doc) and doc[j].ent_iob_ == "I":
                j += 1
            if j <= span.end:
                out.append(Span(doc, t.i, j, label=t.ent_type_))
    return out


def trim(text: str, s: int, e: int, strip_marks: bool = False) -> tuple[int, int]:
    """Trim white space, trailing commas/semicolons/colons, and (optionally) stray quote marks."""
    chars = " \t\n\u00a0,;:" + FILLER + (ALL_MARKS if strip_marks else "")
    while s < e and text[s] in chars + "—–-":
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


# ---------------------------------------------------------------- syntax helpers
def mention_span(tok: Token) -> Span:
    """The noun phrase of a speaker head: left modifiers, the head and its 'of'-phrases, cut at punctuation and
    before any clause inside it ('a shop [that …]', 'the chairs [that POLITICO interviewed]': the clause's words
    before its verb are cut too)."""
    doc, flags = tok.doc, token_flags(tok.doc)
    start = tok.left_edge.i
    # do not start on punctuation or a quote mark that the subtree happens to include
    while start < tok.i and flags[start] & GAP:
        start += 1
    stop = tok.right_edge.i + 1
    for j in range(tok.i + 1, stop):
        if flags[j] & CLAUSE:
            edge = doc[j].left_edge.i
            if edge > tok.i:
                stop = min(stop, edge)
    end = tok.i + 1
    while end < stop and not flags[end] & (GAP | WH):
        end += 1
    return doc[start:end]


UTTERED_PREPS = {"by", "after", "upon", "on", "before", "in", "while", "when", "through"}  # '… upon saying'


def subject_of(verb: Token, avoid: tuple[int, int] | None = None) -> Token | None:
    """The subject of a reporting verb, following participles and conjuncts up to their governing verb.

    A quotation before its cue often parses as a second subject ("“… Full panic mode,” said X" gives
    nsubj 'mode' and 'X'): subjects inside ``avoid`` (the quote) are skipped, and the one nearest the
    verb wins. Of 'X was quoted as saying' and 'TASS quoted X as saying' (either verb) it is X, the one quoted.
    """
    saying = quoted_as_saying(verb)
    if saying is not None:  # 'TASS quoted X as saying': the one quoted speaks, not the agency
        obj = next((c for c in saying.head.head.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj
    seen = 0
    v = verb
    while v is not None and seen < 4:
        subjects = [
            c
            for c in v.children
            if c.dep_ in ("nsubj", "nsubjpass") and not (avoid and avoid[0] - 1 <= c.idx < avoid[1] + 1)
        ]
        if subjects:
            return min(subjects, key=lambda c: abs(c.i - v.i))
        for child in v.children:  # passive with agent: "was quoted by X"
            if child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
        if v.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl") and v.head.i != v.i:
            v = v.head
            # 'X was quoted as saying', 'X drew boos upon saying', 'X ended by saying': the verb the phrase modifies
            # ('X refrained from commenting', 'without saying' report no utterance, so they stop here)
            if v.dep_ == "prep" and v.head.i != v.i and (v.lower_ == "as" or v.lower_ in UTTERED_PREPS):
                v = v.head
            seen += 1
            continue
        break
    return None


def quoted_as_saying(tok: Token) -> Token | None:
    """The 'saying' of 'was quoted / cited as saying' when ``tok`` is its 'quoted' or its 'saying': the
    construction reports what X said, so it is one cue whose verb is 'say', whichever token found it."""
    if tok.dep_ == "pcomp" and tok.lemma_ == "say" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
        return tok if tok.head.head.lemma_.lower() in as_saying_verbs() else None
    if tok.lemma_.lower() in as_saying_verbs():
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "as" and c.i > tok.i:
                return next((g for g in c.children if g.dep_ == "pcomp" and g.lemma_ == "say"), None)
    return None


def logical_dep(tok: Token) -> str:
    """The dependency label as the speaker decision should read it: in 'Interfax quoted the governor as saying'
    the object speaks and the subject relays, as in 'the governor said, Interfax reported'; in 'the governor was
    quoted as saying' the passive subject speaks."""
    head = tok.head
    if tok.dep_ in ("dobj", "nsubj", "nsubjpass") and head.i != tok.i and quoted_as_saying(head) is not None:
        if tok.dep_ == "nsubjpass":  # 'X was quoted as saying': X said
            return "nsubj"
        if any(c.dep_ == "dobj" for c in head.children):
            return "nsubj" if tok.dep_ == "dobj" else "pobj"
    return tok.dep_


def logical_head(tok: Token) -> Token:
    """The head as the speaker decision should read it: the one quoted in 'X was quoted as saying' and
    'TASS quoted X as saying' is the subject of 'saying', the cue, not of 'quoted'."""
    if tok.head.i != tok.i and logical_dep(tok) == "nsubj":
        saying = quoted_as_saying(tok.head)
        if saying is not None:
            return saying
    return tok.head


def relayers(cue: Span) -> set[int]:
    """The tokens that only relay when ``cue`` is 'saying' in 'TASS quoted X as saying' or 'was quoted as saying'
    in 'X was quoted by TASS as saying': the agency, which the guidelines (H6) never make the speaker of X's words."""
    saying = next((s for s in map(quoted_as_saying, cue) if s is not None), None)
    if saying is None:
        return set()
    verb = saying.head.head
    out = {c.i for c in verb.children if c.dep_ == "nsubj" and logical_dep(c) == "pobj"}  # 'TASS quoted X'
    out |= {g.i for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"}
    return out


def span_of_tokens(doc: Doc, toks: list[Token], exclude: set[int]) -> list[tuple[int, int]]:
    """Character segments covering ``toks`` in order, split where excluded tokens interrupt them."""
    idx = sorted(t.i for t in toks if t.i not in exclude)
    if not idx:
        return []
    segs: list[list[int]] = [[idx[0], idx[0]]]
    for i in idx[1:]:
        gap = range(segs[-1][1] + 1, i)
        if any(j in exclude for j in gap):
            segs.append([i, i])
        else:
            segs[-1][1] = i
    out = []
    for a, b in segs:
        s, e = doc[a].idx, doc[b].idx + len(doc[b].text)
        out.append((s, e))
    return out


def clean_content(doc: Doc, segs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a leading complementizer, edge punctuation and a sentence-final period."""
    text = marked_text(doc)
    out = []
    for s, e in segs:
        s, e = trim(text, s, e)
        m = re.match(r"(that|whether)\s+", text[s:e], re.I)
        if m and not out:
            s += m.end()
        while e > s and text[e - 1] in ".!?" and not any(text[e - 2 : e - 1] == c for c in ALL_MARKS):
            e -= 1
        s, e = trim(text, s, e)
        # leading/trailing quote mark with no partner inside the segment is dropped, and so is the pair of marks
        # around a segment that is one quotation (the parser hung the marks on the clause)
        seg = text[s:e]
        if len(seg) > 2 and seg[0] == "“" and seg[-1] == "”" and not any(c in seg[1:-1] for c in ALL_MARKS):
            s, e = s + 1, e - 1
            seg = text[s:e]
        if seg and seg[0] in ALL_MARKS and not any(c in seg[1:] for c in ALL_MARKS):
            s += 1
        if seg and seg[-1] in ALL_MARKS and not any(c in seg[:-1] for c in ALL_MARKS):
            e -= 1
        s, e = trim(text, s, e)
        if e > s and WORD.search(text[s:e]):
            out.append((s, e))
    return out


def _content_tokens_from_head(cue: Token, head: Token, first: int | None = None) -> list[Token]:
    """Tokens of ``head``'s subtree outside the cue's subtree (content that precedes a parenthetical cue). A
    quotation before the cue clause's first word (``first``) that the parser hung under the cue ('…, or through
    “other available means,” Peskov was quoted as saying') is content, as it is after 'said'."""
    skip = {t.i for t in cue.subtree}
    if first is not None:
        marked = marked_text(cue.doc)
        stolen = [t for t in cue.subtree if t.i < first]
        words = any(t.is_alpha or t.like_num for t in stolen)  # never only the comma and mark before the clause
        if words and any(c in ALL_MARKS for t in stolen for c in marked[t.idx : t.idx + len(t.text)]):
            skip -= {t.i for t in stolen}
    return [t for t in head.subtree if t.i not in skip and t.sent == cue.sent]


# ---------------------------------------------------------------- candidate generation
def _tokens_with(doc: Doc, lemmas: set[str] | frozenset[str], lower: tuple[str, ...] = ()) -> list[Token]:
    """Tokens whose lemma is in ``lemmas`` (or whose lower form is in ``lower``), found on the Doc's arrays
    instead of creating a Python Token for every word."""
    if not len(doc):
        return []
    arr = doc.to_array([LEMMA, LOWER])
    hit = np.isin(arr[:, 0], string_ids(frozenset(lemmas), capitalized=True))
    if lower:
        hit |= np.isin(arr[:, 1], string_ids(frozenset(lower), capitalized=False))
    return [doc[int(i)] for i in np.flatnonzero(hit)]


def cue_candidates(doc: Doc, lemmas: frozenset[str] | None = None) -> list[Candidate]:
    """Attributions around reporting verbs (``lemmas``: the lexicon and what training added) and 'according to'."""
    lemmas = cue_verbs() if lemmas is None else lemmas
    out: list[Candidate] = []
    for tok in _tokens_with(doc, lemmas, lower=("according",)):
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            out.extend(_according(doc, tok))
            continue
        if tok.pos_ not in ("VERB", "AUX") or lemma not in lemmas:
            continue
        saying = quoted_as_saying(tok)
        if saying is not None:
            lemma = "say"  # one construction, one cue verb: the keep decision knows 'say' best
        subj = subject_of(tok)
        content_toks: list[Token] = []
        kind = ""
        prep = ""
        comps = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp") and c.i != tok.i]
        # 'vowed to expand …', 'claim to find …': a subjectless infinitive is an intention or a plan more often
        # than speech; it is proposed as its own kind, so the keep model learns which verbs report with it
        plans = [
            c
            for c in comps
            if c.dep_ == "xcomp"
            and c.i > tok.i
            and c.pos_ == "VERB"
            and lemma != "say"
            and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        ]
        comps = [c for c in comps if c not in plans]
        lead = [c for c in comps if c.i < tok.i]
        trail = [c for c in comps if c.i > tok.i]
        if subj is None and lead and trail:
            # '“…,” said Robin Maynard, half joking': the parser hung the inverted subject under a second clause
            names = [t for t in trail[0].subtree if t.dep_ == "nsubj" and t.pos_ in ("PROPN", "NOUN")]
            if names and names[0].left_edge.i == tok.i + 1:
                subj, comps = names[0], lead
        if comps:
            content_toks = [t for c in comps for t in c.subtree]
            # 'said he would order a review and warned against hackers' / '…, arguing that …': a reporting
            # verb coordinated inside the clause starts another attribution, not more of this content
            cut = {
                g.i
                for t in content_toks
                if t.dep_ in ("conj", "advcl") and t.pos_ == "VERB" and t.lemma_.lower() in lemmas and t.i > tok.i
                for g in t.subtree
            }
            cut |= {t.i for t in content_toks if t.dep_ in ("cc", "punct") and t.i + 1 in cut}
            content_toks = [t for t in content_toks if t.i not in cut] or content_toks
            kind = "ccomp"
        elif _parenthetical(tok, subj, lemmas):
            first = _clause_start(tok, subj) if tok.head.i < tok.i else None
            content_toks = _content_tokens_from_head(tok, tok.head, first)
            # '<clause>, X was quoted as saying': the parser hangs the passive on the clause it reports, which
            # is the complement of 'saying' as in '<clause>, X said'
            kind = "ccomp" if saying is not None else "head"
        elif plans:
            content_toks = [t for c in plans for t in c.subtree]
            if lemma in FOR_VERBS:  # 'called on [Congress] to act': who is called on belongs to what is asked
                content_toks += [t for c in _on_phrases(tok) for t in c.subtree if t.i != c.i]
            kind = "xcomp"
        if saying is not None and not content_toks:
            continue  # the rest of 'was quoted as saying' reads no object or sentence of its own
        for_phrase = _for_phrases(tok) if lemma in FOR_VERBS else []
        if content_toks:
            pass
        elif for_phrase and not any(c.dep_ == "dobj" for c in tok.children):  # 'called for a moratorium'
            content_toks = [t for c, word in for_phrase for t in c.subtree if t.i != word.i]
            kind = "dobj"
        elif lemma not in ADDRESSEE_VERBS:
            # a nominative pronoun is never an object ('…, said he' parsed as said -dobj-> he): a parse error
            objs = [c for c in tok.children if c.dep_ in ("dobj", "oprd") and c.lower_ not in NOMINATIVE]
            if objs:
                content_toks = [t for c in objs for t in c.subtree]
                content_toks += [t for c in tok.children if c.dep_ in ("oprd", "acomp") for t in c.subtree]
                # "accused X of Y": keep the 'of' phrase
                content_toks += [
                    t for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "as", "for") for t in c.subtree
                ]
                kind = "dobj"
        if not content_toks and not _frames(tok, lemmas):
            # 'talked about the economy', 'responded to the attack', 'warned against …': the object of the
            # preposition is what was said (never a date: 'spoke on Tuesday'); the keep decision learns which verb
            # and preposition report
            preps = [
                c
                for c in tok.children
                if c.dep_ == "prep"
                and c.i > tok.i
                and c.lower_ in CONTENT_PREPS
                and any(g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in ("DATE", "TIME") for g in c.children)
            ]
            if preps:
                content_toks = [t for t in preps[0].subtree if t.i != preps[0].i]
                kind, prep = "prep", preps[0].lower_
        if not content_toks and subj is not None:
            # recall first: the rest of the sentence on the far side of the verb from its subject; the learned
            # keep and extent decisions judge it
            sent = tok.sent
            span_toks = (
                sent[tok.i + 1 - sent.start :] if subj.i < tok.i else sent[: max(0, subj.left_edge.i - sent.start)]
            )
            content_toks = [t for t in span_toks if not t.is_space]
            kind = "fallback"
        if not content_toks:
            continue
        exclude = {tok.i} | ({t.i for t in mention_span(subj)} if subj is not None else set())
        exclude |= {c.i for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < tok.i}
        segs = clean_content(doc, span_of_tokens(doc, sorted(content_toks, key=lambda t: t.i), exclude))
        if not segs:
            continue
        cue = cue_phrase(tok)
        speaker = mention_span(subj) if subj is not None else None
        out.append(
            Candidate(
                content=segs,
                kind=kind,
                cue=(cue.start_char, cue.end_char),
                cue_lemma=lemma,
                speaker=(speaker.start_char, speaker.end_char) if speaker is not None else None,
                speaker_token=subj.i if subj is not None else None,
                prep=prep,
            )
        )
    return out


def _for_phrases(verb: Token) -> list[tuple[Token, Token]]:
    """What a verb calls or argues for, with its 'for': a phrase ('called [for] a moratorium') or a clause whose
    subject the 'for' introduces ('calling [for] Emanuel to resign', parsed as an adverbial clause)."""
    out = [(c, c) for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"]
    clauses = (c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i)
    out += [(c, m) for c in clauses for m in c.lefts if m.dep_ == "mark" and m.lower_ == "for"]
    return out


def _on_phrases(verb: Token) -> list[Token]:
    """The 'on' or 'upon' phrases of a verb that name whom it calls on."""
    return [
        c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "upon") and c.i > verb.i and c.n_rights
    ]


NOUN_CUES = {
    "claim", "statement", "assertion", "warning", "promise", "suggestion", "argument", "remark", "comment",
    "insistence", "admission", "denial", "accusation", "allegation", "announcement", "pledge", "vow",
    "assurance", "contention", "charge", "prediction", "threat", "declaration", "boast", "complaint",
}  # fmt: skip


def noun_candidates(doc: Doc, lemmas: frozenset[str] | None = None) -> list[Candidate]:
    """'Trump's claim that there have been “thousands of shootings”': a reporting noun with a that-clause,
    its possessor the speaker. Recall first: a reporting noun (or a cue verb used as a noun: 'calls for …',
    'remarks about …', 'promises to …') with an 'about/of/for/on' phrase or an infinitive is proposed too, its
    kind naming the construction, and the keep model learns which of them report speech."""
    out = []
    cues = NOUN_CUES | (cue_verbs() if lemmas is None else lemmas)
    for tok in _tokens_with(doc, cues):
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or lemma not in cues:
            continue
        clauses = [c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > tok.i]
        that = [c for c in clauses if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None:
            by = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i > tok.i]
            owner = next((g for c in by for g in c.children if g.dep_ == "pobj"), None)
        if owner is not None and owner.pos_ not in ("PROPN", "PRON", "NOUN"):
            owner = None
        if that:
            toks, kind = [t for c in that for t in c.subtree], "noun"
        else:
            infinitive = [
                c for c in clauses if c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            ]
            about = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("about", "of", "for", "on")]
            about = [c for c in about if c.i == tok.i + 1]
            if infinitive:
                toks, kind = [t for c in infinitive for t in c.subtree], "noun_to"
            elif about:
                toks, kind = [t for c in about for t in c.subtree if t.i != c.i], "noun_prep"
            else:
                continue
        if kind == "noun" and owner is None:
            continue
        segs = clean_content(doc, span_of_tokens(doc, toks, set()))
        if not segs:
            continue
        speaker = None
        if owner is not None:
            spk = mention_span(owner)
            spk_e = spk.end_char - (2 if text_of(doc)[spk.end_char - 2 : spk.end_char] in ("'s", "’s") else 0)
            speaker = (spk.start_char, spk_e)
        out.append(
            Candidate(
                content=segs,
                kind=kind,
                cue=(tok.idx, tok.idx + len(tok.text)),
                cue_lemma=lemma,
                speaker=speaker,
                speaker_token=owner.i if owner is not None else None,
            )
        )
    return out


def _frames(tok: Token, lemmas: frozenset[str]) -> bool:
    """Whether a reporting verb only frames another report (guidelines H4): 'responds to the US idea, saying …',
    'Commenting on the proposal, Peskov said …'. Its prepositional object is then the topic, not what was said."""
    if tok.dep_ == "advcl" and tok.head.lemma_.lower() in lemmas:
        return True
    return any(c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() in lemmas for c in tok.children)


def _parenthetical(tok: Token, subj: Token | None, lemmas: frozenset[str]) -> bool:
    """'<content>, X said' / '<content>," said X': the cue clause follows its content after a comma or mark;
    not when that content is itself headed by a cue verb of the lexicon in use (the learned verbs included). A cue
    clause opened by 'as' is one too, before its content ('As X reported, <content>') or after it."""
    if tok.dep_ not in ("parataxis", "ccomp", "advcl", "conj") or subj is None:
        return False
    # 'As X reported, <content>', '<content>, as X said': the clause opens with 'as'
    as_mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if tok.head.i > tok.i:  # mid-sentence: 'This campaign, he says, is different' (commas on both sides)
        lo = min(mention_span(subj).start, tok.i)
        hi = max(t.i for t in tok.subtree if t.i >= tok.i and not t.is_punct)  # its own trailing comma aside
        doc = tok.doc
        owned = tok.i in (subj.head.i, subj.head.head.i)
        if as_mark is not None and as_mark.i < lo:  # 'As X said,' may open the sentence
            lo = as_mark.i
            opens = lo == tok.sent.start or doc[lo - 1].text == ","
            return opens and hi + 1 < len(doc) and doc[hi + 1].text == "," and owned and hi - lo <= 12
        commas = lo > 0 and hi + 1 < len(doc) and doc[lo - 1].text == "," and doc[hi + 1].text == ","
        return commas and owned and hi - lo <= 8
    if tok.i not in (subj.head.i, subj.head.head.i):  # spaCy makes a new Token object on every access
        return False
    if tok.head.lemma_.lower() in lemmas and quoted_as_saying(tok) is None:  # 'quoted as saying' always reports
        return False
    first = _clause_start(tok, subj)
    if as_mark is not None and as_mark.i == first - 1:
        first -= 1
    prev = tok.doc[first - 1] if first > 0 else None
    return prev is not None and (prev.is_punct or prev.text in ALL_MARKS)


def _clause_start(tok: Token, subj: Token) -> int:
    """The first token of a cue clause: its subject's mention or the verb, with auxiliaries and adverbs before."""
    first = min(mention_span(subj).start, tok.i)
    while (
        first > 0
        and tok.doc[first - 1].dep_ in ("aux", "auxpass", "advmod", "neg")
        and tok.doc[first - 1].head.i == tok.i
    ):
        first -= 1
    return first


def cue_phrase(tok: Token) -> Span:
    """The verb with its auxiliaries and a following 'reporters'/'journalists' object: 'told reporters'."""
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.i < tok.i and c.i >= start - 3:
            start = min(start, c.i)
        if c.dep_ in ("dobj", "dative") and c.i == tok.i + 1 and c.lower_ in ("reporters", "journalists", "media"):
            end = c.i + 1
    saying = quoted_as_saying(tok)
    if saying is not None:
        quoted = saying.head.head
        if quoted.i + 1 < saying.head.i:  # 'TASS quoted Peskov as saying': the cue never spans its speaker
            return doc[saying.i : saying.i + 1]
        if quoted.i != tok.i:  # "was quoted as saying", found from either verb
            start = min(start, cue_phrase(quoted).start)
        end = max(end, saying.i + 1)
    return doc[start:end]


def _according(doc: Doc, tok: Token) -> list[Candidate]:
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return []
    src = mention_span(pobj)
    sent = tok.sent
    phrase = {t.i for t in tok.subtree} | {tok.i, to.i} | {t.i for t in pobj.subtree}
    toks = [t for t in sent if t.i not in phrase]
    # content is the clause on the side of the main verb: drop material before a leading 'according'
    segs = clean_content(doc, span_of_tokens(doc, toks, phrase))
    if not segs:
        return []
    # keep the longest contiguous segment (the main clause), not e.g. a trailing relative clause
    seg = max(segs, key=lambda x: x[1] - x[0])
    return [
        Candidate(
            content=[seg],
            kind="according",
            cue=(tok.idx, to.idx + len(to.text)),
            cue_lemma="according_to",
            speaker=(src.start_char, src.end_char),
            speaker_token=pobj.i,
        )
    ]


def headline_candidates(doc: Doc, title_end: int | None) -> list[Candidate]:
    """'Speaker: claim' and 'claim – Speaker' in the first paragraph when it is a headline."""
    text = text_of(doc)
    end = text.find("\n")
    end = len(text) if end < 0 else end
    if title_end is not None:
        end = title_end
    line = text[:end].rstrip()
    if line.endswith(".") and not line.endswith(".."):  # some corpora end every title with a period
        line = line[:-1]
    if not line or line.endswith(("?", "!", ".")) or len(line) > 300:
        return []
    out = []
    m = re.match(r"^([A-Z][\w'’.\- ]{1,60}?):\s+(.+)$", line)
    if m and len(m.group(1).split()) <= 6:
        out.append(
            Candidate(
                content=[(m.start(2), m.end(2))],
                kind="headline",
                cue=(m.end(1), m.end(1) + 1),
                cue_lemma="headline_colon",
                speaker=(m.start(1), m.end(1)),
            )
        )
    m = re.match(r"^(.+?)\s+[–—-]\s+([A-Z][\w'’.\- ]{1,60})$", line)
    if m and len(m.group(2).split()) <= 6:
        dash = m.end(1) + line[m.end(1) :].index(line[m.end(1) :].strip()[0])
        out.append(
            Candidate(
                content=[(m.start(1), m.end(1))],
                kind="headline",
                cue=(dash, dash + 1),
                cue_lemma="headline_dash",
                speaker=(m.start(2), m.end(2)),
            )
        )
    return out


# 'PENCE: Well, look, …' — a speaker's name in capitals opening a paragraph of a transcript or interview
_TRANSCRIPT = re.compile(r"^[ \t]*[\"“]?([A-Z](?:[A-Z.'’\- ]{0,38}[A-Z.])?)[ \t]*:[ \t]+(\S.*?)[ \t]*$", re.M)
_INTERVIEW_TURNS = {"Q", "A"}  # 'Q: …' / 'A: …', the question and answer turns of a printed interview
_NOT_SPEAKERS = {
    "UPDATE",
    "BREAKING",
    "WATCH",
    "READ",
    "READ MORE",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "NOTE",
    "PHOTO",
    "PHOTOS",
    "VIDEO",
    "CORRECTION",
    "RELATED",
    "ADVERTISEMENT",
    "SOURCE",
    "SOURCES",
    "CLAIM",
    "FACT",
    "FACT CHECK",
    "VERDICT",
    "TOPICS",
    "TAGS",
    "SEE ALSO",
    "ALSO",
    "PS",
    "P.S.",
    "LIVE",
    "EXCLUSIVE",
}


def transcript_candidates(doc: Doc) -> list[Candidate]:
    """Turns of a transcript: the capitalised name is the speaker, the colon the cue, the rest the content."""
    text = marked_text(doc)  # '' and `` as one mark
    out = []
    for m in _TRANSCRIPT.finditer(text):
        name = m.group(1).strip()
        short = sum(c.isalpha() for c in name) < 2 and name not in _INTERVIEW_TURNS
        if short or name.rstrip(".") in _NOT_SPEAKERS or len(name.split()) > 4:
            continue
        s, e = trim(text, m.start(2), m.end(2))
        marks = [i for i in range(s, e) if text[i] in ALL_MARKS]
        if len(marks) == 2 and marks == [s, e - 1]:  # the whole turn quoted: 'NAME: “…”'
            s, e = s + 1, e - 1
        elif text[e - 1] in '"”' and text.count(text[e - 1], s, e) % 2 == 1:
            e -= 1  # the closing mark of a transcript quoted paragraph by paragraph
        s, e = trim(text, s, e)
        if e > s and WORD.search(text[s:e]):
            colon = m.end(1) + text[m.end(1) : m.start(2)].index(":")
            out.append(
                Candidate(
                    content=[(s, e)],
                    kind="transcript",
                    label=DIRECT,
                    cue=(colon, colon + 1),
                    cue_lemma="transcript_colon",
                    speaker=(m.start(1), m.start(1) + len(name)),
                )
            )
    return out
