"""Corpus statistics computed from the annotations, rendered as markdown for the guidelines and cards."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from . import taskview
from .io import write_text
from .labels import QUOTE_LABELS, SPAN_LABELS, STANCES

START, END = "<!-- stats:start -->", "<!-- stats:end -->"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def stats_markdown(tasks: list[dict], entities: dict[str, dict], topics: dict[str, dict]) -> str:
    """Markdown tables: spans per document and label, relations, speakers and stances per topic."""
    rows, total = [], Counter()
    for t in tasks:
        c = Counter(s["label"] for s in t["spans"])
        c["relations"] = len(t["relations"])
        c["words"] = len(t["text"].split())
        total.update(c)
        rows.append([t["meta"]["id"], c["words"], *(c[label] for label in SPAN_LABELS), c["relations"]])
    rows.append(["**total**", total["words"], *(total[label] for label in SPAN_LABELS), total["relations"]])
    out = [table(["document", "words", *SPAN_LABELS, "relations"], rows)]

    speakers: Counter = Counter()
    stance: dict[str, Counter] = {}
    for t in tasks:
        for q in taskview.quotes(t):
            if q.speaker is not None:
                speakers[q.speaker.get("kb_id")] += 1
            for child, label in q.targets:
                stance.setdefault(child.get("kb_id"), Counter())[label] += 1
    out.append(
        table(
            ["canonical speaker", "type", "quotes"],
            [
                [entities.get(k, {}).get("name", k), entities.get(k, {}).get("type", "?"), n]
                for k, n in sorted(speakers.items(), key=lambda kv: (-kv[1], str(kv[0])))
            ],
        )
    )
    out.append(
        table(
            ["topic", *STANCES, "documents"],
            [
                [
                    topics[k]["name"],
                    *(stance.get(k, Counter())[s] for s in STANCES),
                    sum(k in (t.get("accept") or []) for t in tasks),
                ]
                for k in topics
            ],
        )
    )
    n_quotes = sum(total[label] for label in QUOTE_LABELS)
    by_type = ", ".join(f"{total[label]} {label.split('_')[0].lower()}" for label in QUOTE_LABELS)
    out.append(f"{len(tasks)} documents, {n_quotes} quotes ({by_type}), {len(speakers)} canonical speakers.")
    return "\n\n".join(out)


def update_section(path: Path, body: str, name: str = "stats") -> bool:
    """Replace the text between the ``<!-- name:start -->`` markers in ``path``; returns whether it changed."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"{path}: no {start} ... {end} section")
    new = pattern.sub(lambda _: f"{start}\n{body}\n{end}", text)
    if new != text:
        write_text(path, new)
    return new != text
