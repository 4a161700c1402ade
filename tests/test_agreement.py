"""Annotator-against-annotator pairs, on the PolNeAR-format fixture (invented sentences)."""

import shutil
from pathlib import Path

from kremlin_quotes.jobs.agreement import annotated_more_than_once, annotator_pairs
from kremlin_quotes.jobs.heldout import bench_document

FIXTURE = Path(__file__).parent / "fixtures" / "polnear"
ARTICLE = "fixture_2016-01-01_bridge"


def test_every_ordered_pair_of_annotators_of_an_article_annotated_twice(tmp_path):
    root = tmp_path / "train"
    shutil.copytree(FIXTURE / "train", root)
    # a second article with one annotator only: nobody to agree with
    (root / "text" / "solo_2016-01-02.txt").write_text("Ann Lee said the park is closed.\n", encoding="utf-8")
    (root / "attributions" / "solo_2016-01-02_cccc.ann").write_text(
        "T1\tSource 0 7\tAnn Lee\nT2\tCue 8 12\tsaid\nT3\tContent 13 31\tthe park is closed\n"
        "T4\tAttribution 8 12\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        encoding="utf-8",
    )
    gold, pred = annotator_pairs(annotated_more_than_once(tmp_path))
    assert sorted(gold) == sorted(pred) == [f"{ARTICLE}:aaaa>bbbb", f"{ARTICLE}:bbbb>aaaa"]
    text = (root / "text" / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    a = bench_document(ARTICLE, text, root / "attributions" / f"{ARTICLE}_aaaa.ann")
    b = bench_document(ARTICLE, text, root / "attributions" / f"{ARTICLE}_bbbb.ann")
    assert a["quotes"] and a["quotes"] != b["quotes"]
    assert gold[f"{ARTICLE}:aaaa>bbbb"]["quotes"] == pred[f"{ARTICLE}:bbbb>aaaa"]["quotes"] == a["quotes"]
    assert pred[f"{ARTICLE}:aaaa>bbbb"]["quotes"] == gold[f"{ARTICLE}:bbbb>aaaa"]["quotes"] == b["quotes"]
    assert all(d["text"] == text and d["doc_id"] == key for key, d in gold.items())


def test_the_model_is_scored_against_every_annotator_of_the_articles_it_did_not_train_on(root, tmp_path, monkeypatch):
    from kremlin_quotes.jobs import agreement

    shutil.copytree(FIXTURE / "train", tmp_path / "train")
    (tmp_path / "train" / "text" / "solo_2016-01-02.txt").write_text(
        "Ann Lee said the park is closed.\n", encoding="utf-8"
    )
    (tmp_path / "train" / "attributions" / "solo_2016-01-02_cccc.ann").write_text(
        "T1\tSource 0 7\tAnn Lee\nT2\tCue 8 12\tsaid\nT3\tContent 13 31\tthe park is closed\n"
        "T4\tAttribution 8 12\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        encoding="utf-8",
    )
    trained_on: list[str] = []
    real_train = agreement.train

    def recording_train(tasks, entities, extra, progress, n_process):  # noqa: ANN001, ANN202
        trained_on.extend(t["meta"]["id"] for t in extra)
        return real_train(tasks, entities, extra=extra, progress=False, n_process=n_process)

    scored: dict = {}

    class Recorder:
        def __init__(self, bench, docs):  # noqa: ANN001
            scored.update(bench=bench, docs=docs)

        def score(self, attrs):  # noqa: ANN001, ANN202
            scored["attrs"] = attrs
            return {"speech_PRF": [0.0, 0.0, 0.0]}

    monkeypatch.setattr(agreement, "train", recording_train)
    monkeypatch.setattr(agreement, "Bench", Recorder)
    assert agreement.model_scores(root / "annotations", tmp_path, "BENCH", n_process=1) == {
        "speech_PRF": [0.0, 0.0, 0.0]
    }
    assert trained_on == ["solo_2016-01-02"]  # the article annotated twice is only scored
    assert [d["doc_id"] for d in scored["docs"]] == [f"{ARTICLE}:aaaa>model", f"{ARTICLE}:bbbb>model"]
    assert scored["docs"][0]["quotes"] != scored["docs"][1]["quotes"]  # each annotator's own version is the gold
    assert scored["attrs"][0] == scored["attrs"][1] and scored["attrs"][0]  # one prediction, scored twice
