"""Throughput and memory of the shipped pipeline beside the bare base pipeline and textacy, in one run.

Timings alternate between systems over several rounds and keep each system's best round, so a noisy
machine slows all of them alike and the printed ratios stay meaningful. Peak memory is the maximum
resident set size of a fresh child process per system (``VmHWM``), measured the same way for each.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

_MEMORY_CHILD = """
import json, resource, sys
import spacy, srsly
import kremlin_quotes
system, model, base, texts_file = sys.argv[1:5]
texts = srsly.read_json(texts_file)
if system == "pipeline":
    nlp = kremlin_quotes.load(model)
    docs = [len(d._.attributions) for d in nlp.pipe(texts, batch_size=16)]
else:
    nlp = spacy.load(base)
    docs = [len(d) for d in nlp.pipe(texts, batch_size=16)]
    if system == "textacy":
        from textacy.extract.triples import direct_quotations
        for d in nlp.pipe(texts, batch_size=16):
            try:
                list(direct_quotations(d))
            except Exception:
                pass
try:  # VmHWM starts afresh at exec; ru_maxrss would carry over the parent's peak
    hwm_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except OSError:
    hwm_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"maxrss_mb": hwm_kb / 1024}))
"""


def bench_texts(corpus_texts: list[str], n_docs: int = 200) -> list[str]:
    """The corpus texts repeated until there are at least ``n_docs`` documents."""
    if not corpus_texts:
        raise ValueError("no texts to benchmark")
    reps = -(-n_docs // len(corpus_texts))
    return (corpus_texts * reps)[: max(n_docs, len(corpus_texts))]


def _textacy_runner(base: Language) -> Callable[[list[str]], int]:
    from textacy.extract.triples import direct_quotations

    def run(texts: list[str]) -> int:
        failures = 0
        for doc in base.pipe(texts, batch_size=16):
            try:
                list(direct_quotations(doc))
            except Exception:  # textacy raises on unbalanced quote marks; counted, not fatal
                failures += 1
        return failures

    return run


def throughput(
    pipeline: Language, base: Language, texts: list[str], rounds: int = 3, with_textacy: bool = True
) -> dict[str, dict[str, float]]:
    """Best-of-``rounds`` seconds, docs/s and words/s per system; systems alternate within each round."""
    runners: dict[str, Callable[[list[str]], int]] = {
        "base pipeline": lambda ts: sum(0 for _ in base.pipe(ts, batch_size=16)),
        "kremlin-quotes pipeline": lambda ts: sum(0 for _ in pipeline.pipe(ts, batch_size=16)),
    }
    if with_textacy:
        runners["textacy (base + direct_quotations)"] = _textacy_runner(base)
    for run in runners.values():  # warm up: lazy loading, caches
        run(texts[:5])
    best = dict.fromkeys(runners, float("inf"))
    failures: dict[str, int] = {}
    for _ in range(rounds):
        for name, run in runners.items():
            t0 = time.perf_counter()
            failures[name] = run(texts)
            best[name] = min(best[name], time.perf_counter() - t0)
    words = sum(len(t.split()) for t in texts)
    return {
        name: {
            "seconds": round(sec, 3),
            "docs_per_s": round(len(texts) / sec, 1),
            "words_per_s": round(words / sec),
            "failed_docs": failures[name],
        }
        for name, sec in best.items()
    }


def peak_memory(model: Path, base: str, texts: list[str], tmp: Path) -> dict[str, float]:
    """Peak RSS (MB) of a fresh process that loads each system and processes ``texts``."""
    texts_file = tmp / "bench-texts.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    out = {}
    for system in ("base", "pipeline", "textacy"):
        res = subprocess.run(
            [sys.executable, "-c", _MEMORY_CHILD, system, str(model), base, str(texts_file)],
            capture_output=True,
            text=True,
            check=True,
        )
        out[system] = round(json.loads(res.stdout.strip().splitlines()[-1])["maxrss_mb"], 1)
    return out


_LONG_CHILD = """
import json, sys, time
import spacy
system, model, base, text_file, max_tokens = sys.argv[1:6]
text = open(text_file, encoding="utf-8").read()
if system == "base":
    nlp = spacy.load(base)
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    nlp("warm up.")
    t0 = time.perf_counter()
    n = len(nlp(text))
else:
    import kremlin_quotes
    from kremlin_quotes.model.windows import attributions_of
    nlp = kremlin_quotes.load(model)
    if max_tokens != "config":
        nlp.get_pipe("paragraph_sentences").max_tokens = int(max_tokens)
    list(attributions_of(nlp, ["warm up."]))
    t0 = time.perf_counter()
    n = sum(len(a) for a in attributions_of(nlp, [text]))
seconds = time.perf_counter() - t0
hwm_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "rss_mb": hwm_kb / 1024, "n": n}))
"""


def long_texts(paragraphs: list[str], sizes: dict[str, int], dense_size: int) -> dict[str, str]:
    """Texts of the given sizes (characters) made of whole paragraphs in order, repeated as needed, and one
    text of ``dense_size`` made only of the paragraphs that hold a quotation mark (none when it is 0)."""

    def fill(paras: list[str], size: int) -> str:
        out, n, i = [], 0, 0
        while n < size:
            p = paras[i % len(paras)]
            out.append(p)
            n += len(p) + 2
            i += 1
        return "\n\n".join(out)[:size].rsplit("\n\n", 1)[0] if n > size else "\n\n".join(out)

    dense = [p for p in paragraphs if any(m in p for m in '"“”')]
    texts = {name: fill(paragraphs, size) for name, size in sizes.items()}
    if dense_size:
        texts[f"{dense_size // 1000} KB, quote-dense"] = fill(dense, dense_size)
    return texts


REPORT_CHAIN = "The minister said that the talks went well and he told reporters that"


def report_chain(repeats: int) -> str:
    """One sentence of ``repeats`` reports, each the content of the one before, with no sentence end: the parser
    makes it a single sentence, in which every reporting verb proposes the rest as its content (the attributor's
    worst case, which ``paragraph_sentences``' ``max_tokens`` bounds)."""
    return " ".join([REPORT_CHAIN] * repeats)


def long_document_costs(
    model: Path, base: str, text: str, tmp: Path, rounds: int = 1, max_tokens: int | None = None
) -> dict[str, dict[str, float]]:
    """Seconds (processing only) and peak RSS of a fresh process per system on one long document; with several
    ``rounds`` the systems alternate and each keeps its fastest round and its highest peak: a short text takes
    about a second, where one stall of the machine would otherwise move the ratio by a fifth. ``max_tokens``
    replaces the model's cap on sentence length (``paragraph_sentences``; 0: none), to show what it saves."""
    if rounds < 1:
        raise ValueError(f"rounds={rounds}: at least one round is needed")
    text_file = tmp / "long.txt"
    text_file.write_text(text, encoding="utf-8")
    cap = "config" if max_tokens is None else str(max_tokens)
    out: dict[str, dict[str, float]] = {}
    for _ in range(rounds):
        for system in ("base", "pipeline"):
            res = subprocess.run(
                [sys.executable, "-c", _LONG_CHILD, system, str(model), base, str(text_file), cap],
                capture_output=True,
                text=True,
                check=True,
            )
            run = json.loads(res.stdout.strip().splitlines()[-1])
            best = out.setdefault(system, run)
            best["seconds"] = min(best["seconds"], run["seconds"])
            best["rss_mb"] = max(best["rss_mb"], run["rss_mb"])
    return out
