"""Prometheus metrics beside the instrumentator's request histograms: answers and ingests."""

from __future__ import annotations

from prometheus_client import Counter

ANSWERS = Counter("sourcewise_answers_total", "Answers given, by whether the corpus supported them", ["supported"])
QUOTES = Counter("sourcewise_quotes_total", "Quotes returned, by voice", ["voice"])
INGESTS = Counter("sourcewise_ingested_documents_total", "Documents written through the API or ingest", ["result"])


def record_answer(answer) -> None:
    """Count an answer and its quotes by voice."""
    ANSWERS.labels(supported=str(bool(answer.supported)).lower()).inc()
    for section in answer.sections:
        QUOTES.labels(voice=section.voice.value).inc(len(section.quotes))


def record_ingest(ok: bool) -> None:
    INGESTS.labels(result="ok" if ok else "failed").inc()
