"""The extension loop end to end, on a copy of the project and an article written for this test:
corpus add -> predict -> Label Studio round trip (the correction) -> annotations merge -> rebuild."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

import datasets
import pytest
import srsly
from typer.testing import CliRunner

from extension import ARTICLE, HOLM, PORTS, correct  # tests/extension.py
from kremlin_quotes.annotation.labelstudio import from_labelstudio, to_labelstudio
from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.cli import app


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, " ".join(result.output.split())  # wasabi wraps long lines


@pytest.fixture
def project(root, tmp_path):
    for name in ("seeds", "corpus", "annotations"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "guidelines.md", tmp_path / "guidelines.md")
    (tmp_path / "README.md").write_text("# test\n<!-- metrics:start -->\n<!-- metrics:end -->\n")
    return tmp_path


def test_add_predict_correct_merge_rebuild(project, tmp_path, root):
    before_gold = (project / "annotations" / "gold.jsonl").read_bytes()
    before_docs = (project / "corpus" / "documents.jsonl").read_text().splitlines()
    article = tmp_path / "tallinn-port.txt"
    article.write_text(ARTICLE)
    common = ["--seeds", project / "seeds", "--corpus", project / "corpus"]
    prov_file = project / "corpus" / "sources" / "provenance.jsonl"
    before_prov = list(srsly.read_jsonl(prov_file)) if prov_file.exists() else []

    # 1. add: cleaned like the seeds, stable id, provenance; a second add is a duplicate
    code, out = run("corpus", "add", article, *common, "--url", "https://example.org/port")
    assert code == 0, out
    lines = (project / "corpus" / "documents.jsonl").read_text().splitlines()
    n_before = len(before_docs)
    assert len(lines) == n_before + 1 and lines[:-1] == before_docs  # existing documents byte-identical
    docs = [json.loads(line) for line in lines]
    new = docs[-1]
    assert new["id"].startswith(f"{n_before:03d}_") and new["title"].startswith("Harbour minister")
    assert "Read next" not in new["text"] and new["removed"][0]["rule"] == "read-next-link"
    assert (project / "corpus" / "sources" / f"{new['id']}.txt").read_bytes() == article.read_bytes()
    prov = list(srsly.read_jsonl(project / "corpus" / "sources" / "provenance.jsonl"))
    assert prov[:-1] == before_prov  # articles added earlier (an extended corpus) keep their records
    assert prov[-1] == {
        "id": new["id"],
        "file": article.name,
        "sha256": new["source_sha256"],
        "url": "https://example.org/port",
    }
    code, out = run("corpus", "add", article, *common)
    assert code == 0 and "duplicate of " + new["id"] in out
    other = tmp_path / "other.txt"
    other.write_text("A different article.\n\nThe mayor said the bridge is safe.\n")
    code, out = run("corpus", "add", other, *common, "--id", new["id"])
    assert code == 1 and "already names another document" in out
    # rebuilding the corpus from seeds + sources gives the same file
    snapshot = (project / "corpus" / "documents.jsonl").read_bytes()
    assert run("corpus", "--seeds", project / "seeds", "--out", project / "corpus")[0] == 0
    assert (project / "corpus" / "documents.jsonl").read_bytes() == snapshot

    # 2. pre-annotate only the new document
    tasks_file = tmp_path / "new.jsonl"
    code, out = run(
        "predict",
        project / "corpus" / "documents.jsonl",
        tasks_file,
        "--new-only",
        "--annotations",
        project / "annotations",
    )
    assert code == 0, out
    (predicted,) = list(srsly.read_jsonl(tasks_file))
    assert predicted["meta"]["source"] == "model" and predicted["meta"]["id"] == new["id"]
    speakers = {s["text"] for s in predicted["spans"] if s["label"] == "SPEAKER"}
    assert {"Transport Minister Lena Holm", "Holm"} <= speakers

    # 3. correct it in Label Studio: export (pre-annotations), the annotator submits, import back
    ls_in = tmp_path / "ls.json"
    assert run("labelstudio", "export", tasks_file, ls_in)[0] == 0
    ls_tasks = json.loads(ls_in.read_text())
    corrected = correct(predicted)
    ls_tasks[0]["annotations"] = [to_labelstudio(corrected, as_predictions=False)["annotations"][0]]
    ls_tasks[0]["data"] = to_labelstudio(corrected)["data"]
    ls_out = tmp_path / "ls-export.json"
    ls_out.write_text(json.dumps(ls_tasks))
    corrected_file = tmp_path / "corrected.jsonl"
    assert run("labelstudio", "import", ls_out, corrected_file)[0] == 0
    assert list(srsly.read_jsonl(corrected_file)) == [from_labelstudio(ls_tasks[0], "x", 1)]

    # 4. merge: unknown ids are rejected until the registries are extended explicitly
    ann = ["--annotations", project / "annotations", "--corpus", project / "corpus"]
    code, out = run("annotations", "merge", corrected_file, *ann)
    assert code == 1 and f"{corrected_file}:1: spans[" in out and "lena_holm" in out
    assert (project / "annotations" / "gold.jsonl").read_bytes() == before_gold
    additions = tmp_path / "entities.jsonl"
    srsly.write_jsonl(additions, [HOLM])
    topics = tmp_path / "topics.jsonl"
    srsly.write_jsonl(topics, [PORTS])
    extend = ["--entities", additions, "--topics", topics]
    code, out = run("annotations", "merge", corrected_file, *ann, *extend)
    assert code == 0, out
    assert "1 added" in out and "1 entities and 1 topics added" in out
    gold = (project / "annotations" / "gold.jsonl").read_bytes()
    assert gold.startswith(before_gold) and gold.count(b"\n") == before_gold.count(b"\n") + 1  # old ones intact
    merged, entities, topics_reg = load_valid(project / "annotations")
    assert merged[-1]["meta"] == {
        "id": new["id"],
        "source": new["source"],
        "annotator": "test-annotator",
        "pass": 1,
    }
    assert "lena_holm" in entities and "ports" in topics_reg
    # the same batch again changes nothing; a changed one needs --replace, which keeps a backup
    code, out = run("annotations", "merge", corrected_file, *ann)
    assert code == 0 and "1 unchanged" in out
    changed = list(srsly.read_jsonl(corrected_file))
    changed[0]["accept"] = []
    changed_file = tmp_path / "changed.jsonl"
    srsly.write_jsonl(changed_file, changed)
    code, out = run("annotations", "merge", changed_file, *ann)
    assert code == 1 and "use --replace" in out
    code, out = run("annotations", "merge", changed_file, *ann, "--replace")
    assert code == 0 and "1 replaced" in out
    backups = list((project / "annotations" / "backups").glob("gold-*.jsonl"))
    assert len(backups) == 1 and backups[0].read_bytes() == gold

    # the dataset as built before the extension, read once so the cache holds it
    shutil.copytree(root / "dataset", project / "dataset")
    cache = tmp_path / "hf-cache"
    quotes = lambda: datasets.load_dataset(str(project / "dataset"), "quotes", split="train", cache_dir=str(cache))  # noqa: E731
    assert new["id"] not in set(quotes()["document_id"])

    # 5. rebuild: statistics, dataset, model and metrics grow with the new document
    code, out = run(
        "rebuild",
        *ann,
        "--dataset",
        project / "dataset",
        "--model",
        project / "model",
        "--guidelines",
        project / "guidelines.md",
        "--readme",
        project / "README.md",
    )
    assert code == 0, out
    assert f"trained on {len(merged)} gold + 0 PolNeAR documents" in out
    card = (project / "dataset" / "README.md").read_text()
    held_out = srsly.read_json(project / "annotations" / "splits.json")
    sizes = [len(merged) - sum(map(len, held_out.values())), len(held_out["validation"]), len(held_out["test"])]
    assert "| documents | {} | {} | {} |".format(*sizes) in card  # the new document goes to train
    assert "Lena Holm" in (project / "guidelines.md").read_text()
    assert "learned, gold only (LODO CV)" in (project / "README.md").read_text()
    assert (project / "annotations" / "gold.jsonl").read_bytes().startswith(before_gold)
    # load_dataset returns the new rows, in this process (same cache) and in a fresh one
    n_new = sum(1 for t in merged if t["meta"]["id"] == new["id"] for s in t["spans"] if s["label"].endswith("_QUOTE"))
    assert n_new and list(quotes()["document_id"]).count(new["id"]) == n_new
    fresh = subprocess.run(
        [sys.executable, "-c", "import datasets, sys; rows = datasets.load_dataset(sys.argv[1], 'quotes', "
         "split='train', cache_dir=sys.argv[2]); print(list(rows['document_id']).count(sys.argv[3]))",
         str(project / "dataset"), str(cache), new["id"]],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert fresh.returncode == 0 and fresh.stdout.split()[-1] == str(n_new), fresh.stderr[-2000:]


def test_invalid_batch_is_rejected_whole(project, tmp_path):
    gold = list(srsly.read_jsonl(project / "annotations" / "gold.jsonl"))
    bad = copy.deepcopy(gold[:2])
    bad[0]["meta"]["id"] = "not-in-corpus"
    bad[1]["spans"][0]["end"] += 1
    f = tmp_path / "bad.jsonl"
    srsly.write_jsonl(f, bad)
    before = (project / "annotations" / "gold.jsonl").read_bytes()
    code, out = run(
        "annotations", "merge", f, "--annotations", project / "annotations", "--corpus", project / "corpus"
    )
    assert code == 1 and f"{f}:2: spans[0]" in out
    assert (project / "annotations" / "gold.jsonl").read_bytes() == before


def test_raw_model_output_never_becomes_gold_by_accident(project, tmp_path):
    """`annotations merge` on predict's output fails and leaves every gold file byte-identical; the bulk flag
    merges it, and the gold says who made it."""
    ann = project / "annotations"
    gold = list(srsly.read_jsonl(ann / "gold.jsonl"))
    # the last document, taken out of the gold, then pre-annotated by the model
    srsly.write_jsonl(ann / "gold.jsonl", gold[:-1])
    docs = tmp_path / "docs.jsonl"
    srsly.write_jsonl(docs, [{"id": gold[-1]["meta"]["id"], "text": gold[-1]["text"]}])
    predicted = tmp_path / "predicted.jsonl"
    assert run("predict", docs, predicted)[0] == 0
    (task,) = list(srsly.read_jsonl(predicted))
    assert "answer" not in task and task["meta"]["reviewed"] is False and task["meta"]["model_version"]
    files = lambda: {p.name: p.read_bytes() for p in ann.glob("*.jsonl")}  # noqa: E731
    before = files()
    common = ["--annotations", ann, "--corpus", project / "corpus", "--annotator", "someone"]
    code, out = run("annotations", "merge", predicted, *common)
    assert code == 1 and f"{predicted}:1: answer: missing: unreviewed model output" in out
    assert files() == before
    code, out = run("annotations", "merge", predicted, *common, "--accept-model-output")
    assert code == 0 and "UNREVIEWED MODEL OUTPUT merged" in out
    merged = list(srsly.read_jsonl(ann / "gold.jsonl"))[-1]
    assert merged["meta"]["annotator"].startswith("unreviewed-model:kremlin_quotes@")
