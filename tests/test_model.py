"""The shipped pipeline on hand-written news text, bad input, and random text (hypothesis)."""

import pytest
import srsly
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

import kremlin_quotes
from kremlin_quotes.annotation.validate import validate_files
from kremlin_quotes.core.labels import DIRECT, INDIRECT
from kremlin_quotes.model.candidates import transcript_candidates
from kremlin_quotes.model.classifier import featurize
from kremlin_quotes.model.decide import conform_extent, keep_features, speaker_options
from kremlin_quotes.model.generate import generate
from kremlin_quotes.model.linear import Linear
from kremlin_quotes.model.predict import predict_records
from kremlin_quotes.model.resolve import entity_index, gender_votes, subject_names


@pytest.fixture(scope="module")
def nlp():
    return kremlin_quotes.load()


def attrs(nlp, text):
    doc = nlp(text)
    return [
        ({doc.text[s:e] for s, e in a["content"]}, a["label"], doc.text[slice(*a["speaker"])], a["canonical"])
        for a in doc._.attributions
    ]


def canonical_by_mention(nlp, text):
    return {text[slice(*a["speaker"])]: a["canonical"] for a in nlp(text)._.attributions}


def test_direct_quote_with_speaker_and_pronoun_resolution(nlp):
    text = (
        "Finance Minister Anna Berg said on Monday that the budget would be balanced by 2027.\n\n"
        '"We will not raise taxes this year," she told reporters.'
    )
    out = attrs(nlp, text)
    assert (
        {"the budget would be balanced by 2027"},
        "INDIRECT_QUOTE",
        "Finance Minister Anna Berg",
        "Anna Berg",
    ) in out
    assert ({"We will not raise taxes this year"}, "DIRECT_QUOTE", "she", "Anna Berg") in out


def test_quotes_next_to_their_cue(nlp):
    """Constructions the parse gets wrong: the cue next to the quotation decides (all text written for the test)."""
    text = (
        "“The harbour will reopen. Not next year, this spring,” said Lena Holm, the port director.\n\n"
        "He said:\n\n“We have a plan and we will keep to it.”\n\n"
        "“Ships are waiting,” Holm said, adding later, “and every week costs money.”\n\n"
        "“It is not about the budget,” she said.\n\nShe continued, “It is about trust.”"
    )
    doc = nlp(text)
    found = {
        doc.text[s:e]: (doc.text[slice(*a["speaker"])], doc.text[slice(*a["cue"])] if a["cue"] else None)
        for a in doc._.attributions
        for s, e in a["content"]
    }
    assert found["The harbour will reopen. Not next year, this spring"] == ("Lena Holm", "said")
    assert found["We have a plan and we will keep to it."] == ("He", "said")
    assert found["Ships are waiting"] == ("Holm", "said")
    # the learned extent decides how much of 'adding later, “…”' is the quote; its cue is 'adding', its speaker Holm.
    # Whether it is kept is the learned keep decision's call (the shipped model scores it near its threshold), so
    # the candidate is checked as the decisions shape it, before the threshold
    comp = nlp.get_pipe("quote_attributor")
    decided = [comp.decided(doc, p) for p in comp.propose(doc)]
    (adding,) = [c for c in decided if c is not None and "every week costs money" in text[c.start : c.end]]
    assert (text[slice(*adding.speaker)], text[slice(*adding.cue)]) == ("Holm", "adding")
    assert found["It is not about the budget"] == ("she", "said")
    # the final full stop inside the marks belongs to the quote (guidelines §2.2), whichever extent was chosen
    assert found["It is about trust."] == ("She", "continued")
    # a quotation continued after an inverted attribution goes to the same speaker
    doc = nlp('"Prices are high," said Tim Hess, a developer. "But people still buy, and they will."')
    spk = {doc.text[s:e]: doc.text[slice(*a["speaker"])] for a in doc._.attributions for s, e in a["content"]}
    assert spk["But people still buy, and they will."] == "Tim Hess"


def test_a_quotation_ending_in_a_nested_quotation_keeps_its_adjacent_cue(nlp):
    """'“… ‘Let’s see?’” Holm said': the question or comma that glues the cue to the quotation sits
    before the nested closing mark; the cue is still the adjacent verb, not the previous paragraph's speaker."""
    for text in (
        "The mayor spoke on Monday.\n\n“Her answer has been, ‘Let’s see what is going on?’” Holm said on Monday.",
        "The mayor spoke on Monday.\n\n“Her answer has been, ‘Let’s help,’” Holm said on Monday.",
    ):
        (a,) = nlp(text)._.attributions
        assert (text[slice(*a["speaker"])], text[slice(*a["cue"])], a["label"]) == ("Holm", "said", "DIRECT_QUOTE")


def test_transcripts_noun_cues_and_coordinated_reports(nlp):
    """More constructions of news text (written for the test)."""
    text = (
        "HOST: Welcome back to the programme. What did the council decide?\n\n"
        "HOLM: We decided to build the bridge, and we will.\n\n"
        "UPDATE: This story has been corrected.\n\n"
        "The mayor's claim that the bridge is “completely safe” was disputed.\n\n"
        "Holm said the bridge would open in May and warned that tolls could rise."
    )
    with nlp.select_pipes(disable=["quote_attributor"]):
        parsed = nlp(text)
    turns = {text[c.start : c.end]: text[slice(*c.speaker)] for c in transcript_candidates(parsed)}
    # every turn is a candidate; whether a turn is an attribution is the learned keep decision's (PolNeAR rarely
    # annotates a host's greeting and question, so the shipped model may drop that one)
    assert turns == {
        "Welcome back to the programme. What did the council decide?": "HOST",
        "We decided to build the bridge, and we will.": "HOLM",
    }
    doc = nlp(text)
    found = {doc.text[s:e]: doc.text[slice(*a["speaker"])] for a in doc._.attributions for s, e in a["content"]}
    assert found["We decided to build the bridge, and we will."] == "HOLM"
    assert not any(doc.text[slice(*a["speaker"])] == "UPDATE" for a in doc._.attributions)
    assert found["the bridge is “completely safe”"] == "The mayor"
    assert found["the bridge would open in May"] == "Holm"
    assert found["tolls could rise"] == "Holm"
    doc = nlp("Lenox was a giant, Mr. Clarke said, until it went bankrupt. The union called for a strike.")
    found = {doc.text[s:e]: doc.text[slice(*a["speaker"])] for a in doc._.attributions for s, e in a["content"]}
    assert found["Lenox was a giant"] == found["until it went bankrupt"] == "Mr. Clarke"  # the cue interrupts
    assert found["a strike"] == "The union"


