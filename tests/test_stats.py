import re

from kremlin_quotes.annotation.validate import load_valid
from kremlin_quotes.core.stats import END, START, stats_markdown


def test_guidelines_statistics_are_current(root):
    tasks, entities, topics = load_valid(root / "annotations")
    text = (root / "guidelines.md").read_text(encoding="utf-8")
    section = re.search(re.escape(START) + r"\n(.*)\n" + re.escape(END), text, re.S).group(1)
    assert section == stats_markdown(tasks, entities, topics), "run `kremlin-quotes stats`"


def test_stats_count_what_is_there():
    task = {
        "meta": {"id": "d"},
        "text": "a b c",
        "accept": ["t"],
        "spans": [
            {"start": 0, "end": 1, "label": "DIRECT_QUOTE"},
            {"start": 2, "end": 3, "label": "SPEAKER", "kb_id": "e"},
        ],
        "relations": [
            {
                "label": "SPOKEN_BY",
                "head_span": {"start": 0, "end": 1, "label": "DIRECT_QUOTE"},
                "child_span": {"start": 2, "end": 3, "label": "SPEAKER"},
            }
        ],
    }
    md = stats_markdown([task], {"e": {"name": "E", "type": "PERSON"}}, {"t": {"name": "T"}})
    assert "| d | 3 | 1 | 0 | 1 | 0 | 0 | 0 | 1 |" in md
    assert "| E | PERSON | 1 |" in md
    assert "1 documents, 1 quotes (1 direct, 0 indirect, 0 mixed), 1 canonical speakers." in md
