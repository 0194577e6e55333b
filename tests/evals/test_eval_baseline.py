"""The LangChain baseline over two tiny in-test documents."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from evals.baseline import LangChainBaseline, default_embeddings
from sourcewise.types import Voice

HARBOUR = (
    "The harbour of Eastmere flooded after three days of rain. "
    "The state broadcaster Vestnik said saboteurs had opened the sluice gates. "
    "Engineers from the port authority found the gates locked and undamaged. "
    "Fishermen lost most of their boats in the storm surge.\n\n"
    "Insurance claims are expected to take months."
)
ORCHARD = (
    "Apple growers in the Lindholm valley report the best harvest in a decade. "
    "Cider presses are running day and night to keep up with the fruit. "
    "Prices at the valley market fell by a third as crates piled up."
)


def documents() -> list[dict[str, Any]]:
    """Two documents as ``GET /v1/documents/{id}`` returns them; the second from a state outlet."""
    return [
        {"doc_id": "harbour", "text": HARBOUR, "title": "Flood", "publisher": "Eastmere Courier", "genre": "news",
         "outlet_voice": "independent"},
        {"doc_id": "orchard", "text": ORCHARD, "title": "Harvest", "publisher": "Vestnik", "genre": "news",
         "outlet_voice": "russian_state"},
    ]


def quotes_of(response: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(section["voice"], quote) for section in response["sections"] for quote in section["quotes"]]


def test_chunks_are_verbatim_with_offsets_and_cited_by_outlet() -> None:
    texts = {d["doc_id"]: d["text"] for d in documents()}
    with LangChainBaseline(documents(), DeterministicFakeEmbedding(size=32), chunk_size=120, chunk_overlap=20) as baseline:
        assert baseline.chunk_count > 2  # small chunks: several per document
        response = baseline.ask("What happened to the harbour?")
    quotes = quotes_of(response)
    assert response["supported"] is True
    assert 0 < len(quotes) <= 5
    for voice, quote in quotes:
        doc_id = quote["source"]["doc_id"]
        assert texts[doc_id][quote["start"] : quote["end"]] == quote["text"]
        # Document-level citation: every chunk speaks with its outlet's voice, whatever it says.
        assert voice == quote["speaker"]["voice"] == {"harbour": "independent", "orchard": "russian_state"}[doc_id]
    assert len({q["id"] for _, q in quotes}) == len(quotes)
    assert [s["voice"] for s in response["sections"]] == [v.value for v in Voice if v.value in {s["voice"] for s in response["sections"]}]


def test_top_k_bounds_the_chunks_returned() -> None:
    with LangChainBaseline(documents(), DeterministicFakeEmbedding(size=32), chunk_size=80, chunk_overlap=0, top_k=2) as baseline:
        assert len(quotes_of(baseline.ask("rain"))) == 2


def test_it_always_answers_even_off_topic() -> None:
    with LangChainBaseline(documents(), DeterministicFakeEmbedding(size=32)) as baseline:
        response = baseline.ask("Who won the chess olympiad?")
    assert response["supported"] is True and response["sections"]


def test_an_empty_corpus_yields_no_answer() -> None:
    with LangChainBaseline([], DeterministicFakeEmbedding(size=32)) as baseline:
        response = baseline.ask("Anything?")
    assert response["supported"] is False and response["sections"] == []


@pytest.fixture(scope="module")
def real_embeddings() -> Any:
    return default_embeddings()


def test_with_the_real_model_the_relevant_document_comes_first(real_embeddings: Any) -> None:
    with LangChainBaseline(documents(), real_embeddings, chunk_size=150, chunk_overlap=0) as baseline:
        top = max((q for _, q in quotes_of(baseline.ask("How good was the apple harvest?"))), key=lambda q: q["score"])
        assert top["source"]["doc_id"] == "orchard"
        # A follow-up is read together with the previous user turn.
        follow_up = baseline.ask("And who said they were opened?", [{"role": "user", "content": "Were the sluice gates sabotaged?"}])
    best = max((q for _, q in quotes_of(follow_up)), key=lambda q: q["score"])
    assert "sluice gates" in best["text"]
