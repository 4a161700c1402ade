"""Resolve speaker mentions to a canonical name within a document.

A full name keeps its first name ("Bill Clinton" and "Hillary Clinton" are two people) and a bare surname goes to
the full name mentioned most often with it ("Peskov" -> "Dmitry Peskov"; a suffix such as "Jr." is not a surname); a
relative pronoun that heads a relative clause ("Kravtsov, who said …") is its antecedent in the parse; "he" and
"she" go to the person their paragraph made the subject of a main clause since the last speaker, other pronouns to
the most recent speaker (or, failing that, the nearest preceding person), "he" and "she" always to one the text
does not say is of the other gender (a title, a gendered role noun, sentences such as "Clinton said she …");
definite descriptions ("the Kremlin spokesman", "the newspaper") go to the most recent speaker of their kind,
while an indefinite one with a role noun ("a State Department spokesperson") brings in someone new; a name in
apposition names the speaker, a name in a modifier does not. A registry of known entities (name and aliases, with
or without "the") maps canonical names to ids.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from spacy.attrs import DEP, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from ..core.lexicon import cue_verbs
from .candidates import PRONOUNS, Candidate, ents_in, mention_span
from .docarrays import in_quotation, per_doc, text_of

TITLES = re.compile(
    r"^(?:(?:the|a|an|us|u\.s\.|russian|kremlin|former|president|prime|minister|spokesman|spokesperson|"
    r"spokeswoman|press|secretary|governor|gov\.?|ag|senator|sen\.|rep\.|mr\.|mrs\.|ms\.|dr\.|general|gen\.|"
    r"lt\.|col\.|sgt\.|capt\.|rev\.|admiral|adm\.|mayor|judge|justice|representative|councilmember|councilman|"
    r"councilwoman)\s+)+",
    re.I,
)


def _bare(text: str) -> list[str]:
    """The words of a PERSON name without a possessive or a title the entity took in ('President Vladimir Putin')."""
    name = re.sub(r"['’]s?$", "", text.strip())
    return (TITLES.sub("", name).strip() or name).split()


SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _split(parts: list[str]) -> tuple[list[str], str]:
    """A name's words up to its surname, and its generational suffix ('Harry B. Harris Jr.' is a Mr. Harris, and
    'Donald Trump Jr.' not Donald J. Trump)."""
    end = len(parts)
    while end > 1 and parts[end - 1].lower().strip(",") in SUFFIXES:
        end -= 1
    return [p.rstrip(",") for p in parts[:end]], " ".join(parts[end:]).lower().rstrip(".")


def person_names(persons: list[tuple[int, str]]) -> dict[str, str]:
    """Canonical names of the PERSON names among ``persons`` (offset, text), keyed by surname and by first name
    and surname (lower case; with the suffix, if any, which also keys the first name or surname alone: 'Donald
    Jr.'). A full name is the longest one with its first name and surname ('Hillary Clinton' and 'Bill Clinton'
    stay two people); a bare surname is the longest name of the first name mentioned most often with it
    ('Clinton' in an article about her is Hillary Clinton, first mention first on a tie)."""
    out: dict[str, str] = {}
    firsts: dict[str, Counter[str]] = {}
    for _, text in persons:
        parts = _bare(text)
        if not parts:
            continue
        core, suffix = _split(parts)
        surname = core[-1].lower()
        key = f"{core[0].lower()} {surname}" if len(core) > 1 else surname
        key += f" {suffix}" if suffix else ""
        name = " ".join(parts)
        aliases = {f"{core[0].lower()} {suffix}", f"{surname} {suffix}"} if suffix else set()  # 'Donald Jr.'
        for k in (key, *sorted(aliases)):
            if len(name) > len(out.get(k, "")):
                out[k] = name
        if len(core) > 1:
            firsts.setdefault(surname, Counter())[key] += 1
        elif surname not in out:
            out[surname] = name
    for surname, counts in firsts.items():
        out[surname] = out[counts.most_common(1)[0][0]]  # most_common keeps first-seen order on ties
    return out


def name_of(text: str, names: dict[str, str]) -> str:
    """The canonical name of a PERSON name (``person_names``): its own full name, or for a bare surname the one
    the document mentions most."""
    parts = _bare(text)
    if not parts:
        return text
    core, suffix = _split(parts)
    surname = core[-1].lower()
    tail = f" {suffix}" if suffix else ""
    if len(core) > 1:
        return names.get(f"{core[0].lower()} {surname}{tail}", " ".join(parts))
    return names.get(surname + tail, " ".join(parts))


# lower-case particles inside a surname: 'Ursula von der Leyen', 'Anneke van den Heuvel', 'Jan de la Fuente'
PARTICLES = {"van", "von", "der", "den", "de", "la", "le", "du", "da", "di", "dos", "del", "bin", "ibn", "al", "ter"}


def whole_names(ents: list[Span]) -> list[Span]:
    """The PERSON entities of ``ents``, each run on to the head of its name where the small pipeline stopped
    short ('Ursula von der' a person and 'Leyen' a place; 'Anneke van' and 'Heuvel' two people): the compound
    chain goes on through a surname's particles and proper nouns (at most three words, at least one of them a
    particle) to the name's head. A name so extended absorbs the entities inside it."""
    out: list[Span] = []
    for ent in sorted(ents, key=lambda e: e.start):
        if ent.label_ != "PERSON" or (out and ent.start < out[-1].end):
            continue
        doc, j = ent.doc, ent.end
        while (
            j < min(len(doc), ent.end + 3)
            and doc[j - 1].dep_ == "compound"
            and doc[j - 1].head.i >= j
            and (doc[j].pos_ == "PROPN" or doc[j].text in PARTICLES)
        ):
            j += 1
        # only a particle tells a surname going on from a title or a headline's next word ('Clinton Senior Adviser')
        particle = any(t.text in PARTICLES for t in doc[ent.end - 1 : j])
        whole = j > ent.end and particle and doc[j - 1].pos_ == "PROPN"
        out.append(Span(doc, ent.start, j, label="PERSON") if whole else ent)
    return out


