"""Rows of every config from validated tasks, and tasks back from ``documents`` rows (the lossless round trip).

One ``documents`` row keeps everything a gold task holds except what is derived: tokens (re-tokenized
with the project tokenizer), hashes (recomputed) and the topic options (the taxonomy). ``check_round_trip``
proves it for every task at build time, so a task the dataset cannot carry stops the build.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from ..core import taskview
from ..core.errors import Problem, ValidationError
from ..core.labels import QUOTE_LABELS, RELATION_LABELS, SPAN_LABELS, STANCES
from ..core.tasks import make_task, relation_dict, span_key
from .schema import QUOTE_TYPES, SPLITS

Offsets = dict[str, Any]


def assign_splits(doc_ids: list[str], declared: dict[str, list[str]], where: str) -> dict[str, str]:
    """Split per document: the ids listed under validation/test in ``splits.json``; every other one is train."""
    out = dict.fromkeys(doc_ids, "train")
    problems = []
    for split, ids in declared.items():
        if split not in SPLITS:
            problems.append(Problem(where, None, split, f"unknown split; expected one of {SPLITS}"))
            continue
        for i in ids:
            if i not in out:
                problems.append(Problem(where, None, split, f"document {i!r} is not in the annotations"))
            elif out[i] != "train":
                problems.append(Problem(where, None, split, f"document {i!r} is already in {out[i]}"))
            else:
                out[i] = split
    if problems:
        raise ValidationError(f"{where}: invalid split assignment", problems)
    return out


def document_row(task: dict, doc: dict, split: str, fold: int) -> dict:
    spans = task["spans"]
    index = {span_key(s): i for i, s in enumerate(spans)}
    meta = task["meta"]
    return {
        "id": meta["id"],
        "split": split,
        "fold": fold,
        "title": doc.get("title"),
        "outlet": doc.get("outlet"),
        "date": doc.get("date"),
        "date_precision": doc.get("date_precision"),
        "source": meta.get("source", doc.get("source")),
        "source_sha256": doc.get("source_sha256"),
        "text": task["text"],
        "paragraphs": [{"start": s, "end": e} for s, e in doc.get("paragraphs", [])],
        "topics": list(task.get("accept") or []),
        "topic_options": [{"id": o["id"], "text": o["text"]} for o in task["options"]] if "options" in task else None,
        "annotator": meta.get("annotator"),
        "annotation_pass": meta.get("pass"),
        "spans": [
            {
                "text": s["text"],
                "start": s["start"],
                "end": s["end"],
                "token_start": s["token_start"],
                "token_end": s["token_end"],
                "label": s["label"],
                "kb_id": s.get("kb_id"),
            }
            for s in spans
        ],
        "relations": [
            {
                "head": index[span_key(r["head_span"])],
                "child": index[span_key(r["child_span"])],
                "label": r["label"],
            }
            for r in task["relations"]
        ],
    }


def _name(label: str | int, names: tuple[str, ...]) -> str:
    """A label as its name: rows loaded with ``datasets`` hold ClassLabel ints, built rows hold names."""
    return names[label] if isinstance(label, int) else label


def task_from_row(row: dict) -> dict:
    """The Prodigy ``rel.manual`` task of one ``documents`` row (as built, or as loaded with ``load_dataset``).

    ``topic_options`` are the topic choices the annotator was shown (the taxonomy of the day), kept per
    document because the taxonomy grows."""
    spans = []
    for s in row["spans"]:
        span = {k: s[k] for k in ("text", "start", "end", "token_start", "token_end")}
        span["label"] = _name(s["label"], SPAN_LABELS)
        if s.get("kb_id") is not None:
            span["kb_id"] = s["kb_id"]
        spans.append(span)
    relations = [
        relation_dict(spans[r["head"]], spans[r["child"]], _name(r["label"], RELATION_LABELS))
        for r in row["relations"]
    ]
    meta = {"id": row["id"], "source": row["source"], "annotator": row["annotator"], "pass": row["annotation_pass"]}
    meta = {k: v for k, v in meta.items() if v is not None}
    options = row.get("topic_options")
    return make_task(
        row["text"], spans, relations, meta, options=options, accept=row["topics"] if options is not None else None
    )


def check_round_trip(tasks: list[dict], rows: list[dict], gold_file: str) -> None:
    """Every task must come back equal from its row; a field the dataset cannot carry stops the build."""
    problems = []
    for line, (task, row) in enumerate(zip(tasks, rows, strict=True), start=1):
        back = task_from_row(row)
        for key in sorted(set(task) | set(back)):
            if task.get(key) != back.get(key):
                problems.append(Problem(gold_file, line, key, "not carried losslessly by the dataset schema"))
    if problems:
        raise ValidationError("annotations the dataset cannot represent; nothing was written", problems)


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_bounds(text: str, paragraphs: list[list[int]]) -> list[tuple[int, int]]:
    """Sentences by spaCy's rule-based sentencizer inside each paragraph (deterministic, no model)."""
    out = []
    for p_start, p_end in paragraphs:
        for sent in _sentencizer()(text[p_start:p_end]).sents:
            stripped = sent.text.strip()
            if stripped:
                start = p_start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                out.append((start, start + len(stripped)))
    return out