def test_interview_turns_are_candidates(nlp):
    """'Q:' and 'A:' open the turns of a printed interview; other single capitals ('B: …') do not."""
    text = "Q: Where did the money go?\n\nA: Into the new school, all of it.\n\nB: a footnote, not a speaker."
    with nlp.select_pipes(disable=["quote_attributor"]):
        doc = nlp(text)
    found = {doc.text[c.start : c.end]: doc.text[slice(*c.speaker)] for c in transcript_candidates(doc)}
    assert found == {"Where did the money go?": "Q", "Into the new school, all of it.": "A"}


def test_any_verb_glued_to_a_quotation_is_a_candidate(nlp):
    """A verb outside the cue lexicon right after '“…?”' or before 'X went on: “…”' proposes its subject."""
    text = (
        "Mayor Lena Ortiz said the budget was tight.\n\n"
        "“Will the bridge open in June?” a council member wondered aloud.\n\n"
        "She went on: “We will finish the bridge before winter, whatever it costs.”\n\n"
        "The so-called “tax reform for working families,” which passed in May, cut taxes."
    )
    doc = nlp(text)
    found = {(c.kind, c.cue_lemma, text[slice(*c.speaker)]) for c in generate(doc) if c.speaker}
    assert ("adjacent_verb", "wonder", "a council member") in found
    assert ("adjacent_verb", "go", "She") in found
    assert not any(speaker == "which" for *_, speaker in found)  # a relative clause after a scare quote
    assert ({"Will the bridge open in June?"}, "DIRECT_QUOTE", "a council member") in [a[:3] for a in attrs(nlp, text)]


def test_a_cue_between_commas_mid_sentence_heads_a_parenthetical(nlp):
    """'…, people close to the mayor said, the plan …': the cue's own trailing comma does not hide the clause."""
    text = "At times last year, people close to the mayor said, the mere mention of the bridge could make her fume."
    doc = nlp(text)
    heads = [c for c in generate(doc) if c.kind == "head"]
    assert [text[slice(*c.speaker)] for c in heads] == ["people close to the mayor"]
    contents = [" ".join(text[s:e] for s, e in c.content) for c in heads]
    assert any("the mere mention of the bridge could make her fume" in content for content in contents)


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "As Mayor Lena Ortiz said on Friday, the council approved the bridge repairs.",
            "the council approved the bridge repairs",
            "Mayor Lena Ortiz",
        ),
        (
            "As reported by the Harbour Gazette, the council approved the bridge repairs.",
            "the council approved the bridge repairs",
            "the Harbour Gazette",
        ),
        (
            "The bridge will reopen next year, as the mayor said on Friday.",
            "The bridge will reopen next year",
            "the mayor",
        ),
    ],
)
def test_a_cue_clause_opened_by_as_heads_its_content(nlp, text, content, speaker):
    """'As X reported, <content>' and '<content>, as X said': the clause around 'as' is the cue and its speaker, the
    rest of the sentence the content (before, the rest of the sentence after the verb: 'on Friday', 'As … by')."""
    doc = nlp(text)
    found = [(" ".join(text[s:e] for s, e in c.content), text[slice(*c.speaker)]) for c in generate(doc) if c.speaker]
    assert (content, speaker) in found


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "The ferry workers called on the city council to cut the fees.",
            "the city council to cut the fees",
            "The ferry workers",
        ),
        ("Residents began calling for the harbour master to resign.", "the harbour master to resign", "Residents"),
        ("The union called for a strike on the ferries.", "a strike on the ferries", "The union"),
    ],
)
def test_what_is_called_for_is_the_content(nlp, text, content, speaker):
    """'called on X to Y' asks X, so X belongs to the content; 'calling for X to Y' reports 'X to Y', without the
    'for' (before, 'to Y' alone, and the rest of the sentence after the verb)."""
    doc = nlp(text)
    found = [(" ".join(text[s:e] for s, e in c.content), text[slice(*c.speaker)]) for c in generate(doc) if c.speaker]
    assert (content, speaker) in found


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        (
            "The bridge will reopen before the winter, the mayor was quoted as saying on Friday.",
            "The bridge will reopen before the winter",
            "the mayor",
            "was quoted as saying",
        ),
        (
            "The mayor was quoted as saying that the bridge would reopen before the winter.",
            "the bridge would reopen before the winter",
            "The mayor",
            "was quoted as saying",
        ),
        (
            "The local paper quoted the mayor as saying the bridge would reopen.",
            "the bridge would reopen",
            "the mayor",
            "saying",
        ),
        (
            "Ann Lee spoke on Monday. The Gazette quoted her as saying the bridge would reopen.",
            "the bridge would reopen",
            "her",
            "saying",
        ),
        (
            "The mayor was quoted by the Gazette as saying that the bridge would reopen.",
            "the bridge would reopen",
            "The mayor",
            "saying",
        ),
    ],
)
def test_quoted_as_saying_is_said_by_the_one_quoted(nlp, text, content, speaker, cue):
    """'X was quoted as saying' / 'the paper quoted X as saying' is one cue whose verb is 'say' (the wires' way of
    writing 'X said'), spoken by X whichever way the parser hangs it; the paper only relays it, so it is no speaker
    option (guidelines H6; text written for the test)."""
    with nlp.select_pipes(disable=["quote_attributor"]):
        doc = nlp(text)
    (cand,) = [c for c in generate(doc) if " ".join(text[s:e] for s, e in c.content) == content]
    assert (cand.cue_lemma, text[slice(*cand.cue)], text[slice(*cand.speaker)]) == ("say", cue, speaker)
    assert cand.kind == "ccomp"
    opts = {text[slice(*o.span)]: o.feats for o in speaker_options(doc, cand, None, 8)}
    assert "dep=nsubj" in opts[speaker] and opts[speaker]["head_is_cue"] == 1.0  # the subject of 'saying'
    assert not any(paper in opts for paper in ("The local paper", "The Gazette", "the Gazette"))  # it only relays
    assert not any(f.get("head_is_cue") for m, f in opts.items() if m != speaker)
    # and the shipped model gives the quote to the one quoted (guidelines H6), not to the paper
    assert [a[2] for a in attrs(nlp, text) if content in a[0]] == [speaker]


