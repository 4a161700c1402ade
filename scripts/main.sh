#!/usr/bin/env bash
# The main job: set up, then seeds -> corpus -> validate -> dataset -> train -> evaluate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/kremlin-quotes all
