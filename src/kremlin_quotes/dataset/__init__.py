"""The Hub dataset: annotations/ + corpus/ -> Parquet configs with declared features, a card, exports."""
