"""The shared core every stage may import: the task format and its typed view, labels, file layout, JSONL and
atomic writes, errors, ids, registries, the gold store, statistics and Hub uploads. It imports no stage."""
