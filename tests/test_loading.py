"""A broken model folder: every corruption ends in an error that names the wrong file and how to rebuild."""

from __future__ import annotations

import json
import shutil

import pytest
import spacy

import kremlin_quotes
from kremlin_quotes.core.errors import KQError
from kremlin_quotes.core.tokenizer import NAME, RunSafeTokenizer


def _set_weight(path):
    f = path / "quote_attributor" / "model.json"
    data = json.loads(f.read_text())
    data["decisions"]["extent"]["weights"]["bias"] = "high"
    f.write_text(json.dumps(data))


def _set_unit(path):
    """A network's weight (the keep decision's) as a string."""
    f = path / "quote_attributor" / "model.json"
    data = json.loads(f.read_text())
    data["decisions"]["keep"]["out"][0] = "high"
    f.write_text(json.dumps(data))


def _truncate(rel, keep=300):
    def corrupt(path):
        f = path / rel
        f.write_bytes(f.read_bytes()[:keep])

    return corrupt


def _threshold(path):
    cfg = path / "config.cfg"
    cfg.write_text(
        "\n".join('threshold = "high"' if ln.startswith("threshold") else ln for ln in cfg.read_text().splitlines())
    )


CASES = {
    "truncated model.json": (_truncate("quote_attributor/model.json"), "quote_attributor/model.json: unreadable"),
    "weights as strings": (
        _set_weight,
        "quote_attributor/model.json: unreadable model file (ValueError: weights.bias",
    ),
    "network weight as a string": (
        _set_unit,
        "quote_attributor/model.json: unreadable model file (ValueError: out[0]",
    ),
    "threshold high": (_threshold, "config.cfg: invalid settings"),
    "missing model.json": (lambda p: (p / "quote_attributor" / "model.json").unlink(), "quote_attributor/model.json"),
    "truncated tagger": (_truncate("tagger/model", 1000), "tagger/model: unreadable"),
    "missing tagger model": (lambda p: (p / "tagger" / "model").unlink(), "tagger/model: missing"),
    "missing config": (lambda p: (p / "config.cfg").unlink(), "config.cfg: missing"),
    "broken meta": (_truncate("meta.json", 10), "meta.json: unreadable"),
    "no folder": (lambda p: shutil.rmtree(p), ": no trained pipeline here"),
}


@pytest.fixture(scope="module")
def shipped(root):
    return root / "models" / "kremlin_quotes"


@pytest.mark.parametrize("case", list(CASES))
def test_corrupt_model_file_is_named(shipped, tmp_path, case):
    corrupt, expected = CASES[case]
    model = tmp_path / "model"
    shutil.copytree(shipped, model)
    corrupt(model)
    with pytest.raises(KQError) as e:
        kremlin_quotes.load(model)
    text = str(e.value)
    assert expected in text and "rebuild" in text and "Traceback" not in text


def test_predict_with_a_broken_model_is_one_clear_line(shipped, tmp_path):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    model = tmp_path / "model"
    shutil.copytree(shipped, model)
    _truncate("tagger/model", 1000)(model)
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "He said it."}\n')
    result = CliRunner().invoke(app, ["predict", str(inp), str(tmp_path / "out.jsonl"), "--model", str(model)])
    assert result.exit_code == 1 and "tagger/model: unreadable" in " ".join(result.output.split())
    assert not (tmp_path / "out.jsonl").exists()


def test_a_model_with_spacy_s_tokenizer_is_loaded_with_the_run_safe_one(shipped, tmp_path, corpus_docs):
    model = tmp_path / "model"
    shutil.copytree(shipped, model)
    cfg = model / "config.cfg"
    cfg.write_text(cfg.read_text().replace(f'@tokenizers = "{NAME}"', '@tokenizers = "spacy.Tokenizer.v1"'))
    old = spacy.load(model)  # what an earlier version of the project trained
    assert type(old.tokenizer) is not RunSafeTokenizer
    nlp = kremlin_quotes.load(model)
    assert type(nlp.tokenizer) is RunSafeTokenizer and nlp.config["nlp"]["tokenizer"]["@tokenizers"] == NAME
    text = corpus_docs[0]["text"]
    assert [t.text for t in nlp.tokenizer(text)] == [t.text for t in old.tokenizer(text)]
    assert len(nlp.tokenizer("“" * 3000)) == 3000
    nlp.to_disk(tmp_path / "saved")
    assert type(spacy.load(tmp_path / "saved").tokenizer) is RunSafeTokenizer
