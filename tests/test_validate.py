"""The validator on the gold annotations and on a corruption suite: every case is reported with file, line
and field, and none raises."""

import copy
import shutil

import pytest
import srsly

from kremlin_quotes.annotation.validate import validate_files


@pytest.fixture(scope="module")
def gold(root):
    return list(srsly.read_jsonl(root / "annotations" / "gold.jsonl"))


@pytest.fixture
def ann(tmp_path, root):
    """A copy of annotations/ whose gold.jsonl each test overwrites (the gold is also hash-checked)."""
    out = tmp_path / "annotations"
    out.mkdir()
    for name in ("entities.jsonl", "topics.jsonl"):
        shutil.copy(root / "annotations" / name, out / name)
    return out


def run(ann, tasks):
    f = ann / "gold.jsonl"
    srsly.write_jsonl(f, tasks)
    problems, _ = validate_files([f], ann)
    return [str(p) for p in problems]


def test_gold_is_valid(root, gold):
    problems, n = validate_files([root / "annotations" / "gold.jsonl"], root / "annotations")
    assert n == len(gold) > 0
    assert problems == []


def first(task, label):
    return next(i for i, s in enumerate(task["spans"]) if s["label"] == label)


def rel(task, label):
    return next(r for r in task["relations"] if r["label"] == label)


def stance(task):
    return next(r for r in task["relations"] if r["label"] in ("FAVOR", "AGAINST", "NEUTRAL"))


def setter(path, value):
    """A corruption that sets task[path...] = value (path items are keys, indexes or callables)."""

    def corrupt(t):
        obj = t
        for p in path[:-1]:
            obj = p(obj) if callable(p) else obj[p]
        obj[path[-1]] = copy.deepcopy(value)

    return corrupt


def _speaker_inside_quote(t):
    r = rel(t, "SPOKEN_BY")
    q = next(s for s in t["spans"] if s["start"] == r["head_span"]["start"] and s["label"] == r["head_span"]["label"])
    tok = t["tokens"][q["token_start"] + 1]
    spk = next(s for s in t["spans"] if s["label"] == "SPEAKER")
    inner = {**{k: tok[k] for k in ("text", "start", "end")}, "token_start": tok["id"], "token_end": tok["id"]}
    inner.update(label="SPEAKER", kb_id=spk["kb_id"])
    t["spans"].append(inner)
    r["child_span"] = {k: inner[k] for k in ("start", "end", "token_start", "token_end", "label")}
    r["child"] = inner["token_end"]


def _second_speaker(t):
    r = copy.deepcopy(rel(t, "SPOKEN_BY"))
    other = next(s for s in t["spans"] if s["label"] == "SPEAKER" and s["start"] != r["child_span"]["start"])
    r["child_span"] = {k: other[k] for k in ("start", "end", "token_start", "token_end", "label")}
    r["child"] = other["token_end"]
    t["relations"].append(r)


def _favor_and_against(t):
    r = copy.deepcopy(stance(t))
    r["label"] = "FAVOR" if r["label"] != "FAVOR" else "AGAINST"
    t["relations"].append(r)


def _head_is_speaker(t):
    r = rel(t, "CUED_BY")
    spk = t["spans"][first(t, "SPEAKER")]
    r["head_span"] = {k: spk[k] for k in ("start", "end", "token_start", "token_end", "label")}
    r["head"] = spk["token_end"]


def _swap_token_ids(t):
    t["tokens"][2]["id"], t["tokens"][3]["id"] = 3, 2


def _overlapping_tokens(t):
    t["tokens"][3]["start"] = t["tokens"][2]["start"]
    t["tokens"][3]["text"] = t["text"][t["tokens"][3]["start"] : t["tokens"][3]["end"]]


def _drop_last_tokens(t):
    del t["tokens"][-20:]


SPK, CUE_, TOP = (lambda t: t["spans"][first(t, "SPEAKER")]), None, (lambda t: t["spans"][first(t, "TOPIC")])
QUOTE = lambda t: next(s for s in t["spans"] if s["label"].endswith("_QUOTE"))  # noqa: E731
R0 = lambda t: t["relations"][0]  # noqa: E731

