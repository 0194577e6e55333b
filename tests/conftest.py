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
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

# Before anything imports huggingface_hub: the model is packaged, the hub is never asked.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ingest.pipeline import ingest_corpus  # noqa: E402
from service.app import create_app  # noqa: E402
from service.launch import ServerStartError, api_command, free_port, running_server  # noqa: E402
from sourcewise.settings import PROJECT_ROOT, Settings  # noqa: E402

SAMPLE_CORPUS = PROJECT_ROOT / "corpus" / "sample"
#: Seconds the live service may take to load the model and caches before its first 200.
LIVE_START_TIMEOUT = 120.0


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
    base_url = f"http://127.0.0.1:{port}"
    try:
        with running_server(
            api_command(port), env=env, health_url=f"{base_url}/healthz", log_path=log_path,
            timeout=LIVE_START_TIMEOUT, name="the service",
        ):  # fmt: skip
            yield base_url
    except ServerStartError as exc:
        pytest.fail(str(exc))