SUBJECTS = ("nsubj", "nsubjpass")


def role_names(doc: Doc) -> list[Span]:
    """Names the small pipeline did not tag PERSON that stand in apposition to a person's role noun ('the
    firefighters' union president, Freddy Escobar,' tagged ORG; 'Anna Kowal, a professor at …,'): two or three
    capitalized proper nouns, either side of the apposition, where the pair is a clause's subject."""
    return [Span(doc, s, e, label="PERSON") for s, e in _role_name_bounds(doc)]


@per_doc
def _role_name_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``role_names`` as token offsets, once per Doc (a cached Span would keep its Doc alive)."""
    out: list[tuple[int, int]] = []
    if not len(doc):
        return out
    arr = doc.to_array([POS, DEP])  # the proper nouns that are an apposition or a subject, without a walk
    deps = [doc.vocab.strings[d] for d in ("appos", *SUBJECTS)]
    for i in np.flatnonzero((arr[:, 0] == POS_IDS["PROPN"]) & np.isin(arr[:, 1], deps)):
        t = doc[int(i)]
        if t.ent_type_ in ("PERSON", "GPE", "LOC", "NORP", "DATE"):
            continue
        # the pair is a clause's subject: what a speaker mention is ('…, Freddy Escobar, called the cuts …')
        if t.dep_ == "appos":
            head = t.head
            role = head.lemma_.lower() in PERSON_ROLES and head.pos_ == "NOUN" and head.dep_ in SUBJECTS
        else:
            role = t.dep_ in SUBJECTS and any(
                c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in PERSON_ROLES for c in t.children
            )
        if not role:
            continue
        s = t.i
        while s > 0 and doc[s - 1].dep_ == "compound" and doc[s - 1].head.i == t.i and doc[s - 1].pos_ == "PROPN":
            s -= 1
        words = doc[s : t.i + 1]
        if 2 <= len(words) <= 3 and all(w.is_alpha and w.is_title for w in words):
            out.append((s, t.i + 1))
    return out


def people(doc: Doc) -> list[Span]:
    """The person names of ``doc`` in text order: its PERSON entities (``whole_names``) and the ``role_names``
    that overlap none of them."""
    return [Span(doc, s, e, label="PERSON") for s, e in _people_bounds(doc)]


@per_doc
def _people_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``people`` as token offsets, once per Doc: the names and the gender votes both read them."""
    names = whole_names(list(doc.ents))
    taken = {i for n in names for i in range(n.start, n.end)}
    extra = [r for r in role_names(doc) if not taken.intersection(range(r.start, r.end))]
    return [(n.start, n.end) for n in sorted(names + extra, key=lambda n: n.start)]


