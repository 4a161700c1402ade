"""Loading a trained pipeline with errors a user can act on: which file is wrong and how to get it back.

spaCy reports a broken pipeline folder as whatever its reader raised ("Unpack failed: incomplete input",
a config dump, a bare FileNotFoundError), sometimes only when the first text runs. Here the folder is
checked before and while loading, and every failure names the file and says to rebuild it.
"""

from __future__ import annotations

from pathlib import Path

import spacy
import srsly
from confection import ConfigValidationError
from spacy.language import Language

from ..core.errors import KQError, Problem
from ..core.tokenizer import config_override

SPACY_TOKENIZER = "spacy.Tokenizer.v1"

REBUILD = "rebuild the model with `kremlin-quotes train` (or restore the shipped one: `git checkout -- models/`)"


def _fail(where: Path, what: str, problems: list[Problem] | None = None, fix: str = REBUILD) -> KQError:
    return KQError(f"{where}: {what}; {fix}", problems)


def _unreadable_file(folder: Path) -> tuple[Path, str] | None:
    """The first file of a component folder that does not parse (JSON or msgpack), with the reason."""
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = file.read_bytes()
        try:
            if file.suffix == ".json" or file.name == "cfg":
                srsly.json_loads(data.decode("utf-8"))
            elif file.suffix in ("", ".bin") or file.name in ("model", "moves"):
                srsly.msgpack_loads(data)
        except Exception as e:  # noqa: BLE001 - any parse failure is the answer
            return file, f"{type(e).__name__}: {e}"
    return None


def load_pipeline(path: str | Path) -> Language:
    """``spacy.load(path)`` with the folder checked first; raises KQError naming the broken file. A pipeline whose
    config names spaCy's own tokenizer (trained before the run-safe one shipped) gets the run-safe tokenizer with its
    own tokenizer data, as training builds it: the same tokens, and linear time on runs without white space."""
    from . import component  # noqa: F401  (registers the factory when the package is not installed)

    path = Path(path)
    if not path.is_dir():
        raise _fail(path, "no trained pipeline here")
    config_file, meta_file = path / "config.cfg", path / "meta.json"
    for file in (config_file, meta_file):
        if not file.is_file():
            raise _fail(file, "missing")
    try:
        config = spacy.util.load_config(config_file)
        pipeline = list(config["nlp"]["pipeline"])
    except Exception as e:  # noqa: BLE001
        raise _fail(config_file, f"unreadable ({type(e).__name__}: {e})") from None
    try:
        srsly.read_json(meta_file)
    except Exception as e:  # noqa: BLE001
        raise _fail(meta_file, f"unreadable ({type(e).__name__}: {e})") from None
    if not (path / "vocab").is_dir():
        raise _fail(path / "vocab", "missing")
    upgrade = config["nlp"].get("tokenizer", {}).get("@tokenizers") == SPACY_TOKENIZER
    try:
        return spacy.load(path, config=config_override() if upgrade else {})
    except KQError:
        raise  # the attributor's own reader already names its file
    except ConfigValidationError as e:
        problems = [
            Problem(str(config_file), None, ".".join(str(x) for x in err.get("loc", ())), err.get("msg", ""))
            for err in e.errors
        ]
        what = f"invalid settings ({e.title or 'config'})"
        raise _fail(config_file, what, problems, fix="correct the values below, or " + REBUILD) from None
    except Exception as e:  # noqa: BLE001
        if isinstance(e, FileNotFoundError) and e.filename:
            raise _fail(Path(e.filename), "missing") from None
        for name in [*pipeline, "vocab", "tokenizer"]:
            target = path / name
            bad = _unreadable_file(target) if target.is_dir() else None
            if bad:
                raise _fail(bad[0], f"unreadable ({bad[1]})") from None
        raise _fail(path, f"cannot be loaded ({type(e).__name__}: {e})") from None
