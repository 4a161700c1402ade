"""One reader of the task format: the quotes of a task, each with its speaker, cues and stance targets.

Prodigy JSONL stays the file format: spans, and relations that point at spans by offsets and label. Every stage
that needs "the speaker of this quote" or "what this quote is about" reads it here, so the grouping of relations
by quote exists once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import CUED_BY, QUOTE_LABELS, SPEAKER, SPOKEN_BY, STANCES, TOPIC
from .tasks import span_key


@dataclass(frozen=True)
class Quote:
    """A quote span and the spans its relations point to, in the task's relation order."""

    span: dict
    speaker: dict | None  # the SPOKEN_BY child that is a SPEAKER span
    cues: tuple[dict, ...]  # CUED_BY children
    targets: tuple[tuple[dict, str], ...]  # (TOPIC span, stance) of the stance relations

    @property
    def key(self) -> tuple[int, int, str]:
        return span_key(self.span)

    @property
    def label(self) -> str:
        return self.span["label"]

    @property
    def cue(self) -> dict | None:
        return self.cues[-1] if self.cues else None


def quotes(task: dict) -> list[Quote]:
    """The task's quotes in the order of its spans (a relation to a span not in the task is ignored: the
    validator reports it)."""
    by_key = {span_key(s): s for s in task["spans"]}
    links: dict[tuple, list[tuple[str, dict]]] = {}
    for r in task["relations"]:
        child = by_key.get(span_key(r["child_span"]))
        if child is not None:
            links.setdefault(span_key(r["head_span"]), []).append((r["label"], child))
    out = []
    for s in task["spans"]:
        if s["label"] not in QUOTE_LABELS:
            continue
        linked = links.get(span_key(s), [])
        speakers = [c for label, c in linked if label == SPOKEN_BY and c["label"] == SPEAKER]
        out.append(
            Quote(
                span=s,
                speaker=speakers[-1] if speakers else None,
                cues=tuple(c for label, c in linked if label == CUED_BY),
                targets=tuple((c, label) for label, c in linked if label in STANCES and c["label"] == TOPIC),
            )
        )
    return out
