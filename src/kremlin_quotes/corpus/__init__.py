"""Stage 1, seeds -> corpus: verify the seed files, remove page furniture, add later articles."""
