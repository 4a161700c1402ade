"""The model card (README.md in the model folder), written from the evaluation that just ran."""

from __future__ import annotations

from spacy.language import Language

from .bench import AGREEMENT_NOTE, bench_table
from .evaluate import Report, markdown_table
from .train import POLNEAR_CITATION


def _rejected_lines(report: Report) -> str:
    return "\n".join(
        f"- {name}: {r} of {n} candidates rejected ({r / n:.1%})" if n else f"- {name}: no candidates"
        for name, (r, n) in report.rejected.items()
    )


def model_card(nlp: Language, report: Report, n_docs: int) -> str:
    comp = nlp.get_pipe("quote_attributor")
    trained = comp.trained_on
    seeds = markdown_table(report.seeds)
    bench = bench_table(report.bench) if report.bench else "_(the bench was not available when this card was made)_"
    people = f"\n\n{AGREEMENT_NOTE}\n\n" + bench_table([report.agreement]) if report.agreement else ""
    curve = (
        "![learning curve](learning_curve.png)\n\n| PolNeAR documents | dev speech F1 |\n|---|---|\n"
        + "\n".join(f"| {n} | {f} |" for n, f in report.curve)
        if report.curve
        else "_(no learning curve: PolNeAR or the bench was not available)_"
    )
    return f"""---
language: en
license: mit
library_name: spacy
tags: [spacy, quote-attribution, news]
datasets: [kremlin-quotes, PolNeAR]
---
# kremlin_quotes {nlp.meta.get("version")}: quote attribution for English news

A spaCy pipeline: `{nlp.meta.get("lang")}` with `{", ".join(nlp.pipe_names)}`. It finds direct, indirect
and mixed quotes, their cue and their speaker mention, and resolves each speaker to a canonical name.

```python
import spacy
nlp = spacy.load("models/kremlin_quotes")   # with kremlin-quotes installed (it registers the component)
doc = nlp(text)
doc.spans["quotes"], doc.spans["speakers"], doc.spans["cues"], doc._.attributions
```

## How it works

1. **Candidates (rules, recall first)**: quotation marks (curly, straight, guillemets, `''`/``` `` ```,
   unbalanced, and British single marks that quote on their own), reporting verbs of a general English lexicon
   with their complements (clause, object, subjectless infinitive) and subjects, "according to X", reporting
   nouns with a that-clause, an about/of/for phrase or an infinitive, parenthetical cues ("…, he says, …"),
   headline colons and dashes, transcript turns, quotations continued from the previous speaker, and quotations
   with no cue. Each construction is its own candidate kind, so the keep decision learns which of them report
   speech. Training adds to the lexicon the verbs the annotators mark as cues at least `min_cue_count` times and
   in at least `min_cue_share` of their uses (this model: {", ".join(comp.cue_lemmas) or "none"}).
2. **Learned decisions** (four logistic regressions and small networks over named features, weights in
   `quote_attributor/model.json`, fitted with scikit-learn or, for the speaker's softmax, scipy; no pickle):
   *extent* (which of a few boundary variants: the parse's clause, the quoted words only, the clause to the
   sentence end, from the sentence start, the sentence around a quotation, cuts at the parse's subtrees),
   *speaker* (a conditional logit, one softmax over the candidate's mentions: the cue's subject, the
   'according to' object, names, nouns and pronouns near the cue, the previous speaker), *keep* (attribution
   or not, given the chosen extent and speaker and the cue's role and form in the parse: 'he said' against
   'declined to say'; the mean of `keep_networks` networks with one hidden layer of `keep_hidden` units each,
   fitted from successive start seeds (the first is `keep_seed`), since what decides is how these combine; a
   logistic regression when training has fewer than `keep_min_examples` candidates, as the gold alone has),
   *type* (direct / indirect / mixed) and *join* (whether a kept attribution is the second part of the one
   before it, as in '“A,” X said.' followed by a quotation in the next paragraph: joined parts share speaker
   and cue, one utterance).
   The rules' own choices are features
   (`rule_choice`), so "rules only" below is the same candidates with every learned decision switched off
   (`learned = false` in the config).
   The extent and speaker decisions also read the base pipeline's `doc.tensor` (its tok2vec output) at a
   variant's first and last word and the words just outside it, and at a mention's head (`context_vectors`
   in the config): trained on gold + PolNeAR they help; on the five gold documents alone they overfit (the
   "gold only" rows). They are tied to the base pipeline the model was trained with.
3. **Speakers**: the chosen mention is the nearest one (a pronoun included); canonical names come from
   name grouping (a full name by first name and surname, a bare surname to the person named most often by it),
   appositions, role and organisation nouns, recency in the document and, for 'he' and 'she', the person a
   paragraph makes the subject of its sentences since the last speaker and what the text says of a person's gender
   (titles, gendered role nouns, 'X said she …'), linked to the project's entity registry (`kb_id_`).

Settings are in `config.cfg` (`[components.quote_attributor]`: `threshold`, `join_threshold`, `learned`, `C`,
`keep_hidden`, `keep_alpha`, `keep_epochs`, `keep_networks`, `keep_seed`, `keep_min_examples`, `gold_weight`,
`max_speaker_options`, `min_cue_count`, `min_cue_share`, `context_vectors`; `[components.paragraph_sentences]`:
`max_tokens`, the longest run of tokens without a sentence end before a sentence is started; `[nlp.tokenizer]`:
`kremlin_quotes.Tokenizer.v1`, spaCy's tokenizer with runs of over 1,000 characters without white space tokenized in
pieces). `nlp.evaluate()` / `spacy evaluate` report `quote_p/r/f`, `speaker_acc` and `cue_f` through the registered
scorer `kremlin_quotes.attribution_scorer.v1`.

## Training data

This model: {trained.get("gold_documents", n_docs)} gold documents (kremlin-quotes, weight
{comp.gold_weight}) and {trained.get("polnear_documents", 0)} PolNeAR train articles (weight 1).
PolNeAR is mapped to this project's guidelines by `kremlin-quotes import polnear`: attributions that are not
speech or writing (beliefs, intentions, polls) and refusals ('declined to comment', 'refused to …') are
negatives, a leading "that" is cut from contents,
attributions without a source are dropped, and a quote is typed by quotation marks of every convention (the
wires' '' and British single marks too). Training is deterministic (fixed seed, L-BFGS).

PolNeAR: {POLNEAR_CITATION} (github.com/networkdynamics/PolNeAR). Its texts are not part of this repository.

## Evaluation (printed by `kremlin-quotes evaluate`)

### On news it never saw: PolNeAR dev (84 articles), the bench's own scorer

Speech recall counts gold attributions of speech and writing; precision counts every prediction against
every PolNeAR attribution. The dev split is only scored, never trained on.

{bench}{people}

Learning curve (gold + n PolNeAR training articles: nested random samples read in corpus order, so the last point
is the shipped model's training run again, the shipped model itself on the processor that trained it and a fit a
few thousandths away on another; same settings; dev speech F1):

{curve}

### Seed corpus (five documents, leave-one-document-out)

LODO trains on four documents (plus PolNeAR where named) and tests on the fifth. "shipped, on its
training data" is optimistic. The baselines run on the same parses.

{seeds}

### What the learned keep decision rejects

{_rejected_lines(report)}

## Limits

- The candidate rules cap recall: a speech attribution no rule proposes cannot be recovered by the learned
  decisions (e.g. contents spread over several sentences without marks, cues the lexicon lacks).
- PolNeAR's scheme is broader than this project's; its non-speech attributions count as negatives here,
  so all-attribution recall on PolNeAR is capped by design.
- Speaker resolution to canonical names is heuristic (name grouping, recency, gender agreement), not coreference.
- English only; parse errors of the small base model carry through.
"""
