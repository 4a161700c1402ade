"""The dataset build's inputs: the annotations, validated and checked against the corpus, then the dataset stage."""

from __future__ import annotations

from pathlib import Path

from ..annotation.validate import check_against_corpus, load_valid
from ..core.documents import load_corpus
from ..core.paths import GOLD_FILE, SPLITS_FILE
from ..core.settings import DATASET_REPO_ID
from ..dataset import build


def load_sources(annotations: Path, corpus_dir: Path) -> build.Sources:
    """Validate annotations/, check them against the corpus and read the split assignment; raise on any problem."""
    tasks, entities, topics = load_valid(annotations)
    corpus = load_corpus(corpus_dir)
    check_against_corpus(tasks, {d["id"]: d for d in corpus}, str(annotations / GOLD_FILE))
    return build.sources(tasks, entities, topics, corpus, annotations / SPLITS_FILE)


def build_dataset(
    annotations: Path, corpus_dir: Path, out: Path, guidelines: Path, repo_id: str = DATASET_REPO_ID
) -> dict:
    """Validate, render and write the folder atomically; on any problem nothing is written."""
    return build.write(load_sources(annotations, corpus_dir), out, guidelines, repo_id)


def stale_files(
    annotations: Path, corpus_dir: Path, out: Path, guidelines: Path, repo_id: str = DATASET_REPO_ID
) -> list[str]:
    """Files of the built folder that differ from a fresh build (missing, extra or changed); [] when current."""
    return build.stale(load_sources(annotations, corpus_dir), out, guidelines, repo_id)
