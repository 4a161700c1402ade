"""Shared fixtures: project paths and the base spaCy pipeline loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout under test


@pytest.fixture(scope="session", autouse=True)
def _no_local_data():
    """The tests never read the developer's data: with ``KQ_POLNEAR`` or ``KQ_BENCH`` set for the main job (as the
    README says), the extension loop's rebuild would train on PolNeAR and score dev, minutes each, and its counts
    would no longer hold. ``KQ_PROJECT`` would point the commands at another checkout."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("KQ_POLNEAR", "KQ_BENCH", "KQ_PROJECT"):
            mp.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def root():
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def clean_env():
    """The environment for a temporary venv: without the caller's PYTHONPATH/PYTHONHOME, so it sees only what it
    installed (scripts/test_extended.sh sets PYTHONPATH to its copy's sources)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


@pytest.fixture(scope="session")
def corpus_docs(root):
    from kremlin_quotes.core.documents import load_corpus

    return load_corpus(root / "corpus")
