"""Publish the built dataset to the Hugging Face Hub (thin over `kremlin-quotes publish`).

python scripts/publish.py --repo-id NAMESPACE/kremlin-quotes           # dry run: files, sizes, card
python scripts/publish.py --repo-id NAMESPACE/kremlin-quotes --push    # upload + tag (needs HF_TOKEN)
"""

import sys

from kremlin_quotes.cli import app

if __name__ == "__main__":
    sys.exit(app(["publish", *sys.argv[1:]]))
