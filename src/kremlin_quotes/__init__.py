"""kremlin-quotes: an annotated corpus of Kremlin statements and a quote-attribution model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


def load(path: str | Path | None = None) -> Language:
    """Load the project's quote-attribution pipeline (``models/kremlin_quotes`` in the current directory) or the
    one at ``path``. A broken or missing folder raises ``KQError`` naming the file that is wrong."""
    from .core.paths import MODEL
    from .model.loading import load_pipeline

    return load_pipeline(path or MODEL)
