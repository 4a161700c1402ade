"""Development without dev: the held-out split and cross-validation over PolNeAR-format articles (the fixture's
invented sentences, plus three more written here). The bench's scorer is replaced by a recorder, since what is
tested is which model predicts which article, not the scorer."""

import shutil
from pathlib import Path

import pytest
import srsly
from spacy.language import Language
from thinc.api import ConfigValidationError

from kremlin_quotes.jobs import heldout
from kremlin_quotes.jobs.compare import read_predictions
from kremlin_quotes.model.component import QuoteAttributor
from kremlin_quotes.model.train import build_pipeline

FIXTURE = Path(__file__).parent / "fixtures" / "polnear"
ARTICLES = {
    "extra_2016-02-01": "Senator Ann Lee said the harbour tax would be cut.\n",
    "extra_2016-02-02": "“The roads are a disgrace,” Governor Tom Reyes told voters on Friday.\n",
    "extra_2016-02-03": "The mayor announced that the library would close in June.\n",
}


def _polnear(tmp_path: Path) -> Path:
    root = tmp_path / "train"
    shutil.copytree(FIXTURE / "train", root)
    for name, text in ARTICLES.items():
        (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        (root / "attributions" / f"{name}_aaaa.ann").write_text("", encoding="utf-8")  # nothing annotated
    return tmp_path


def test_british_swaps_the_marks_and_keeps_apostrophes_and_offsets():
    us = '“It’s ‘fair,’ the voters’ choice,” Lee said.\n"We won\'t," Ray said.'
    uk = heldout.british(us)
    assert uk == "‘It’s “fair,” the voters’ choice,’ Lee said.\n'We won't,' Ray said."
    assert len(uk) == len(us)


def test_every_eighth_article_is_held_out():
    assert [i for i in range(24) if heldout.held_out(i)] == [7, 15, 23]


def test_cross_validation_scores_every_article_once_by_a_model_that_did_not_see_it(root, tmp_path, monkeypatch):
    trained: list[set[str]] = []
    predicted: list[str] = []
    fit, call = QuoteAttributor.fit, QuoteAttributor.__call__

    def recording_fit(self, items, progress=False):  # noqa: ANN001, ANN202
        trained.append({doc.text for doc, _, _ in items})
        return fit(self, items, progress)

    def checking_call(self, doc):  # noqa: ANN001, ANN202
        assert doc.text not in trained[-1], "an article was predicted by a model trained on it"
        predicted.append(doc.text)
        return call(self, doc)

    scored = {}

    def recorder(bench, gold, attrs):  # noqa: ANN001, ANN202
        scored.update(bench=bench, gold=gold, attrs=attrs)
        return {"speech F1": 0.0}

    monkeypatch.setattr(QuoteAttributor, "fit", recording_fit)
    monkeypatch.setattr(QuoteAttributor, "__call__", checking_call)
    monkeypatch.setattr(heldout, "_score", recorder)
    polnear = _polnear(tmp_path)
    # one row, at the configured keep threshold, in the same shape as rows for several thresholds
    cut = Language.get_factory_meta("quote_attributor").default_config["threshold"]
    assert heldout.cross_validate(root / "annotations", str(polnear), "BENCH", folds=2, n_process=1) == {
        cut: {"speech F1": 0.0}
    }

    texts = [d["text"] for d in scored["gold"]]
    assert len(trained) == 2 and sorted(predicted) == sorted(texts) and len(set(texts)) == 4
    assert all(len(t & set(texts)) == 2 for t in trained)  # each fold trains on the other half
    assert scored["bench"] == "BENCH" and len(scored["attrs"]) == len(texts)
    # the held-out gold keeps every attribution PolNeAR has, the belief ("believes") too
    fixture = next(d for d in scored["gold"] if "bridge" in d["doc_id"])
    assert any("budget is too small" in fixture["text"][s:e] for q in fixture["quotes"] for s, e in q["content"])
    told = next(a for d, a in zip(texts, scored["attrs"], strict=True) if "Reyes" in d)
    assert [d["text"][slice(*told[0]["speaker"])] for d in scored["gold"] if "Reyes" in d["text"]] == [
        "Governor Tom Reyes"
    ]


def test_thresholds_are_scored_on_the_same_fits_and_settings_reach_the_attributor(root, tmp_path, monkeypatch):
    fits: list[tuple[int, float]] = []
    fit = QuoteAttributor.fit

    def recording_fit(self, items, progress=False):  # noqa: ANN001, ANN202
        fits.append((self.keep_hidden, self.threshold))
        return fit(self, items, progress)

    scored: list[list[list[dict]]] = []

    def recorder(bench, gold, attrs):  # noqa: ANN001, ANN202
        scored.append(attrs)
        return {"attributions": sum(map(len, attrs))}

    monkeypatch.setattr(QuoteAttributor, "fit", recording_fit)
    monkeypatch.setattr(heldout, "_score", recorder)
    polnear = str(_polnear(tmp_path))
    kept = tmp_path / "predictions.jsonl"
    scores = heldout.cross_validate(
        root / "annotations", polnear, "BENCH", folds=2, n_process=1, settings={"keep_hidden": 0, "threshold": 0.5},
        thresholds=[0.0, 1.01], predictions=kept,
    )  # fmt: skip
    # one fit per fold, with the settings: every fold fits at the configured threshold, not the last one scored
    assert fits == [(0, 0.5), (0, 0.5)]
    assert list(scores) == [0.0, 1.01] and len(scored) == 2
    assert scores[0.0]["attributions"] > 0 and scores[1.01]["attributions"] == 0  # no probability reaches 1.01
    # the held-out attributions, kept for compare.py: every article at every threshold, not its text
    runs = read_predictions(kept)
    assert sorted(runs) == [0.0, 1.01] and len(runs[0.0]) == len(runs[1.01]) == 4
    assert sum(map(len, runs[0.0].values())) == scores[0.0]["attributions"]
    assert not any(runs[1.01].values()) and "text" not in next(iter(srsly.read_jsonl(kept)))


def test_settings_are_read_as_json_and_checked_by_the_factory():
    assert heldout.parse_settings(["keep_epochs=15", "threshold=0.4", "learned=false", "base=en_x"]) == {
        "keep_epochs": 15,
        "threshold": 0.4,
        "learned": False,
        "base": "en_x",
    }
    with pytest.raises(ValueError, match="KEY=VALUE"):
        heldout.parse_settings(["keep_epochs"])
    with pytest.raises(ConfigValidationError):
        build_pipeline(settings={"no_such_setting": 1})
    assert build_pipeline(settings={"keep_epochs": 15}).get_pipe("quote_attributor").keep_epochs == 15