CASES = [
    # types: a list, number, string or bool where another type belongs
    (setter([SPK, "kb_id"], ["dmitry_peskov"]), ".kb_id: Input should be a valid string"),
    (setter([R0, "head_span", "start"], [1]), "relations[0].head_span.start: Input should be a valid integer"),
    (setter([QUOTE, "start"], [1, 2]), ".start: Input should be a valid integer"),
    (setter(["options", 0, "id"], ["ukraine_war"]), "options[0].id: Input should be a valid string"),
    (setter(["options"], 5), "options: Input should be a valid list"),
    (setter(["accept"], 5), "accept: Input should be a valid list"),
    (setter(["text"], 5), "text: Input should be a valid string"),
    (setter(["tokens"], "abc"), "tokens: Input should be a valid list"),
    (setter(["meta"], []), "meta: Input should be a valid dictionary"),
    (setter(["_input_hash"], "12"), "_input_hash: Input should be a valid integer"),
    (setter(["tokens", 0, "start"], "0"), "tokens[0].start: Input should be a valid integer"),
    (setter([QUOTE, "end"], True), ".end: Input should be a valid integer"),
    (setter(["answer"], None), "answer: Input should be a valid string"),
    (setter(["relations", 0], "x"), "relations[0]: Input should be a valid dictionary"),
    (setter(["spans", 0], None), "spans[0]: Input should be a valid dictionary"),
    (setter([R0, "label"], 7), "relations[0].label: Input should be a valid string"),
    # offsets
    (setter(["spans", 0, "text"], "wrong"), "spans[0].text: 'wrong' != text["),
    (setter(["spans", 0, "end"], 10**7), "spans[0].start: offsets"),
    (setter(["spans", 0, "start"], -1), "spans[0].start: Input should be greater than or equal to 0"),
    (lambda t: t["spans"][0].update(end=t["spans"][0]["start"], text=""), "spans[0].start: offsets"),
    (lambda t: t["spans"][0].update(token_end=t["spans"][0]["token_end"] + 1), "spans[0].token_start: tokens"),
    # labels
    (setter(["spans", 0, "label"], "QUOTE"), "spans[0].label: unknown label 'QUOTE'"),
    (setter([lambda t: rel(t, "CUED_BY"), "label"], "SAID_BY"), ".label: unknown relation 'SAID_BY'"),
    (setter([lambda t: rel(t, "CUED_BY"), "label"], "SPOKEN_BY"), "SPOKEN_BY must end at a SPEAKER, not CUE"),
    (_head_is_speaker, "CUED_BY must start at a quote, not SPEAKER"),
    # relations
    (lambda t: t["relations"][0]["child_span"].update(start=t["relations"][0]["child_span"]["start"] + 1), "no span"),
    (lambda t: t.update(relations=[r for r in t["relations"] if r["label"] != "SPOKEN_BY"]), "has 0 SPOKEN_BY"),
    (_second_speaker, "has 2 SPOKEN_BY relations"),
    (lambda t: t["relations"].append(copy.deepcopy(stance(t))), "duplicate "),
    (_favor_and_against, "on the same quote and topic"),
    (lambda t: R0(t)["head_span"].update(token_start=R0(t)["head_span"]["token_start"] + 1), ".head_span.token_start"),
    (lambda t: R0(t).update(head=R0(t)["head"] + 1), "relations[0].head: is "),
    (_speaker_inside_quote, "is inside its own quote"),
    (lambda t: t["relations"].append(copy.deepcopy(rel(t, "CUED_BY"))), "duplicate CUED_BY relation"),
    # registries and taxonomy
    (setter([SPK, "kb_id"], "nobody"), ".kb_id: speaker id 'nobody' is not in the entity registry"),
    (setter([TOP, "kb_id"], "elsewhere"), ".kb_id: topic id 'elsewhere' is not in the topic taxonomy"),
    (setter(["accept"], ["not_a_topic"]), "accept: 'not_a_topic' is not one of the options"),
    (lambda t: t["options"].append({"id": "atlantis", "text": "Atlantis"}), "option 'atlantis' is not in the topic"),
    (lambda t: t["accept"].append(t["accept"][0]), "accept: a topic is accepted twice"),
    # ids
    (setter(["meta", "id"], ""), "meta.id: '' is not a valid id"),
    (setter(["meta", "id"], 'x"><svg onload=alert(5)>'), "meta.id: 'x\"><svg onload=alert(5)>' is not a valid id"),
    (setter(["meta", "id"], "../../x"), "meta.id: '../../x' is not a valid id"),
    (setter(["meta", "id"], "/etc/passwd"), "is not a valid id"),
    (setter(["meta", "id"], 1), "meta.id: Input should be a valid string"),
    (lambda t: t.pop("meta"), "meta: missing"),
    # tokens
    (setter(["tokens"], []), "tokens: do not cover the text from character 0"),
    (setter(["tokens", 3, "text"], "zzz"), "tokens[3].text: 'zzz' does not match"),
    (_swap_token_ids, "tokens[2].id: is 3, expected 2"),
    (_overlapping_tokens, "tokens[3].start: overlaps or skips"),
    (_drop_last_tokens, "tokens: do not cover the text"),
    # hashes, answer, missing fields
    (lambda t: t.update(_input_hash=t["_input_hash"] + 1), "_input_hash: "),
    (lambda t: t.update(_task_hash=t["_task_hash"] + 1), "_task_hash: "),
    (setter(["answer"], "reject"), "answer: 'reject': only accepted tasks are gold"),
    (lambda t: t.pop("text"), "text: missing"),
    (lambda t: t.pop("spans"), "spans: missing"),
]


