"""``kremlin-quotes predict --scheduler``: an archive of shards over a ``dask.distributed`` cluster.

The unit of work is a shard (one JSONL or Parquet file, local or any fsspec URL): a worker reads it, checks its
records (``predict.record_problem``), runs them through ``nlp.pipe`` (long texts window by window) and writes one
output part atomically (temporary file, then rename). A part that exists is a finished shard, so a second run
does no work, and a shard re-run after a worker died overwrites its own part: nothing lost, nothing twice. A
document that fails is logged with its id in ``<part>.failures.jsonl`` and the shard goes on. Each worker process
loads the pipeline once (a module-level cache), not once per shard.

Output: ``OUT.jsonl`` is the same Prodigy tasks as the single-process ``predict`` (parts in ``OUT.parts/``,
joined in shard order at the end); a folder gets Parquet parts with the dataset's ``quotes`` features.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import srsly

from ..core.errors import InputError, KQError, Problem
from ..core.io import atomic_path, numbered_jsonl

_PIPELINES: dict[str, object] = {}  # model path -> the loaded pipeline, per worker process
LOADS = {"count": 0}


def pipeline(model: str):  # noqa: ANN201 - a spaCy Language
    """The pipeline at ``model``, loaded once per process."""
    if model not in _PIPELINES:
        import kremlin_quotes

        _PIPELINES[model] = kremlin_quotes.load(model)
        LOADS["count"] += 1
    return _PIPELINES[model]


def shard_paths(pattern: str) -> list[str]:
    """The shards a glob names (local path or fsspec URL), sorted; an error when there is none."""
    import fsspec

    fs, _, paths = fsspec.core.get_fs_token_paths(pattern)
    found = sorted(p for p in paths if re.search(r"\.(jsonl|parquet)$", p))
    if not found:
        raise InputError(f"{pattern}: no .jsonl or .parquet shard matches")
    return [fs.unstrip_protocol(p) if "://" in pattern else p for p in found]


def part_name(shard: str) -> str:
    """The output part of a shard: its file name without the extension (shards must have distinct names)."""
    return re.sub(r"\.(jsonl|parquet)$", "", shard.rstrip("/").rsplit("/", 1)[-1])


def read_shard(shard: str) -> tuple[list[dict], list[Problem]]:
    """The valid records of a shard and the problems of the others (``file:line`` or ``file: row N``)."""
    import fsspec

    from ..model.predict import record_problem

    records, problems = [], []
    if shard.endswith(".parquet"):
        import pyarrow.parquet as pq

        with fsspec.open(shard, "rb") as f:
            rows = [(None, r) for r in pq.read_table(f).to_pylist()]
    else:
        with fsspec.open(shard, "rb") as f:
            rows = []
            for lineno, value in numbered_jsonl(f):
                if isinstance(value, Exception):
                    problems.append(Problem(shard, lineno, None, f"invalid JSON ({value})"))
                else:
                    rows.append((lineno, value))
    for n, (lineno, rec) in enumerate(rows, start=1):
        where = lineno if lineno is not None else None
        if not isinstance(rec, dict):
            problems.append(Problem(shard, where, None if where else f"row {n}", "not an object"))
            continue
        p = record_problem(shard, where, rec)
        if p is not None:
            problems.append(p if where else Problem(shard, None, f"row {n}.{p.field}", p.message))
            continue
        records.append(rec)
    return records, problems


@dataclass
class ShardResult:
    shard: str
    part: str
    documents: int = 0
    failed: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pid: int = 0
    loads: int = 0


def process_shard(shard: str, model: str, parts: str, fmt: str, entities: dict | None = None) -> ShardResult:
    """Predict one shard and write its part atomically (runs on a worker)."""
    from ..model.predict import predict_records

    nlp = pipeline(model)
    records, problems = read_shard(shard)
    out = ShardResult(shard, part_name(shard), pid=os.getpid())
    out.skipped = [str(p) for p in problems]
    tasks: list[dict] = []
    try:
        tasks = list(predict_records(nlp, records, progress=False))
    except Exception:  # noqa: BLE001 - one bad document: find it, keep the rest
        tasks = []
        for rec in records:
            try:
                tasks += list(predict_records(nlp, [rec], progress=False))
            except Exception as e:  # noqa: BLE001
                doc_id = (rec.get("meta") or {}).get("id") or rec.get("id")
                out.failed.append({"id": doc_id, "shard": shard, "error": f"{type(e).__name__}: {e}"[:300]})
    out.documents = len(tasks)
    folder = Path(parts)
    if out.failed:
        srsly.write_jsonl(folder / f"{out.part}.failures.jsonl", out.failed)
    target = folder / f"{out.part}.{'jsonl' if fmt == 'jsonl' else 'parquet'}"
    with atomic_path(target) as tmp:
        if fmt == "jsonl":
            srsly.write_jsonl(tmp, tasks)
        else:
            tmp.write_bytes(quote_parquet(tasks, entities or {}))
    out.loads = LOADS["count"]
    return out


def quote_parquet(tasks: list[dict], entities: dict[str, dict]) -> bytes:
    """Parquet with the dataset's ``quotes`` features: one row per predicted quote (split "test", fold -1)."""
    from ..dataset.build import parquet_bytes
    from ..dataset.rows import quote_rows

    unknown = entities.get("UNKNOWN", {"name": "Unknown source", "type": "GROUP"})
    rows = []
    for t in tasks:
        text = t["text"]
        paragraphs = [[m.start(), m.end()] for m in re.finditer(r"[^\n]+", text)] or [[0, len(text)]]
        known = {s.get("kb_id"): entities.get(s.get("kb_id"), unknown) for s in t["spans"] if s["label"] == "SPEAKER"}
        rows += quote_rows(t, {"paragraphs": paragraphs}, "test", -1, known, {})
    return parquet_bytes("quotes", rows)


