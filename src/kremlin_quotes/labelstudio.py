"""Label Studio, the free alternative to Prodigy: export tasks with pre-annotations, import corrected ones.

One labelled region per span (``labels``), the entity or topic id of a SPEAKER/TOPIC span as a per-region
``textarea`` (``kb_id``), relations as Label Studio relations, the document's topics as ``choices``. The
project's labelling config is ``label_config()``. Prodigy task -> Label Studio -> Prodigy task is lossless for
the gold schema (text, meta, spans with kb_id, relations, topic options and accept).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .errors import InputError, Problem
from .ids import id_problem
from .labels import RELATION_LABELS, SPAN_LABELS
from .tasks import make_task, relation_dict, span_dict, span_key, tokens_of

TEXT, LABEL, KB, TOPICS = "text", "label", "kb_id", "topics"
COLORS = {
    "SPEAKER": "#7aecec",
    "CUE": "#feca74",
    "DIRECT_QUOTE": "#ff9561",
    "INDIRECT_QUOTE": "#aa9cfc",
    "MIXED_QUOTE": "#f0a8d0",
    "TOPIC": "#bfe1d9",
}


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


def _chosen(ls_task: dict) -> list[dict]:
    """The result to import: the latest submitted annotation, else the first prediction."""
    done = [a for a in ls_task.get("annotations") or [] if not a.get("was_cancelled")]
    if done:
        return done[-1].get("result") or []
    preds = ls_task.get("predictions") or []
    return (preds[0].get("result") or []) if preds else []


def from_labelstudio(ls_task: dict, file: str, index: int) -> dict:
    """The Prodigy task of one Label Studio task; misaligned regions are errors naming task and region."""
    try:
        return _from_labelstudio(ls_task, file, index)
    except (KeyError, TypeError, IndexError, AttributeError) as e:
        raise InputError(
            f"{file}: cannot import task {index}",
            [Problem(file, None, f"task {index}", f"malformed Label Studio task ({type(e).__name__}: {e})")],
        ) from None


def _from_labelstudio(ls_task: dict, file: str, index: int) -> dict:
    where = f"task {index}"
    if not isinstance(ls_task, dict) or not isinstance(ls_task.get("data"), dict):
        raise InputError(f"{file}: {where}", [Problem(file, None, f"{where}.data", "missing or not an object")])
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
    result = _chosen(ls_task)
    kb = {r["id"]: r["value"]["text"][0] for r in result if r.get("from_name") == KB and r["value"].get("text")}
    spans, problems = {}, []
    for r in result:
        if r.get("type") != "labels":
            continue
        v = r["value"]
        extra = {"kb_id": kb[r["id"]]} if r["id"] in kb else {}
        try:
            spans[r["id"]] = span_dict(v["start"], v["end"], v["labels"][0], text, tokens, **extra)
        except ValueError as e:
            problems.append(Problem(file, None, f"{where} region {r['id']}", str(e)))
    relations = []
    for r in result:
        if r.get("type") == "relation":
            if r["from_id"] not in spans or r["to_id"] not in spans:
                problems.append(
                    Problem(file, None, f"{where} relation", f"{r['from_id']} -> {r['to_id']}: unknown region")
                )
                continue
            for label in r.get("labels") or []:
                relations.append(relation_dict(spans[r["from_id"]], spans[r["to_id"]], label))
    if problems:
        raise InputError(f"{file}: cannot import task {index}", problems)
    accept = next((r["value"]["choices"] for r in result if r.get("from_name") == TOPICS), [])
    options = data.get("options")
    if options is None and accept:  # chosen in the labelling config's taxonomy; the merge sets the full list
        options = [{"id": c, "text": c} for c in accept]
    meta = dict(meta)
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
