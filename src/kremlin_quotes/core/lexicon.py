"""Word lists shared by the audit and the model (kept as resource files, not in code)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def word_list(name: str) -> frozenset[str]:
    """Read the package's ``resources/<name>.txt``: one entry a line, ``#`` starts a comment."""
    text = (
        resources.files(__package__.rpartition(".")[0])
        .joinpath("resources", f"{name}.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def cue_verbs() -> frozenset[str]:
    return word_list("cue_verbs")


def as_saying_verbs() -> frozenset[str]:
    """'quoted / cited / reported [X] as saying': the one quoted speaks (guidelines H6)."""
    return word_list("as_saying_verbs")
