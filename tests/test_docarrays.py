"""The per-Doc arrays the attributor reads for every candidate: they must say what the plain walks over Tokens and
the text say, and a Doc changed between two calls must be read afresh."""

import gc
import re
import weakref

import pytest

import kremlin_quotes
from kremlin_quotes.model.candidates import mention_span
from kremlin_quotes.model.decide import _sentence_mentions
from kremlin_quotes.model.docarrays import SPEAKER_ENTS, in_quotation, marked_text, token_at, word_count


@pytest.fixture(scope="module")
def nlp():
    return kremlin_quotes.load()


ODD_TEXT = (
    "WASHINGTON —  The senator, who  spoke on Tuesday, said ''it is over.''\n\n"
    "“We won’t,” said Maria Lopez of the Ministry of Finance, which declined comment.\n"
    "\u00a0Peskov (the Kremlin spokesman) told TASS: 'No.' U.S.-based don't e-mail 3.5%  \n\n"
)


def test_the_fast_lookups_agree_with_their_plain_definitions(nlp):
    """``token_at``, ``word_count`` and the mentions of a sentence read arrays kept once per Doc (the attributor
    calls them for every candidate); they must say what the plain walks over Tokens and the text say."""
    doc = nlp.make_doc(ODD_TEXT)
    for _, proc in nlp.pipeline:
        if not hasattr(proc, "propose"):
            doc = proc(doc)
    text = marked_text(doc)
    for char in range(-1, len(text) + 2):
        span = doc.char_span(char, char + 1, alignment_mode="expand") if char >= 0 else None
        expected = span[0] if span is not None and len(span) else None
        got = token_at(doc, char)
        assert (got.i if got is not None else None) == (expected.i if expected is not None else None), char
    for a in range(0, len(text) + 1, 3):
        for b in range(a, len(text) + 1, 5):
            assert word_count(doc, a, b) == len(re.findall(r"\w+", text[a:b])), (a, b)
    for sent in doc.sents:
        plain = []
        for t in sent:
            if t.dep_ in ("nsubj", "nsubjpass", "pobj", "poss", "dobj", "appos") and t.pos_ in (
                "PROPN",
                "PRON",
                "NOUN",
            ):
                sp = mention_span(t)
                plain.append(((sp.start_char, sp.end_char), t.i, "dep"))
            elif t.ent_iob_ == "B" and t.ent_type_ in SPEAKER_ENTS:
                j = t.i + 1
                while j < len(doc) and doc[j].ent_iob_ == "I":
                    j += 1
                plain.append(((t.idx, doc[j - 1].idx + len(doc[j - 1].text)), j - 1, "ent"))
        assert _sentence_mentions(doc, sent.start, sent.end) == plain
    assert any(source == "ent" for sent in doc.sents for _, _, source in _sentence_mentions(doc, sent.start, sent.end))


def test_a_doc_changed_between_two_calls_is_read_afresh(nlp):
    """The per-Doc arrays (token offsets, flags, sentences) are kept while a Doc lives; a caller who merges tokens
    between two attributor calls must get what a fresh copy of the changed Doc gets, not the stale arrays'."""
    attributor = next(proc for _, proc in nlp.pipeline if hasattr(proc, "propose"))
    doc = nlp("Kremlin spokesman Dmitry Peskov said the talks were over. “We will not go back,” he told reporters.")
    assert doc._.attributions
    doc.spans.clear()  # spaCy's retokenizer leaves span groups stale; the attributor writes them anew
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:4])  # 'Kremlin spokesman Dmitry Peskov' becomes one token: every index moves
    fresh = attributor(doc.copy())._.attributions
    assert fresh and attributor(doc)._.attributions == fresh


def test_the_per_doc_caches_keep_no_doc_alive(nlp):
    """The caches are keyed by a weak reference to the Doc: a value that refers to the Doc (a Span) would keep it
    alive and grow memory with every document of a long run."""
    doc = nlp(
        'The firefighters\' union president, Freddy Escobar, called the cuts "a recipe for disaster." '
        '"Nobody listened," he said.'
    )
    assert [a["canonical"] for a in doc._.attributions] == ["Freddy Escobar"] * 2  # every cache was filled
    ref = weakref.ref(doc)
    del doc
    gc.collect()
    assert ref() is None


def test_in_quotation_is_inside_a_quotation_of_the_doc(nlp):
    """The resolver's one reading of 'inside quotation marks' (its gender votes and paragraph subjects): the
    quotation's own characters, not its marks nor the text around it; a single-mark (British) quotation counts."""
    text = 'Lee said "we will win" today.\n‘Ask Holm,’ she said.'
    doc = nlp.make_doc(text)
    assert [i for i in range(len(text)) if in_quotation(doc, i)] == [
        *range(text.index("we"), text.index('" today')),
        *range(text.index("Ask"), text.index("’ she")),
    ]
