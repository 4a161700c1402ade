"""The pipeline as a wheel: installed in a clean venv with only the wheel's declared dependencies (no
kremlin-quotes), ``spacy.load("en_kremlin_quotes")`` gives the checkout model's attributions."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile

import kremlin_quotes
from kremlin_quotes.model.package import build_wheel

TEXTS = [
    "“We will not raise taxes,” the minister told reporters.",
    "Kremlin spokesman Dmitry Peskov said the talks would continue. “Nothing is decided yet,” he added.",
    "According to the agency, the bridge will reopen in May.\n\nThe mayor said she was relieved.",
]
CHILD = """
import json, sys, spacy
nlp = spacy.load("en_kremlin_quotes")
print(json.dumps([nlp(t)._.attributions for t in json.loads(sys.argv[1])]))
try:
    import kremlin_quotes
    print("PROJECT INSTALLED")
except ImportError:
    pass
"""


def test_wheel_installs_and_runs_without_the_project(root, tmp_path, clean_env):
    wheel = build_wheel(root / "models" / "kremlin_quotes", tmp_path / "dist")
    assert wheel.name == f"en_kremlin_quotes-{kremlin_quotes.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as z:
        meta = json.loads(z.read("en_kremlin_quotes/meta.json"))
        requires = [ln for ln in z.read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA").decode().splitlines()
                    if ln.startswith("Requires-Dist")]  # fmt: skip
    assert requires == ["Requires-Dist: spacy<3.9.0,>=3.7.5"]
    assert meta["license"] and any("PolNeAR" in s["name"] and s.get("citation") for s in meta["sources"])
    assert 0 < meta["performance"]["polnear_dev_speech_f"] < 1
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run(
        [
            py,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(wheel),
            "-c",
            str(root / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        env=clean_env,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    run = subprocess.run(
        [py, "-c", CHILD, json.dumps(TEXTS)], capture_output=True, text=True, cwd=tmp_path, timeout=600, env=clean_env
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "PROJECT INSTALLED" not in run.stdout
    got = json.loads(run.stdout.splitlines()[0])
    nlp = kremlin_quotes.load(root / "models" / "kremlin_quotes")
    want = [nlp(t)._.attributions for t in TEXTS]
    assert got == want and sum(map(len, want)) >= 3
    assert sys.prefix != str(env_dir)
