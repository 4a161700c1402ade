"""`corpus add` on bad input: clear errors naming the file, and nothing written."""

from __future__ import annotations

import shutil

import pytest

from kremlin_quotes.core.errors import KQError
from kremlin_quotes.corpus.add import add_documents


@pytest.fixture
def project(root, tmp_path):
    for name in ("seeds", "corpus"):
        shutil.copytree(root / name, tmp_path / name)
    return tmp_path


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe not utf-8", "not UTF-8"), (b"Read next: a link\n\n", "nothing left after removing boilerplate")],
)
def test_bad_files_are_refused_and_nothing_is_written(project, content, message):
    bad = project / "bad.txt"
    bad.write_bytes(content)
    before = snapshot(project / "corpus")
    with pytest.raises(KQError) as e:
        add_documents([bad], project / "seeds", project / "corpus")
    assert str(bad) in str(e.value) and message in str(e.value)
    assert snapshot(project / "corpus") == before


def test_a_seed_added_again_is_a_duplicate(project):
    seed = sorted((project / "seeds").glob("*.txt"))[0]
    report = add_documents([seed], project / "seeds", project / "corpus")
    assert report.added == [] and report.duplicates == [(str(seed), seed.stem)]


def test_one_bad_file_in_a_batch_adds_none(project):
    good = project / "good.txt"
    good.write_text("Mayor opens a bridge\n\nThe mayor said the bridge was safe.\n")
    missing = project / "missing.txt"
    before = snapshot(project / "corpus")
    with pytest.raises(KQError, match="missing.txt: file not found"):
        add_documents([good, missing], project / "seeds", project / "corpus")
    assert snapshot(project / "corpus") == before
