"""The Prodigy route for the whole scheme, in two passes, because ``rel.manual`` cannot show overlapping spans
and most TOPIC spans lie inside their quote.

- Pass 1 (``rel.manual``): quotes, speakers, cues and SPOKEN_BY/CUED_BY. No TOPIC span; where one quote
  holds another quote's speaker ("As President Putin has said, ..."), the two attributions go to separate
  tasks of the same document (layers), so no task has overlapping spans.
- Pass 2 (``spans.manual``, which draws overlapping spans): one task a quote. The quote is pre-drawn as
  ``QUOTE``. Each target is a span labelled ``<topic id>:<STANCE>``, so the span, its topic and its stance are
  one decision.
- ``join``: pass 2 back onto pass 1, giving one task a document with TOPIC spans (``kb_id`` = topic),
  stance relations quote -> topic, and ``accept`` = the targeted topics in taxonomy order.

Speakers' ``kb_id`` stay a field of the SPEAKER spans: the model pre-fills them, and corrections are made in the
file, as guidelines §6 says. ``annotations merge`` refuses an unknown or missing id.
"""

from __future__ import annotations

from collections import defaultdict

from murmurhash.mrmr import hash_unicode

from ..core import taskview
from ..core.errors import InputError, Problem
from ..core.labels import QUOTE_LABELS, STANCES, TOPIC
from ..core.tasks import make_task, relation_dict, span_dict, span_key, tokens_of

QUOTE_MARK = "QUOTE"  # the pre-drawn quote of a pass-2 task (not a target)


def pass2_labels(topics: dict[str, dict]) -> list[str]:
    """The span labels of pass 2: every topic with every stance."""
    return [f"{t}:{s}" for t in topics for s in STANCES]


def _overlap(a: dict, b: dict) -> bool:
    return span_key(a) != span_key(b) and a["start"] < b["end"] and b["start"] < a["end"]


def pass1_tasks(task: dict) -> list[dict]:
    """Pass 1's view of a task: no TOPIC spans or stances, and as many tasks (layers) as it takes for no task to
    hold overlapping spans; each quote travels with its speaker and cue."""
    spans = {span_key(s): s for s in task["spans"] if s["label"] != TOPIC}
    relations = [r for r in task["relations"] if r["label"] not in STANCES]
    groups = {
        q.key: [q.span, *([q.speaker] if q.speaker else []), *q.cues]
        for q in taskview.quotes({"spans": list(spans.values()), "relations": relations})
    }
    grouped = {span_key(s) for group in groups.values() for s in group}
    layers: list[list[dict]] = [[s for k, s in spans.items() if k not in grouped]]  # spans of no quote
    for key in sorted(groups):
        group = groups[key]
        layer = next((L for L in layers if not any(_overlap(a, b) for a in group for b in L)), None)
        if layer is None:
            layer = []
            layers.append(layer)
        layer.extend(s for s in group if span_key(s) not in {span_key(x) for x in layer})
    out = []
    for n, layer in enumerate(layers):
        if n and not layer:
            continue
        keys = {span_key(s) for s in layer}
        t = {k: v for k, v in task.items() if k not in ("spans", "relations")}
        t["spans"] = sorted(layer, key=span_key)
        t["relations"] = [
            r for r in relations if span_key(r["head_span"]) in keys and span_key(r["child_span"]) in keys
        ]
        t["meta"] = {**task["meta"], "layer": n}
        if n:  # same text, another task: Prodigy must not take it for a duplicate
            t["_task_hash"] = hash_unicode(f"{task.get('_task_hash')}|layer|{n}")
        out.append(t)
    return out


def join_layers(tasks: list[dict], file: str = "pass1") -> list[dict]:
    """One task a document from pass-1 layers: spans and relations united; accepted only if every layer was."""
    docs: dict[str, list[dict]] = defaultdict(list)
    for t in tasks:
        docs[t["meta"]["id"]].append(t)
    out = []
    for layers in docs.values():
        layers.sort(key=lambda t: t["meta"].get("layer", 0))
        base = layers[0]
        spans: dict[tuple, dict] = {}
        relations: dict[tuple, dict] = {}
        for t in layers:
            for s in t["spans"]:
                spans.setdefault(span_key(s), s)
            for r in t["relations"]:
                relations.setdefault((span_key(r["head_span"]), span_key(r["child_span"]), r["label"]), r)
        joined = {k: v for k, v in base.items() if k not in ("spans", "relations", "answer")}
        joined["meta"] = {k: v for k, v in base["meta"].items() if k != "layer"}
        joined["spans"] = list(spans.values())
        joined["relations"] = list(relations.values())
        if all(t.get("answer") == "accept" for t in layers):
            joined["answer"] = "accept"
        out.append(joined)
    return out


