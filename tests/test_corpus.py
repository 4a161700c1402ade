import shutil

import pytest
import srsly

from kremlin_quotes.core.errors import KQError
from kremlin_quotes.corpus.build import build_corpus


def test_every_document_from_a_seed_or_an_added_source_with_provenance_for_every_character(root, corpus_docs):
    seeds = sorted(p.stem for p in (root / "seeds").glob("*.txt"))
    added = sorted(p.stem for p in (root / "corpus" / "sources").glob("*.txt"))
    assert [d["id"] for d in corpus_docs] == seeds + added and len(seeds) == 5
    for doc in corpus_docs:
        seed = (root / doc["source"]).read_text(encoding="utf-8")
        covered = 0
        for t0, s0, n in doc["offset_map"]:
            assert doc["text"][t0 : t0 + n] == seed[s0 : s0 + n]
            covered += n
        assert covered == len(doc["text"])  # runs are contiguous and cover the text
        starts = [r[0] for r in doc["offset_map"]]
        assert starts == sorted(starts) and starts[0] == 0


def test_boilerplate_gone(corpus_docs):
    furniture = [
        "Connect with us",
        "Read next:",
        "Top stories",
        "Partner news",
        "Continue Reading",
        "Click to comment",
        "Leave a Reply",
        "Ask me anything",
        "Explore related questions",
        "\n---",
    ]
    for doc in corpus_docs:
        for f in furniture:
            assert f not in doc["text"], (doc["id"], f)
        assert "\n\n\n" not in doc["text"]
        if doc["title"]:
            assert doc["text"].count(doc["title"]) == 1
            assert doc["text"].startswith(doc["title"] + "\n\n")


def test_metadata_only_where_the_text_supports_it(corpus_docs):
    by_id = {d["id"]: d for d in corpus_docs}
    assert by_id["001_7bc3872968d31207"]["outlet"] == "PanARMENIAN.Net"
    assert by_id["001_7bc3872968d31207"]["date"] == "2020-11-25"
    assert by_id["004_52c37e5fd69f6e12"]["title"] is None
    for doc in corpus_docs:
        if doc["date"]:
            assert doc["date_evidence"] and all(e in doc["text"] for e in doc["date_evidence"])
            assert 0 < doc["date_confidence"] <= 1
        if doc["outlet"]:
            assert doc["outlet_evidence"] in doc["text"]
        else:
            assert doc["outlet_evidence"] is None


def test_rebuild_is_byte_identical(root, tmp_path):
    out = tmp_path / "corpus"  # an added article's provenance names the folder: corpus/sources/...
    if (root / "corpus" / "sources").exists():  # articles added with `corpus add` are rebuilt from there
        shutil.copytree(root / "corpus" / "sources", out / "sources")
    build_corpus(root / "seeds", out)
    assert (out / "documents.jsonl").read_bytes() == (root / "corpus" / "documents.jsonl").read_bytes()


def test_bad_seed_writes_nothing(root, tmp_path):
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text("old\n")
    next((tmp_path / "seeds").glob("003_*.txt")).write_text("changed")
    with pytest.raises(KQError, match="nothing was written"):
        build_corpus(tmp_path / "seeds", out)
    assert (out / "documents.jsonl").read_text() == "old\n"


def test_evidence_must_be_in_text(root, tmp_path):
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    recs = list(srsly.read_jsonl(tmp_path / "seeds" / "metadata.jsonl"))
    recs[0].update(date="2022-09-14", date_evidence=["September 14, 2022"])
    srsly.write_jsonl(tmp_path / "seeds" / "metadata.jsonl", recs)
    with pytest.raises(KQError) as err:
        build_corpus(tmp_path / "seeds", tmp_path / "out")
    assert "'September 14, 2022' does not occur in the text" in str(err.value)
    assert not (tmp_path / "out" / "documents.jsonl").exists()
