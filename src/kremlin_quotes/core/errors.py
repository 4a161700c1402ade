"""One place for the project's errors: each names the file, line and field it is about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class KQError(Exception):
    """A user-facing error; the CLI prints it without a traceback and exits non-zero."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [self.args[0]] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class SeedError(KQError):
    """A seed file is missing, unreadable or differs from the manifest."""


class InputError(KQError):
    """An input file (JSONL, text) cannot be read as expected."""


class ValidationError(KQError):
    """Annotations fail validation."""
