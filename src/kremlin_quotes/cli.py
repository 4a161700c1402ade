"""The ``kremlin-quotes`` command: one verb per pipeline stage, each thin over a package function."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from wasabi import msg

from .core import settings
from .core.errors import KQError

# Default paths are relative to the project folder (core.paths): the current directory, or --project /
# $KQ_PROJECT; never the package's location, which after a normal `pip install` is inside the virtualenv.
from .core.paths import ANNOTATIONS, CORPUS, DATASET, ENTITIES_FILE, GOLD_FILE, GUIDELINES, MODEL, SEEDS, SITE


class _Handled(typer.core.TyperGroup):
    """The one error handler: a KQError from any verb prints as `✘ file:line: field: message` and exits 1."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except KQError as e:
            _fail(e)


app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__, cls=_Handled)


@app.callback()
def _project(
    project: Path = typer.Option(
        None, "--project", envvar="KQ_PROJECT", help="Project folder (default: the current directory)."
    ),
) -> None:
    """Run every verb from the project folder, so its relative default paths resolve there."""
    if project is not None:
        if not project.is_dir():
            _fail(KQError(f"{project}: no such project folder"))
        os.chdir(project)


def _fail(err: KQError) -> None:
    """Print a user-facing error unwrapped (file:line: field stays on one line) and exit 1."""
    typer.echo(f"✘ {err}", err=True)
    raise typer.Exit(1)


def _gold(annotations: Path) -> tuple[list[dict], dict, dict]:
    """Validated gold tasks, entities and topics, or exit 1 with every validation problem."""
    from .annotation.validate import load_valid

    return load_valid(annotations)


def corpus_table(docs: list[dict]) -> None:
    """Print one row per corpus document."""
    from .corpus.build import words

    rows = [
        (
            d["id"],
            (d["title"] or "—")[:48],
            d["outlet"] or "—",
            d["date"] or "—",
            len(d["paragraphs"]),
            words(d["text"]),
        )
        for d in docs
    ]
    msg.table(rows, header=("id", "title", "outlet", "date", "paragraphs", "words"), divider=True)


corpus_app = typer.Typer(no_args_is_help=False, help="Build the corpus from the seeds, or add articles to it.")
app.add_typer(corpus_app, name="corpus")


@corpus_app.callback(invoke_without_command=True)
def corpus_cli(
    ctx: typer.Context,
    seeds: Path = typer.Option(SEEDS, help="Folder with the seed files and SHA256SUMS."),
    out: Path = typer.Option(CORPUS, help="Corpus folder."),
) -> None:
    """Verify the seeds (and added sources) and build the clean corpus with provenance."""
    if ctx.invoked_subcommand is None:
        build_corpus_cmd(seeds, out)


def build_corpus_cmd(seeds: Path, out: Path) -> None:
    from .corpus.build import build_corpus

    docs = build_corpus(seeds, out)
    msg.good(f"corpus: {len(docs)} documents -> {out}")
    corpus_table(docs)


@corpus_app.command("add")
def corpus_add_cli(
    files: list[Path] = typer.Argument(..., help="Plain-text articles (a pasted web page is fine)."),
    seeds: Path = typer.Option(SEEDS, help="Seeds folder (the corpus is rebuilt from seeds + sources)."),
    corpus: Path = typer.Option(CORPUS, help="Corpus folder; raw files are kept in its sources/ folder."),
    doc_id: str = typer.Option(None, "--id", help="Document id (default: NNN_<sha256 prefix>); one file only."),
    url: str = typer.Option(None, help="Where the article was published (recorded in provenance.jsonl)."),
) -> None:
    """Add raw articles: same cleaner as the seeds, stable ids, provenance; never overwrites a document."""
    from .corpus.add import add_documents

    report = add_documents(files, seeds, corpus, doc_id=doc_id, url=url)
    for file, existing in report.duplicates:
        msg.warn(f"{file}: duplicate of {existing}, skipped")
    for doc_id in report.added:
        msg.good(f"added {doc_id}")
    msg.info(
        f"{len(report.added)} added, {len(report.duplicates)} duplicate(s). Next: kremlin-quotes predict "
        f"{corpus / 'documents.jsonl'} new.jsonl --new-only"
    )


