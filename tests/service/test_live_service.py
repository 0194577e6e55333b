"""The real service process (uvicorn, as ``sourcewise serve`` runs it) answers over HTTP."""

from __future__ import annotations

import httpx


def test_live_service_is_healthy_and_answers(live_api: str) -> None:
    health = httpx.get(f"{live_api}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["chunks"] > 0

    response = httpx.post(
        f"{live_api}/v1/ask", json={"question": "What did the CSTO decide about Kazakhstan?"}, timeout=60
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["supported"] and answer["sections"]
    quote = answer["sections"][0]["quotes"][0]
    document = httpx.get(f"{live_api}/v1/documents/{quote['source']['doc_id']}", timeout=10).json()
    assert document["text"][quote["start"] : quote["end"]] == quote["text"]


def test_live_service_limits_body_size(live_api: str) -> None:
    response = httpx.post(
        f"{live_api}/v1/ask",
        content=b'{"question": "' + b"x" * 1_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
