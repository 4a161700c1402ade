"""Development without touching dev: train on the gold and seven eighths of PolNeAR's train split, score the
held-out eighth with the bench's own scorer (``quotebench.py`` from ``$KQ_BENCH``; only the scorer is read), or
cross-validate over all eight eighths (``cross_validate``): every train article is scored once, by a model that did
not see it, which measures five times more attributions than one eighth (whose 105 articles proved easier than
dev).

The held-out gold is written in the bench's format from PolNeAR's brat files, with every attribution as PolNeAR
has it (beliefs and intentions too), so the scorer's speech subset and precision work as on dev.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import srsly
from tqdm import tqdm

from ..annotation.polnear import (
    Summary,
    annotation_files,
    clean_content,
    import_polnear,
    parse_ann,
    quote_label,
    split_root,
)
from ..annotation.validate import load_valid
from ..core.io import write_jsonl
from ..model.bench import MEASURES, Bench
from ..model.component import gold_from_task
from ..model.train import build_pipeline, parse, train

TYPES = {"DIRECT_QUOTE": "direct", "INDIRECT_QUOTE": "indirect", "MIXED_QUOTE": "mixed"}


def british(text: str) -> str:
    """The same article as a British paper prints it: single marks quote and double marks nest ('“…”' <-> '‘…’',
    '"…"' -> "'…'"). A '’' is a mark only where it closes a nested '‘' (not inside a word, not after one left
    open); elsewhere it stays an apostrophe. Same length, so the annotations' offsets hold. PolNeAR is American;
    this measures how the model reads the other convention."""
    out = list(text)
    nested_open = False
    for i, ch in enumerate(text):
        if ch == "\n":
            nested_open = False
        elif ch in "“”":
            out[i] = "‘" if ch == "“" else "’"
        elif ch == '"':
            out[i] = "'"
        elif ch == "‘":
            out[i], nested_open = "“", True
        elif ch == "’" and nested_open and not text[i + 1 : i + 2].isalnum():
            out[i], nested_open = "”", False
    return "".join(out)


def held_out(i: int, every: int = 8) -> bool:
    """Which PolNeAR articles (in folder order) are held out: every eighth."""
    return i % every == every - 1


def _fragments(brat, roles: dict[str, list[str]], role: str) -> list[list[int]]:  # noqa: ANN001 - a Brat
    return sorted(list(f) for tid in roles.get(role, []) if tid in brat.spans for f in brat.spans[tid][1])


def bench_document(doc_id: str, text: str, ann: Path) -> dict:
    """One article in the bench's format: every attribution's content, source and cue fragments."""
    brat = parse_ann(ann, Summary())
    quotes = []
    for event in brat.events:
        roles: dict[str, list[str]] = {}
        for role, tid in event:
            roles.setdefault(role.rstrip("0123456789"), []).append(tid)

        content = _fragments(brat, roles, "Content")
        if not content:
            continue
        # typed as the bench types it (double marks only, on the raw text), so held-out figures compare with the
        # dev bench's; the importer types training data by every convention's marks (core.marks)
        segs = [clean_content(text, s, e, first=i == 0) for i, (s, e) in enumerate(content)]
        source = _fragments(brat, roles, "Source")
        quotes.append(
            {
                "content": content,
                "source": source,
                "cue": _fragments(brat, roles, "Cue"),
                "type": TYPES[quote_label(text, [(s, e) for s, e in content], segs)],
                "source_text": " ".join(text[s:e] for s, e in source),
            }
        )
    return {"doc_id": doc_id, "split": "heldout", "text": text, "quotes": quotes}


def parse_settings(pairs: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` overrides of the attributor's settings, each value read as JSON where it is JSON ('15',
    '0.4', 'false') and as a string otherwise, as spaCy reads config overrides on its command line."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set {pair!r}: expected KEY=VALUE")
        try:
            out[key.strip()] = srsly.json_loads(value)
        except ValueError:
            out[key.strip()] = value
    return out


def run(
    annotations: Path,
    polnear: str,
    bench: str,
    learned: bool = True,
    n_process: int = 2,
    settings: dict[str, Any] | None = None,
) -> dict[str, float]:
    """Train on gold + the kept PolNeAR articles, score the held-out ones; the bench's measures by name."""
    root = split_root(polnear)
    gold, entities, _ = load_valid(annotations)
    tasks, _ = import_polnear(root)
    files = list(annotation_files(root))
    kept = [t for i, t in enumerate(tasks) if not held_out(i)]
    held = [(doc_id, txt, ann) for i, (doc_id, txt, ann, _, _) in enumerate(files) if held_out(i)]
    nlp, _ = train(
        gold, entities, nlp=build_pipeline(settings=settings), extra=kept, progress=True, n_process=n_process
    )
    nlp.get_pipe("quote_attributor").learned = learned
    held_gold = [bench_document(doc_id, txt.read_text(encoding="utf-8"), ann) for doc_id, txt, ann in held]
    texts = [d["text"] for d in held_gold]
    docs = nlp.pipe(texts, batch_size=16)
    return _score(bench, held_gold, [d._.attributions for d in tqdm(docs, total=len(texts), desc="held-out")])


