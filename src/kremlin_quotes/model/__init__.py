"""The quote-attribution model: candidates from the parse, decisions learned with scikit-learn."""
