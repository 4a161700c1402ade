"""Train the quote attributor on the gold (and, when given, PolNeAR) and save a loadable spaCy pipeline."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from .. import __version__
from ..core.settings import base_model_name
from ..core.tokenizer import config_override
from .component import GoldQuote, QuoteAttributor, gold_from_task

POLNEAR_CITATION = (
    "Edward Newell, Drew Margolin and Derek Ruths. 2018. An Attribution Relations Corpus for Political News. "
    "In Proceedings of LREC 2018."
)


def build_pipeline(base: str | None = None, settings: dict[str, Any] | None = None) -> Language:
    """The base pipeline, with its tokenizer data in the run-safe tokenizer (``core.tokenizer``), sentence starts at
    line breaks and an (untrained) quote attributor; ``settings`` override the attributor's config (``keep_epochs``,
    ``threshold``, …), checked by its registered factory."""
    base = base or base_model_name()
    nlp = spacy.load(base, config=config_override())
    base_meta = {k: nlp.meta.get(k) for k in ("name", "version", "lang")}
    nlp.add_pipe("paragraph_sentences", before="parser")
    nlp.add_pipe("quote_attributor", last=True, config=dict(settings or {}))
    nlp.meta.update(
        {
            "name": "kremlin_quotes",
            "version": __version__,
            "description": "Quote attribution for English news: quotes, cues and speakers (kremlin-quotes).",
            "author": "kremlin-quotes contributors",
            "email": "",
            "url": "",
            "license": "MIT",
            "sources": [
                {"name": "kremlin-quotes gold (five seed articles)", "license": "CC BY 4.0 (annotations)"},
                {
                    "name": "PolNeAR v1.0.0 train split",
                    "url": "https://github.com/networkdynamics/PolNeAR",
                    "author": "Newell, Margolin & Ruths",
                    "citation": POLNEAR_CITATION,
                },
                {"name": f"{base_meta['lang']}_{base_meta['name']} {base_meta['version']} (base pipeline)"},
            ],
        }
    )
    for key in ("performance", "accuracy", "speed", "labels"):
        nlp.meta.pop(key, None)
    return nlp


def parse(nlp: Language, texts: list[str], desc: str, progress: bool = False, n_process: int = 1) -> list[Doc]:
    """The texts through every component before the attributor."""
    with nlp.select_pipes(disable=["quote_attributor"]):
        stream = nlp.pipe(texts, batch_size=16, n_process=n_process)
        return list(tqdm(stream, total=len(texts), desc=desc, unit="doc", disable=not progress))


def train(
    tasks: list[dict],
    entities: dict[str, dict] | None = None,
    base: str | None = None,
    nlp: Language | None = None,
    extra: list[dict] | None = None,
    progress: bool = False,
    n_process: int = 1,
) -> tuple[Language, dict]:
    """Fit the attributor's decisions on gold ``tasks`` (weighted ``gold_weight``) and ``extra`` tasks
    (e.g. imported PolNeAR, weight 1); returns the pipeline and training statistics."""
    from .resolve import entity_index

    t0 = time.perf_counter()
    nlp = nlp or build_pipeline(base)
    comp: QuoteAttributor = nlp.get_pipe("quote_attributor")
    extra = extra or []
    docs = parse(nlp, [t["text"] for t in tasks], "parse gold", progress)
    docs += parse(nlp, [t["text"] for t in extra], "parse PolNeAR", progress and bool(extra), n_process)
    weights = [comp.gold_weight] * len(tasks) + [1.0] * len(extra)
    golds: list[list[GoldQuote]] = [gold_from_task(t) for t in tasks + extra]
    stats = comp.fit(list(zip(docs, golds, weights, strict=True)), progress=progress)
    comp.entity_index = entity_index(entities or {})
    comp.trained_on = {"gold_documents": len(tasks), "polnear_documents": len(extra)}
    stats.update(
        {
            "documents": len(tasks),
            "polnear_documents": len(extra),
            "seconds": round(time.perf_counter() - t0, 2),
        }
    )
    return nlp, stats


def save(nlp: Language, path: str | Path) -> None:
    """``nlp.to_disk`` into a temporary folder, then swap it in, so a failed save leaves the old model."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    for keep in ("README.md", "learning_curve.png", "metrics.json"):  # rewritten by `evaluate`
        if (path / keep).exists():
            shutil.copy(path / keep, tmp / keep)
    old = path.with_name(path.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    if old.exists():
        shutil.rmtree(old)
