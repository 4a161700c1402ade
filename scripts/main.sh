#!/usr/bin/env bash
# The main job: set up, then seeds -> corpus -> validate -> dataset -> train -> evaluate.
# PolNeAR (training data) and the dev bench (only scored) are read from $KQ_POLNEAR and $KQ_BENCH, by default
# ../shared/polnear and ../shared/bench when they exist; without PolNeAR the shipped model is kept, not retrained.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${KQ_POLNEAR:-}" ] && [ -d ../shared/polnear ]; then export KQ_POLNEAR=../shared/polnear; fi
if [ -z "${KQ_BENCH:-}" ] && [ -d ../shared/bench ]; then export KQ_BENCH=../shared/bench; fi
.venv/bin/kremlin-quotes all
