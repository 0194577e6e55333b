"""The API client against the real service: answers come back typed, failures as readable messages."""

from __future__ import annotations

import pytest

from ui.api_client import SourcewiseAPIError, SourcewiseClient


@pytest.mark.server
def test_health_and_documents_describe_the_index(live_api: str) -> None:
    with SourcewiseClient(live_api) as client:
        health = client.health()
        documents = client.documents()
    assert health["status"] == "ok"
    assert health["documents"] == len(documents) > 0
    assert {"doc_id", "title", "publisher", "genre"} <= set(documents[0])


@pytest.mark.server
def test_quotes_are_verbatim_spans_of_the_documents_text(live_api: str, corpus_question: str) -> None:
    with SourcewiseClient(live_api) as client:
        answer = client.ask(corpus_question)
        quote = answer["sections"][0]["quotes"][0]
        document = client.document(quote["source"]["doc_id"])
    assert document["text"][quote["start"] : quote["end"]] == quote["text"]


@pytest.mark.server
def test_unknown_document_is_an_error_with_the_apis_message(live_api: str) -> None:
    with SourcewiseClient(live_api) as client, pytest.raises(SourcewiseAPIError) as caught:
        client.document("no-such-document")
    assert caught.value.status_code == 404
    assert caught.value.message  # the API's detail, meant for people
    assert "Traceback" not in caught.value.message


@pytest.mark.server
def test_invalid_question_is_an_error_naming_the_problem(live_api: str) -> None:
    with SourcewiseClient(live_api) as client, pytest.raises(SourcewiseAPIError) as caught:
        client.ask("   ")
    assert caught.value.status_code == 422
    assert "question" in caught.value.message.lower()


def test_unreachable_api_says_how_to_start_it(closed_api_url: str) -> None:
    with SourcewiseClient(closed_api_url) as client, pytest.raises(SourcewiseAPIError) as caught:
        client.health()
    assert caught.value.unreachable
    assert str(caught.value) == (
        f"cannot reach the Sourcewise API at {closed_api_url}: is it running? (make api)"
    )
