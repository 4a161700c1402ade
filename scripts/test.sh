#!/usr/bin/env bash
# Set up (Python env, Debian's Chromium for the HTML-view test, Label Studio in .venv-ls for the annotation-tool
# test), then run the linter and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-browser.sh
bash scripts/setup-labelstudio.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
