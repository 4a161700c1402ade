"""Resolve speaker mentions to a canonical name within a document.

Names are grouped by surname ("Peskov" -> "Dmitry Peskov", the longest full name seen); a relative
pronoun that heads a relative clause ("Kravtsov, who said …") is its antecedent in the parse; other pronouns
go to the most recent speaker (or, failing that, the nearest preceding person); definite descriptions ("the
Kremlin spokesman", "the newspaper") go to the most recent speaker of their kind, while an indefinite one with a
role noun ("a State Department spokesperson") brings in someone new; a name in apposition names the speaker, a
name in a modifier does not. A registry of known entities (name and aliases, with or without "the") maps
canonical names to ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .candidates import PRONOUNS, Candidate, ents_in, mention_span
from .docarrays import text_of

TITLES = re.compile(
    r"^(?:(?:the|a|an|us|u\.s\.|russian|kremlin|former|president|prime|minister|spokesman|spokesperson|"
    r"spokeswoman|press|secretary|governor|senator|sen\.|rep\.|mr\.|mrs\.|ms\.|dr\.|general|gen\.)\s+)+",
    re.I,
)


def person_names(persons: list[tuple[int, str]]) -> dict[str, str]:
    """Surname (lower case) -> the longest PERSON name with that surname among ``persons`` (offset, text)."""
    out: dict[str, str] = {}
    for _, text in persons:
        name = text.strip(" '’s")
        name = re.sub(r"['’]s$", "", name)
        parts = name.split()
        if not parts:
            continue
        key = parts[-1].lower()
        if len(name) > len(out.get(key, "")):
            out[key] = name
    return out


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


def persons_of(doc: Doc, offset: int = 0) -> list[tuple[int, str]]:
    """The PERSON names of ``doc`` (``whole_names``) as (document offset, text), in text order."""
    return [(e.start_char + offset, e.text) for e in whole_names(list(doc.ents))]


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
    common = span is not None and len(span) > 0 and span.root.pos_ == "NOUN"
    text = text_of(doc)[speaker[0] : speaker[1]]
    return Mention(speaker[0] + offset, text, tuple(own), head, tuple(others), common)


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
    return resolve(mentions, persons_of(doc))


def resolve(mentions: list[Mention | None], persons: list[tuple[int, str]]) -> list[str | None]:
    """Canonical names of the mentions of one document, in text order, given its PERSON entities.

    Names group by surname; "he"/"she" go to the most recent person speaker, "it"/"they" to the most recent
    speaker; a description headed by a role noun ("the Kremlin spokesman", "the official") to the most recent
    person speaker whose mention has that noun, else the most recent person speaker (a shared modifier such
    as "Kremlin" would link the spokesman to the president); one headed by an organisation noun ("the
    newspaper") to the most recent organisation speaker. An indefinite description headed by a role noun ("a
    spokesman for the opposition") names someone not met before: it is its own canonical name, never an earlier
    speaker's, and a pronoun after it still goes to the last person named; any other indefinite description
    points back to no earlier mention either. Only mentions and entities are read, so a long document resolved
    window by window gets the names of the whole document.
    """
    names = person_names(persons)
    out: list[str | None] = []
    history: list[tuple[int, set[str], str, bool]] = []  # (offset, mention words, canonical, is a person)

    def last(start: int, keep: Callable[[tuple[int, set[str], str, bool]], bool] = lambda h: True) -> tuple | None:
        """The latest entry of ``history`` before ``start`` that ``keep`` accepts. Read backwards, so a mention
        costs the few entries since its antecedent, not the whole document (a quadratic cost on long ones)."""
        return next((h for h in reversed(history) if h[0] < start and keep(h)), None)

    for m in mentions:
        if m is None:
            out.append(None)
            continue
        mention = m.text
        low = mention.lower()
        canon: str | None = None
        person = False
        own_words = _words(mention) - _words(" ".join(m.others))  # not the names in a modifier
        words = own_words - {"the", "a", "an", "of"}
        if m.persons:
            last_name = re.sub(r"['’]s$", "", m.persons[-1]).split()[-1].lower()
            canon = names.get(last_name, m.persons[-1])
            person = True
        elif low in PRONOUNS:
            person = low in PERSON_PRONOUNS
            found = last(m.start, (lambda h: h[3]) if person else (lambda h: True))
            if found is not None:
                canon = found[2]
            elif person:
                before = [p for p in persons if p[0] < m.start]
                canon = names.get(before[-1][1].split()[-1].lower(), before[-1][1]) if before else None
        elif low.startswith(("a ", "an ")) and m.head in PERSON_ROLES:
            # someone new, named by the description, and not what a pronoun after it points back to: in 'A
            # reporter asked Sanders how he felt. He replied: …' the pronoun is Sanders
            canon = TITLES.sub("", mention).strip() or mention
        elif low.startswith("the ") and m.head in PERSON_ROLES:
            person = True
            role = m.head
            found = last(m.start, lambda h, role=role: h[3] and role in h[1]) or last(m.start, lambda h: h[3])
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
                canon = names.get(key) or TITLES.sub("", mention).strip() or mention
                person = key in names
        canon = canon or mention
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
