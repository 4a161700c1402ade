"""The ``quote_attributor`` spaCy component: rule candidates -> learned decisions -> quotes, cues, speakers.

Output on each Doc:
- ``doc.spans["quotes"]`` (labels DIRECT_QUOTE / INDIRECT_QUOTE / MIXED_QUOTE), ``doc.spans["speakers"]``
  (``kb_id_`` = the registry id) and ``doc.spans["cues"]``, ready for displaCy's span style;
- ``doc._.attributions``: one dict a quote with character offsets (``content`` segments, ``speaker``,
  ``cue``), its ``label``, ``canonical`` speaker name, registry ``entity`` id and ``score``.

Settings live in the config (``[components.quote_attributor]``): ``threshold`` (the keep probability an
attribution needs; 0.38, where the cross-validation's speech F1 was highest for the keep network among 0.38,
0.42 and 0.46), ``join_threshold`` (the probability with which two consecutive attributions are one utterance and
take the first one's speaker and cue), ``learned`` (False gives the rules-only system), ``C``,
``keep_hidden``, ``keep_alpha``, ``keep_epochs``, ``keep_networks``, ``keep_seed``, ``keep_min_examples`` (the
keep decision's hidden units, L2 penalty and most passes, how many networks it averages and the first of their
successive start seeds, and the candidates it needs to be a network at all: with 0 hidden units or fewer
candidates it is a logistic regression like the others, since some 90 candidates of a few documents cannot fit tens
of thousands of weights) and ``gold_weight`` for training,
``max_speaker_options``, ``min_cue_count`` and ``min_cue_share`` (when an annotated cue verb joins the lexicon),
``context_vectors`` (the extent and speaker decisions also read the base pipeline's ``doc.tensor`` rows at a
quote's edges and a mention's head; a pipeline without a tensor still runs, on the named features alone).
``model.json`` holds only what training learned: the weights, the added cue verbs and the entity index.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path, registry
from tqdm import tqdm

from ..core import (
    sentences,  # noqa: F401  (registers "paragraph_sentences")
    taskview,
    tokenizer,  # noqa: F401  (registers "kremlin_quotes.Tokenizer.v1")
)
from ..core.errors import KQError
from ..core.labels import CUE, CUED_BY, QUOTE_LABELS, SPEAKER, SPOKEN_BY, UNKNOWN_ENTITY
from ..core.lexicon import cue_verbs
from ..core.text import looks_like_headline
from .candidates import Candidate
from .classifier import featurize
from .decide import (
    Decisions,
    Proposal,
    choose_speaker,
    choose_type,
    choose_variant,
    confidence_features,
    conform_extent,
    extent_variants,
    has_context_vectors,
    join_features,
    joinable,
    keep_features,
    learn_cue_lemmas,
    logits,
    overlaps,
    reported_mention_features,
    sibling_features,
    speaker_options,
    strip_that,
    swallow_features,
    type_features,
    variant_features,
    words,
)
from .docarrays import forget, text_of
from .generate import generate
from .linear import fit_linear, fit_multiclass, fit_network, fit_ranker
from .resolve import canonical_names

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)

MODEL_FILE = "model.json"
FORMAT = 3


@dataclass
class GoldQuote:
    """One annotated attribution: content segments (one utterance), speaker, cue and type."""

    content: list[tuple[int, int]]
    label: str
    speaker: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None


def gold_from_task(task: dict) -> list[GoldQuote]:
    """Quotes of a Prodigy task; segments that share speaker and cue are one utterance, as in PolNeAR."""
    span = lambda s: (s["start"], s["end"]) if s is not None else None  # noqa: E731
    return _group(
        [((q.span["start"], q.span["end"]), q.label, span(q.speaker), span(q.cue)) for q in taskview.quotes(task)]
    )


def gold_from_doc(doc: Doc) -> list[GoldQuote]:
    """Quotes of a reference Doc (``kremlin-quotes docbin``: spans in groups, relations in ``user_data``)."""
    rels = doc.user_data.get("relations") or []
    spk, cue = {}, {}
    for r in rels:
        head, child = tuple(r["head"]), tuple(r["child"])
        if r["label"] == SPOKEN_BY:
            spk[head] = child[:2]
        elif r["label"] == CUED_BY:
            cue[head] = child[:2]
    quotes = doc.spans.get("quotes", [])
    return _group(
        [
            ((q.start_char, q.end_char), q.label_, spk.get(k), cue.get(k))
            for q in quotes
            for k in [(q.start_char, q.end_char, q.label_)]
        ]
    )


def _group(items: list[tuple]) -> list[GoldQuote]:
    out: list[GoldQuote] = []
    by_key: dict[tuple, GoldQuote] = {}
    for seg, label, spk, cue in sorted(items):
        key = (spk, cue)
        if spk is not None and cue is not None and key in by_key:
            g = by_key[key]
            g.content.append(seg)
            if g.label != label:
                g.label = QUOTE_LABELS[2]
            continue
        g = GoldQuote([seg], label, spk, cue)
        out.append(g)
        by_key[key] = g
    return out


def title_end_of(text: str) -> int | None:
    """End of the first paragraph when it reads as a headline (no final punctuation, short)."""
    end = text.find("\n")
    if end <= 0:
        return None
    return end if looks_like_headline(text[:end].strip()) else None


@registry.scorers("kremlin_quotes.attribution_scorer.v1")
def make_attribution_scorer() -> Callable[[Iterable[Example]], dict[str, Any]]:
    return score_attributions


def score_attributions(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """Quote P/R/F (the bench's half-overlap match), speaker accuracy on matched quotes, cue F1."""
    tp = n_pred = n_gold = spk_ok = cue_tp = cue_pred = cue_gold = 0
    for eg in examples:
        text = eg.reference.text
        gold = gold_from_doc(eg.reference)
        pred_doc = eg.predicted
        pred = [
            (words(text, [tuple(x) for x in a["content"]]), tuple(a["speaker"]))
            for a in (pred_doc._.attributions or [])
        ]
        gw = [(words(text, g.content), g.speaker) for g in gold]
        n_pred += len(pred)
        n_gold += len(gw)
        used: set[int] = set()
        for pw, pspk in pred:
            best = max(
                (i for i, (g, _) in enumerate(gw) if i not in used and overlaps(pw, g)),
                key=lambda i: len(pw & gw[i][0]),
                default=None,
            )
            if best is None:
                continue
            used.add(best)
            tp += 1
            gspk = gw[best][1]
            spk_ok += bool(gspk and words(text, [gspk]) & words(text, [pspk]))
        gcues = {(s.start_char, s.end_char) for s in eg.reference.spans.get("cues", [])}
        pcues = {(s.start_char, s.end_char) for s in pred_doc.spans.get("cues", [])}
        cue_gold += len(gcues)
        cue_pred += len(pcues)
        cue_tp += sum(any(words(text, [p]) & words(text, [g]) for g in gcues) for p in pcues)

    def f(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    qp, qr = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
    cp, cr = (cue_tp / cue_pred if cue_pred else 0.0), (cue_tp / cue_gold if cue_gold else 0.0)
    return {
        "quote_p": qp,
        "quote_r": qr,
        "quote_f": f(qp, qr),
        "speaker_acc": spk_ok / tp if tp else 0.0,
        "cue_p": cp,
        "cue_r": cr,
        "cue_f": f(cp, cr),
    }


@Language.factory(
    "quote_attributor",
    default_config={
        "threshold": 0.38,
        "join_threshold": 0.5,
        "learned": True,
        "C": 1.0,
        "keep_hidden": 64,
        "keep_alpha": 0.03,
        "keep_epochs": 30,
        "keep_networks": 3,
        "keep_seed": 0,
        "keep_min_examples": 1000,
        "gold_weight": 5.0,
        "max_speaker_options": 8,
        "min_cue_count": 3,
        "min_cue_share": 0.1,
        "context_vectors": True,
        "scorer": {"@scorers": "kremlin_quotes.attribution_scorer.v1"},
    },
    requires=["token.dep", "token.lemma", "token.pos", "doc.ents"],
    assigns=["doc.spans", "doc._.attributions"],
    default_score_weights={"quote_f": 1.0, "speaker_acc": 0.5, "cue_f": 0.2, "quote_p": 0.0, "quote_r": 0.0},
)
def make_quote_attributor(
    nlp: Language,
    name: str,
    threshold: float,
    join_threshold: float,
    learned: bool,
    C: float,
    keep_hidden: int,
    keep_alpha: float,
    keep_epochs: int,
    keep_networks: int,
    keep_seed: int,
    keep_min_examples: int,
    gold_weight: float,
    max_speaker_options: int,
    min_cue_count: int,
    min_cue_share: float,
    context_vectors: bool,
    scorer: Callable | None,
) -> QuoteAttributor:
    return QuoteAttributor(
        nlp,
        name,
        threshold=threshold,
        join_threshold=join_threshold,
        learned=learned,
        C=C,
        keep_hidden=keep_hidden,
        keep_alpha=keep_alpha,
        keep_epochs=keep_epochs,
        keep_networks=keep_networks,
        keep_seed=keep_seed,
        keep_min_examples=keep_min_examples,
        gold_weight=gold_weight,
        max_speaker_options=max_speaker_options,
        min_cue_count=min_cue_count,
        min_cue_share=min_cue_share,
        context_vectors=context_vectors,
        scorer=scorer,
    )


class QuoteAttributor:
    """Rule candidates, then five learned decisions (extent, speaker, keep, type, join); see ``decide.py``."""

    def __init__(
        self,
        nlp: Language,
        name: str = "quote_attributor",
        *,
        threshold: float = 0.38,
        join_threshold: float = 0.5,
        learned: bool = True,
        C: float = 1.0,
        keep_hidden: int = 64,
        keep_alpha: float = 0.03,
        keep_epochs: int = 30,
        keep_networks: int = 3,
        keep_seed: int = 0,
        keep_min_examples: int = 1000,
        gold_weight: float = 5.0,
        max_speaker_options: int = 8,
        min_cue_count: int = 3,
        min_cue_share: float = 0.1,
        context_vectors: bool = True,
        scorer: Callable | None = score_attributions,
    ) -> None:
        self.name = name
        self.threshold = threshold
        self.join_threshold = join_threshold
        self.learned = learned
        self.C = C
        self.keep_hidden = keep_hidden  # 0: keep is a logistic regression too
        self.keep_alpha = keep_alpha
        self.keep_epochs = keep_epochs
        if keep_networks < 1:
            raise ValueError(
                f"{name}: keep_networks={keep_networks}, at least 1 (how many keep networks are averaged)"
            )
        self.keep_networks = keep_networks
        self.keep_seed = keep_seed  # the first network's start seed; the others take the next ones
        self.keep_min_examples = keep_min_examples  # fewer: a logistic regression (the gold alone has about 90)
        self.gold_weight = gold_weight
        self.max_speaker_options = max_speaker_options
        self.min_cue_count = min_cue_count
        self.min_cue_share = min_cue_share
        self.context_vectors = context_vectors  # extent and speaker decisions also read doc.tensor rows
        self.cue_lemmas: list[str] = []  # reporting verbs training added to the lexicon
        self.lexicon = cue_verbs()
        self.decisions = Decisions()
        self.entity_index: dict[str, str] = {}
        self.trained_on: dict[str, Any] = {}
        self.scorer = scorer

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return (self.scorer or score_attributions)(examples, **kwargs)

    # -- proposals
    def propose(self, doc: Doc) -> list[Proposal]:
        """Candidates with their extent variants, speaker options and features (what the decisions see)."""
        forget(doc)
        text = text_of(doc)
        title_end = title_end_of(text)
        out = []
        previous: tuple[int, int] | None = None
        for cand in sorted(generate(doc, title_end, self.lexicon), key=lambda c: (c.start, c.end)):
            named = extent_variants(doc, cand)
            vfeats = [variant_features(doc, cand, v, name, self.context_vectors) for name, v in named]
            p = Proposal(cand, [v for _, v in named], vfeats)
            p.options = speaker_options(doc, cand, previous, self.max_speaker_options, self.context_vectors)
            p.cand.features = featurize(doc, cand, title_end)
            if cand.speaker is not None:
                previous = cand.speaker
            out.append(p)
        sibling_features(out)
        swallow_features(out)
        reported_mention_features(out)
        return out

    def rejected(self, doc: Doc, proposals: list[Proposal]) -> int:
        """How many proposals with a speaker the keep model drops (the rules-only system keeps them all)."""
        learned, self.learned = self.learned, True
        try:
            return sum(c is not None and c.score < self.threshold for c in (self.decided(doc, p) for p in proposals))
        finally:
            self.learned = learned

    def decided(self, doc: Doc, p: Proposal) -> Candidate | None:
        """The attribution one proposal becomes (extent, speaker, type, keep score), or None without a speaker."""
        scores = logits(self.decisions, p) if self.learned else None
        vi = choose_variant(p, scores[0] if scores else None)
        opt = choose_speaker(p, scores[1] if scores else None)
        if opt is None:
            return None
        v = p.variants[vi]
        score = 1.0
        if self.learned:
            score = self.decisions.keep.prob(keep_features(doc, p.cand, v, opt, self._base(p, vi, scores)))
        c = p.cand
        return Candidate(
            content=list(v),
            kind=c.kind,
            label=choose_type(self.decisions, doc, p, v, self.learned),
            cue=c.cue,
            speaker=opt.span,
            cue_lemma=c.cue_lemma,
            score=score,
        )

    def _base(self, p: Proposal, vi: int, scores: tuple[list[float], list[float]]) -> dict[str, float]:
        """The candidate's own features and how sure the speaker and extent decisions are about it (``scores``:
        ``logits(self.decisions, p)``)."""
        return {**p.cand.features, **confidence_features(p, vi, scores)}

    def kept(self, doc: Doc, proposals: list[Proposal]) -> list[Candidate]:
        """The attributions the keep decision lets through, one per stretch of text, before any join."""
        rows = []
        for p in proposals:
            c = self.decided(doc, p)
            if c is not None and (c.score >= self.threshold or not self.learned):
                rows.append((c, partial(self.fallbacks, doc, p, c)))
        return _no_overlaps(rows)

    def fallbacks(self, doc: Doc, p: Proposal, chosen: Candidate) -> list[Candidate]:
        """The proposal's other extents, best first, that the keep decision would also let through: where the
        chosen extent overlaps a better attribution ('adds that [she has released …] and called on [Sanders …]'),
        the next one that fits is taken instead of dropping the attribution."""
        if not self.learned:
            return []
        scores = logits(self.decisions, p)
        opt = choose_speaker(p, scores[1])
        out = []
        for vi in sorted(range(len(p.variants)), key=lambda i: -scores[0][i]):
            v = list(p.variants[vi])
            if v == chosen.content:
                continue
            score = self.decisions.keep.prob(keep_features(doc, p.cand, v, opt, self._base(p, vi, scores)))
            if score >= self.threshold:
                label = choose_type(self.decisions, doc, p, v, True)
                out.append(replace(chosen, content=v, label=label, score=score))
        return out

    def decide(self, doc: Doc, proposals: list[Proposal]) -> list[Candidate]:
        out = self.kept(doc, proposals)
        if self.learned:
            for a, b in pairwise(out):  # in text order: a part joined to a joined part joins the utterance
                if joinable(a, b) and self.decisions.join.prob(join_features(doc, a, b)) >= self.join_threshold:
                    b.speaker, b.cue = a.speaker, a.cue
        return out

    def __call__(self, doc: Doc) -> Doc:
        return self.annotate(doc, self.propose(doc))

    def annotate(self, doc: Doc, proposals: list[Proposal]) -> Doc:
        """Decide over ``proposals`` (from ``propose``) and write the spans and attributions on ``doc``."""
        kept = self.decide(doc, proposals)
        names = canonical_names(doc, kept)
        attributions, quotes, speakers, cues = [], [], [], []
        text = text_of(doc)
        for cand, canon in zip(kept, names, strict=True):
            content = conform_extent(doc, cand.content, cand.label)
            q_spans = [doc.char_span(s, e, label=cand.label, alignment_mode="expand") for s, e in content]
            spk = doc.char_span(*cand.speaker, label=SPEAKER, alignment_mode="expand")
            cue = doc.char_span(*cand.cue, label=CUE, alignment_mode="expand") if cand.cue else None
            if spk is None or any(q is None or not len(q) for q in q_spans):
                continue
            entity = self.entity_of(text[cand.speaker[0] : cand.speaker[1]], canon)
            spk.kb_id_ = entity
            quotes += q_spans
            speakers.append(spk)
            if cue is not None:
                cues.append(cue)
            attributions.append(
                {
                    "content": [[q.start_char, q.end_char] for q in q_spans],
                    "label": cand.label,
                    "speaker": [spk.start_char, spk.end_char],
                    "cue": [cue.start_char, cue.end_char] if cue is not None else None,
                    "canonical": canon,
                    "entity": entity,
                    "score": round(cand.score, 4),
                }
            )
        doc.spans["quotes"] = quotes
        doc.spans["speakers"] = speakers
        doc.spans["cues"] = cues
        doc._.attributions = attributions
        return doc

    def entity_of(self, mention: str, canon: str | None) -> str:
        """The registry id: the mention itself when it is a name or alias (with or without "the"), else the
        canonical name the resolver reached, else UNKNOWN."""
        low = mention.lower().strip()
        for key in (
            low,
            re.sub(r"^the\s+", "", low),
            (canon or "").lower(),
            re.sub(r"^the\s+", "", (canon or "").lower()),
        ):
            if key and key in self.entity_index:
                return self.entity_index[key]
        return UNKNOWN_ENTITY

    # -- training
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        entities: dict[str, dict] | None = None,
    ) -> None:
        """Train the decisions on ``get_examples()`` (reference docs as ``kremlin-quotes docbin`` writes
        them); the predicted docs are parsed by the pipeline's earlier components."""
        examples = list(get_examples())
        if nlp is not None:
            before = [n for n, _ in nlp.pipeline[: nlp.pipe_names.index(self.name)]]
            with nlp.select_pipes(enable=before):
                docs = list(nlp.pipe(eg.reference.text for eg in examples))
        else:
            docs = [eg.predicted for eg in examples]
        self.fit([(d, gold_from_doc(eg.reference), self.gold_weight) for d, eg in zip(docs, examples, strict=True)])
        if entities is not None:
            from .resolve import entity_index

            self.entity_index = entity_index(entities)

    def fit(self, items: list[tuple[Doc, list[GoldQuote], float]], progress: bool = False) -> dict[str, int]:
        """Fit the five decisions on parsed docs with their gold quotes and a weight per document; first the
        reporting verbs the annotators mark as cues often enough join the lexicon the candidates are found with."""
        if self.context_vectors:
            self._warn_without_tensors([doc for doc, _, _ in items])
        self.set_cue_lemmas(learn_cue_lemmas(items, cue_verbs(), self.min_cue_count, self.min_cue_share))
        rows = [
            (doc, golds, w, self.propose(doc))
            for doc, golds, w in tqdm(items, desc="candidates", unit="doc", disable=not progress)
        ]
        return self.fit_proposals(rows)

    def set_cue_lemmas(self, lemmas: list[str]) -> None:
        self.cue_lemmas = sorted(lemmas)
        self.lexicon = cue_verbs() | frozenset(self.cue_lemmas)

    def _warn_without_tensors(self, docs: list[Doc]) -> None:
        """Docs read back from a ``DocBin`` keep their parse but not ``doc.tensor``: the extent and speaker
        decisions would then learn without the context vectors they read at prediction time, and score worse
        (0.0023 to 0.003 speech F1 in two 8-fold cross-validations) with nothing failing."""
        bare = sum(1 for doc in docs if len(doc) and not has_context_vectors(doc))
        if bare:
            warnings.warn(
                f"{self.name}: {bare} of {len(docs)} training docs have no doc.tensor (a DocBin does not store it), "
                "so the extent and speaker decisions learn without the context vectors they read when predicting; "
                "parse the texts with the pipeline (initialize(..., nlp=nlp)) or set context_vectors = false",
                UserWarning,
                stacklevel=3,
            )

    def fit_proposals(self, rows: list[tuple[Doc, list[GoldQuote], float, list[Proposal]]]) -> dict[str, int]:
        ext_X, ext_y, ext_w = [], [], []
        spk_X, spk_y, spk_w = [], [], []
        typ_X, typ_y, typ_w = [], [], []
        keep_rows: list[tuple[Doc, Proposal, list[GoldQuote], list[frozenset[int]], float]] = []
        for doc, golds, w, props in rows:
            text = text_of(doc)
            gw = [strip_that(text, words(text, g.content)) for g in golds]
            for p in props:
                vws = [strip_that(text, words(text, v)) for v in p.variants]
                best, best_ov, best_v = None, 0, 0
                for vi, vw in enumerate(vws):
                    for gi, g in enumerate(gw):
                        if overlaps(vw, g) and len(vw & g) > best_ov:
                            best, best_ov, best_v = gi, len(vw & g), vi
                keep_rows.append((doc, p, golds, gw, w))
                if best is None:
                    continue
                g = golds[best]
                exact = [int(vw == gw[best]) for vw in vws]
                if 0 < sum(exact) < len(exact):
                    for f, y in zip(p.variant_feats, exact, strict=True):
                        ext_X.append(f)
                        ext_y.append(y)
                        ext_w.append(w)
                if g.speaker is not None and p.options:
                    gs = words(text, [g.speaker])
                    ys = [int(bool(words(text, [o.span]) & gs)) for o in p.options]
                    if 0 < sum(ys) < len(ys):  # one group (softmax) per candidate with a right and a wrong mention
                        spk_X.append([o.feats for o in p.options])
                        spk_y.append(ys)
                        spk_w.append(w)
                vi = exact.index(1) if 1 in exact else best_v
                typ_X.append(type_features(doc, p.cand, p.variants[vi]))
                typ_y.append(g.label)
                typ_w.append(w)
        # a new Decisions object: a caller holding the previous one (e.g. the shipped model) keeps it intact
        self.decisions = Decisions(
            extent=fit_linear(ext_X, ext_y, ext_w, C=self.C),
            speaker=fit_ranker(spk_X, spk_y, spk_w, C=self.C),
            qtype=fit_multiclass(typ_X, typ_y, list(QUOTE_LABELS), typ_w, C=self.C),
        )
        # keep is fitted on what the other decisions choose, as at prediction time, and labelled by the extent
        # it would output: a candidate whose chosen extent does not find a gold quote (`_finds`) is wrong to keep
        keep_X, keep_y, keep_w = [], [], []
        for doc, p, golds, gw, w in keep_rows:
            scores = logits(self.decisions, p)
            opt = choose_speaker(p, scores[1])
            if opt is None:
                continue
            vi = choose_variant(p, scores[0])
            v = p.variants[vi]
            keep_X.append(keep_features(doc, p.cand, v, opt, self._base(p, vi, scores)))
            text = text_of(doc)
            keep_y.append(int(_finds(text, strip_that(text, words(text, v)), golds, gw)))
            keep_w.append(w)
        if self.keep_hidden > 0 and len(keep_y) >= self.keep_min_examples:
            self.decisions.keep = fit_network(
                keep_X,
                keep_y,
                keep_w,
                hidden=self.keep_hidden,
                alpha=self.keep_alpha,
                epochs=self.keep_epochs,
                networks=self.keep_networks,
                seed=self.keep_seed,
            )
        else:
            self.decisions.keep = fit_linear(keep_X, keep_y, keep_w, C=self.C)
        join_X, join_y, join_w = self._join_examples(rows)
        self.decisions.join = fit_linear(join_X, join_y, join_w, C=self.C)
        return {
            "candidates": len(keep_rows),
            "positive": sum(keep_y),
            "extent_examples": len(ext_y),
            "speaker_examples": sum(map(len, spk_y)),
            "type_examples": len(typ_y),
            "join_examples": len(join_y),
        }

    def _join_examples(
        self, rows: list[tuple[Doc, list[GoldQuote], float, list[Proposal]]]
    ) -> tuple[list[dict[str, float]], list[int], list[float]]:
        """Consecutive attributions as the fitted decisions keep them; positive when most of both lies in
        one gold quote (two parts of one utterance), so the join sees what it sees at prediction time."""
        X, y, w_ = [], [], []
        learned, self.learned = self.learned, True
        try:
            for doc, golds, w, props in rows:
                text = text_of(doc)
                gw = [words(text, g.content) for g in golds]
                out = self.kept(doc, props)
                homes = [_home(words(text, c.content), gw) for c in out]
                for (a, ha), (b, hb) in pairwise(zip(out, homes, strict=True)):
                    if not joinable(a, b):
                        continue
                    X.append(join_features(doc, a, b))
                    y.append(int(ha is not None and ha == hb))
                    w_.append(w)
        finally:
            self.learned = learned
        return X, y, w_

    # -- serialization
    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "decisions": self.decisions.to_dict(),
            "entities": self.entity_index,
            "cue_lemmas": self.cue_lemmas,
            "trained_on": self.trained_on,
        }
        srsly.write_json(path / MODEL_FILE, data, indent=0)  # compact: the weights are most of it

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> QuoteAttributor:
        file = ensure_path(path) / MODEL_FILE
        try:
            data = srsly.read_json(file)
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            self.decisions = Decisions.from_dict(data["decisions"])
            self.entity_index = {str(k): str(v) for k, v in data.get("entities", {}).items()}
            self.trained_on = dict(data.get("trained_on", {}))
            lemmas = data.get("cue_lemmas", [])
            if not isinstance(lemmas, list) or not all(isinstance(x, str) for x in lemmas):
                raise ValueError(f"cue_lemmas must be a list of words, got {lemmas!r}")
            self.set_cue_lemmas(lemmas)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise KQError(
                f"{file}: unreadable model file ({type(e).__name__}: {e}); rebuild it with `kremlin-quotes train`"
            ) from e
        return self


