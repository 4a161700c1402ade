"""Training: deterministic, fast on small data, and the training data changes what the model predicts."""

from pathlib import Path

import pytest
import srsly

from kremlin_quotes.annotation.polnear import import_polnear
from kremlin_quotes.model.train import build_pipeline, train

FIXTURE = Path(__file__).parent / "fixtures" / "polnear"
NEW_TEXT = "The school will close in June, teachers announced on Friday."


@pytest.fixture(scope="module")
def fixture_tasks():
    return import_polnear(FIXTURE)[0]


def unannotated(tasks):
    """The same documents with every attribution removed: all candidates become negatives."""
    return [{**t, "spans": [], "relations": []} for t in tasks]


def quotes(nlp, text):
    return [(a["label"], [text[s:e] for s, e in a["content"]]) for a in nlp(text)._.attributions]


def test_training_data_changes_predictions(fixture_tasks):
    with_quotes, stats = train(fixture_tasks, progress=False)
    without, _ = train(unannotated(fixture_tasks), progress=False)
    assert stats["positive"] > 0 and stats["documents"] == 1
    assert quotes(with_quotes, NEW_TEXT) == [("INDIRECT_QUOTE", ["The school will close in June"])]
    assert quotes(without, NEW_TEXT) == []
    a = with_quotes.get_pipe("quote_attributor").decisions.to_dict()
    b = without.get_pipe("quote_attributor").decisions.to_dict()
    assert a["keep"] != b["keep"]
    # the candidates are the same: with the learned decisions off, both models say the same
    for nlp in (with_quotes, without):
        nlp.get_pipe("quote_attributor").learned = False
    assert quotes(with_quotes, NEW_TEXT) == quotes(without, NEW_TEXT) != []


def test_training_is_deterministic(fixture_tasks, tmp_path):
    nlp, _ = train(fixture_tasks, progress=False)
    again, _ = train(fixture_tasks, nlp=build_pipeline(), progress=False)
    nlp.get_pipe("quote_attributor").to_disk(tmp_path / "a")
    again.get_pipe("quote_attributor").to_disk(tmp_path / "b")
    assert (tmp_path / "a" / "model.json").read_bytes() == (tmp_path / "b" / "model.json").read_bytes()


def test_gold_trains_in_seconds(root):
    from kremlin_quotes.annotation.validate import load_valid

    tasks, entities, _ = load_valid(root / "annotations")
    nlp, stats = train(tasks, entities, progress=False)
    assert stats["documents"] == len(tasks) and 0 < stats["positive"] <= stats["candidates"]
    assert stats["seconds"] < 60


def test_shipped_model_was_trained_on_gold_and_polnear(root):
    data = srsly.read_json(root / "models" / "kremlin_quotes" / "quote_attributor" / "model.json")
    assert data["trained_on"]["polnear_documents"] > 0 and data["trained_on"]["gold_documents"] > 0
    assert set(data["decisions"]) == {"keep", "extent", "speaker", "type", "join"}
    assert "threshold" not in data  # settings live in the config


def test_train_without_polnear_keeps_a_model_trained_with_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    monkeypatch.delenv("KQ_POLNEAR", raising=False)
    model = tmp_path / "model"
    (model / "quote_attributor").mkdir(parents=True)
    srsly.write_json(model / "quote_attributor" / "model.json", {"trained_on": {"polnear_documents": 840}})
    before = (model / "quote_attributor" / "model.json").read_bytes()
    res = CliRunner().invoke(app, ["train", "--out", str(model)])
    assert res.exit_code == 0 and "is kept" in res.output
    assert (model / "quote_attributor" / "model.json").read_bytes() == before


