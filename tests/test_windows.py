"""Long documents window by window: the same attributions as the whole document, valid offsets on anything."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kremlin_quotes
from kremlin_quotes.model.predict import predict_records
from kremlin_quotes.model.windows import cut_points, windowed_attributions


@pytest.fixture(scope="module")
def nlp():
    return kremlin_quotes.load()


def key(a: dict) -> tuple:
    return (tuple(map(tuple, a["content"])), tuple(a["speaker"]), tuple(a["cue"] or ()), a["label"], a["canonical"],
            a["entity"])  # fmt: skip


@pytest.mark.parametrize("size,context", [(800, 500), (1200, 1500)])
def test_windowed_equals_whole_document_on_the_seeds(nlp, corpus_docs, size, context):
    """Small windows force every seed article through 2-8 windows; speakers are still resolved document-wide."""
    long = [d for d in corpus_docs if len(d["text"]) > size]
    assert len(long) >= 5  # at least the seeds; a short added article would run in one window
    for doc in long:
        text = doc["text"]
        assert len(cut_points(text, size)) >= 2
        whole = sorted(map(key, nlp(text)._.attributions))
        assert sorted(map(key, windowed_attributions(nlp, text, size, context))) == whole, doc["id"]


def test_cut_points_follow_paragraphs_and_split_one_huge_paragraph():
    text = "\n\n".join(f"Paragraph {i} says something. " * 3 for i in range(200))
    starts = cut_points(text, 1000)
    assert starts[0] == 0 and all(b - a <= 1000 for a, b in zip(starts, [*starts[1:], len(text)], strict=True))
    assert all(text[s - 1] == "\n" and not text[s].isspace() for s in starts[1:])
    sentence = "word " * 40_000  # a 200 kB paragraph without a sentence end
    starts = cut_points(sentence, 20_000)
    assert len(starts) >= 10 and all(sentence[s - 1] == " " for s in starts[1:])


MARKS = list("\"“”«»„‘’'")
WORDS = ["said", "told", "added", "according to", "Peskov", "Anna Berg", "the official", "he", "she", "it", ":", ","]
ODD = [
    "\x00",
    "\u200b",
    "\u2028",
    "\ufeff",
    "\r\n",
    "\t",
    "😀",
    "é",
    "\u0301",
    "דובר",
    "发言人",
    "Песков",
    "\n",
    "\n\n",
]
pieces = st.one_of(st.sampled_from(MARKS + WORDS + ODD), st.text(max_size=6), st.just(". "), st.just(" "))
texts = st.lists(pieces, max_size=60).map("".join)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_any_text_gives_valid_spans_whole_and_windowed(nlp, text):
    """Quote marks, speech verbs, names, newlines and odd code points: never an exception; every span slices
    back to its text; speakers and cues inside the document; the same holds window by window."""
    if any("\ud800" <= c <= "\udfff" for c in text):
        return  # lone surrogates are refused by the input check before any model sees them
    task = next(predict_records(nlp, [{"id": "x", "text": text}], progress=False))
    for s in task["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(text) and text[s["start"] : s["end"]] == s["text"]
    if len(text) > 40:
        for a in windowed_attributions(nlp, text, size=40, context=20):
            for s, e in [*a["content"], a["speaker"], *([a["cue"]] if a["cue"] else [])]:
                assert 0 <= s < e <= len(text)
