"""Stage 2, corpus -> annotations: validate, audit, merge corrected tasks, and the annotation tools' formats
(Label Studio, Prodigy, PolNeAR import)."""
