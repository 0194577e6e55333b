"""Vector store: embeddings, the Chroma-backed knowledge store and the lexical (BM25) index.

The only package that imports chromadb. Importing it is cheap: the embedding model and
chromadb load only when first used (``load_embedder``, ``KnowledgeStore.connect``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vectorstore.embeddings import EmbeddingModelMissing, Embedder, load_embedder
    from vectorstore.lexical import LexicalIndex
    from vectorstore.store import (
        IndexMismatch,
        KnowledgeStore,
        StoredDocument,
        StoreUnavailable,
        parse_sentence_id,
        sentence_id,
        where_filter,
    )

_EXPORTS = {
    "Embedder": "vectorstore.embeddings",
    "EmbeddingModelMissing": "vectorstore.embeddings",
    "load_embedder": "vectorstore.embeddings",
    "LexicalIndex": "vectorstore.lexical",
    "IndexMismatch": "vectorstore.store",
    "KnowledgeStore": "vectorstore.store",
    "StoredDocument": "vectorstore.store",
    "StoreUnavailable": "vectorstore.store",
    "parse_sentence_id": "vectorstore.store",
    "sentence_id": "vectorstore.store",
    "where_filter": "vectorstore.store",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    # Lazy: a CLI's --help or a client that only needs the types should not pay for chromadb.
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'vectorstore' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
