"""Prodigy-compatible tasks (as ``rel.manual`` writes them) built from text, spans and relations.

Prodigy's own hash function is not public, so ``_input_hash`` and ``_task_hash`` follow this
project's scheme: signed 32-bit MurmurHash3 (spaCy's ``murmurhash``) of the text, and of the
input hash joined with the view id and the label set. Both are stable across runs and machines.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from murmurhash.mrmr import hash_unicode

from .labels import QUOTE_LABELS, RELATION_LABELS, SPAN_LABELS

VIEW_ID = "relations"


@lru_cache(maxsize=1)
def tokenizer():
    """The English tokenizer used for ``tokens``: the model's (``core.tokenizer``; en_core_web_sm's rules)."""
    import spacy

    from .tokenizer import config_override

    return spacy.blank("en", config=config_override()).tokenizer


def input_hash(text: str) -> int:
    return hash_unicode(text)


def task_hash(text: str) -> int:
    return hash_unicode(f"{input_hash(text)}|{VIEW_ID}|{','.join(SPAN_LABELS)}|{','.join(RELATION_LABELS)}")


def tokens_of(text: str) -> list[dict]:
    """The task's tokens, as the model's tokenizer cuts them."""
    return [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in tokenizer()(text)
    ]


def topic_options(topics: dict[str, dict]) -> list[dict]:
    """The ``choice`` options a gold task carries: the whole topic taxonomy, in registry order."""
    return [{"id": k, "text": t["name"]} for k, t in topics.items()]


def span_key(span: dict) -> tuple[int, int, str]:
    """What identifies a span within a task (and a relation's head_span/child_span): offsets and label."""
    return (span["start"], span["end"], span["label"])


def token_bounds(tokens: list[dict]) -> tuple[dict[int, int], dict[int, int]]:
    """Maps from character start -> token index and character end -> token index."""
    return {t["start"]: t["id"] for t in tokens}, {t["end"]: t["id"] for t in tokens}


_BOUNDS: dict[int, tuple[list[dict], tuple[dict[int, int], dict[int, int]]]] = {}


def _bounds_cached(tokens: list[dict]) -> tuple[dict[int, int], dict[int, int]]:
    """``token_bounds`` of the last token list seen: building spans of one task costs linear time, not
    quadratic (the same list object is passed for every span of a task)."""
    hit = _BOUNDS.get(id(tokens))
    if hit is None or hit[0] is not tokens or len(hit[1][0]) != len(tokens):
        _BOUNDS.clear()
        hit = _BOUNDS[id(tokens)] = (tokens, token_bounds(tokens))
    return hit[1]


def span_dict(start: int, end: int, label: str, text: str, tokens: list[dict], **extra: Any) -> dict:
    """A Prodigy span; raises ValueError when the offsets do not fall on token boundaries."""
    starts, ends = _bounds_cached(tokens)
    if start not in starts or end not in ends:
        raise ValueError(f"span {start}-{end} {text[start:end]!r} ({label}) is not aligned to tokens")
    span = {
        "text": text[start:end],
        "start": start,
        "end": end,
        "token_start": starts[start],
        "token_end": ends[end],
        "label": label,
    }
    span.update(extra)
    return span


def relation_dict(head: dict, child: dict, label: str) -> dict:
    """A Prodigy relation: ``head``/``child`` are the token_end of each span."""

    def ref(s: dict) -> dict:
        return {k: s[k] for k in ("start", "end", "token_start", "token_end", "label")}

    return {
        "head": head["token_end"],
        "child": child["token_end"],
        "head_span": ref(head),
        "child_span": ref(child),
        "label": label,
    }


def sort_spans(spans: Iterable[dict]) -> list[dict]:
    order = {label: i for i, label in enumerate(SPAN_LABELS)}
    return sorted(spans, key=lambda s: (s["start"], -s["end"], order.get(s["label"], 99)))


def sort_relations(relations: Iterable[dict]) -> list[dict]:
    return sorted(
        relations,
        key=lambda r: (
            r["head_span"]["start"],
            r["head_span"]["end"],
            r["label"],
            r["child_span"]["start"],
            r["child_span"]["end"],
        ),
    )


def make_task(
    text: str,
    spans: list[dict],
    relations: list[dict],
    meta: dict,
    options: list[dict] | None = None,
    accept: list[str] | None = None,
    tokens: list[dict] | None = None,
    answer: str | None = "accept",
) -> dict:
    """Assemble one task with a fixed key order, so the same content always gives the same bytes.

    ``answer=None`` leaves the task unanswered: model output nobody has reviewed (Prodigy adds the answer
    when a person accepts it)."""
    task: dict[str, Any] = {
        "text": text,
        "meta": meta,
        "_input_hash": input_hash(text),
        "_task_hash": task_hash(text),
        "_view_id": VIEW_ID,
        "tokens": tokens if tokens is not None else tokens_of(text),
        "spans": sort_spans(spans),
        "relations": sort_relations(relations),
    }
    if options is not None:
        task["options"] = options
        task["accept"] = accept or []
    if answer is not None:
        task["answer"] = answer
    return task


def quote_spans(task: dict) -> list[dict]:
    return [s for s in task.get("spans", []) if s.get("label") in QUOTE_LABELS]
