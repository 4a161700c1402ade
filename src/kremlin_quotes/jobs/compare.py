"""Whether two cross-validated variants differ by more than chance: a paired bootstrap over the articles.

Under the 8-fold cross-validation the same code with the keep networks started from other seeds moves speech F1 by
up to 0.0004 and a variant's gain can shrink to a quarter with the seed (docs/model-development.md, twenty-seventh and
twenty-eighth sessions), so a difference is read with its interval. Both variants' held-out predictions
(``cross_validate(..., predictions=PATH)``) are scored article by article with the bench's own scorer; resampling
the articles with replacement, the same resample for both, gives the interval of the difference in each of the
bench's measures the issue sets a target for: speech F1, speech-with-speaker F1, direct recall and precision, speaker
accuracy on matched direct quotations, speech exact F1 and boundary agreement.
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

# per article: matched predictions, predictions, matched speech attributions, speech attributions; of the matched
# predictions and matched speech attributions those with the gold's boundaries, and those with the gold's speaker;
# matched direct quotations, direct quotations, matched predicted direct ones, predicted direct ones, and the matched
# direct quotations with the gold's speaker
COUNTS = (
    "tp",
    "pred",
    "tp_speech",
    "gold_speech",
    "tp_bound",
    "tp_speech_bound",
    "tp_spk",
    "tp_speech_spk",
    "tp_direct",
    "gold_direct",
    "tp_pred_direct",
    "pred_direct",
    "tp_direct_spk",
)


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

    The scorer reports rounded precision, recall and accuracy; for one article the counts are small enough that
    rounding the product back is exact (precision × predictions, recall × gold attributions)."""
    rows = []
    for r in results:
        n_pred, n_speech, n_direct, n_pred_direct = (
            r["quotes_pred"],
            r["speech_gold"],
            r["direct_gold"],
            r["direct_pred"],
        )
        (p, rec, _), (p_bound, rec_bound, _) = r["speech_PRF"], r["speech_exact_PRF"]
        p_spk, rec_spk, _ = r["speech_with_speaker_PRF"]
        tp_direct = round(r["direct_recall"] * n_direct)
        rows.append(
            (
                round(p * n_pred),
                n_pred,
                round(rec * n_speech),
                n_speech,
                round(p_bound * n_pred),
                round(rec_bound * n_speech),
                round(p_spk * n_pred),
                round(rec_spk * n_speech),
                tp_direct,
                n_direct,
                round(r["direct_precision"] * n_pred_direct),
                n_pred_direct,
                round(r["direct_speaker_acc_on_matched"] * tp_direct),
            )
        )
    return np.array(rows, dtype=np.int64).reshape(-1, len(COUNTS))


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)


def _f1(tp: np.ndarray, pred: np.ndarray, tp_gold: np.ndarray, gold: np.ndarray) -> np.ndarray:
    p, r = _ratio(tp, pred), _ratio(tp_gold, gold)
    return _ratio(2 * p * r, p + r)


def measures(counts: np.ndarray) -> dict[str, np.ndarray]:
    """The bench's measures of summed counts (the last axis is ``COUNTS``), named as ``bench.MEASURES`` names them:
    precision over every prediction, recall over the speech attributions, boundaries over the matched."""
    c = {name: counts[..., i].astype(float) for i, name in enumerate(COUNTS)}
    return {
        "speech F1": _f1(c["tp"], c["pred"], c["tp_speech"], c["gold_speech"]),
        "speech-with-speaker F1": _f1(c["tp_spk"], c["pred"], c["tp_speech_spk"], c["gold_speech"]),
        "direct R": _ratio(c["tp_direct"], c["gold_direct"]),
        "direct P": _ratio(c["tp_pred_direct"], c["pred_direct"]),
        "speaker acc. (matched direct)": _ratio(c["tp_direct_spk"], c["tp_direct"]),
        "speech exact F1": _f1(c["tp_bound"], c["pred"], c["tp_speech_bound"], c["gold_speech"]),
        "boundary agreement": _ratio(c["tp_bound"], c["tp"]),
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
