"""Score the attributor on a held-out eighth of PolNeAR train (trained on the gold and the other seven eighths),
with the bench's own scorer: the development measure that never touches dev. Needs $KQ_POLNEAR and $KQ_BENCH (only
its scorer is read). `--rules` scores the same candidates with every learned decision switched off.

    KQ_POLNEAR=../shared/polnear KQ_BENCH=../shared/bench .venv/bin/python scripts/heldout_polnear.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kremlin_quotes.core.settings import polnear_and_bench
from kremlin_quotes.jobs.heldout import run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", type=Path, default=Path(__file__).resolve().parents[1] / "annotations")
    ap.add_argument("--rules", action="store_true", help="No learned decision (the rules-only system).")
    args = ap.parse_args()
    polnear, bench = polnear_and_bench()
    scores = run(args.annotations, polnear, bench, learned=not args.rules)
    print("| " + " | ".join(scores) + " |")
    print("|" + "---|" * len(scores))
    print("| " + " | ".join(str(v) for v in scores.values()) + " |")


if __name__ == "__main__":
    main()
