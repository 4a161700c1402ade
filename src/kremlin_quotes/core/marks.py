"""Quotation marks of every convention, read as one: the wires' two-character marks ('' and ``) and British
single marks become double ones, with offsets kept. The importer types PolNeAR's quotes with these marks and the
candidates find quotations with them, so a quote reads the same in training data and at prediction time."""

from __future__ import annotations

import re

OPEN_MARKS = "“«„"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPEN_MARKS + CLOSE_MARKS + STRAIGHT
FILLER = "\x01"
_TWO_CHAR_MARKS = re.compile(r"''|``")
_MARK_OR_BREAK = re.compile("[" + re.escape(ALL_MARKS) + "\n]")


def mask_marks(text: str) -> str:
    """``text`` with the two-character quote marks of some wires ('' and ``) as one mark and a filler
    character, and single quote marks that open and close a quotation of their own (British style: ‘…,’ she
    said) as double ones: same length, so offsets stay valid, and every quote-mark rule sees one kind of mark."""
    if "''" in text or "``" in text:
        text = _TWO_CHAR_MARKS.sub(lambda m: ('"' if m.group() == "''" else "“") + FILLER, text)
    if "‘" in text or "'" in text:
        text = _single_quotations(text)
    return text


_SINGLE_OPEN_AFTER = " \t\u00a0([{—–-:;/"
_DECADE = re.compile(r"\d\ds\b")  # ‘90s: an apostrophe, not a mark
_SINGLE_OR_BREAK = re.compile("[‘’'\n]")
_OPENS_PARAGRAPH = re.compile("[ \t\u00a0\n]*[‘'](?=\\w)")  # blank lines between paragraphs skipped


def _single_quotations(text: str) -> str:
    """Single marks that quote outside every double-mark quotation become “ and ”. An opening mark follows a
    space, a bracket or a dash and precedes a word; a closing mark ends a word and is not followed by one, so the
    apostrophes of 'won’t' and 'rock ’n’ roll' are not marks. A mark left open at the paragraph's end quotes to
    it only when the next paragraph opens with a mark again (a quotation over several paragraphs); otherwise it
    stays a character, since a single one often is an apostrophe. A plural possessive ('the Governors’ conference')
    closes nothing while the quotation's own closing mark is still to come in the paragraph. The curly double marks
    nested in such a quotation become single ones, as in American style."""
    inside = bytearray(len(text))  # 1 inside a double-mark quotation, whose nested single marks stay
    for s, e in quotation_spans(text):
        inside[s:e] = b"\x01" * (e - s)
    chars = list(text)
    open_at: int | None = None
    for m in _SINGLE_OR_BREAK.finditer(text):  # the marks only: a text of apostrophes is not walked letter by letter
        i, ch = m.start(), m.group()
        if ch == "\n":
            # a quotation runs on into the next paragraph only where that one opens with a mark again (‘…\n‘…’)
            if open_at is not None and _OPENS_PARAGRAPH.match(text, i + 1):
                _quote(chars, open_at, i, close=False)
            open_at = None
            continue
        if inside[i]:
            continue
        if _opens(text, i):
            open_at = i
        elif open_at is not None and _closes(text, i):
            if _possessive(text, i) and _closes_later(text, i + 1, inside):
                continue  # 'the Governors’ conference', with the quotation's own close still to come
            if i - open_at > 2:
                _quote(chars, open_at, i, close=True)
            open_at = None
    return "".join(chars)


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The characters either side of ``text[i]`` within its paragraph (a space beyond it)."""
    prev = text[i - 1] if i and text[i - 1] != "\n" else " "
    nxt = text[i + 1] if i + 1 < len(text) and text[i + 1] != "\n" else " "
    return prev, nxt


def _opens(text: str, i: int) -> bool:
    """Whether the single mark at ``i`` can open a quotation: after a space, a bracket or a dash, before a word,
    not the apostrophe of a decade ('‘90s')."""
    prev, nxt = _neighbours(text, i)
    return text[i] in "‘'" and prev in _SINGLE_OPEN_AFTER and nxt.isalnum() and not _DECADE.match(text, i + 1)


def _closes(text: str, i: int) -> bool:
    """Whether the single mark at ``i`` can close a quotation: it ends a word and is not followed by one."""
    prev, nxt = _neighbours(text, i)
    return text[i] in "’'" and not prev.isspace() and not nxt.isalnum()


def _possessive(text: str, i: int) -> bool:
    """Whether the single mark at ``i`` may be the apostrophe of a plural possessive ('the parties’ good faith'):
    after an 's', before a space and a lower-case word, where a closing mark seldom stands."""
    return text[i - 1 : i] == "s" and text[i + 1 : i + 2] == " " and text[i + 2 : i + 3].islower()


def _closes_later(text: str, start: int, inside: bytearray) -> bool:
    """Whether a closing single mark follows in the same paragraph before any opening one, read as
    ``_single_quotations`` reads marks (none inside a double-mark quotation): the walk stops at the first mark that
    opens or closes, so a text of many such marks is still read once."""
    for m in _SINGLE_OR_BREAK.finditer(text, start):
        i = m.start()
        if m.group() == "\n" or (not inside[i] and _opens(text, i)):
            return False
        if not inside[i] and _closes(text, i):
            return True
    return False


def _quote(chars: list[str], start: int, end: int, close: bool) -> None:
    """Make the single marks at ``start`` (and ``end``, when it closes) double ones; the double marks between them
    become single ones."""
    chars[start] = "“"
    if close:
        chars[end] = "”"
    for k in range(start + 1, end):
        if chars[k] in "“”":
            chars[k] = "‘" if chars[k] == "“" else "’"


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-:\u00a0" or i == 0:
        return not after.isspace()
    return False


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """What each pair of double marks encloses, untrimmed, in a text whose two-character marks are masked. Only
    the marks and line breaks are visited: a paragraph is not walked letter by letter."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _MARK_OR_BREAK.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":  # a mark left open quotes to its paragraph's end
            if open_at is not None and i > open_at + 1:
                out.append((open_at + 1, i))
            open_at = None
            continue
        opening = ch in OPEN_MARKS or (ch == STRAIGHT and open_at is None and _is_opening_straight(text, i))
        # a closing mark used as an opener (”Text…”): nothing open, space before, a word after
        opening = opening or (ch in CLOSE_MARKS and open_at is None and _is_opening_straight(text, i))
        if opening:
            if open_at is not None and i > open_at + 1:
                out.append((open_at + 1, i))
            open_at = i
        elif open_at is not None:
            out.append((open_at + 1, i))
            open_at = None
    if open_at is not None and len(text) > open_at + 1:
        out.append((open_at + 1, len(text)))
    return out
