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


def test_ids_are_strings_under_the_id_rule(tmp_path):
    """1 and "1" would name the same task: a number is refused, like an id that is a path or markup."""
    inp = tmp_path / "in.jsonl"
    lines = [
        '{"id": "1", "text": "He said it was fine."}',
        '{"id": 1, "text": "She said it was not."}',
        '{"id": "../x", "text": "They said nothing."}',
        '{"text": "We said so.", "meta": ["a"]}',
        '{"id": "ok-2", "text": "You said so.", "meta": {"id": "<b>"}}',
    ]
    inp.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["predict", str(inp), str(out)])
    assert result.exit_code == 1 and f"{inp}:2: id: must be a string, got int 1" in result.output
    assert not out.exists()
    result = CliRunner().invoke(app, ["predict", str(inp), str(out), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    for expected in (":3: id: '../x' is not a valid id", ":4: meta: must be an object", ":5: meta.id: '<b>'"):
        assert expected in output
    (task,) = [__import__("json").loads(line) for line in out.read_text().splitlines()]
    assert task["meta"]["id"] == "1"


def test_duplicate_ids_run_with_a_warning(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "He said it."}\n{"id": "a", "text": "She said it."}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["predict", str(inp), str(out)])
    assert result.exit_code == 0 and "id 'a' names 2 records" in " ".join(result.output.split())
    assert len(out.read_text().splitlines()) == 2