def persons_of(doc: Doc, offset: int = 0) -> list[tuple[int, str]]:
    """The person names of ``doc`` (``people``) as (document offset, text), in text order."""
    return [(e.start_char + offset, e.text) for e in people(doc)]


OWN_PRONOUN_DEPS = {"nsubj", "nsubjpass", "poss"}  # a subject's or possessive pronoun; reflexives besides
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}


def gender_votes(doc: Doc, offset: int = 0) -> list[tuple[int, str, str]]:
    """(document offset, name, 'm' or 'f') for each sentence whose subject is the one person it names and which,
    after the name and outside quotation marks, uses pronouns of one gender only ('Clinton said she appreciated
    the apology'): what the text says of a person's gender, read apart from the resolver's own choices, so that
    one pronoun it sends to the wrong person does not make that person the wrong gender for the rest of the
    document. A pronoun before the name ('His rival, Hillary Clinton, …') or a name that is not the subject
    ('an attack he leveled at Clinton') is someone else's as often as not. A gendered title ('Mr. Biden', any name
    outside quotation marks) is a vote of its own, and a titled subject's pronouns are not read ('Mr. Biden settled
    in a chair behind her'); of the others only subject, possessive and reflexive pronouns are ('Ortiz thanked him'
    is someone else)."""
    out: list[tuple[int, str, str]] = []
    names = people(doc)
    k = 0
    for sent in doc.sents:
        while k < len(names) and names[k].start < sent.start:
            k += 1
        inside = []
        while k < len(names) and names[k].end <= sent.end:
            inside.append(names[k])
            k += 1
        titled = set()
        for e in inside:  # 'Mr. Biden' outside a quotation says so, whatever the pronouns near it
            said = _title_gender(e)
            if said and not in_quotation(doc, e.start_char):
                out.append((e.start_char + offset, e.text, said))
                titled.add(e.start)
        surnames = {bare[-1].lower() for e in inside if (bare := _bare(e.text))}
        subject = next((e for e in inside if e.root.dep_ in SUBJECTS), None)
        if len(surnames) != 1 or subject is None or subject.start in titled or in_quotation(doc, subject.start_char):
            continue
        pronouns: set[str] = set()
        for t in doc[subject.end : sent.end]:
            low = t.lower_
            # an object pronoun is someone else ('Mr. Biden settled in a chair behind her', 'Trump attacked her')
            own = t.dep_ in OWN_PRONOUN_DEPS or low in ("himself", "herself")
            if (low in MALE_PRONOUNS or low in FEMALE_PRONOUNS) and own and not in_quotation(doc, t.idx):
                pronouns.add("m" if low in MALE_PRONOUNS else "f")
        if len(pronouns) == 1:
            out.append((subject.start_char + offset, subject.text, pronouns.pop()))  # ``name_of`` reads it
    return out


def _title_gender(name: Span) -> str:
    """'m' or 'f' where a gendered title stands before a PERSON name or opens it ('Mr. Biden', 'Ms. Hughes')."""
    before = name.doc[name.start - 1].lower_ if name.start > 0 else ""
    if before in MALE_TITLES or name[0].lower_ in MALE_TITLES:
        return "m"
    if before in FEMALE_TITLES or name[0].lower_ in FEMALE_TITLES:
        return "f"
    return ""


