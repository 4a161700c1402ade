"""The ``quote_attributor`` spaCy component: candidates -> learned scores -> quotes, cues and speakers.

Output on each Doc:
- ``doc.spans["quotes"]`` (labels DIRECT_QUOTE / INDIRECT_QUOTE / MIXED_QUOTE), ``doc.spans["speakers"]``
  and ``doc.spans["cues"]``, ready for displaCy's span style;
- ``doc._.attributions``: one dict a quote with character offsets (``content`` segments, ``speaker``,
  ``cue``), its ``label``, ``canonical`` speaker name, registry ``entity`` id and ``score``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from ..labels import UNKNOWN_ENTITY
from . import sentences  # noqa: F401  (registers "paragraph_sentences")
from .candidates import Candidate, generate, text_of
from .classifier import Scorer, featurize
from .resolve import canonical_names

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)

MODEL_FILE = "model.json"


def title_end_of(text: str) -> int | None:
    """End of the first paragraph when it reads as a headline (no final punctuation, short)."""
    from ..clean import looks_like_headline

    end = text.find("\n")
    if end <= 0:
        return None
    return end if looks_like_headline(text[:end].strip()) else None


@Language.factory(
    "quote_attributor",
    default_config={"threshold": 0.5},
    requires=["token.dep", "token.lemma", "token.pos", "doc.ents"],
    assigns=["doc.spans", "doc._.attributions"],
)
def make_quote_attributor(nlp: Language, name: str, threshold: float) -> QuoteAttributor:
    return QuoteAttributor(nlp, name, threshold=threshold)


class QuoteAttributor:
    """Finds quotes, their cues and speakers; the keep/drop decision is a learned logistic regression."""

    def __init__(self, nlp: Language, name: str = "quote_attributor", threshold: float = 0.5) -> None:
        self.name = name
        self.scorer = Scorer(weights={"bias": 4.0}, threshold=threshold)
        self.entity_index: dict[str, str] = {}

    # -- prediction
    def candidates(self, doc: Doc) -> list[tuple[Candidate, dict[str, float]]]:
        title_end = title_end_of(text_of(doc))
        return [(c, featurize(doc, c, title_end)) for c in generate(doc, title_end)]

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for cand, feats in self.candidates(doc):
            cand.score = self.scorer.score(feats)
            if cand.score >= self.scorer.threshold and cand.speaker is not None:
                kept.append(cand)
        names = canonical_names(doc, kept)
        attributions, quotes, speakers, cues = [], [], [], []
        for cand, canon in zip(kept, names, strict=True):
            q_spans = [doc.char_span(s, e, label=cand.label, alignment_mode="expand") for s, e in cand.content]
            spk = doc.char_span(*cand.speaker, label="SPEAKER", alignment_mode="expand")
            cue = doc.char_span(*cand.cue, label="CUE", alignment_mode="expand") if cand.cue else None
            if spk is None or any(q is None for q in q_spans):
                continue
            quotes += q_spans
            speakers.append(spk)
            if cue is not None:
                cues.append(cue)
            mention = text_of(doc)[cand.speaker[0] : cand.speaker[1]].lower()
            entity = self.entity_index.get((canon or "").lower()) or self.entity_index.get(mention, UNKNOWN_ENTITY)
            attributions.append(
                {
                    "content": [[q.start_char, q.end_char] for q in q_spans],
                    "label": cand.label,
                    "speaker": [spk.start_char, spk.end_char],
                    "cue": [cue.start_char, cue.end_char] if cue is not None else None,
                    "canonical": canon,
                    "entity": entity,
                    "score": round(cand.score, 4),
                }
            )
        doc.spans["quotes"] = quotes
        doc.spans["speakers"] = speakers
        doc.spans["cues"] = cues
        doc._.attributions = attributions
        return doc

    # -- serialization
    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / MODEL_FILE, {"scorer": self.scorer.to_dict(), "entities": self.entity_index})

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> QuoteAttributor:
        data = srsly.read_json(ensure_path(path) / MODEL_FILE)
        self.scorer = Scorer.from_dict(data["scorer"])
        self.entity_index = dict(data.get("entities", {}))
        return self
