"""The quote_attributor as a spaCy component: config, serialization, scorer, initialize, meta."""

import pytest
import srsly
from spacy.training import Example

import kremlin_quotes
from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.errors import KQError
from kremlin_quotes.dataset.docbin import task_to_doc


@pytest.fixture(scope="module")
def nlp():
    return kremlin_quotes.load()


@pytest.fixture(scope="module")
def gold(root):
    return load_valid(root / "annotations")


def test_settings_live_in_the_config(nlp, root, tmp_path):
    cfg = nlp.get_pipe_config("quote_attributor")
    assert {"threshold", "join_threshold", "learned", "C", "gold_weight", "max_speaker_options"} <= set(cfg)
    import spacy

    strict = spacy.load(root / "models" / "kremlin_quotes", config={"components.quote_attributor.threshold": 0.999})
    assert strict.get_pipe("quote_attributor").threshold == 0.999
    text = "“We will not raise taxes,” the minister told reporters. Anna Berg said the budget would be balanced."
    assert len(strict(text)._.attributions) <= len(nlp(text)._.attributions)


def test_join_threshold_is_a_setting(root):
    """The join decision's threshold lives in the config like the keep decision's: with a join model that gives every
    pair 0.73, two reports join (the second takes the first one's speaker) at the default 0.5 and not at 0.9."""
    import spacy

    from kremlin_quotes.model.linear import Linear

    text = "Ann Lee said the plan had failed. Bob Stone said the budget was cut."
    speakers = {}
    for setting in (0.5, 0.9):
        nlp = spacy.load(
            root / "models" / "kremlin_quotes", config={"components.quote_attributor.join_threshold": setting}
        )
        comp = nlp.get_pipe("quote_attributor")
        assert comp.join_threshold == setting
        comp.decisions.join = Linear({"bias": 1.0})
        speakers[setting] = [text[a["speaker"][0] : a["speaker"][1]] for a in nlp(text)._.attributions]
    assert speakers == {0.5: ["Ann Lee", "Ann Lee"], 0.9: ["Ann Lee", "Bob Stone"]}


def test_to_disk_from_disk_round_trip(nlp, tmp_path):
    comp = nlp.get_pipe("quote_attributor")
    comp.to_disk(tmp_path)
    data = srsly.read_json(tmp_path / "model.json")
    assert data["decisions"] == comp.decisions.to_dict()
    other = kremlin_quotes.load()
    other.get_pipe("quote_attributor").from_disk(tmp_path)
    text = "Peskov said the talks would continue. “No decision has been made,” he told reporters."
    assert other(text)._.attributions == nlp(text)._.attributions


@pytest.mark.parametrize("content", ["{", '{"format": 2, "decisions": {"keep": "x"}}', '{"format": 1}'])
def test_corrupt_model_file_names_the_file(nlp, tmp_path, content):
    (tmp_path / "model.json").write_text(content, encoding="utf-8")
    with pytest.raises(KQError, match="model.json.*kremlin-quotes train"):
        nlp.get_pipe("quote_attributor").from_disk(tmp_path)


def test_speaker_span_carries_the_registry_id(nlp):
    doc = nlp("Kremlin spokesman Dmitry Peskov said the talks would continue next week.")
    assert [(s.text, s.kb_id_) for s in doc.spans["speakers"]] == [
        ("Kremlin spokesman Dmitry Peskov", "dmitry_peskov")
    ]


def test_registered_scorer_in_nlp_evaluate(nlp, gold):
    tasks, _, _ = gold
    examples = [Example(nlp.make_doc(t["text"]), task_to_doc(t)) for t in tasks[:2]]
    scores = nlp.evaluate(examples)
    for key in ("quote_p", "quote_r", "quote_f", "speaker_acc", "cue_f"):
        assert 0.0 <= scores[key] <= 1.0
    assert scores["quote_f"] > 0.5


def test_initialize_trains_from_examples(gold):
    from kremlin_quotes.model.train import build_pipeline

    tasks, entities, _ = gold
    nlp = build_pipeline()
    comp = nlp.get_pipe("quote_attributor")
    before = comp.decisions.to_dict()
    comp.initialize(
        lambda: [Example(nlp.make_doc(t["text"]), task_to_doc(t)) for t in tasks], nlp=nlp, entities=entities
    )
    assert comp.decisions.to_dict() != before
    assert nlp(tasks[0]["text"])._.attributions