def subject_names(doc: Doc, offset: int = 0) -> list[tuple[int, str, int, str]]:
    """(document offset, name, end of its paragraph, the gender its title says or '') for each person named as the
    subject of a sentence's main clause outside quotation marks ('Sanders is touting his campaign’s work. He says
    …'): whom a 'he' or 'she' later in the same paragraph most likely means, where no one has spoken since. A
    subject of a reported or subordinate clause ('Cox says Obama is trying …. He says …') is not: the pronoun is the
    reporter's; nor the subject of a main clause that a reporting verb after it reports ('Reed has a history of
    vetoes, she noted')."""
    text = text_of(doc)
    verbs = cue_verbs()
    out: list[tuple[int, str, int, str]] = []
    for e in people(doc):
        root = e.root
        if root.dep_ not in SUBJECTS or root.head.dep_ != "ROOT":
            continue
        if any(
            c.dep_ in ("parataxis", "ccomp") and c.i > e.end and c.lemma_.lower() in verbs for c in root.head.children
        ):
            continue
        if in_quotation(doc, e.start_char):
            continue
        end = text.find("\n", e.end_char)
        # with the gender its title says: 'Ms. Hughes' is not the 'he' of the next sentence
        out.append((e.start_char + offset, e.text, (len(text) if end < 0 else end) + offset, _title_gender(e)))
    return out


@dataclass(frozen=True)
class Mention:
    """What the resolver needs of one speaker mention, read off the parsed Doc it was found in."""

    start: int
    text: str
    persons: tuple[str, ...]  # PERSON entities naming the speaker: in the mention's head or its apposition
    head: str  # lemma of the mention's syntactic head
    others: tuple[str, ...] = ()  # PERSON entities in a modifier ("the confidant of Vladimir Putin"): not them
    common: bool = False  # headed by a common noun ("the newspaper"), not a name ("the Kremlin")


def _entity_of(tok: Token) -> Span | None:
    """The entity a token belongs to, found from its IOB tags."""
    if not tok.ent_type_:
        return None
    doc, s, e = tok.doc, tok.i, tok.i + 1
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return Span(doc, s, e, label=tok.ent_type_)


def _in_modifier(tok: Token, root: Token) -> bool:
    """Whether ``tok`` hangs off ``root`` through a preposition or possessive ("head of X", "X's aide")."""
    while tok.i != root.i and tok.head.i != tok.i:
        if tok.dep_ in ("prep", "pobj", "poss"):
            return True
        tok = tok.head
    return False


RELATIVE = {"who", "that", "which"}


def _antecedent(span: Span | None) -> Span | None:
    """The noun phrase a relative pronoun stands for, from the parse: 'who' is the subject of a relative clause
    (``relcl``) whose head is the antecedent. None for any other mention."""
    if span is None or len(span) != 1 or span[0].lower_ not in RELATIVE:
        return None
    verb = span[0].head
    if span[0].dep_ not in ("nsubj", "nsubjpass") or verb.dep_ != "relcl" or verb.head.i == verb.i:
        return None
    noun = verb.head
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    return mention_span(noun)


