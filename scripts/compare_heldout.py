"""Whether two cross-validated variants differ by more than chance: the bench's measures with a target (speech F1,
speech-with-speaker F1, direct recall and precision, speaker accuracy on matched direct quotations, speech exact F1,
boundary agreement) of each, the differences and their 95% intervals from a paired bootstrap over the PolNeAR train
articles (1,000 resamples, seed 0). A and B are prediction
files of `scripts/heldout_polnear.py --folds 8 --predictions FILE` (pass `--british` if the runs were). Needs
$KQ_POLNEAR and $KQ_BENCH (only its scorer is read).

    KQ_POLNEAR=../shared/polnear KQ_BENCH=../shared/bench .venv/bin/python scripts/compare_heldout.py A.jsonl B.jsonl

A difference whose interval holds 0 is one the articles' sampling gives by itself; another keep seed
(`--set keep_seed=3`) shows what the fit's start gives.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kremlin_quotes.core.errors import KQError
from kremlin_quotes.core.settings import polnear_and_bench
from kremlin_quotes.jobs.compare import compare_runs
from kremlin_quotes.jobs.heldout import british


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="Predictions of the baseline.")
    ap.add_argument("b", type=Path, help="Predictions of the variant.")
    ap.add_argument("--threshold", type=float, help="The keep threshold to compare, where a file holds several.")
    ap.add_argument("--british", action="store_true", help="The runs predicted British-style copies.")
    ap.add_argument("--resamples", type=int, default=1000)
    args = ap.parse_args()
    polnear, bench = polnear_and_bench()
    try:
        r = compare_runs(
            polnear, bench, args.a, args.b, args.threshold, british if args.british else None, args.resamples
        )
    except KQError as e:
        raise SystemExit(str(e)) from None
    print("| measure | A | B | B - A | 95% interval of B - A |")
    print("|---|---|---|---|---|")
    for name, m in r.items():
        print(f"| {name} | {m['A']} | {m['B']} | {m['B - A']} | {m['low']} to {m['high']} |")


if __name__ == "__main__":
    main()
