"""spaCy component ``quote_attributor`` (filled in by the model stage)."""

from __future__ import annotations


def make_quote_attributor(nlp, name: str):  # pragma: no cover - replaced by the model stage
    raise NotImplementedError
