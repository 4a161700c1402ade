#!/usr/bin/env bash
# The whole suite on an extended copy of the project. In a copy of the checkout's tracked files, the README's
# extension steps run as written: an article is added (tests/extension.py: invented for the tests), pre-annotated,
# corrected with a new speaker and a new topic (through Label Studio's export format), merged with the registry
# additions, and rebuilt; then ruff and the test suite run in that copy. Needs `bash scripts/test.sh` (or its
# setup scripts) to have run once; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy=$work/kremlin-quotes
mkdir -p "$copy"
git ls-files -z | xargs -0 cp --parents -t "$copy"
ln -s "$root/.venv" "$copy/.venv"
if [ -d "$root/.venv-ls" ]; then ln -s "$root/.venv-ls" "$copy/.venv-ls"; fi
cd "$copy"
export PYTHONPATH="$copy/src"  # the copy's package, not the checkout's editable install
kq() { .venv/bin/python -m kremlin_quotes "$@"; }

.venv/bin/python tests/extension.py files "$work/in"
kq corpus add "$work/in/tartu-rail.txt"
kq predict corpus/documents.jsonl "$work/new.jsonl" --new-only
kq labelstudio export "$work/new.jsonl" "$work/ls-tasks.json"
# the annotator's corrections, submitted in Label Studio and exported
.venv/bin/python tests/extension.py correct "$work/new.jsonl" "$work/corrected-by-hand.jsonl"
.venv/bin/python - "$work" <<'PY'
import json, sys
import srsly
from kremlin_quotes.annotation.labelstudio import to_labelstudio
work = sys.argv[1]
tasks = json.load(open(f"{work}/ls-tasks.json"))
for ls, fixed in zip(tasks, srsly.read_jsonl(f"{work}/corrected-by-hand.jsonl"), strict=True):
    ls["data"] = to_labelstudio(fixed)["data"]
    ls["annotations"] = [to_labelstudio(fixed, as_predictions=False)["annotations"][0]]
json.dump(tasks, open(f"{work}/project-export.json", "w"))
PY
kq labelstudio import "$work/project-export.json" "$work/corrected.jsonl"
kq annotations merge "$work/corrected.jsonl" --entities "$work/in/new-entities.jsonl" --topics "$work/in/new-topics.jsonl"
kq rebuild
echo "extended copy: $(wc -l < annotations/gold.jsonl) gold documents, $(wc -l < corpus/documents.jsonl) corpus documents"
.venv/bin/ruff check .
.venv/bin/python -m pytest -p no:cacheprovider "$@"
