"""Publishing a folder to the Hugging Face Hub, shared by the dataset and the model: one release mechanic.

``upload_folder`` has no dry run of its own, so a ``Plan`` (files, sizes, tag) is computed first and is exactly
what a push sends. The token comes from huggingface_hub (``HF_TOKEN`` or ``hf auth login``) and is never printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import KQError


@dataclass
class Plan:
    folder: Path
    repo_id: str
    tag: str
    files: list[tuple[str, int]]

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files)


def check_repo_id(repo_id: str) -> None:
    """A Hub repo id is 'namespace/name'."""
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise KQError(f"--repo-id {repo_id!r}: expected 'namespace/name'")


def push(
    p: Plan,
    token: str | None = None,
    endpoint: str | None = None,
    private: bool = False,
    revision: str | None = None,
    create_pr: bool = False,
    repo_type: str = "dataset",
    delete_patterns: list[str] | None = None,
) -> str:
    """Create the dataset (or model) repo if missing, upload the folder in one commit, tag it; returns the commit URL.

    The tag is checked before anything is uploaded (a release is never uploaded twice under one version). With
    ``revision`` the commit goes to that branch (created if missing), with ``create_pr`` to a pull request; the
    version tag is set only on the main branch. Files of an earlier build that this folder no longer has are
    deleted in the same commit. Every failure (network, authentication, a refusal) is one line without the
    token."""
    from huggingface_hub import HfApi, get_token
    from huggingface_hub.errors import HfHubHTTPError

    token = token or get_token()
    if not token:
        raise KQError("no Hugging Face token: set HF_TOKEN or run `hf auth login`; nothing was uploaded")
    api = HfApi(endpoint=endpoint, token=token)
    tagging = revision is None and not create_pr
    step = "connect"
    try:
        step = "create the repo"
        api.create_repo(p.repo_id, repo_type=repo_type, private=private, exist_ok=True)
        if tagging:
            step = "read the tags"
            tags = {t.name for t in api.list_repo_refs(p.repo_id, repo_type=repo_type).tags}
            if p.tag in tags:
                raise KQError(
                    f"{p.repo_id} already has the tag {p.tag}: bump the version (or push to a branch with "
                    "--revision, or open a pull request with --create-pr); nothing was uploaded"
                )
        if revision is not None:
            step = f"create the branch {revision}"
            api.create_branch(p.repo_id, branch=revision, repo_type=repo_type, exist_ok=True)
        step = "upload"
        commit = api.upload_folder(
            folder_path=p.folder,
            repo_id=p.repo_id,
            repo_type=repo_type,
            revision=revision,
            create_pr=create_pr,
            commit_message=f"kremlin-quotes {p.tag}",
            ignore_patterns=[".*", "*/.*"],
            # the repo holds exactly this folder: data files of an earlier build (other hashes) are removed
            delete_patterns=delete_patterns or ["*.parquet", "*/*.parquet", "README.md", "LICENSE.md"],
        )
        if tagging:
            step = "tag the release"
            api.create_tag(p.repo_id, tag=p.tag, repo_type=repo_type, revision=commit.oid, tag_message=p.tag)
    except KQError:
        raise
    except HfHubHTTPError as e:
        status = e.response.status_code if e.response is not None else "?"
        hint = {
            401: " (the token was refused: check HF_TOKEN or `hf auth login`)",
            403: " (the token may not write to this namespace)",
            409: " (the tag exists: bump the version)",
        }.get(status, "")
        raise KQError(f"the Hub refused to {step} for {p.repo_id}: HTTP {status}{hint}") from None
    except Exception as e:  # noqa: BLE001 - network and client errors: one line, never the token
        reason = " ".join(str(e).replace(token, "***").split())[:200]
        # the HTTP client's transport errors (httpx or its fork, by class name) and OSError are the network's
        network = isinstance(e, OSError) or any(c.__name__ == "TransportError" for c in type(e).__mro__)
        hint = "; is the Hub reachable?" if network else ""
        raise KQError(f"could not {step} for {p.repo_id} ({type(e).__name__}: {reason}){hint}") from None
    return commit.pr_url if create_pr and commit.pr_url else commit.commit_url
