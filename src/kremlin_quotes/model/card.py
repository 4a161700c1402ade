"""The model card (README.md in the model folder), written from the evaluation that just ran."""

from __future__ import annotations

from spacy.language import Language


def model_card(nlp: Language, table: str, results: list[dict], n_docs: int) -> str:
    lodo = results[0]
    per_type = "\n".join(
        f"| {label} | {lodo[label]['p']} | {lodo[label]['r']} | {lodo[label]['f']} |"
        for label in ("DIRECT_QUOTE", "INDIRECT_QUOTE", "MIXED_QUOTE")
    )
    return f"""---
language: en
license: mit
library_name: spacy
tags: [spacy, quote-attribution, news]
---
# kremlin_quotes {nlp.meta.get("version")}: quote attribution for English news

This is a spaCy pipeline: `{nlp.meta.get("lang")}` with `{", ".join(nlp.pipe_names)}`. It finds direct,
indirect and mixed quotes, their cue and their speaker mention, and resolves each speaker to a
canonical name within the document.

```python
import spacy, kremlin_quotes  # the import registers the component if the package is not installed
nlp = spacy.load("models/kremlin_quotes")
doc = nlp(text)
doc.spans["quotes"], doc.spans["speakers"], doc.spans["cues"], doc._.attributions
```

## How it works

- **Candidates**: quotation marks (curly, straight, guillemets, reversed or unbalanced), reporting verbs
  from a general English lexicon with their clausal complements or objects and their subjects,
  "according to X", reporting nouns with a that-clause ("X's claim that …"), headline colons and dashes,
  transcript turns ("NAME: …"), and quotes continued by the previous speaker. A quotation right next to
  its cue ("“…,” X said", "X replied, “…”") is that cue's content whatever the parse says.
- **Decision**: a logistic regression (scikit-learn, weights stored as JSON in
  `quote_attributor/model.json`) over general features: the construction, the cue lemma, the kind of
  speaker mention, lengths and positions.
- **Speakers**: names are grouped by surname; pronouns and descriptions resolve to the most recent
  speaker. Canonical names are linked to the project's entity registry where they match.
- **Base**: the tagger, parser, lemmatizer and NER of en_core_web_sm 3.8.0.

## Training data

Trained on {n_docs} annotated news documents (kremlin-quotes gold). Training is deterministic
(fixed seed; L-BFGS logistic regression, L2 on the weights, unpenalised intercept).

## Evaluation (printed by `kremlin-quotes evaluate`)

LODO = leave-one-document-out cross-validation (train on four documents, test on the fifth). The
"shipped" row scores the model on the documents it was trained on, so it is optimistic. The
baselines run on the same parses.

{table}

Per quote type (LODO CV):

| type | P | R | F1 |
|---|---|---|---|
{per_type}

## Limits

- {n_docs} training documents. The learned part is small: almost every candidate in the gold is a real
  attribution, so the scorer sees few negative examples and rejects few candidates. Recall and most of
  the precision come from the candidate rules; the scorer matters more as corrected documents (with the
  model's false positives among their candidates) are added.
- Speaker resolution is heuristic (surname grouping, recency for pronouns), not a coreference model.
- English only. Parse errors of the small base model carry through to quotes and speakers.
- Beliefs, intentions and polls ("X believes", "polls show") are not attributions in this scheme.
"""
