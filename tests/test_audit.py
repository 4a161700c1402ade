from kremlin_quotes.annotation.audit import audit, lemma_candidates
from kremlin_quotes.core.tasks import make_task, span_dict, tokens_of


def test_lemma_guesses():
    assert "say" in lemma_candidates("said")
    assert "note" in lemma_candidates("noting")
    assert "deny" in lemma_candidates("denies")


def test_unannotated_attribution_is_listed_and_annotated_one_is_not():
    text = "The minister said the talks failed. The sun rose. According to police, two died."
    toks = tokens_of(text)
    spans = [span_dict(text.index("two died"), text.index("two died") + 8, "INDIRECT_QUOTE", text, toks)]
    task = make_task(text, spans, [], {"id": "t"}, tokens=toks)
    hits = audit([task])
    assert [h.sentence for h in hits] == ["The minister said the talks failed."]
    assert "reporting verb 'said'" in hits[0].reasons
