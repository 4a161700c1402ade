"""The entity registry (canonical speakers) and the topic taxonomy, both JSONL in annotations/."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem
from .ids import id_problem
from .io import read_jsonl_numbered
from .labels import ENTITY_TYPES

ENTITY_FIELDS = {"id": str, "name": str, "type": str, "description": str, "aliases": list}
TOPIC_FIELDS = {"id": str, "name": str, "description": str}


def _check(path: Path, fields: dict[str, type], problems: list[Problem]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if not path.exists():
        problems.append(Problem(str(path), None, None, "file not found"))
        return out
    for lineno, rec in read_jsonl_numbered(path):
        if isinstance(rec, Exception) or not isinstance(rec, dict):
            problems.append(Problem(str(path), lineno, None, f"not a JSON object ({rec})"))
            continue
        for key, typ in fields.items():
            if not isinstance(rec.get(key), typ):
                problems.append(Problem(str(path), lineno, key, f"missing or not a {typ.__name__}"))
        aliases = rec.get("aliases")
        if isinstance(aliases, list) and not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.append(Problem(str(path), lineno, "aliases", "every alias must be a non-empty string"))
        for key in set(rec) - set(fields):
            problems.append(Problem(str(path), lineno, key, "unknown field"))
        if "type" in fields and (not isinstance(rec.get("type"), str) or rec["type"] not in ENTITY_TYPES):
            problems.append(Problem(str(path), lineno, "type", f"{rec.get('type')!r} is not one of {ENTITY_TYPES}"))
        rid = rec.get("id")
        if isinstance(rid, str) and id_problem(rid):
            problems.append(Problem(str(path), lineno, "id", str(id_problem(rid))))
        elif isinstance(rid, str):
            if rid in out:
                problems.append(Problem(str(path), lineno, "id", f"duplicate id {rid!r}"))
            out[rid] = rec
    return out


def load_entities(path: str | Path, problems: list[Problem]) -> dict[str, dict]:
    """Entities by id; problems found are appended to ``problems``."""
    return _check(Path(path), ENTITY_FIELDS, problems)


def load_topics(path: str | Path, problems: list[Problem]) -> dict[str, dict]:
    """Topics by id; problems found are appended to ``problems``."""
    return _check(Path(path), TOPIC_FIELDS, problems)
