"""Build the Hub dataset folder: validated annotations + corpus -> Parquet per config and split, card, licence.

The folder is rendered in memory first (``render``), so the same function writes it and checks whether a
built folder is stale: same inputs, same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..core.errors import KQError, Problem, ValidationError
from ..core.io import read_dir, replace_dir
from ..core.paths import GOLD_FILE
from ..core.settings import DATASET_REPO_ID
from . import card, rows
from .schema import CONFIGS, SPLIT_CONFIGS, SPLITS


@dataclass
class Sources:
    """Everything the dataset is built from, validated."""

    tasks: list[dict]
    entities: dict[str, dict]
    topics: dict[str, dict]
    corpus: dict[str, dict]
    splits: dict[str, str]
    folds: dict[str, int]


def sources(
    tasks: list[dict], entities: dict[str, dict], topics: dict[str, dict], corpus: list[dict], split_file: Path
) -> Sources:
    """The build's inputs from validated annotations (checked against the corpus by the caller) and the split
    assignment file; raise on a bad split file."""
    ids = [t["meta"]["id"] for t in tasks]
    try:
        declared = json.loads(split_file.read_text(encoding="utf-8")) if split_file.exists() else {}
    except ValueError as e:
        raise ValidationError(f"{split_file}: invalid JSON", [Problem(str(split_file), None, None, str(e))]) from e
    if not isinstance(declared, dict) or not all(isinstance(v, list) for v in declared.values()):
        raise ValidationError(f"{split_file}: expected {{split: [document ids]}}")
    splits = rows.assign_splits(ids, declared, str(split_file))
    by_id = {d["id"]: d for d in corpus}
    return Sources(tasks, entities, topics, by_id, splits, {doc_id: i for i, doc_id in enumerate(ids)})


def tables(src: Sources) -> dict[str, dict[str, list[dict]]]:
    """Rows per config and split (registries: one split, ``train``)."""
    out: dict[str, dict[str, list[dict]]] = {name: {} for name in CONFIGS}
    present = [s for s in SPLITS if s in set(src.splits.values())]
    for name in SPLIT_CONFIGS:
        out[name] = {s: [] for s in present}
    doc_rows = []
    for t in src.tasks:
        doc_id = t["meta"]["id"]
        split, fold, doc = src.splits[doc_id], src.folds[doc_id], src.corpus[doc_id]
        row = rows.document_row(t, doc, split, fold)
        doc_rows.append(row)
        out["documents"][split].append(row)
        out["quotes"][split] += rows.quote_rows(t, doc, split, fold, src.entities, src.topics)
    rows.check_round_trip(src.tasks, doc_rows, GOLD_FILE)
    entities, topics = rows.registry_rows(src.tasks, src.entities, src.topics)
    out["entities"] = {"train": entities}
    out["topics"] = {"train": topics}
    return out


def parquet_bytes(config: str, records: list[dict]) -> bytes:
    """One Parquet file with the declared features (their schema and HF metadata embedded); deterministic."""
    features = CONFIGS[config]
    encoded = [features.encode_example(r) for r in records]
    table = pa.Table.from_pylist(encoded, schema=features.arrow_schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue().to_pybytes()


def render(src: Sources, guidelines: Path, repo_id: str = DATASET_REPO_ID) -> tuple[dict[str, bytes], dict]:
    """The folder's files (relative path -> bytes) and the summary: rows per config and split."""
    data = tables(src)
    sizes = {name: {s: len(r) for s, r in splits.items()} for name, splits in data.items()}
    files: dict[str, bytes] = {}
    data_files: dict[str, dict[str, str]] = {}
    for name, splits in data.items():
        for s, split_rows in splits.items():
            blob = parquet_bytes(name, split_rows)
            data_files.setdefault(name, {})[s] = path = card.data_path(name, s, blob)
            files[path] = blob
    files["README.md"] = card.card_text(
        src.tasks,
        src.entities,
        src.topics,
        sizes,
        src.splits,
        guidelines,
        repo_id,
        data["entities"]["train"],
        data_files,
        undated=sum(src.corpus[t["meta"]["id"]].get("date") is None for t in src.tasks),
    ).encode("utf-8")
    files["LICENSE.md"] = card.LICENSE.encode("utf-8")
    return dict(sorted(files.items())), sizes


def write(src: Sources, out: Path, guidelines: Path, repo_id: str = DATASET_REPO_ID) -> dict:
    """Render and write the folder atomically; on any problem nothing is written. Returns rows per config/split."""
    files, sizes = render(src, guidelines, repo_id)
    replace_dir(out, files)
    return sizes


def stale(src: Sources, out: Path, guidelines: Path, repo_id: str = DATASET_REPO_ID) -> list[str]:
    """Files of the built folder that differ from a fresh build (missing, extra or changed); [] when current."""
    if not out.exists():
        raise KQError(f"{out}: no built dataset; run `kremlin-quotes dataset`")
    want, _ = render(src, guidelines, repo_id)
    have = read_dir(out)
    return sorted(k for k in set(want) | set(have) if want.get(k) != have.get(k))
