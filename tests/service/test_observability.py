"""Health, readiness, metrics, request ids, JSON logs, CORS and overload: what operators rely on."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.observability import configure_logging
from sourcewise.settings import Settings


def test_readyz_lists_its_checks_and_is_200_when_ready(app_client: TestClient) -> None:
    response = app_client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True and {"store", "model", "index"} <= set(body["checks"])
    assert all(value == "ok" for name, value in body["checks"].items() if name != "lexical")


def test_readyz_is_503_with_the_reason_when_the_store_is_unusable(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with TestClient(create_app(Settings(data_dir=blocked, chroma_host=None))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["ready"] is False
        assert any(str(blocked) in reason for reason in response.json()["checks"].values())


def test_metrics_count_requests_answers_and_quotes_by_voice(app_client: TestClient) -> None:
    app_client.post("/v1/ask", json={"question": "Why were CSTO troops sent to Kazakhstan?"})
    app_client.post("/v1/ask", json={"question": "What will the weather be like in Paris this weekend?"})
    text = app_client.get("/metrics").text
    assert 'sourcewise_answers_total{supported="true"}' in text and 'sourcewise_answers_total{supported="false"}' in text
    assert "sourcewise_quotes_total{voice=" in text
    assert "http_request_duration_seconds_bucket" in text and 'handler="/v1/ask"' in text


def test_every_response_carries_a_request_id_and_a_sane_one_is_kept(app_client: TestClient) -> None:
    first = app_client.get("/healthz").headers["x-request-id"]
    second = app_client.get("/healthz").headers["x-request-id"]
    assert first and second and first != second
    assert app_client.get("/healthz", headers={"X-Request-ID": "trace-42"}).headers["x-request-id"] == "trace-42"
    forged = app_client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"}).headers["x-request-id"]
    assert forged != "bad id\nwith newline" and "\n" not in forged


def test_json_logs_are_one_object_a_line_with_the_request_id(app_client: TestClient) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("json", "INFO")
        root.handlers[0].stream = stream  # type: ignore[attr-defined]
        app_client.get("/healthz", headers={"X-Request-ID": "json-log-1"})
    finally:
        root.handlers, root.level = saved
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "sourcewise.access"]
    assert access and access[-1]["request_id"] == "json-log-1" and access[-1]["path"] == "/healthz"
    assert {"time", "level", "message", "status", "ms"} <= set(access[-1])


def test_cors_answers_only_the_configured_ui_origin(app_client: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = app_client.options("/v1/ask", headers={"Origin": "http://localhost:8501", **preflight})
    assert allowed.headers.get("access-control-allow-origin") == "http://localhost:8501"
    other = app_client.options("/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_no_stack_trace_reaches_a_client(app_client: TestClient) -> None:
    for response in (app_client.post("/v1/ask", content=b"{", headers={"content-type": "application/json"}),
                     app_client.get("/v1/documents/%2e%2e%2fetc%2fpasswd"),
                     app_client.post("/v1/ask", json={"question": "x", "top_k": 10**9})):
        assert response.status_code < 500 and "Traceback" not in response.text and 'File "' not in response.text


@pytest.mark.server
def test_beyond_capacity_the_service_answers_503_with_retry_after_at_once(indexed_settings: Settings) -> None:
    import threading
    import time

    settings = indexed_settings.model_copy(update={"max_concurrent_asks": 1, "queue_wait_s": 0.0})
    with TestClient(create_app(settings)) as client:
        results: list[tuple[int, float, str | None]] = []

        def ask() -> None:
            started = time.perf_counter()
            r = client.post("/v1/ask", json={"question": "Why were CSTO troops sent to Kazakhstan?", "top_k": 50})
            results.append((r.status_code, time.perf_counter() - started, r.headers.get("retry-after")))

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    shed = [r for r in results if r[0] == 503]
    assert shed and all(r[2] for r in shed), results
    assert max(r[1] for r in shed) < 1.0, "an overload answer must come at once, not after queueing"
    assert any(r[0] == 200 for r in results)
