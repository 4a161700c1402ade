"""Label Studio, the free alternative to Prodigy: export tasks with pre-annotations, import corrected ones.

One labelled region per span (``labels``), the entity or topic id of a SPEAKER/TOPIC span as a per-region
``textarea`` (``kb_id``), relations as Label Studio relations, the document's topics as ``choices``. The
project's labelling config is ``label_config()``. Prodigy task -> Label Studio -> Prodigy task is lossless for
the gold schema (text, meta, spans with kb_id, relations, topic options and accept).

The import follows Label Studio's own semantics (``decide``): predictions are never gold, cancelled
annotations are skipped, a ground-truth annotation wins, several annotations are taken only when they agree
(else the task goes to review with a per-annotator diff), relation directions are honoured, and every
region's text is checked against the document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..core.errors import InputError, Problem
from ..core.ids import id_problem
from ..core.labels import COLORS, QUOTE_LABELS, RELATION_LABELS, SPAN_LABELS
from ..core.tasks import make_task, relation_dict, span_dict, span_key, tokens_of

TEXT, LABEL, KB, TOPICS = "text", "label", "kb_id", "topics"


def label_config(topics: dict[str, dict]) -> str:
    """The Label Studio labelling interface for this scheme (paste it into the project's settings)."""
    labels = "\n".join(f'    <Label value="{lab}" background="{COLORS[lab]}"/>' for lab in SPAN_LABELS)
    rels = "\n".join(f'    <Relation value="{r}"/>' for r in RELATION_LABELS)
    choices = "\n".join(f"    <Choice value={quoteattr(k)} hint={quoteattr(t['name'])}/>" for k, t in topics.items())
    return f"""<View>
  <Labels name="{LABEL}" toName="{TEXT}">
{labels}
  </Labels>
  <Text name="{TEXT}" value="$text" granularity="word"/>
  <Relations>
{rels}
  </Relations>
  <TextArea name="{KB}" toName="{TEXT}" perRegion="true" maxSubmissions="1" editable="true"
            placeholder="entity id (SPEAKER) or topic id (TOPIC)"/>
  <Choices name="{TOPICS}" toName="{TEXT}" choice="multiple" showInline="true">
{choices}
  </Choices>
</View>
"""


def to_labelstudio(task: dict, as_predictions: bool = True) -> dict:
    """One Label Studio task; the spans go in ``predictions`` (pre-annotation) or ``annotations``."""
    ids = {}
    result: list[dict] = []
    for i, s in enumerate(task["spans"]):
        rid = f"s{i}"
        ids[span_key(s)] = rid
        where = {"start": s["start"], "end": s["end"]}
        result.append(
            {
                "id": rid,
                "from_name": LABEL,
                "to_name": TEXT,
                "type": "labels",
                "value": {**where, "text": s["text"], "labels": [s["label"]]},
            }
        )
        if s.get("kb_id") is not None:
            result.append(
                {
                    "id": rid,
                    "from_name": KB,
                    "to_name": TEXT,
                    "type": "textarea",
                    "value": {**where, "text": [s["kb_id"]]},
                }
            )
    for r in task["relations"]:
        h, c = r["head_span"], r["child_span"]
        result.append(
            {
                "from_id": ids[span_key(h)],
                "to_id": ids[span_key(c)],
                "type": "relation",
                "direction": "right",
                "labels": [r["label"]],
            }
        )
    if task.get("accept"):
        result.append(
            {
                "id": TOPICS,
                "from_name": TOPICS,
                "to_name": TEXT,
                "type": "choices",
                "value": {"choices": task["accept"]},
            }
        )
    data = {TEXT: task["text"], "meta": task.get("meta", {})}
    if "options" in task:
        data["options"] = task["options"]
    key = "predictions" if as_predictions else "annotations"
    entry: dict = {"result": result}
    if as_predictions:
        entry["model_version"] = str(task.get("meta", {}).get("model", "kremlin-quotes"))
    return {"data": data, key: [entry]}


IMPORTED, UNANNOTATED, SKIPPED, CONFLICTING = "imported", "unannotated", "skipped", "conflicting"


@dataclass
class Decision:
    """What the import does with one Label Studio task, and why."""

    status: str  # imported | unannotated (nobody submitted) | skipped (every annotation cancelled) | conflicting
    task: dict | None = None
    review: dict | None = None  # for a conflict: who marked what that the others did not


@dataclass
class ImportSummary:
    tasks: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((IMPORTED, UNANNOTATED, SKIPPED, CONFLICTING), 0)
    )


