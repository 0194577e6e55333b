"""Two service replicas over one real ``chroma run`` server agree within 5 seconds.

A document posted to replica A is quoted by replica B, its offsets matching B's copy of the text;
deleted through A, B never quotes it again and answers 404 for it. Replica A killed (SIGKILL) while
B is answering: B answers every question throughout and takes writes after. Both replicas are real
uvicorn processes with their own data directories (only the Chroma server is shared).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from evals.bench.runs import article_text
from ingest.pipeline import ingest_corpus
from service.launch import ChromaServer, api_command, free_port, running_server
from sourcewise.settings import PROJECT_ROOT, Settings

AGREE_WITHIN_S = 5.0


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, object]]:
    root = tmp_path_factory.mktemp("replicas")
    server = ChromaServer(root / "chroma", root / "chroma.log")
    server.wait_ready()
    try:
        settings = server.settings(collection_prefix="replicas", data_dir=root / "ingest")
        assert ingest_corpus(PROJECT_ROOT / "corpus" / "sample", settings).ok
        with _replica(settings, root / "a") as (a, process_a), _replica(settings, root / "b") as (b, _):
            yield a, b, process_a
    finally:
        server.stop()


@contextmanager
def _replica(settings: Settings, data_dir: Path) -> Iterator[tuple[str, object]]:
    port = free_port()
    env = {**os.environ, "CHROMA_HOST": str(settings.chroma_host), "CHROMA_PORT": str(settings.chroma_port),
           "SOURCEWISE_COLLECTION_PREFIX": settings.collection_prefix, "SOURCEWISE_DATA_DIR": str(data_dir),
           "HF_HUB_OFFLINE": "1"}
    env.pop("SOURCEWISE_API_KEYS", None)
    url = f"http://127.0.0.1:{port}"
    with running_server(api_command(port), env=env, health_url=f"{url}/readyz", log_path=data_dir.with_suffix(".log"),
                        timeout=120, name=f"replica {data_dir.name}") as process:
        yield url, process


def _quoting(url: str, question: str, doc_id: str) -> list[dict]:
    answer = httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=60).json()
    return [q for s in answer["sections"] for q in s["quotes"] if q["source"]["doc_id"] == doc_id]


def _seconds_until(check) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 30:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    return float("inf")


@pytest.mark.server
def test_a_document_written_to_one_replica_is_answered_and_deleted_on_the_other(replicas) -> None:
    a, b, _ = replicas
    question = "What happened to the harbour of Brennvik?"
    body = {"corpus": "desk", "doc_id": "brennvik-harbour", "title": "Brennvik harbour closed", "publisher": "Example Wire",
            "outlet_voice": "independent", "text": article_text(1000, "Brennvik")}
    assert not _quoting(b, question, "brennvik-harbour")
    posted = httpx.post(f"{a}/v1/documents", json=body, timeout=120)
    assert posted.status_code == 201, posted.text
    seen = _seconds_until(lambda: bool(_quoting(b, question, "brennvik-harbour")))
    assert seen <= AGREE_WITHIN_S, f"replica B quoted the new document only after {seen:.1f} s"
    text = httpx.get(f"{b}/v1/documents/brennvik-harbour", timeout=30).json()["text"]
    for quote in _quoting(b, question, "brennvik-harbour"):
        assert text[quote["start"] : quote["end"]] == quote["text"]
    assert {"corpus": "desk", "documents": 1} in httpx.get(f"{b}/v1/corpora", timeout=30).json()

    assert httpx.delete(f"{a}/v1/documents/brennvik-harbour", timeout=30).status_code == 204
    gone = _seconds_until(lambda: not _quoting(b, question, "brennvik-harbour"))
    assert gone <= AGREE_WITHIN_S, f"replica B still quoted the deleted document after {gone:.1f} s"
    assert httpx.get(f"{b}/v1/documents/brennvik-harbour", timeout=30).status_code == 404
    # Never again: a few more questions on B.
    for _ in range(3):
        assert not _quoting(b, question, "brennvik-harbour")


@pytest.mark.server
def test_a_replica_killed_while_the_other_serves_costs_the_other_nothing(replicas) -> None:
    # Runs after the test above (file order): it kills replica A for good.
    a, b, process_a = replicas
    question = "How many soldiers did the CSTO send to Kazakhstan?"
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            statuses.append(httpx.post(f"{b}/v1/ask", json={"question": question}, timeout=30).status_code)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    time.sleep(1.0)
    process_a.send_signal(signal.SIGKILL)
    process_a.wait(timeout=10)
    time.sleep(2.0)
    stop.set()
    asker.join(timeout=60)
    assert statuses and set(statuses) == {200}, statuses
    # A client of A sees a refused connection (a load balancer's cue to retry on B), never a wrong answer.
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{a}/v1/ask", json={"question": question}, timeout=5)
    # B still takes writes and answers them.
    body = {"corpus": "desk", "doc_id": "after-the-kill", "title": "Vestfjord ferry resumes", "publisher": "Example Wire",
            "outlet_voice": "independent", "text": article_text(300, "Vestfjord")}
    assert httpx.post(f"{b}/v1/documents", json=body, timeout=120).status_code == 201
    assert _seconds_until(lambda: bool(_quoting(b, "What happened to the ferry of Vestfjord?", "after-the-kill"))) <= AGREE_WITHIN_S