def test_the_wires_relaying_peskov_resolve_to_peskov(nlp):
    """'Interfax quoted Peskov as saying …', the wires' way of reporting what the spokesman said, resolves to his
    registry entry, not to the agency's (guidelines H6; text written for the test)."""
    texts = [
        "Interfax quoted Kremlin spokesman Dmitry Peskov as saying that the talks were useful.",
        "Peskov spoke on Monday. TASS quoted him as saying that the talks were useful.",
    ]
    for text in texts:
        (a,) = [a for a in nlp(text)._.attributions if text[slice(*a["content"][0])] == "the talks were useful"]
        assert a["entity"] == "dmitry_peskov", (text, a)


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        ("The minister ended the meeting by saying that the budget would be balanced.", "saying", "The minister"),
        ("Ann Lee drew boos from the crowd upon saying that the plan was dead.", "saying", "Ann Lee"),
    ],
)
def test_a_participle_after_a_preposition_is_said_by_the_subject(nlp, text, cue, speaker):
    """A participle after a preposition ('ended … by saying') reports what the subject of the verb it modifies said;
    'refrained from commenting' reports nothing (text written for the test)."""
    with nlp.select_pipes(disable=["quote_attributor"]):
        doc = nlp(text)
        (cand,) = [c for c in generate(doc) if c.cue and text[slice(*c.cue)] == cue]
        assert cand.speaker is not None and text[slice(*cand.speaker)] == speaker
        unsaid = "In the same context, the minister refrained from commenting on a possible role of the council."
        assert not [c for c in generate(nlp(unsaid)) if c.speaker is not None]


def test_a_quotation_the_parser_hung_under_a_later_cue_stays_content(nlp):
    """'<clause> – either … or through “…,” X was quoted as saying': where the parser hangs the words before the cue
    clause (a quotation among them) under the cue verb, they are still the content, as they are after 'said'
    (a parse built by hand, as the base pipeline gave it for a seed sentence; the words are written for the test)."""
    parse = """The det 1 DET the|league nsubj 3 NOUN league|will aux 3 AUX will|finish ROOT 3 VERB finish|the det 5 DET
    the|season dobj 3 NOUN season|– punct 3 PUNCT –|either preconj 8 CCONJ either|in prep 22 ADP in|the det 10 DET
    the|stadiums pobj 8 NOUN stadium|or cc 8 CCONJ or|through conj 8 ADP through|“ punct 16 PUNCT “|other amod 16 ADJ
    other|available amod 16 ADJ available|venues pobj 12 NOUN venue|, punct 22 PUNCT ,|” punct 22 PUNCT ”|its poss 20
    PRON its|president nsubjpass 22 NOUN president|was auxpass 22 AUX be|quoted conj 3 VERB quote|as prep 22 ADP
    as|saying pcomp 23 VERB say|. punct 22 PUNCT ."""
    rows = [(w, d, int(h), p, lem) for w, d, h, p, lem in (t.split() for t in parse.split("|"))]
    words = [r[0] for r in rows]
    spaces = [not (i + 1 < len(words) and words[i + 1] in {",", ".", "”"}) and w != "“" for i, w in enumerate(words)]
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        heads=[r[2] for r in rows],
        deps=[r[1] for r in rows],
        pos=[r[3] for r in rows],
        lemmas=[r[4] for r in rows],
    )
    text = doc.text
    (cand,) = [c for c in generate(doc) if c.cue and text[slice(*c.cue)] == "was quoted as saying"]
    content = " ".join(text[s:e] for s, e in cand.content)
    assert content.startswith("The league will finish the season")
    assert "through “other available venues" in content
    assert text[slice(*cand.speaker)] == "its president"


def test_a_clause_run_back_past_the_colon_before_a_quotation_is_cut_to_it(nlp):
    """'…: “Q,” she said': the parse hangs the whole sentence under 'said'; the quotation the colon opens is the
    content, not the narration before it (text written for the test)."""
    text = (
        "On Monday the minister took questions about the budget in a long session with reporters: "
        "“We will not raise taxes this year,” she said."
    )
    with nlp.select_pipes(disable=["quote_attributor"]):
        doc = nlp(text)
    (said,) = [c for c in generate(doc) if c.cue and text[slice(*c.cue)] == "said"]
    assert [text[s:e] for s, e in said.content] == ["We will not raise taxes this year"]
    assert said.label == DIRECT


def test_speech_reported_inside_a_quotation_does_not_claim_it(nlp):
    """A cue verb inside the quoted words ('… the secretary tells schools …') belongs to the quotation, whose
    speaker is named after it."""
    text = (
        "The senator spoke in Seattle.\n\n“Today we have a system where the secretary tells schools they will lose "
        "federal money. That is not a good education for anyone,” Alder said."
    )
    doc = nlp(text)
    assert "the secretary" not in {text[slice(*c.speaker)] for c in generate(doc) if c.speaker}
    assert [(speaker, label) for _, label, speaker, _ in attrs(nlp, text)] == [("Alder", "DIRECT_QUOTE")]


def test_extent_variants_that_run_into_another_report_are_marked(nlp):
    """The extent decision sees which variants swallow another attribution's cue ('…, and more than four in ten
    said …'), and the shipped model picks the one that stops before it."""
    text = (
        "Three-quarters of the voters said they were worried about the economy, and more than four in ten said the "
        "mayor would be best at handling it."
    )
    doc = nlp(text)
    comp = nlp.get_pipe("quote_attributor")
    first = next(p for p in comp.propose(doc) if text[slice(*p.cand.speaker)] == "Three-quarters of the voters")
    marked = {
        " ".join(text[s:e] for s, e in v): f.get("swallows_cue", 0.0)
        for v, f in zip(first.variants, first.variant_feats, strict=True)
    }
    assert marked["they were worried about the economy"] == 0.0
    assert 1.0 in marked.values()
    contents = [" ".join(text[s:e] for s, e in a["content"]) for a in doc._.attributions]
    assert "they were worried about the economy" in contents


