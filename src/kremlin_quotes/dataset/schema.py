"""The dataset's features, declared in full: the Hub files carry exactly these columns and nothing else.

``datasets`` is strict about declared features (an extra key such as Prodigy's ``_view_id`` fails the
load), so rows are built to this schema and the same objects generate the card's ``dataset_info``.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from ..core.labels import ENTITY_TYPES, RELATION_LABELS, SPAN_LABELS, STANCES

QUOTE_TYPES = ("DIRECT", "INDIRECT", "MIXED")
SPLITS = ("train", "validation", "test")

_offsets = {"text": Value("string"), "start": Value("int32"), "end": Value("int32")}

DOCUMENTS = Features(
    {
        "id": Value("string"),
        "split": ClassLabel(names=list(SPLITS)),
        "fold": Value("int32"),
        "title": Value("string"),
        "outlet": Value("string"),
        "date": Value("string"),
        "date_precision": Value("string"),
        "source": Value("string"),
        "source_sha256": Value("string"),
        "text": Value("string"),
        "paragraphs": List({"start": Value("int32"), "end": Value("int32")}),
        "topics": List(Value("string")),
        "topic_options": List({"id": Value("string"), "text": Value("string")}),
        "annotator": Value("string"),
        "annotation_pass": Value("int32"),
        "spans": List(
            {
                **_offsets,
                "token_start": Value("int32"),
                "token_end": Value("int32"),
                "label": ClassLabel(names=list(SPAN_LABELS)),
                "kb_id": Value("string"),
            }
        ),
        "relations": List(
            {"head": Value("int32"), "child": Value("int32"), "label": ClassLabel(names=list(RELATION_LABELS))}
        ),
    }
)

QUOTES = Features(
    {
        "quote_id": Value("string"),
        "document_id": Value("string"),
        "split": ClassLabel(names=list(SPLITS)),
        "fold": Value("int32"),
        "type": ClassLabel(names=list(QUOTE_TYPES)),
        **_offsets,
        "speaker": _offsets,
        "speaker_id": Value("string"),
        "speaker_name": Value("string"),
        "speaker_type": ClassLabel(names=list(ENTITY_TYPES)),
        "cues": List(_offsets),
        "targets": List(
            {
                **_offsets,
                "topic_id": Value("string"),
                "topic_name": Value("string"),
                "stance": ClassLabel(names=list(STANCES)),
            }
        ),
        "sentences": _offsets,
        "paragraph": _offsets,
    }
)

ENTITIES = Features(
    {
        "id": Value("string"),
        "name": Value("string"),
        "type": ClassLabel(names=list(ENTITY_TYPES)),
        "description": Value("string"),
        "aliases": List(Value("string")),
        "quotes": Value("int32"),
        "documents": Value("int32"),
    }
)

TOPICS = Features(
    {
        "id": Value("string"),
        "name": Value("string"),
        "description": Value("string"),
        **{stance.lower(): Value("int32") for stance in STANCES},
        "documents": Value("int32"),
    }
)

CONFIGS: dict[str, Features] = {"documents": DOCUMENTS, "quotes": QUOTES, "entities": ENTITIES, "topics": TOPICS}
# Configs split by document; the registries are one table each, published as the single split "train".
SPLIT_CONFIGS = ("documents", "quotes")
DEFAULT_CONFIG = "documents"
