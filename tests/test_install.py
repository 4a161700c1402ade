"""A normal (non-editable) install, used from outside the source tree: every path comes from the project
folder the command runs in, none from where the package lives."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv

import srsly


def test_non_editable_install_runs_from_a_project_copy(root, tmp_path, clean_env):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # the dependencies come from the test's own environment (a path entry, so its editable install of this
    # package is not activated); the package itself is built and installed as a wheel, not linked
    site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True,
                          text=True, check=True, env=clean_env).stdout.strip()  # fmt: skip
    with open(f"{site}/zz_deps.pth", "w") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(root)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = wheels.glob("kremlin_quotes-*.whl")
    install = subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], capture_output=True, text=True, env=clean_env
    )
    assert install.returncode == 0, install.stderr[-3000:]
    where = subprocess.run(
        [py, "-c", "import kremlin_quotes; print(kremlin_quotes.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env,
    )
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout + where.stderr

    project = tmp_path / "project"
    for name in ("seeds", "corpus", "annotations", "models"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("backups", ".*"))
    shutil.copy(root / "guidelines.md", project / "guidelines.md")
    cli = env_dir / "bin" / "kremlin-quotes"

    def run(*args, cwd=project):
        r = subprocess.run([cli, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600, env=clean_env)
        assert r.returncode == 0, f"{args}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
        return r.stdout

    assert "task(s) valid" in run("validate")
    run("dataset", "--out", "built")
    assert (project / "built" / "README.md").exists()
    docs = project / "in.jsonl"
    srsly.write_jsonl(docs, [{"id": "a", "text": "“We will not raise taxes,” the minister told reporters."}])
    run("predict", docs, project / "out.jsonl")
    (task,) = srsly.read_jsonl(project / "out.jsonl")
    assert any(s["label"] == "DIRECT_QUOTE" for s in task["spans"])
    # elsewhere, the same verbs take the project folder from --project
    assert "task(s) valid" in run("--project", project, "validate", cwd=tmp_path)
    assert sys.prefix != str(env_dir)
