"""Score the attributor on PolNeAR train articles it was not trained on, with the bench's own scorer: the
development measure that never touches dev. By default the held-out eighth (trained on the gold and the other seven
eighths); `--folds 8` cross-validates, so every train article is scored once by a model that did not see it. Needs
$KQ_POLNEAR and $KQ_BENCH (only its scorer is read). `--rules` switches every learned decision off; `--british`
(with `--folds`) predicts copies of the held-out articles with British quote marks (‘…’ quoting, “…” nested).
To compare a variant, `--set KEY=VALUE` overrides a setting of the attributor's config (the value read as JSON,
as spaCy reads config overrides), and `--threshold` (repeatable, with `--folds`) scores several keep thresholds
on the same fitted models, one row each. `--predictions FILE` (with `--folds`) keeps the held-out attributions
for `scripts/compare_heldout.py`, which says whether two variants differ by more than chance.

    KQ_POLNEAR=../shared/polnear KQ_BENCH=../shared/bench .venv/bin/python scripts/heldout_polnear.py --folds 8
    ... scripts/heldout_polnear.py --folds 8 --set keep_epochs=15 --threshold 0.34 --threshold 0.38
    ... scripts/heldout_polnear.py --folds 8 --predictions /tmp/variant.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kremlin_quotes.core.settings import polnear_and_bench
from kremlin_quotes.jobs.heldout import british, cross_validate, parse_settings, run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", type=Path, default=Path(__file__).resolve().parents[1] / "annotations")
    ap.add_argument("--rules", action="store_true", help="No learned decision (the rules-only system).")
    ap.add_argument("--folds", type=int, default=0, help="Cross-validate over this many folds (0: one eighth).")
    ap.add_argument("--british", action="store_true", help="With --folds: predict British-style copies of the texts.")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="Override an attributor setting.")
    ap.add_argument("--threshold", action="append", type=float, default=[], help="With --folds: a keep threshold.")
    ap.add_argument("--predictions", type=Path, help="With --folds: write the held-out attributions (JSONL).")
    args = ap.parse_args()
    if (args.british or args.threshold or args.predictions) and not args.folds:
        ap.error("--british, --threshold and --predictions need --folds")
    try:
        settings = parse_settings(args.set)
    except ValueError as e:
        ap.error(str(e))
    polnear, bench = polnear_and_bench()
    if args.folds:
        restyle = british if args.british else None
        rows = cross_validate(
            args.annotations, polnear, bench, folds=args.folds, learned=not args.rules, restyle=restyle,
            settings=settings, thresholds=args.threshold, predictions=args.predictions,
        )  # fmt: skip
    else:
        rows = {None: run(args.annotations, polnear, bench, learned=not args.rules, settings=settings)}
    names = list(next(iter(rows.values())))
    head = (["threshold"] if args.threshold else []) + names
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for cut, row in rows.items():
        print("| " + " | ".join(([str(cut)] if args.threshold else []) + [str(row[n]) for n in names]) + " |")


if __name__ == "__main__":
    main()
