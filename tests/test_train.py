import pytest
import srsly

from kremlin_quotes.model.train import train
from kremlin_quotes.validate import load_valid


def test_training_is_deterministic_and_shipped_model_is_current(root):
    tasks, entities, _ = load_valid(root / "annotations")
    nlp, stats = train(tasks, entities)
    again, _ = train(tasks, entities, nlp=nlp)
    first = nlp.get_pipe("quote_attributor").scorer.to_dict()
    assert stats["documents"] == 5 and 0 < stats["positive"] < stats["candidates"]
    assert again.get_pipe("quote_attributor").scorer.to_dict() == first
    shipped = srsly.read_json(root / "models" / "kremlin_quotes" / "quote_attributor" / "model.json")
    assert shipped["scorer"]["weights"] == pytest.approx(first["weights"], abs=1e-6), "models/ is stale: retrain"
