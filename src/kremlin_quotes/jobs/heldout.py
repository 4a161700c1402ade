"""Development without touching dev: train on the gold and seven eighths of PolNeAR's train split, score the
held-out eighth with the bench's own scorer (``quotebench.py`` from ``$KQ_BENCH``; only the scorer is read).

The held-out gold is written in the bench's format from PolNeAR's brat files, with every attribution as PolNeAR
has it (beliefs and intentions too), so the scorer's speech subset and precision work as on dev.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

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
from ..model.bench import MEASURES, Bench
from ..model.train import train

TYPES = {"DIRECT_QUOTE": "direct", "INDIRECT_QUOTE": "indirect", "MIXED_QUOTE": "mixed"}


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
        # typed as the importer types it: on the contents cut to the guidelines' boundaries
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


def run(annotations: Path, polnear: str, bench: str, learned: bool = True, n_process: int = 2) -> dict[str, float]:
    """Train on gold + the kept PolNeAR articles, score the held-out ones; the bench's measures by name."""
    root = split_root(polnear)
    gold, entities, _ = load_valid(annotations)
    tasks, _ = import_polnear(root)
    files = list(annotation_files(root))
    kept = [t for i, t in enumerate(tasks) if not held_out(i)]
    held = [(doc_id, txt, ann) for i, (doc_id, txt, ann, _, _) in enumerate(files) if held_out(i)]
    nlp, _ = train(gold, entities, extra=kept, progress=True, n_process=n_process)
    nlp.get_pipe("quote_attributor").learned = learned
    held_gold = [bench_document(doc_id, txt.read_text(encoding="utf-8"), ann) for doc_id, txt, ann in held]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        srsly.write_jsonl(folder / "polnear_dev.jsonl", held_gold)  # the bench's file name, our held-out data
        for script in ("quotebench.py", "prodigy_to_bench.py"):
            (folder / script).write_bytes((Path(bench) / script).read_bytes())
        scorer = Bench(folder)
        texts = [d["text"] for d in held_gold]
        docs = nlp.pipe(texts, batch_size=16)
        attrs = [d._.attributions for d in tqdm(docs, total=len(texts), desc="held-out", unit="doc")]
        result = scorer.score(attrs)
    return {name: round(f(result), 4) for name, f in MEASURES}
