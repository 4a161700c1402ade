"""Validator for annotation tasks: every problem is reported with file, line and field.

It checks what a reader of the data relies on: offsets and span texts agree with ``text``,
spans sit on token boundaries, labels and relation ends are those of the scheme, every quote
has one speaker, and every entity or topic id exists in the registries.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .errors import Problem
from .io import read_jsonl_numbered
from .labels import CUED_BY, QUOTE_LABELS, RELATION_CHILD, RELATION_LABELS, SPAN_LABELS, SPEAKER, SPOKEN_BY, TOPIC
from .registry import load_entities, load_topics

ANNOTATIONS = "annotations"
GOLD_FILE = "gold.jsonl"
ENTITIES_FILE = "entities.jsonl"
TOPICS_FILE = "topics.jsonl"

REQUIRED = {
    "text": str,
    "tokens": list,
    "spans": list,
    "relations": list,
    "meta": dict,
    "answer": str,
    "_input_hash": int,
    "_task_hash": int,
}
SPAN_KEYS = {"text": str, "start": int, "end": int, "token_start": int, "token_end": int, "label": str}
REF_KEYS = ("start", "end", "token_start", "token_end", "label")


def validate_task(task: object, file: str, line: int, entities: dict, topics: dict) -> list[Problem]:
    """All problems of one task (one JSONL line)."""
    P = lambda field, message: Problem(file, line, field, message)  # noqa: E731
    if not isinstance(task, dict):
        return [P(None, f"expected a JSON object, got {type(task).__name__}")]
    out: list[Problem] = []
    for key, typ in REQUIRED.items():
        if key not in task:
            out.append(P(key, "missing"))
        elif not isinstance(task[key], typ) or (typ is int and isinstance(task[key], bool)):
            out.append(P(key, f"must be a {typ.__name__}"))
    if out:
        return out
    text = task["text"]
    if not isinstance(task["meta"].get("id"), str):
        out.append(P("meta.id", "missing document id"))
    if task["answer"] != "accept":
        out.append(P("answer", f"{task['answer']!r}: only accepted tasks are gold"))

    tokens = task["tokens"]
    for i, tok in enumerate(tokens):
        f = f"tokens[{i}]"
        if not isinstance(tok, dict) or not all(isinstance(tok.get(k), int) for k in ("start", "end", "id")):
            out.append(P(f, "needs integer start, end and id"))
            continue
        if tok["id"] != i:
            out.append(P(f"{f}.id", f"is {tok['id']}, expected {i}"))
        if not 0 <= tok["start"] <= tok["end"] <= len(text) or text[tok["start"] : tok["end"]] != tok.get("text"):
            out.append(P(f"{f}.text", f"{tok.get('text')!r} does not match text[{tok['start']}:{tok['end']}]"))
    tok_ok = not any(p.field and p.field.startswith("tokens") for p in out)

    spans: dict[tuple, dict] = {}
    for i, span in enumerate(task["spans"]):
        f = f"spans[{i}]"
        bad = [k for k, t in SPAN_KEYS.items() if not isinstance(span, dict) or not isinstance(span.get(k), t)]
        if bad:
            out.append(P(f, f"missing or mistyped: {', '.join(bad)}"))
            continue
        s, e, label = span["start"], span["end"], span["label"]
        if not 0 <= s < e <= len(text):
            out.append(P(f"{f}.start", f"offsets {s}-{e} outside the text (length {len(text)}) or empty"))
            continue
        if span["text"] != text[s:e]:
            out.append(P(f"{f}.text", f"{span['text']!r} != text[{s}:{e}] {text[s:e]!r}"))
        if label not in SPAN_LABELS:
            out.append(P(f"{f}.label", f"unknown label {label!r}; expected one of {SPAN_LABELS}"))
        if tok_ok:
            ts, te = span["token_start"], span["token_end"]
            if not (0 <= ts <= te < len(tokens)) or tokens[ts]["start"] != s or tokens[te]["end"] != e:
                out.append(P(f"{f}.token_start", f"tokens {ts}-{te} do not cover characters {s}-{e}"))
        if label == SPEAKER and span.get("kb_id") not in entities:
            out.append(P(f"{f}.kb_id", f"speaker id {span.get('kb_id')!r} is not in the entity registry"))
        if label == TOPIC and span.get("kb_id") not in topics:
            out.append(P(f"{f}.kb_id", f"topic id {span.get('kb_id')!r} is not in the topic taxonomy"))
        key = (s, e, label)
        if key in spans:
            out.append(P(f, f"duplicate span {label} {s}-{e}"))
        spans[key] = span

    spoken: Counter = Counter()
    cued: Counter = Counter()
    for i, rel in enumerate(task["relations"]):
        f = f"relations[{i}]"
        if not isinstance(rel, dict):
            out.append(P(f, "not an object"))
            continue
        label = rel.get("label")
        if label not in RELATION_LABELS:
            out.append(P(f"{f}.label", f"unknown relation {label!r}; expected one of {RELATION_LABELS}"))
            continue
        ends = {}
        for end in ("head_span", "child_span"):
            ref = rel.get(end)
            key = tuple(ref.get(k) for k in ("start", "end", "label")) if isinstance(ref, dict) else None
            if key not in spans:
                out.append(P(f"{f}.{end}", f"no span {key} in spans"))
                continue
            ends[end] = spans[key]
            short = end.split("_")[0]
            if rel.get(short) != spans[key]["token_end"]:
                out.append(
                    P(f"{f}.{short}", f"is {rel.get(short)}, the span's token_end is {spans[key]['token_end']}")
                )
        if len(ends) < 2:
            continue
        head, child = ends["head_span"], ends["child_span"]
        if head["label"] not in QUOTE_LABELS:
            out.append(P(f"{f}.head_span", f"{label} must start at a quote, not {head['label']}"))
        if child["label"] != RELATION_CHILD[label]:
            out.append(P(f"{f}.child_span", f"{label} must end at a {RELATION_CHILD[label]}, not {child['label']}"))
        qkey = (head["start"], head["end"], head["label"])
        if label == SPOKEN_BY:
            spoken[qkey] += 1
        elif label == CUED_BY:
            cued[qkey] += 1
    for i, span in enumerate(task["spans"]):
        if isinstance(span, dict) and span.get("label") in QUOTE_LABELS:
            key = (span.get("start"), span.get("end"), span.get("label"))
            if spoken[key] != 1:
                out.append(
                    P(
                        f"spans[{i}]",
                        f"quote {span.get('text', '')[:40]!r} has {spoken[key]} SPOKEN_BY "
                        "relations; exactly one is required",
                    )
                )
            if cued[key] > 1:
                out.append(P(f"spans[{i}]", f"quote {span.get('text', '')[:40]!r} has {cued[key]} CUED_BY relations"))

    if "options" in task or "accept" in task:
        opts = task.get("options") or []
        ids = {o.get("id") for o in opts if isinstance(o, dict)}
        for o in sorted(ids - set(topics), key=str):
            out.append(P("options", f"option {o!r} is not in the topic taxonomy"))
        for a in task.get("accept") or []:
            if a not in ids:
                out.append(P("accept", f"{a!r} is not one of the options"))
    return out


def validate_files(files: list[Path], annotations_dir: Path) -> tuple[list[Problem], int]:
    """Validate task files against the registries in ``annotations_dir``; returns problems and task count."""
    problems: list[Problem] = []
    entities = load_entities(annotations_dir / ENTITIES_FILE, problems)
    topics = load_topics(annotations_dir / TOPICS_FILE, problems)
    seen_ids: dict[str, str] = {}
    seen_hashes: dict[int, str] = {}
    n = 0
    for file in files:
        if not file.exists():
            problems.append(Problem(str(file), None, None, "file not found"))
            continue
        for line, task in read_jsonl_numbered(file):
            n += 1
            where = f"{file}:{line}"
            if isinstance(task, Exception):
                problems.append(Problem(str(file), line, None, f"invalid JSON ({task})"))
                continue
            problems += validate_task(task, str(file), line, entities, topics)
            if isinstance(task, dict):
                doc_id = (task.get("meta") or {}).get("id") if isinstance(task.get("meta"), dict) else None
                if isinstance(doc_id, str):
                    if doc_id in seen_ids:
                        problems.append(
                            Problem(
                                str(file), line, "meta.id", f"duplicate task: {doc_id!r} is also at {seen_ids[doc_id]}"
                            )
                        )
                    seen_ids.setdefault(doc_id, where)
                h = task.get("_input_hash")
                if isinstance(h, int):
                    if h in seen_hashes:
                        problems.append(
                            Problem(str(file), line, "_input_hash", f"duplicate task: same input as {seen_hashes[h]}")
                        )
                    seen_hashes.setdefault(h, where)
    return problems, n


def load_valid(annotations_dir: Path) -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    """Gold tasks, entities and topics; raises ValidationError with every problem if any is invalid."""
    from .errors import ValidationError
    from .io import read_jsonl

    gold = annotations_dir / GOLD_FILE
    problems, _ = validate_files([gold], annotations_dir)
    if problems:
        raise ValidationError(f"{gold}: {len(problems)} validation problem(s)", problems)
    sink: list[Problem] = []
    return (
        list(read_jsonl(gold)),
        load_entities(annotations_dir / ENTITIES_FILE, sink),
        load_topics(annotations_dir / TOPICS_FILE, sink),
    )
