"""Completeness aid: sentences that look like attributions but carry no quote annotation.

A hit is a sentence with a reporting verb, a quotation mark, "according to" or a headline
colon/dash and no quote span overlapping it. Each hit is decided by a person; the decisions
for the seed corpus are recorded in guidelines.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.labels import QUOTE_LABELS
from ..core.lexicon import cue_verbs

QUOTE_MARKS = re.compile('["“”«»„]')
HEADLINE_CUE = re.compile(r"^[^.!?]{2,60}:\s|\s[–—-]\s[^.!?]{2,60}$")


IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
}


def lemma_candidates(word: str) -> set[str]:
    """Cheap lemma guesses for a word form (no model needed): said -> say, noting -> note, denies -> deny."""
    w = word.lower()
    out = {w, IRREGULAR.get(w, w)}
    for suffix, repl in (
        ("s", ""),
        ("es", ""),
        ("ies", "y"),
        ("ed", ""),
        ("d", ""),
        ("ied", "y"),
        ("ing", ""),
        ("ing", "e"),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            out.add(w[: -len(suffix)] + repl)
    return out


@dataclass(frozen=True)
class Hit:
    doc_id: str
    start: int
    end: int
    sentence: str
    reasons: tuple[str, ...]


def _sentencizer():
    import spacy

    from ..core import sentences  # noqa: F401  (registers "paragraph_sentences")

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("paragraph_sentences")  # a headline never runs into the first paragraph
    return nlp


def audit(tasks: Iterable[dict]) -> list[Hit]:
    """Every unannotated sentence with an attribution signal, in document order."""
    nlp = _sentencizer()
    lemmas = cue_verbs()
    hits: list[Hit] = []
    for task in tasks:
        doc = nlp(task["text"])
        spans = task.get("spans", [])
        quotes = [(s["start"], s["end"]) for s in spans if s["label"] in QUOTE_LABELS]
        covered = [(s["start"], s["end"]) for s in spans if s["label"] in (*QUOTE_LABELS, "CUE")]
        for sent in doc.sents:
            s, e = sent.start_char, sent.end_char
            if not sent.text.strip():
                continue
            verbs = [t for t in sent if t.is_alpha and lemma_candidates(t.text) & lemmas]
            if any(qs < e and s < qe for qs, qe in quotes):
                # Annotated sentence: still report reporting verbs that no quote or cue covers (nested speech).
                loose = [t.text for t in verbs if not any(cs <= t.idx < ce for cs, ce in covered)]
                if loose:
                    hits.append(
                        Hit(
                            task["meta"]["id"],
                            s,
                            e,
                            sent.text.strip(),
                            tuple(f"uncovered reporting verb {w!r}" for w in loose),
                        )
                    )
                continue
            reasons = []
            if verbs:
                reasons.append("reporting verb " + ", ".join(repr(t.text) for t in verbs))
            if QUOTE_MARKS.search(sent.text):
                reasons.append("quotation mark")
            if "according to" in sent.text.lower():
                reasons.append("according to")
            if sent.start == 0 and HEADLINE_CUE.search(sent.text.split("\n")[0]):
                reasons.append("headline colon/dash")
            if reasons:
                hits.append(Hit(task["meta"]["id"], s, e, sent.text.strip(), tuple(reasons)))
    return hits
