"""Scoring on the external bench (PolNeAR dev, ``$KQ_BENCH``) with the bench's own converter and scorer.

The bench is read from its folder and only ever scored: nothing from it is trained on or copied.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import srsly

from ..core.errors import KQError
from .predict import to_task

DEV_FILE = "polnear_dev.jsonl"
MEASURES = [
    ("speech F1", lambda r: r["speech_PRF"][2]),
    ("speech P", lambda r: r["speech_PRF"][0]),
    ("speech R", lambda r: r["speech_PRF"][1]),
    ("speech-with-speaker F1", lambda r: r["speech_with_speaker_PRF"][2]),
    ("direct R", lambda r: r["direct_recall"]),
    ("direct P", lambda r: r["direct_precision"]),
    ("speaker acc. (matched direct)", lambda r: r["direct_speaker_acc_on_matched"]),
    ("speech exact F1", lambda r: r["speech_exact_PRF"][2]),
    ("boundary agreement", lambda r: r["boundary_acc_on_matched"]),
    ("all-attribution F1", lambda r: r["all_PRF"][2]),
]

AGREEMENT_NOTE = (
    "For scale, PolNeAR's own annotators scored against each other by the same scorer (train articles annotated "
    "several times; every ordered pair of annotators as gold and prediction; not dev). An annotator's beliefs and "
    "intentions count as predictions, so their speech precision is low by design:"
)


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None or not path.exists():
        raise KQError(f"{path}: not found (is $KQ_BENCH the bench folder?)")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_scorer(folder: str | Path) -> ModuleType:
    """The bench's own scorer, ``quotebench.py`` of ``folder`` (its ``load`` and ``score``)."""
    return _module(Path(folder) / "quotebench.py")


class Bench:
    """Documents in the bench's format with the bench's scorer (``quotebench.py``) and converter
    (``prodigy_to_bench.py``): the dev split by default, or ``docs`` (held-out PolNeAR train articles, an
    annotator's version of an article) scored the very same way."""

    def __init__(self, folder: str | Path, docs: list[dict] | None = None) -> None:
        folder = Path(folder)
        path = folder / DEV_FILE
        if docs is None and not path.exists():
            raise KQError(f"{path}: bench file not found")
        self.scorer = load_scorer(folder)
        self.converter = _module(folder / "prodigy_to_bench.py")
        self.docs = list(srsly.read_jsonl(path)) if docs is None else docs
        self.gold = {d["doc_id"]: d for d in self.docs}  # what quotebench.load gives, read once

    def score(self, attributions: list[list[dict]]) -> dict:
        """The bench's figures for one attribution list per document (in ``docs`` order)."""
        pred = {d["doc_id"]: prediction(self.converter, d, a) for d, a in zip(self.docs, attributions, strict=True)}
        return self.scorer.score(self.gold, pred)

    def score_each(self, attributions: list[list[dict]]) -> list[dict]:
        """The bench's figures for each document alone (in ``docs`` order): what a bootstrap over documents sums."""
        return [
            self.scorer.score({d["doc_id"]: d}, {d["doc_id"]: prediction(self.converter, d, a)})
            for d, a in zip(self.docs, attributions, strict=True)
        ]


def prediction(converter: ModuleType, doc: dict, attributions: list[dict]) -> dict:
    """One document's attributions as the bench's scorer reads a prediction, through the bench's own converter."""
    task = to_task(doc["text"], attributions, {"id": doc["doc_id"]})
    return {"doc_id": doc["doc_id"], "text": doc["text"], "quotes": converter.convert(task)}


def bench_table(rows: list[tuple[str, dict]]) -> str:
    head = ["system", *(m for m, _ in MEASURES), "failed docs"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for name, r in rows:
        lines.append(
            "| " + " | ".join([name, *(str(round(f(r), 4)) for _, f in MEASURES), str(r.get("failed", 0))]) + " |"
        )
    return "\n".join(lines)
