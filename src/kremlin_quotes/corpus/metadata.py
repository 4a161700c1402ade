"""Document metadata that the text itself supports: outlet and publication date, with evidence.

Automatic rules find only what a page states outright (an outlet dateline, a full date with a
year). Anything inferred by a person goes in ``seeds/metadata.jsonl`` with the verbatim words
that support it; the corpus build checks each quoted word is really in the document.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..core.errors import Problem

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "PanARMENIAN.Net - ..." or "MOSCOW (Reuters) - ..." at the start of a paragraph.
_OUTLET_DATELINE = [
    re.compile(r"^(?P<outlet>[A-Za-z][\w-]*\.(?:net|com|org|ru|am|az|info|news|co\.uk))\s+[-–—]\s", re.I),
    re.compile(r"^[A-Z][A-Z .,'-]*\((?P<outlet>[A-Z][\w .&-]{1,40})\)\s+[-–—]\s"),
]
_FULL_DATE = [
    re.compile(rf"\b(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}}),\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTHS})\s+(?P<year>(?:19|20)\d\d)\b"),
]

META_FIELDS = (
    "outlet",
    "outlet_evidence",
    "date",
    "date_precision",
    "date_evidence",
    "date_reasoning",
    "date_confidence",
)


def empty_meta() -> dict[str, Any]:
    return dict.fromkeys(META_FIELDS)


def detect(text: str, paragraphs: list[tuple[int, int]]) -> dict[str, Any]:
    """Outlet from a dateline; date only from a dateline paragraph's full date with a year."""
    meta = empty_meta()
    for start, end in paragraphs[:3]:
        para = text[start:end]
        for rx in _OUTLET_DATELINE:
            m = rx.search(para)
            if m:
                meta["outlet"] = m.group("outlet")
                meta["outlet_evidence"] = m.group(0).strip()
                break
        if meta["outlet"]:
            break
    for start, end in paragraphs[:2]:
        for rx in _FULL_DATE:
            m = rx.search(text, start, end)
            if m:
                month = _MONTHS.split("|").index(m.group("month")) + 1
                meta["date"] = date(int(m.group("year")), month, int(m.group("day"))).isoformat()
                meta["date_precision"] = "day"
                meta["date_evidence"] = [m.group(0)]
                meta["date_reasoning"] = "a full date stated near the top of the article"
                meta["date_confidence"] = 0.7
                return meta
    return meta


def merge_curated(
    doc_id: str, text: str, auto: dict[str, Any], curated: dict[str, Any] | None, source: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Curated metadata overrides the automatic one; every evidence string must occur in ``text``."""
    meta = dict(auto)
    problems: list[Problem] = []
    if not curated:
        return meta, problems
    for key, value in curated.items():
        if key == "id":
            continue
        if key not in META_FIELDS:
            problems.append(Problem(source, None, key, f"{doc_id}: unknown metadata field"))
            continue
        meta[key] = value
    evidence = list(meta.get("date_evidence") or [])
    if meta.get("outlet_evidence"):
        evidence.append(meta["outlet_evidence"])
    for words in evidence:
        if words not in text:
            problems.append(Problem(source, None, "evidence", f"{doc_id}: {words!r} does not occur in the text"))
    if meta.get("date") and not meta.get("date_evidence"):
        problems.append(Problem(source, None, "date", f"{doc_id}: a date needs date_evidence"))
    return meta, problems
