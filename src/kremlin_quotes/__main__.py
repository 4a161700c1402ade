"""``python -m kremlin_quotes VERB``: the same CLI as ``kremlin-quotes`` (weasel's project.yml runs it so)."""

from .cli import app

app()
