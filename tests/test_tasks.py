"""The tokens of a task: the English tokenizer's, in pieces inside a long run without white space."""

import spacy

from kremlin_quotes.core.tasks import tokens_of
from kremlin_quotes.core.text import RUN_CHARS, run_cuts


def test_tokens_are_the_tokenizer_s_and_a_long_run_is_cut_where_the_windows_cut_it(corpus_docs):
    tokenizer = spacy.blank("en").tokenizer
    for doc in corpus_docs:  # no long run: exactly the tokenizer's tokens
        text = doc["text"]
        assert [(t["start"], t["end"]) for t in tokens_of(text)] == [(t.idx, t.idx + len(t)) for t in tokenizer(text)]
    text = "Peskov said “yes”. " + "a" * (2 * RUN_CHARS + 10) + ". He left."  # one token for the tokenizer alone
    cuts = run_cuts(text)
    assert cuts == [19 + RUN_CHARS, 19 + 2 * RUN_CHARS]
    tokens = tokens_of(text)
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    assert all(text[t["start"] : t["end"]] == t["text"] for t in tokens)
    starts = {t["start"] for t in tokens}
    assert set(cuts) <= starts  # a token starts at every cut
    assert [t["text"] for t in tokens if t["text"].startswith("a")] == ["a" * RUN_CHARS] * 2 + ["a" * 10]
    before = [t for t in tokens if t["end"] <= 19]
    assert [t["text"] for t in before] == ["Peskov", "said", "“", "yes", "”", "."]
