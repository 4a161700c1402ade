#!/usr/bin/env bash
# Label Studio for the annotation-tool integration test, in its own virtualenv (.venv-ls): it is large
# (about 1 GB) and pins its own Django stack, so it stays out of the project's environment. The test starts
# it as a local server (SQLite data dir, legacy API token) and talks to its REST API. Its dependencies are held
# to the versions it was tested with (requirements-labelstudio.txt); as in setup.sh, a stamp of that file says
# whether .venv-ls already has them.
set -euo pipefail
cd "$(dirname "$0")/.."
LS_VERSION=1.23.2
stamp=.venv-ls/.kq-installed
want=$( (echo "$LS_VERSION"; cat requirements-labelstudio.txt) | sha256sum | cut -d' ' -f1)
if [ -x .venv-ls/bin/label-studio ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    exit 0
fi
python3.11 -m venv .venv-ls 2>/dev/null || python3 -m venv .venv-ls
.venv-ls/bin/pip install --quiet --disable-pip-version-check -r requirements-labelstudio.txt \
    "label-studio==${LS_VERSION}" 2> >(grep -v "is ignored: it is neither" >&2)
echo "$want" > "$stamp"
