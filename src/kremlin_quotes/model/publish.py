"""Publish the trained pipeline to the Hugging Face Hub as a model repo: a dry run by default, ``--push`` to upload.

The card is built with ``huggingface_hub``'s ``ModelCard``/``ModelCardData``: library spaCy, license, datasets,
base model, and a ``model-index`` whose figures are read from the pipeline's ``metrics.json`` (what
``kremlin-quotes evaluate`` printed), never typed in. The body is the pipeline's own README (the model card that
``evaluate`` writes). The pipeline folder is uploaded as is, with that card as README.md, and tagged
``v<version>``. The release mechanics (tag checked first, one-line failures, never the token) are the dataset's.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import srsly
from huggingface_hub import EvalResult, ModelCard, ModelCardData

from ..core.errors import KQError
from ..core.hub import Plan, check_repo_id, push
from ..core.io import read_dir
from ..core.settings import DATASET_REPO_ID

MODEL_FILES = ["*/*", "*.json", "*.cfg", "*.md", "*.png", "*.whl"]  # a pipeline folder's files (never .gitattributes)
BENCH_SYSTEM = "learned, gold + PolNeAR"  # the shipped model's row in metrics.json's bench results
SEED_SYSTEM = "learned, gold + PolNeAR (LODO CV)"


def _row(rows: list[dict], prefix: str) -> dict | None:
    return next((r for r in rows if str(r.get("system", "")).startswith(prefix)), None)


def eval_results(metrics: dict) -> list[EvalResult]:
    """The evaluation figures of metrics.json as model-index entries."""
    out = []
    bench = _row(metrics.get("bench") or [], BENCH_SYSTEM)
    if bench:
        for key, name in (("speech_PRF", "speech F1"), ("speech_with_speaker_PRF", "speech-with-speaker F1"),
                          ("speech_exact_PRF", "speech exact F1")):  # fmt: skip
            if key in bench:
                out.append(_result("PolNeAR dev (84 unseen articles)", "polnear-dev", name, bench[key][2]))
        for key, name in (("direct_recall", "direct recall"), ("direct_precision", "direct precision"),
                          ("direct_speaker_acc_on_matched", "speaker accuracy, matched direct")):  # fmt: skip
            if key in bench:
                out.append(_result("PolNeAR dev (84 unseen articles)", "polnear-dev", name, bench[key]))
    seeds = _row(metrics.get("seeds") or [], SEED_SYSTEM)
    if seeds:
        lodo = "kremlin-quotes gold, leave-one-document-out"
        out.append(_result(lodo, "kremlin-quotes", "quote F1 (overlap)", seeds["quote_overlap"]["f"]))
        out.append(_result(lodo, "kremlin-quotes", "canonical speaker accuracy", seeds["canonical_speaker_acc"]))
    return out


def _result(dataset: str, dataset_type: str, metric: str, value: float) -> EvalResult:
    return EvalResult(
        task_type="token-classification",
        task_name="Quote attribution",
        dataset_type=dataset_type,
        dataset_name=dataset,
        metric_type=metric.lower().replace(" ", "_").replace(",", ""),
        metric_name=metric,
        metric_value=round(float(value), 4),
    )


def model_card(model_dir: Path, repo_id: str) -> ModelCard:
    """The Hub card of a trained pipeline folder (meta.json, metrics.json, README.md)."""
    meta_file, metrics_file = model_dir / "meta.json", model_dir / "metrics.json"
    for f in (meta_file, metrics_file):
        if not f.is_file():
            raise KQError(f"{f}: missing; run `kremlin-quotes train` and `kremlin-quotes evaluate` first")
    meta, metrics = srsly.read_json(meta_file), srsly.read_json(metrics_file)
    name = repo_id.split("/")[-1]
    data = ModelCardData(
        language=meta.get("lang", "en"),
        license=str(meta.get("license", "mit")).lower(),
        library_name="spacy",
        tags=["spacy", "quote-attribution", "news", "token-classification"],
        datasets=[DATASET_REPO_ID],
        base_model="spacy/en_core_web_sm",  # the base pipeline (3.8.0; installed here as its PyPI re-upload)
        model_name=name,
        eval_results=eval_results(metrics) or None,
    )
    body = (model_dir / "README.md").read_text(encoding="utf-8") if (model_dir / "README.md").exists() else ""
    if body.startswith("---"):  # the pipeline's own card carries a small YAML header: the Hub's replaces it
        body = body.split("---", 2)[2].lstrip("\n")
    sources = "\n".join(
        f"- {s.get('name')}" + (f": {s['citation']}" if s.get("citation") else "") for s in meta.get("sources", [])
    )
    body += f"\n\n## Sources\n\n{sources}\n" if sources else ""
    return ModelCard.from_template(data, template_str="---\n{{ card_data }}\n---\n{{ body }}", body=body)


def model_plan(model_dir: Path, repo_id: str, version: str, wheel: Path | None = None) -> tuple[Plan, ModelCard]:
    """What a push uploads: the pipeline folder with the Hub card as README.md, the wheel of ``kremlin-quotes
    package`` beside it, and the version tag."""
    check_repo_id(repo_id)
    card = model_card(model_dir, repo_id)
    files = {rel: len(data) for rel, data in read_dir(model_dir).items()}
    files["README.md"] = len(str(card).encode("utf-8"))
    if wheel is not None:
        files[wheel.name] = wheel.stat().st_size
    return Plan(model_dir, repo_id, f"v{version}", sorted(files.items())), card


def push_model(
    plan: Plan, card: ModelCard, wheel: Path | None = None, endpoint: str | None = None, private: bool = False,
    revision: str | None = None, create_pr: bool = False,
) -> str:  # fmt: skip
    """Upload a staged copy of the folder (README.md = the Hub card, the wheel beside the pipeline) as a model
    repo; returns the commit URL."""
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / plan.folder.name
        shutil.copytree(plan.folder, staged, ignore=shutil.ignore_patterns(".*"))
        (staged / "README.md").write_text(str(card), encoding="utf-8")
        if wheel is not None:
            shutil.copy(wheel, staged / wheel.name)
        staged_plan = Plan(staged, plan.repo_id, plan.tag, plan.files)
        return push(staged_plan, endpoint=endpoint, private=private, revision=revision, create_pr=create_pr,
                    repo_type="model", delete_patterns=MODEL_FILES)  # fmt: skip
