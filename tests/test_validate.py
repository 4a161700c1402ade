"""The validator on the gold annotations and on a suite of corruptions, one per kind of error."""

import copy

import pytest
import srsly

from kremlin_quotes.validate import validate_files


@pytest.fixture(scope="module")
def gold(root):
    return list(srsly.read_jsonl(root / "annotations" / "gold.jsonl"))


def run(tmp_path, root, tasks):
    f = tmp_path / "tasks.jsonl"
    srsly.write_jsonl(f, tasks)
    problems, _ = validate_files([f], root / "annotations")
    return [str(p) for p in problems]


def first(task, label):
    return next(i for i, s in enumerate(task["spans"]) if s["label"] == label)


def test_gold_is_valid(root):
    problems, n = validate_files([root / "annotations" / "gold.jsonl"], root / "annotations")
    assert n == 5
    assert problems == []


def _set_span_text(t):
    t["spans"][0]["text"] = "wrong"


def _span_outside(t):
    t["spans"][0]["end"] = len(t["text"]) + 5


def _misaligned(t):
    t["spans"][0]["token_end"] += 1


def _bad_label(t):
    t["spans"][0]["label"] = "QUOTE"


def _unknown_entity(t):
    t["spans"][first(t, "SPEAKER")]["kb_id"] = "nobody"


def _unknown_topic(t):
    t["spans"][first(t, "TOPIC")]["kb_id"] = "elsewhere"


def _dangling_relation(t):
    t["relations"][0]["child_span"]["start"] += 1


def _wrong_child_label(t):
    r = next(r for r in t["relations"] if r["label"] == "CUED_BY")
    r["label"] = "SPOKEN_BY"


def _no_speaker(t):
    t["relations"] = [r for r in t["relations"] if r["label"] != "SPOKEN_BY"]


def _missing_text(t):
    del t["text"]


def _bad_token(t):
    t["tokens"][3]["text"] = "zzz"


def _bad_accept(t):
    t["accept"] = ["not_a_topic"]


CASES = [
    (_set_span_text, "spans[0].text: 'wrong' != text["),
    (_span_outside, "spans[0].start: offsets"),
    (_misaligned, "spans[0].token_start: tokens"),
    (_bad_label, "spans[0].label: unknown label 'QUOTE'"),
    (_unknown_entity, ".kb_id: speaker id 'nobody' is not in the entity registry"),
    (_unknown_topic, ".kb_id: topic id 'elsewhere' is not in the topic taxonomy"),
    (_dangling_relation, "relations[0].child_span: no span"),
    (_wrong_child_label, "SPOKEN_BY must end at a SPEAKER, not CUE"),
    (_no_speaker, "has 0 SPOKEN_BY relations; exactly one is required"),
    (_missing_text, "text: missing"),
    (_bad_token, "tokens[3].text: 'zzz' does not match"),
    (_bad_accept, "accept: 'not_a_topic' is not one of the options"),
]


@pytest.mark.parametrize("corrupt,expected", CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_corruption_is_reported_with_file_line_and_field(tmp_path, root, gold, corrupt, expected):
    tasks = copy.deepcopy(gold[:2])
    corrupt(tasks[1])
    problems = run(tmp_path, root, tasks)
    assert problems, "corruption went unnoticed"
    assert all(p.startswith(f"{tmp_path / 'tasks.jsonl'}:2: ") for p in problems), problems
    assert any(expected in p for p in problems), problems


def test_duplicate_task(tmp_path, root, gold):
    problems = run(tmp_path, root, [gold[0], gold[1], gold[0]])
    assert any(
        p.endswith(
            ":3: meta.id: duplicate task: '000_8587e4fd778883cc' is also at " + str(tmp_path / "tasks.jsonl") + ":1"
        )
        for p in problems
    ), problems


def test_invalid_json_line(tmp_path, root):
    f = tmp_path / "tasks.jsonl"
    f.write_text('{"text": "x"\n')
    problems, _ = validate_files([f], root / "annotations")
    assert str(problems[0]).startswith(f"{f}:1: invalid JSON")


def test_cli_exit_code(tmp_path, root, gold):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    bad = copy.deepcopy(gold[0])
    _no_speaker(bad)
    f = tmp_path / "bad.jsonl"
    srsly.write_jsonl(f, [bad])
    result = CliRunner().invoke(app, ["validate", str(f)])
    assert result.exit_code == 1
    assert f"{f}:1: spans[" in result.output
    assert CliRunner().invoke(app, ["validate"]).exit_code == 0