def test_training_on_docs_read_back_without_their_tensor_warns(gold, recwarn):
    """A DocBin keeps the parse but not doc.tensor: fitting on such docs would teach the extent and speaker
    decisions without the context vectors they read when predicting, so fit says so."""
    from spacy.tokens import DocBin

    from kremlin_quotes.model.component import gold_from_task
    from kremlin_quotes.model.train import build_pipeline, parse

    tasks = gold[0]
    nlp = build_pipeline()
    comp = nlp.get_pipe("quote_attributor")
    docs = parse(nlp, [t["text"] for t in tasks], "parse")
    read_back = list(DocBin(docs=docs).get_docs(nlp.vocab))
    assert all(d.has_annotation("DEP") for d in read_back)
    with pytest.warns(
        UserWarning, match=f"quote_attributor: {len(tasks)} of {len(tasks)} training docs have no doc.tensor"
    ):
        comp.fit([(d, gold_from_task(t), 1.0) for d, t in zip(read_back, tasks, strict=True)])
    recwarn.clear()
    comp.fit([(d, gold_from_task(t), 1.0) for d, t in zip(docs, tasks, strict=True)])
    comp.context_vectors = False
    comp.fit([(d, gold_from_task(t), 1.0) for d, t in zip(read_back, tasks, strict=True)])
    assert not [w for w in recwarn if "doc.tensor" in str(w.message)]


def test_meta_is_the_projects(root):
    meta = srsly.read_json(root / "models" / "kremlin_quotes" / "meta.json")
    assert meta["name"] == "kremlin_quotes" and meta["author"] != "Explosion"
    assert any("PolNeAR" in s["name"] and "LREC" in s.get("citation", "") for s in meta["sources"])
    assert "performance" not in meta