JOIN_TRAIN = [
    ("“The bridge will reopen in May,” the mayor said.\n\n“The repairs cost less than we feared.”\n\n"
     "Traffic was light on Monday."),
    ("“Our team played its best game of the season,” the coach said.\n\n“We will celebrate tonight.”\n\n"
     "Tickets for the final go on sale next week."),
    ("“The library needs more volunteers,” the director said.\n\n“Anyone can help on Saturdays.”\n\n"
     "The library opened in 1950."),
]  # fmt: skip
JOIN_NEW = "“The river is rising fast,” the ranger said.\n\n“Campers should leave the valley tonight.”\n\nIt rained."


def two_parts(text):
    """The two quotations of a '“A,” X said. / “B.”' text, and the speaker and cue of the first."""
    a0 = text.index("“") + 1
    a1 = text.index(",”")
    b0 = text.index("“", a1) + 1
    b1 = text.index(".”", b0) + 1
    cue = text.index(" said") + 1
    spk0 = text.index("the ", a1)
    return (a0, a1), (b0, b1), (spk0, cue - 1), (cue, cue + 4)


def test_join_is_learned_from_the_training_data():
    """One model learns that '“A,” X said.' and the next paragraph's quotation are one utterance, the other
    that they are two: the second part shares speaker and cue only in the first model's output."""
    from kremlin_quotes.model.component import GoldQuote

    def fitted(joined):
        nlp = build_pipeline()
        items = []
        for text in JOIN_TRAIN:
            a, b, spk, cue = two_parts(text)
            golds = (
                [GoldQuote([a, b], "DIRECT_QUOTE", spk, cue)]
                if joined
                else [GoldQuote([a], "DIRECT_QUOTE", spk, cue), GoldQuote([b], "DIRECT_QUOTE", spk, None)]
            )
            items.append((nlp(text), golds, 1.0))
        stats = nlp.get_pipe("quote_attributor").fit(items)
        assert stats["join_examples"] == len(JOIN_TRAIN)
        return nlp

    def parts(nlp):
        attrs = nlp(JOIN_NEW)._.attributions
        assert [JOIN_NEW[s:e] for a in attrs for s, e in a["content"]] == [
            "The river is rising fast",
            "Campers should leave the valley tonight.",
        ]
        return [(tuple(a["speaker"]), a["cue"] and tuple(a["cue"])) for a in attrs]

    first, second = parts(fitted(joined=True))
    assert first == second  # one utterance: the bench and the gold reader merge parts by speaker and cue
    first, second = parts(fitted(joined=False))
    assert first[1] is not None and second[1] != first[1]


QUIP_TRAIN = [
    "The mayor quipped that the bridge was older than the city. Traffic was light on Monday.",
    "The coach quipped that his team had finally learned to run. Tickets go on sale next week.",
    "The director quipped that the library needed more readers than books. It opened in 1950.",
]
QUIP_NEW = "The ranger quipped that the river had never looked so busy. It rained all day."


def test_cue_verbs_missing_from_the_lexicon_are_learned():
    """A reporting verb the lexicon lacks ('quip') joins it when the annotators mark it as a cue often enough:
    trained with those cues, the model finds the attribution in a new text; trained without them, it cannot."""
    from kremlin_quotes.core.lexicon import cue_verbs
    from kremlin_quotes.model.component import GoldQuote

    assert "quip" not in cue_verbs()

    def fitted(annotated):
        nlp = build_pipeline()
        items = []
        for text in QUIP_TRAIN:
            cue = text.index("quipped")
            golds = [GoldQuote([(cue + 13, text.index("."))], "INDIRECT_QUOTE", (0, cue - 1), (cue, cue + 7))]
            items.append((nlp(text), golds if annotated else [], 1.0))
        nlp.get_pipe("quote_attributor").fit(items)
        return nlp

    with_cues = fitted(annotated=True)
    assert with_cues.get_pipe("quote_attributor").cue_lemmas == ["quip"]
    assert [QUIP_NEW[s:e] for a in with_cues(QUIP_NEW)._.attributions for s, e in a["content"]] == [
        "the river had never looked so busy"
    ]
    without = fitted(annotated=False)
    assert without.get_pipe("quote_attributor").cue_lemmas == []
    assert without(QUIP_NEW)._.attributions == []
