"""Training and evaluating the shipped model: the gold (annotation stage) and PolNeAR (its importer) go into
the model stage, and the figures come back into the model card, ``metrics.json`` and the README."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import srsly

from ..annotation.polnear import import_polnear
from ..annotation.validate import load_valid
from ..core.io import write_json, write_text
from ..core.stats import update_section

Say = Callable[[str], object]  # where progress lines go (print, or wasabi's msg.info)


def polnear_tasks(polnear: str | None, limit: int | None = None, say: Say = print) -> list[dict]:
    """PolNeAR's train split as tasks (empty when no folder is set)."""
    if not polnear:
        return []
    tasks, summary = import_polnear(polnear, limit=limit)
    say(f"PolNeAR: {summary.documents} articles, {summary.attributions} speech attributions kept")
    return tasks


def trained_with_polnear(model: Path) -> bool:
    """Whether the model folder holds a model trained with PolNeAR (a gold-only retrain would be weaker)."""
    try:
        data = srsly.read_json(model / "quote_attributor" / "model.json")
        return int(data.get("trained_on", {}).get("polnear_documents", 0)) > 0
    except (OSError, ValueError, AttributeError, TypeError):
        return False


@dataclass
class Trained:
    kept: bool  # True: the shipped model was kept (no PolNeAR, and it was trained with PolNeAR)
    stats: dict[str, Any] = field(default_factory=dict)


def train_project(
    annotations: Path,
    out: Path,
    base_model: str | None = None,
    polnear: str | None = None,
    polnear_limit: int | None = None,
    allow_gold_only: bool = False,
    n_process: int = 2,
    say: Say = print,
) -> Trained:
    """Train on the validated gold (and PolNeAR when given) and save; never replace a PolNeAR-trained model with
    a gold-only one unless asked."""
    from ..model.train import save, train

    tasks, entities, _ = load_valid(annotations)
    extra = polnear_tasks(polnear, polnear_limit, say)
    if not extra and not allow_gold_only and trained_with_polnear(out):
        return Trained(kept=True)
    nlp, stats = train(tasks, entities, base=base_model, extra=extra, progress=True, n_process=n_process)
    save(nlp, out)
    return Trained(kept=False, stats=stats)


@dataclass
class Evaluated:
    report: Any  # model.evaluate.Report
    seeds_table: str
    bench_table: str | None
    written: bool  # False: PolNeAR or the bench was missing, the card and tables were kept


def evaluate_project(
    annotations: Path,
    model: Path,
    readme: Path,
    polnear: str | None,
    bench: str | None,
    say: Say = print,
) -> Evaluated:
    """Score the model (seed LODO, the dev bench); write the card, ``metrics.json`` and the README tables unless a
    source the card describes is missing."""
    from .. import load
    from ..model.bench import AGREEMENT_NOTE, Bench, bench_table
    from ..model.card import model_card
    from ..model.evaluate import evaluate, learning_curve_png, markdown_table

    tasks, entities, _ = load_valid(annotations)
    extra = polnear_tasks(polnear, say=say)
    dev = Bench(bench) if bench else None
    nlp = load(model)
    report = evaluate(nlp, tasks, entities, polnear=extra, bench=dev)
    if polnear and bench:
        from .agreement import annotator_scores

        result, articles, pairs = annotator_scores(polnear, bench)
        if pairs:
            report.agreement = (f"PolNeAR annotators vs each other ({pairs} pairs, {articles} train articles)", result)
    table = markdown_table(report.seeds)
    dev_table = bench_table(report.bench) if report.bench else None
    if not (extra and dev) and trained_with_polnear(model):
        # the card describes a model trained with PolNeAR: figures without it or the bench would lose rows
        return Evaluated(report, table, dev_table, written=False)
    if report.curve:
        learning_curve_png(report.curve, model / "learning_curve.png")
    metrics = {
        "seeds": report.seeds,
        "bench": [{"system": n, **r} for n, r in report.bench],
        "learning_curve": report.curve,
        "rejected": {k: list(v) for k, v in report.rejected.items()},
        "annotator_agreement": {"system": report.agreement[0], **report.agreement[1]} if report.agreement else None,
    }
    write_json(model / "metrics.json", metrics)
    write_text(model / "README.md", model_card(nlp, report, len(tasks)))
    section = table
    if dev_table:
        section += "\n\nOn PolNeAR dev (84 unseen articles, the bench's own scorer):\n\n" + dev_table
    if report.agreement:
        section += f"\n\n{AGREEMENT_NOTE}\n\n" + bench_table([report.agreement])
    update_section(readme, section, "metrics")
    return Evaluated(report, table, dev_table, written=True)