def mention_of(doc: Doc, speaker: tuple[int, int] | list[int], offset: int = 0) -> Mention:
    """The mention at ``speaker`` (offsets in ``doc``); ``offset`` shifts its start to document offsets.

    A name in an apposition outside the mention ("The head of the Wagner Group, Yevgeny Prigozhin,") names
    the speaker; a name inside a prepositional or possessive modifier ("the confidant of Vladimir Putin")
    does not."""
    span = doc.char_span(speaker[0], speaker[1], alignment_mode="expand")
    antecedent = _antecedent(span)
    if antecedent is not None:  # 'Kravtsov, who called it false': the relative pronoun is its antecedent
        return replace(mention_of(doc, (antecedent.start_char, antecedent.end_char)), start=speaker[0] + offset)
    own: list[str] = []
    others: list[str] = []
    head = ""
    if span is not None and len(span):
        root = span.root
        head = root.lemma_.lower()
        for e in whole_names(ents_in(span)):
            (others if all(_in_modifier(t, root) for t in e) else own).append(e.text)
        for c in root.children:
            ent = _entity_of(c) if c.dep_ == "appos" and not (span.start <= c.i < span.end) else None
            if ent is not None and ent.label_ == "PERSON":
                own.append(ent.text)
        for r in role_names(doc):  # 'the union president, Freddy Escobar,' where 'Freddy Escobar' is no PERSON
            if (span.start <= r.start and r.end <= span.end) or (r.root.head.i == root.i and r.root.dep_ == "appos"):
                own.append(r.text)
    common = span is not None and len(span) > 0 and span.root.pos_ == "NOUN"
    text = text_of(doc)[speaker[0] : speaker[1]]
    return Mention(speaker[0] + offset, text, tuple(own), head, tuple(others), common)


# heads and titles that tell a person's gender
MALE = {"he", "him", "man", "spokesman", "chairman", "congressman", "assemblyman", "councilman", "businessman",
        "king", "prince", "father", "son", "brother", "husband", "boy", "uncle", "grandfather", "nephew"}  # fmt: skip
FEMALE = {"she", "her", "woman", "spokeswoman", "chairwoman", "congresswoman", "assemblywoman", "councilwoman",
          "businesswoman", "queen", "princess", "mother", "daughter", "sister", "wife", "girl", "aunt",
          "grandmother", "niece"}  # fmt: skip
MALE_TITLES = {"mr", "mr.", "sir", "lord"}
FEMALE_TITLES = {"ms", "ms.", "mrs", "mrs.", "miss", "madam", "lady", "dame"}


def gender_of(text: str, head: str) -> str:
    """'m' or 'f' where a mention says which, by its head ('she', 'the spokeswoman') or a title before the name
    ('Ms. Patel', 'Spokeswoman Haley Morris'), else ''. A first name says nothing here: most names stay '' and
    fit either pronoun."""
    words = text.lower().split()
    title = words[1] if len(words) > 2 and words[0] in ("the", "a", "an") else words[0] if words else ""
    if head in MALE or title in MALE_TITLES or title in MALE:
        return "m"
    if head in FEMALE or title in FEMALE_TITLES or title in FEMALE:
        return "f"
    return ""


PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "who"}
PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "official", "minister", "president", "leader", "governor",
    "secretary", "aide", "adviser", "advisor", "analyst", "expert", "lawmaker", "senator", "chief", "head",
    "director", "diplomat", "ambassador", "prosecutor", "judge", "lawyer", "candidate", "confidant", "founder",
    "chairman", "chairwoman", "commander", "mayor", "premier", "congressman", "congresswoman", "representative",
    "deputy", "envoy", "negotiator", "officer", "economist", "professor", "researcher", "scientist", "activist",
    "journalist", "reporter", "correspondent", "editor", "politician", "chancellor", "general", "executive",
    "manager", "worker", "witness", "resident", "doctor", "author", "critic", "veteran", "soldier", "man", "woman",
}  # fmt: skip
# heads of descriptions that name an organisation: "the newspaper said" is the last organisation that spoke
ORG_NOUNS = {
    "newspaper", "paper", "daily", "agency", "ministry", "department", "government", "company", "firm", "group",
    "office", "committee", "council", "service", "broadcaster", "channel", "network", "outlet", "magazine",
    "website", "site", "station", "publication", "bank", "court", "army", "military", "administration",
    "organisation", "organization", "union", "party", "authority", "institute", "bureau", "commission",
}  # fmt: skip


