"""Features of a candidate attribution, for the learned keep decision (``decide.py``).

Features are general: the construction that found the candidate, the cue lemma, the kind of
speaker mention (entity type, pronoun, noun), lengths and positions; never names from the corpus.
"""

from __future__ import annotations

import math

from spacy.tokens import Doc

from .candidates import ALL_MARKS, PRONOUNS, Candidate, ents_in
from .docarrays import marked_text


def speaker_kind(doc: Doc, cand: Candidate) -> str:
    if cand.speaker is None:
        return "none"
    span = doc.char_span(*cand.speaker, alignment_mode="expand")
    if span is None or not len(span):
        return "none"
    if span.text.lower() in PRONOUNS:
        return "pronoun"
    for ent in ents_in(span):
        return f"ent_{ent.label_}"
    root = span.root
    if root.pos_ == "PROPN":
        return "propn"
    return "noun_" + ("human" if root.lemma_.lower() in HUMAN_NOUNS else "other")


HUMAN_NOUNS = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "minister",
    "president",
    "leader",
    "source",
    "sources",
    "governor",
    "secretary",
    "aide",
    "adviser",
    "advisor",
    "analyst",
    "expert",
    "officials",
    "lawmaker",
    "senator",
    "campaign",
    "ministry",
    "authorities",
    "government",
    "agency",
    "report",
    "reports",
    "statement",
    "newspaper",
    "police",
    "military",
    "chief",
    "head",
    "director",
    "member",
    "people",
    "critics",
    "supporters",
    "diplomat",
    "ambassador",
    "prosecutor",
    "judge",
    "lawyer",
    "candidate",
}


def featurize(doc: Doc, cand: Candidate, title_end: int | None = None) -> dict[str, float]:
    text = marked_text(doc)  # quotation marks of every convention read as one kind (core.marks)
    content = " ".join(text[s:e] for s, e in cand.content)
    n_words = len(content.split())
    feats: dict[str, float] = {
        "bias": 1.0,
        f"kind={cand.kind}": 1.0,
        f"label={cand.label}": 1.0,
        f"cue={cand.cue_lemma}": 1.0,
        f"speaker={speaker_kind(doc, cand)}": 1.0,
        "log_words": math.log1p(n_words),
        "short": float(n_words <= 3),
        "has_cue": float(cand.cue is not None),
        "marks": float(any(c in content for c in ALL_MARKS)),
        "in_title": float(title_end is not None and cand.start < title_end),
        "content_before_cue": float(cand.cue is not None and cand.end <= cand.cue[0]),
        "segments": float(len(cand.content) - 1),
    }
    if cand.prep:  # 'talked about X' reports X far more often than 'said to X'
        feats[f"prep={cand.prep}"] = 1.0
        feats[f"cue={cand.cue_lemma}|prep={cand.prep}"] = 1.0
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is not None and len(span):
        feats["has_verb"] = float(any(t.pos_ in ("VERB", "AUX") for t in span))
        feats["has_subject"] = float(any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in span))
    return feats
