"""predict on a dask.distributed LocalCluster: equal to the single-process run, idempotent, robust to a killed
worker, failures logged per document, Parquet in and out."""

from __future__ import annotations

import os
import signal
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import srsly

from kremlin_quotes.dataset.schema import QUOTES
from kremlin_quotes.jobs import cluster as distributed
from kremlin_quotes.jobs.cluster import process_shard, run

MODEL = "models/kremlin_quotes"


@pytest.fixture(scope="module")
def shards(root, tmp_path_factory, corpus_docs):
    folder = tmp_path_factory.mktemp("shards")
    recs = [{"id": f"d{i:02d}", "text": corpus_docs[i % len(corpus_docs)]["text"]} for i in range(24)]
    for k in range(6):
        srsly.write_jsonl(folder / f"shard-{k}.jsonl", recs[k * 4 : (k + 1) * 4])
    srsly.write_jsonl(folder / "all.jsonl", recs)
    return folder, recs


@pytest.fixture(scope="module")
def single(root, shards, tmp_path_factory):
    from typer.testing import CliRunner

    from kremlin_quotes.cli import app

    out = tmp_path_factory.mktemp("single") / "single.jsonl"
    result = CliRunner().invoke(app, ["predict", str(shards[0] / "all.jsonl"), str(out), "--model", str(root / MODEL)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_cluster_equals_single_process_and_reruns_do_nothing(root, shards, single, tmp_path):
    out = tmp_path / "out.jsonl"
    summary = run(str(shards[0] / "shard-*.jsonl"), out, root / MODEL, "local:2")
    assert out.read_bytes() == single
    assert summary.shards == 6 and summary.done_before == 0 and sum(r.documents for r in summary.results) == 24
    by_pid: dict[int, int] = {}
    for r in summary.results:  # each worker loaded the pipeline once, whatever number of shards it ran
        by_pid[r.pid] = max(by_pid.get(r.pid, 0), r.loads)
    assert set(by_pid.values()) == {1} and len(by_pid) <= 2
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "out.jsonl.parts").iterdir()}
    again = run(f"file://{shards[0]}/shard-*.jsonl", out, root / MODEL, "local:2")  # an fsspec URL this time
    assert again.done_before == 6 and again.results == [] and out.read_bytes() == single
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out.jsonl.parts").iterdir()} == before


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(root, shards, single, tmp_path):
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    parts = tmp_path / "out.jsonl.parts"
    killed: list[int] = []

    def kill_when_half_done():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            done = len(list(parts.glob("*.jsonl"))) if parts.exists() else 0
            if 1 <= done < 6:
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_when_half_done, daemon=True)
    killer.start()
    try:
        run(str(shards[0] / "shard-*.jsonl"), tmp_path / "out.jsonl", root / MODEL, cluster.scheduler_address)
    finally:
        killer.join(5)
        client.close()
        cluster.close()
    assert killed, "no worker was killed mid-run"
    assert (tmp_path / "out.jsonl").read_bytes() == single
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 24 and len({srsly.json_loads(x)["meta"]["id"] for x in lines}) == 24


def test_a_failing_document_is_logged_and_the_shard_goes_on(root, shards, tmp_path, monkeypatch):
    from kremlin_quotes.model import predict

    real = predict.predict_records

    def flaky(nlp, records, **kw):
        if any(r["id"] == "d02" for r in records):
            raise RuntimeError("boom")
        return real(nlp, records, **kw)

    monkeypatch.setattr(predict, "predict_records", flaky)
    result = process_shard(str(shards[0] / "shard-0.jsonl"), str(root / MODEL), str(tmp_path), "jsonl")
    assert result.documents == 3 and [f["id"] for f in result.failed] == ["d02"]
    assert [t["meta"]["id"] for t in srsly.read_jsonl(tmp_path / "shard-0.jsonl")] == ["d00", "d01", "d03"]
    assert srsly.read_jsonl(tmp_path / "shard-0.failures.jsonl").__next__()["error"] == "RuntimeError: boom"


def test_parquet_shards_in_and_quote_rows_out(root, shards, tmp_path):
    _, recs = shards
    for k in range(2):
        pq.write_table(pa.Table.from_pylist(recs[k * 3 : (k + 1) * 3]), tmp_path / f"part-{k}.parquet")
    entities = {e["id"]: e for e in srsly.read_jsonl(root / "annotations" / "entities.jsonl")}
    out = tmp_path / "quotes"
    summary = run(str(tmp_path / "part-*.parquet"), out, root / MODEL, "local:2", entities)
    assert summary.shards == 2 and sum(r.documents for r in summary.results) == 6
    table = pa.concat_tables(pq.read_table(p) for p in sorted(out.glob("*.parquet")))
    assert table.schema.names == list(QUOTES) and table.num_rows > 6
    assert set(table.column("document_id").to_pylist()) == {r["id"] for r in recs[:6]}
    assert distributed.part_name("s3://bucket/a/part-1.parquet") == "part-1"
