"""The static HTML view, checked in headless Chromium: highlighted quotes are really drawn."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections import Counter

import pytest

from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.labels import COLORS
from kremlin_quotes.render.site import render_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def png_pixels(data: bytes) -> Counter:
    """Colour counts of an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, prev, counts, i = zlib.decompress(idat), width * bpp, bytearray(width * bpp), Counter(), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        counts.update(bytes(line[x : x + 3]) for x in range(0, stride, bpp))
        prev = line
    return counts


def rgb(hex_color: str) -> bytes:
    return bytes.fromhex(hex_color.lstrip("#"))


@pytest.fixture(scope="module")
def site(root, tmp_path_factory):
    tasks, entities, topics = load_valid(root / "annotations")
    out = tmp_path_factory.mktemp("site")
    files = render_site(tasks, entities, topics, out)
    return out, files, tasks


def test_site_has_index_and_a_page_per_document(site):
    out, files, tasks = site
    assert files == sorted(["index.html"] + [f"{t['meta']['id']}.html" for t in tasks])
    index = (out / "index.html").read_text()
    assert index.count('class="quote-row"') == sum(s["label"].endswith("_QUOTE") for t in tasks for s in t["spans"])
    assert "Dmitry Peskov" in index and "AGAINST" in index


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/test.sh installs Debian's chromium)")
def test_document_page_is_drawn_in_headless_chromium(site, tmp_path):
    out, _, tasks = site
    page = out / f"{tasks[1]['meta']['id']}.html"
    common = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert 'class="spans"' in dom and "Q1 INDIRECT" in dom and "Q6 DIRECT" in dom
    shot = tmp_path / "page.png"
    subprocess.run(
        [*common, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pixels = png_pixels(shot.read_bytes())
    # the highlight bars and labels of direct quotes, speakers and cues are painted on screen
    for label in ("DIRECT_QUOTE", "INDIRECT_QUOTE", "SPEAKER", "CUE"):
        assert pixels[rgb(COLORS[label])] > 200, label
    assert pixels[b"\xff\xff\xff"] < 0.95 * sum(pixels.values())


@pytest.mark.parametrize("bad_id", ['x"><svg onload=alert(5)>', "../../x", "/tmp/evil", "", 7])
def test_hostile_ids_are_refused_and_nothing_is_written(root, tmp_path, bad_id):
    from kremlin_quotes.core.errors import KQError

    tasks, entities, topics = load_valid(root / "annotations")
    tasks = [dict(tasks[0], meta={**tasks[0]["meta"], "id": bad_id})]
    out = tmp_path / "deep" / "site"
    with pytest.raises(KQError, match="id"):
        render_site(tasks, entities, topics, out)
    assert not out.exists() and list(tmp_path.rglob("*")) == []


def test_names_and_texts_are_escaped(root, tmp_path):
    tasks, entities, topics = load_valid(root / "annotations")
    task = tasks[1]
    spk = next(s for s in task["spans"] if s["label"] == "SPEAKER")
    entities = {**entities, spk["kb_id"]: {**entities[spk["kb_id"]], "name": '<img src=x onerror="alert(1)">'}}
    render_site([task], entities, topics, tmp_path / "site")
    pages = "".join(p.read_text() for p in (tmp_path / "site").glob("*.html"))
    assert "<img src=x" not in pages and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in pages
