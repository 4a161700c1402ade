"""Boilerplate removal for scraped news pages, keeping a character-level map back to the source.

The cleaner works on lines: a scraped page keeps one paragraph per line. Each line is kept as a
paragraph or dropped by a named rule, so the same rules apply to any new article and the
corpus records what was removed and why. Kept text is never rewritten: paragraphs are copied
verbatim (outer whitespace trimmed) and joined by one blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.text import looks_like_headline

# Lines that are page furniture on their own (compared case-insensitively after trimming).
FURNITURE_LINES = {
    "connect with us": "site-header",
    "world": "section-label",
    "published": "dateline-label",
    "on": "dateline-label",
    "---": "separator",
    "share": "share-buttons",
    "advertisement": "advertisement",
    "your email address will not be published. required fields are marked *": "comment-form",
}
# Line prefixes that mark a single line of furniture.
FURNITURE_PREFIXES = [
    (re.compile(r"^(read next|read more|read also|see also|also read)\s*:", re.I), "read-next-link"),
]
# Lines that open a block of furniture running to the end of the page (teasers, comments, widgets).
TRAILING_BLOCKS = {
    "top stories": "top-stories-block",
    "partner news": "partner-news-block",
    "continue reading": "comments-block",
    "click to comment": "comments-block",
    "leave a reply": "comments-block",
    "ask me anything": "assistant-widget",
    "explore related questions": "assistant-widget",
    "related articles": "related-block",
    "related stories": "related-block",
    "more stories": "related-block",
}
_SPACE = " \t\r\u00a0\u200b\ufeff"


@dataclass
class Removed:
    """A line dropped by the cleaner: which rule, and where it was in the source."""

    rule: str
    start: int
    end: int
    text: str


@dataclass
class Cleaned:
    """Clean text, its paragraphs, title and an offset map back to the source string."""

    text: str
    title: str | None
    paragraphs: list[tuple[int, int]]
    offset_map: list[tuple[int, int, int]]  # runs of (text_start, source_start, length)
    removed: list[Removed] = field(default_factory=list)

    def source_offset(self, i: int) -> int:
        """The source offset of character ``i`` of the clean text."""
        for t0, s0, n in self.offset_map:
            if t0 <= i < t0 + n:
                return s0 + i - t0
        raise IndexError(i)


def _lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of every line's trimmed content; end exclusive; empty lines give start == end."""
    out = []
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip(_SPACE))
        trail = len(body.rstrip(_SPACE))
        out.append((pos + lead, pos + max(trail, lead)))
        pos += len(raw)
    return out


def _norm(s: str) -> str:
    return " ".join(s.replace("\u00a0", " ").split()).lower()


def clean(source: str) -> Cleaned:
    """Drop page furniture and return the clean text with paragraphs, title and offset map."""
    kept: list[tuple[int, int]] = []
    removed: list[Removed] = []
    seen: set[str] = set()
    trailing: str | None = None
    for start, end in _lines(source):
        if start == end:
            continue
        line = source[start:end]
        key = _norm(line)
        rule = trailing
        if rule is None and key in TRAILING_BLOCKS:
            rule = trailing = TRAILING_BLOCKS[key]
        if rule is None:
            rule = FURNITURE_LINES.get(key)
        if rule is None:
            rule = next((name for rx, name in FURNITURE_PREFIXES if rx.search(line)), None)
        if rule is None and key in seen:
            rule = "repeated-headline" if kept and key == _norm(source[kept[0][0] : kept[0][1]]) else "repeated-line"
        if rule is not None:
            removed.append(Removed(rule, start, end, line))
            continue
        seen.add(key)
        kept.append((start, end))

    text_parts: list[str] = []
    paragraphs: list[tuple[int, int]] = []
    offset_map: list[tuple[int, int, int]] = []
    pos = 0
    for i, (start, end) in enumerate(kept):
        if i:
            # The two separator characters map to the newlines that ended the previous paragraph
            # and that precede this one (the same newline when the source had a single one).
            prev_end = kept[i - 1][1]
            first_nl = source.index("\n", prev_end)
            last_nl = source.rindex("\n", 0, start)
            offset_map += [(pos, first_nl, 1), (pos + 1, last_nl, 1)]
            text_parts.append("\n\n")
            pos += 2
        offset_map.append((pos, start, end - start))
        text_parts.append(source[start:end])
        paragraphs.append((pos, pos + end - start))
        pos += end - start
    text = "".join(text_parts)
    title = None
    if paragraphs and len(paragraphs) > 1:
        first = text[paragraphs[0][0] : paragraphs[0][1]]
        title = first if looks_like_headline(first) else None
    return Cleaned(text=text, title=title, paragraphs=paragraphs, offset_map=offset_map, removed=removed)
