"""The two-pass Prodigy route: pass 1 (rel.manual) and pass 2 (spans.manual, one task a quote) join back into
the whole scheme."""

from __future__ import annotations

import copy

import pytest
import srsly
from typer.testing import CliRunner

from kremlin_quotes.annotation.prodigy import QUOTE_MARK, join, join_layers, pass1_tasks, pass2_labels, pass2_tasks
from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.cli import app
from kremlin_quotes.core.errors import InputError
from kremlin_quotes.core.labels import TOPIC


@pytest.fixture(scope="module")
def gold(root):
    return load_valid(root / "annotations")


def spans_overlap(task):
    spans = sorted((s["start"], s["end"]) for s in task["spans"])
    return any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False))


def holds_another_attribution(task):
    """A quote with another attribution's speaker or cue inside it (a TOPIC inside is pass 2's business)."""
    quotes = [s for s in task["spans"] if s["label"].endswith("_QUOTE")]
    others = [s for s in task["spans"] if s["label"] in ("SPEAKER", "CUE")]
    return any(q["start"] <= o["start"] and o["end"] <= q["end"] for q in quotes for o in others)


def test_passes_join_back_into_the_gold(gold):
    tasks, _, topics = gold
    first = [layer for t in tasks for layer in pass1_tasks(t)]
    assert not any(spans_overlap(t) for t in first)  # rel.manual can show every pass-1 task
    assert all(s["label"] != TOPIC for t in first for s in t["spans"])
    nested = sum(holds_another_attribution(t) for t in tasks)  # such a document needs two layers
    assert len(tasks) + nested <= len(first) and nested >= 1
    assert len({t["_task_hash"] for t in first}) == len(first)
    docs = join_layers(first)
    second = [q for p1, t in zip(docs, tasks, strict=True) for q in pass2_tasks(p1, targets_from=t)]
    assert len(second) == sum(s["label"].endswith("_QUOTE") for t in tasks for s in t["spans"])
    labels = set(pass2_labels(topics)) | {QUOTE_MARK}
    assert all(s["label"] in labels for q in second for s in q["spans"])
    assert len({q["_task_hash"] for q in second}) == len(second)  # Prodigy must not dedupe them
    assert join(first, second, topics) == tasks


def test_join_reports_mismatches_with_lines(gold):
    tasks, _, topics = gold
    first = pass1_tasks(tasks[0])
    second = pass2_tasks(first[0], targets_from=tasks[0])
    bad = copy.deepcopy(second)
    bad[0]["meta"]["quote"] = [0, 1, "DIRECT_QUOTE"]
    bad[1]["spans"].append({**bad[1]["spans"][0], "label": "atlantis:FAVOR"})
    with pytest.raises(InputError) as e:
        join(first, bad, topics, "pass2.jsonl")
    text = str(e.value)
    assert "pass2.jsonl:1: meta.quote" in text and "pass2.jsonl:2: spans[" in text and "'atlantis:FAVOR'" in text
    # a rejected pass-2 task adds nothing; the others still join
    skipped = copy.deepcopy(second)
    skipped[0]["answer"] = "reject"
    joined = join(first, skipped, topics)[0]
    assert len(joined["relations"]) < len(tasks[0]["relations"])


def test_cli_route(gold, tmp_path):
    tasks, _, _ = gold
    src = tmp_path / "tasks.jsonl"
    srsly.write_jsonl(src, tasks)
    p1, p2, out = tmp_path / "pass1.jsonl", tmp_path / "pass2.jsonl", tmp_path / "joined.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["prodigy", "pass1", str(src), str(p1)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["prodigy", "pass2", str(p1), str(p2), "--targets-from", str(src)])
    assert result.exit_code == 0 and "ukraine_war:AGAINST" in result.output, result.output
    result = runner.invoke(app, ["prodigy", "join", str(p1), str(p2), str(out)])
    assert result.exit_code == 0, result.output
    assert list(srsly.read_jsonl(out)) == tasks
