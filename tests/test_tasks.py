"""The tokens of a task: the model's tokenizer's."""

from kremlin_quotes.core.tasks import tokenizer, tokens_of
from kremlin_quotes.core.tokenizer import RUN_CHARS, RunSafeTokenizer


def test_tokens_are_the_model_tokenizer_s(corpus_docs):
    assert type(tokenizer()) is RunSafeTokenizer
    run = "Peskov said “yes”. " + "a" * (2 * RUN_CHARS + 10) + ". He left."
    for text in [d["text"] for d in corpus_docs] + [run]:
        tokens = tokens_of(text)
        assert [(t["start"], t["end"]) for t in tokens] == [(t.idx, t.idx + len(t)) for t in tokenizer()(text)]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        assert all(text[t["start"] : t["end"]] == t["text"] for t in tokens)
