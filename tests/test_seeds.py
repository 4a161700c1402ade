import hashlib
import shutil

import pytest

from kremlin_quotes.core.errors import SeedError
from kremlin_quotes.corpus.seeds import load_seeds, read_manifest


def test_seeds_match_manifest_byte_for_byte(root):
    manifest = read_manifest(root / "seeds")
    assert len(manifest) == 5
    for name, digest in manifest.items():
        assert hashlib.sha256((root / "seeds" / name).read_bytes()).hexdigest() == digest


def test_changed_byte_is_refused(root, tmp_path):
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    target = sorted((tmp_path / "seeds").glob("*.txt"))[2]
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(SeedError) as err:
        load_seeds(tmp_path / "seeds")
    assert target.name in str(err.value) and "sha256" in str(err.value)


def test_missing_and_undecodable_seed(root, tmp_path):
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    names = sorted((tmp_path / "seeds").glob("*.txt"))
    names[0].unlink()
    bad = b"\xff\xfe not utf-8"
    names[1].write_bytes(bad)
    manifest = (
        (tmp_path / "seeds" / "SHA256SUMS")
        .read_text()
        .replace(read_manifest(root / "seeds")[names[1].name], hashlib.sha256(bad).hexdigest())
    )
    (tmp_path / "seeds" / "SHA256SUMS").write_text(manifest)
    with pytest.raises(SeedError) as err:
        load_seeds(tmp_path / "seeds")
    text = str(err.value)
    assert f"{names[0].name}: seed file is missing" in text
    assert f"{names[1].name}: not UTF-8" in text
