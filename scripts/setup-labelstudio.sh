#!/usr/bin/env bash
# Label Studio for the annotation-tool integration test, in its own virtualenv (.venv-ls): it is large
# (about 1 GB) and pins its own Django stack, so it stays out of the project's environment. The test starts
# it as a local server (SQLite data dir, legacy API token) and talks to its REST API.
set -euo pipefail
cd "$(dirname "$0")/.."
LS_VERSION=1.23.2
# its dependencies are held to the versions it was tested with (requirements-labelstudio.txt)
if [ -x .venv-ls/bin/label-studio ] && .venv-ls/bin/pip show label-studio 2>/dev/null | grep -q "^Version: ${LS_VERSION}$" \
    && .venv-ls/bin/pip show sentry-sdk 2>/dev/null | grep -q "^Version: 2\."; then
    exit 0
fi
python3.11 -m venv .venv-ls 2>/dev/null || python3 -m venv .venv-ls
.venv-ls/bin/pip install --quiet --disable-pip-version-check -r requirements-labelstudio.txt \
    "label-studio==${LS_VERSION}" 2> >(grep -v "is ignored: it is neither" >&2)
