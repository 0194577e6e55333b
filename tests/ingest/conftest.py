"""Fixtures for ingest tests: the sample corpus processed once, without a store."""

from __future__ import annotations


import pytest

from ingest.pipeline import read_corpus
from sourcewise.registry import load_registry
from sourcewise.settings import ChunkingParams, PROJECT_ROOT
from sourcewise.types import ProcessedDocument

SAMPLE = PROJECT_ROOT / "corpus" / "sample"


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture(scope="session")
def token_counter():
    from sourcewise.settings import Settings
    from vectorstore.embeddings import load_embedder

    return load_embedder(Settings()).count_tokens


@pytest.fixture(scope="session")
def sample_documents(registry, token_counter) -> dict[str, ProcessedDocument]:
    documents, problems, _ = read_corpus(SAMPLE, registry, count_tokens=token_counter, chunking=ChunkingParams())
    assert not problems, problems
    return {d.meta.doc_id: d for d in documents}
