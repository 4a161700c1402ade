"""``kremlin-quotes annotations merge``: corrected tasks into annotations/, validated as a whole batch.

Existing lines of ``gold.jsonl`` are kept byte for byte and in order; new documents are appended. An
existing document is replaced only with ``--replace``, which first copies ``gold.jsonl`` to a new file in
``annotations/backups/``. The whole merge holds the folder's lock, and gold and registries are committed
together (``core.store``): concurrent merges queue, a crash leaves all three old or all three new.
New speakers or topics enter the registries only from files given explicitly
(``--entities`` / ``--topics``), validated like the registries themselves. Merged tasks are normalised to
the gold schema (meta, span keys, topic options), so the dataset can carry them losslessly.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import srsly

from ..core.documents import load_corpus
from ..core.errors import Problem, ValidationError
from ..core.io import read_jsonl
from ..core.labels import SPEAKER, TOPIC
from ..core.paths import ENTITIES_FILE, GOLD_FILE, TOPICS_FILE
from ..core.registry import load_entities, load_topics
from ..core.store import backup, commit, locked
from ..core.tasks import make_task, relation_dict, span_dict, span_key, tokens_of, topic_options
from .validate import check_against_corpus, load_valid, validate_files


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    entities_added: list[str] = field(default_factory=list)
    topics_added: list[str] = field(default_factory=list)
    quotes_added: int = 0
    backup: Path | None = None
    unreviewed: list[str] = field(default_factory=list)  # model output merged with --accept-model-output


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []


def _additions(path: Path | None, existing: dict[str, dict], kind: str, problems: list[Problem]) -> list[dict]:
    """Validated new registry records; an id already present must be the identical record."""
    if path is None:
        return []
    loader = load_entities if kind == "entities" else load_topics
    records = loader(path, problems)
    new = []
    for rid, rec in records.items():
        if rid in existing:
            if existing[rid] != rec:
                problems.append(Problem(str(path), None, "id", f"{rid!r} already exists with different fields"))
        else:
            new.append(rec)
    return new


def unreviewed_annotator(task: dict) -> str:
    """Who a bulk-accepted model task is recorded as: the model and version, marked unreviewed."""
    meta = task.get("meta") or {}
    return f"unreviewed-model:{meta.get('model', 'unknown')}@{meta.get('model_version', '')}".rstrip("@")


def normalise(task: dict, doc: dict, topics: dict[str, dict], annotator: str | None, file: str, line: int) -> dict:
    """The task in the gold schema: meta {id, source, annotator, pass}, span keys, options = the taxonomy."""
    text = task["text"]
    tokens = tokens_of(text)
    problems, spans = [], {}
    for i, s in enumerate(task["spans"]):
        extra = {"kb_id": s["kb_id"]} if s["label"] in (SPEAKER, TOPIC) else {}
        try:
            spans[span_key(s)] = span_dict(s["start"], s["end"], s["label"], text, tokens, **extra)
        except ValueError as e:
            problems.append(Problem(file, line, f"spans[{i}]", str(e)))
    # Prodigy's db-out records who annotated as _annotator_id ("dataset-name" with named sessions)
    who = (task.get("meta") or {}).get("annotator") or task.get("_annotator_id") or annotator
    if "answer" not in task:  # only with --accept-model-output: the record says nobody reviewed it
        who = unreviewed_annotator(task)
    if not who:
        problems.append(Problem(file, line, "meta.annotator", "missing: set it in the task or pass --annotator"))
    if problems:
        raise ValidationError("tasks cannot be normalised; nothing was merged", problems)
    relations = [
        relation_dict(
            spans[span_key(r["head_span"])],
            spans[span_key(r["child_span"])],
            r["label"],
        )
        for r in task["relations"]
    ]
    meta_pass = (task.get("meta") or {}).get("pass")
    meta = {
        "id": doc["id"],
        "source": doc["source"],
        "annotator": who,
        "pass": meta_pass if isinstance(meta_pass, int) else 1,
    }
    accept = list(task.get("accept") or [])
    return make_task(
        text, list(spans.values()), relations, meta, options=topic_options(topics), accept=accept, tokens=tokens
    )


def merge(
    corrected: Path,
    annotations: Path,
    corpus: Path,
    replace: bool = False,
    entities_file: Path | None = None,
    topics_file: Path | None = None,
    annotator: str | None = None,
    accept_model_output: bool = False,
) -> MergeReport:
    """Validate ``corrected`` and merge it; on any problem raise with every problem and write nothing.

    Tasks with no ``answer`` (model output nobody reviewed) are refused, unless ``accept_model_output``:
    then they are merged with ``meta.annotator`` = ``unreviewed-model:<model>@<version>``."""
    with locked(annotations):  # read, check and write as one step: a concurrent merge waits for this one
        return _merge(
            corrected, annotations, corpus, replace, entities_file, topics_file, annotator, accept_model_output
        )


def _merge(
    corrected: Path,
    annotations: Path,
    corpus: Path,
    replace: bool,
    entities_file: Path | None,
    topics_file: Path | None,
    annotator: str | None,
    accept_model_output: bool,
) -> MergeReport:
    gold_tasks, entities, topics = load_valid(annotations)
    problems: list[Problem] = []
    new_entities = _additions(entities_file, entities, "entities", problems)
    new_topics = _additions(topics_file, topics, "topics", problems)
    if problems:
        raise ValidationError("registry additions are invalid; nothing was merged", problems)
    all_entities = {**entities, **{e["id"]: e for e in new_entities}}
    all_topics = {**topics, **{t["id"]: t for t in new_topics}}

    with tempfile.TemporaryDirectory() as tmp:  # the same validator, against the registries plus additions
        srsly.write_jsonl(Path(tmp) / ENTITIES_FILE, all_entities.values())
        srsly.write_jsonl(Path(tmp) / TOPICS_FILE, all_topics.values())
        problems, n = validate_files([corrected], Path(tmp), unreviewed_ok=accept_model_output)
    if problems:
        raise ValidationError(f"{corrected}: {len(problems)} problem(s) in {n} task(s); nothing was merged", problems)
    tasks = list(read_jsonl(corrected))
    docs = {d["id"]: d for d in load_corpus(corpus)}
    check_against_corpus(tasks, docs, str(corrected))
    incoming = [
        normalise(t, docs[t["meta"]["id"]], all_topics, annotator, str(corrected), i) for i, t in enumerate(tasks, 1)
    ]

    gold_path = annotations / GOLD_FILE
    lines = _lines(gold_path)
    index = {t["meta"]["id"]: i for i, t in enumerate(gold_tasks)}
    report = MergeReport()
    report.unreviewed = [t["meta"]["id"] for t in tasks if "answer" not in t]
    clashes = []
    for line_no, task in enumerate(incoming, start=1):
        doc_id = task["meta"]["id"]
        line = srsly.json_dumps(task)
        if doc_id in index:
            if lines[index[doc_id]] == line:
                report.unchanged.append(doc_id)
            elif not replace:
                clashes.append(
                    Problem(str(corrected), line_no, "meta.id", f"{doc_id!r} is already annotated; use --replace")
                )
            else:
                lines[index[doc_id]] = line
                report.replaced.append(doc_id)
        else:
            lines.append(line)
            report.added.append(doc_id)
            report.quotes_added += sum(s["label"].endswith("_QUOTE") for s in task["spans"])
    if clashes:
        raise ValidationError("documents already in annotations/; nothing was merged", clashes)
    report.entities_added = [e["id"] for e in new_entities]
    report.topics_added = [t["id"] for t in new_topics]
    if report.replaced:
        report.backup = backup(gold_path)
    changes: dict[Path, str] = {}
    for path, recs in ((annotations / ENTITIES_FILE, new_entities), (annotations / TOPICS_FILE, new_topics)):
        if recs:
            new = [json.dumps(r, ensure_ascii=False) for r in recs]  # the registries' own line style
            changes[path] = "\n".join(_lines(path) + new) + "\n"
    if report.added or report.replaced:
        changes[gold_path] = "\n".join(lines) + "\n"
    if changes:
        commit(annotations, changes)
    return report
