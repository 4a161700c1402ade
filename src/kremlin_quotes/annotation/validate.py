"""Validator for annotation tasks: every problem is reported with file, line and field.

It checks what a reader of the data relies on: offsets and span texts agree with ``text``,
spans sit on token boundaries, labels and relation ends are those of the scheme, every quote
has one speaker, and every entity or topic id exists in the registries.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import ValidationError as SchemaError

from ..core.errors import Problem, ValidationError
from ..core.ids import id_problem
from ..core.io import read_jsonl_numbered
from ..core.labels import (
    CUED_BY,
    QUOTE_LABELS,
    RELATION_CHILD,
    RELATION_LABELS,
    SPAN_LABELS,
    SPEAKER,
    SPOKEN_BY,
    STANCES,
    TOPIC,
)
from ..core.paths import ENTITIES_FILE, GOLD_FILE, TOPICS_FILE
from ..core.registry import load_entities, load_topics
from ..core.store import settle
from ..core.tasks import input_hash, task_hash


def _doc_id(value: str) -> str:
    problem = id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Offset = Annotated[int, Field(ge=0)]
DocId = Annotated[str, AfterValidator(_doc_id)]


class _Strict(BaseModel):
    # strict: no "5" for 5, no true for 1; extra keys allowed (Prodigy adds its own: _session_id, ws, ...)
    model_config = ConfigDict(strict=True, extra="allow")


class TokenSchema(_Strict):
    text: str
    start: Offset
    end: Offset
    id: Offset
    ws: bool | None = None


class SpanSchema(_Strict):
    text: str
    start: Offset
    end: Offset
    token_start: Offset
    token_end: Offset
    label: str
    kb_id: str | None = None


class SpanRefSchema(_Strict):
    start: Offset
    end: Offset
    token_start: Offset
    token_end: Offset
    label: str


class RelationSchema(_Strict):
    head: Offset
    child: Offset
    head_span: SpanRefSchema
    child_span: SpanRefSchema
    label: str


class OptionSchema(_Strict):
    id: str
    text: str


class MetaSchema(_Strict):
    id: DocId
    source: str | None = None
    annotator: str | None = None
    pass_: int | None = Field(default=None, alias="pass")


class TaskSchema(_Strict):
    """Every field of a task, typed: what the cross-field rules below may rely on."""

    text: str
    meta: MetaSchema
    input_hash: int = Field(alias="_input_hash")
    task_hash: int = Field(alias="_task_hash")
    view_id: str | None = Field(default=None, alias="_view_id")
    tokens: list[TokenSchema]
    spans: list[SpanSchema]
    relations: list[RelationSchema]
    options: list[OptionSchema] | None = None
    accept: list[str] | None = None
    answer: str


def _field(loc: tuple) -> str | None:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


UNREVIEWED = (
    "missing: unreviewed model output is not gold; correct and accept it in Prodigy or Label Studio first "
    "(or merge it with --accept-model-output, which records it as unreviewed)"
)


def schema_problems(task: object, file: str, line: int, unreviewed_ok: bool = False) -> list[Problem]:
    """Type and presence problems of one task, from the declared schema (never an exception).

    ``unreviewed_ok``: a task with no ``answer`` (model output) passes, e.g. on its way into an annotation tool.
    """
    if not isinstance(task, dict):
        return [Problem(file, line, None, f"expected a JSON object, got {type(task).__name__}")]
    if "answer" not in task:
        if not unreviewed_ok:
            return [Problem(file, line, "answer", UNREVIEWED)]
        task = {**task, "answer": "accept"}
    try:
        TaskSchema.model_validate(task)
    except SchemaError as err:
        out = []
        for e in err.errors():
            if e["type"] == "missing":
                message = "missing"
            else:
                got = e.get("input")
                message = e["msg"].removeprefix("Value error, ")
                if e["type"] != "value_error":
                    message += f" (got {type(got).__name__} {str(got)[:40]!r})"
            out.append(Problem(file, line, _field(e["loc"]), message))
        return out
    return []


def _token_problems(text: str, tokens: list[dict], P) -> list[Problem]:
    """Tokens are numbered in order, match the text, do not overlap, and leave only whitespace between them."""
    out = []
    prev_end = 0
    for i, tok in enumerate(tokens):
        f = f"tokens[{i}]"
        if tok["id"] != i:
            out.append(P(f"{f}.id", f"is {tok['id']}, expected {i}"))
        if not tok["start"] < tok["end"] <= len(text) or text[tok["start"] : tok["end"]] != tok["text"]:
            out.append(P(f"{f}.text", f"{tok['text']!r} does not match text[{tok['start']}:{tok['end']}]"))
        elif tok["start"] < prev_end or text[prev_end : tok["start"]].strip():
            out.append(P(f"{f}.start", f"overlaps or skips text before it (characters {prev_end}-{tok['start']})"))
        prev_end = max(prev_end, tok["end"])
        if len(out) >= 5:
            return out  # one broken token list is enough to report
    if text[prev_end:].strip():
        out.append(P("tokens", f"do not cover the text from character {prev_end} on ({len(tokens)} tokens)"))
    return out


def validate_task(
    task: object,
    file: str,
    line: int,
    entities: dict,
    topics: dict,
    own_hashes: bool = False,
    unreviewed_ok: bool = False,
) -> list[Problem]:
    """All problems of one task (one JSONL line): the schema first, then the rules across fields.

    ``own_hashes``: the hashes must be this project's (true for the gold; Prodigy's own output differs).
    ``unreviewed_ok``: model output with no ``answer`` passes (it is checked on its way into a tool).
    """
    out = schema_problems(task, file, line, unreviewed_ok)
    if out:
        return out
    assert isinstance(task, dict)
    P = lambda field, message: Problem(file, line, field, message)  # noqa: E731
    text = task["text"]
    if task.get("answer", "accept") != "accept":
        out.append(P("answer", f"{task['answer']!r}: only accepted tasks are gold"))
    if own_hashes and task["_input_hash"] != input_hash(text):
        out.append(P("_input_hash", f"{task['_input_hash']} is not the hash of the text ({input_hash(text)})"))
    if own_hashes and task["_task_hash"] != task_hash(text):
        out.append(P("_task_hash", f"{task['_task_hash']} is not the task hash of the text ({task_hash(text)})"))

    tokens = task["tokens"]
    out += _token_problems(text, tokens, P)
    tok_ok = not any(p.field and p.field.startswith("tokens") for p in out)

    spans: dict[tuple, dict] = {}
    for i, span in enumerate(task["spans"]):
        f = f"spans[{i}]"
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
    seen: dict[tuple, int] = {}
    stance_of: dict[tuple, tuple[int, str]] = {}
    for i, rel in enumerate(task["relations"]):
        f = f"relations[{i}]"
        label = rel["label"]
        if label not in RELATION_LABELS:
            out.append(P(f"{f}.label", f"unknown relation {label!r}; expected one of {RELATION_LABELS}"))
            continue
        ends = {}
        for end in ("head_span", "child_span"):
            ref = rel[end]
            key = (ref["start"], ref["end"], ref["label"])
            if key not in spans:
                out.append(P(f"{f}.{end}", f"no span {key} in spans"))
                continue
            ends[end] = span = spans[key]
            for k in ("token_start", "token_end"):
                if ref[k] != span[k]:
                    out.append(P(f"{f}.{end}.{k}", f"is {ref[k]}, the span's {k} is {span[k]}"))
            short = end.split("_")[0]
            if rel[short] != span["token_end"]:
                out.append(P(f"{f}.{short}", f"is {rel[short]}, the span's token_end is {span['token_end']}"))
        if len(ends) < 2:
            continue
        head, child = ends["head_span"], ends["child_span"]
        if head["label"] not in QUOTE_LABELS:
            out.append(P(f"{f}.head_span", f"{label} must start at a quote, not {head['label']}"))
        if child["label"] != RELATION_CHILD[label]:
            out.append(P(f"{f}.child_span", f"{label} must end at a {RELATION_CHILD[label]}, not {child['label']}"))
        qkey = (head["start"], head["end"], head["label"])
        ckey = (child["start"], child["end"], child["label"])
        if (qkey, ckey, label) in seen:
            out.append(P(f, f"duplicate {label} relation (also relations[{seen[qkey, ckey, label]}])"))
            continue
        seen[qkey, ckey, label] = i
        if label == SPOKEN_BY:
            spoken[qkey] += 1
            if head["start"] <= child["start"] and child["end"] <= head["end"]:
                out.append(P(f"{f}.child_span", f"the speaker {child['text']!r} is inside its own quote"))
        elif label == CUED_BY:
            cued[qkey] += 1
        elif label in STANCES:
            if (qkey, ckey) in stance_of:
                j, other = stance_of[qkey, ckey]
                out.append(P(f"{f}.label", f"{label} and {other} (relations[{j}]) on the same quote and topic"))
            stance_of[qkey, ckey] = (i, label)
    for i, span in enumerate(task["spans"]):
        if span["label"] in QUOTE_LABELS:
            key = (span["start"], span["end"], span["label"])
            if spoken[key] != 1:
                out.append(
                    P(
                        f"spans[{i}]",
                        f"quote {span['text'][:40]!r} has {spoken[key]} SPOKEN_BY relations; exactly one is required",
                    )
                )
            if cued[key] > 1:
                out.append(P(f"spans[{i}]", f"quote {span['text'][:40]!r} has {cued[key]} CUED_BY relations"))

    if "options" in task or "accept" in task:
        opts = task.get("options") or []
        ids = [o["id"] for o in opts]
        for o in sorted(set(ids) - set(topics)):
            out.append(P("options", f"option {o!r} is not in the topic taxonomy"))
        for o in sorted({o for o in ids if ids.count(o) > 1}):
            out.append(P("options", f"option {o!r} is listed twice"))
        for a in task.get("accept") or []:
            if a not in ids:
                out.append(P("accept", f"{a!r} is not one of the options"))
        if len(set(task.get("accept") or [])) != len(task.get("accept") or []):
            out.append(P("accept", "a topic is accepted twice"))
    return out


def validate_files(files: list[Path], annotations_dir: Path, unreviewed_ok: bool = False) -> tuple[list[Problem], int]:
    """Validate task files against the registries in ``annotations_dir``; returns problems and task count.

    The gold file of ``annotations_dir`` must also carry this project's hashes of its texts; tasks without
    an ``answer`` (unreviewed model output) pass only with ``unreviewed_ok``."""
    problems: list[Problem] = []
    settle(annotations_dir)  # an interrupted merge is completed before anything is read
    entities = load_entities(annotations_dir / ENTITIES_FILE, problems)
    topics = load_topics(annotations_dir / TOPICS_FILE, problems)
    seen_ids: dict[str, str] = {}
    seen_hashes: dict[int, str] = {}
    n = 0
    for file in files:
        if not file.exists():
            problems.append(Problem(str(file), None, None, "file not found"))
            continue
        own_hashes = file.resolve() == (annotations_dir / GOLD_FILE).resolve()
        numbered = read_jsonl_numbered(file)
        if not numbered:
            problems.append(Problem(str(file), 1, None, "empty file: no tasks"))
        for line, task in numbered:
            n += 1
            where = f"{file}:{line}"
            if isinstance(task, Exception):
                problems.append(Problem(str(file), line, None, f"invalid JSON ({task})"))
                continue
            ok = unreviewed_ok and not own_hashes  # the gold itself is never unreviewed
            problems += validate_task(task, str(file), line, entities, topics, own_hashes, ok)
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


def check_against_corpus(tasks: list[dict], corpus: dict[str, dict], gold_file: str) -> None:
    """Stale annotations stop the build: every task's text must be its corpus document's current text."""
    problems = []
    for line, t in enumerate(tasks, start=1):
        doc_id = t["meta"]["id"]
        doc = corpus.get(doc_id)
        if doc is None:
            problems.append(Problem(gold_file, line, "meta.id", f"{doc_id!r} is not in corpus/documents.jsonl"))
        elif doc["text"] != t["text"]:
            problems.append(
                Problem(gold_file, line, "text", f"differs from the corpus text of {doc_id!r} (stale annotation)")
            )
    if problems:
        raise ValidationError("annotations do not match the corpus; nothing was written", problems)


def load_valid(annotations_dir: Path) -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    """Gold tasks, entities and topics; raises ValidationError with every problem if any is invalid."""

    from ..core.io import read_jsonl

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
