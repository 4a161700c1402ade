"""Quotation marks (``model/quotations.py``): the quoted passages of a text, whatever marks it quotes with."""

import spacy

from kremlin_quotes.core.marks import mask_marks, quotation_spans
from kremlin_quotes.model.quotations import find_quote_marks, quote_marks_of


def test_quote_marks_unbalanced_reversed_and_multi_paragraph():
    text = "“First paragraph of a long quote.\n“Second paragraph ends here.” he said. ”Reversed opener here.”"
    spans = [text[s:e] for s, e in find_quote_marks(text)]
    assert spans == ["First paragraph of a long quote.", "Second paragraph ends here.", "Reversed opener here."]
    other = 'He said "unclosed and gone'
    assert [other[s:e] for s, e in find_quote_marks(other)] == ["unclosed and gone"]
    wire = "''This isn't reform,'' said Ann Lee. ``Nor is it fair.'' The '90s were different."
    assert [wire[s:e] for s, e in find_quote_marks(wire)] == ["This isn't reform", "Nor is it fair."]


def test_single_quote_marks_quote_where_no_double_marks_do():
    """British papers quote with single marks (‘…,’ she said) and nest double ones; an apostrophe is not a mark."""
    british = "‘We won’t lose,’ Ann Lee said. ‘The “experts” are wrong.’\nShe said the party ‘will win’."
    masked = "“We won’t lose,” Ann Lee said. “The ‘experts’ are wrong.”\nShe said the party “will win”."
    assert mask_marks(british) == masked
    assert [british[s:e] for s, e in find_quote_marks(british)] == [
        "We won’t lose",
        "The “experts” are wrong.",
        "will win",
    ]
    # a quotation over several paragraphs: each opens with a mark, only the last closes
    several = "‘The port will reopen.\n\n‘Ships are waiting,’ Holm said."
    assert [several[s:e] for s, e in find_quote_marks(several)] == ["The port will reopen.", "Ships are waiting"]
    # a plural possessive inside the quotation is an apostrophe when the quotation's own close is still to come
    possessive = "‘We met at the Governors’ conference in 1983. He was unable to work.’ Ann said the parties’ aims"
    assert [possessive[s:e] for s, e in find_quote_marks(possessive)] == [
        "We met at the Governors’ conference in 1983. He was unable to work."
    ]
    assert mask_marks("She called the ‘Southern States’ plan a disgrace.").count("”") == 1  # no close after it
    # a decade's apostrophe between them ('‘90s') opens nothing, in the look-ahead as in the walk
    decade = "‘We met at the Governors’ meeting in the ‘90s. It went well,’ Ann said."
    assert [decade[s:e] for s, e in find_quote_marks(decade)] == [
        "We met at the Governors’ meeting in the ‘90s. It went well"
    ]
    # nor is a mark inside a double-mark quotation the close still to come
    assert mask_marks("‘Ask the voters’ friends about “the parties’” views").startswith("“Ask the voters” friends")
    for text in (
        "“Her answer was, ‘Let’s help,’” Holm said.",  # nested inside double marks: stays
        "The Smiths' house and rock ’n’ roll in the ‘90s, Holm said.",  # apostrophes
        "‘Tis the season, Holm said, and nothing closes it\n\nThe end.",  # left open, the next paragraph unmarked
    ):
        assert mask_marks(text) == text


def test_a_docs_quote_marks_are_the_texts():
    """Candidate generation reads the quotations the Doc's masked text already holds (``quote_marks_of``), not a
    second pass over the text: the same spans as ``find_quote_marks``, whatever the marks, paragraphs and breaks."""
    nlp = spacy.blank("en")
    for text in (
        "“First paragraph of a long quote.\n“Second paragraph ends here.” he said. ”Reversed opener here.”",
        "''This isn't reform,'' said Ann Lee. ``Nor is it fair.'' The '90s were different.",
        "‘We won’t lose,’ Ann Lee said. ‘The “experts” are wrong.’\nShe said the party ‘will win’.",
        'He said "unclosed and gone\n\n"Open to the end',
        "",
    ):
        assert quote_marks_of(nlp(text)) == find_quote_marks(text)
    # a mark left open closes at its paragraph's end or the text's; an opening mark right before a break quotes
    # nothing
    assert quotation_spans('a "b\nc "d') == [(3, 4), (8, 9)]
    assert quotation_spans('a "\n"') == []
