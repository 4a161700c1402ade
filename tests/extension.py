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


def correct(task: dict, surname: str = "Holm", entity: str = "lena_holm", target: str = "the new harbour",
            topic_id: str = "ports") -> dict:  # fmt: skip
    """What an annotator does: fix speakers' entity ids, add a topic with a stance, sign the task."""
    task = copy.deepcopy(task)
    task["meta"]["annotator"] = "test-annotator"
    for s in task["spans"]:
        if s["label"] == "SPEAKER" and surname in s["text"]:
            s["kb_id"] = entity
    text = task["text"]
    start = text.index(target)
    tokens = {t["start"]: t["id"] for t in task["tokens"]}
    ends = {t["end"]: t["id"] for t in task["tokens"]}
    topic = {
        "text": target,
        "start": start,
        "end": start + len(target),
        "token_start": tokens[start],
        "token_end": ends[start + len(target)],
        "label": "TOPIC",
        "kb_id": topic_id,
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
    task["accept"] = [topic_id]
    return task


# The extension of scripts/test_extended.sh: another article, speaker and topic, so that the loop test, run in
# the extended copy, still adds an article, a speaker and a topic that are new there.
RAIL_ARTICLE = """Rail minister backs a faster line to Tartu

Infrastructure Minister Maris Vaher said on Tuesday that the rail link would be finished within four years.

"The trains will run every hour," Vaher told a news conference in Tartu. "The tickets will stay cheap."

Critics say the plan ignores rural bus routes, the broadcaster ERR reported.
"""
VAHER = {
    "id": "maris_vaher",
    "name": "Maris Vaher",
    "type": "PERSON",
    "description": "Infrastructure minister (a person invented for the tests).",
    "aliases": ["Vaher"],
}
RAILWAYS = {"id": "railways", "name": "Railways", "description": "Building and running railway lines."}


def main(argv: list[str]) -> None:
    if argv[:1] == ["files"]:
        out = Path(argv[1])
        out.mkdir(parents=True, exist_ok=True)
        (out / "tartu-rail.txt").write_text(RAIL_ARTICLE, encoding="utf-8")
        srsly.write_jsonl(out / "new-entities.jsonl", [VAHER])
        srsly.write_jsonl(out / "new-topics.jsonl", [RAILWAYS])
    elif argv[:1] == ["correct"]:
        fixed = [correct(t, "Vaher", "maris_vaher", "the rail link", "railways") for t in srsly.read_jsonl(argv[1])]
        srsly.write_jsonl(argv[2], fixed)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
