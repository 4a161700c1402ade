"""Resolve speaker mentions to a canonical name within a document.

Names are grouped by surname ("Peskov" -> "Dmitry Peskov", the longest full name seen); pronouns
and "who" go to the most recent speaker (or, failing that, the nearest preceding person);
descriptions ("the Kremlin spokesman") go to the most recent speaker whose mention shares a word
with them. A registry of known entities (name and aliases) maps canonical names to ids.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from .candidates import PRONOUNS, Candidate, ents_in, text_of

TITLES = re.compile(
    r"^(?:(?:the|a|an|us|u\.s\.|russian|kremlin|former|president|prime|minister|spokesman|spokesperson|"
    r"spokeswoman|press|secretary|governor|senator|sen\.|rep\.|mr\.|mrs\.|ms\.|dr\.|general|gen\.)\s+)+",
    re.I,
)


def person_names(doc: Doc) -> dict[str, str]:
    """Surname (lower case) -> the longest PERSON name with that surname in the document."""
    out: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = ent.text.strip(" '’s")
        name = re.sub(r"['’]s$", "", name)
        parts = name.split()
        if not parts:
            continue
        key = parts[-1].lower()
        if len(name) > len(out.get(key, "")):
            out[key] = name
    return out


PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "who"}
PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "official", "minister", "president", "leader", "governor",
    "secretary", "aide", "adviser", "advisor", "analyst", "expert", "lawmaker", "senator", "chief", "head",
    "director", "diplomat", "ambassador", "prosecutor", "judge", "lawyer", "candidate", "confidant", "founder",
    "chairman", "chairwoman", "commander", "mayor", "premier", "congressman", "congresswoman", "representative",
}  # fmt: skip


def canonical_names(doc: Doc, cands: list[Candidate]) -> list[str | None]:
    """A canonical speaker name for each candidate (None when it has no speaker).

    Names group by surname; "he"/"she" go to the most recent person speaker, "it"/"they" to the most recent
    speaker; a description headed by a role noun ("the Kremlin spokesman", "the official") to the most recent
    person speaker whose mention shares a word with it, else the most recent person speaker.
    """
    names = person_names(doc)
    text = text_of(doc)
    persons = sorted((e.start_char, e.text) for e in doc.ents if e.label_ == "PERSON")
    out: list[str | None] = []
    history: list[tuple[int, str, str, bool]] = []  # (offset, mention text, canonical, is a person)
    for c in cands:
        if c.speaker is None:
            out.append(None)
            continue
        mention = text[c.speaker[0] : c.speaker[1]]
        low = mention.lower()
        canon: str | None = None
        person = False
        span = doc.char_span(*c.speaker, alignment_mode="expand")
        ents = [e for e in (ents_in(span) if span is not None else []) if e.label_ == "PERSON"]
        prior = [h for h in history if h[0] < c.speaker[0]]
        prior_persons = [h for h in prior if h[3]]
        words = set(re.findall(r"\w+", low)) - {"the", "a", "an", "of"}
        head = span.root.lemma_.lower() if span is not None and len(span) else ""
        if ents:
            last = re.sub(r"['’]s$", "", ents[-1].text).split()[-1].lower()
            canon = names.get(last, ents[-1].text)
            person = True
        elif low in PRONOUNS:
            person = low in PERSON_PRONOUNS
            pool = prior_persons if person else prior
            if pool:
                canon = pool[-1][2]
            elif person:
                before = [p for p in persons if p[0] < c.speaker[0]]
                canon = names.get(before[-1][1].split()[-1].lower(), before[-1][1]) if before else None
        elif low.startswith(("the ", "a ")) and head in PERSON_ROLES:
            person = True
            match = [h for h in prior_persons if words & set(re.findall(r"\w+", h[1].lower()))]
            pool = match or prior_persons
            canon = pool[-1][2] if pool else None
        else:
            match = [h for h in prior if words and words <= set(re.findall(r"\w+", h[1].lower()))]
            if match and low.startswith(("the ", "a ")):
                canon = match[-1][2]
            else:
                key = mention.split()[-1].lower() if mention.split() else ""
                canon = names.get(key) or TITLES.sub("", mention).strip() or mention
                person = key in names
        canon = canon or mention
        history.append((c.speaker[0], mention, canon, person))
        out.append(canon)
    return out


def entity_index(entities: dict[str, dict]) -> dict[str, str]:
    """Lower-cased name or alias -> entity id (for linking predictions to a registry)."""
    index: dict[str, str] = {}
    for eid, ent in sorted(entities.items()):
        for name in [ent.get("name", ""), *ent.get("aliases", [])]:
            # names and aliases with a proper noun in them ("the British Ministry of Defence"), not generic
            # descriptions ("the ministry") that would link any mention
            if name and any(w[:1].isupper() for w in name.split()):
                index.setdefault(name.lower(), eid)
    return index
