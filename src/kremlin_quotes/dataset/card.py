"""The dataset card (README.md): Hub YAML (configs, features, license) and a body whose numbers come from the data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from datasets import DatasetInfo
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from .. import __version__
from ..core.stats import stats_markdown, table
from .schema import CONFIGS, DEFAULT_CONFIG, SPLIT_CONFIGS, SPLITS

PRETTY_NAME = "kremlin-quotes: quote attribution in news about Kremlin statements"
CITATION = """@misc{{kremlin_quotes_{year},
  title  = {{kremlin-quotes: an annotated corpus of Kremlin statements for quote attribution}},
  author = {{{{kremlin-quotes contributors}}}},
  year   = {{{year}}},
  note   = {{Version {version}}},
  howpublished = {{Hugging Face dataset}}
}}"""


def data_path(config: str, split: str, data: bytes) -> str:
    """The file name carries a hash of its bytes: ``load_dataset`` keys its cache by the data files' paths, so a
    rebuilt folder with other rows gets other names and can never be served from an older build's cache."""
    return f"{config}/{split}-{hashlib.sha256(data).hexdigest()[:12]}.parquet"


def card_data(split_sizes: dict[str, dict[str, int]], data_files: dict[str, dict[str, str]]) -> DatasetCardData:
    """Hub metadata: license, tasks, and one entry per config with its data files and declared features."""
    data = DatasetCardData(
        language=["en"],
        license="other",
        license_name="cc-by-4.0-annotations-publisher-texts",
        license_link="LICENSE.md",
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        multilinguality="monolingual",
        size_categories=["n<1K"],
        source_datasets=["original"],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition"],
        pretty_name=PRETTY_NAME,
        tags=["quote-attribution", "stance-detection", "news", "spacy", "prodigy"],
    )
    MetadataConfigs(
        {
            name: {
                "data_files": [{"split": s, "path": data_files[name][s]} for s in split_sizes[name]],
                **({"default": True} if name == DEFAULT_CONFIG else {}),
            }
            for name in CONFIGS
        }
    ).to_dataset_card_data(data)
    DatasetInfosDict(
        {name: DatasetInfo(features=features, config_name=name) for name, features in CONFIGS.items()}
    ).to_dataset_card_data(data)
    return data


def _guideline_labels(guidelines: Path) -> str:
    """Span and relation definitions, taken verbatim from guidelines.md so card and guidelines agree."""
    text = guidelines.read_text(encoding="utf-8")
    m = re.search(r"### Span labels\n(.*?)\n### Entities", text, re.S)
    body = m.group(1).strip() if m else "See guidelines.md."
    return body.replace("### Relations", "#### Relations")


LICENSE = """# Licences

- Annotations (spans, relations, entity and topic registries, splits) and annotation guidelines:
  Creative Commons Attribution 4.0 International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/
- Article texts: the property of their publishers, included for non-commercial research on the
  annotations only. Republication or commercial reuse of the texts needs the publishers' permission.
- Code that builds this dataset: MIT.
"""


def _count_phrase(n: int) -> str:
    """'two documents have none', as the card says it."""
    words = ["no document lacks one", "one document has none", "two documents have none", "three documents have none"]
    return words[n] if n < len(words) else f"{n} documents have none"


def card_text(
    tasks: list[dict],
    entities: dict,
    topics: dict,
    split_sizes: dict[str, dict[str, int]],
    split_docs: dict[str, str],
    guidelines: Path,
    repo_id: str,
    entity_rows: list[dict],
    data_files: dict[str, dict[str, str]],
    undated: int = 0,
) -> str:
    """The whole README.md of the dataset folder; ``data_files``: config -> split -> file path; ``undated``: how
    many documents have no date. Every sentence about the data is computed from it."""
    sizes = table(
        ["config", *SPLITS],
        [[name, *(split_sizes[name].get(s, "—") for s in SPLITS)] for name in SPLIT_CONFIGS],
    )
    registries = table(
        ["config", "rows (split `train`)"],
        [[name, split_sizes[name]["train"]] for name in CONFIGS if name not in SPLIT_CONFIGS],
    )
    docs_by_split = table(
        ["document", "split", "fold"],
        [[t["meta"]["id"], split_docs[t["meta"]["id"]], i] for i, t in enumerate(tasks)],
    )
    annotators = sorted({t["meta"].get("annotator", "?") for t in tasks})
    top = max(entity_rows, key=lambda e: e["quotes"], default={"name": "", "quotes": 0})
    n_quotes = sum(e["quotes"] for e in entity_rows)
    body = TEMPLATE.format(
        pretty_name=PRETTY_NAME,
        version=__version__,
        n_docs=len(tasks),
        sizes=sizes,
        registries=registries,
        docs_by_split=docs_by_split,
        labels=_guideline_labels(guidelines),
        stats=stats_markdown(tasks, entities, topics),
        annotators=", ".join(f"`{a}`" for a in annotators),
        n_annotators=len(annotators),
        annotator_limit=(
            "**Single annotator.** There is no inter-annotator agreement figure."
            if len(annotators) == 1
            else f"**{len(annotators)} annotators, one per document.** No document was annotated twice, so there is "
            "no inter-annotator agreement figure."
        ),
        undated=_count_phrase(undated),
        top_speaker=top["name"],
        top_quotes=top["quotes"],
        n_quotes=n_quotes,
        citation=CITATION.format(year=2026, version=__version__),
    )
    body = body.replace("REPO_ID", repo_id)
    return str(DatasetCard.from_template(card_data(split_sizes, data_files), template_str=CARD_TEMPLATE, body=body))


