"""``kremlin-quotes render``: a static HTML view of the annotations (index + one page per document).

Each paragraph is drawn with displaCy's span style, so overlapping layers (a quote, its speaker, its cue,
the topics inside it) stay readable. Every quote is numbered (Q1, Q2 …) and its speaker, cue and topic
spans carry that number, so the quote -> speaker links can be read in the text and in the table below it.
Pages come from Jinja2 templates (``resources/templates``) with autoescaping, so no name, text or id can
become markup; file names and links are built only from ids that pass the id rule (``ids.py``).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup
from spacy import displacy
from spacy.tokens import Doc, Span

from ..core import taskview
from ..core.errors import KQError, Problem
from ..core.ids import id_problem
from ..core.io import replace_dir
from ..core.labels import COLORS, QUOTE_LABELS
from ..core.stats import stats_markdown
from ..core.tasks import span_key, tokenizer

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.paragraph { margin: 0.2em 0 1em 0; }
.legend span { display: inline-block; padding: 2px 6px; margin-right: 6px; border-radius: 3px; font-size: 0.8em; }
"""


def quotes_of(task: dict, entities: dict, topics: dict) -> list[dict]:
    """The quotes of a task, numbered in text order, with their speaker, cue and stance targets."""
    out = []
    for n, q in enumerate(sorted(taskview.quotes(task), key=lambda q: q.key), start=1):
        rec = {"n": n, "quote": q.span, "speaker": q.speaker, "cue": q.cue, "targets": list(q.targets)}
        spk = rec["speaker"] or {}
        rec["canonical"] = entities.get(spk.get("kb_id"), {}).get("name", spk.get("text", "?"))
        rec["topic_names"] = [(topics.get(c.get("kb_id"), {}).get("name", c["text"]), st) for c, st in rec["targets"]]
        out.append(rec)
    return out


def _labels(task: dict, quotes: list[dict]) -> dict[tuple, str]:
    """Display label of every span: the quote number it belongs to."""
    out: dict[tuple, list[str]] = {}
    for q in quotes:
        out.setdefault(span_key(q["quote"]), []).append(f"Q{q['n']} {q['quote']['label'].split('_')[0]}")
        if q["speaker"]:
            out.setdefault(span_key(q["speaker"]), []).append(f"Q{q['n']}")
        if q["cue"]:
            out.setdefault(span_key(q["cue"]), []).append(f"Q{q['n']}")
        for c, stance in q["targets"]:
            out.setdefault(span_key(c), []).append(f"Q{q['n']} {stance}")
    labels = {}
    for s in task["spans"]:
        refs = out.get(span_key(s), [])
        if s["label"] in QUOTE_LABELS:
            labels[span_key(s)] = " / ".join(refs) or s["label"]
        else:
            labels[span_key(s)] = f"{s['label']} {', '.join(refs)}".strip()
    return labels


def paragraph_blocks(task: dict, quotes: list[dict]) -> list[str]:
    """displaCy span markup (displaCy escapes the text), one block per paragraph; spans crossing a paragraph
    break are drawn in parts."""
    doc = tokenizer()(task["text"])
    labels = _labels(task, quotes)
    colors = {labels[span_key(s)]: COLORS[s["label"]] for s in task["spans"]}
    breaks = [t.i for t in doc if "\n" in t.text]
    bounds, start = [], 0
    for b in [*breaks, len(doc)]:
        if b > start:
            bounds.append((start, b))
        start = b + 1
    blocks = []
    for a, b in bounds:
        words = [t.text for t in doc[a:b]]
        spaces = [bool(t.whitespace_) for t in doc[a:b]]
        para = Doc(doc.vocab, words=words, spaces=spaces)
        group = []
        for s in task["spans"]:
            ts, te = max(s["token_start"], a), min(s["token_end"] + 1, b)
            if ts < te:
                group.append(Span(para, ts - a, te - a, label=labels[span_key(s)]))
        para.spans["sc"] = group
        if group:
            markup = displacy.render(para, style="span", options={"spans_key": "sc", "colors": colors}, page=False)
        else:
            markup = f'<div class="spans" style="line-height: 2.5">{escape(para.text)}</div>'
        blocks.append(markup)
    return blocks


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The page templates; autoescape is on for every template, whatever its file name."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kremlin_quotes", "resources/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _stats_blocks(md: str) -> list[dict]:
    """The statistics module's markdown as blocks: tables (head, body) and paragraphs."""
    out = []
    for block in md.strip().split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if len(lines) >= 2 and lines[0].startswith("|"):
            cells = [
                [c.strip().strip("*") for c in ln.strip("|").split("|")] for ln in lines if not ln.startswith("|---")
            ]
            out.append({"head": cells[0], "body": cells[1:]})
        else:
            out.append({"head": None, "text": block})
    return out


def _checked_ids(tasks: list[dict]) -> list[str]:
    """Every document id, or an error: an id becomes a file name and a link, so it must pass the id rule."""
    problems = [
        Problem("gold", i, "meta.id", p)
        for i, t in enumerate(tasks, 1)
        if (p := id_problem((t.get("meta") or {}).get("id")))
    ]
    if problems:
        raise KQError("cannot render documents whose id is not a safe file name", problems)
    return [t["meta"]["id"] for t in tasks]


def render_site(tasks: list[dict], entities: dict, topics: dict, out: Path) -> list[str]:
    """Write index.html and one page per document (atomically, the folder swapped in); returns the file names."""
    env = templates()
    files: dict[str, bytes] = {}
    all_rows, docs = [], []
    by_speaker: Counter = Counter()
    for t, doc_id in zip(tasks, _checked_ids(tasks), strict=True):
        quotes = quotes_of(t, entities, topics)
        by_speaker.update(q["canonical"] for q in quotes)
        doc = {"id": doc_id, "page": f"{doc_id}.html", "source": str(t["meta"].get("source", ""))}
        doc["title"] = t["text"].split("\n", 1)[0][:100]
        docs.append(doc)
        all_rows += [(doc, q) for q in quotes]
        page = env.get_template("document.html.j2").render(
            title=t["text"].split("\n", 1)[0][:120],
            css=CSS,
            doc=doc,
            quotes=quotes,
            colors=COLORS,
            paragraphs=[Markup(p) for p in paragraph_blocks(t, quotes)],
            rows=[(None, q) for q in quotes],
        )
        files[doc["page"]] = page.encode("utf-8")
    index = env.get_template("index.html.j2").render(
        title="kremlin-quotes",
        css=CSS,
        docs=docs,
        stats=_stats_blocks(stats_markdown(tasks, entities, topics)),
        speakers=by_speaker.most_common(),
        rows=all_rows,
    )
    files["index.html"] = index.encode("utf-8")
    replace_dir(out, files)
    return sorted(files)
