"""``SourcewiseRetriever`` against the real service: one LangChain Document per quoted claim."""

from __future__ import annotations

import httpx
import pytest
from langchain_core.documents import Document

from ui.api_client import SourcewiseAPIError
from ui.langchain_retriever import SourcewiseRetriever

QUESTION = "Why were CSTO troops sent to Kazakhstan?"


@pytest.mark.server
def test_each_document_is_a_verbatim_claim_with_its_provenance(live_api: str) -> None:
    retriever = SourcewiseRetriever(api_url=live_api, top_k=8)
    documents = retriever.invoke(QUESTION)
    answer = httpx.post(f"{live_api}/v1/ask", json={"question": QUESTION, "top_k": 8}, timeout=120).json()
    quotes = [q for s in answer["sections"] for q in s["quotes"]]
    assert documents and all(isinstance(d, Document) for d in documents)
    # The same claims, in the API's order (voice by voice, best first).
    assert [d.page_content for d in documents] == [q["text"] for q in quotes]
    texts: dict[str, str] = {}
    for doc, quote in zip(documents, quotes, strict=True):
        meta = doc.metadata
        assert meta["voice"] == quote["speaker"]["voice"] and meta["speaker"] == quote["speaker"]["name"]
        assert meta["publisher"] == quote["source"]["publisher"] and meta["title"] == quote["source"]["title"]
        assert meta["how"] in {"quote", "reported", "according_to", "transcript", "carry_over", "author", "unattributed_cue"}
        doc_id = meta["doc_id"]
        texts.setdefault(doc_id, httpx.get(f"{live_api}/v1/documents/{doc_id}", timeout=30).json()["text"])
        assert texts[doc_id][meta["start"] : meta["end"]] == doc.page_content
        if meta["cue"] is not None:
            assert meta["cue"] in texts[doc_id]
    assert len(documents) <= 8


@pytest.mark.server
def test_a_voice_filter_reaches_the_api_and_nothing_else_comes_back(live_api: str) -> None:
    documents = SourcewiseRetriever(api_url=live_api, voices=["russian_state"]).invoke(
        "What did Russian state media say about the protests?")
    assert documents and {d.metadata["voice"] for d in documents} == {"russian_state"}


@pytest.mark.server
def test_an_unanswerable_question_retrieves_nothing(live_api: str) -> None:
    assert SourcewiseRetriever(api_url=live_api).invoke("What is the boiling point of tungsten?") == []


def test_an_unreachable_api_is_an_error_people_can_read(closed_api_url: str) -> None:
    with pytest.raises(SourcewiseAPIError, match="cannot reach the Sourcewise API"):
        SourcewiseRetriever(api_url=closed_api_url).invoke(QUESTION)