@pytest.mark.parametrize("corrupt,expected", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_corruption_is_reported_with_file_line_and_field(ann, gold, corrupt, expected):
    tasks = copy.deepcopy(gold[:2])
    corrupt(tasks[1])
    problems = run(ann, tasks)
    assert problems, "corruption went unnoticed"
    assert all(p.startswith(f"{ann / 'gold.jsonl'}:2: ") for p in problems), problems
    assert any(expected in p for p in problems), problems


def _raw_cases(gold):
    a, b = (srsly.json_dumps(t).encode() for t in gold[:2])
    return {
        "truncated": (a + b"\n" + b[: len(b) // 2] + b"\n", ":2: invalid JSON"),
        "bad-utf8": (a + b"\n" + b[:50] + b"\xff\xfe" + b[50:] + b"\n", ":2: invalid JSON"),
        "not-an-object": (a + b"\n[1, 2]\n", ":2: expected a JSON object, got list"),
        "duplicate": (a + b"\n" + a + b"\n", ":2: meta.id: duplicate task"),
        "empty": (b"", ":1: empty file"),
        "blank-lines": (b"\n\n", ":1: empty file"),
        "nul": (a + b"\n\x00\n", ":2: invalid JSON"),
    }


@pytest.mark.parametrize("case", list(_raw_cases([{"text": "a"}, {"text": "b"}])))
def test_broken_file_is_reported_with_line(ann, gold, case):
    data, expected = _raw_cases(gold)[case]
    f = ann / "gold.jsonl"
    f.write_bytes(data)
    problems = [str(p) for p in validate_files([f], ann)[0]]
    assert any(p.startswith(str(f) + expected) for p in problems), problems


REGISTRY_CASES = {
    "entity-bad-type": ("entities.jsonl", {"type": "ALIEN"}, ":1: type: 'ALIEN' is not one of"),
    "entity-hostile-id": ("entities.jsonl", {"id": "<b>x</b>"}, ":1: id: '<b>x</b>' is not a valid id"),
    "entity-alias-list": ("entities.jsonl", {"aliases": [["Peskov"]]}, ":1: aliases: every alias"),
    "topic-name-number": ("topics.jsonl", {"name": 5}, ":1: name: missing or not a str"),
    "topic-extra-field": ("topics.jsonl", {"colour": "red"}, ":1: colour: unknown field"),
}


@pytest.mark.parametrize("case", list(REGISTRY_CASES))
def test_registry_corruption(ann, gold, case):
    name, change, expected = REGISTRY_CASES[case]
    records = list(srsly.read_jsonl(ann / name))
    records[0].update(change)
    srsly.write_jsonl(ann / name, records)
    problems = run(ann, gold[:1])
    assert any(p.startswith(str(ann / name) + expected) for p in problems), problems


def test_cli_exit_code(tmp_path, root, gold):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    bad = copy.deepcopy(gold[0])
    bad["relations"] = [r for r in bad["relations"] if r["label"] != "SPOKEN_BY"]
    f = tmp_path / "bad.jsonl"
    srsly.write_jsonl(f, [bad])
    result = CliRunner().invoke(app, ["validate", str(f)])
    assert result.exit_code == 1
    assert f"{f}:1: spans[" in result.output
    assert CliRunner().invoke(app, ["validate"]).exit_code == 0
