"""The one reader of quote -> speaker / cue / topic relations."""

from __future__ import annotations

from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.labels import CUED_BY, SPOKEN_BY, STANCES
from kremlin_quotes.core.taskview import quotes


def test_every_relation_of_the_gold_is_read_once(root):
    tasks, _, _ = load_valid(root / "annotations")
    for t in tasks:
        qs = quotes(t)
        assert len(qs) == sum(s["label"].endswith("_QUOTE") for s in t["spans"])
        assert all(q.speaker is not None and q.speaker["label"] == "SPEAKER" for q in qs)
        count = lambda labels, t=t: sum(r["label"] in labels for r in t["relations"])  # noqa: E731
        assert sum(q.speaker is not None for q in qs) == count({SPOKEN_BY})
        assert sum(len(q.cues) for q in qs) == count({CUED_BY})
        assert sum(len(q.targets) for q in qs) == count(set(STANCES))


def test_relations_to_missing_spans_are_ignored_not_fatal():
    span = {"text": "x", "start": 0, "end": 1, "token_start": 0, "token_end": 0, "label": "DIRECT_QUOTE"}
    ref = {k: span[k] for k in ("start", "end", "token_start", "token_end", "label")}
    ghost = {**ref, "label": "SPEAKER", "start": 5, "end": 6}
    task = {"spans": [span], "relations": [{"head_span": ref, "child_span": ghost, "label": SPOKEN_BY}]}
    (q,) = quotes(task)
    assert q.speaker is None and q.cues == () and q.targets == ()
