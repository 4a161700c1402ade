"""The PolNeAR reader on a fixture in PolNeAR's layout (invented sentences; no PolNeAR text is in the repo)."""

from pathlib import Path

import pytest
import srsly
from typer.testing import CliRunner

from kremlin_quotes.annotation.polnear import import_polnear, is_speech
from kremlin_quotes.annotation.validate import validate_task
from kremlin_quotes.cli import app
from kremlin_quotes.core.errors import KQError
from kremlin_quotes.core.registry import load_entities

FIXTURE = Path(__file__).parent / "fixtures" / "polnear"


def polnear_folder(folder: Path, text: str, ann: list[str]) -> Path:
    """One article in PolNeAR's layout: ``text/a_1.txt`` and its annotator's ``attributions/a_1_x.ann``."""
    (folder / "text").mkdir()
    (folder / "attributions").mkdir()
    (folder / "text" / "a_1.txt").write_text(text, encoding="utf-8")
    (folder / "attributions" / "a_1_x.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    return folder


def spans(task, label=None):
    return [(s["label"], s["text"]) for s in task["spans"] if label is None or s["label"] == label]


def test_import_maps_the_scheme_and_counts_every_decision(root):
    tasks, summary = import_polnear(FIXTURE)
    assert len(tasks) == 1 and summary.documents == 1
    task = tasks[0]
    d = summary.decisions
    assert d["dropped: not speech or writing (belief, intention, poll, knowledge)"] == 1  # 'believes'
    assert d["dropped: no source (the guidelines require a speaker)"] == 1
    assert d["dropped: content overlaps a quote already taken"] == 1
    assert d["realigned: offsets not on token boundaries"] == 1  # 'Orti' -> 'Ortiz'
    assert d["trimmed: leading that/whether"] == 1
    assert d["split: content fragments became one quote each"] == 1
    assert d["articles with several annotators: first annotator kept"] == 1
    assert d["skipped: note or continuation line"] == 1
    assert summary.attributions == 4 and summary.quotes == 5
    assert ("INDIRECT_QUOTE", "the bridge would reopen in May") in spans(task)  # no leading 'that'
    assert {t for _, t in spans(task, "DIRECT_QUOTE")} == {"We are not giving up", "and we never will"}
    assert ("SPEAKER", "Ortiz") in spans(task)
    assert "the budget is too small" not in {t for _, t in spans(task)}
    assert task["meta"]["annotator"] == "aaaa" and task["meta"]["source"] == "polnear"
    entities = load_entities(root / "annotations" / "entities.jsonl", [])
    assert validate_task(task, "fixture", 1, entities, {}) == []
    # both fragments of the interrupted quotation share speaker and cue
    rels = {(r["head_span"]["start"], r["label"]): r["child_span"]["start"] for r in task["relations"]}
    direct = [s["start"] for s in task["spans"] if s["label"] == "DIRECT_QUOTE"]
    assert len({rels[(s, "SPOKEN_BY")] for s in direct}) == 1 and len({rels[(s, "CUED_BY")] for s in direct}) == 1


def test_quotations_in_every_convention_are_direct(tmp_path):
    """'' and British single marks quote as double marks do (guidelines §2): their contents are DIRECT, cut inside
    the marks; a double-mark heuristic types them INDIRECT."""
    text = "''We will build it,'' Ann said. Bo wrote: ‘It is a very bad idea.’\n"
    a, b = text.index("''We"), text.index("Ann")
    c, d = text.index("‘It"), text.index("Bo")
    ann = [
        f"T1\tContent {a} {a + 21}\t{text[a : a + 21]}",
        f"T2\tSource {b} {b + 3}\tAnn",
        f"T3\tCue {b + 4} {b + 8}\tsaid",
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
        f"T4\tContent {c} {c + 24}\t{text[c : c + 24]}",
        f"T5\tSource {d} {d + 2}\tBo",
        f"T6\tCue {d + 3} {d + 9}\twrote:",
        "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
    ]
    (task,), summary = import_polnear(polnear_folder(tmp_path, text, ann))
    assert summary.attributions == 2
    assert {t for _, t in spans(task, "DIRECT_QUOTE")} == {"We will build it", "It is a very bad idea"}


def test_the_one_quoted_speaks(tmp_path, root):
    """'X quoted Y as saying Z': PolNeAR gives Z (with 'Y as saying' in it or before it) to X, the relaying
    paper; the guidelines (H6) give Z to Y through the cue 'saying'."""
    text = "The Gazette quoted the mayor as saying the bridge would reopen. A blog cited her as saying “Not yet.”\n"

    def at(s: str) -> str:
        return f"{text.index(s)} {text.index(s) + len(s)}\t{s}"

    ann = [
        f"T1\tContent {at('the mayor as saying the bridge would reopen')}",
        f"T2\tSource {at('The Gazette')}",
        f"T3\tCue {at('quoted')}",
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
        f"T4\tContent {at('“Not yet.”')}",
        f"T5\tSource {at('A blog')}",
        f"T6\tCue {at('cited')}",
        "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
    ]
    (task,), summary = import_polnear(polnear_folder(tmp_path, text, ann))
    assert summary.decisions["converted: 'X quoted Y as saying' speaks as Y (guidelines H6)"] == 2
    assert spans(task, "SPEAKER") == [("SPEAKER", "the mayor"), ("SPEAKER", "her")]
    assert spans(task, "CUE") == [("CUE", "saying"), ("CUE", "saying")]
    assert {t for _, t in spans(task) if t.endswith(("reopen", "yet"))} == {"the bridge would reopen", "Not yet"}
    entities = load_entities(root / "annotations" / "entities.jsonl", [])
    assert validate_task(task, "fixture", 1, entities, {}) == []


def test_refusals_are_dropped_as_the_guidelines_have_it(tmp_path):
    """'declined to comment' has no content (H2); 'refused to fund X' is an act: neither is a quote, so both are
    dropped (negatives in training) and counted, while the statement beside them stays."""
    text = "The mayor declined to comment. The council refused to fund the bridge. Reyes said the plan works.\n"
    at = {w: text.index(w) for w in ("mayor", "declined", "to comment", "council", "refused", "to fund", "Reyes")}
    at["said"], at["plan"] = text.index("said"), text.index("the plan")
    ann = [
        f"T1\tSource {at['mayor']} {at['mayor'] + 5}\tmayor",
        f"T2\tCue {at['declined']} {at['declined'] + 8}\tdeclined",
        f"T3\tContent {at['to comment']} {at['to comment'] + 10}\tto comment",
        f"T4\tAttribution {at['declined']} {at['declined'] + 8}\tdeclined",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {at['council']} {at['council'] + 7}\tcouncil",
        f"T6\tCue {at['refused']} {at['refused'] + 7}\trefused",
        f"T7\tContent {at['to fund']} {at['to fund'] + 18}\tto fund the bridge",
        f"T8\tAttribution {at['refused']} {at['refused'] + 7}\trefused",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        f"T9\tSource {at['Reyes']} {at['Reyes'] + 5}\tReyes",
        f"T10\tCue {at['said']} {at['said'] + 4}\tsaid",
        f"T11\tContent {at['plan']} {at['plan'] + 14}\tthe plan works",
        f"T12\tAttribution {at['said']} {at['said'] + 4}\tsaid",
        "E3\tAttribution:T12 Content:T11 Cue:T10 Source:T9",
    ]
    tasks, summary = import_polnear(polnear_folder(tmp_path, text, ann))
    assert summary.decisions["dropped: a refusal ('declined to comment', 'refused to …'; guidelines H2)"] == 2
    assert summary.attributions == 1
    assert [t for label, t in spans(tasks[0]) if label.endswith("QUOTE")] == ["the plan works"]


def test_speech_or_writing():
    assert is_speech("said", "x") and is_speech("according to", "x") and is_speech(":", "x")
    assert is_speech("wrote in a letter", "x") and is_speech("thinks", "“quoted words”")
    assert not is_speech("believes", "x") and not is_speech("wants", "x")


def test_bad_folder_and_bad_lines_are_reported(tmp_path):
    with pytest.raises(KQError, match="not a PolNeAR folder"):
        import_polnear(tmp_path)
    bad = ["T1\tSource 0 3\tAnn", "T2\tCue 4 8;9\tsaid", "T3\tContent 9 900\tit"]  # a broken cue, offsets past the end
    bad.append("E1\tAttribution:T2 Content:T3 Source:T1")
    polnear_folder(tmp_path, "Ann said it rains.\n", bad)
    tasks, summary = import_polnear(tmp_path)  # never a crash: counted decisions
    assert summary.decisions["skipped: unreadable line"] == 1
    assert summary.first_problem.startswith(f"{tmp_path / 'attributions' / 'a_1_x.ann'}:2: ")
    assert summary.attributions == 0 and tasks[0]["spans"] == []


def test_cli_writes_valid_tasks(tmp_path):
    out = tmp_path / "polnear.jsonl"
    res = CliRunner().invoke(app, ["import", "polnear", str(FIXTURE), str(out)])
    assert res.exit_code == 0, res.output
    assert "dropped: not speech or writing" in res.output
    assert len(list(srsly.read_jsonl(out))) == 1