def test_speaker_options_inside_another_report_are_marked(nlp):
    """A mention inside what another candidate reports ('He says [the obvious response was …]') is said, not
    saying: the speaker ranker sees that for the second report of the same sentence."""
    text = "He says the obvious response was to break up the big banks and says he introduced legislation to do that."
    doc = nlp(text)
    comp = nlp.get_pipe("quote_attributor")
    (second,) = [p for p in comp.propose(doc) if p.cand.cue and p.cand.cue[0] == text.rindex("says")]
    marked = {text[slice(*o.span)]: o.feats.get("in_other_content", 0.0) for o in second.options}
    assert marked["the obvious response"] == 1.0 and marked["He"] == 0.0
    speakers = {text[slice(*a["content"][0])]: text[slice(*a["speaker"])] for a in doc._.attributions}
    assert speakers["he introduced legislation to do that"] == "He"


# '“A,” she said, noting B. “C.”': C belongs with A, as PolNeAR's annotators join it
NOTING = (
    "“That is the big question,” Ann Lee said, noting she would back any of the candidates. "
    "“We have a deep bench here.”"
)
NOTING_CUES = {
    "That is the big question": "said",
    "she would back any of the candidates": "noting",
    "We have a deep bench here.": "said",
}


def quoted_by(doc, quotation: str) -> list[tuple[str, str | None, str | None]]:
    """(kind, speaker, cue) of every candidate whose content is exactly ``quotation``."""
    text = doc.text
    return [
        (c.kind, text[slice(*c.speaker)] if c.speaker else None, text[slice(*c.cue)] if c.cue else None)
        for c in generate(doc)
        if [text[s:e] for s, e in c.content] == [quotation]
    ]


def test_a_bare_attribution_after_a_full_stop_names_the_quotation_before_it(nlp):
    """'“….” Jones said.': a sentence that reports nothing else attributes the quotation it follows; before, the
    quotation continued the previous report and went to its speaker (Smith). A following sentence that reports its
    own clause does not take the quotation."""
    doc = nlp('Smith praised the plan. "It is a good plan." Jones said. "We will vote for it."')
    assert quoted_by(doc, "It is a good plan.") == [("adjacent", "Jones", "said")]
    doc = nlp('Smith praised the plan. "It is a good plan." Jones said on Tuesday in a statement.')
    assert quoted_by(doc, "It is a good plan.") == [("adjacent", "Jones", "said")]
    doc = nlp('Smith praised the plan. "It is a good plan." He said the vote was close.')
    assert ("adjacent", "He", "said") not in quoted_by(doc, "It is a good plan.")


def test_a_pull_quote_names_its_speaker_after_a_dash(nlp):
    """'“…” ― Jane Doe', also with '--' typed for the dash, or on the next line ('“…”\n\n- President Obama,
    tweeting …'); a dash line that holds more than a name (a list item, a heading) names no one."""
    doc = nlp('Clinton spoke on Monday.\n\n"Great speech. She is tested."\n\n- President Obama, tweeting after it.')
    assert quoted_by(doc, "Great speech. She is tested.") == [("adjacent", "President Obama", "-")]
    doc = nlp('Smith praised the plan.\n\n"It is a good plan." -- Jones')
    assert quoted_by(doc, "It is a good plan.") == [("adjacent", "Jones", "--")]
    doc = nlp('The plan has three parts:\n\n"We will act fast."\n\n— Reduce regulations on small businesses.')
    assert all(kind != "adjacent" or cue != "—" for kind, _, cue in quoted_by(doc, "We will act fast."))


def test_a_name_before_the_colon_of_a_quotation_is_its_speaker(nlp):
    """'Carl Bialik: “…”' in running text: a proper name that opens its line or sentence and stands alone before
    the colon names the quotation (before, it continued the previous speaker's quotation). A verb before the colon
    still decides ('He said: “…”'); words that hold no proper name ('Rule One:') name no one."""
    doc = nlp(
        "Polls disagree on the race.\n\n"
        'Carl Bialik: "One of the biggest lessons was a simple one."\n\n'
        'Pew Research: "All the samples include more engaged people."\n\n'
        'The rules are clear. Rule One: "Never give up."'
    )
    assert quoted_by(doc, "One of the biggest lessons was a simple one.") == [("adjacent", "Carl Bialik", ":")]
    assert quoted_by(doc, "All the samples include more engaged people.") == [("adjacent", "Pew Research", ":")]
    assert all(kind != "adjacent" for kind, _, _ in quoted_by(doc, "Never give up."))
    doc = nlp('Polls disagree on the race. He said: "We will win."')
    assert [(speaker, cue) for _, speaker, cue in quoted_by(doc, "We will win.")] == [("He", "said")]


def test_a_short_quotation_that_is_a_sentence_of_its_own_is_a_candidate(nlp):
    """Quotations under four words were dropped as scare quotes or names; one that is a sentence of its own
    ('“We’re hopeful.”' after a quotation) is speech, and continues its paragraph's quotation."""
    doc = nlp('"We have said it many times," he said. "Nobody listens."')
    assert quoted_by(doc, "Nobody listens.") == [("continuation", "he", "said")]
    for text, quotation in (
        ('They held signs reading "Dump Trump" and left.', "Dump Trump"),
        ('He called it a "good deal." Critics disagreed.', "good deal."),
    ):
        assert quoted_by(nlp(text), quotation) == []