@dataclass
class RunSummary:
    shards: int
    done_before: int
    results: list[ShardResult]


def run(
    pattern: str,
    out: Path,
    model: Path,
    scheduler: str,
    entities: dict | None = None,
    progress: Callable | None = None,
) -> RunSummary:
    """Predict every shard of ``pattern`` on the cluster at ``scheduler`` (``local:N`` starts a LocalCluster of N
    worker processes); finished shards are skipped. ``out``: ``*.jsonl`` (tasks) or a folder (Parquet parts)."""
    from dask.distributed import Client, LocalCluster, as_completed

    shards = shard_paths(pattern)
    names = [part_name(s) for s in shards]
    if len(set(names)) != len(names):
        raise KQError(f"{pattern}: two shards share a file name; parts are named after shards")
    fmt = "jsonl" if out.suffix == ".jsonl" else "parquet"
    parts = out.with_name(out.name + ".parts") if fmt == "jsonl" else out
    parts.mkdir(parents=True, exist_ok=True)
    ext = "jsonl" if fmt == "jsonl" else "parquet"
    todo = [s for s, n in zip(shards, names, strict=True) if not (parts / f"{n}.{ext}").exists()]
    results: list[ShardResult] = []
    if todo:
        if scheduler.startswith("local:"):
            cluster = LocalCluster(
                n_workers=int(scheduler.split(":", 1)[1]), threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        else:
            cluster, client = None, Client(scheduler)
        try:
            futures = client.map(
                process_shard, todo, model=str(model.resolve()), parts=str(parts.resolve()), fmt=fmt,
                entities=entities, pure=False,
            )  # fmt: skip
            done = as_completed(futures)
            for f in progress(done, total=len(futures)) if progress else done:
                results.append(f.result())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    if fmt == "jsonl":
        with atomic_path(out) as tmp, tmp.open("wb") as sink:
            for n in names:
                sink.write((parts / f"{n}.jsonl").read_bytes())
    return RunSummary(len(shards), len(shards) - len(todo), results)
