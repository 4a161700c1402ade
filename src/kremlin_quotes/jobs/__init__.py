"""Jobs that join stages, the only code besides the CLI that imports more than one stage: the inputs of a
dataset build (validated annotations checked against the corpus), predictions on a cluster written as dataset
rows. Stages themselves import only ``kremlin_quotes.core``."""