def pass2_tasks(task: dict, targets_from: dict | None = None) -> list[dict]:
    """One pass-2 task per quote of ``task``. The quote's targets are pre-filled from ``targets_from``, the same
    document with topics (e.g. the gold being revised), when its quote has the same offsets."""
    targets = {q.key: q.targets for q in taskview.quotes(targets_from or task)}
    text, out = task["text"], []
    tokens = task.get("tokens") or tokens_of(text)
    for q in sorted((s for s in task["spans"] if s["label"] in QUOTE_LABELS), key=span_key):
        spans = [span_dict(q["start"], q["end"], QUOTE_MARK, text, tokens)]
        for topic, stance in targets.get(span_key(q), ()):
            spans.append(span_dict(topic["start"], topic["end"], f"{topic['kb_id']}:{stance}", text, tokens))
        meta = {"id": task["meta"]["id"], "quote": [q["start"], q["end"], q["label"]], "pass": 2}
        out.append(
            {
                "text": text,
                "meta": meta,
                "_input_hash": hash_unicode(text),
                "_task_hash": hash_unicode(f"{text}|{q['start']}|{q['end']}|{q['label']}"),
                "_view_id": "spans_manual",
                "tokens": tokens,
                "spans": spans,
            }
        )
    return out


def join(pass1: list[dict], pass2: list[dict], topics: dict[str, dict], file: str = "pass2") -> list[dict]:
    """Pass-2 targets onto the (joined) pass-1 tasks; every mismatch is an error naming the pass-2 task (line)."""
    by_doc = {t["meta"]["id"]: t for t in join_layers(pass1)}
    found: dict[str, list[tuple[dict, str, str, int]]] = defaultdict(list)  # doc -> (span, topic, stance, line)
    problems: list[Problem] = []
    for line, t in enumerate(pass2, start=1):
        if t.get("answer", "accept") != "accept":
            continue  # rejected or ignored in Prodigy: nothing to add
        meta = t.get("meta") or {}
        doc = by_doc.get(meta.get("id"))
        quote = tuple(meta.get("quote") or ())
        if doc is None:
            problems.append(Problem(file, line, "meta.id", f"{meta.get('id')!r} is not a pass-1 document"))
            continue
        if quote not in {span_key(s) for s in doc["spans"]}:
            problems.append(Problem(file, line, "meta.quote", f"{list(quote)} is no quote of the pass-1 task"))
            continue
        for i, s in enumerate(t.get("spans") or []):
            if s["label"] == QUOTE_MARK:
                continue
            topic, _, stance = s["label"].rpartition(":")
            if topic not in topics or stance not in STANCES:
                problems.append(Problem(file, line, f"spans[{i}].label", f"{s['label']!r} is not <topic>:<stance>"))
                continue
            found[meta["id"]].append(({**s, "quote": quote}, topic, stance, line))
    out = []
    for doc_id, task in by_doc.items():
        text = task["text"]
        tokens = task.get("tokens") or tokens_of(text)
        spans = {span_key(s): s for s in task["spans"]}
        quotes = {span_key(s): s for s in task["spans"] if s["label"] in QUOTE_LABELS}
        relations = list(task["relations"])
        for s, topic, stance, line in found.get(doc_id, []):
            key = (s["start"], s["end"], TOPIC)
            if key in spans and spans[key].get("kb_id") != topic:
                problems.append(
                    Problem(file, line, "spans", f"{s['text']!r} is marked as {spans[key]['kb_id']} and {topic}")
                )
                continue
            spans.setdefault(key, span_dict(s["start"], s["end"], TOPIC, text, tokens, kb_id=topic))
            relations.append(relation_dict(quotes[s["quote"]], spans[key], stance))
        used = {s.get("kb_id") for s in spans.values() if s["label"] == TOPIC}
        options = task.get("options") or [{"id": k, "text": t["name"]} for k, t in topics.items()]
        accept = [o["id"] for o in options if o["id"] in used]
        joined = make_task(
            text, list(spans.values()), relations, task["meta"], options, accept, tokens, answer=task.get("answer")
        )
        if "_annotator_id" in task:  # who Prodigy says annotated pass 1 (the merge's fallback annotator)
            joined["_annotator_id"] = task["_annotator_id"]
        out.append(joined)
    if problems:
        raise InputError(f"{file}: {len(problems)} problem(s) joining the passes; nothing written", problems)
    return out