def test_readme_example_shows_what_the_model_gives(nlp, root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    attrs = nlp("“We will not raise taxes,” the minister told reporters.")._.attributions
    a = attrs[0]
    shown = f"'content': {a['content']}, 'label': '{a['label']}', 'speaker': {a['speaker']},"
    assert shown in readme and f"'cue': {a['cue']}" in readme


def test_an_overlapped_attribution_falls_back_to_an_extent_that_fits():
    """The higher score takes its stretch; the loser keeps its speaker with its next extent that overlaps nothing
    (an outer 'adds that …' clause cut before an inner 'called on …'), and is dropped when it has none."""
    from kremlin_quotes.model.candidates import Candidate
    from kremlin_quotes.model.component import _no_overlaps

    inner = Candidate(content=[(60, 90)], kind="xcomp", label="INDIRECT", cue=(50, 59), speaker=(0, 5), score=0.9)
    outer = Candidate(content=[(10, 90)], kind="ccomp", label="INDIRECT", cue=(6, 9), speaker=(0, 5), score=0.8)
    cut = Candidate(content=[(10, 45)], kind="ccomp", label="INDIRECT", cue=(6, 9), speaker=(0, 5))
    kept = _no_overlaps([(outer, lambda: [cut]), (inner, list)])
    assert [c.content for c in kept] == [[(10, 45)], [(60, 90)]]
    assert [c.content for c in _no_overlaps([(outer, list), (inner, list)])] == [[(60, 90)]]


def test_keep_learns_from_extents_that_find_a_gold_quote():
    """The keep decision's label is a match as the bench counts it: a clause reported inside a longer gold quote
    holds too little of it to find it (keeping it costs a false attribution and finds nothing), while a part of an
    interrupted quotation finds it by holding half of one part."""
    from kremlin_quotes.model.component import GoldQuote, _finds
    from kremlin_quotes.model.decide import strip_that, words

    text = (
        "Lee said the plan failed because the mayor said the budget was cut and the council would not meet again. "
        "“We tried,” Lee said, “and we lost the vote in the end.”"
    )

    def at(phrase):
        s = text.index(phrase)
        return (s, s + len(phrase))

    outer = GoldQuote(
        content=[at("the plan failed because the mayor said the budget was cut and the council would not meet again")],
        label="INDIRECT_QUOTE",
    )
    parts = GoldQuote(content=[at("We tried,"), at("and we lost the vote in the end.")], label="DIRECT_QUOTE")
    golds = [outer, parts]
    gw = [strip_that(text, words(text, g.content)) for g in golds]

    def finds(phrase):
        return _finds(text, strip_that(text, words(text, [at(phrase)])), golds, gw)

    assert finds("the plan failed because the mayor said the budget was cut and the council would not meet again")
    assert not finds("the budget was cut")  # inside the outer quote: found nothing (it was a find before)
    assert finds("and we lost the vote in the end.")  # one part of two
    assert not finds("the vote")  # too little of any part
    assert not finds("Lee said")  # in no gold quote


def test_context_vectors_are_a_setting_and_optional(nlp, root):
    """The extent and speaker decisions read doc.tensor rows when ``context_vectors`` is on; off, or with a base
    pipeline that leaves no tensor, the same model still runs on its named features."""
    import spacy

    text = "“We will not raise taxes,” the minister told reporters. Anna Berg said the budget would be balanced."
    comp = nlp.get_pipe("quote_attributor")
    assert comp.context_vectors
    assert any(k.startswith("@") for p in comp.propose(nlp(text)) for f in p.variant_feats for k in f)
    off = spacy.load(root / "models" / "kremlin_quotes", config={"components.quote_attributor.context_vectors": False})
    props = off.get_pipe("quote_attributor").propose(off(text))
    assert props and not any(k.startswith("@") for p in props for f in p.variant_feats for k in f)
    assert not any(k.startswith("@") for p in props for o in p.options for k in o.feats)
    with nlp.select_pipes(disable=["quote_attributor"]):
        doc = nlp(text)
    doc.tensor = doc.tensor[:0, :0]  # no tensor, as some base pipelines leave it
    attrs = comp(doc)._.attributions
    assert attrs and {a["label"] for a in attrs} <= {"DIRECT_QUOTE", "INDIRECT_QUOTE", "MIXED_QUOTE"}


def test_the_keep_decision_is_a_network_unless_the_config_says_none(gold):
    """``keep_hidden`` is a setting: the default trains keep as a one-hidden-layer network, 0 as a logistic
    regression like the other decisions; so do fewer candidates than ``keep_min_examples`` (a network cannot be
    fitted on a few documents). Both train from the same examples and both survive model.json."""
    from kremlin_quotes.model.linear import Linear, Network
    from kremlin_quotes.model.train import build_pipeline

    tasks, entities, _ = gold
    kinds = {}
    for hidden, least in ((16, 0), (0, 0), (16, 10_000)):
        nlp = build_pipeline()
        comp = nlp.get_pipe("quote_attributor")
        comp.keep_hidden, comp.keep_min_examples = hidden, least
        examples = [Example(nlp.make_doc(t["text"]), task_to_doc(t)) for t in tasks[:2]]
        comp.initialize(lambda examples=examples: examples, nlp=nlp, entities=entities)
        kinds[hidden, least] = type(comp.decisions.keep)
        stored = srsly.json_loads(srsly.json_dumps(comp.decisions.to_dict()))
        assert type(comp.decisions.from_dict(stored).keep) is kinds[hidden, least]
        if kinds[hidden, least] is Network:  # keep_networks fits averaged side by side: one network, 16 units each
            assert len(comp.decisions.keep.out) == 16 * comp.keep_networks
    assert kinds == {(16, 0): Network, (0, 0): Linear, (16, 10_000): Linear}
    shipped = build_pipeline().get_pipe("quote_attributor")
    assert shipped.keep_hidden > 0 and shipped.keep_networks == 3  # the shipped configuration
    with pytest.raises(ValueError, match="keep_networks=0"):
        build_pipeline(settings={"keep_networks": 0})


def test_the_keep_networks_start_from_the_configured_seed(gold):
    """``keep_seed`` is a setting: the same seed fits the same networks, another seed other ones (how much a
    figure moves from the start alone is measured with it: ``heldout_polnear.py --set keep_seed=3``)."""
    from kremlin_quotes.model.train import build_pipeline

    tasks, entities, _ = gold
    fitted = []
    for seed in (0, 0, 1):
        nlp = build_pipeline(settings={"keep_seed": seed, "keep_hidden": 8, "keep_min_examples": 0})
        comp = nlp.get_pipe("quote_attributor")
        assert comp.keep_seed == seed
        examples = [Example(nlp.make_doc(t["text"]), task_to_doc(t)) for t in tasks[:2]]
        comp.initialize(lambda examples=examples: examples, nlp=nlp, entities=entities)
        fitted.append(srsly.json_dumps(comp.decisions.keep.to_dict()))
    assert fitted[0] == fitted[1]
    assert fitted[0] != fitted[2]
