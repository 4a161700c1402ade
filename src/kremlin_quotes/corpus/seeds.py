"""Seed files: the raw articles, checked byte for byte against their SHA256SUMS manifest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem, SeedError
from ..core.paths import MANIFEST


@dataclass(frozen=True)
class Seed:
    """One verified seed article."""

    id: str
    path: Path
    sha256: str
    text: str


def read_manifest(seed_dir: Path) -> dict[str, str]:
    """Map file name -> expected SHA256 from ``seed_dir/SHA256SUMS`` (``sha256sum`` format)."""
    manifest = seed_dir / MANIFEST
    if not manifest.exists():
        raise SeedError(f"{manifest}: manifest not found")
    out: dict[str, str] = {}
    for lineno, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise SeedError(
                "bad manifest line", [Problem(str(manifest), lineno, None, f"expected '<sha256>  <file>': {line!r}")]
            )
        out[parts[1].lstrip("*")] = parts[0].lower()
    return out


def load_seeds(seed_dir: str | Path) -> list[Seed]:
    """Read every seed named in the manifest, verifying presence, hash and UTF-8; sorted by file name."""
    seed_dir = Path(seed_dir)
    manifest = read_manifest(seed_dir)
    seeds: list[Seed] = []
    problems: list[Problem] = []
    for name, expected in sorted(manifest.items()):
        path = seed_dir / name
        if not path.exists():
            problems.append(Problem(str(path), None, None, "seed file is missing"))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected:
            problems.append(Problem(str(path), None, "sha256", f"is {digest}, manifest says {expected}"))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(Problem(str(path), None, None, f"not UTF-8 ({e.reason} at byte {e.start})"))
            continue
        seeds.append(Seed(id=path.stem, path=path, sha256=digest, text=text))
    if problems:
        raise SeedError(f"{len(problems)} seed problem(s); nothing was written", problems)
    return seeds