def test_the_object_of_a_preposition_after_a_reporting_verb_is_a_candidate(nlp):
    """'warned against hasty decisions', 'spoke of a crisis': a reporting verb with no clause or object of its own
    reports the object of its preposition (before, the candidate was the rest of the sentence, 'against hasty
    decisions on Tuesday'). The preposition is a feature, so the keep decision learns 'talked about X' apart from
    'spoke to X'; a date is never the object ('spoke in Moscow on Tuesday' keeps the old candidate), nor is what a
    verb framing another report is about ('responded to the idea, saying …', guidelines H4)."""
    doc = nlp("The minister warned against hasty decisions on Tuesday.")
    assert quoted_by(doc, "hasty decisions") == [("prep", "The minister", "warned")]
    assert quoted_by(nlp("Peskov spoke of a crisis."), "a crisis") == [("prep", "Peskov", "spoke")]
    (cand,) = [c for c in generate(doc) if c.kind == "prep"]
    feats = featurize(doc, cand)
    assert feats["prep=against"] == feats["cue=warn|prep=against"] == 1.0
    # the preposition is the one the rule found, not the token before the content: here a quote mark
    doc = nlp("The minister warned against “hasty decisions” on Tuesday.")
    (cand,) = [c for c in generate(doc) if c.kind == "prep"]
    assert {k for k in featurize(doc, cand) if k.startswith("prep=")} == {"prep=against"}
    assert not [c for c in generate(nlp("Peskov spoke in Moscow on Tuesday.")) if c.kind == "prep"]
    # guidelines H4: a verb that frames another report introduces its topic, not what was said
    for text in (
        "The Kremlin spokesman responded to the US idea, saying it was premature.",
        "Commenting on the US proposal, Peskov said it was premature.",
    ):
        assert not [c for c in generate(nlp(text)) if c.kind == "prep"], text


def cues_of(doc) -> dict[str, str]:
    """Each attribution's first content segment -> its cue, as text."""
    text = doc.text
    return {text[slice(*a["content"][0])]: text[slice(*a["cue"])] for a in doc._.attributions}


def test_a_quotation_continues_the_direct_quotation_of_its_paragraph(nlp):
    """A quotation with no cue of its own continues the direct quotation earlier in its paragraph, not a reported
    clause in between."""
    doc = nlp(NOTING)
    (cont,) = [c for c in generate(doc) if c.kind == "continuation"]
    assert NOTING[slice(*cont.content[0])] == "We have a deep bench here." and NOTING[slice(*cont.cue)] == "said"
    assert cues_of(doc) == NOTING_CUES


def test_the_join_never_moves_a_continuation_to_a_later_attribution(nlp):
    """The join decides whether an attribution continues the one before it; one that already continues an
    utterance begun earlier ('“A,” she said, noting B. “C.”': C is A's) is not moved to B, even by a join model
    that says yes to every reported clause followed by a quotation."""
    comp = nlp.get_pipe("quote_attributor")
    join = comp.decisions.join
    comp.decisions.join = Linear({"bias": -30.0, "kinds=ccomp>continuation": 60.0})
    try:
        doc = nlp(NOTING)
    finally:
        comp.decisions.join = join
    assert cues_of(doc) == NOTING_CUES


def test_extent_variants_that_hold_their_own_speaker_are_marked(nlp):
    """A content never holds its own speaker: the extent decision sees which variants do ('[Ann Lee, an economist,
    “and nobody …]'), and the shipped model picks the quotation alone."""
    text = '"The economy is slowing," said Ann Lee, an economist at the bank, "and nobody wants to admit it."'
    doc = nlp(text)
    comp = nlp.get_pipe("quote_attributor")
    (second,) = [p for p in comp.propose(doc) if p.cand.kind == "continuation"]
    marked = {
        " ".join(text[s:e] for s, e in v): f.get("holds_own_speaker", 0.0)
        for v, f in zip(second.variants, second.variant_feats, strict=True)
    }
    assert marked["and nobody wants to admit it."] == 0.0
    assert 1.0 in marked.values(), marked
    contents = {" ".join(text[s:e] for s, e in a["content"]) for a in doc._.attributions}
    assert contents == {"The economy is slowing", "and nobody wants to admit it."}


def test_according_to_and_headline(nlp):
    text = "Berg: Budget will be balanced\n\nAccording to the ministry, revenue rose by 4% in March."
    out = attrs(nlp, text)
    assert ({"Budget will be balanced"}, "INDIRECT_QUOTE", "Berg", "Berg") in out
    assert any(c == {"revenue rose by 4% in March"} and s == "the ministry" for c, _, s, _ in out)


def test_british_quotations_are_direct_and_continued(nlp):
    text = "‘We won’t lose,’ Ann Lee said on Monday. ‘The polls are wrong.’"
    out = attrs(nlp, text)
    assert ({"We won’t lose"}, "DIRECT_QUOTE", "Ann Lee", "Ann Lee") in out
    assert any(c == {"The polls are wrong."} and s == "Ann Lee" for c, _, s, _ in out), out


def test_every_decision_reads_quote_marks_of_every_convention(nlp):
    """The same quotation in double, British single and the wires' two-character marks gives the keep and speaker
    decisions the same features (their mark features once read double marks only, so a British quotation looked
    unquoted to the keep decision)."""
    comp = nlp.get_pipe("quote_attributor")
    texts = [
        "The judge refused to stop them. “This is a big political win for me,” I said. And the system worked.",
        "The judge refused to stop them. ‘This is a big political win for me,’ I said. And the system worked.",
        "The judge refused to stop them. ''This is a big political win for me,'' I said. And the system worked.",
    ]
    seen = []
    for text in texts:
        with nlp.select_pipes(disable=["quote_attributor"]):
            doc = nlp(text)
        (p,) = [p for p in comp.propose(doc) if "political win" in text[p.cand.start : p.cand.end]]
        keep = keep_features(doc, p.cand, p.variants[0], p.options[0], p.cand.features)
        seen.append(({k: v for k, v in keep.items() if "marks" in k}, [o.feats["in_marks"] for o in p.options]))
    assert any("marks=True" in k for k in seen[0][0]) and seen[1] == seen[0] and seen[2] == seen[0], seen


def test_the_keep_decision_sees_the_cue_role_and_form(nlp):
    """'He said the plan works' and 'He declined to say whether the plan works' are the same construction found at
    the same verb, but only the first is a report: the keep decision sees the cue's dependency and tag."""
    comp = nlp.get_pipe("quote_attributor")
    seen = {}
    for text in ("He said the plan works.", "He declined to say whether the plan works."):
        with nlp.select_pipes(disable=["quote_attributor"]):
            doc = nlp(text)
        (p,) = [p for p in comp.propose(doc) if "plan works" in text[p.cand.start : p.cand.end]]
        keep = keep_features(doc, p.cand, p.variants[0], p.options[0] if p.options else None, p.cand.features)
        seen[text] = {k for k in keep if k.startswith(("cue_dep=", "cue_tag="))}
    assert seen["He said the plan works."] == {"cue_dep=ROOT", "cue_tag=VBD"}, seen
    assert seen["He declined to say whether the plan works."] == {"cue_dep=xcomp", "cue_tag=VB"}, seen


