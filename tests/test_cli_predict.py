from typer.testing import CliRunner

from kremlin_quotes.cli import app


def test_malformed_input_line_is_reported(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "He said it was fine."}\n{not json}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["predict", str(inp), str(out)])
    assert result.exit_code == 1
    assert f"{inp}:2: invalid JSON" in result.output
    assert not out.exists()
    result = CliRunner().invoke(app, ["predict", str(inp), str(out), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 1


def test_lone_surrogate_is_reported_with_its_line_and_skipped(tmp_path):
    inp = tmp_path / "in.jsonl"
    # line 2 is blank: the error names the file line, not the record number
    inp.write_text('{"id": "a", "text": "He said it was fine."}\n\n{"id": "b", "text": "bad \\ud800 text"}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["predict", str(inp), str(out)])
    assert result.exit_code == 1
    assert f"{inp}:3: text: not encodable as UTF-8" in result.output
    assert not out.exists()
    result = CliRunner().invoke(app, ["predict", str(inp), str(out), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert f"{inp}:3: text" in result.output
    assert len(out.read_text().splitlines()) == 1
