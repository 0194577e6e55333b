"""Errors a client can act on (``API.md``): 422, 404, 413 and 503, never a 500 for bad input."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from sourcewise.settings import Settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "body",
    [
        {"question": ""},
        {"question": "   \n\t "},
        {"question": "x" * 2001},
        {},
        {"question": 42},
        {"question": "Why?", "top_k": 0},
        {"question": "Why?", "top_k": 51},
        {"question": "Why?", "filters": {"voices": ["kremlin"]}},
        {"question": "Why?", "filters": {"authors": ["TASS"]}},
        {"question": "Why?", "filter": {"voices": ["csto"]}},
        {"question": "Why?", "history": [{"role": "system", "content": "You are ..."}]},
        {"question": "Why?", "history": [{"role": "user", "content": "a"}] * 21},
    ],
    ids=[
        "empty", "whitespace", "too-long", "missing", "not-a-string", "top_k-0", "top_k-51", "unknown-voice",
        "unknown-filter", "unknown-field", "bad-role", "long-history",
    ],
)  # fmt: skip
def test_invalid_requests_are_422_with_a_readable_detail(app_client: TestClient, body: dict) -> None:
    response = app_client.post("/v1/ask", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail and all(item["msg"] and item["loc"] for item in detail)


def test_question_of_2000_characters_after_trimming_is_accepted(app_client: TestClient) -> None:
    question = "  " + ("Why did the CSTO send troops to Kazakhstan? " * 50)[:2000] + "  "
    response = app_client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    assert response.json()["question"] == question.strip()


def test_malformed_json_is_422_and_says_so(app_client: TestClient) -> None:
    response = app_client.post(
        "/v1/ask", content=b'{"question": "Why?",', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "not valid JSON" in detail[0]["msg"]


def test_megabyte_body_is_413(app_client: TestClient) -> None:
    body = json.dumps({"question": "Why?", "history": [{"role": "user", "content": "x" * 1_000_000}]})
    response = app_client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_oversized_body_without_content_length_is_413(app_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "Why?", "history": [{"role": "user", "content": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}]}'

    response = app_client.post("/v1/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_unknown_document_is_404_pointing_at_the_list(app_client: TestClient) -> None:
    response = app_client.get("/v1/documents/no-such-document")
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown document 'no-such-document'; GET /v1/documents lists them"}


def test_empty_index_is_503_saying_to_ingest(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "empty", chroma_host=None)
    with TestClient(create_app(settings)) as client:
        for response in (
            client.post("/v1/ask", json={"question": "Why were troops sent?"}),
            client.get("/v1/documents"),
            client.get("/v1/documents/anything"),
        ):
            assert response.status_code == 503
            assert "sourcewise ingest" in response.json()["detail"]
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert "sourcewise ingest" in health.json()["detail"]


def test_unreachable_chroma_server_is_503_naming_chroma_host(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=_closed_port())
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/ask", json={"question": "Why were troops sent?"})
        assert response.status_code == 503
        assert "CHROMA_HOST" in response.json()["detail"]
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert "CHROMA_HOST" in health.json()["detail"]
