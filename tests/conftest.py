"""Fixtures shared by every test package: one real index of the sample corpus, and the service.

- ``indexed_settings``: settings whose embedded Chroma store holds the ingested sample corpus
  (built once per session, in a temporary folder);
- ``app_client``: a :class:`~fastapi.testclient.TestClient` of the app over that index, with
  its lifespan run (the engine is built);
- ``live_api``: the base URL of the real service, uvicorn in a subprocess on loopback, over the
  same index: what the UI and the Slack bot talk to.

Nothing is faked: the packaged embedding model, real Chroma and the real ingest pipeline.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

# Before anything imports huggingface_hub: the model is packaged, the hub is never asked.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ingest.pipeline import ingest_corpus  # noqa: E402
from service.app import create_app  # noqa: E402
from sourcewise.settings import PROJECT_ROOT, Settings  # noqa: E402

SAMPLE_CORPUS = PROJECT_ROOT / "corpus" / "sample"
#: Seconds the live service may take to load the model and caches before its first 200.
LIVE_START_TIMEOUT = 120.0


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of an embedded index holding the sample corpus (ingested once per session)."""
    data_dir = tmp_path_factory.mktemp("sourcewise-index")
    settings = Settings(data_dir=data_dir, corpus_dir=SAMPLE_CORPUS, chroma_host=None)
    report = ingest_corpus(SAMPLE_CORPUS, settings)
    assert report.ok, f"ingesting the sample corpus failed: {report.problems}"
    assert report.documents > 0 and report.chunks > 0
    return settings


@pytest.fixture(scope="session")
def app_client(indexed_settings: Settings) -> Iterator[TestClient]:
    """The app over the sample index, started (lifespan run) for the whole session."""
    with TestClient(create_app(indexed_settings)) as client:
        yield client


@pytest.fixture(scope="session")
def live_api(indexed_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real service (uvicorn in a subprocess, loopback) over the sample index."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("live-api") / "server.log"
    env = {
        **os.environ,
        "SOURCEWISE_DATA_DIR": str(indexed_settings.data_dir),
        "SOURCEWISE_CORPUS_DIR": str(indexed_settings.corpus_dir),
        "SOURCEWISE_COLLECTION_PREFIX": indexed_settings.collection_prefix,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    # The index is embedded; a CHROMA_HOST left in the environment would point elsewhere.
    for name in ("CHROMA_HOST", "SOURCEWISE_CHROMA_HOST"):
        env.pop(name, None)
    command = [
        sys.executable, "-m", "uvicorn", "service.app:app_factory", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    """Wait for ``/healthz`` to answer 200; fail with the server's output when it does not."""
    deadline = time.monotonic() + LIVE_START_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the service exited with code {process.returncode}:\n{_tail(log_path)}")
        try:
            response = httpx.get(f"{base_url}/healthz", timeout=5)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text}"
        except httpx.HTTPError as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(0.3)
    pytest.fail(f"the service was not healthy within {LIVE_START_TIMEOUT:.0f} s ({last}):\n{_tail(log_path)}")


def _tail(path: Path, chars: int = 6000) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return text[-chars:]
