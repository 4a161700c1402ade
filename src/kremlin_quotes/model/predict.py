"""Run the pipeline over texts and write Prodigy tasks that ``kremlin-quotes validate`` accepts.

Long documents are processed in windows of paragraphs (``windows.py``): cost linear in length, memory
bounded by the window, spans in document offsets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from tqdm import tqdm

from ..core.errors import InputError, Problem
from ..core.ids import id_problem
from ..core.io import read_jsonl_lines
from ..core.labels import CUED_BY, SPOKEN_BY
from ..core.tasks import make_task, relation_dict, span_dict, span_key, tokens_of
from .windows import attributions_of

MAX_TEXT_CHARS = 50_000_000  # far above any article or transcript; windows keep memory flat up to it


def record_problem(file: str, line: int | None, rec: dict) -> Problem | None:
    """What keeps a record from the model: no text, text that cannot be encoded (a lone surrogate
    such as "\\ud800" passes JSON but crashes the tokenizer), a meta that is not an object, or an id
    that breaks the id rule (ids are strings: 1 and "1" would name the same task)."""
    text = rec.get("text")
    if not isinstance(text, str):
        return Problem(file, line, "text", "missing or not a string")
    if len(text) > MAX_TEXT_CHARS:
        return Problem(file, line, "text", f"{len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    meta = rec.get("meta")
    if meta is not None and not isinstance(meta, dict):
        return Problem(file, line, "meta", f"must be an object, got {type(meta).__name__}")
    for field, value in (("id", rec.get("id")), ("meta.id", (meta or {}).get("id"))):
        if value is not None and (problem := id_problem(value)):
            return Problem(file, line, field, problem)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return Problem(file, line, "text", f"not encodable as UTF-8 ({e.reason} at character {e.start})")
    return None


def read_inputs(path: Path, skip_invalid: bool = False, problems: list[Problem] | None = None) -> list[dict]:
    """``{"text", "id"?, "meta"?}`` records from a JSONL file or a folder of .txt files."""
    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        out = []
        for f in files:
            try:
                rec = {"id": f.stem, "text": f.read_text(encoding="utf-8")}
            except UnicodeDecodeError as e:
                rec, p = None, Problem(str(f), None, None, f"not UTF-8 ({e.reason} at byte {e.start})")
            else:
                p = record_problem(str(f), None, rec)
            if p is None:
                out.append(rec)
            elif skip_invalid and problems is not None:
                problems.append(p)
            else:
                raise InputError(f"{f}: bad input file", [p])
        return out
    out = []
    for lineno, rec in read_jsonl_lines(path, skip_invalid=skip_invalid, problems=problems):
        p = record_problem(str(path), lineno, rec)
        if p is not None:
            if skip_invalid and problems is not None:
                problems.append(p)
                continue
            raise InputError(f"{path}: bad input record", [p])
        out.append(rec)
    return out


def duplicate_ids(records: list[dict]) -> dict[str, int]:
    """Ids given to more than one record (each still runs; merging both would be refused)."""
    seen = Counter((r.get("meta") or {}).get("id") or r.get("id") for r in records)
    return {k: n for k, n in seen.items() if k is not None and n > 1}


def to_task(text: str, attributions: list[dict], meta: dict, answer: str | None = None) -> dict:
    """A Prodigy ``rel.manual`` task with quote, speaker and cue spans and their relations; unanswered by
    default (model output is not gold until a person accepts it)."""
    tokens = tokens_of(text)
    spans: dict[tuple, dict] = {}
    relations = []

    def add(s: int, e: int, label: str, **extra) -> dict | None:
        key = (s, e, label)
        if key not in spans:
            try:
                spans[key] = span_dict(s, e, label, text, tokens, **extra)
            except ValueError:
                return None
        return spans[key]

    for a in attributions:
        spk = add(*a["speaker"], "SPEAKER", kb_id=a["entity"], canonical=a["canonical"])
        cue = add(*a["cue"], "CUE") if a["cue"] else None
        if spk is None:
            continue
        for s, e in a["content"]:
            q = add(s, e, a["label"])
            if q is None:
                continue
            relations.append(relation_dict(q, spk, SPOKEN_BY))
            if cue is not None:
                relations.append(relation_dict(q, cue, CUED_BY))
    quote_keys = {span_key(r["head_span"]) for r in relations}
    kept = [s for k, s in spans.items() if k in quote_keys or s["label"] in ("SPEAKER", "CUE")]
    return make_task(text, kept, relations, meta, tokens=tokens, answer=answer)


def predict_records(
    nlp: Language, records: list[dict], batch_size: int = 16, n_process: int = 1, progress: bool = True
) -> Iterator[dict]:
    """Prodigy tasks for input records, in input order, unanswered; ``meta`` records their provenance (the
    model, its version, and ``reviewed: false``)."""
    texts = [r["text"] for r in records]
    stream = attributions_of(nlp, texts, batch_size=batch_size, n_process=n_process)
    for rec, attrs in tqdm(
        zip(records, stream, strict=True), total=len(records), disable=not progress, desc="predict", unit="doc"
    ):
        meta = dict(rec.get("meta") or {})
        if rec.get("id") is not None:
            meta.setdefault("id", rec["id"])
        meta["source"] = "model"
        meta["model"] = nlp.meta.get("name", "kremlin_quotes")
        meta["model_version"] = nlp.meta.get("version", "")
        meta["reviewed"] = False
        yield to_task(rec["text"], attrs, meta)
