"""``kremlin-quotes package``: the trained pipeline as an installable wheel, ``en_kremlin_quotes``.

spaCy's own ``spacy package`` lays out the package (the pipeline data, meta.json, setup.py, the
``spacy_models`` entry point). Its ``--code`` option copies single files and imports each on its own, which the
component cannot be: it is a package with relative imports. So the project's package is vendored into the model
package as ``en_kremlin_quotes._kremlin_quotes`` and the model's ``__init__`` imports the component from it,
which registers the ``quote_attributor`` and ``paragraph_sentences`` factories and the tokenizer before spaCy
reads the config. Where ``kremlin-quotes`` itself is installed, its factories are used instead, so the two never
register the same name twice. After ``pip install en_kremlin_quotes-<version>-py3-none-any.whl``,
``spacy.load("en_kremlin_quotes")`` works without this project; the wheel's dependencies are spaCy's (numpy,
srsly, murmurhash come with it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import srsly

from .. import __version__
from ..core.errors import KQError

VENDORED = "_kremlin_quotes"
INIT_IMPORT = f"""
try:  # the project installed: its factories (registering them twice would clash)
    from kremlin_quotes.model import component as _component  # noqa: F401  (also registers the sentences)
except ImportError:  # on its own: the vendored copy of the component registers them
    from .{VENDORED}.model import component as _component  # noqa: F401
"""


def performance(metrics: dict) -> dict[str, float]:
    """The headline figures of metrics.json for meta.json's ``performance``."""
    out: dict[str, float] = {}
    bench = next((r for r in metrics.get("bench") or [] if r["system"].startswith("learned, gold + PolNeAR")), None)
    if bench:
        for key in ("speech_PRF", "speech_with_speaker_PRF", "speech_exact_PRF"):
            out[f"polnear_dev_{key.removesuffix('_PRF').lower()}_f"] = bench[key][2]
        out["polnear_dev_direct_speaker_acc"] = bench["direct_speaker_acc_on_matched"]
    seeds = next((r for r in metrics.get("seeds") or [] if r["system"] == "learned, gold + PolNeAR (LODO CV)"), None)
    if seeds:
        out["seed_lodo_quote_f"] = seeds["quote_overlap"]["f"]
        out["seed_lodo_canonical_acc"] = seeds["canonical_speaker_acc"]
    return out


def _source_root() -> Path:
    """The installed (or checked-out) ``kremlin_quotes`` package folder: what gets vendored."""
    import kremlin_quotes

    return Path(kremlin_quotes.__file__).parent


def build_wheel(model_dir: Path, out_dir: Path, version: str = __version__) -> Path:
    """Build ``en_kremlin_quotes-<version>-py3-none-any.whl`` into ``out_dir``; returns its path."""
    from spacy.cli.package import package

    meta_file = model_dir / "meta.json"
    if not meta_file.is_file():
        raise KQError(f"{meta_file}: missing; run `kremlin-quotes train` first")
    meta = srsly.read_json(meta_file)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged_meta = Path(tmp) / "meta.json"
        meta["version"] = version
        metrics = model_dir / "metrics.json"
        if metrics.exists():  # the figures `evaluate` printed travel with the wheel (and metrics.json in full)
            meta["performance"] = performance(srsly.read_json(metrics))
        srsly.write_json(staged_meta, meta)
        package(model_dir, Path(tmp), meta_path=staged_meta, version=version, create_sdist=False, force=True)
        name = f"{meta['lang']}_{meta['name']}" if not meta["name"].startswith(meta["lang"] + "_") else meta["name"]
        main = Path(tmp) / f"{name}-{version}"
        pkg = main / name
        # spaCy lists the package that provides the factories (this project) as a requirement: the vendored
        # copy replaces it, so the wheel needs only what the component imports, all of which spaCy brings
        built_meta = srsly.read_json(main / "meta.json")
        built_meta["requirements"] = [
            r for r in built_meta.get("requirements", []) if not re.match(r"kremlin[-_]quotes\b", r)
        ]
        srsly.write_json(main / "meta.json", built_meta)
        shutil.copytree(_source_root(), pkg / VENDORED, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        init = pkg / "__init__.py"
        init.write_text(init.read_text(encoding="utf-8") + INIT_IMPORT, encoding="utf-8")
        setup = main / "setup.py"
        text = setup.read_text(encoding="utf-8")
        text = text.replace(
            "packages=[model_name],",
            "packages=[model_name] + [model_name + '.' + p for p in find_packages(path.join(root, model_name))],",
        ).replace("from setuptools import setup", "from setuptools import find_packages, setup")
        text = re.sub(
            r"package_data=\{model_name: list_files\(model_dir\)\},",
            "package_data={model_name: list_files(model_dir), "
            f"model_name + '.{VENDORED}': ['py.typed', 'resources/*', 'resources/templates/*']}},",
            text,
        )
        setup.write_text(text, encoding="utf-8")
        build = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out_dir), str(main)],
            capture_output=True,
            text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"},  # fixed zip timestamps: the same bytes each build
        )
        if build.returncode != 0:
            raise KQError(f"building the wheel failed: {build.stderr.strip()[-500:]}")
    wheels = sorted(out_dir.glob(f"{name}-{version}-*.whl"))
    if not wheels:
        raise KQError(f"{out_dir}: no wheel was written")
    return wheels[-1]
