"""spaCy ``DocBin`` export: span layers in ``Doc.spans``, relations and meta in ``Doc.user_data``.

Span groups use the model component's keys (``quotes``, ``speakers``, ``cues``) plus ``topics``, so gold and
predictions can be compared or rendered with displaCy's span style the same way. ``kb_id`` is kept on spans.
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc, DocBin, Span

from ..core.io import atomic_path
from ..core.labels import CUE, QUOTE_LABELS, SPEAKER, TOPIC
from ..core.tasks import make_task, relation_dict, span_key, tokenizer

GROUPS = {"quotes": QUOTE_LABELS, "speakers": (SPEAKER,), "cues": (CUE,), "topics": (TOPIC,)}
_REF = ("start", "end", "label")


def task_to_doc(task: dict) -> Doc:
    """The task's text tokenized as its ``tokens``, with every span in its group and the relations by offsets."""
    doc = tokenizer()(task["text"])
    for key, labels in GROUPS.items():
        doc.spans[key] = [
            Span(doc, s["token_start"], s["token_end"] + 1, label=s["label"], kb_id=s.get("kb_id") or "")
            for s in task["spans"]
            if s["label"] in labels
        ]
    doc.user_data["relations"] = [
        {"head": [r["head_span"][k] for k in _REF], "child": [r["child_span"][k] for k in _REF], "label": r["label"]}
        for r in task["relations"]
    ]
    doc.user_data["meta"] = task["meta"]
    doc.user_data["topics"] = list(task.get("accept") or [])
    doc.user_data["options"] = task.get("options")
    return doc


def doc_to_task(doc: Doc) -> dict:
    """The Prodigy task back from a Doc made by ``task_to_doc``."""
    spans = []
    for key in GROUPS:
        for sp in doc.spans[key]:
            s = {
                "text": sp.text,
                "start": sp.start_char,
                "end": sp.end_char,
                "token_start": sp.start,
                "token_end": sp.end - 1,
                "label": sp.label_,
            }
            if sp.kb_id_:
                s["kb_id"] = sp.kb_id_
            spans.append(s)
    by_ref = {span_key(s): s for s in spans}
    relations = [
        relation_dict(by_ref[tuple(r["head"])], by_ref[tuple(r["child"])], r["label"])
        for r in doc.user_data["relations"]
    ]
    options = doc.user_data.get("options")
    options = [dict(o) for o in options] if options is not None else None  # msgpack gives tuples back
    accept = list(doc.user_data["topics"]) if options is not None else None
    return make_task(doc.text, spans, relations, dict(doc.user_data["meta"]), options=options, accept=accept)


def write_docbin(path: str | Path, tasks: list[dict]) -> int:
    """Write all tasks as one ``.spacy`` file (atomically); returns the number of docs."""
    db = DocBin(store_user_data=True)
    for t in tasks:
        db.add(task_to_doc(t))
    with atomic_path(path) as tmp:
        db.to_disk(tmp)
    return len(db)


def read_docbin(path: str | Path) -> list[Doc]:
    return list(DocBin().from_disk(path).get_docs(tokenizer().vocab))
