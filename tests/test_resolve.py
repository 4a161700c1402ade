"""The speaker resolver on mention lists (no parse): which earlier mention a pronoun or description goes to."""

from kremlin_quotes.model.resolve import Mention, resolve


def person(start: int, name: str) -> Mention:
    return Mention(start=start, text=name, persons=(name,), head=name.split()[-1])


def test_a_pronoun_goes_to_the_latest_person_mentioned_before_it_in_the_order_resolved():
    # mentions come in attribution order, which need not be text order: the latest resolved one before the
    # pronoun wins, and a mention after it in the text never does
    he = Mention(start=200, text="he", persons=(), head="he")
    names = resolve([person(100, "Dmitry Peskov"), person(10, "Vladimir Putin"), person(300, "Anna Berg"), he], [])
    assert names == ["Dmitry Peskov", "Vladimir Putin", "Anna Berg", "Vladimir Putin"]


def test_a_role_description_goes_to_the_latest_person_with_that_role_noun():
    spokesman = Mention(start=50, text="Kremlin spokesman Dmitry Peskov", persons=("Dmitry Peskov",), head="Peskov")
    minister = Mention(start=120, text="Foreign Minister Sergei Lavrov", persons=("Sergei Lavrov",), head="Lavrov")
    the_spokesman = Mention(start=400, text="the spokesman", persons=(), head="spokesman")
    the_official = Mention(start=500, text="the official", persons=(), head="official")
    names = resolve([spokesman, minister, the_spokesman, the_official], [])
    assert names[2:] == ["Dmitry Peskov", "Dmitry Peskov"]  # 'spokesman' matches; 'official' takes the latest
