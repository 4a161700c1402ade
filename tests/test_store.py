"""The gold store under stress: concurrent merges (processes), same-second backups, file modes, and a
crash between the registry and gold writes."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
from pathlib import Path

import pytest
import srsly

from kremlin_quotes.annotation.merge import merge
from kremlin_quotes.annotation.validate import load_valid, validate_files
from kremlin_quotes.core import store
from kremlin_quotes.core.errors import KQError
from kremlin_quotes.core.tasks import tokens_of

DOC = 2  # a gold document with a speaker no other document names (sergey_lavrov)
ENTITY = "sergey_lavrov"
N_GOLD = sum(1 for line in (Path(__file__).resolve().parents[1] / "annotations" / "gold.jsonl").open() if line.strip())


@pytest.fixture
def project(root, tmp_path):
    """A project copy whose gold lacks document DOC and whose registry lacks ENTITY: merging brings both."""
    for name in ("corpus", "annotations"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("backups", ".*"))
    ann = tmp_path / "annotations"
    gold = list(srsly.read_jsonl(ann / "gold.jsonl"))
    task = gold.pop(DOC)
    entities = list(srsly.read_jsonl(ann / "entities.jsonl"))
    (lavrov,) = [e for e in entities if e["id"] == ENTITY]
    # the registry without ENTITY; the gold without DOC (and so without its only mention of ENTITY)
    srsly.write_jsonl(ann / "entities.jsonl", [e for e in entities if e["id"] != ENTITY])
    srsly.write_jsonl(ann / "gold.jsonl", gold)
    os.chmod(ann / "gold.jsonl", 0o644)
    srsly.write_jsonl(tmp_path / "task.jsonl", [task])
    srsly.write_jsonl(tmp_path / "entity.jsonl", [lavrov])
    return tmp_path


def _merge_in_child(project, barrier, results):
    try:
        barrier.wait(timeout=30)
        r = merge(
            project / "task.jsonl", project / "annotations", project / "corpus", entities_file=project / "entity.jsonl"
        )
        results.put(("ok", len(r.added), len(r.unchanged)))
    except Exception as e:  # noqa: BLE001 - reported to the parent
        results.put(("error", type(e).__name__, str(e)))


def test_concurrent_merges_of_one_document(project):
    tokens_of("warm up")  # the tokenizer is loaded before forking, as a long-running process would have it
    ann = project / "annotations"
    start_gold, start_entities = (ann / "gold.jsonl").read_bytes(), (ann / "entities.jsonl").read_bytes()
    ctx = mp.get_context("fork")
    doc_id = srsly.read_jsonl(project / "task.jsonl").__next__()["meta"]["id"]
    for _ in range(20):
        (ann / "gold.jsonl").write_bytes(start_gold)
        (ann / "entities.jsonl").write_bytes(start_entities)
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_merge_in_child, args=(project, barrier, results)) for _ in range(2)]
        for p in procs:
            p.start()
        outcomes = sorted(results.get(timeout=120) for _ in procs)
        for p in procs:
            p.join(timeout=60)
        # one merge adds the document, the other finds it already there, unchanged
        assert outcomes == [("ok", 0, 1), ("ok", 1, 0)], outcomes
        problems, n = validate_files([ann / "gold.jsonl"], ann)
        assert problems == [] and n == N_GOLD
        ids = [t["meta"]["id"] for t in srsly.read_jsonl(ann / "gold.jsonl")]
        assert ids.count(doc_id) == 1
        assert [e["id"] for e in srsly.read_jsonl(ann / "entities.jsonl")].count(ENTITY) == 1
        assert os.stat(ann / "gold.jsonl").st_mode & 0o777 == 0o644


def test_second_writer_fails_clearly_when_the_lock_is_held(project):
    ann = project / "annotations"
    ctx = mp.get_context("fork")
    holding, release = ctx.Event(), ctx.Event()

    def hold():
        with store.locked(ann):
            holding.set()
            release.wait(30)

    p = ctx.Process(target=hold)
    p.start()
    try:
        assert holding.wait(30)
        before = (ann / "gold.jsonl").read_bytes()
        with pytest.raises(KQError, match="another writer holds the annotations lock .pid"), store.locked(ann, 0.3):
            pass
        assert (ann / "gold.jsonl").read_bytes() == before
    finally:
        release.set()
        p.join(30)


def test_replace_merges_in_one_second_keep_distinct_backups(project):
    ann = project / "annotations"
    merge(project / "task.jsonl", ann, project / "corpus", entities_file=project / "entity.jsonl")
    original = (ann / "gold.jsonl").read_bytes()
    task = next(srsly.read_jsonl(project / "task.jsonl"))
    for n, accept in enumerate(([], task["accept"][:1])):
        f = project / f"changed{n}.jsonl"
        srsly.write_jsonl(f, [{**task, "accept": accept}])
        report = merge(f, ann, project / "corpus", replace=True)
        assert report.replaced == [task["meta"]["id"]]
    found = store.backups(ann)
    assert len(found) == 2 and len({b.path.name for b in found}) == 2
    assert original in {b.path.read_bytes() for b in found}
    assert all(b.documents == N_GOLD for b in found)
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    listed = CliRunner().invoke(app, ["annotations", "backups", "--annotations", str(ann)])
    assert listed.exit_code == 0 and all(b.path.name in listed.output for b in found)
    assert os.stat(ann / "gold.jsonl").st_mode & 0o777 == 0o644
    # the same file backed up twice in the same microsecond still gets two files
    assert store.backup(ann / "gold.jsonl") != store.backup(ann / "gold.jsonl")


def merge_crashing_at(project, monkeypatch, target: str) -> None:
    """A merge that dies when it renames a file onto ``target`` (a crash at that step of the commit)."""
    real_replace = os.replace

    def crash(src, dst):
        if str(dst).endswith(target):
            raise OSError("simulated crash")
        return real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        merge(
            project / "task.jsonl", project / "annotations", project / "corpus", entities_file=project / "entity.jsonl"
        )
    monkeypatch.setattr(store.os, "replace", real_replace)


def test_crash_between_registry_and_gold_writes(project, monkeypatch):
    ann = project / "annotations"
    merge_crashing_at(project, monkeypatch, "gold.jsonl")
    # the registry was renamed, the gold not: the journal completes the commit on the next read
    assert (ann / store.JOURNAL).exists()
    gold, entities, _ = load_valid(ann)
    assert not (ann / store.JOURNAL).exists() and not list(ann.glob(f".*{store.STAGED_SUFFIX}"))
    assert len(gold) == N_GOLD and ENTITY in entities


def test_crash_before_the_commit_point_changes_nothing(project, monkeypatch):
    ann = project / "annotations"
    before = {p.name: p.read_bytes() for p in ann.glob("*.jsonl")}
    merge_crashing_at(project, monkeypatch, store.JOURNAL)
    assert {p.name: p.read_bytes() for p in ann.glob("*.jsonl")} == before
    with store.locked(ann):
        pass
    assert not list(ann.glob(f".*{store.STAGED_SUFFIX}")) and not (ann / store.JOURNAL).exists()


def _merge_forever(project):
    ann, corpus = project / "annotations", project / "corpus"
    merge(project / "task.jsonl", ann, corpus, entities_file=project / "entity.jsonl")
    os._exit(0)


def test_merge_killed_at_any_moment_leaves_old_or_new_state(project):
    """SIGKILL at 30 (up to 60) moments of a merge: afterwards the folder is the old state or the new one, never a mix,
    and no temporary file is left once the next reader has settled it."""
    import random
    import signal
    import time

    tokens_of("warm up")
    ann = project / "annotations"
    old = {p.name: p.read_bytes() for p in ann.glob("*.jsonl")}
    ctx = mp.get_context("fork")
    # the kill moments spread over one whole merge as long as it takes on this machine (forked and timed first)
    took = float("inf")
    for _ in range(2):  # the faster of two: the first pays for cold caches
        t0 = time.perf_counter()
        p = ctx.Process(target=_merge_forever, args=(project,))
        p.start()
        p.join()
        took = min(took, time.perf_counter() - t0)
    rng = random.Random(0)
    outcomes = set()
    for attempt in range(60):
        if attempt and attempt % 10 == 0 and len(outcomes) == 1:  # a loaded machine: move the kills
            took *= 0.5 if outcomes == {N_GOLD} else 1.5
        if attempt >= 30 and len(outcomes) == 2:
            break
        for name, data in old.items():
            (ann / name).write_bytes(data)
        p = ctx.Process(target=_merge_forever, args=(project,))
        p.start()
        time.sleep(rng.uniform(0.0, 1.2 * took))
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        problems, n = validate_files([ann / "gold.jsonl"], ann)  # settles an interrupted commit
        assert problems == []
        gold_ids = [t["meta"]["id"] for t in srsly.read_jsonl(ann / "gold.jsonl")]
        entity_ids = [e["id"] for e in srsly.read_jsonl(ann / "entities.jsonl")]
        assert (n, ENTITY in entity_ids) in ((N_GOLD - 1, False), (N_GOLD, True)), (n, entity_ids)
        assert len(set(gold_ids)) == len(gold_ids)
        assert [f.name for f in ann.iterdir() if f.name.startswith(".") and f.name != store.LOCK_FILE] == []
        outcomes.add(n)
    assert outcomes == {N_GOLD - 1, N_GOLD}  # the kills landed both before and after the commit
