"""kremlin-quotes: an annotated corpus of Kremlin statements and a quote-attribution model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def load(path: str | Path | None = None) -> Language:
    """Load the shipped quote-attribution pipeline (``models/kremlin_quotes``) or the one at ``path``.

    A broken folder raises ``KQError`` naming the file that is wrong."""
    from .model.loading import load_pipeline

    return load_pipeline(path or PROJECT_ROOT / "models" / "kremlin_quotes")
