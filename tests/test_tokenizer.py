"""The run-safe tokenizer: spaCy's tokens on every real text, linear pieces inside a long run without white space."""

from __future__ import annotations

import pickle

import pytest
import spacy

import kremlin_quotes
from kremlin_quotes.core.settings import base_model_name
from kremlin_quotes.core.tokenizer import NAME, RUN_CHARS, RunSafeTokenizer, run_cuts
from kremlin_quotes.model.windows import attributions_of

COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"]


@pytest.fixture(scope="module")
def tokenizers():
    """The base pipeline's own tokenizer and the same data read into the run-safe one, as the shipped config does."""
    base = spacy.load(base_model_name(), exclude=COMPONENTS)
    safe = spacy.load(base_model_name(), exclude=COMPONENTS, config={"nlp": {"tokenizer": {"@tokenizers": NAME}}})
    return base.tokenizer, safe.tokenizer


def test_without_a_long_run_the_tokens_are_spacy_s(tokenizers, corpus_docs):
    base, safe = tokenizers
    assert type(safe) is RunSafeTokenizer
    odd = ["", " ", "“”", "U.S. e-mail http://x.com/a?b=1 #tag :) don’t", "“" * RUN_CHARS, "\n\n“A,” he said.\r\n"]
    for text in [d["text"] for d in corpus_docs] + odd:
        assert [(t.text, t.whitespace_) for t in safe(text)] == [(t.text, t.whitespace_) for t in base(text)]


def test_a_long_run_is_tokenized_in_pieces_of_run_chars(tokenizers):
    _, safe = tokenizers
    text = "Peskov said “yes”. " + "a" * (2 * RUN_CHARS + 10) + ". He left."  # one token for spaCy alone
    cuts = run_cuts(text)
    assert cuts == [19 + RUN_CHARS, 19 + 2 * RUN_CHARS]
    doc = safe(text)
    assert doc.text == text
    assert set(cuts) <= {t.idx for t in doc}  # a token starts at every cut
    assert [t.text for t in doc if t.text.startswith("a")] == ["a" * RUN_CHARS] * 2 + ["a" * 10]
    assert [t.text for t in doc][:6] == ["Peskov", "said", "“", "yes", "”", "."]
    marks = safe("“" * (5 * RUN_CHARS))  # 5,000 marks: spaCy's tokenizer alone takes seconds (quadratic)
    assert len(marks) == 5 * RUN_CHARS and marks.text == "“" * (5 * RUN_CHARS)


def test_the_shipped_pipeline_tokenizes_with_it_and_keeps_it_across_processes():
    nlp = kremlin_quotes.load()
    assert type(nlp.tokenizer) is RunSafeTokenizer and nlp.config["nlp"]["tokenizer"]["@tokenizers"] == NAME
    again = pickle.loads(pickle.dumps(nlp.tokenizer))  # what nlp.pipe(n_process=2) sends to its workers
    assert type(again) is RunSafeTokenizer and len(again("“" * (2 * RUN_CHARS))) == 2 * RUN_CHARS
    report = "Peskov said: “We are ready.” The minister told reporters that talks went well.\n\n"
    text = report + "“" * (3 * RUN_CHARS) + "\n\n" + report  # a short text: nlp(text) whole, no window
    plain, odd = attributions_of(nlp, [report, text])
    contents = [text[a["content"][0][0] : a["content"][0][1]] for a in odd]
    assert contents == [report[a["content"][0][0] : a["content"][0][1]] for a in plain] * 2
    assert "We are ready." in contents
