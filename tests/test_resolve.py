"""The speaker resolver on mention lists (no parse): which earlier mention a pronoun or description goes to."""

from kremlin_quotes.model.resolve import Mention, gender_of, name_of, person_names, resolve


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


def pronoun(start: int, word: str) -> Mention:
    return Mention(start=start, text=word, persons=(), head=word.lower())


def test_a_pronoun_skips_a_person_of_the_other_gender():
    # 'Ms.' says Patel is a woman, so the 'he' after her goes to the man named before her
    patel = Mention(start=100, text="Ms. Patel", persons=("Patel",), head="Patel")
    names = resolve([person(10, "James Okafor"), patel, pronoun(200, "he"), pronoun(300, "she")], [])
    assert names[2:] == ["James Okafor", "Patel"]
    # without a title nothing is known, and the latest person speaker wins as before
    names = resolve([person(10, "James Okafor"), person(100, "Priya Patel"), pronoun(200, "he")], [])
    assert names[2] == "Priya Patel"


def test_a_pronoun_resolved_to_a_person_tells_their_gender_to_later_ones():
    # 'He' goes to Okafor, the latest person speaker, and so makes him a man: the later 'she' passes him over for
    # Anna Berg, whom 'the spokeswoman' resolved to
    spokeswoman = Mention(start=10, text="the spokeswoman", persons=(), head="spokeswoman")
    names = resolve(
        [person(5, "Anna Berg"), spokeswoman, person(100, "James Okafor"), pronoun(200, "He"), pronoun(300, "she")],
        [],
    )
    assert names[1:] == ["Anna Berg", "James Okafor", "James Okafor", "Anna Berg"]


def test_what_the_text_says_of_a_gender_outweighs_one_pronoun():
    # two sentences say Clinton is 'she'; a wrong 'he' resolution cannot make her a man; one sentence is too little
    he, she = pronoun(200, "he"), pronoun(300, "she")
    votes = [(1, "Hillary Clinton", "f"), (2, "Clinton", "f")]
    mentions = [person(10, "Jeff Weaver"), person(100, "Hillary Clinton"), he, she]
    persons = [(10, "Jeff Weaver"), (100, "Hillary Clinton")]
    assert resolve(mentions, persons, votes)[2:] == ["Jeff Weaver", "Hillary Clinton"]
    assert resolve(mentions, persons, votes[:1])[2:] == ["Hillary Clinton", "Hillary Clinton"]  # 'he' not believed
    assert resolve(mentions, persons, [])[2:] == ["Hillary Clinton", "Jeff Weaver"]  # the 'he' made Clinton a man


def test_full_names_stay_apart_and_a_bare_surname_is_the_one_mentioned_most():
    persons = [(0, "Bill Clinton"), (10, "Hillary Clinton"), (20, "Hillary Clinton’s"), (30, "Bernie Sanders")]
    names = person_names(persons)
    assert [name_of(n, names) for n in ("Bill Clinton", "Hillary Clinton", "Clinton", "Sanders", "Sanders’")] == [
        "Bill Clinton", "Hillary Clinton", "Hillary Clinton", "Bernie Sanders", "Bernie Sanders"
    ]  # fmt: skip
    assert name_of("President Vladimir Putin", person_names([(0, "Vladimir Putin")])) == "Vladimir Putin"


def test_a_title_picks_the_person_of_its_gender_among_those_who_share_a_surname():
    # 'Mrs. Miller' spoke first, so 'Mr. Miller' is the other Miller, and the 'he' after him is him too
    mrs = Mention(start=50, text="Mrs. Miller", persons=("Miller",), head="Miller")
    mr = Mention(start=100, text="Mr. Miller", persons=("Miller",), head="Miller")
    persons = [(0, "Mary Miller"), (10, "John Miller"), (50, "Miller"), (100, "Miller")]
    assert resolve([mrs, mr, pronoun(200, "he")], persons) == ["Mary Miller", "John Miller", "John Miller"]


def test_the_gender_a_mention_states():
    said = {
        "Ms. Patel": "f", "Spokeswoman Haley Morris": "f", "the spokesman": "m", "he": "m", "her": "f",
        "Mr. Miller": "m", "Dmitry Peskov": "", "his aide": "", "the official": "",
    }  # fmt: skip
    heads = {"the spokesman": "spokesman", "he": "he", "her": "her", "his aide": "aide", "the official": "official"}
    assert {m: gender_of(m, heads.get(m, m.split()[-1].lower())) for m in said} == said


def test_a_pronoun_goes_to_the_subject_its_paragraph_named_since_the_last_speaker():
    # 'Sanders is touting his campaign’s work. He says …': Rubio spoke last, but Sanders, the subject of a sentence
    # in the pronoun's paragraph (which ends at 400) after Rubio's mention, is who 'He' is
    mentions = [person(10, "Marco Rubio"), pronoun(300, "He"), pronoun(500, "he")]
    persons = [(10, "Marco Rubio"), (250, "Bernie Sanders")]
    subjects = [(250, "Bernie Sanders", 400, "")]
    assert resolve(mentions, persons, (), subjects)[1:] == ["Bernie Sanders", "Bernie Sanders"]
    # the next paragraph's 'he' goes to the latest person speaker, which the first 'He' now is
    assert resolve(mentions, persons, (), [])[1:] == ["Marco Rubio", "Marco Rubio"]
    # a subject before the last speaker's mention, or in another paragraph, does not count
    assert resolve(mentions, persons, (), [(5, "Bernie Sanders", 400, ""), (250, "Bernie Sanders", 290, "")])[1] == (
        "Marco Rubio"
    )
    # nor one the pronoun's gender rules out
    ms = Mention(start=250, text="Ms. Sanders", persons=("Sanders",), head="Sanders")
    assert (
        resolve([person(10, "Marco Rubio"), ms, pronoun(300, "he")], persons, (), [(250, "Sanders", 400, "")])[2]
        == "Marco Rubio"
    )
    # or the subject's own title ('Ms. Sanders' as the subject, no speaker)
    he = [person(10, "Marco Rubio"), pronoun(300, "he")]
    assert resolve(he, persons, (), [(250, "Sanders", 400, "f")])[1] == "Marco Rubio"


def test_a_generational_suffix_keeps_father_and_son_apart_and_the_surname_found():
    # 'Harry B. Harris Jr.' is the 'Harris' of the article; 'Donald Trump Jr.' is not Donald J. Trump, and the
    # bare 'Trump' is the one mentioned most
    names = person_names([(0, "Harry B. Harris Jr."), (50, "Harris")])
    assert [name_of(n, names) for n in ("Harris", "Admiral Harris", "Harris Jr.")] == ["Harry B. Harris Jr."] * 3
    names = person_names(
        [(0, "Donald J. Trump"), (5, "Trump"), (9, "Donald Jr."), (10, "Donald Trump Jr."), (20, "Trump")]
    )
    assert [name_of(n, names) for n in ("Mr. Trump", "Donald Jr.", "Donald Trump Jr.", "Donald Trump")] == [
        "Donald J. Trump",
        "Donald Trump Jr.",
        "Donald Trump Jr.",
        "Donald J. Trump",
    ]