def cross_validate(
    annotations: Path,
    polnear: str,
    bench: str,
    folds: int = 8,
    learned: bool = True,
    n_process: int = 2,
    restyle: Callable[[str], str] | None = None,
    settings: dict[str, Any] | None = None,
    thresholds: Sequence[float] = (),
    predictions: Path | None = None,
) -> dict[float, dict[str, float]]:
    """Fold k holds out the articles whose index is k modulo ``folds`` (fold 7 of 8 is ``held_out``); each fold
    trains on the gold and the other folds, cue lemmas included, and the pooled predictions are scored at once.
    ``restyle`` (e.g. ``british``) rewrites the held-out texts, offsets kept, before they are predicted.
    ``settings`` override the attributor's config (a variant to compare). The scores come back by keep threshold:
    the configured one alone, or each of ``thresholds``, for which every fold's model predicts once per threshold.
    The fits, which take most of the time, are shared, so thresholds compare on the very same models, all fitted
    at the configured threshold (the join learns from the attributions keep lets through;
    ``settings={"threshold": …}`` fits at another). ``predictions`` names a JSONL file for the held-out
    attributions (article id, threshold and each attribution as the pipeline writes it, not the article's text),
    which ``compare.compare_runs`` reads."""
    root = split_root(polnear)
    gold, _, _ = load_valid(annotations)
    tasks, _ = import_polnear(root)
    bench_docs = polnear_documents(root)
    nlp = build_pipeline(settings=settings)
    comp = nlp.get_pipe("quote_attributor")
    gold_items = [
        (doc, gold_from_task(t), comp.gold_weight)
        for doc, t in zip(parse(nlp, [t["text"] for t in gold], "parse gold", True), gold, strict=True)
    ]
    docs = parse(nlp, [d["text"] for d in bench_docs], "parse PolNeAR", True, n_process)
    items = [(doc, gold_from_task(t), 1.0) for doc, t in zip(docs, tasks, strict=True)]
    if restyle is not None:
        bench_docs = [dict(d, text=restyle(d["text"])) for d in bench_docs]
        tested = parse(nlp, [d["text"] for d in bench_docs], "parse restyled", True, n_process)
    else:
        tested = docs
    fit_cut = comp.threshold  # training reads it too (the join learns from what keep lets through)
    cuts = list(thresholds) or [fit_cut]
    attrs: list[list[list[dict]]] = [[[] for _ in docs] for _ in cuts]
    for k in tqdm(range(folds), desc="folds", unit="fold"):
        comp.learned, comp.threshold = True, fit_cut
        comp.fit(gold_items + [it for i, it in enumerate(items) if i % folds != k])
        comp.learned = learned
        for cut, out in zip(cuts, attrs, strict=True):
            comp.threshold = cut
            for i in range(k, len(docs), folds):
                out[i] = comp(tested[i])._.attributions
    if predictions is not None:
        write_jsonl(
            predictions,
            (
                {"doc_id": d["doc_id"], "threshold": cut, "attributions": a}
                for cut, out in zip(cuts, attrs, strict=True)
                for d, a in zip(bench_docs, out, strict=True)
            ),
        )
    scores = [_score(bench, bench_docs, out) for out in attrs]
    return dict(zip(cuts, scores, strict=True))


def polnear_documents(root: Path) -> list[dict]:
    """Every article of a PolNeAR split in the bench's format, all attributions kept, in the importer's order."""
    return [bench_document(d, txt.read_text(encoding="utf-8"), ann) for d, txt, ann, _, _ in annotation_files(root)]


def _score(bench: str, gold: list[dict], attrs: list[list[dict]]) -> dict[str, float]:
    """The bench's measures, by name, of ``attrs`` against ``gold`` (documents in the bench's format)."""
    result = Bench(bench, docs=gold).score(attrs)
    return {name: round(f(result), 4) for name, f in MEASURES}
