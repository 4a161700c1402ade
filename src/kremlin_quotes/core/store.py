"""The annotations folder as a small transactional store: one writer at a time, all-or-nothing commits.

Why: the gold, the entity registry and the topic taxonomy change together (a merge can add a speaker and
the quotes that name it). Two writers at once, or a crash between two renames, must never leave a gold
that names an unknown speaker or holds a document twice.

- ``locked(folder)``: an exclusive ``flock`` on ``folder/.lock``; a second writer waits (``KQ_LOCK_TIMEOUT``
  seconds, default 120) and then fails with a message naming the holder. Re-entrant within a process.
- ``commit(folder, {path: text})``: every file is staged beside its target, then a journal listing the
  renames is written atomically, then the renames run. A crash before the journal changes nothing; a
  crash after it is rolled forward by the next ``locked``/``settle`` on that folder.
- ``backup(file)``: a unique, never overwritten copy in ``folder/backups/`` (UTC time to the microsecond
  and a content hash), listed by ``backups(folder)``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import KQError
from .io import mode_for

LOCK_FILE = ".lock"
JOURNAL = ".commit-journal.json"
STAGED_SUFFIX = ".staged"
BACKUPS = "backups"
_held: dict[Path, int] = {}  # folder -> depth of the lock held by this process


def _timeout() -> float:
    try:
        return float(os.environ.get("KQ_LOCK_TIMEOUT", "120"))
    except ValueError:
        return 120.0


@contextmanager
def locked(folder: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the folder's write lock; an interrupted commit found on entry is completed first."""
    folder = Path(folder).resolve()
    if folder in _held:
        _held[folder] += 1
        try:
            yield
        finally:
            _held[folder] -= 1
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + (_timeout() if timeout is None else timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                    raise KQError(
                        f"{folder}: another writer holds the annotations lock ({holder}); "
                        "nothing was changed, try again when it has finished"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        _held[folder] = 1
        try:
            _recover(folder)
            yield
        finally:
            del _held[folder]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def settle(folder: str | Path) -> bool:
    """Complete an interrupted commit before reading ``folder`` (waiting for a writer that is still at
    work); returns whether one was found."""
    folder = Path(folder)
    if not (folder / JOURNAL).exists() and not any(folder.glob(f".*{STAGED_SUFFIX}")):
        return False
    with locked(folder):
        pass  # locked() rolls the journal forward and removes staged files no journal names
    return True


def commit(folder: str | Path, files: dict[Path, str]) -> None:
    """Replace every file of ``files`` (all inside ``folder``) together; the caller holds ``locked(folder)``."""
    folder = Path(folder).resolve()
    if folder not in _held:
        raise RuntimeError(f"commit({folder}) without holding its lock")
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path = Path(path).resolve()
            if path.parent != folder:
                raise ValueError(f"{path} is not directly inside {folder}")
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=STAGED_SUFFIX, dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, mode_for(path))
            staged.append((Path(tmp), path))
        entries = [{"from": src.name, "to": dst.name} for src, dst in staged]
        fd, tmp = tempfile.mkstemp(prefix=".journal.", suffix=STAGED_SUFFIX, dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entries, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / JOURNAL)  # the commit point
    except BaseException:
        for src, _ in staged:
            src.unlink(missing_ok=True)
        raise
    _roll_forward(folder)


def _roll_forward(folder: Path) -> None:
    journal = folder / JOURNAL
    for entry in json.loads(journal.read_text(encoding="utf-8")):
        src = folder / entry["from"]
        if src.exists():
            os.replace(src, folder / entry["to"])
    journal.unlink()


def _recover(folder: Path) -> None:
    """Roll a committed journal forward; staged files of a commit that never reached its journal go."""
    if (folder / JOURNAL).exists():
        _roll_forward(folder)
    for stray in folder.glob(f".*{STAGED_SUFFIX}"):
        stray.unlink(missing_ok=True)


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    documents: int


def backup(path: Path) -> Path:
    """Copy ``path`` to a new, unique file in ``backups/`` beside it (never overwrites an earlier backup)."""
    data = path.read_bytes()
    folder = path.parent / BACKUPS
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    digest = hashlib.sha256(data).hexdigest()[:12]
    for n in range(1000):
        target = folder / f"{path.stem}-{stamp}-{digest}{f'-{n}' if n else ''}{path.suffix}"
        try:
            with open(target, "xb") as f:  # exclusive create: two backups never share a name
                f.write(data)
        except FileExistsError:
            continue
        shutil.copymode(path, target)
        return target
    raise KQError(f"{folder}: cannot find a free backup name for {path.name}")


def backups(folder: str | Path) -> list[Backup]:
    """The backups in ``folder/backups/``, oldest first."""
    found = sorted((Path(folder) / BACKUPS).glob("*.jsonl"))
    return [Backup(p, p.stat().st_size, sum(1 for line in p.read_bytes().splitlines() if line.strip())) for p in found]
