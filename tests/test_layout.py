"""The layout shows the pipeline: stage packages import only the shared core, never another stage."""

from __future__ import annotations

import ast
from pathlib import Path

import kremlin_quotes

PACKAGE = Path(kremlin_quotes.__file__).parent
STAGES = {"corpus", "annotation", "dataset", "model", "render"}
CORE = "core"


def _imports(path: Path) -> set[str]:
    """The kremlin_quotes modules a file imports (relative imports resolved; lazy imports included)."""
    module = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = module if path.name == "__init__.py" else module[:-1]
    package = tuple(p for p in package if p != "__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] + tuple(
                    (node.module or "").split(".") if node.module else ()
                )
            else:
                base = tuple((node.module or "").split("."))
            if base[:1] != ("kremlin_quotes",):
                continue
            found.add(".".join(base))
            found |= {".".join((*base, a.name)) for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("kremlin_quotes")}
    return found


def _area(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kremlin_quotes" else None


def test_stages_import_only_the_core():
    crossings = []
    for stage in sorted(STAGES):
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            for name in sorted(_imports(path)):
                area = _area(name)
                if area in STAGES | {"jobs", "cli"} and area != stage:
                    crossings.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert crossings == []


def test_the_core_imports_no_stage():
    crossings = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / CORE).rglob("*.py"))
        for name in sorted(_imports(path))
        if _area(name) not in (CORE, None) and name != "kremlin_quotes"
    ]
    assert crossings == []


def test_every_module_lives_in_a_stage_the_core_or_the_entry_points():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "cli"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == STAGES | {CORE, "jobs"}
