"""Publish the built dataset folder to the Hugging Face Hub: a dry run by default, ``--push`` to upload
(``core.hub``: the tag is checked first, failures are one line, the token is never printed)."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..core.errors import KQError
from ..core.hub import Plan, check_repo_id
from ..core.io import read_dir


def plan(folder: Path, repo_id: str, version: str = __version__) -> Plan:
    """What a push uploads: every non-hidden file of the folder, and the version tag."""
    check_repo_id(repo_id)
    files = [(rel, len(data)) for rel, data in read_dir(folder).items()]
    if "README.md" not in dict(files):
        raise KQError(f"{folder}: no README.md dataset card; run `kremlin-quotes dataset`")
    return Plan(folder, repo_id, f"v{version}", files)
