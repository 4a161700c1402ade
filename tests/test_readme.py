"""The README's extension example, run as written (each line a shell command in a copy of the project); the
person in Label Studio is played by the test, through Label Studio's export format."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import srsly

ARTICLE = """Harbour minister promises a new port for Tallinn by 2027

Transport Minister Lena Holm said on Monday that the new harbour would open in 2027.

"We have the money and we have the plan," Holm told reporters in Tallinn.
"""


def readme_block(root, heading: str) -> list[str]:
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_extension_example_runs_as_written(root, tmp_path):
    project = tmp_path / "project"
    for name in ("seeds", "corpus", "annotations", "models"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("backups", ".*"))
    for name in ("guidelines.md", "README.md"):
        shutil.copy(root / name, project / name)
    (project / ".venv").symlink_to(root / ".venv")
    (project / "article.txt").write_text(ARTICLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("KQ_POLNEAR", "KQ_BENCH", "KQ_PROJECT")}
    lines = readme_block(root, "## Extending the corpus")
    assert any("labelstudio import project-export.json" in line for line in lines)
    for line in lines:
        if "labelstudio import project-export.json" in line:
            # the annotator: accepts the pre-annotation of each task in Label Studio and exports the project
            tasks = json.loads((project / "ls-tasks.json").read_text())
            for i, t in enumerate(tasks, start=1):
                t["id"] = i
                t["annotations"] = [{"id": i, "completed_by": 1, "result": t["predictions"][0]["result"]}]
                t["predictions"] = [i]
            (project / "project-export.json").write_text(json.dumps(tasks))
        result = subprocess.run(line, shell=True, cwd=project, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{line}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    gold = list(srsly.read_jsonl(project / "annotations" / "gold.jsonl"))
    assert len(gold) == len(list(srsly.read_jsonl(root / "annotations" / "gold.jsonl"))) + 1
    assert gold[-1]["meta"]["annotator"] == "label-studio:1"
    assert any("Holm" in s["text"] for s in gold[-1]["spans"] if s["label"] == "SPEAKER")
    assert (project / "site" / "index.html").exists() and (
        project / "site" / f"{gold[-1]['meta']['id']}.html"
    ).exists()


def python_blocks(root) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (root / "README.md").read_text(encoding="utf-8"), re.S)


def test_python_examples_run_and_show_what_the_code_returns(root, monkeypatch):
    """Every Python block of the README runs from the project folder; where a comment shows a value (the model
    example), it is the value the code returns."""
    import ast

    monkeypatch.chdir(root)
    blocks = python_blocks(root)
    assert len(blocks) >= 2
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own examples
        lines = block.splitlines()
        for i, line in enumerate(lines):
            code, _, comment = line.partition("#")
            if comment.strip().startswith("[{"):  # a shown value, continued on the following comment lines
                shown = comment.strip()
                for more in lines[i + 1 :]:
                    if not more.strip().startswith("#"):
                        break
                    shown += " " + more.strip().lstrip("#").strip()
                assert eval(code.strip(), namespace) == ast.literal_eval(shown)  # noqa: S307
