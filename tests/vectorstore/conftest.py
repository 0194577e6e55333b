"""Fixtures for the vector store tests: the real embedding model, real Chroma (embedded and a
server on loopback), and small hand-built documents whose offsets are consistent."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from service.launch import ChromaServer
from vs_support import DocumentFactory, build_document

from sourcewise.settings import Settings
from sourcewise.types import ProcessedDocument
from vectorstore.embeddings import Embedder, load_embedder
from vectorstore.store import KnowledgeStore

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def make_document() -> DocumentFactory:
    """Build a :class:`ProcessedDocument` from a list of :class:`Said`."""
    return build_document


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged model, loaded once for the whole session."""
    return load_embedder(Settings(chroma_host=None))


@pytest.fixture
def vectors(embedder: Embedder) -> Callable[[ProcessedDocument], tuple[np.ndarray, np.ndarray]]:
    """Chunk and passage vectors of a document, from the real model."""

    def embed(doc: ProcessedDocument) -> tuple[np.ndarray, np.ndarray]:
        return (
            embedder.embed_documents([c.text for c in doc.chunks]),
            embedder.embed_documents([p.text for p in doc.passages]),
        )

    return embed


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One Chroma server for the session; tests keep apart by collection prefix."""
    root = tmp_path_factory.mktemp("chroma-server")
    server = ChromaServer(root / "data", root / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


_prefixes = itertools.count()


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty index: embedded under tmp_path, or on the loopback server."""
    prefix = f"t{next(_prefixes)}-{os.getpid()}"
    if request.param == "server":
        server: ChromaServer = request.getfixturevalue("chroma_server")
        return server.settings(collection_prefix=prefix, data_dir=tmp_path)
    return Settings(chroma_host=None, data_dir=tmp_path, collection_prefix=prefix)


@pytest.fixture
def store(store_settings: Settings, embedder: Embedder) -> Iterator[KnowledgeStore]:
    """A connected, empty knowledge store (dropped afterwards)."""
    knowledge = KnowledgeStore.connect(store_settings, dimension=embedder.dimension)
    yield knowledge
    knowledge.reset()
