"""Where the project's files live: one layout, relative to the project folder.

The project folder is the current directory (the CLI changes to ``--project`` / ``$KQ_PROJECT`` first), never
the package's location, which after a normal ``pip install`` is inside the virtualenv.
"""

from __future__ import annotations

from pathlib import Path

SEEDS = Path("seeds")
MANIFEST = "SHA256SUMS"  # sha256sum's format, in seeds/ and corpus/sources/
CORPUS = Path("corpus")
CORPUS_FILE = "documents.jsonl"
SOURCES_DIR = "sources"  # raw articles added after the seeds, with their own SHA256SUMS
PROVENANCE = "provenance.jsonl"
ANNOTATIONS = Path("annotations")
GOLD_FILE = "gold.jsonl"
ENTITIES_FILE = "entities.jsonl"
TOPICS_FILE = "topics.jsonl"
SPLITS_FILE = "splits.json"
GUIDELINES = Path("guidelines.md")
README = Path("README.md")
DATASET = Path("dataset")
MODEL = Path("models") / "kremlin_quotes"
SITE = Path("site")
