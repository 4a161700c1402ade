"""The annotation scheme's label sets, in one place (guidelines.md defines each)."""

from __future__ import annotations

SPEAKER = "SPEAKER"
CUE = "CUE"
TOPIC = "TOPIC"
DIRECT = "DIRECT_QUOTE"
INDIRECT = "INDIRECT_QUOTE"
MIXED = "MIXED_QUOTE"
QUOTE_LABELS = (DIRECT, INDIRECT, MIXED)
SPAN_LABELS = (SPEAKER, CUE, *QUOTE_LABELS, TOPIC)

SPOKEN_BY = "SPOKEN_BY"
CUED_BY = "CUED_BY"
STANCES = ("FAVOR", "AGAINST", "NEUTRAL")
RELATION_LABELS = (SPOKEN_BY, CUED_BY, *STANCES)

# Which span labels each relation joins: head (a quote) -> child.
RELATION_CHILD = {SPOKEN_BY: SPEAKER, CUED_BY: CUE, **{s: TOPIC for s in STANCES}}

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "MEDIA", "GROUP")
UNKNOWN_ENTITY = "UNKNOWN"

# Display colour of each span label: the HTML view and the Label Studio labelling config share them.
COLORS = {
    "SPEAKER": "#7aecec",
    "CUE": "#feca74",
    "DIRECT_QUOTE": "#ff9561",
    "INDIRECT_QUOTE": "#aa9cfc",
    "MIXED_QUOTE": "#f0a8d0",
    "TOPIC": "#bfe1d9",
}
