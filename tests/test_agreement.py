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
