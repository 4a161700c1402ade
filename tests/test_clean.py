from kremlin_quotes.corpus.clean import clean

PAGE = """Connect with us

World

Headline about a thing

Published

on

Headline about a thing

First paragraph, said the minister.
Read next: Something else entirely
“Second paragraph,” he added.
Top stories
Teaser one.
Partner news
---"""


def test_furniture_removed_with_rules():
    c = clean(PAGE)
    assert c.title == "Headline about a thing"
    assert c.text == "Headline about a thing\n\nFirst paragraph, said the minister.\n\n“Second paragraph,” he added."
    rules = {r.text: r.rule for r in c.removed}
    assert rules["Connect with us"] == "site-header"
    assert rules["Read next: Something else entirely"] == "read-next-link"
    assert rules["Teaser one."] == "top-stories-block"
    assert rules["---"] == "top-stories-block"
    assert [r.rule for r in c.removed].count("repeated-headline") == 1


def test_every_character_maps_back():
    c = clean(PAGE)
    for i, ch in enumerate(c.text):
        assert PAGE[c.source_offset(i)] == ch


def test_sentence_first_line_is_not_a_title():
    c = clean("The Kremlin said today it was ready.\n“Quote,” he said.")
    assert c.title is None
    assert c.paragraphs == [(0, 36), (38, 55)]


def test_empty_and_all_furniture():
    assert clean("").text == ""
    assert clean("Connect with us\n\nWorld\n").text == ""
