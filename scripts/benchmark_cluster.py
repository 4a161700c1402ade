"""Benchmark: predict's throughput on one machine, 1 process vs --n-process 2 vs a 2-worker dask LocalCluster.

    .venv/bin/python scripts/benchmark_cluster.py [--docs 600] [--shards 12]

The same input each way (the corpus texts repeated, as JSONL shards for the cluster); seconds include loading the
pipeline(s), since that is what a run costs. Prints docs/s, the speed-up of each over 1 process, and the cluster's
throughput over --n-process 2 (target: >= 0.8; the cluster's overhead on one machine).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import srsly
from wasabi import msg

import kremlin_quotes
from kremlin_quotes.core.documents import load_corpus
from kremlin_quotes.jobs.cluster import run
from kremlin_quotes.model.predict import predict_records

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout this script belongs to
TARGET = 0.8


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--shards", type=int, default=12)
    ap.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "kremlin_quotes")
    args = ap.parse_args()
    texts = [d["text"] for d in load_corpus(PROJECT_ROOT / "corpus")]
    recs = [{"id": f"d{i:05d}", "text": texts[i % len(texts)]} for i in range(args.docs)]
    rows = []
    for n_process in (1, 2):
        t0 = time.perf_counter()
        nlp = kremlin_quotes.load(args.model)
        n = sum(1 for _ in predict_records(nlp, recs, n_process=n_process, progress=False))
        rows.append((f"--n-process {n_process}", time.perf_counter() - t0, n))
    with tempfile.TemporaryDirectory() as tmp:
        size = -(-len(recs) // args.shards)
        for k in range(args.shards):
            srsly.write_jsonl(Path(tmp) / f"shard-{k:03d}.jsonl", recs[k * size : (k + 1) * size])
        t0 = time.perf_counter()
        summary = run(str(Path(tmp) / "shard-*.jsonl"), Path(tmp) / "out.jsonl", args.model, "local:2")
        rows.append(
            ("dask LocalCluster, 2 workers", time.perf_counter() - t0, sum(r.documents for r in summary.results))
        )
    base = rows[0][1]
    table = [(name, round(sec, 2), n, round(n / sec, 2), round(base / sec, 3)) for name, sec, n in rows]
    msg.table(table, header=("system", "seconds", "docs", "docs/s", "speed-up over 1 process"), divider=True)
    ratio = rows[1][1] / rows[2][1]
    (msg.good if ratio >= TARGET else msg.warn)(
        f"cluster throughput / --n-process 2 throughput: {ratio:.3f} (target >= {TARGET})"
    )


if __name__ == "__main__":
    main()
