"""Train the quote attributor on gold tasks and save a loadable spaCy pipeline."""

from __future__ import annotations

import re
import time
from pathlib import Path

import spacy
from spacy.language import Language

from .. import __version__
from ..labels import QUOTE_LABELS
from ..settings import SEED, base_model_name
from .classifier import fit
from .component import QuoteAttributor

_WORD = re.compile(r"\w+")


def build_pipeline(base: str | None = None) -> Language:
    """The base pipeline with sentence starts at line breaks and an (untrained) quote attributor."""
    nlp = spacy.load(base or base_model_name())
    nlp.add_pipe("paragraph_sentences", before="parser")
    nlp.add_pipe("quote_attributor", last=True)
    nlp.meta["name"] = "kremlin_quotes"
    nlp.meta["version"] = __version__
    nlp.meta["description"] = "Quote attribution for English news: quotes, cues, speakers (kremlin-quotes)."
    nlp.meta["license"] = "MIT"
    return nlp


def word_positions(text: str, segments: list[tuple[int, int]]) -> set[int]:
    return {m.start() for s, e in segments for m in _WORD.finditer(text, s, e)}


def overlap_match(a: set[int], b: set[int]) -> bool:
    """The bench's matching rule: the two share at least half the word tokens of each."""
    ov = len(a & b)
    return bool(ov) and ov >= 0.5 * len(a) and ov >= 0.5 * len(b)


def gold_quotes(task: dict) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for s in task["spans"] if s["label"] in QUOTE_LABELS]


def training_examples(nlp: Language, tasks: list[dict]) -> tuple[list[dict], list[int]]:
    """Features and labels of every candidate: 1 when it matches a gold quote (bench's overlap rule)."""
    comp: QuoteAttributor = nlp.get_pipe("quote_attributor")
    X, y = [], []
    with nlp.select_pipes(disable=["quote_attributor"]):
        docs = list(nlp.pipe(t["text"] for t in tasks))
    for task, doc in zip(tasks, docs, strict=True):
        gold = [word_positions(task["text"], [q]) for q in gold_quotes(task)]
        for cand, feats in comp.candidates(doc):
            pos = word_positions(doc.text, cand.content)
            X.append(feats)
            y.append(int(any(overlap_match(pos, g) for g in gold)))
    return X, y


def train(
    tasks: list[dict], entities: dict[str, dict] | None = None, base: str | None = None, nlp: Language | None = None
) -> tuple[Language, dict]:
    """Fit the attributor's scorer on ``tasks``; returns the pipeline and training statistics."""
    from .resolve import entity_index

    t0 = time.perf_counter()
    nlp = nlp or build_pipeline(base)
    X, y = training_examples(nlp, tasks)
    comp: QuoteAttributor = nlp.get_pipe("quote_attributor")
    threshold = comp.scorer.threshold
    comp.scorer = fit(X, y, seed=SEED)
    comp.scorer.threshold = threshold
    comp.entity_index = entity_index(entities or {})
    stats = {
        "documents": len(tasks),
        "candidates": len(y),
        "positive": sum(y),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    return nlp, stats


def save(nlp: Language, path: str | Path) -> None:
    """``nlp.to_disk`` into a temporary folder, then swap it in, so a failed save leaves the old model."""
    import shutil

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    card = path / "README.md"
    if card.exists():
        shutil.copy(card, tmp / "README.md")
    if path.exists():
        shutil.rmtree(path)
    tmp.rename(path)
