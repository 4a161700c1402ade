"""Score PolNeAR's annotators against each other with the bench's own scorer (every ordered pair of annotators of the
articles annotated more than once), and the model, trained without those articles, against each of their annotators:
the human agreement the model's figures compare with. Needs $KQ_POLNEAR and $KQ_BENCH (only its scorer is read).

    KQ_POLNEAR=../shared/polnear KQ_BENCH=../shared/bench .venv/bin/python scripts/polnear_agreement.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kremlin_quotes.core.settings import polnear_and_bench
from kremlin_quotes.jobs.agreement import annotator_scores, model_scores
from kremlin_quotes.model.bench import bench_table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", type=Path, default=Path(__file__).resolve().parents[1] / "annotations")
    ap.add_argument("--no-model", action="store_true", help="Only the annotators (no training).")
    args = ap.parse_args()
    polnear, bench = polnear_and_bench()
    humans, articles, pairs = annotator_scores(polnear, bench)
    rows = [(f"annotator vs annotator ({pairs} ordered pairs, {articles} articles)", humans)]
    if not args.no_model:
        rows.append(
            (
                "model vs each annotator (trained without these articles)",
                model_scores(args.annotations, polnear, bench),
            )
        )
    print(bench_table(rows))


if __name__ == "__main__":
    main()
