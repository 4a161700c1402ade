"""The extension used by the loop test and by ``scripts/test_extended.sh``: an article written for the tests
(a person and a port invented here), the registry entries it needs, and what an annotator corrects.

``python tests/extension.py files DIR`` writes the article and the registry additions into DIR;
``python tests/extension.py correct IN OUT`` corrects the predicted task in IN (Prodigy JSONL) into OUT.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import srsly

ARTICLE = """Harbour minister promises a new port for Tallinn by 2027

Read next: Ferry timetable changes this winter

Transport Minister Lena Holm said on Monday that the new harbour would open in 2027.

"We have the money and we have the plan," Holm told reporters in Tallinn. "Nobody should doubt it."

The opposition argues that the budget is far too small, according to the newspaper Postimees.
"""

HOLM = {
    "id": "lena_holm",
    "name": "Lena Holm",
    "type": "PERSON",
    "description": "Transport minister (a person invented for the test).",
    "aliases": ["Holm"],
}
PORTS = {"id": "ports", "name": "Ports and harbours", "description": "Building and running ports."}


def correct(task: dict) -> dict:
    """What an annotator does: fix speakers' entity ids, add a topic with a stance, sign the task."""
    task = copy.deepcopy(task)
    task["meta"]["annotator"] = "test-annotator"
    for s in task["spans"]:
        if s["label"] == "SPEAKER" and "Holm" in s["text"]:
            s["kb_id"] = "lena_holm"
    text = task["text"]
    start = text.index("the new harbour")
    tokens = {t["start"]: t["id"] for t in task["tokens"]}
    ends = {t["end"]: t["id"] for t in task["tokens"]}
    topic = {
        "text": "the new harbour",
        "start": start,
        "end": start + 15,
        "token_start": tokens[start],
        "token_end": ends[start + 15],
        "label": "TOPIC",
        "kb_id": "ports",
    }
    task["spans"].append(topic)
    quote = next(s for s in task["spans"] if s["label"].endswith("_QUOTE") and s["start"] <= start < s["end"])
    ref = lambda s: {k: s[k] for k in ("start", "end", "token_start", "token_end", "label")}  # noqa: E731
    task["relations"].append(
        {
            "head": quote["token_end"],
            "child": topic["token_end"],
            "head_span": ref(quote),
            "child_span": ref(topic),
            "label": "FAVOR",
        }
    )
    task["accept"] = ["ports"]
    return task


def main(argv: list[str]) -> None:
    if argv[:1] == ["files"]:
        out = Path(argv[1])
        out.mkdir(parents=True, exist_ok=True)
        (out / "tallinn-port.txt").write_text(ARTICLE, encoding="utf-8")
        srsly.write_jsonl(out / "new-entities.jsonl", [HOLM])
        srsly.write_jsonl(out / "new-topics.jsonl", [PORTS])
    elif argv[:1] == ["correct"]:
        srsly.write_jsonl(argv[2], [correct(t) for t in srsly.read_jsonl(argv[1])])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
