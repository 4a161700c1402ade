"""The weasel project.yml drives the same verbs as the CLI and skips a step whose inputs and outputs are unchanged."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import typer.main
from weasel.util import load_project_config

from kremlin_quotes.cli import app


def _verbs() -> set[str]:
    group = typer.main.get_command(app)
    return set(group.commands)


def test_every_command_is_a_cli_verb_and_every_dep_exists(root):
    config = load_project_config(root)
    cli = config["vars"]["cli"]
    assert cli == "python -m kremlin_quotes"
    names = [c["name"] for c in config["commands"]]
    for command in config["commands"]:
        for line in command["script"]:
            assert line.startswith(cli + " ") and line.split()[3] in _verbs(), line
        for dep in command.get("deps", []):
            assert (root / dep).exists(), dep
    assert config["workflows"]["all"] == names  # the main job's order
    assert config["workflows"]["rebuild"] == names[1:]


def _weasel(project: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "weasel", "run", *args], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_an_unchanged_step_is_skipped_and_a_missing_output_rebuilt(root, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(root / "project.yml", project)
    shutil.copytree(root / "seeds", project / "seeds")
    if (root / "corpus" / "sources").exists():  # articles added with `corpus add`
        shutil.copytree(root / "corpus" / "sources", project / "corpus" / "sources")
    out = _weasel(project, "corpus")
    corpus = project / "corpus" / "documents.jsonl"
    assert "Skipping" not in out and corpus.read_bytes() == (root / "corpus" / "documents.jsonl").read_bytes()
    assert "Skipping 'corpus': nothing changed" in _weasel(project, "corpus")
    corpus.unlink()
    assert "Skipping" not in _weasel(project, "corpus") and corpus.exists()