def canonical_names(doc: Doc, cands: list[Candidate]) -> list[str | None]:
    """A canonical speaker name for each candidate (None when it has no speaker); see ``resolve``."""
    mentions = [mention_of(doc, c.speaker) if c.speaker is not None else None for c in cands]
    return resolve(mentions, persons_of(doc), gender_votes(doc), subject_names(doc))


def resolve(
    mentions: list[Mention | None],
    persons: list[tuple[int, str]],
    votes: Sequence[tuple[int, str, str]] = (),
    subjects: Sequence[tuple[int, str, int, str]] = (),
) -> list[str | None]:
    """Canonical names of the mentions of one document, in text order, given its PERSON entities.

    Names group by first name and surname, a bare surname to the full name mentioned most (``person_names``);
    "he"/"she" go to the most recent person speaker whose gender, as far as known, fits (``votes`` from
    ``gender_votes`` first, then titles and gendered role nouns in the mentions, then the pronouns already
    resolved), "it"/"they" to the most recent speaker; a description headed by a role noun ("the Kremlin
    spokesman", "the official") to the most recent person speaker whose mention has that noun, else the most
    recent person speaker (a shared modifier such as "Kremlin" would link the spokesman to the president); one
    headed by an organisation noun ("the newspaper") to the most recent organisation speaker. An indefinite
    description headed by a role noun ("a spokesman for the opposition") names someone not met before: it is its
    own canonical name, never an earlier speaker's, and a pronoun after it still goes to the last person named;
    any other indefinite description points back to no earlier mention either. Only mentions and entities are
    read, so a long document resolved window by window gets the names of the whole document.
    """
    names = person_names(persons)
    out: list[str | None] = []
    history: list[tuple[int, set[str], str, bool]] = []  # (offset, mention words, canonical, is a person)
    tally = Counter((name_of(name, names), g) for _, name, g in votes)
    # what most of the sentences that say so said; one sentence is too little to go by, but enough to doubt a
    # pronoun's choice
    voted = {c: g for (c, g), n in tally.items() if n > tally[(c, "f" if g == "m" else "m")]}
    # canonical name -> 'm' or 'f': what two sentences at least said, then titles and role nouns, then pronouns
    gender = {c: g for c, g in voted.items() if tally[(c, g)] >= 2}
    sure = set(gender)  # what titles and these sentences said: a later title does not overturn it

    def fitting(said: str) -> Callable[[str], bool]:
        """Whether a canonical name may be what a mention of gender ``said`` ('' for either) points back to."""
        return lambda canon: not said or gender.get(canon, said) == said

    subject_starts = [at for at, _, _, _ in subjects]

    def paragraph_subject(start: int, since: int, said: str, fits: Callable[[str], bool]) -> str | None:
        """The canonical name of the latest of ``subjects`` after ``since`` in the paragraph of ``start`` whose
        gender fits. Read backwards from ``start`` and only within the paragraph, so a pronoun costs the few
        subjects of its paragraph, not the whole document's."""
        for k in range(bisect_left(subject_starts, start) - 1, -1, -1):
            at, text, until, titled = subjects[k]
            if at <= since or until < start:  # before the speaker, or an earlier paragraph: so is every one before
                return None
            if titled in ("", said) and fits(name := name_of(text, names)):
                return name
        return None

    def last(start: int, keep: Callable[[tuple[int, set[str], str, bool]], bool] = lambda h: True) -> tuple | None:
        """The latest entry of ``history`` before ``start`` that ``keep`` accepts. Read backwards, so a mention
        costs the few entries since its antecedent, not the whole document (a quadratic cost on long ones)."""
        return next((h for h in reversed(history) if h[0] < start and keep(h)), None)

    for m in mentions:
        if m is None:
            out.append(None)
            continue
        mention = m.text
        said = gender_of(mention, m.head)
        low = mention.lower()
        canon: str | None = None
        person = False
        own_words = _words(mention) - _words(" ".join(m.others))  # not the names in a modifier
        words = own_words - {"the", "a", "an", "of"}
        if m.persons:
            canon = name_of(m.persons[-1], names)
            person = True
            if said and gender.get(canon, said) != said and len(bare := _bare(m.persons[-1])) == 1:
                # 'Mr. Miller' after Mrs. Miller spoke: the other full name with that surname, if the text has one
                same = [v for k, v in names.items() if k.endswith(" " + bare[0].lower())]
                canon = next((v for v in same if gender.get(v, said) == said), canon)
        elif low in PRONOUNS:
            person = low in PERSON_PRONOUNS
            fits = fitting(said)  # 'he' is not the woman who spoke last, 'she' not the man
            found = last(m.start, (lambda h, fits=fits: h[3] and fits(h[2])) if person else (lambda h: True))
            since = found[0] if found is not None else -1
            # a person the paragraph made the subject of a sentence since that speaker: 'Sanders is touting his
            # campaign’s work. He says …'
            subject = paragraph_subject(m.start, since, said, fits) if person else None
            if subject is not None:
                canon = subject
            elif found is not None:
                canon = found[2]
            elif person:
                # the nearest person named before it whose gender fits, read backwards and only as far as needed
                earlier = (name_of(text, names) for start, text in reversed(persons) if start < m.start)
                canon = next((name for name in earlier if fits(name)), None)
        elif low.startswith(("a ", "an ")) and m.head in PERSON_ROLES:
            # someone new, named by the description, and not what a pronoun after it points back to: in 'A
            # reporter asked Sanders how he felt. He replied: …' the pronoun is Sanders. Only the article goes: the
            # titles' words are the description ('spokesman for the opposition', not 'for the opposition')
            canon = re.sub(r"^an?\s+", "", mention, flags=re.I).strip() or mention
        elif low.startswith("the ") and m.head in PERSON_ROLES:
            person = True
            role, fits = m.head, fitting(said)
            found = last(m.start, lambda h, role=role: h[3] and role in h[1]) or last(
                m.start, lambda h, fits=fits: h[3] and fits(h[2])
            )
            canon = found[2] if found is not None else None
        else:
            match = last(m.start, lambda h, words=words: words <= h[1]) if words else None
            if match is not None and low.startswith("the "):
                canon = match[2]
            elif (
                low.startswith("the ")
                and m.common
                and m.head in ORG_NOUNS
                and (thing := last(m.start, lambda h: not h[3])) is not None
            ):  # the last organisation
                canon = thing[2]
            else:
                key = mention.split()[-1].lower() if mention.split() else ""
                own = TITLES.sub("", mention).strip() or mention
                found = names.get(key, "")
                # a surname the text names only bare elsewhere is no better than the mention's own full name
                full = " " in own and all(w[:1].isupper() for w in own.split())
                canon = found if found and (" " in found or not full) else own
                person = key in names
        canon = canon or mention
        if said and (m.persons and canon not in sure or canon not in gender and voted.get(canon, said) == said):
            # a name with a title or a role noun ('Ms. Patel', 'Spokeswoman Haley Morris') says so, unless the text
            # said otherwise before; a pronoun or a description ('the man') resolved to a person, only where the
            # text said nothing of them (one wrong choice would send later ones wrong)
            gender[canon] = said
            if m.persons:
                sure.add(canon)
        history.append((m.start, own_words, canon, person))
        out.append(canon)
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def entity_index(entities: dict[str, dict]) -> dict[str, str]:
    """Lower-cased name or alias -> entity id (for linking predictions to a registry)."""
    index: dict[str, str] = {}
    for eid, ent in sorted(entities.items()):
        for name in [ent.get("name", ""), *ent.get("aliases", [])]:
            # names and aliases with a proper noun in them ("the British Ministry of Defence"), not generic
            # descriptions ("the ministry") that would link any mention
            if name and any(w[:1].isupper() for w in name.split()):
                index.setdefault(name.lower(), eid)
                index.setdefault(re.sub(r"^the\s+", "", name.lower()), eid)  # "the" is the mention's business
    return index
