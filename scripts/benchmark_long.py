"""Benchmark: cost of long documents, the base pipeline and ours side by side in one run.

    .venv/bin/python scripts/benchmark_long.py [--sizes 25,100,400,1000] [--dense 1000] [--rounds 3]

Real news text (PolNeAR's train articles when $KQ_POLNEAR is set, else the corpus, repeated) cut at whole
paragraphs to each size in KB, plus one text made only of paragraphs with quotation marks. Each system runs in
a fresh process: seconds of processing (loading excluded) and peak RSS. Targets: our time <= 1.15 x base at
every size and <= 2 x base on the quote-dense text; our peak RSS at 1 MB <= 1.5 GB. Texts up to 100 KB take a few
seconds, so the two systems alternate for ``--rounds`` rounds there and each keeps its fastest. Last, the worst case
for the attributor: one sentence of ``--chain`` reports without a sentence end, processed as shipped (sentences cut
every ``max_tokens`` tokens, target <= 3 x base: every sentence is full of reporting verbs) and, for scale, with that
cap off (one round); and ``--run`` quotation marks in a row without white space, which spaCy's tokenizer splits in
quadratic time (ours tokenizes such runs in pieces, ``core.tokenizer``; target <= 1.15 x base).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from wasabi import msg

from kremlin_quotes.core.documents import load_corpus
from kremlin_quotes.core.settings import base_model_name, polnear_dir
from kremlin_quotes.model.benchmark import long_document_costs, long_texts, report_chain

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout this script belongs to
TIME_TARGET, DENSE_TARGET, CHAIN_TARGET, RSS_TARGET_MB = 1.15, 2.0, 3.0, 1500
SHORT_CHARS = 100_000  # texts up to this size are timed over several rounds


def paragraphs() -> tuple[list[str], str]:
    root = polnear_dir()
    if root and (Path(root) / "train" / "text").is_dir():
        files = sorted((Path(root) / "train" / "text").glob("*.txt"))
        texts, source = [f.read_text(encoding="utf-8") for f in files], f"PolNeAR train ({len(files)} articles)"
    else:
        texts, source = [d["text"] for d in load_corpus(PROJECT_ROOT / "corpus")], "the corpus (5 articles)"
    return [p.strip() for t in texts for p in t.split("\n") if p.strip()], source


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="25,100,400,1000", help="sizes in KB (1 KB = 1,000 characters)")
    ap.add_argument("--dense", type=int, default=1000, help="size in KB of the quote-dense text (0: none)")
    ap.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "kremlin_quotes")
    ap.add_argument("--rounds", type=int, default=3, help=f"alternating rounds for texts up to {SHORT_CHARS:,} chars")
    ap.add_argument("--chain", type=int, default=150, help="reports in the sentence without sentence ends (0: none)")
    ap.add_argument("--run", type=int, default=5000, help="quotation marks in a row without white space (0: none)")
    args = ap.parse_args()
    paras, source = paragraphs()
    sizes = {f"{kb} KB": kb * 1000 for kb in map(int, args.sizes.split(","))}
    texts = long_texts(paras, sizes, args.dense * 1000)
    msg.info(f"text from {source}; base pipeline {base_model_name()}")
    rows, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:

        def measure(name: str, text: str, rounds: int, target: float | None, cap: int | None = None) -> dict:
            """One row: both systems on ``text``; ``target`` None only prints the ratio (for scale)."""
            nonlocal ok
            res = long_document_costs(args.model, base_model_name(), text, Path(tmp), rounds, max_tokens=cap)
            b, p = res["base"], res["pipeline"]
            ratio = p["seconds"] / b["seconds"]
            ok &= target is None or ratio <= target
            rows.append(
                (name, f"{len(text):,}", rounds, round(b["seconds"], 2), round(p["seconds"], 2),
                 f"{ratio:.3f}" + (f" (<= {target})" if target else ""), round(b["rss_mb"], 1),
                 round(p["rss_mb"], 1), p["n"])
            )  # fmt: skip
            return p

        for name, text in texts.items():
            rounds = args.rounds if len(text) <= SHORT_CHARS else 1
            p = measure(name, text, rounds, DENSE_TARGET if "dense" in name else TIME_TARGET)
            if name.startswith("1000 KB"):
                ok &= p["rss_mb"] <= RSS_TARGET_MB
        if args.chain:
            chain = report_chain(args.chain)
            measure(f"report chain ({args.chain} reports, no sentence end)", chain, args.rounds, CHAIN_TARGET)
            measure("the same, max_tokens 0 (no cap)", chain, 1, None, cap=0)
        if args.run:
            measure(f"{args.run:,} quotation marks in a row", "\u201c" * args.run, args.rounds, TIME_TARGET)
    header = (
        "text",
        "chars",
        "rounds",
        "base s",
        "ours s",
        "time ratio",
        "base RSS MB",
        "ours RSS MB",
        "attributions",
    )
    msg.table(rows, header=header, divider=True)
    (msg.good if ok else msg.warn)(
        f"targets: time ratio <= {TIME_TARGET} (quote-dense <= {DENSE_TARGET}, report chain <= {CHAIN_TARGET}), ours "
        f"RSS at 1 MB <= {RSS_TARGET_MB} MB"
        f": {'met' if ok else 'missed'}"
    )


if __name__ == "__main__":
    main()
