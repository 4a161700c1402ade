"""Label Studio export/import: lossless round trip, the labelling config, and clear errors."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
import srsly

from kremlin_quotes.annotation.labelstudio import (
    decide,
    from_labelstudio,
    import_export,
    label_config,
    read_export,
    to_labelstudio,
)
from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.errors import InputError
from kremlin_quotes.core.labels import RELATION_LABELS, SPAN_LABELS
from kremlin_quotes.core.tasks import span_key


@pytest.fixture(scope="module")
def gold(root):
    return load_valid(root / "annotations")


def test_round_trip_is_lossless_on_the_gold(gold, tmp_path):
    tasks, _, _ = gold
    path = tmp_path / "export.json"
    srsly.write_json(path, [to_labelstudio(t, as_predictions=False) for t in tasks])
    back = [from_labelstudio(t, str(path), i) for i, t in enumerate(read_export(path), start=1)]
    assert back == tasks


def test_predictions_are_never_gold(gold):
    """A task with only the model's pre-annotation (as objects or, in a real export, as ids) imports nothing."""
    ls = to_labelstudio(gold[0][0])
    assert decide(ls, "f", 1).status == "unannotated"
    ls["predictions"] = [17]
    assert decide(ls, "f", 1).status == "unannotated"


def test_latest_submitted_annotation_wins_over_predictions(gold):
    task = gold[0][1]
    ls = to_labelstudio(task)
    fewer = copy.deepcopy(task)
    quote = next(s for s in fewer["spans"] if s["label"].endswith("_QUOTE"))
    key = (quote["start"], quote["end"], quote["label"])
    fewer["spans"].remove(quote)
    fewer["relations"] = [
        r
        for r in fewer["relations"]
        if (r["head_span"]["start"], r["head_span"]["end"], r["head_span"]["label"]) != key
    ]
    cancelled = {"was_cancelled": True, "result": []}
    ls["annotations"] = [to_labelstudio(fewer, as_predictions=False)["annotations"][0], cancelled]
    assert from_labelstudio(ls, "f", 1) == fewer


def test_misaligned_region_is_named(gold):
    ls = to_labelstudio(gold[0][0], as_predictions=False)
    region = ls["annotations"][0]["result"][0]
    region["value"]["start"] += 1  # inside a token
    region["value"]["text"] = gold[0][0]["text"][region["value"]["start"] : region["value"]["end"]]
    with pytest.raises(InputError) as e:
        from_labelstudio(ls, "export.json", 3)
    assert "export.json: task 3 region s0: span" in str(e.value)


def test_label_config_lists_the_scheme(gold):
    root = ET.fromstring(label_config(gold[2]))
    assert [e.get("value") for e in root.iter("Label")] == list(SPAN_LABELS)
    assert [e.get("value") for e in root.iter("Relation")] == list(RELATION_LABELS)
    assert [e.get("value") for e in root.iter("Choice")] == list(gold[2])


def test_label_config_offers_new_topics_before_they_are_merged(root, gold, tmp_path):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    new = tmp_path / "new-topics.jsonl"
    srsly.write_jsonl(new, [{"id": "ports", "name": "Ports", "description": "Building and running ports."}])
    args = ["labelstudio", "config", "--annotations", str(root / "annotations")]
    result = CliRunner().invoke(app, [*args, "--topics", str(new)])
    assert result.exit_code == 0, result.output
    choices = [e.get("value") for e in ET.fromstring(result.output).iter("Choice")]
    assert choices == [*gold[2], "ports"]
    srsly.write_jsonl(new, [{"id": "../ports", "name": "Ports"}])
    result = CliRunner().invoke(app, [*args, "--topics", str(new)])
    assert result.exit_code == 1 and f"{new}:1: id" in result.output


def test_malformed_label_studio_task_is_a_clear_error(gold):
    ls = to_labelstudio(gold[0][0], as_predictions=False)
    del ls["annotations"][0]["result"][0]["value"]
    with pytest.raises(InputError) as e:
        from_labelstudio(ls, "export.json", 2)
    assert "export.json: task 2: malformed Label Studio task" in str(e.value)


def test_export_refuses_invalid_tasks(root, tmp_path, gold):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    bad = copy.deepcopy(gold[0][0])
    del bad["spans"]
    src = tmp_path / "tasks.jsonl"
    srsly.write_jsonl(src, [gold[0][1], bad])
    out = tmp_path / "ls.json"
    result = CliRunner().invoke(app, ["labelstudio", "export", str(src), str(out)])
    assert result.exit_code == 1 and f"{src}:2: spans: missing" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "meta,expected",
    [
        (["not", "an", "object"], "task 4.data.meta: must be an object, got list"),
        ({"id": "../../etc/x"}, "task 4.data.meta.id: '../../etc/x' is not a valid id"),
        ({"id": 12}, "task 4.data.meta.id: must be a string, got int 12"),
    ],
)
def test_bad_meta_in_an_export_is_a_clear_error(gold, meta, expected):
    ls = to_labelstudio(gold[0][0], as_predictions=False)
    ls["data"]["meta"] = meta
    with pytest.raises(InputError) as e:
        from_labelstudio(ls, "export.json", 4)
    assert f"export.json: {expected}" in str(e.value)


