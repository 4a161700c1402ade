"""The Hub dataset: deterministic build, offline load of every config, round trips, bad input."""

from __future__ import annotations

import shutil
from collections import Counter

import datasets
import pytest
import srsly

from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.errors import ValidationError
from kremlin_quotes.core.io import read_dir
from kremlin_quotes.core.labels import QUOTE_LABELS, SPOKEN_BY
from kremlin_quotes.dataset.docbin import doc_to_task, read_docbin, write_docbin
from kremlin_quotes.dataset.rows import task_from_row
from kremlin_quotes.dataset.schema import CONFIGS, QUOTE_TYPES
from kremlin_quotes.jobs.dataset import build_dataset, stale_files


@pytest.fixture(scope="module")
def gold(root):
    return load_valid(root / "annotations")


@pytest.fixture(scope="module")
def built(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "dataset"
    sizes = build_dataset(root / "annotations", root / "corpus", out, root / "guidelines.md")
    return out, sizes


@pytest.fixture(scope="module")
def loaded(built, tmp_path_factory, monkeypatch_module):
    import datasets

    cache = tmp_path_factory.mktemp("hf-cache")
    return {
        name: datasets.load_dataset(str(built[0]), name, cache_dir=str(cache), download_mode="force_redownload")
        for name in CONFIGS
    }


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("HF_DATASETS_OFFLINE", "1")
    yield mp
    mp.undo()


def test_build_is_deterministic_and_the_committed_folder_is_current(root, built, tmp_path):
    out, _ = built
    again = tmp_path / "again"
    build_dataset(root / "annotations", root / "corpus", again, root / "guidelines.md")
    assert read_dir(out) == read_dir(again)
    assert stale_files(root / "annotations", root / "corpus", root / "dataset", root / "guidelines.md") == []


def test_every_config_loads_offline_with_declared_features(loaded, built, gold):
    tasks, entities, topics = gold
    for name, features in CONFIGS.items():
        for split, ds in loaded[name].items():
            assert ds.features == features, (name, split)
            assert len(ds) == built[1][name][split]
    docs = loaded["documents"]
    assert sum(len(d) for d in docs.values()) == len(tasks)
    assert sorted(i for d in docs.values() for i in d["fold"]) == list(range(len(tasks)))
    quotes = loaded["quotes"]
    n_quotes = sum(len([s for s in t["spans"] if s["label"] in QUOTE_LABELS]) for t in tasks)
    assert sum(len(q) for q in quotes.values()) == n_quotes
    assert len(loaded["entities"]["train"]) == len(entities)
    assert len(loaded["topics"]["train"]) == len(topics)


def test_quote_rows_match_the_annotations(loaded, gold, corpus_docs):
    tasks, entities, _ = gold
    texts = {t["meta"]["id"]: t["text"] for t in tasks}
    type_counts = Counter()
    speakers = Counter()
    for split, ds in loaded["quotes"].items():
        for row in ds:
            text = texts[row["document_id"]]
            assert ds.features["split"].int2str(row["split"]) == split
            assert text[row["start"] : row["end"]] == row["text"]
            assert text[row["speaker"]["start"] : row["speaker"]["end"]] == row["speaker"]["text"]
            assert entities[row["speaker_id"]]["name"] == row["speaker_name"]
            assert row["sentences"]["start"] <= row["start"] and row["end"] <= row["sentences"]["end"]
            assert row["paragraph"]["start"] <= row["start"] and row["end"] <= row["paragraph"]["end"]
            assert "\n" not in row["sentences"]["text"] or "\n" in row["text"]
            type_counts[QUOTE_TYPES[row["type"]]] += 1
            speakers[row["speaker_id"]] += 1
    gold_types = Counter(s["label"].split("_")[0] for t in tasks for s in t["spans"] if s["label"] in QUOTE_LABELS)
    assert type_counts == gold_types
    gold_speakers = Counter()
    for t in tasks:
        kb = {(s["start"], s["end"], s["label"]): s.get("kb_id") for s in t["spans"]}
        for r in t["relations"]:
            if r["label"] == SPOKEN_BY:
                c = r["child_span"]
                gold_speakers[kb[(c["start"], c["end"], c["label"])]] += 1
    assert speakers == gold_speakers
    ents = {r["id"]: r["quotes"] for r in loaded["entities"]["train"]}
    assert {k: v for k, v in ents.items() if v} == dict(gold_speakers)


def test_round_trip_dataset_to_prodigy_tasks(loaded, gold):
    tasks, _, topics = gold
    by_id = {t["meta"]["id"]: t for t in tasks}
    rows = [row for ds in loaded["documents"].values() for row in ds]
    assert len(rows) == len(tasks)
    for row in rows:
        assert task_from_row(row) == by_id[row["id"]]


def test_docbin_export_keeps_span_layers_and_relations(gold, tmp_path):
    tasks, _, topics = gold
    path = tmp_path / "gold.spacy"
    assert write_docbin(path, tasks) == len(tasks)
    docs = read_docbin(path)
    assert [len(d.spans["quotes"]) for d in docs] == [
        len([s for s in t["spans"] if s["label"] in QUOTE_LABELS]) for t in tasks
    ]
    assert all(sp.kb_id_ for d in docs for sp in d.spans["speakers"])
    assert [doc_to_task(d) for d in docs] == tasks


def _copy_annotations(root, tmp_path):
    ann = tmp_path / "annotations"
    shutil.copytree(root / "annotations", ann)
    return ann


def test_invalid_annotations_stop_the_build_and_write_nothing(root, tmp_path):
    ann = _copy_annotations(root, tmp_path)
    tasks = list(srsly.read_jsonl(ann / "gold.jsonl"))
    tasks[1]["spans"][0]["start"] += 1
    srsly.write_jsonl(ann / "gold.jsonl", tasks)
    out = tmp_path / "dataset"
    out.mkdir()
    (out / "keep.txt").write_text("old build")
    with pytest.raises(ValidationError) as e:
        build_dataset(ann, root / "corpus", out, root / "guidelines.md")
    assert "gold.jsonl:2: spans[0]" in str(e.value)
    assert read_dir(out) == {"keep.txt": b"old build"}


def test_stale_annotations_name_file_line_and_field(root, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(root / "corpus", corpus)
    docs = list(srsly.read_jsonl(corpus / "documents.jsonl"))
    docs[2]["text"] = docs[2]["text"].replace("Kremlin", "Kreml", 1)
    srsly.write_jsonl(corpus / "documents.jsonl", docs)
    with pytest.raises(ValidationError) as e:
        build_dataset(root / "annotations", corpus, tmp_path / "out", root / "guidelines.md")
    assert "gold.jsonl:3: text: differs from the corpus text" in str(e.value)
    assert not (tmp_path / "out").exists()


def test_split_file_errors(root, tmp_path):
    ann = _copy_annotations(root, tmp_path)
    (ann / "splits.json").write_text('{"test": ["nope"], "dev": []}')
    with pytest.raises(ValidationError) as e:
        build_dataset(ann, root / "corpus", tmp_path / "out", root / "guidelines.md")
    text = str(e.value)
    assert "splits.json: test: document 'nope' is not in the annotations" in text
    assert "splits.json: dev: unknown split" in text


def test_a_rebuilt_folder_is_never_served_from_the_cache(root, tmp_path):
    """The data files carry a hash of their bytes, so the cache key changes with the rows: the same process and
    a fresh one see the rebuilt rows, and two folders named `dataset` never serve each other's data."""
    import subprocess
    import sys

    from kremlin_quotes.jobs.dataset import build_dataset

    project = tmp_path / "project"
    for name in ("corpus", "annotations"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("backups", ".*"))
    ann, out, cache = project / "annotations", project / "dataset", tmp_path / "cache"
    build_dataset(ann, project / "corpus", out, root / "guidelines.md")
    load = lambda: datasets.load_dataset(str(out), "quotes", split="train", cache_dir=str(cache))  # noqa: E731
    before = len(load())
    gold = list(srsly.read_jsonl(ann / "gold.jsonl"))
    held_out = {doc_id for ids in srsly.read_json(ann / "splits.json").values() for doc_id in ids}
    train_doc = next(t for t in gold if t["meta"]["id"] not in held_out)
    n_quotes = sum(s["label"].endswith("_QUOTE") for s in train_doc["spans"])
    srsly.write_jsonl(ann / "gold.jsonl", [t for t in gold if t is not train_doc])
    build_dataset(ann, project / "corpus", out, root / "guidelines.md")
    assert len(load()) == before - n_quotes
    code = (
        "import datasets, sys; "
        "print(len(datasets.load_dataset(sys.argv[1], 'quotes', split='train', cache_dir=sys.argv[2])))"
    )
    fresh = subprocess.run([sys.executable, "-c", code, str(out), str(cache)], capture_output=True, text=True)
    assert fresh.stdout.strip().splitlines()[-1] == str(before - n_quotes), fresh.stderr[-2000:]
