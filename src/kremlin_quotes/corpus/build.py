"""Build the clean corpus (one JSONL line a document) from verified seeds, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import KQError, Problem
from ..core.io import read_jsonl, write_jsonl
from ..core.paths import CORPUS_FILE, MANIFEST, SOURCES_DIR
from . import metadata as md
from .clean import Cleaned, clean
from .seeds import load_seeds


def document_record(doc_id: str, source_name: str, sha256: str, cleaned: Cleaned, meta: dict[str, Any]) -> dict:
    """The corpus line of one document; key order fixed so rebuilding gives identical bytes."""
    title_span = list(cleaned.paragraphs[0]) if cleaned.title is not None else None
    return {
        "id": doc_id,
        "source": source_name,
        "source_sha256": sha256,
        "title": cleaned.title,
        "title_span": title_span,
        **{k: meta.get(k) for k in md.META_FIELDS},
        "text": cleaned.text,
        "paragraphs": [list(p) for p in cleaned.paragraphs],
        "offset_map": [list(r) for r in cleaned.offset_map],
        "removed": [{"rule": r.rule, "start": r.start, "end": r.end, "text": r.text} for r in cleaned.removed],
    }


def load_curated(path: Path) -> dict[str, dict]:
    """Curated metadata by document id (``seeds/metadata.jsonl``); absent file means none."""
    if not path.exists():
        return {}
    out: dict[str, dict] = {}
    for lineno, rec in enumerate(read_jsonl(path), start=1):
        if "id" not in rec:
            raise KQError("curated metadata without id", [Problem(str(path), lineno, "id", "missing")])
        out[rec["id"]] = rec
    return out


def build_corpus(seed_dir: str | Path, out_dir: str | Path) -> list[dict]:
    """Verify seeds, clean them and write ``corpus/documents.jsonl``; nothing is written on any error."""
    seed_dir, out_dir = Path(seed_dir), Path(out_dir)
    seeds = load_seeds(seed_dir)
    added = load_seeds(out_dir / SOURCES_DIR) if (out_dir / SOURCES_DIR / MANIFEST).exists() else []
    curated_path = seed_dir / "metadata.jsonl"
    curated = load_curated(curated_path)
    docs, problems = [], []
    for seed in seeds:
        cleaned = clean(seed.text)
        if not cleaned.text:
            problems.append(Problem(str(seed.path), None, "text", "nothing left after removing boilerplate"))
            continue
        auto = md.detect(cleaned.text, cleaned.paragraphs)
        meta, probs = md.merge_curated(seed.id, cleaned.text, auto, curated.get(seed.id), str(curated_path))
        problems += probs
        docs.append(document_record(seed.id, f"seeds/{seed.path.name}", seed.sha256, cleaned, meta))
    for src in added:  # articles added with `kremlin-quotes corpus add`, after the seeds, in id order
        cleaned = clean(src.text)
        meta, _ = md.merge_curated(src.id, cleaned.text, md.detect(cleaned.text, cleaned.paragraphs), None, "")
        rel = f"{out_dir.name}/{SOURCES_DIR}/{src.path.name}"
        docs.append(document_record(src.id, rel, src.sha256, cleaned, meta))
    unknown = set(curated) - {s.id for s in seeds}
    problems += [Problem(str(curated_path), None, "id", f"{i}: no such seed") for i in sorted(unknown)]
    if problems:
        raise KQError(f"corpus not built: {len(problems)} problem(s); nothing was written", problems)
    write_jsonl(out_dir / CORPUS_FILE, docs)
    return docs


def words(text: str) -> int:
    return len(text.split())
