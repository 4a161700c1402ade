"""Publishing through the real HfApi calls against a stub of the Hub's endpoints on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from typer.testing import CliRunner

from kremlin_quotes import __version__
from kremlin_quotes.cli import app
from kremlin_quotes.core.io import read_dir
from kremlin_quotes.jobs.dataset import build_dataset

REPO = "tester/kremlin-quotes"
TOKEN = "hf_stubtoken_never_printed"


class StubHub(BaseHTTPRequestHandler):
    """The endpoints create_repo, upload_folder and create_tag call; records what arrives."""

    state: dict

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _reply(self, obj: dict, status: int = 200) -> None:
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - list_repo_tree (for delete_patterns) and list_repo_refs (the tags)
        self.state["calls"].append("GET " + self.path.split("?")[0])
        if self.state.get("refuse"):
            return self._reply({"error": "Invalid credentials"}, self.state["refuse"])
        if re.fullmatch(r"/api/(?:datasets|models)/[^/]+/[^/]+/discussions/7.*", self.path):  # the PR just opened
            repo = {"name": REPO, "type": "dataset"}
            return self._reply(
                {"title": "kremlin-quotes", "num": 7, "createdAt": "2026-12-03T00:00:00.000Z", "status": "draft",
                 "repo": repo, "isPullRequest": True, "events": [], "filesWithConflicts": [],
                 "changes": {"base": "refs/heads/main"}}
            )  # fmt: skip
        if re.fullmatch(r"/api/(?:datasets|models)/[^/]+/[^/]+/refs.*", self.path):
            tags = [{"name": t, "ref": f"refs/tags/{t}", "targetCommit": "c" * 40} for t in self.state["remote_tags"]]
            return self._reply({"branches": [], "converts": [], "tags": tags})
        if re.fullmatch(r"/api/(?:datasets|models)/[^/]+/[^/]+/tree/[^/?]+.*", self.path):
            entries = [{"type": "file", "path": p, "size": 1, "oid": "b" * 40} for p in self.state["remote"]]
            return self._reply(entries)
        return self._reply({"error": f"unknown endpoint {self.path}"}, 404)

    def do_POST(self):  # noqa: N802
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        st = self.state
        st["calls"].append(self.path.split("?")[0])
        st["auth"].add(self.headers.get("Authorization"))
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        if self.state.get("refuse"):
            return self._reply({"error": "Invalid credentials"}, self.state["refuse"])
        if self.path == "/api/repos/create":
            payload = json.loads(data)
            st["created"] = payload
            return self._reply({"url": f"{base}/datasets/{payload['organization']}/{payload['name']}"})
        if re.fullmatch(r"/api/(?:datasets|models)/[^/]+/[^/]+/discussions", self.path):
            st["prs"] = st.get("prs", 0) + 1
            return self._reply({"num": 7})
        if self.path == "/api/validate-yaml":
            content = json.loads(data)["content"]
            meta = yaml.safe_load(content.split("---")[1])
            ok = ("configs" in meta and "dataset_info" in meta) or "library_name" in meta  # a dataset or a model
            return self._reply(
                {"errors": [] if ok else [{"message": "no configs"}], "warnings": []}, 200 if ok else 400
            )
        m = re.fullmatch(r"/api/(?:datasets|models)/([^/]+/[^/]+)/(preupload|commit|tag|branch)/([^/?]+).*", self.path)
        if not m:
            return self._reply({"error": f"unknown endpoint {self.path}"}, 404)
        repo, verb, rev = m.groups()
        if verb == "preupload":
            files = json.loads(data)["files"]
            return self._reply(
                {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]}
            )
        if verb == "branch":
            st["branches"].append(rev)
            return self._reply({})
        if verb == "commit":
            st["commits"].append((rev, self.path))
            for line in data.splitlines():
                item = json.loads(line)
                if item["key"] == "file":
                    st["files"][item["value"]["path"]] = base64.b64decode(item["value"]["content"])
                elif item["key"] == "header":
                    st["message"] = item["value"]["summary"]
                elif item["key"] == "deletedFile":
                    st["deleted"].append(item["value"]["path"])
            reply = {"commitUrl": f"{base}/datasets/{repo}/commit/{'a' * 40}", "commitOid": "a" * 40}
            return self._reply(reply)
        st["tags"].append((json.loads(data)["tag"], rev))
        return self._reply({})


@pytest.fixture
def hub():
    # the repo as a previous release left it: data files whose names (hashes) this build no longer has
    remote = ["README.md", "quotes/train.parquet", "quotes/train-000000000000.parquet", ".gitattributes"]
    state = {"calls": [], "auth": set(), "files": {}, "tags": [], "remote": remote, "deleted": [], "remote_tags": []}
    state.update(branches=[], commits=[])
    handler = type("Handler", (StubHub,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()


@pytest.fixture
def folder(root, tmp_path):
    out = tmp_path / "dataset"
    build_dataset(root / "annotations", root / "corpus", out, root / "guidelines.md", REPO)
    return out


def publish(root, folder, *extra, env=None):
    args = ["publish", "--repo-id", REPO, "--folder", str(folder), "--annotations", str(root / "annotations")]
    return CliRunner().invoke(app, args + list(extra), env=env)


def test_dry_run_prints_the_plan_and_uploads_nothing(root, folder, hub):
    result = publish(root, folder, env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert "quotes/test-" in result.output and "dry run" in result.output
    assert "configs:" in result.output  # the card is shown
    assert hub[1]["calls"] == []


def test_push_uploads_every_file_and_tags_the_version(root, folder, hub, monkeypatch):
    endpoint, state = hub
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    result = publish(root, folder, "--push", "--endpoint", endpoint, env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    assert state["auth"] == {f"Bearer {TOKEN}"}
    assert state["created"]["type"] == "dataset" and state["created"]["name"] == "kremlin-quotes"
    assert "/api/validate-yaml" in state["calls"]
    assert state["files"] == read_dir(folder)
    # files of the previous release that this build no longer has are removed in the same commit
    assert sorted(state["deleted"]) == ["quotes/train-000000000000.parquet", "quotes/train.parquet"]
    card = state["files"]["README.md"].decode()
    assert f'load_dataset("{REPO}", "quotes")' in card
    assert state["tags"] == [(f"v{__version__}", "a" * 40)]


def test_push_without_a_token_fails_clearly_and_uploads_nothing(root, folder, hub, monkeypatch, tmp_path):
    endpoint, state = hub
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "no-login"))
    monkeypatch.setattr("huggingface_hub.get_token", lambda: None)
    result = publish(root, folder, "--push", "--endpoint", endpoint)
    assert result.exit_code == 1
    assert "no Hugging Face token" in result.output
    assert state["calls"] == []


def test_stale_folder_is_refused(root, folder, hub):
    (folder / "README.md").write_text("edited by hand")
    result = publish(root, folder, "--push", "--endpoint", hub[0], env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert "stale" in result.output and "README.md" in result.output
    assert hub[1]["calls"] == []


def test_an_existing_tag_stops_the_release_before_any_upload(root, folder, hub, monkeypatch):
    endpoint, state = hub
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    state["remote_tags"] = [f"v{__version__}"]
    result = publish(root, folder, "--push", "--endpoint", endpoint, env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 1 and f"already has the tag v{__version__}" in result.output
    assert state["commits"] == [] and state["files"] == {} and state["tags"] == []


def test_a_pull_request_or_a_branch_gets_no_tag(root, folder, hub, monkeypatch):
    endpoint, state = hub
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    state["remote_tags"] = [f"v{__version__}"]  # not checked: nothing is tagged off the main branch
    result = publish(root, folder, "--push", "--create-pr", "--endpoint", endpoint, env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert state["prs"] == 1 and state["commits"][-1][0] == "refs%2Fpr%2F7" and state["tags"] == []
    result = publish(root, folder, "--push", "--revision", "next", "--endpoint", endpoint, env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert state["branches"] == ["next"] and state["commits"][-1][0] == "next" and state["tags"] == []


@pytest.mark.parametrize("failure", ["refused", "unreachable"])
def test_network_and_auth_failures_are_one_line_without_the_token(root, folder, hub, monkeypatch, failure):
    endpoint, state = hub
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    if failure == "refused":
        state["refuse"] = 401
    else:
        import socket

        with socket.socket() as s:  # a port nothing listens on
            s.bind(("127.0.0.1", 0))
            endpoint = f"http://127.0.0.1:{s.getsockname()[1]}"
    result = publish(root, folder, "--push", "--endpoint", endpoint, env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert TOKEN not in result.output and "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("✘")]
    assert len(lines) == 1, result.output
    expected = "token was refused" if failure == "refused" else "is the Hub reachable?"
    assert expected in lines[0]


def test_publish_model_dry_run_and_push(root, hub, monkeypatch):
    """The model card's model-index carries the figures of metrics.json; the push uploads the pipeline folder with
    that card and tags the version; the token never appears."""
    import srsly

    endpoint, state = hub
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    state["remote"] = []
    model = root / "models" / "kremlin_quotes"
    metrics = srsly.read_json(model / "metrics.json")
    shipped = next(r for r in metrics["bench"] if r["system"].startswith("learned, gold + PolNeAR"))
    args = ["publish-model", "--repo-id", "tester/kremlin-quotes-model", "--model", str(model)]
    dry = CliRunner().invoke(app, args, env={"HF_TOKEN": TOKEN})
    assert dry.exit_code == 0 and "dry run" in dry.output and TOKEN not in dry.output
    # srsly's JSON parser can read 0.8371 as 0.8371000000000001; the card rounds to the bench's 4 places
    assert "model-index:" in dry.output and f"value: {round(shipped['speech_PRF'][2], 4)}" in dry.output
    assert "library_name: spacy" in dry.output and "quote_attributor/model.json" in dry.output
    assert f"en_kremlin_quotes-{__version__}-py3-none-any.whl" in dry.output
    assert state["calls"] == []
    pushed = CliRunner().invoke(app, [*args, "--push", "--endpoint", endpoint], env={"HF_TOKEN": TOKEN})
    assert pushed.exit_code == 0, pushed.output
    assert TOKEN not in pushed.output and state["created"]["type"] == "model"
    assert state["files"]["quote_attributor/model.json"] == (model / "quote_attributor" / "model.json").read_bytes()
    assert state["files"]["README.md"].decode().startswith("---") and state["tags"] == [(f"v{__version__}", "a" * 40)]
    assert f"en_kremlin_quotes-{__version__}-py3-none-any.whl" in state["files"]
