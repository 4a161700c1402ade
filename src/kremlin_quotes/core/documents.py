"""Reading the corpus file (``corpus/documents.jsonl``): what the corpus stage writes and later stages read."""

from __future__ import annotations

from pathlib import Path

from .io import read_jsonl
from .paths import CORPUS_FILE


def load_corpus(path: str | Path) -> list[dict]:
    """Read the corpus documents; accepts the corpus folder or the JSONL file."""
    path = Path(path)
    if path.is_dir():
        path = path / CORPUS_FILE
    return list(read_jsonl(path))
