"""How far PolNeAR's own annotators agree with each other, in the bench's measures: the ceiling a model trained and
scored on their annotations faces.

Some PolNeAR train articles were annotated by several people (one .ann file each). Every ordered pair of annotators
of an article is scored as gold and prediction with the bench's scorer, exactly as the model is scored, so the
figures compare line by line with the model's (an annotator's beliefs and intentions count as predictions too).
The model is scored on the same articles against each of their annotators, trained without them.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

from tqdm import tqdm

from ..annotation.polnear import annotator_files, annotator_of, import_polnear, split_root
from ..annotation.validate import load_valid
from ..model.bench import Bench, load_scorer
from ..model.train import train
from .heldout import bench_document

Articles = dict[str, tuple[str, dict[str, dict]]]  # article -> (text, annotator -> the article in the bench's format)


def annotated_more_than_once(polnear: str | Path) -> Articles:
    """The articles with several annotators, each annotator's version in the bench's format."""
    out = {}
    for article, (txt, anns) in annotator_files(split_root(polnear)).items():
        if len(anns) > 1:
            text = txt.read_text(encoding="utf-8")
            out[article] = (text, {annotator_of(a): bench_document(article, text, a) for a in anns})
    return out


def annotator_pairs(multi: Articles) -> tuple[dict[str, dict], dict[str, dict]]:
    """Gold and prediction documents in the bench's format, one per ordered pair of annotators of an article
    (keyed 'ARTICLE:GOLD_ANNOTATOR>PREDICTING_ANNOTATOR')."""
    gold: dict[str, dict] = {}
    pred: dict[str, dict] = {}
    for article, (_, docs) in multi.items():
        for a, b in permutations(docs, 2):
            key = f"{article}:{a}>{b}"
            gold[key] = {**docs[a], "doc_id": key}
            pred[key] = {**docs[b], "doc_id": key}
    return gold, pred


def annotator_scores(polnear: str | Path, bench: str | Path) -> tuple[dict, int, int]:
    """The bench scorer's result for annotator against annotator, the articles and the ordered pairs it comes from."""
    multi = annotated_more_than_once(polnear)
    gold, pred = annotator_pairs(multi)
    return load_scorer(bench).score(gold, pred), len(multi), len(gold)


def model_scores(annotations: Path, polnear: str | Path, bench: str | Path, n_process: int = 2) -> dict:
    """The bench scorer's result for the model against every annotator of the articles annotated more than once;
    the model is trained on the gold and the other PolNeAR articles (the first annotator of each, as `train` does)."""
    multi = annotated_more_than_once(polnear)
    gold_tasks, entities, _ = load_valid(annotations)
    tasks, _ = import_polnear(polnear)
    extra = [t for t in tasks if t["meta"]["id"] not in multi]
    nlp, _ = train(gold_tasks, entities, extra=extra, progress=True, n_process=n_process)
    gold: list[dict] = []
    attrs: list[list[dict]] = []
    articles = list(multi)
    docs = nlp.pipe((multi[a][0] for a in articles), batch_size=8)
    for article, doc in tqdm(
        zip(articles, docs, strict=True), total=len(articles), desc="annotated articles", unit="doc"
    ):
        for annotator, bench_doc in multi[article][1].items():
            gold.append({**bench_doc, "doc_id": f"{article}:{annotator}>model"})
            attrs.append(doc._.attributions)
    return Bench(bench, docs=gold).score(attrs)