def _covering(bounds: list[tuple[int, int]], start: int, end: int, text: str) -> Offsets:
    hit = [(s, e) for s, e in bounds if s < end and start < e]
    s, e = (min(h[0] for h in hit), max(h[1] for h in hit)) if hit else (start, end)
    return {"text": text[s:e], "start": s, "end": e}


def _offsets(span: dict) -> Offsets:
    return {"text": span["text"], "start": span["start"], "end": span["end"]}


def quote_rows(task: dict, doc: dict, split: str, fold: int, entities: dict, topics: dict) -> list[dict]:
    """One row per quote with its speaker (mention and canonical entity), cues, stance targets and context."""
    text = task["text"]
    paragraphs = doc.get("paragraphs") or [[0, len(text)]]
    sents = sentence_bounds(text, paragraphs)
    rows = []
    for quote in taskview.quotes(task):
        q, speaker = quote.span, quote.speaker
        entity = entities[speaker["kb_id"]]
        rows.append(
            {
                "quote_id": f"{task['meta']['id']}:{q['start']}-{q['end']}",
                "document_id": task["meta"]["id"],
                "split": split,
                "fold": fold,
                "type": QUOTE_TYPES[QUOTE_LABELS.index(q["label"])],
                **_offsets(q),
                "speaker": _offsets(speaker),
                "speaker_id": speaker["kb_id"],
                "speaker_name": entity["name"],
                "speaker_type": entity["type"],
                "cues": [_offsets(c) for c in sorted(quote.cues, key=lambda c: c["start"])],
                "targets": [
                    {
                        **_offsets(c),
                        "topic_id": c["kb_id"],
                        "topic_name": topics[c["kb_id"]]["name"],
                        "stance": stance,
                    }
                    for c, stance in sorted(quote.targets, key=lambda x: (x[0]["start"], x[1]))
                ],
                "sentences": _covering(sents, q["start"], q["end"], text),
                "paragraph": _covering([tuple(p) for p in paragraphs], q["start"], q["end"], text),
            }
        )
    return rows


def registry_rows(tasks: list[dict], entities: dict, topics: dict) -> tuple[list[dict], list[dict]]:
    """The entity and topic tables, with how often each is quoted / targeted."""
    quotes: Counter = Counter()
    docs: dict[str, set] = {}
    stances: dict[str, Counter] = {}
    for t in tasks:
        for q in taskview.quotes(t):
            if q.speaker is not None:
                quotes[q.speaker["kb_id"]] += 1
                docs.setdefault(q.speaker["kb_id"], set()).add(t["meta"]["id"])
            for c, stance in q.targets:
                stances.setdefault(c["kb_id"], Counter())[stance] += 1
        for k in t.get("accept") or []:
            docs.setdefault(("topic", k), set()).add(t["meta"]["id"])
    ents = [
        {
            **{k: e[k] for k in ("id", "name", "type", "description", "aliases")},
            "quotes": quotes[k],
            "documents": len(docs.get(k, ())),
        }
        for k, e in entities.items()
    ]
    tops = [
        {
            **{k: t[k] for k in ("id", "name", "description")},
            **{s.lower(): stances.get(k, Counter())[s] for s in STANCES},
            "documents": len(docs.get(("topic", k), ())),
        }
        for k, t in topics.items()
    ]
    return ents, tops
