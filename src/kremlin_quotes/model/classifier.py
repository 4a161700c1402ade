"""Features of a candidate attribution and a logistic-regression scorer stored as plain JSON.

Features are general: the construction that found the candidate, the cue lemma, the kind of
speaker mention (entity type, pronoun, noun), lengths and positions; never names from the corpus.
The weights are saved as JSON (no pickle), so any scikit-learn version can load them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .candidates import ALL_MARKS, PRONOUNS, Candidate, ents_in, text_of


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
    text = text_of(doc)
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
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is not None and len(span):
        feats["has_verb"] = float(any(t.pos_ in ("VERB", "AUX") for t in span))
        feats["has_subject"] = float(any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in span))
    return feats


@dataclass
class Scorer:
    """Logistic regression over sparse named features; ``weights`` maps feature name -> weight."""

    weights: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.5

    def score(self, feats: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict:
        return {"weights": dict(sorted(self.weights.items())), "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: dict) -> Scorer:
        return cls(weights=dict(data.get("weights", {})), threshold=float(data.get("threshold", 0.5)))


def fit(X: list[dict[str, float]], y: list[int], C: float = 0.3, seed: int = 0) -> Scorer:
    """Fit a logistic regression with scikit-learn and keep only its named weights."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:  # one class only: a constant scorer that keeps (or drops) everything
        return Scorer(weights={"bias": 4.0 if (y and y[0]) else -4.0})
    vec = DictVectorizer(sort=True, sparse=False)
    M = vec.fit_transform(X)
    # The intercept is fitted unpenalised (lbfgs): with few, mostly positive examples the prior belongs in
    # the intercept, while L2 keeps every lexical or syntactic weight small and so general.
    clf = LogisticRegression(C=C, max_iter=5000, random_state=seed, fit_intercept=True, solver="lbfgs")
    clf.fit(M, y)
    names = vec.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, clf.coef_[0], strict=True)}
    weights["bias"] = weights.get("bias", 0.0) + float(clf.intercept_[0])
    return Scorer(weights={n: round(w, 6) for n, w in weights.items() if round(w, 6)})
