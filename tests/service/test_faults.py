"""Faults: a killed ingest, a full disk, a Chroma server stopped while serving, an unusable data
directory.

Real processes and a real ``chroma run`` server. The full disk is the one thing reproduced rather
than met: a test cannot fill the machine's disk (nor mount a small one without root), so the ingest
runs under a file-size limit (RLIMIT_FSIZE), which makes the kernel refuse writes past it exactly as
a full disk refuses them (EFBIG instead of ENOSPC).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import ingest_corpus
from service.app import create_app
from service.launch import ChromaServer
from sourcewise.settings import PROJECT_ROOT, Settings
from vectorstore.embeddings import load_embedder
from vectorstore.store import KnowledgeStore, StoreUnavailable

REAL = PROJECT_ROOT / "corpus" / "real"


def snapshot(settings: Settings) -> dict[str, object]:
    """What a store holds: documents with their versions and sizes, and the collection counts."""
    store = KnowledgeStore.connect(settings, dimension=load_embedder(settings).dimension)
    documents = store.documents_by_id(store.document_ids())
    return {
        "counts": store.counts(),
        "documents": {d: (doc.version, doc.passage_count, doc.chunk_count, doc.claim_count) for d, doc in documents.items()},
    }


def _clean_snapshot(tmp_path: Path) -> dict[str, object]:
    """What a clean ingest of the real articles stores, for comparison."""
    clean = Settings(data_dir=tmp_path / "clean", chroma_host=None)
    assert ingest_corpus(REAL, clean).ok
    return snapshot(clean)


def _ingest_command(data: Path) -> tuple[list[str], dict[str, str]]:
    """`sourcewise ingest` of the real articles into ``data`` (embedded store), as a user runs it."""
    env = {**os.environ, "SOURCEWISE_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    for name in ("CHROMA_HOST", "SOURCEWISE_CHROMA_HOST"):
        env.pop(name, None)
    return [sys.executable, "-m", "sourcewise.cli", "ingest", "--corpus", str(REAL), "--quiet"], env


@pytest.mark.server
def test_an_ingest_killed_midway_then_run_again_equals_a_clean_ingest(tmp_path: Path) -> None:
    expected = _clean_snapshot(tmp_path)

    data = tmp_path / "killed"
    command, env = _ingest_command(data)
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill it once it has started writing (the store's folder exists), well before it can finish.
    deadline = time.monotonic() + 60
    while not (data / "chroma").exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    settings = Settings(data_dir=data, chroma_host=None)
    assert ingest_corpus(REAL, settings).ok
    assert snapshot(settings) == expected


FULL_AT_BYTES = 1_000_000  # the store's files reach this a few batches into the real corpus


def _disk_full_at(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.server
def test_an_ingest_on_a_full_disk_is_a_clear_error_shows_nothing_half_written_and_recovers(tmp_path: Path) -> None:
    expected = _clean_snapshot(tmp_path)

    data = tmp_path / "full"
    command, env = _ingest_command(data)
    failed = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
                            preexec_fn=_disk_full_at(FULL_AT_BYTES))
    assert failed.returncode == 2, failed.stdout + failed.stderr
    message = failed.stderr.strip().splitlines()[-1]
    assert message.lower().startswith("error:") and "free space" in message and str(data) in message, failed.stderr[-2000:]
    assert "Traceback" not in failed.stderr
    # A document appears only once all of it is stored: the failed batch left none half-visible.
    settings = Settings(data_dir=data, chroma_host=None)
    assert snapshot(settings)["documents"] == {}
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/ask", json={"question": "What did Blinken say about Bucha?"})
        # No documents stored: the service says so and how to fix it, quoting none of the orphaned chunks.
        assert response.status_code == 503 and "sourcewise ingest" in response.json()["detail"], response.text
    # Space again: the same ingest completes and equals a clean one.
    assert ingest_corpus(REAL, settings).ok
    assert snapshot(settings) == expected


@pytest.mark.server
def test_a_chroma_server_stopped_while_serving_is_503_then_answers_again_without_a_restart(tmp_path: Path) -> None:
    server = ChromaServer(tmp_path / "chroma", tmp_path / "chroma.log")
    server.wait_ready()
    settings = server.settings(data_dir=tmp_path / "data", collection_prefix="faults", chroma_timeout_s=3.0)
    try:
        assert ingest_corpus(PROJECT_ROOT / "corpus" / "sample", settings).ok
        question = {"question": "Why were CSTO troops sent to Kazakhstan?"}
        with TestClient(create_app(settings)) as client:
            assert client.post("/v1/ask", json=question).json()["supported"]
            port = server.port
            server.stop()
            started = time.monotonic()
            down = client.post("/v1/ask", json=question)
            assert down.status_code == 503 and "CHROMA_HOST" in down.json()["detail"], down.text
            assert time.monotonic() - started < 15, "a stopped Chroma must fail fast"
            # /healthz answers from the store monitor's last probe (never waiting on Chroma itself).
            deadline = time.monotonic() + 20
            while client.get("/healthz").status_code != 503 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert client.get("/healthz").status_code == 503
            # The same server comes back on the same port: answers resume, no restart of the service.
            restarted = _chroma_on(tmp_path / "chroma", port, tmp_path / "chroma2.log")
            try:
                deadline = time.monotonic() + 60
                while True:
                    response = client.post("/v1/ask", json=question)
                    if response.status_code == 200 or time.monotonic() > deadline:
                        break
                    time.sleep(1)
                assert response.status_code == 200 and response.json()["supported"]
                deadline = time.monotonic() + 20
                while client.get("/healthz").status_code != 200 and time.monotonic() < deadline:
                    time.sleep(0.5)
                assert client.get("/healthz").status_code == 200
            finally:
                restarted.terminate()
                restarted.wait(timeout=20)
    finally:
        server.stop()  # a no-op once stopped


def _chroma_on(path: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    executable = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen([str(executable), "run", "--path", str(path), "--port", str(port), "--host", "127.0.0.1"],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(log.read_text(errors="replace")[-2000:])


def test_ingest_into_an_unusable_data_directory_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    # A file where the directory should be: unusable for root too (permission bits are not).
    blocked = tmp_path / "data"
    blocked.write_text("not a directory")
    with pytest.raises(StoreUnavailable) as caught:
        ingest_corpus(PROJECT_ROOT / "corpus" / "sample", Settings(data_dir=blocked, chroma_host=None))
    assert str(blocked) in str(caught.value) and "SOURCEWISE_DATA_DIR" in str(caught.value)
    assert blocked.read_text() == "not a directory" and sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_an_unusable_data_directory_is_503_naming_it(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the data directory should be")
    with TestClient(create_app(Settings(data_dir=blocked, chroma_host=None))) as client:
        response = client.post("/v1/ask", json={"question": "Why were troops sent?"})
        assert response.status_code == 503, response.text
        assert str(blocked) in response.json()["detail"]
        assert "Traceback" not in response.text
        assert client.get("/healthz").status_code == 503


def test_a_hung_chroma_server_costs_a_request_seconds_and_the_health_check_nothing(tmp_path: Path) -> None:
    import socket
    import threading

    # A "server" that accepts connections and never answers: a hung Chroma.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=listener.getsockname()[1],
                        chroma_timeout_s=2.0)
    try:
        with TestClient(create_app(settings)) as client:
            started = time.monotonic()
            response = client.post("/v1/ask", json={"question": "Why were CSTO troops sent to Kazakhstan?"})
            assert response.status_code == 503 and "CHROMA_HOST" in response.json()["detail"], response.text
            assert time.monotonic() - started < 10, "a hung Chroma may cost a request a few seconds, not minutes"
            started = time.monotonic()
            health = client.get("/healthz")
            assert health.status_code == 503 and time.monotonic() - started < 1.0
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()