def test_two_character_quote_marks_are_attributed(nlp):
    text = "''This isn't tax reform,'' said Ann Lee, an economist. ''It's more tinkering at the edges.''"
    out = attrs(nlp, text)
    assert ({"This isn't tax reform"}, "DIRECT_QUOTE", "Ann Lee", "Ann Lee") in out
    assert any(c == {"It's more tinkering at the edges."} and s == "Ann Lee" for c, _, s, _ in out), out


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        '"',
        "“ ” “",
        "no punctuation at all just words said he",
        "Он сказал: «Это неправда».",
        '"a" "b" "c',
        "x" * 5000,
    ],
)
def test_odd_text_never_crashes(nlp, text):
    doc = nlp(text)
    for a in doc._.attributions:
        for s, e in [*a["content"], a["speaker"], *([a["cue"]] if a["cue"] else [])]:
            assert 0 <= s < e <= len(text)
    if not any(c in text for c in '"“”«»:') or len(text.split()) < 3:
        assert doc._.attributions == []  # nothing quote-like: nothing invented


def test_huge_document_goes_window_by_window(nlp, monkeypatch):
    from kremlin_quotes.model import windows

    monkeypatch.setattr(windows, "WINDOW_CHARS", 2_000)  # the real window is 20 kB; same code path, faster test
    para = 'The mayor said the bridge would reopen. "It is safe," she added.\n'
    text = para * 300
    assert len(windows.cut_points(text, windows.WINDOW_CHARS)) > 5
    task = next(predict_records(nlp, [{"id": "big", "text": text}], progress=False))
    quotes = [s for s in task["spans"] if s["label"].endswith("_QUOTE")]
    assert len(quotes) >= 300
    assert all(text[s["start"] : s["end"]] == s["text"] for s in quotes)


def test_predict_output_validates(nlp, root, tmp_path, corpus_docs):
    records = [{"id": d["id"], "text": d["text"]} for d in corpus_docs]
    out = tmp_path / "pred.jsonl"
    srsly.write_jsonl(out, predict_records(nlp, records, progress=False))
    problems, n = validate_files([out], root / "annotations", unreviewed_ok=True)
    assert n == len(corpus_docs) and problems == []
    assert all("answer" not in t and t["meta"]["reviewed"] is False for t in srsly.read_jsonl(out))
    assert [t["meta"]["id"] for t in srsly.read_jsonl(out)] == [d["id"] for d in corpus_docs]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('ab said "“”«»:,.\n–Peskov he told')), max_size=200))
