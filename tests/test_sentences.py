"""paragraph_sentences: preset sentence starts after line breaks and in runs without a sentence end."""

import pytest
import spacy

import kremlin_quotes
from kremlin_quotes.core.sentences import ParagraphSentences


def starts(doc):
    return [t.i for t in doc if t.is_sent_start and t.i > 0]


def test_a_line_break_starts_a_sentence():
    doc = ParagraphSentences()(spacy.blank("en")("Headline here\nPeskov said so"))
    assert starts(doc) == [3]


def test_a_run_without_a_sentence_end_is_cut_every_max_tokens():
    nlp = spacy.blank("en")
    text = "a b c d e f g h i j k l"  # 12 tokens, no sentence end
    assert starts(ParagraphSentences(5)(nlp(text))) == [5, 10]
    assert starts(ParagraphSentences(0)(nlp(text))) == []  # 0: no cap
    # a token ending in '.', '!' or '?' and a line break both end a run: none of these runs is longer than 5
    assert starts(ParagraphSentences(5)(nlp("a b c d. e f g h i? j k l m\nn o p q r"))) == [15]
    assert starts(ParagraphSentences(5)(nlp("a b c d e\nf g h i j k l"))) == [6, 11]
    with pytest.raises(ValueError, match="max_tokens"):
        ParagraphSentences(-1)


def test_the_cap_changes_no_sentence_of_the_corpus(corpus_docs):
    nlp = spacy.blank("en")
    for doc in corpus_docs:
        capped, free = ParagraphSentences()(nlp(doc["text"])), ParagraphSentences(0)(nlp(doc["text"]))
        assert starts(capped) == starts(free), doc["id"]


def test_a_text_without_punctuation_is_parsed_in_sentences_of_at_most_max_tokens():
    """The parser keeps the preset starts, so the attributor never reads a sentence of thousands of words (its cost
    grows with the square of a sentence's length; scripts/benchmark_long.py measures it)."""
    nlp = kremlin_quotes.load()
    assert nlp.config["components"]["paragraph_sentences"]["max_tokens"] == 300
    text = " ".join(["Peskov told reporters that the talks went well and he said that"] * 60)  # 720 tokens
    doc = nlp(text)
    assert max(len(s) for s in doc.sents) <= 300
    assert len(list(doc.sents)) >= 3
    assert doc.spans["quotes"]  # still read: the reports in each piece
