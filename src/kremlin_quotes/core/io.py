"""File helpers: JSONL with line-numbered errors, and atomic writes so nothing is half-written."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import srsly

from .errors import InputError, Problem


def read_jsonl(path: str | Path, skip_invalid: bool = False, problems: list[Problem] | None = None) -> Iterator[dict]:
    """Yield the JSON objects of a JSONL file; a bad line raises InputError naming file and line.

    With ``skip_invalid`` the bad lines are appended to ``problems`` instead and skipped.
    """
    for _, obj in read_jsonl_lines(path, skip_invalid, problems):
        yield obj


def read_jsonl_lines(
    path: str | Path, skip_invalid: bool = False, problems: list[Problem] | None = None
) -> Iterator[tuple[int, dict]]:
    """``read_jsonl`` with the file line number of each object (blank lines are counted, not yielded)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as e:
                problem = Problem(str(path), lineno, None, f"not UTF-8 ({e.reason} at byte {e.start})")
            else:
                if not line:
                    continue
                try:
                    obj = srsly.json_loads(line)
                except ValueError as e:
                    problem = Problem(str(path), lineno, None, f"invalid JSON ({e})")
                else:
                    if isinstance(obj, dict):
                        yield lineno, obj
                        continue
                    problem = Problem(str(path), lineno, None, f"expected a JSON object, got {type(obj).__name__}")
            if skip_invalid and problems is not None:
                problems.append(problem)
                continue
            raise InputError(f"{path}: cannot read line {lineno}", [problem])


def read_jsonl_numbered(path: str | Path) -> list[tuple[int, Any]]:
    """Read every line of a JSONL file as (line number, value or the exception), for validators."""
    with Path(path).open("rb") as f:
        return numbered_jsonl(f)


def numbered_jsonl(lines: Iterable[bytes]) -> list[tuple[int, Any]]:
    """(line number, value or the exception) of every non-blank line of a binary stream (a file, an fsspec file)."""
    out: list[tuple[int, Any]] = []
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            out.append((lineno, srsly.json_loads(raw.decode("utf-8"))))
        except (ValueError, UnicodeDecodeError) as e:
            out.append((lineno, e))
    return out


def new_file_mode() -> int:
    """The mode a new file gets from the umask (temporary files are 0600, which must not leak)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def mode_for(path: str | Path) -> int:
    """Keep an existing file's permission bits; a new file gets the umask's."""
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return new_file_mode()


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` (mode kept) only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, mode_for(path))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def replace_dir(path: str | Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) as the folder ``path``: built beside it, then swapped in.

    A failure while writing leaves the old folder untouched; afterwards the folder holds exactly ``files``.
    """
    import shutil

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    tmp.chmod(0o755)
    old = tmp.with_name(tmp.name + ".old")
    try:
        for rel, data in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if path.exists():
            path.rename(old)
        tmp.rename(path)
    finally:
        for leftover in (tmp, old):
            if leftover.exists():
                shutil.rmtree(leftover)


def read_dir(path: str | Path) -> dict[str, bytes]:
    """Every file under ``path`` (relative posix path -> bytes), hidden files excluded."""
    path = Path(path)
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    }


def write_jsonl(path: str | Path, records: Iterable[Any]) -> None:
    """Write JSONL atomically and deterministically (same records, same bytes)."""
    with atomic_path(path) as tmp:
        srsly.write_jsonl(tmp, records)


def write_json(path: str | Path, obj: Any) -> None:
    """Write an indented JSON file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_text(path: str | Path, text: str) -> None:
    """Write a text file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