def _home(cw: frozenset[int], gold_words: list[frozenset[int]]) -> int | None:
    """The gold quote holding most of the words ``cw`` (at least half of them), if any."""
    best = max(range(len(gold_words)), key=lambda i: len(cw & gold_words[i]), default=None)
    return best if best is not None and cw and len(cw & gold_words[best]) >= 0.5 * len(cw) else None


def _finds(text: str, cw: frozenset[int], golds: list[GoldQuote], gold_words: list[frozenset[int]]) -> bool:
    """Whether an output extent finds a gold quote as a match counts it (``decide.overlaps``: half of each in the
    other), the gold quote being the one holding most of it. A part of an interrupted quotation ('“Okay,” I said,
    “I was …”') need only hold half of one of its parts, since the join reunites the parts downstream; a clause
    reported inside a longer quote that has no gold quote of its own finds nothing, so keeping it costs a false
    attribution."""
    home = _home(cw, gold_words)
    if home is None:
        return False
    if overlaps(cw, gold_words[home]):
        return True
    parts = golds[home].content
    return len(parts) > 1 and any(
        len(cw & pw) >= 0.5 * len(pw) for pw in (strip_that(text, words(text, [part])) for part in parts) if pw
    )


def _no_overlaps(rows: list[tuple[Candidate, Callable[[], list[Candidate]]]]) -> list[Candidate]:
    """One attribution per stretch of text: where contents overlap, the higher score wins; the loser takes its
    first fallback extent (computed only then) that overlaps nothing taken."""
    out: list[Candidate] = []
    starts: list[int] = []  # the taken segments, disjoint and sorted: one binary search per check
    ends: list[int] = []

    def clashes(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, e) - 1  # the taken segment starting last before e
        return i >= 0 and ends[i] > s

    def fits(c: Candidate) -> bool:
        return not any(clashes(s, e) for s, e in c.content)

    for first, fallbacks in sorted(rows, key=lambda r: (-r[0].score, r[0].start)):
        c = first if fits(first) else next(filter(fits, fallbacks()), None)
        if c is None:
            continue
        out.append(c)
        for s, e in c.content:
            i = bisect.bisect_left(starts, s)
            starts.insert(i, s)
            ends.insert(i, e)
    return sorted(out, key=lambda c: (c.start, c.end))
