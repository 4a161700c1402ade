"""Benchmark: throughput of the shipped pipeline vs the bare base pipeline vs textacy, peak memory, training time.

    .venv/bin/python scripts/benchmark.py [--docs 200] [--rounds 3]

Prints the figures measured side by side in this run: the speed ratio pipeline/base in docs/s
(target: >= 0.80) and the pipeline's peak RSS (target: <= 600 MB).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import spacy
from wasabi import msg

import kremlin_quotes
from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.documents import load_corpus
from kremlin_quotes.core.settings import base_model_name
from kremlin_quotes.model.benchmark import bench_texts, peak_memory, throughput
from kremlin_quotes.model.train import train

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout this script belongs to
TARGET = 0.80  # pipeline docs/s over base docs/s
RSS_TARGET_MB = 600


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200, help="documents per timing round (corpus texts repeated)")
    ap.add_argument("--rounds", type=int, default=3, help="timing rounds; each system's best round is kept")
    ap.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "kremlin_quotes")
    args = ap.parse_args()

    texts = bench_texts([d["text"] for d in load_corpus(PROJECT_ROOT / "corpus")], args.docs)
    base_name = base_model_name()
    pipeline, base = kremlin_quotes.load(args.model), spacy.load(base_name)
    msg.info(f"{len(texts)} docs, {sum(len(t.split()) for t in texts):,} words; base pipeline {base_name}")
    res = throughput(pipeline, base, texts, rounds=args.rounds)
    rows = [(k, r["seconds"], r["docs_per_s"], f"{r['words_per_s']:,}", r["failed_docs"]) for k, r in res.items()]
    msg.table(rows, header=("system", "seconds", "docs/s", "words/s", "failed docs"), divider=True)
    ratio = res["base pipeline"]["seconds"] / res["kremlin-quotes pipeline"]["seconds"]
    verdict = msg.good if ratio >= TARGET else msg.warn
    verdict(f"speed ratio pipeline/base (docs/s): {ratio:.3f} (target >= {TARGET:.2f})")

    with tempfile.TemporaryDirectory() as tmp:
        mem = peak_memory(args.model, base_name, texts, Path(tmp))
    msg.table([(k, v) for k, v in mem.items()], header=("system", "peak RSS (MB)"), divider=True)
    verdict = msg.good if mem["pipeline"] <= RSS_TARGET_MB else msg.warn
    verdict(
        f"pipeline peak RSS {mem['pipeline']:.1f} MB (target <= {RSS_TARGET_MB}); "
        f"ratio to base {mem['pipeline'] / mem['base']:.3f}"
    )

    tasks, entities, _ = load_valid(PROJECT_ROOT / "annotations")
    _, stats = train(tasks, entities)
    msg.info(
        f"training on the gold alone: {stats['seconds']} s, loading the base pipeline included "
        f"({stats['candidates']} candidates from {stats['documents']} documents)"
    )


if __name__ == "__main__":
    main()
