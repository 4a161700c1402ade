"""Against a running Label Studio (1.23.2 from PyPI, in .venv-ls, started here with a SQLite data dir and a
legacy API token): create a project with our labelling config, import pre-annotated tasks, submit annotations
through the REST API (one accepted, one edited, two disagreeing, one skipped, one untouched), export, import,
validate, merge, and check exactly what reaches the gold."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import srsly
from typer.testing import CliRunner

from kremlin_quotes.annotation.labelstudio import label_config, to_labelstudio
from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.cli import app
from kremlin_quotes.core.tasks import span_key, topic_options

ROOT = Path(__file__).resolve().parents[1]
BINARY = Path(os.environ.get("KQ_LABEL_STUDIO", ROOT / ".venv-ls" / "bin" / "label-studio"))
TOKEN = "kq0123456789abcdef0123456789abcdef01234567"
pytestmark = pytest.mark.skipif(
    not BINARY.exists(), reason=f"{BINARY} not installed (scripts/setup-labelstudio.sh, run by scripts/test.sh)"
)


class Server:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: object = None) -> object:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
        req = urllib.request.Request(self.url + path, method=method, data=data, headers=headers)
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
        return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("label-studio")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "DJANGO_DB": "sqlite",
    }
    cmd = [str(BINARY), "start", "--no-browser", "--port", str(port)]
    cmd += ["--data-dir", str(data), "--username", "annotator@example.com", "--password", "kq-pass-123"]
    cmd += ["--user-token", TOKEN]
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not start:\n{(data / 'server.log').read_text()[-3000:]}")
            time.sleep(2)
        yield Server(url)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _without_first_quote(task: dict) -> dict:
    quote = next(s for s in task["spans"] if s["label"].endswith("_QUOTE"))
    out = {**task, "spans": [s for s in task["spans"] if s is not quote]}
    out["relations"] = [r for r in task["relations"] if span_key(r["head_span"]) != span_key(quote)]
    return out


def _result(task: dict) -> list:
    return to_labelstudio(task, as_predictions=False)["annotations"][0]["result"]


def test_label_studio_round_trip_into_the_gold(server, tmp_path, root):
    gold, _, topics = load_valid(root / "annotations")
    assert len(gold) >= 5
    gold = gold[:5]  # five documents play the five roles below (an extended corpus has more)
    project = tmp_path / "project"
    for name in ("corpus", "annotations"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("backups", ".*"))
    ann = project / "annotations"
    # documents 0-2 leave the gold; Label Studio decides which of them come back
    srsly.write_jsonl(ann / "gold.jsonl", gold[3:])
    # pre-annotations: the gold itself for the document to be accepted as is, a weaker version elsewhere
    weaker = [_without_first_quote(t) for t in gold]
    predicted = [to_labelstudio(gold[0])] + [to_labelstudio(t) for t in weaker[1:]]

    p = server.call("POST", "/api/projects", {"title": "kremlin-quotes test", "label_config": label_config(topics)})
    server.call("POST", f"/api/projects/{p['id']}/import", predicted)
    tasks = server.call("GET", f"/api/tasks?project={p['id']}&page_size=100")["tasks"]
    by_doc = {t["data"]["meta"]["id"]: t["id"] for t in tasks}
    ids = [by_doc[t["meta"]["id"]] for t in gold]
    post = lambda i, body: server.call("POST", f"/api/tasks/{ids[i]}/annotations", body)  # noqa: E731
    post(0, {"result": _result(gold[0])})  # accepted: the pre-annotation submitted unchanged
    post(1, {"result": _result(gold[1])})  # edited: the missing quote added back
    post(2, {"result": _result(gold[2]), "completed_by": 1})  # two annotators disagree
    second = server.call(
        "POST", "/api/users/", {"email": "second@example.com", "username": "second", "password": "kq-pass-456"}
    )
    post(2, {"result": _result(weaker[2]), "completed_by": second["id"]})
    post(3, {"result": [], "was_cancelled": True})  # skipped
    # document 4: untouched

    export = tmp_path / "export.json"
    exported = server.call("GET", f"/api/projects/{p['id']}/export?exportType=JSON&download_all_tasks=true")
    export.write_text(json.dumps(exported))
    assert all(isinstance(x, int) for t in exported for x in t["predictions"])  # a real export: ids only

    runner = CliRunner()
    corrected = tmp_path / "corrected.jsonl"
    result = runner.invoke(app, ["labelstudio", "import", str(export), str(corrected)])
    assert result.exit_code == 0, result.output
    statuses = ("imported", "unannotated", "skipped", "conflicting")
    counts = {w[0]: w[1] for w in map(str.split, result.output.splitlines()) if len(w) == 2 and w[0] in statuses}
    assert counts == {"imported": "2", "unannotated": "1", "skipped": "1", "conflicting": "1"}, result.output
    (review,) = srsly.read_jsonl(tmp_path / "corrected.review.jsonl")
    assert review["id"] == gold[2]["meta"]["id"]
    assert {a["annotator"] for a in review["annotations"]} == {"label-studio:1", f"label-studio:{second['id']}"}

    result = runner.invoke(app, ["validate", str(corrected), "--annotations", str(ann)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["annotations", "merge", str(corrected), "--annotations", str(ann), "--corpus", str(project / "corpus")]
    )
    assert result.exit_code == 0, result.output
    merged = list(srsly.read_jsonl(ann / "gold.jsonl"))
    assert merged[:2] == gold[3:]
    # exactly the accepted and the edited document, each as the gold had it, signed by the Label Studio user
    assert [t["meta"]["id"] for t in merged[2:]] == [gold[0]["meta"]["id"], gold[1]["meta"]["id"]]
    for got, want in zip(merged[2:], gold[:2], strict=True):
        same = lambda t: {k: v for k, v in t.items() if k not in ("meta", "options")}  # noqa: E731
        assert same(got) == same(want)
        assert got["options"] == topic_options(topics)  # the taxonomy now (an extended corpus may have more topics)
        assert got["meta"]["annotator"] == "label-studio:1"
