"""Label Studio export/import: lossless round trip, the labelling config, and clear errors."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
import srsly

from kremlin_quotes.errors import InputError
from kremlin_quotes.labels import RELATION_LABELS, SPAN_LABELS
from kremlin_quotes.labelstudio import from_labelstudio, label_config, read_export, to_labelstudio
from kremlin_quotes.validate import load_valid


@pytest.fixture(scope="module")
def gold(root):
    return load_valid(root / "annotations")


@pytest.mark.parametrize("as_predictions", [True, False])
def test_round_trip_is_lossless_on_the_gold(gold, as_predictions, tmp_path):
    tasks, _, _ = gold
    path = tmp_path / "export.json"
    srsly.write_json(path, [to_labelstudio(t, as_predictions) for t in tasks])
    back = [from_labelstudio(t, str(path), i) for i, t in enumerate(read_export(path), start=1)]
    assert back == tasks


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
    ls = to_labelstudio(gold[0][0])
    region = ls["predictions"][0]["result"][0]
    region["value"]["start"] += 1  # inside a token
    with pytest.raises(InputError) as e:
        from_labelstudio(ls, "export.json", 3)
    assert "export.json: task 3 region s0: span" in str(e.value)


def test_label_config_lists_the_scheme(gold):
    root = ET.fromstring(label_config(gold[2]))
    assert [e.get("value") for e in root.iter("Label")] == list(SPAN_LABELS)
    assert [e.get("value") for e in root.iter("Relation")] == list(RELATION_LABELS)
    assert [e.get("value") for e in root.iter("Choice")] == list(gold[2])


def test_malformed_label_studio_task_is_a_clear_error(gold):
    ls = to_labelstudio(gold[0][0])
    del ls["predictions"][0]["result"][0]["value"]
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