def _annotator(annotation: dict) -> str | None:
    """Label Studio's ``completed_by``: a user id, or a user object in some exports."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return f"label-studio:{who}" if who not in (None, "") else None


def _content(task: dict) -> dict[str, set]:
    """What two annotations of one task are compared on."""
    return {
        "spans": {(s["start"], s["end"], s["label"], s.get("kb_id"), s["text"]) for s in task["spans"]},
        "relations": {(span_key(r["head_span"]), span_key(r["child_span"]), r["label"]) for r in task["relations"]},
        "topics": set(task.get("accept") or []),
    }


def decide(ls_task: object, file: str, index: int) -> Decision:
    """Label Studio's own semantics: predictions (ids or objects) are never gold; cancelled annotations are
    skipped; a ``ground_truth`` annotation wins; otherwise several submitted annotations are taken only when
    they agree, and a disagreement goes to review with a per-annotator diff."""
    try:
        return _decide(ls_task, file, index)
    except (KeyError, TypeError, IndexError, AttributeError, ValueError) as e:
        raise InputError(
            f"{file}: cannot import task {index}",
            [Problem(file, None, f"task {index}", f"malformed Label Studio task ({type(e).__name__}: {e})")],
        ) from None


def _decide(ls_task: object, file: str, index: int) -> Decision:
    where = f"task {index}"
    if not isinstance(ls_task, dict) or not isinstance(ls_task.get("data"), dict):
        raise InputError(f"{file}: {where}", [Problem(file, None, f"{where}.data", "missing or not an object")])
    annotations = ls_task.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise InputError(f"{file}: {where}", [Problem(file, None, f"{where}.annotations", "not a list of objects")])
    submitted = [a for a in annotations if not a.get("was_cancelled")]
    if not annotations:
        return Decision(UNANNOTATED)
    if not submitted:
        return Decision(SKIPPED)
    truth = [a for a in submitted if a.get("ground_truth")]
    if truth:
        return Decision(IMPORTED, _to_task(ls_task, truth[-1], file, index))
    tasks = [_to_task(ls_task, a, file, index) for a in submitted]
    contents = [_content(t) for t in tasks]
    if all(c == contents[0] for c in contents[1:]):
        return Decision(IMPORTED, tasks[-1])
    review = {
        "task": index,
        "id": tasks[0]["meta"].get("id"),
        "annotations": [
            {
                "annotator": _annotator(a) or f"annotation {a.get('id', i)}",
                "only_here": {
                    key: sorted(map(list, c[key] - set.intersection(*(o[key] for o in contents))), key=str)
                    for key in c
                },
            }
            for i, (a, c) in enumerate(zip(submitted, contents, strict=True))
        ],
    }
    return Decision(CONFLICTING, review=review)


def import_export(ls_tasks: list, file: str) -> ImportSummary:
    """Every task of an export decided; raises InputError listing every malformed task (nothing imported)."""
    summary, problems = ImportSummary(), []
    for index, ls_task in enumerate(ls_tasks, start=1):
        try:
            d = decide(ls_task, file, index)
        except InputError as e:
            problems += e.problems
            continue
        summary.counts[d.status] += 1
        if d.task is not None:
            summary.tasks.append(d.task)
        if d.review is not None:
            summary.reviews.append(d.review)
    if problems:
        raise InputError(f"{file}: {len(problems)} problem(s); nothing was imported", problems)
    return summary


def from_labelstudio(ls_task: dict, file: str, index: int) -> dict:
    """The Prodigy task of one Label Studio task that a person annotated (see ``decide``); anything else
    (no submitted annotation, a disagreement) is an error naming the task."""
    d = decide(ls_task, file, index)
    if d.task is None:
        raise InputError(
            f"{file}: task {index}", [Problem(file, None, f"task {index}", f"{d.status}: nothing to import")]
        )
    return d.task


def _to_task(ls_task: dict, annotation: dict, file: str, index: int) -> dict:
    where = f"task {index}"
    data = ls_task["data"]
    text = data.get(TEXT)
    if not isinstance(text, str):
        raise InputError(f"{file}: {where}", [Problem(file, None, f"{where}.data.text", "missing")])
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(
            f"{file}: {where}",
            [Problem(file, None, f"{where}.data.meta", f"must be an object, got {type(meta).__name__}")],
        )
    if "id" in meta and (problem := id_problem(meta["id"])):
        raise InputError(f"{file}: {where}", [Problem(file, None, f"{where}.data.meta.id", problem)])
    tokens = tokens_of(text)
    result = annotation.get("result") or []
    kb = {r["id"]: r["value"]["text"][0] for r in result if r.get("from_name") == KB and r["value"].get("text")}
    spans, problems = {}, []
    for r in result:
        if r.get("type") != "labels":
            continue
        v = r["value"]
        region = f"{where} region {r['id']}"
        if "text" in v and v["text"] != text[v["start"] : v["end"]]:
            problems.append(
                Problem(file, None, f"{region}.value.text", f"{v['text']!r} != the text at {v['start']}-{v['end']}")
            )
            continue
        extra = {"kb_id": kb[r["id"]]} if r["id"] in kb else {}
        try:
            spans[r["id"]] = span_dict(v["start"], v["end"], v["labels"][0], text, tokens, **extra)
        except ValueError as e:
            problems.append(Problem(file, None, region, str(e)))
    relations = []
    for r in result:
        if r.get("type") != "relation":
            continue
        rel = f"{where} relation {r.get('from_id')} -> {r.get('to_id')}"
        if r["from_id"] not in spans or r["to_id"] not in spans:
            problems.append(Problem(file, None, rel, "unknown region"))
            continue
        head, child = spans[r["from_id"]], spans[r["to_id"]]
        direction = r.get("direction", "right")
        if direction == "left":
            head, child = child, head
        elif direction == "bi":  # the scheme's relations start at the quote: orient by it
            if (head["label"] in QUOTE_LABELS) == (child["label"] in QUOTE_LABELS):
                problems.append(Problem(file, None, rel, "bidirectional relation with no single quote end"))
                continue
            if child["label"] in QUOTE_LABELS:
                head, child = child, head
        if not r.get("labels"):
            problems.append(Problem(file, None, rel, "relation without a label"))
            continue
        for label in r["labels"]:
            relations.append(relation_dict(head, child, label))
    if problems:
        raise InputError(f"{file}: cannot import task {index}", problems)
    accept = next((r["value"]["choices"] for r in result if r.get("from_name") == TOPICS), [])
    options = data.get("options")
    if options is None and accept:  # chosen in the labelling config's taxonomy; the merge sets the full list
        options = [{"id": c, "text": c} for c in accept]
    meta = dict(meta)
    meta.pop("reviewed", None)  # a person submitted this annotation
    who = _annotator(annotation)
    if who:
        meta["annotator"] = who
    return make_task(
        text,
        list(spans.values()),
        relations,
        meta,
        options=options,
        accept=accept if options is not None else None,
        tokens=tokens,
    )


def read_export(path: Path) -> list[dict]:
    """A Label Studio JSON export (a list of tasks)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: not a Label Studio JSON export ({e})") from e
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of tasks")
    return data
