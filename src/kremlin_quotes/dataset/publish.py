"""Publish the built dataset folder to the Hugging Face Hub: a dry run by default, ``--push`` to upload.

``upload_folder`` has no dry run of its own, so the plan (files, sizes, card) is computed here and is
exactly what a push sends. The token comes from huggingface_hub (``HF_TOKEN`` or ``hf auth login``) and
is never printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import KQError
from ..io import read_dir


@dataclass
class Plan:
    folder: Path
    repo_id: str
    tag: str
    files: list[tuple[str, int]]

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files)


def plan(folder: Path, repo_id: str, version: str = __version__) -> Plan:
    """What a push uploads: every non-hidden file of the folder, and the version tag."""
    if "/" not in repo_id or repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise KQError(f"--repo-id {repo_id!r}: expected 'namespace/name'")
    files = [(rel, len(data)) for rel, data in read_dir(folder).items()]
    if "README.md" not in dict(files):
        raise KQError(f"{folder}: no README.md dataset card; run `kremlin-quotes dataset`")
    return Plan(folder, repo_id, f"v{version}", files)


def push(p: Plan, token: str | None = None, endpoint: str | None = None, private: bool = False) -> str:
    """Create the dataset repo if missing, upload the folder in one commit, tag it; returns the commit URL."""
    from huggingface_hub import HfApi, get_token
    from huggingface_hub.errors import HfHubHTTPError

    token = token or get_token()
    if not token:
        raise KQError("no Hugging Face token: set HF_TOKEN or run `hf auth login`; nothing was uploaded")
    api = HfApi(endpoint=endpoint, token=token)
    try:
        api.create_repo(p.repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            folder_path=p.folder,
            repo_id=p.repo_id,
            repo_type="dataset",
            commit_message=f"kremlin-quotes {p.tag}",
            ignore_patterns=[".*", "*/.*"],
            # the repo holds exactly this folder: data files of an earlier build (other hashes) are removed
            delete_patterns=["*.parquet", "*/*.parquet", "README.md", "LICENSE.md"],
        )
        api.create_tag(p.repo_id, tag=p.tag, repo_type="dataset", revision=commit.oid, tag_message=p.tag)
    except HfHubHTTPError as e:
        status = e.response.status_code if e.response is not None else "?"
        hint = " (the tag exists: bump the version)" if status == 409 else ""
        raise KQError(f"the Hub refused the upload to {p.repo_id}: HTTP {status}{hint}") from None
    return commit.commit_url