def _without_first_quote(task: dict) -> dict:
    fewer = copy.deepcopy(task)
    quote = next(s for s in fewer["spans"] if s["label"].endswith("_QUOTE"))
    key = (quote["start"], quote["end"], quote["label"])
    fewer["spans"].remove(quote)
    fewer["relations"] = [r for r in fewer["relations"] if span_key(r["head_span"]) != key]
    return fewer


def _annotation(task: dict, user: int, **extra) -> dict:
    return {**to_labelstudio(task, as_predictions=False)["annotations"][0], "completed_by": user, **extra}


def test_real_export_with_unannotated_task_and_prediction_ids(gold):
    """An "all tasks" export: predictions as ids, one task nobody annotated; the annotated ones still come in."""
    tasks = gold[0]
    done = {**to_labelstudio(tasks[0]), "predictions": [3], "annotations": [_annotation(tasks[0], 1)]}
    todo = {**to_labelstudio(tasks[1]), "predictions": [4], "annotations": []}
    summary = import_export([done, todo], "export.json")
    assert summary.counts == {"imported": 1, "unannotated": 1, "skipped": 0, "conflicting": 0}
    assert summary.tasks[0]["meta"]["annotator"] == "label-studio:1"
    assert {k: v for k, v in summary.tasks[0].items() if k != "meta"} == {
        k: v for k, v in tasks[0].items() if k != "meta"
    }


def test_disagreement_goes_to_review_and_ground_truth_wins(gold):
    task = gold[0][1]
    fewer = _without_first_quote(task)
    ls = {**to_labelstudio(task), "annotations": [_annotation(task, 1), _annotation(fewer, 2)]}
    ls["annotations"].append({"was_cancelled": True, "result": [], "completed_by": 3})
    d = decide(ls, "export.json", 7)
    assert d.status == "conflicting" and d.task is None
    only = {a["annotator"]: a["only_here"] for a in d.review["annotations"]}
    assert len(only["label-studio:1"]["spans"]) == 1 and only["label-studio:2"]["spans"] == []
    assert only["label-studio:1"]["relations"] and d.review["id"] == task["meta"]["id"]
    ls["annotations"][1]["ground_truth"] = True
    assert decide(ls, "export.json", 7).task["spans"] == fewer["spans"]
    # two annotators who agree: imported
    ls = {**to_labelstudio(task), "annotations": [_annotation(task, 1), _annotation(task, 2)]}
    assert decide(ls, "export.json", 7).status == "imported"
    # everyone skipped
    ls["annotations"] = [{"was_cancelled": True, "result": []}]
    assert decide(ls, "export.json", 7).status == "skipped"


def test_relation_direction_labels_and_region_text_are_checked(gold):
    task = gold[0][0]
    ann = _annotation(task, 1)
    rel = next(r for r in ann["result"] if r.get("type") == "relation")
    expected = from_labelstudio({**to_labelstudio(task), "annotations": [ann]}, "f", 1)
    rel["from_id"], rel["to_id"], rel["direction"] = rel["to_id"], rel["from_id"], "left"
    assert (
        from_labelstudio({**to_labelstudio(task), "annotations": [ann]}, "f", 1)["relations"] == expected["relations"]
    )
    rel["direction"] = "bi"
    assert (
        from_labelstudio({**to_labelstudio(task), "annotations": [ann]}, "f", 1)["relations"] == expected["relations"]
    )
    rel["labels"] = []
    with pytest.raises(InputError, match="relation without a label"):
        from_labelstudio({**to_labelstudio(task), "annotations": [ann]}, "f", 1)
    ann = _annotation(task, 1)
    next(r for r in ann["result"] if r.get("type") == "labels")["value"]["text"] = "not the text"
    with pytest.raises(InputError, match="value.text: 'not the text' !="):
        from_labelstudio({**to_labelstudio(task), "annotations": [ann]}, "f", 1)


def test_import_cli_reports_and_fails_when_nothing_usable(gold, tmp_path):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    task = gold[0][1]
    export = tmp_path / "export.json"
    out = tmp_path / "corrected.jsonl"
    srsly.write_json(export, [to_labelstudio(t) for t in gold[0]])  # predictions only: nobody annotated
    result = CliRunner().invoke(app, ["labelstudio", "import", str(export), str(out)])
    assert result.exit_code == 1 and "nothing written" in result.output and not out.exists()
    conflict = {
        **to_labelstudio(task),
        "annotations": [_annotation(task, 1), _annotation(_without_first_quote(task), 2)],
    }
    agreed = {**to_labelstudio(gold[0][0]), "annotations": [_annotation(gold[0][0], 1)]}
    srsly.write_json(export, [conflict, agreed])
    result = CliRunner().invoke(app, ["labelstudio", "import", str(export), str(out)])
    assert result.exit_code == 0, result.output
    assert [t["meta"]["id"] for t in srsly.read_jsonl(out)] == [gold[0][0]["meta"]["id"]]
    (review,) = srsly.read_jsonl(tmp_path / "corrected.review.jsonl")
    assert review["task"] == 1 and review["id"] == task["meta"]["id"]