CARD_TEMPLATE = "---\n{{ card_data }}\n---\n{{ body }}"
TEMPLATE = """
# {pretty_name}

Version {version}. Who said what, and about what, in English news about statements of Kremlin spokesman
Dmitry Peskov (2020–2026). Every quote — **direct**, **indirect** or **mixed** — is a character span linked to
its **speaker** mention, its **cue** ("said", "according to", a headline colon) and the **topics** it takes a
**stance** on (FAVOR, AGAINST, NEUTRAL). Every speaker mention is resolved to a canonical entity.
The corpus is {n_docs} documents: small, built to seed a quote-attribution model and to be extended under the
project's annotation guidelines.

## Loading

```python
from datasets import load_dataset

docs = load_dataset("REPO_ID")  # default config: documents
quotes = load_dataset("REPO_ID", "quotes")  # one row per quote
entities = load_dataset("REPO_ID", "entities", split="train")
topics = load_dataset("REPO_ID", "topics", split="train")
```

From a checkout of the project repository, the same
calls work on the built folder: `load_dataset("dataset", "quotes")`, run from the repository root. Labels
are `ClassLabel`s: `quotes["train"].features["type"].int2str(row["type"])` gives `"DIRECT"`.

Leave-one-document-out cross-validation uses the `fold` column of the `documents` and `quotes` configs
(fold *k* holds one document):

```python
all_quotes = load_dataset("REPO_ID", "quotes", split="train+validation+test")
for k in sorted(set(all_quotes["fold"])):
    train = all_quotes.filter(lambda r: r["fold"] != k)
    test = all_quotes.filter(lambda r: r["fold"] == k)
```

## Configurations and splits

Rows per split:

{sizes}

{registries}

Splits are **by document**, so no article's text is in two splits. They are declared in the project's
`annotations/splits.json`; documents not listed there are `train`. The test document is the one with the
most speakers and quote types; the validation document is a short one with all three quote types. With
{n_docs} documents a single split says little: report leave-one-document-out cross-validation (the `fold`
column) as well.

{docs_by_split}

## Fields

**documents** (one row per article): `id`; `split`; `fold`; `title` (null when the article has none); `outlet`;
`date` (ISO date, or `YYYY-MM` when only the month is known; null when the text gives no date) with
`date_precision`; `source` (the raw file) and `source_sha256`; `text` (the cleaned article, title as the
first paragraph); `paragraphs` (character offsets); `topics` (topic ids the document is about) and
`topic_options` (the topic choices the annotator was shown); `annotator` and `annotation_pass`; `spans`
(`start`, `end` character offsets into `text`, `token_start`/`token_end` in the spaCy English tokenization,
`label`, `kb_id` = entity id for SPEAKER and topic id for TOPIC, else null);
`relations` (`head` and `child` index into `spans`; `label`).

**quotes** (one row per quote): `quote_id` (`<document>:<start>-<end>`); `document_id`; `split`; `fold`; `type`
(DIRECT, INDIRECT, MIXED); `text`, `start`, `end` (the content); `speaker` (the linked mention with offsets);
`speaker_id`, `speaker_name`, `speaker_type` (the canonical entity); `cues` (zero or one cue span); `targets`
(topic mentions with `topic_id`, `topic_name` and `stance`); `sentences` (the sentence or sentences the quote
overlaps, from spaCy's rule-based sentencizer inside paragraphs) and `paragraph` (the paragraph or
paragraphs it overlaps). All offsets index into the document's `text`.

**entities**: the speaker registry (`id`, `name`, `type`, `description`, `aliases`) with the number of
`quotes` and `documents` each entity has. `UNKNOWN` stands for sources the text leaves unnamed.
**topics**: the taxonomy (`id`, `name`, `description`) with stance counts and documents.

## Labels

From the project's `guidelines.md`, which also gives conventions, hard cases and the QA checklist:

{labels}

## Statistics

Generated from the data by the build:

{stats}

## Annotation process

Texts: {n_docs} news articles (the five seeds come from a state-aligned Russian outlet, an Armenian outlet and
aggregator pages), cleaned by rules that remove page furniture; every removal is recorded with its rule and
the offset map back to the source file is kept. Annotation: {n_annotators} annotator(s) ({annotators}); the
seeds were annotated by an NLP engineer of the project in a first pass and a second pass guided by a
completeness audit (sentences that look like attributions but carry no quote are listed and each one is
decided in the guidelines' hard cases). Annotations are Prodigy `rel.manual` tasks; the dataset build
validates them (offsets, token alignment, relation ends, registries, one speaker per quote) and refuses
stale or invalid data.

## Limitations and biases

- **{n_docs} documents.** Scores on one test document have wide uncertainty; use the folds.
- **Framing.** Most texts report the Kremlin's statements as relayed by Russian state media (TASS and
  outlets that cite it) or outlets close to one side of a conflict; the corpus shows how these statements
  were reported, not whether they are true. Stance labels describe the speaker's stance in the quote, not
  the annotator's view.
- **One speaker dominates.** {top_speaker} has {top_quotes} of the {n_quotes} quotes; models trained only on
  this data overfit his or her phrasing.
- {annotator_limit} Stance is sometimes a judgment call;
  NEUTRAL is the default.
- **Dates** are inferred from the texts with recorded evidence and confidence; {undated}.

## Licensing

- **Annotations** (spans, relations, entity and topic registries, splits) and the guidelines: **CC BY 4.0**.
  Reuse them with attribution.
- **Article texts** (`text`, `title`, span `text` fields) remain the property of their publishers. They are
  distributed here only so that the annotations can be read and studied, for non-commercial research.
  Republishing or commercially reusing the texts needs the publishers' permission; if you redistribute the
  dataset, keep the offsets and drop the texts where you cannot rely on research exceptions.
- **Code** that builds the dataset: MIT.

## Citation

```bibtex
{citation}
```
"""
