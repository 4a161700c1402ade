"""Whether two cross-validated variants differ by more than chance: a paired bootstrap over the articles.

Under the 8-fold cross-validation the same code with the keep networks started from other seeds moves speech F1 by
up to 0.0004 and a variant's gain can shrink to a quarter with the seed (docs/model-development.md, twenty-seventh and
twenty-eighth sessions), so a difference is read with its interval. Both variants' held-out predictions
(``cross_validate(..., predictions=PATH)``) are scored article by article with the bench's own scorer; resampling
the articles with replacement, the same resample for both, gives the interval of the difference in speech F1, speech
exact F1 and boundary agreement (the measures a change must not lower).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..annotation.polnear import split_root
from ..core.errors import InputError, KQError, Problem
from ..core.io import read_jsonl_lines
from ..model.bench import Bench
from .heldout import polnear_documents

# per article: matched predictions, predictions, matched speech attributions, speech attributions, and of the matched
# predictions and matched speech attributions those with the gold's boundaries
COUNTS = ("tp", "pred", "tp_speech", "gold_speech", "tp_bound", "tp_speech_bound")


def read_predictions(path: Path) -> dict[float, dict[str, list[dict]]]:
    """The held-out attributions ``cross_validate`` wrote, by keep threshold and article id."""
    out: dict[float, dict[str, list[dict]]] = {}
    for line, rec in read_jsonl_lines(path):
        for field, kind in (("doc_id", str), ("threshold", (int, float)), ("attributions", list)):
            value = rec.get(field)
            if not isinstance(value, kind) or isinstance(value, bool):
                problem = Problem(str(path), line, field, f"expected {getattr(kind, '__name__', 'a number')}")
                raise InputError(f"{path}: bad prediction record", [problem])
        by_doc = out.setdefault(float(rec["threshold"]), {})
        if rec["doc_id"] in by_doc:
            problem = Problem(str(path), line, "doc_id", f"{rec['doc_id']!r} twice at threshold {rec['threshold']}")
            raise InputError(f"{path}: bad prediction record", [problem])
        by_doc[rec["doc_id"]] = rec["attributions"]
    return out


def article_counts(results: Sequence[dict]) -> np.ndarray:
    """``COUNTS`` of each article from the bench's figures for that article alone (``Bench.score_each``).

    The scorer reports rounded precision and recall; for one article the counts are small enough that rounding
    the product back is exact (precision × predictions, recall × speech attributions)."""
    rows = []
    for r in results:
        n_pred, n_speech = r["quotes_pred"], r["speech_gold"]
        (p, rec, _), (p_bound, rec_bound, _) = r["speech_PRF"], r["speech_exact_PRF"]
        rows.append(
            (
                round(p * n_pred),
                n_pred,
                round(rec * n_speech),
                n_speech,
                round(p_bound * n_pred),
                round(rec_bound * n_speech),
            )
        )
    return np.array(rows, dtype=np.int64).reshape(-1, len(COUNTS))


def _f1(tp: np.ndarray, pred: np.ndarray, tp_gold: np.ndarray, gold: np.ndarray) -> np.ndarray:
    p = np.divide(tp, pred, out=np.zeros_like(tp), where=pred > 0)
    r = np.divide(tp_gold, gold, out=np.zeros_like(tp), where=gold > 0)
    return np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)


def measures(counts: np.ndarray) -> dict[str, np.ndarray]:
    """The bench's speech F1, speech exact F1 and boundary agreement of summed counts (the last axis is
    ``COUNTS``): precision over every prediction, recall over the speech attributions, boundaries over the matched."""
    tp, pred, tp_speech, gold, tp_bound, tp_speech_bound = (counts[..., i].astype(float) for i in range(len(COUNTS)))
    return {
        "speech F1": _f1(tp, pred, tp_speech, gold),
        "speech exact F1": _f1(tp_bound, pred, tp_speech_bound, gold),
        "boundary agreement": np.divide(tp_bound, tp, out=np.zeros_like(tp), where=tp > 0),
    }


def paired_bootstrap(
    a: np.ndarray, b: np.ndarray, resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> dict[str, dict[str, float]]:
    """For each of ``measures``: its value for ``a`` and ``b`` (per-article ``COUNTS`` of the same articles),
    ``b - a``, and the interval of that difference over ``resamples`` resamples of the articles (the same resample
    for both)."""
    if a.shape != b.shape or not len(a):
        raise ValueError("the two variants must be scored on the same, non-empty list of articles")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(resamples, len(a)))
    ra, rb = measures(a[idx].sum(axis=1)), measures(b[idx].sum(axis=1))
    whole_a, whole_b = measures(a.sum(axis=0)), measures(b.sum(axis=0))
    tail = (1 - level) / 2
    out = {}
    for name in ra:
        diffs = rb[name] - ra[name]
        fa, fb = float(whole_a[name]), float(whole_b[name])
        out[name] = {
            "A": round(fa, 4),
            "B": round(fb, 4),
            "B - A": round(fb - fa, 4),
            "low": round(float(np.quantile(diffs, tail)), 4),
            "high": round(float(np.quantile(diffs, 1 - tail)), 4),
        }
    return out


def compare_runs(
    polnear: str | Path,
    bench: str | Path,
    a: Path,
    b: Path,
    threshold: float | None = None,
    restyle: Callable[[str], str] | None = None,
    resamples: int = 1000,
) -> dict[str, dict[str, float]]:
    """``paired_bootstrap`` of two ``cross_validate`` prediction files, each holding every PolNeAR article, at
    ``threshold`` (the one threshold each file holds when None). ``restyle`` is the one the runs predicted with
    (``heldout.british``): offsets are the same, the text the converter reads is not."""
    docs = polnear_documents(split_root(polnear))
    if restyle is not None:
        docs = [dict(d, text=restyle(d["text"])) for d in docs]
    scorer = Bench(bench, docs=docs)
    counts = []
    for path in (a, b):
        runs = read_predictions(path)
        if threshold is None and len(runs) != 1:
            raise KQError(f"{path}: holds thresholds {sorted(runs)}; name one")
        cut = next(iter(runs)) if threshold is None else threshold
        if cut not in runs:
            raise KQError(f"{path}: no predictions at threshold {cut} (it holds {sorted(runs)})")
        missing = [d["doc_id"] for d in docs if d["doc_id"] not in runs[cut]]
        if missing:
            raise KQError(f"{path}: no predictions for {len(missing)} articles, e.g. {missing[0]!r}")
        attrs = [runs[cut][d["doc_id"]] for d in docs]
        counts.append(article_counts(scorer.score_each(attrs)))
    return paired_bootstrap(counts[0], counts[1], resamples=resamples)
