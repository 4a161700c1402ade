"""``kremlin-quotes corpus add``: new raw articles into the corpus, through the same cleaner as the seeds.

The raw file is kept byte for byte in ``corpus/sources/`` under its id, listed in that folder's
``SHA256SUMS`` and ``provenance.jsonl``, and the corpus is rebuilt; existing documents are never touched.
Ids are ``NNN_<first 16 hex of the file's SHA-256>``: the number keeps the corpus order, the hash makes
the id stable for the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.documents import load_corpus
from ..core.errors import InputError, KQError, Problem
from ..core.io import atomic_path, read_jsonl, write_jsonl
from ..core.paths import CORPUS_FILE, MANIFEST, PROVENANCE, SOURCES_DIR
from .build import build_corpus
from .clean import clean


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, existing id)


def _read(path: Path) -> tuple[bytes, str]:
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    data = path.read_bytes()
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not UTF-8", [Problem(str(path), None, None, f"{e.reason} at byte {e.start}")]
        ) from e


def add_documents(
    files: list[Path], seeds: Path, corpus: Path, doc_id: str | None = None, url: str | None = None
) -> AddReport:
    """Add ``files``; duplicates (same bytes or same cleaned text) are reported, a clashing id is an error."""
    if doc_id is not None and len(files) != 1:
        raise KQError("--id names one document: give exactly one file")
    if not (corpus / CORPUS_FILE).exists():
        raise KQError(f"{corpus / CORPUS_FILE}: no corpus yet; run `kremlin-quotes corpus` first")
    docs = load_corpus(corpus)
    by_text = {d["text"]: d["id"] for d in docs}
    by_sha = {d["source_sha256"]: d["id"] for d in docs}
    ids = {d["id"] for d in docs}
    report, new = AddReport(), []
    for path in files:
        data, text = _read(path)
        sha = hashlib.sha256(data).hexdigest()
        cleaned = clean(text)
        if not cleaned.text:
            raise InputError(
                f"{path}: nothing left after removing boilerplate", [Problem(str(path), None, "text", "empty")]
            )
        dup = by_sha.get(sha) or by_text.get(cleaned.text)
        if dup is not None:
            report.duplicates.append((str(path), dup))
            continue
        new_id = doc_id or f"{len(ids):03d}_{sha[:16]}"
        if new_id in ids:
            raise KQError(f"{path}: id {new_id!r} already names another document with a different text")
        ids.add(new_id)
        by_sha[sha], by_text[cleaned.text] = new_id, new_id
        new.append((new_id, path, data, sha))
    if not new:
        return report
    src_dir = corpus / SOURCES_DIR
    src_dir.mkdir(parents=True, exist_ok=True)
    manifest = src_dir / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines() if manifest.exists() else []
    provenance = list(read_jsonl(src_dir / PROVENANCE)) if (src_dir / PROVENANCE).exists() else []
    before = {p: p.read_bytes() for p in (manifest, src_dir / PROVENANCE) if p.exists()}
    written: list[Path] = []
    try:
        for new_id, path, data, sha in new:
            target = src_dir / f"{new_id}.txt"
            with atomic_path(target) as tmp:
                tmp.write_bytes(data)
            written.append(target)
            lines.append(f"{sha}  {target.name}")
            provenance.append({"id": new_id, "file": path.name, "sha256": sha, "url": url})
            report.added.append(new_id)
        with atomic_path(manifest) as tmp:
            tmp.write_text("\n".join(sorted(lines, key=lambda x: x.split()[-1])) + "\n", encoding="utf-8")
        write_jsonl(src_dir / PROVENANCE, provenance)
        build_corpus(seeds, corpus)
    except Exception:  # leave the corpus folder as it was
        for target in written:
            target.unlink(missing_ok=True)
        for p in (manifest, src_dir / PROVENANCE):
            if p in before:
                p.write_bytes(before[p])
            else:
                p.unlink(missing_ok=True)
        raise
    return report
