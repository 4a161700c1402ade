"""The benchmark helpers: texts of the asked sizes, and costs kept as the fastest round and the highest peak."""

import json
import subprocess

import pytest

from kremlin_quotes.model import benchmark
from kremlin_quotes.model.benchmark import bench_texts, long_document_costs, long_texts


def test_bench_texts_repeat_the_corpus_to_the_asked_count():
    assert bench_texts(["a", "b"], 5) == ["a", "b", "a", "b", "a"]
    with pytest.raises(ValueError):
        bench_texts([], 3)


def test_long_texts_are_whole_paragraphs_up_to_each_size():
    paras = ['He said "yes" today.', "Nothing quoted here at all.", "Another plain paragraph."]
    texts = long_texts(paras, {"s": 60, "m": 200}, 100)
    for name, size in (("s", 60), ("m", 200)):
        assert len(texts[name]) <= size
        assert all(p in paras for p in texts[name].split("\n\n"))
    assert set(texts["0 KB, quote-dense"].split("\n\n")) == {paras[0]}
    assert set(long_texts(paras, {"s": 60}, 0)) == {"s"}  # --dense 0: no quote-dense text


def test_several_rounds_alternate_and_keep_the_fastest_and_the_highest_peak(monkeypatch, tmp_path):
    runs = iter([(2.0, 300), (3.0, 400), (1.5, 290), (3.5, 410), (1.8, 310), (2.5, 390), (1.0, 100), (9.0, 100)])
    systems, caps = [], []

    def fake_run(cmd, **kwargs):
        systems.append(cmd[3])
        caps.append(cmd[-1])  # the model's own cap on sentence length unless one is given
        seconds, rss = next(runs)
        return subprocess.CompletedProcess(cmd, 0, stdout=json.dumps({"seconds": seconds, "rss_mb": rss, "n": 4}))

    monkeypatch.setattr(benchmark.subprocess, "run", fake_run)
    out = long_document_costs(tmp_path / "model", "base", "text", tmp_path, rounds=3)
    assert systems == ["base", "pipeline"] * 3
    assert out["base"] == {"seconds": 1.5, "rss_mb": 310, "n": 4}
    assert out["pipeline"] == {"seconds": 2.5, "rss_mb": 410, "n": 4}
    assert caps == ["config"] * 6
    long_document_costs(tmp_path / "model", "base", "text", tmp_path, max_tokens=0)
    assert caps[6:] == ["0", "0"]
    with pytest.raises(ValueError, match="rounds=0"):
        long_document_costs(tmp_path / "model", "base", "text", tmp_path, rounds=0)
