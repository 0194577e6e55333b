"""Helpers several test packages share: small corpora cut from the sample, asking the API, and a
real service over its own index. Real code only (the pipeline, Chroma, uvicorn); nothing is faked."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from ingest.pipeline import ingest_corpus
from service.launch import api_command, free_port, running_server
from sourcewise.settings import PROJECT_ROOT, Settings

SAMPLE = PROJECT_ROOT / "corpus" / "sample"


def small_corpus(folder: Path, doc_ids: list[str]) -> Path:
    """A corpus folder with some of the sample documents and a manifest for them."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((SAMPLE / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["doc_id"] in doc_ids]
    for doc in manifest["documents"]:
        shutil.copy(SAMPLE / doc["file"], folder / doc["file"])
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return folder


def ask(client: Any, question: str, **extra: Any) -> dict[str, Any]:
    """``POST /v1/ask`` through a TestClient (or httpx client); the answer, asserting a 200."""
    response = client.post("/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def quotes_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every quote of an answer, section by section."""
    return [quote for section in answer["sections"] for quote in section["quotes"]]


@contextmanager
def service_over_sample_document(root: Path, doc_id: str, env: Mapping[str, str] | None = None,
                                 name: str = "the service") -> Iterator[str]:
    """A real uvicorn service over its own embedded index of one sample document; its base URL."""
    corpus = small_corpus(root / "sample", [doc_id])
    data = root / "data"
    assert ingest_corpus(corpus, Settings(data_dir=data, corpus_dir=corpus, chroma_host=None)).ok
    environment = {**os.environ, "SOURCEWISE_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1", **(env or {})}
    for variable in ("CHROMA_HOST", "SOURCEWISE_CHROMA_HOST"):
        environment.pop(variable, None)
    if env is None or "SOURCEWISE_API_KEYS" not in env:
        environment.pop("SOURCEWISE_API_KEYS", None)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_server(api_command(port), env=environment, health_url=f"{url}/readyz",
                        log_path=root / "api.log", timeout=120, name=name):
        yield url
