"""The paired bootstrap that says whether two cross-validated variants differ by more than chance, and the
prediction files it reads (``heldout.cross_validate(..., predictions=…)``)."""

from pathlib import Path

import numpy as np
import pytest
import srsly

from kremlin_quotes.core.errors import InputError
from kremlin_quotes.jobs.compare import article_counts, measures, paired_bootstrap, read_predictions
from kremlin_quotes.model.bench import MEASURES


def test_the_measures_are_the_bench_s_precision_over_all_recall_over_speech_and_boundaries_over_matched():
    # 8 of 10 predictions matched (P 0.8), 8 of 16 speech attributions found (R 0.5); 6 and 4 of them with the
    # gold's boundaries (exact P 0.6, R 0.25; boundary agreement 6 of 8), 7 and 5 with its speaker (P 0.7, R 0.3125);
    # 3 of 4 direct quotations found, 3 of 5 predicted direct ones right, 2 of the 3 with the gold's speaker
    m = measures(np.array([8, 10, 8, 16, 6, 4, 7, 5, 3, 4, 3, 5, 2]))
    assert list(m) == [name for name, _ in MEASURES if name in m] and len(m) == 7  # the bench's names and order
    assert m["speech F1"] == pytest.approx(2 * 0.8 * 0.5 / 1.3)
    assert m["speech-with-speaker F1"] == pytest.approx(2 * 0.7 * 0.3125 / 1.0125)
    assert (m["direct R"], m["direct P"]) == pytest.approx((0.75, 0.6))
    assert m["speaker acc. (matched direct)"] == pytest.approx(2 / 3)
    assert m["speech exact F1"] == pytest.approx(2 * 0.6 * 0.25 / 0.85)
    assert m["boundary agreement"] == pytest.approx(0.75)
    no_match = np.array([0, 0, 0, 5, 0, 0, 0, 0, 0, 2, 0, 0, 0])
    assert all(v == 0.0 for v in measures(no_match).values())  # no division by zero


def test_the_bootstrap_interval_holds_zero_for_the_same_run_and_not_for_a_better_one():
    rng = np.random.default_rng(1)
    gold = rng.integers(5, 20, size=200)
    pred = gold + rng.integers(0, 5, size=200)
    tp = np.minimum(pred, gold) - rng.integers(0, 4, size=200).clip(0, None)
    zero = np.zeros_like(tp)
    a = np.stack([tp, pred, tp, gold, tp // 2, tp // 2, tp, tp, zero, zero, zero, zero, zero], axis=1)
    same = paired_bootstrap(a, a.copy())
    assert all(m["B - A"] == m["low"] == m["high"] == 0.0 for m in same.values()) and len(same) == 7
    better = a.copy()
    better[:, 0] += 1  # one more match in every article, in precision and recall alike, with other boundaries
    better[:, 2] += 1
    r = paired_bootstrap(a, better)
    speech, bounds = r["speech F1"], r["boundary agreement"]
    assert speech["B"] > speech["A"] and 0 < speech["low"] <= speech["B - A"] <= speech["high"]
    assert bounds["B"] < bounds["A"] and bounds["low"] <= bounds["B - A"] <= bounds["high"] < 0
    assert paired_bootstrap(a, better) == r  # seeded: the same interval every run
    with pytest.raises(ValueError, match="same"):
        paired_bootstrap(a, better[:-1])


def test_article_counts_come_back_exactly_from_the_scorer_s_rounded_figures():
    # the bench's figures for one article: 2 of 3 predictions matched, 2 of 7 speech found, 1 and 2 of them with the
    # gold's boundaries, 1 and 1 with its speaker; 2 of 3 direct quotations found, 2 of 3 predicted direct ones
    # right, 1 of the 2 with the gold's speaker; as its scorer reports them (rounded to 4 places)
    def rnd(*xs):
        return tuple(round(x, 4) for x in xs)

    result = {
        "quotes_pred": 3,
        "speech_gold": 7,
        "speech_PRF": rnd(2 / 3, 2 / 7, 0.0),
        "speech_exact_PRF": rnd(1 / 3, 2 / 7, 0.0),
        "speech_with_speaker_PRF": rnd(1 / 3, 1 / 7, 0.0),
        "direct_gold": 3,
        "direct_recall": round(2 / 3, 4),
        "direct_pred": 3,
        "direct_precision": round(2 / 3, 4),
        "direct_speaker_acc_on_matched": 0.5,
    }
    row = [2, 3, 2, 7, 1, 2, 1, 1, 2, 3, 2, 3, 1]
    assert article_counts([result, result]).tolist() == [row, row]


def test_prediction_files_name_the_line_and_field_of_a_bad_record(tmp_path: Path):
    path = tmp_path / "p.jsonl"
    srsly.write_jsonl(
        path, [{"doc_id": "a", "threshold": 0.38, "attributions": []}, {"doc_id": "b", "threshold": "x"}]
    )
    with pytest.raises(InputError) as e:
        read_predictions(path)
    assert "p.jsonl:2: threshold" in str(e.value.problems[0])
    srsly.write_jsonl(path, [{"doc_id": "a", "threshold": 0.38, "attributions": []}] * 2)
    with pytest.raises(InputError, match="bad prediction record") as e:
        read_predictions(path)
    assert "p.jsonl:2: doc_id" in str(e.value.problems[0])
    srsly.write_jsonl(path, [{"doc_id": "a", "threshold": 0.38, "attributions": [{"content": [[0, 3]]}]}])
    assert read_predictions(path) == {0.38: {"a": [{"content": [[0, 3]]}]}}