@app.command("validate")
def validate_cli(
    files: list[Path] = typer.Argument(None, help="Task files (JSONL); default: annotations/gold.jsonl."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Folder with entities.jsonl and topics.jsonl."),
    unreviewed: bool = typer.Option(False, "--unreviewed", help="Accept tasks with no answer (model output)."),
) -> None:
    """Check annotation tasks; print file:line: field: message for each problem, exit 1 if any."""
    from .annotation.validate import validate_files

    problems, n = validate_files(files or [annotations / GOLD_FILE], annotations, unreviewed_ok=unreviewed)
    for p in problems:
        print(p)
    if problems:
        msg.fail(f"{len(problems)} problem(s) in {n} task(s)")
        raise typer.Exit(1)
    msg.good(f"{n} task(s) valid")


@app.command("audit")
def audit_cli(annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder.")) -> None:
    """List sentences that look like attributions but carry no quote (the completeness aid)."""
    from .annotation.audit import audit

    tasks, _, _ = _gold(annotations)
    hits = audit(tasks)
    for h in hits:
        print(f"{h.doc_id}:{h.start}-{h.end}: {'; '.join(h.reasons)}: {h.sentence[:160]!r}")
    msg.info(f"{len(hits)} sentence(s) to decide (decisions: guidelines.md, section 3)")


@app.command("stats")
def stats_cli(
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder."),
    guidelines: Path = typer.Option(Path("guidelines.md"), help="File whose stats section is rewritten."),
) -> None:
    """Recompute corpus statistics and rewrite the statistics section of guidelines.md."""
    from .core.stats import stats_markdown, update_section

    tasks, entities, topics = _gold(annotations)
    body = stats_markdown(tasks, entities, topics)
    changed = update_section(guidelines, body)
    print(body)
    msg.good(f"{guidelines.name}: statistics {'updated' if changed else 'already up to date'}")


def dataset_table(sizes: dict[str, dict[str, int]]) -> None:
    """Print rows per config and split."""
    splits = ("train", "validation", "test")
    rows = [(name, *(by_split.get(s, "—") for s in splits)) for name, by_split in sizes.items()]
    msg.table(rows, header=("config", *splits), divider=True)


@app.command("dataset")
def dataset_cli(
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (gold.jsonl, registries, splits.json)."),
    corpus: Path = typer.Option(CORPUS, help="Corpus folder."),
    out: Path = typer.Option(DATASET, help="Dataset folder to (re)write: Parquet per config/split + card."),
    repo_id: str = typer.Option(None, help="Hub id named in the card's loading code."),
) -> None:
    """Build the Hub-ready dataset folder (validated; nothing is written if anything is wrong)."""
    from .core.settings import DATASET_REPO_ID
    from .jobs.dataset import build_dataset

    sizes = build_dataset(annotations, corpus, out, GUIDELINES, repo_id or DATASET_REPO_ID)
    msg.good(f"dataset -> {out} (load with datasets.load_dataset({str(out)!r}, CONFIG))")
    dataset_table(sizes)


@app.command("docbin")
def docbin_cli(
    out: Path = typer.Argument(..., help="Output .spacy file."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder."),
) -> None:
    """Export the gold annotations as a spaCy DocBin (Doc.spans layers; relations in Doc.user_data)."""
    from .dataset.docbin import write_docbin

    tasks, _, _ = _gold(annotations)
    msg.good(f"{write_docbin(out, tasks)} docs -> {out}")


def _show_plan(p, url: str, card: str, push: bool) -> bool:  # noqa: ANN001 - a publish Plan
    """Print what a push uploads; on a dry run also the card, and say nothing was uploaded. True: go on."""
    msg.table([(rel, f"{size:,}") for rel, size in p.files], header=("file", "bytes"), divider=True)
    msg.info(f"{len(p.files)} files, {p.total_bytes:,} bytes -> {url}, tag {p.tag}")
    if not push:
        print(card)
        msg.warn("dry run: nothing was uploaded; add --push to publish")
    return push


@app.command("publish")
def publish_cli(
    repo_id: str = typer.Option(..., help="Hub dataset id, 'namespace/name'."),
    push: bool = typer.Option(False, "--push", help="Upload for real (default: dry run, prints the plan)."),
    folder: Path = typer.Option(DATASET, help="Built dataset folder."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (re-validated before publishing)."),
    corpus: Path = typer.Option(CORPUS, help="Corpus folder."),
    private: bool = typer.Option(False, help="Create the repo as private."),
    endpoint: str = typer.Option(None, help="Hub endpoint (default: $HF_ENDPOINT or huggingface.co)."),
    revision: str = typer.Option(None, help="Push to this branch (created if missing) instead of main; no tag."),
    create_pr: bool = typer.Option(False, "--create-pr", help="Open a pull request instead of committing; no tag."),
) -> None:
    """Publish dataset/ to the Hub: refuses invalid annotations or a stale folder; tags the version."""
    from .core.hub import push as do_push
    from .dataset.publish import plan
    from .jobs.dataset import stale_files

    stale = stale_files(annotations, corpus, folder, GUIDELINES, repo_id)
    if stale:
        raise KQError(
            f"{folder} is stale ({len(stale)} file(s) differ from a fresh build: {', '.join(stale[:5])}); "
            f"run `kremlin-quotes dataset --repo-id {repo_id}` first; nothing was uploaded"
        )
    p = plan(folder, repo_id)
    if not _show_plan(
        p, f"https://huggingface.co/datasets/{repo_id}", (folder / "README.md").read_text("utf-8"), push
    ):
        return
    url = do_push(p, endpoint=endpoint, private=private, revision=revision, create_pr=create_pr)
    msg.good(f"published {repo_id} {p.tag}: {url}")


@app.command("package")
def package_cli(
    out: Path = typer.Argument(..., help="Folder for the wheel."),
    model: Path = typer.Option(MODEL, help="Trained pipeline folder."),
) -> None:
    """The trained pipeline as a wheel (spaCy's `spacy package`, the component vendored): pip install it, then
    spacy.load("en_kremlin_quotes") without this project."""
    from .model.package import build_wheel

    wheel = build_wheel(model, out)
    msg.good(f"{wheel} ({wheel.stat().st_size:,} bytes); pip install it, then spacy.load('en_kremlin_quotes')")


@app.command("publish-model")
def publish_model_cli(
    repo_id: str = typer.Option(..., help="Hub model id, 'namespace/name'."),
    push: bool = typer.Option(False, "--push", help="Upload for real (default: dry run, prints files and card)."),
    model: Path = typer.Option(MODEL, help="Trained pipeline folder (with metrics.json from `evaluate`)."),
    private: bool = typer.Option(False, help="Create the repo as private."),
    endpoint: str = typer.Option(None, help="Hub endpoint (default: $HF_ENDPOINT or huggingface.co)."),
    revision: str = typer.Option(None, help="Push to this branch instead of main; no tag."),
    create_pr: bool = typer.Option(False, "--create-pr", help="Open a pull request instead of committing; no tag."),
) -> None:
    """Publish the trained pipeline to the Hub: a ModelCard with a model-index of the measured figures."""
    import tempfile

    from . import __version__
    from .model.package import build_wheel
    from .model.publish import model_plan, push_model

    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(model, Path(tmp))
        p, card = model_plan(model, repo_id, __version__, wheel)
        if not _show_plan(p, f"https://huggingface.co/{repo_id}", str(card), push):
            return
        url = push_model(p, card, wheel, endpoint=endpoint, private=private, revision=revision, create_pr=create_pr)
    msg.good(f"published {repo_id} {p.tag}: {url}")


@app.command("train")
def train_cli(
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (gold.jsonl, entities.jsonl)."),
    out: Path = typer.Option(MODEL, help="Where to save the trained pipeline."),
    base_model: str = typer.Option(None, help="Base spaCy pipeline (default: $KQ_BASE_MODEL or en_core_web_sm)."),
    polnear: str = typer.Option(
        None, envvar="KQ_POLNEAR", help="PolNeAR folder (its train/ split) to train on with the gold."
    ),
    polnear_limit: int = typer.Option(None, help="Use only the first N PolNeAR articles."),
    allow_gold_only: bool = typer.Option(
        False, "--allow-gold-only", help="Overwrite the model even when training on the gold alone."
    ),
    n_process: int = typer.Option(2, help="Processes for parsing PolNeAR."),
) -> None:
    """Train the quote attributor on the gold (and PolNeAR when given) and save the pipeline."""
    from .jobs.train import train_project

    done = train_project(annotations, out, base_model, polnear, polnear_limit, allow_gold_only, n_process, msg.info)
    if done.kept:
        msg.warn(
            f"no PolNeAR folder (--polnear or $KQ_POLNEAR): {out} was trained on gold + PolNeAR and is kept; "
            "a gold-only model would be weaker. Pass --allow-gold-only or --out DIR to train one anyway."
        )
        return
    stats = done.stats
    msg.good(
        f"trained on {stats['documents']} gold + {stats['polnear_documents']} PolNeAR documents, "
        f"{stats['candidates']} candidates ({stats['positive']} positive) in {stats['seconds']} s -> {out}"
    )


@app.command("predict")
def predict_cli(
    inp: str = typer.Argument(
        ...,
        help="JSONL with 'text' (and optional 'id', 'meta'), or a folder of .txt files; with --scheduler, a glob "
        "of JSONL or Parquet shards (local or any fsspec URL).",
    ),
    out: Path = typer.Argument(
        ..., help="Output: Prodigy tasks (JSONL), in input order; with --scheduler a folder gets Parquet parts."
    ),
    model: Path = typer.Option(MODEL, help="Trained pipeline folder."),
    batch_size: int = typer.Option(16, help="Documents per nlp.pipe batch."),
    n_process: int = typer.Option(1, help="Processes for nlp.pipe."),
    skip_invalid: bool = typer.Option(False, help="Skip malformed input lines and report them."),
    new_only: bool = typer.Option(False, "--new-only", help="Skip documents whose id is already in annotations/."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (for --new-only)."),
    scheduler: str = typer.Option(
        None, help="A dask.distributed scheduler address, or local:N for a LocalCluster of N worker processes."
    ),
) -> None:
    """Pre-annotate texts with the model: Prodigy-compatible tasks with quotes, cues and speakers."""
    from . import load
    from .core.errors import Problem
    from .core.io import write_jsonl
    from .model.predict import duplicate_ids, predict_records, read_inputs

    if scheduler:
        _predict_on_cluster(inp, out, model, scheduler, annotations)
        return
    problems: list[Problem] = []
    records = read_inputs(Path(inp), skip_invalid=skip_invalid, problems=problems)
    for p in problems:
        msg.warn(f"skipped {p}")
    for doc_id, n in duplicate_ids(records).items():
        msg.warn(f"{inp}: id {doc_id!r} names {n} records; only one of them can be merged into the gold")
    if new_only:
        from .core.io import read_jsonl

        done = {t["meta"]["id"] for t in read_jsonl(annotations / GOLD_FILE)}
        records = [r for r in records if ((r.get("meta") or {}).get("id") or r.get("id")) not in done]
        msg.info(f"{len(records)} document(s) not yet annotated")
    nlp = load(model)
    write_jsonl(out, predict_records(nlp, records, batch_size=batch_size, n_process=n_process))
    msg.good(f"{len(records)} task(s) -> {out}" + (f" ({len(problems)} invalid line(s) skipped)" if problems else ""))


def _predict_on_cluster(pattern: str, out: Path, model: Path, scheduler: str, annotations: Path) -> None:
    from tqdm import tqdm

    from .core.registry import load_entities
    from .jobs.cluster import run

    entities = load_entities(annotations / "entities.jsonl", []) if (annotations / "entities.jsonl").exists() else {}
    summary = run(pattern, out, model, scheduler, entities, progress=lambda it, total: tqdm(it, total=total,
                  desc="shards", unit="shard"))  # fmt: skip
    docs = sum(r.documents for r in summary.results)
    for r in summary.results:
        for s in r.skipped:
            msg.warn(f"skipped {s}")
        for f in r.failed:
            msg.warn(f"failed {f['id']!r} in {f['shard']}: {f['error']}")
    msg.good(
        f"{summary.shards} shard(s): {summary.done_before} already done, {len(summary.results)} run "
        f"({docs} document(s)) -> {out}"
    )


@app.command("evaluate")
def evaluate_cli(
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder."),
    model: Path = typer.Option(MODEL, help="Trained pipeline folder (its card and metrics.json are rewritten)."),
    readme: Path = typer.Option(Path("README.md"), help="File whose metrics section is rewritten."),
    polnear: str = typer.Option(None, envvar="KQ_POLNEAR", help="PolNeAR folder (gold + PolNeAR rows)."),
    bench: str = typer.Option(None, envvar="KQ_BENCH", help="Bench folder (PolNeAR dev): only ever scored."),
) -> None:
    """Rules only vs learned, gold only vs gold + PolNeAR, on seed LODO and the dev bench; prints the tables."""
    from .jobs.train import evaluate_project

    done = evaluate_project(annotations, model, readme, polnear, bench, msg.info)
    print(done.seeds_table)
    if done.bench_table:
        print()
        print(done.bench_table)
    for name, (r, n) in done.report.rejected.items():
        msg.info(f"{name}: {r} of {n} candidates rejected by the learned keep decision")
    for r in done.report.seeds:
        for f in r["failed_documents"]:
            msg.warn(f"{r['system']}: failed on {f}")
    if not done.written:
        msg.warn(
            "PolNeAR or the bench is missing: the model card, metrics.json and README tables are kept as they are"
        )
        return
    msg.good(f"metrics -> {model / 'metrics.json'}, model card -> {model / 'README.md'}")


import_app = typer.Typer(no_args_is_help=True, help="Import annotations from other corpora into the task format.")
app.add_typer(import_app, name="import")


@import_app.command("polnear")
def import_polnear_cli(
    folder: Path = typer.Argument(..., help="PolNeAR folder: its train/ split (text/, attributions/) or the repo."),
    out: Path = typer.Argument(..., help="Output: Prodigy tasks (JSONL), one per article."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (entity registry for validation)."),
    limit: int = typer.Option(None, help="Only the first N articles."),
) -> None:
    """PolNeAR (brat standoff, as published) -> the project's tasks, validated; prints what was decided."""
    from .annotation.polnear import import_polnear
    from .annotation.validate import validate_task
    from .core.io import write_jsonl
    from .core.registry import load_entities

    tasks, summary = import_polnear(folder, limit=limit)
    entities = load_entities(annotations / ENTITIES_FILE, [])
    problems = [p for i, t in enumerate(tasks, 1) for p in validate_task(t, str(out), i, entities, {})]
    if problems:
        _fail(KQError(f"{len(problems)} problem(s) in the imported tasks; nothing written", problems[:20]))
    write_jsonl(out, tasks)
    for key, n in summary.as_dict().items():
        msg.text(f"  {key}: {n}")
    msg.good(f"{summary.documents} article(s), {summary.quotes} quote span(s) -> {out}")


annotations_app = typer.Typer(no_args_is_help=True, help="Work on annotations/: merge corrected tasks.")
app.add_typer(annotations_app, name="annotations")


@annotations_app.command("merge")
def merge_cli(
    corrected: Path = typer.Argument(..., help="Corrected Prodigy tasks (JSONL), e.g. from `labelstudio import`."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder to merge into."),
    corpus: Path = typer.Option(CORPUS, help="Corpus folder (the tasks' texts must be its documents')."),
    replace: bool = typer.Option(False, "--replace", help="Replace documents already annotated (keeps a backup)."),
    entities: Path = typer.Option(None, help="New speakers (JSONL, registry format) added to entities.jsonl."),
    topics: Path = typer.Option(None, help="New topics (JSONL, registry format) added to topics.jsonl."),
    annotator: str = typer.Option(None, help="Annotator id for tasks whose meta has none."),
    accept_model_output: bool = typer.Option(
        False,
        "--accept-model-output",
        help="DANGER: merge unreviewed model output as gold (recorded as annotator unreviewed-model:…).",
    ),
) -> None:
    """Validate corrected tasks and merge them; any invalid task rejects the whole batch. Unreviewed model
    output (no `answer`) is refused unless --accept-model-output."""
    from .annotation.merge import merge

    r = merge(corrected, annotations, corpus, replace, entities, topics, annotator, accept_model_output)
    if r.unreviewed:
        msg.fail(
            f"{len(r.unreviewed)} task(s) of UNREVIEWED MODEL OUTPUT merged as gold (--accept-model-output); "
            "their meta.annotator says unreviewed-model:…, and the dataset's annotator column shows it",
            ", ".join(r.unreviewed),
        )
    msg.good(
        f"merged {corrected}: {len(r.added)} added ({r.quotes_added} quotes), {len(r.replaced)} replaced, "
        f"{len(r.unchanged)} unchanged; {len(r.entities_added)} entities and {len(r.topics_added)} topics added"
    )
    for doc_id in r.added:
        msg.text(f"  + {doc_id}")
    if r.backup:
        msg.info(f"previous gold.jsonl kept as {r.backup}")
    msg.info("Next: kremlin-quotes rebuild")


@annotations_app.command("backups")
def backups_cli(annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder.")) -> None:
    """List the gold backups that `merge --replace` kept (restore one by copying it over gold.jsonl)."""
    from .core.store import backups

    found = backups(annotations)
    if not found:
        msg.info(f"no backups in {annotations / 'backups'}")
        return
    msg.table([(str(b.path), b.size, b.documents) for b in found], header=("backup", "bytes", "documents"))


labelstudio_app = typer.Typer(no_args_is_help=True, help="Label Studio export/import (free alternative to Prodigy).")
app.add_typer(labelstudio_app, name="labelstudio")


@labelstudio_app.command("config")
def ls_config_cli(
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (topic taxonomy)."),
    topics_file: Path = typer.Option(
        None, "--topics", help="New topics (JSONL, as for `annotations merge --topics`) offered beside the taxonomy."
    ),
) -> None:
    """Print the Label Studio labelling config (XML) for this scheme."""
    from .annotation.labelstudio import label_config
    from .core.errors import ValidationError
    from .core.registry import load_topics

    _, _, topics = _gold(annotations)
    if topics_file is not None:
        problems: list = []
        new = load_topics(topics_file, problems)
        if problems:
            raise ValidationError(f"{topics_file}: {len(problems)} problem(s)", problems)
        topics = {**topics, **{k: v for k, v in new.items() if k not in topics}}
    print(label_config(topics), end="")


@labelstudio_app.command("export")
def ls_export_cli(
    tasks: Path = typer.Argument(..., help="Prodigy tasks (JSONL), e.g. the output of predict."),
    out: Path = typer.Argument(..., help="Label Studio tasks (JSON) to import into a project."),
    as_annotations: bool = typer.Option(False, help="Export as annotations instead of predictions."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (registries to check the tasks against)."),
) -> None:
    """Prodigy tasks -> Label Studio tasks with pre-annotations (spans, relations, kb ids, topic choices)."""
    from .annotation.labelstudio import to_labelstudio
    from .annotation.validate import validate_files
    from .core.io import read_jsonl, write_json

    # a task Label Studio cannot show is refused here; model output (no answer yet) is what this is for
    problems, _ = validate_files([tasks], annotations, unreviewed_ok=True)
    if problems:
        for p in problems:
            print(p)
        msg.fail(f"{tasks}: {len(problems)} problem(s); nothing was written")
        raise typer.Exit(1)
    records = [to_labelstudio(t, as_predictions=not as_annotations) for t in read_jsonl(tasks)]
    write_json(out, records)
    msg.good(f"{len(records)} task(s) -> {out}")


@labelstudio_app.command("import")
def ls_import_cli(
    export: Path = typer.Argument(..., help="Label Studio JSON export of the corrected project."),
    out: Path = typer.Argument(..., help="Prodigy tasks (JSONL) for `annotations merge`."),
    review: Path = typer.Option(None, help="Where disagreements go (default: OUT with .review.jsonl)."),
) -> None:
    """Label Studio export -> Prodigy tasks: only what a person submitted (ground truth first, else agreeing
    annotations); predictions never; disagreements to a review file; exit 1 when nothing usable came in."""
    from .annotation.labelstudio import CONFLICTING, IMPORTED, import_export, read_export
    from .core.io import write_jsonl

    summary = import_export(read_export(export), str(export))
    review = review or out.with_suffix(".review.jsonl")
    counts = summary.counts
    msg.table(list(counts.items()), header=("tasks", "count"))
    if summary.reviews:
        write_jsonl(review, summary.reviews)
        msg.warn(f"{counts[CONFLICTING]} task(s) where annotators disagree -> {review} (not imported)")
    if not summary.tasks:
        msg.fail(f"{export}: no submitted, agreed annotation in {sum(counts.values())} task(s); nothing written")
        raise typer.Exit(1)
    write_jsonl(out, summary.tasks)
    msg.good(f"{counts[IMPORTED]} task(s) -> {out}; next: kremlin-quotes validate {out}")


prodigy_app = typer.Typer(no_args_is_help=True, help="The two-pass Prodigy route (rel.manual, then spans.manual).")
app.add_typer(prodigy_app, name="prodigy")


@prodigy_app.command("pass1")
def prodigy_pass1_cli(
    tasks: Path = typer.Argument(..., help="Tasks (JSONL): predict output, or gold tasks to revise."),
    out: Path = typer.Argument(..., help="Pass-1 tasks for `prodigy rel.manual` (no TOPIC spans, no stances)."),
) -> None:
    """Pass 1: quotes, speakers, cues and their relations, one task a document (nothing overlaps)."""
    from .annotation.prodigy import pass1_tasks
    from .core.io import read_jsonl, write_jsonl

    records = [layer for t in read_jsonl(tasks) for layer in pass1_tasks(t)]
    write_jsonl(out, records)
    msg.good(f"{len(records)} pass-1 task(s) -> {out}")
    print(
        f"prodigy rel.manual kq_pass1 blank:en {out} --span-label SPEAKER,CUE,DIRECT_QUOTE,INDIRECT_QUOTE,"
        "MIXED_QUOTE --label SPOKEN_BY,CUED_BY --wrap"
    )


@prodigy_app.command("pass2")
def prodigy_pass2_cli(
    pass1: Path = typer.Argument(..., help="Corrected pass-1 tasks (`prodigy db-out kq_pass1`)."),
    out: Path = typer.Argument(..., help="Pass-2 tasks for `prodigy spans.manual`, one a quote."),
    targets_from: Path = typer.Option(None, help="Tasks whose topics and stances pre-fill pass 2 (e.g. the gold)."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (the topic taxonomy)."),
) -> None:
    """Pass 2: topics and stances, one task a quote, the quote pre-drawn; prints the Prodigy command."""
    from .annotation.prodigy import QUOTE_MARK, join_layers, pass2_labels, pass2_tasks
    from .core.io import read_jsonl, write_jsonl

    _, _, topics = _gold(annotations)
    first = join_layers(list(read_jsonl(pass1)))
    prior = {t["meta"]["id"]: t for t in read_jsonl(targets_from)} if targets_from else {}
    records = [q for t in first for q in pass2_tasks(t, prior.get(t["meta"]["id"]))]
    write_jsonl(out, records)
    msg.good(f"{len(records)} pass-2 task(s) (one a quote) -> {out}")
    print(f"prodigy spans.manual kq_pass2 blank:en {out} --label {','.join([QUOTE_MARK, *pass2_labels(topics)])}")


@prodigy_app.command("join")
def prodigy_join_cli(
    pass1: Path = typer.Argument(..., help="Corrected pass-1 tasks."),
    pass2: Path = typer.Argument(..., help="Corrected pass-2 tasks (`prodigy db-out kq_pass2`)."),
    out: Path = typer.Argument(..., help="One task a document with the whole scheme, for `annotations merge`."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder (the topic taxonomy)."),
) -> None:
    """Join the passes: TOPIC spans, stance relations and the document's topics onto the pass-1 tasks."""
    from .annotation.prodigy import join
    from .core.io import read_jsonl, write_jsonl

    _, _, topics = _gold(annotations)
    records = join(list(read_jsonl(pass1)), list(read_jsonl(pass2)), topics, str(pass2))
    write_jsonl(out, records)
    msg.good(f"{len(records)} task(s) -> {out}; next: kremlin-quotes validate {out}")


@app.command("render")
def render_cli(
    out: Path = typer.Option(SITE, help="Folder for the static site (rewritten)."),
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder."),
) -> None:
    """Write a static HTML view: index with statistics and all quotes, one displaCy page per document."""
    from .render.site import render_site

    tasks, entities, topics = _gold(annotations)
    files = render_site(tasks, entities, topics, out)
    msg.good(f"{len(files)} page(s) -> {out / 'index.html'}")


@app.command("rebuild")
def rebuild_cli(
    annotations: Path = typer.Option(ANNOTATIONS, help="Annotations folder."),
    corpus: Path = typer.Option(CORPUS, help="Corpus folder."),
    dataset: Path = typer.Option(DATASET, help="Dataset folder (rewritten)."),
    model: Path = typer.Option(MODEL, help="Model folder (retrained)."),
    guidelines: Path = typer.Option(GUIDELINES, help="Guidelines whose statistics section is rewritten."),
    readme: Path = typer.Option(Path("README.md"), help="README whose metrics section is rewritten."),
    repo_id: str = typer.Option(
        None, help="Hub id named in the dataset card's loading code (the same id `publish --repo-id` checks)."
    ),
) -> None:
    """After a merge: validate -> statistics -> dataset -> train -> evaluate (cards and tables regenerated)."""
    validate_cli(None, annotations)
    stats_cli(annotations, guidelines)
    dataset_cli(annotations, corpus, dataset, repo_id)
    train_cli(annotations, model, None, settings.polnear_dir(), None, False, 2)
    evaluate_cli(annotations, model, readme, settings.polnear_dir(), settings.bench_dir())


@app.command("all")
def all_cli() -> None:
    """The main job: corpus -> validate -> dataset -> train -> evaluate."""
    build_corpus_cmd(SEEDS, CORPUS)
    validate_cli(None, ANNOTATIONS)
    stats_cli(ANNOTATIONS, GUIDELINES)
    dataset_cli(ANNOTATIONS, CORPUS, DATASET, None)
    train_cli(ANNOTATIONS, MODEL, None, settings.polnear_dir(), None, False, 2)
    evaluate_cli(ANNOTATIONS, MODEL, Path("README.md"), settings.polnear_dir(), settings.bench_dir())


def main() -> None:  # pragma: no cover
    sys.exit(app())