def test_random_text_gives_consistent_spans(nlp, text):
    task = next(predict_records(nlp, [{"text": text}], progress=False))
    keys = {(s["start"], s["end"], s["label"]) for s in task["spans"]}
    for s in task["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(text) and text[s["start"] : s["end"]] == s["text"]
    for r in task["relations"]:
        for end in ("head_span", "child_span"):
            assert (r[end]["start"], r[end]["end"], r[end]["label"]) in keys


def test_pronouns_and_role_descriptions_go_to_the_last_person(nlp):
    text = (
        "Finance Minister Anna Berg said the budget would be balanced.\n\n"
        "The Treasury Department said the forecast was cautious.\n\n"
        "“We will not raise taxes,” she told reporters.\n\n"
        "The official added that spending would fall."
    )
    canon = canonical_by_mention(nlp, text)
    assert canon["she"] == "Anna Berg" and canon["The official"] == "Anna Berg"


def test_an_indefinite_description_is_someone_new(nlp):
    """'a spokesman for the opposition' after Anna Berg spoke is not Anna Berg, as 'the spokesman' would be."""
    text = (
        "Finance Minister Anna Berg said the budget would be balanced.\n\n"
        "A spokesman for the opposition said the forecast was a fantasy.\n\n"
        "The minister added that spending would fall."
    )
    canon = canonical_by_mention(nlp, text)
    assert canon["A spokesman for the opposition"] == "spokesman for the opposition"  # the description, whole
    assert canon["The minister"] == "Anna Berg"  # a definite description still goes back


def test_a_relative_pronoun_goes_to_its_antecedent(nlp):
    """'X, who said …': the parse's antecedent, not the last person who spoke (text written for the test)."""
    text = (
        "Foreign Minister Sergey Lavrov said the talks would go on.\n\n"
        "Education Minister Sergey Kravtsov, who said the report was false, left early."
    )
    canon = canonical_by_mention(nlp, text)
    assert canon["Foreign Minister Sergey Lavrov"] == "Sergey Lavrov"
    assert canon["who"] == "Sergey Kravtsov"  # the most recent person speaker would be Lavrov


def test_a_name_with_particles_is_canonical_whole_where_the_entity_stops_short(nlp):
    """The small pipeline tags 'Anneke van' and 'Heuvel' as two people: the canonical name is the whole name, for
    the full mention and for the surname alone (text written for the test)."""
    text = (
        "Port director Anneke van den Heuvel said the ships were waiting.\n\n"
        "Van den Heuvel added that the port was full."
    )
    assert "Anneke van den Heuvel" not in [e.text for e in nlp(text).ents]  # what the name rule is for
    canon = canonical_by_mention(nlp, text)
    assert canon == {"Port director Anneke van den Heuvel": "Anneke van den Heuvel",
                     "Van den Heuvel": "Anneke van den Heuvel"}  # fmt: skip


def test_pronouns_agree_in_gender_with_what_the_text_says(nlp):
    """'He' after a woman spoke is the man named since; her later 'she' is her again (text written for the test)."""
    text = (
        "Ms. Patel, who has run the clinic since 2009, said she had never seen so many patients.\n\n"
        "Her colleague, Dr. James Okafor, agreed. He said the staff were exhausted.\n\n"
        'Patel was skeptical. "They have been saying that for years," she said.'
    )
    names = [a["canonical"] for a in nlp(text)._.attributions]
    assert names == ["Patel", "James Okafor", "Patel"]


def test_a_name_in_apposition_to_a_role_is_a_person_where_the_pipeline_says_not(nlp):
    """The small pipeline tags 'Freddy Escobar' an organisation: as the union president's name it is still who
    speaks, and the bare surname and the pronoun after it are him (text written for the test)."""
    text = (
        "The mayor, Karen Bass, defended the budget.\n\n"
        'The firefighters\' union president, Freddy Escobar, called the cuts "a recipe for disaster."\n\n'
        'Escobar said his members had warned City Hall for years. "Nobody listened," he said.'
    )
    doc = nlp(text)
    assert ("Freddy Escobar", "PERSON") not in [(e.text, e.label_) for e in doc.ents]  # what the rule is for
    assert [a["canonical"] for a in doc._.attributions] == ["Freddy Escobar"] * 3


def test_a_pronoun_goes_to_the_person_its_paragraph_is_about(nlp):
    """'He' after a paragraph about someone who has not spoken yet is that person, not the last speaker; a subject
    of a reported clause is not what the paragraph is about (text written for the test)."""
    text = (
        "City Councilmember Traci Park said the plan was rushed.\n\n"
        "Opposition leader Ahmed Karim arrived late to the session. He said the vote was rigged.\n\n"
        "Karim says Park is trying to distract voters. He says the budget is a scandal."
    )
    doc = nlp(text)
    assert ("Park", "PERSON") in [(e.text, e.label_) for e in doc.ents]  # the reported clause's subject is a person
    # the paragraph's subject; not Park, the subject of what Karim says
    assert [(text[s : s + len(n)], n) for s, n, _, _ in subject_names(doc)] == [("Ahmed Karim", "Ahmed Karim")]
    pronouns = [a["canonical"] for a in doc._.attributions if text[a["speaker"][0] : a["speaker"][1]] == "He"]
    assert pronouns == ["Ahmed Karim", "Ahmed Karim"]  # not the councilmember who spoke before
    # the subject of a main clause a parenthetical cue reports is what was said, not whom the paragraph is about
    text = "Jane Ortiz said the race was close. Hillary Clinton, she said, would win easily in November."
    doc = nlp(text)
    assert [n for _, n, _, _ in subject_names(doc)] == ["Jane Ortiz"]
    assert [a["canonical"] for a in doc._.attributions] == ["Jane Ortiz", "Jane Ortiz"]


def test_a_title_is_a_gender_vote_and_its_subjects_pronouns_are_not(nlp):
    """'Mr. Biden settled in a chair behind her': the title says he is a man; 'her' is Mrs. Clinton (text written for
    the test)."""
    text = "Mr. Biden settled in a chair behind her. Later Biden said his speech would be short."
    votes = [(name, g) for _, name, g in gender_votes(nlp(text))]
    assert votes == [("Biden", "m"), ("Biden", "m")]


def test_an_object_pronoun_is_not_a_gender_vote(nlp):
    """'Ortiz thanked him': a pronoun object of the subject's own clause is someone else (text written for the
    test); her own possessive and a reflexive are hers."""
    text = (
        "Jane Ortiz thanked him for the invitation. Jane Ortiz praised her own staff. "
        "Jane Ortiz blamed herself for the delay."
    )
    assert [(name, g) for _, name, g in gender_votes(nlp(text))] == [("Jane Ortiz", "f"), ("Jane Ortiz", "f")]


def test_gender_votes_read_subjects_and_pronouns_outside_quotations(nlp):
    text = (
        "Clinton said she appreciated the apology. "  # a vote: subject, then her pronoun
        "His rival, Ted Cruz, left early. "  # no vote: the pronoun comes before the name
        '"Over the years, Hillary Clinton has done a lot," he said. '  # no vote: the name is quoted
        "Sanders said his staff had erred."
    )
    votes = gender_votes(nlp(text))
    assert [(name, g) for _, name, g in votes] == [("Clinton", "f"), ("Sanders", "m")]


def test_appositions_modifiers_and_organisation_descriptions(nlp):
    text = (
        "The head of the Northern Rail Union, Marta Kowalczyk, said the strike would continue.\n\n"
        "“Talks are pointless,” the deputy of union leader Pavel Novak said on Friday.\n\n"
        "The Harbour Gazette reported that the port was closed.\n\n"
        "The port had lost money for years, the newspaper said."
    )
    canon = canonical_by_mention(nlp, text)
    assert canon["The head of the Northern Rail Union"] == "Marta Kowalczyk"  # the name in apposition
    assert canon["the deputy of union leader Pavel Novak"] != "Pavel Novak"  # a name in a modifier is not them
    assert canon["the newspaper"] == "Harbour Gazette"


def test_registry_names_match_with_or_without_the(nlp):
    comp = nlp.get_pipe("quote_attributor")
    index = entity_index({"ruritania_mod": {"name": "Defence Ministry of Ruritania",
                                            "aliases": ["the Ruritanian Defence Ministry"]}})  # fmt: skip
    saved, comp.entity_index = comp.entity_index, index
    try:
        assert comp.entity_of("the ministry", "Ruritanian Defence Ministry") == "ruritania_mod"
        assert comp.entity_of("the ministry", "ministry") == "UNKNOWN"
    finally:
        comp.entity_index = saved


def test_extent_variants_cut_at_the_parse_and_name_the_cut(nlp):
    """Boundary alternatives for the learned extent choice: the dependency label of each cut is in its name, so
    training data decides which cuts annotators make (sentences written for the test)."""
    from kremlin_quotes.model.decide import extent_variants

    comp = nlp.get_pipe("quote_attributor")

    def variants(text: str, cue: str) -> dict[str, str]:
        doc = nlp(text)
        (p,) = [p for p in comp.propose(doc) if p.cand.cue and text[slice(*p.cand.cue)] == cue]
        return {name: " ".join(text[s:e] for s, e in v) for name, v in extent_variants(doc, p.cand)}

    accused = variants("The mayor accused the council of wasting money on the new bridge after the vote.", "accused")
    assert accused["rule"].startswith("the council of wasting")
    assert accused["drop_lead_prep:dobj"].startswith("wasting money on the new bridge")
    said = variants("The minister said Tuesday the bridge would open in May, a month later than planned.", "said")
    assert said["drop_inner_lead:npadvmod"] == "the bridge would open in May, a month later than planned"
    assert said["cut_tail:advmod"] == "Tuesday the bridge would open in May"


def test_extent_variants_hold_the_quotations_they_open_or_close_whole(nlp):
    """An extent that opens or closes a quotation holds all of it: a cut at a sentence end inside the quotation
    would quote half of what was said. A mark with a space after it opens nothing (a closing mark typed as an
    opening one)."""
    from kremlin_quotes.model.decide import extent_variants

    comp = nlp.get_pipe("quote_attributor")
    text = (
        'The mayor argued that critics "look at the bridge from the other bank. They never cross it." Then she left.'
    )
    doc = nlp(text)
    (p,) = [p for p in comp.propose(doc) if p.cand.cue and text[slice(*p.cand.cue)] == "argued"]
    opened = [v for _, v in extent_variants(doc, p.cand) if any(text[s:e].count('"') % 2 for s, e in v)]
    assert opened
    assert all(text[: v[-1][1]].endswith("They never cross it") for v in opened)
    text = "The mayor said the state should order an “urgent review“ of the pipes. The council wants a “full audit.”"
    doc = nlp(text)
    (p,) = [p for p in comp.propose(doc) if p.cand.cue and text[slice(*p.cand.cue)] == "said"]
    assert all("council" not in text[s:e] for _, v in extent_variants(doc, p.cand) for s, e in v)
    # and one that closes a quotation starts at its opening mark
    from kremlin_quotes.model.decide import _quotations, _whole_quotations

    text = 'The council wrote: "Fares are high. Ferries are late" but not for long.'
    doc = nlp.make_doc(text)
    ((s, e),) = _whole_quotations(text, _quotations(doc), [(text.index("Ferries"), len(text) - 1)])
    assert text[s:e] == 'Fares are high. Ferries are late" but not for long'
    # one that starts right after an opening mark ends at the closing one
    text = 'The council wrote: "Fares are high. Ferries are late," and left.'
    doc = nlp.make_doc(text)
    ((s, e),) = _whole_quotations(text, _quotations(doc), [(text.index("Fares"), text.index(". Ferries"))])
    assert text[s:e] == "Fares are high. Ferries are late"


def test_extent_variants_start_after_the_that_of_an_occasion(nlp):
    """'told reporters in an interview that …': the parser hangs the reported clause on the occasion's noun, so
    the rule's extent starts at 'reporters'; a variant starts after the 'that' (sentence written for the test)."""
    from kremlin_quotes.model.decide import extent_variants

    comp = nlp.get_pipe("quote_attributor")
    text = "She told reporters in an interview that the plan was dead."
    doc = nlp(text)
    (p,) = [p for p in comp.propose(doc) if p.cand.cue and text[slice(*p.cand.cue)] == "told reporters"]
    found = {name: " ".join(text[s:e] for s, e in v) for name, v in extent_variants(doc, p.cand)}
    assert found["rule"].startswith("reporters in an interview")
    assert found["after_occasion_that"] == "the plan was dead"


def test_output_extents_follow_the_guidelines_edges(nlp):
    """§2.2 fixes edges no measure sees: no complementizer at the start of a reported clause, a direct quote
    keeps the final stop of its sentence, and a quoted fragment at the edge of a reported clause keeps its marks
    (text written for the test)."""
    text = (
        'Holm said that the ferry would run again. "It will be ready." she added. '
        "Berg asked whether the pier was safe. "
        '"That is a rumour," Holm said.'
    )
    doc = nlp(text)
    contents = {doc.text[s:e] for a in doc._.attributions for s, e in a["content"]}
    assert "the ferry would run again" in contents
    assert "It will be ready." in contents
    assert "That is a rumour" in contents  # a demonstrative 'That' stays; so does the writer's comma, outside
    assert not any(c.lower().startswith(("that ", "whether ")) and c != "That is a rumour" for c in contents)
    # on the parse alone, whatever extent the decisions chose
    with nlp.select_pipes(disable=["quote_attributor"]):
        parsed = nlp(text)
    start = text.index("that the ferry")
    end = text.index(" would run again") + len(" would run again")
    assert conform_extent(parsed, [(start, end)], INDIRECT) == [(start + 5, end)]
    q = text.index("It will be ready")
    assert conform_extent(parsed, [(q, q + len("It will be ready"))], DIRECT) == [(q, q + len("It will be ready."))]
    assert conform_extent(parsed, [(q, q + len("It will be ready"))], INDIRECT) == [(q, q + len("It will be ready"))]
    rumour = text.index("That is a rumour")
    assert conform_extent(parsed, [(rumour, rumour + 16)], DIRECT) == [(rumour, rumour + 16)]
    # a reported clause holds a quoted fragment at either edge whole, marks and final stop included, whatever
    # marks the paper uses; a clause that is all quotation is left alone
    mixed = "Berg called the plan ``a disaster.'' Holm said “the pier is safe” in his view."
    with nlp.select_pipes(disable=["quote_attributor"]):
        parsed = nlp(mixed)
    plan = mixed.index("the plan")
    assert conform_extent(parsed, [(plan, mixed.index("disaster") + 8)], INDIRECT) == [(plan, mixed.index(" Holm"))]
    pier, view = mixed.index("the pier"), mixed.index(" in his view") + len(" in his view")
    assert conform_extent(parsed, [(pier, view)], INDIRECT) == [(pier - 1, view)]
    assert conform_extent(parsed, [(pier, pier + 17)], INDIRECT) == [(pier, pier + 17)]


def test_mention_spans_stop_at_punctuation_and_clauses(nlp):
    doc = nlp("The minister, who spoke first, and the head of the bank that lends money said no.")
    from kremlin_quotes.model.candidates import mention_span

    heads = {t.text: mention_span(t).text for t in doc if t.dep_ in ("nsubj", "pobj")}
    assert heads["minister"] == "The minister"
    assert heads.get("bank") == "the bank"
