"""``kremlin-quotes render``: a static HTML view of the annotations (index + one page per document).

Each paragraph is drawn with displaCy's span style, so overlapping layers (a quote, its speaker, its cue,
the topics inside it) stay readable. Every quote is numbered (Q1, Q2 …) and its speaker, cue and topic
spans carry that number, so the quote -> speaker links can be read in the text and in the table below it.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from spacy import displacy
from spacy.tokens import Doc, Span

from .io import replace_dir
from .labels import CUED_BY, QUOTE_LABELS, SPOKEN_BY, STANCES
from .labelstudio import COLORS
from .stats import stats_markdown
from .tasks import span_key, tokenizer

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
    spans = {span_key(s): s for s in task["spans"]}
    out = []
    for n, q in enumerate(sorted((s for s in task["spans"] if s["label"] in QUOTE_LABELS), key=span_key), start=1):
        rec = {"n": n, "quote": q, "speaker": None, "cue": None, "targets": []}
        for r in task["relations"]:
            if span_key(r["head_span"]) != span_key(q):
                continue
            child = spans[span_key(r["child_span"])]
            if r["label"] == SPOKEN_BY:
                rec["speaker"] = child
            elif r["label"] == CUED_BY:
                rec["cue"] = child
            elif r["label"] in STANCES:
                rec["targets"].append((child, r["label"]))
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


def paragraphs_html(task: dict, quotes: list[dict]) -> str:
    """displaCy span markup, one block per paragraph; spans crossing a paragraph break are drawn in parts."""
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
        blocks.append(f'<div class="paragraph">{markup}</div>')
    return "\n".join(blocks)


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _quote_table(rows: list[tuple[str, dict]]) -> str:
    head = "<tr><th>#</th><th>type</th><th>quote</th><th>speaker (mention → canonical)</th><th>cue</th>"
    head += "<th>topics and stance</th></tr>"
    body = []
    for doc_link, q in rows:
        spk = q["speaker"] or {"text": "?"}
        body.append(
            f'<tr class="quote-row"><td>{doc_link}Q{q["n"]}</td><td>{q["quote"]["label"].split("_")[0]}</td>'
            f"<td>{escape(q['quote']['text'])}</td><td>{escape(spk['text'])} → <b>{escape(q['canonical'])}</b></td>"
            f"<td>{escape(q['cue']['text']) if q['cue'] else '—'}</td>"
            f"<td>{'; '.join(f'{escape(n)}: {st}' for n, st in q['topic_names']) or '—'}</td></tr>"
        )
    return f'<table class="quotes">{head}{"".join(body)}</table>'


def _markdown_tables(md: str) -> str:
    """The statistics module's markdown tables as HTML tables."""
    out = []
    for block in md.strip().split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if len(lines) >= 2 and lines[0].startswith("|"):
            cells = [
                [c.strip().strip("*") for c in ln.strip("|").split("|")] for ln in lines if not ln.startswith("|---")
            ]
            rows = "".join(
                "<tr>"
                + "".join(f"<{'th' if i == 0 else 'td'}>{escape(c)}</{'th' if i == 0 else 'td'}>" for c in r)
                + "</tr>"
                for i, r in enumerate(cells)
            )
            out.append(f"<table>{rows}</table>")
        else:
            out.append(f"<p>{escape(block)}</p>")
    return "\n".join(out)


def legend() -> str:
    return (
        '<p class="legend">'
        + "".join(f'<span style="background:{c}">{lab}</span>' for lab, c in COLORS.items())
        + "</p>"
    )


def render_site(tasks: list[dict], entities: dict, topics: dict, out: Path) -> list[str]:
    """Write index.html and one page per document (atomically, the folder swapped in); returns the file names."""
    files: dict[str, bytes] = {}
    all_rows = []
    by_speaker: Counter = Counter()
    for t in tasks:
        doc_id = t["meta"]["id"]
        quotes = quotes_of(t, entities, topics)
        by_speaker.update(q["canonical"] for q in quotes)
        page = f"{doc_id}.html"
        all_rows += [(f'<a href="{page}">{escape(doc_id)}</a> ', q) for q in quotes]
        title = t["text"].split("\n", 1)[0][:120]
        body = (
            f'<p><a href="index.html">← all documents</a></p><h1>{escape(title)}</h1>'
            f"<p>{escape(doc_id)} · source <code>{escape(str(t['meta'].get('source', '')))}</code> · "
            f"{len(quotes)} quotes</p>{legend()}\n{paragraphs_html(t, quotes)}\n<h2>Attributions</h2>"
            f"{_quote_table([('', q) for q in quotes])}"
        )
        files[page] = _page(title, body).encode("utf-8")
    doc_list = "".join(
        f'<li><a href="{t["meta"]["id"]}.html">{escape(t["text"].split(chr(10), 1)[0][:100])}</a></li>' for t in tasks
    )
    speakers = "".join(f"<tr><td>{escape(k)}</td><td>{n}</td></tr>" for k, n in by_speaker.most_common())
    index = (
        f"<h1>kremlin-quotes: annotated corpus</h1><h2>Documents</h2><ul>{doc_list}</ul>"
        f"<h2>Statistics</h2>{_markdown_tables(stats_markdown(tasks, entities, topics))}"
        f"<h2>Quotes by speaker</h2><table><tr><th>speaker</th><th>quotes</th></tr>{speakers}</table>"
        f"<h2>All quotes (speaker, topic, stance)</h2>{_quote_table(all_rows)}"
    )
    files["index.html"] = _page("kremlin-quotes", index).encode("utf-8")
    replace_dir(out, files)
    return sorted(files)
