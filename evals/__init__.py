"""Sourcewise's evaluation: the question set and gold labels (data), metrics, runner and a baseline.

- ``evals/data/questions.yaml``: questions with gold claims (verbatim spans and their voices),
  checked by :mod:`evals.schema`.
- ``evals/data/gold_attribution.yaml``: per-sentence gold speaker and voice labels.
- :mod:`evals.metrics`: pure functions over API responses (verbatim rate, separation leaks,
  attribution accuracy, gold-claim recall, abstention, latency).
- :mod:`evals.baseline`: a plain LangChain + Chroma pipeline with document-level citations, the
  kind of system Sourcewise is compared against.
- :mod:`evals.runner`: asks every question through the public API, scores Sourcewise and the
  baseline with the same metrics and writes the report (``sourcewise eval``).
"""

from evals.schema import DATA_DIR, GOLD_ATTRIBUTION_PATH, QUESTIONS_PATH

__all__ = ["DATA_DIR", "GOLD_ATTRIBUTION_PATH", "QUESTIONS_PATH"]
