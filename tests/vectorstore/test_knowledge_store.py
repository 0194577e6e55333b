"""The knowledge store against real Chroma: embedded in a temporary folder and, marked
``server``, a real ``chroma run`` process on loopback."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings
from vs_support import ChromaServer, DocumentFactory, Said, free_port

from sourcewise.settings import ChunkingParams, Settings
from sourcewise.types import Genre, ProcessedDocument, Voice
from vectorstore.embeddings import Embedder
from vectorstore.store import (
    IndexMismatch,
    KnowledgeStore,
    StoredDocument,
    StoreUnavailable,
    parse_sentence_id,
    sentence_id,
    where_filter,
)

Embed = Callable[[ProcessedDocument], tuple[np.ndarray, np.ndarray]]


@pytest.fixture
def harbour_report(make_document: DocumentFactory) -> ProcessedDocument:
    """A news report quoting a state ministry, an opposition figure and an unattributed rumour."""
    return make_document(
        "harbour-report",
        [
            Said("Dock workers at the northern harbour stopped work on Monday over unpaid wages."),
            Said(
                "The transport ministry said the strike was organised by foreign agitators.",
                voice=Voice.KAZAKH_GOVERNMENT,
                name="Transport Ministry",
                kind="reported",
            ),
            Said(
                "\u201cWe only want to be paid for the winter,\u201d said union leader Aliya Serik.",
                voice=Voice.OPPOSITION,
                name="Aliya Serik",
                role="union leader",
                kind="direct_quote",
            ),
            Said(
                "Some claimed that ships were being diverted to a rival port.",
                voice=Voice.UNATTRIBUTED,
                kind="unattributed",
            ),
            Said(
                "According to the state news agency, the harbour will reopen within a week.",
                voice=Voice.RUSSIAN_STATE,
                name="State News Agency",
                conduit="State News Agency",
                kind="according_to",
            ),
        ],
        publisher="Coastal Courier",
        author="Dana Lee",
        url="https://example.org/harbour",
        published="2022-01-10",
    )


@pytest.fixture
def treaty_analysis(make_document: DocumentFactory) -> ProcessedDocument:
    """An analysis of an alliance treaty, from another publisher, with a manifest voice."""
    return make_document(
        "treaty-analysis",
        [
            Said("The alliance treaty allows members to request collective military assistance."),
            Said(
                "The alliance secretary general said the deployment was temporary.",
                voice=Voice.CSTO,
                name="Secretary General",
                role="alliance secretary general",
                kind="reported",
            ),
            Said("Critics argue that the treaty was stretched to cover a domestic crisis."),
        ],
        publisher="Policy Review",
        genre=Genre.ANALYSIS,
        manifest_voice=Voice.INDEPENDENT,
        per_chunk=1,
    )


def test_document_round_trips_through_the_store(
    store: KnowledgeStore, harbour_report: ProcessedDocument, treaty_analysis: ProcessedDocument, vectors: Embed
) -> None:
    for doc in (harbour_report, treaty_analysis):
        store.upsert_document(doc, *vectors(doc))

    rebuilt = store.get_document("harbour-report")
    assert rebuilt == harbour_report  # text, meta with nulls, sentences with attribution, chunks
    opposition = rebuilt.sentences[2]
    assert opposition.attribution.speaker.name == "Aliya Serik"
    assert opposition.attribution.speaker.role == "union leader"
    assert opposition.attribution.kind == "direct_quote"
    assert rebuilt.sentences[4].attribution.conduit == "State News Agency"
    assert all(rebuilt.text[s.start : s.end] == s.text for s in rebuilt.sentences)

    assert store.load_documents() == [harbour_report, treaty_analysis]
    assert store.get_document("no-such-doc") is None
    assert store.document_ids() == ["harbour-report", "treaty-analysis"]
    listed = store.list_documents()
    assert [d.doc_id for d in listed] == ["harbour-report", "treaty-analysis"]
    assert isinstance(listed[0], StoredDocument)
    assert listed[0].author == "Dana Lee" and listed[1].author is None
    assert listed[1].genre == Genre.ANALYSIS and listed[1].outlet_voice == Voice.INDEPENDENT
    assert (listed[0].chunk_count, listed[0].sentence_count) == (3, 5)
    assert store.counts() == {"documents": 2, "chunks": 6, "sentences": 8}


def test_reingest_is_idempotent_and_drops_what_a_new_version_lacks(
    store: KnowledgeStore, harbour_report: ProcessedDocument, make_document: DocumentFactory, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    before = store.counts()
    store.upsert_document(harbour_report, *vectors(harbour_report))
    assert store.counts() == before

    shorter = make_document(
        "harbour-report",
        [
            Said("Dock workers at the northern harbour went back to work on Friday."),
            Said(
                "Wages for the winter were paid in full.",
                voice=Voice.KAZAKH_GOVERNMENT,
                name="Transport Ministry",
                kind="reported",
            ),
        ],
        publisher="Coastal Courier",
    )
    store.upsert_document(shorter, *vectors(shorter))
    assert store.counts() == {"documents": 1, "chunks": 1, "sentences": 2}
    assert store.get_document("harbour-report") == shorter
    old_chunk_ids = {c.chunk_id for c in harbour_report.chunks}
    stored_chunk_ids = {i for ids, _, _ in store.iter_chunks() for i in ids}
    assert stored_chunk_ids == {shorter.chunks[0].chunk_id}
    assert not stored_chunk_ids & old_chunk_ids
    ids, _ = store.sentence_vectors()
    assert sorted(ids) == [sentence_id("harbour-report", 0), sentence_id("harbour-report", 1)]


def test_delete_documents_removes_every_kind_of_record(
    store: KnowledgeStore, harbour_report: ProcessedDocument, treaty_analysis: ProcessedDocument, vectors: Embed
) -> None:
    for doc in (harbour_report, treaty_analysis):
        store.upsert_document(doc, *vectors(doc))
    store.delete_documents(["harbour-report", "never-stored"])
    assert store.counts() == {"documents": 1, "chunks": 3, "sentences": 3}
    assert store.get_document("harbour-report") is None
    assert store.get_document("treaty-analysis") == treaty_analysis
    ids, matrix = store.sentence_vectors()
    assert {parse_sentence_id(i)[0] for i in ids} == {"treaty-analysis"}
    assert matrix.shape == (3, store.dimension)


def test_queries_rank_by_cosine_and_honour_filters(
    store: KnowledgeStore,
    harbour_report: ProcessedDocument,
    treaty_analysis: ProcessedDocument,
    vectors: Embed,
    embedder: Embedder,
) -> None:
    for doc in (harbour_report, treaty_analysis):
        store.upsert_document(doc, *vectors(doc))
    chunk_text = {c.chunk_id: c for d in (harbour_report, treaty_analysis) for c in d.chunks}

    query = embedder.embed_query("Why did the dock workers strike at the harbour?")
    hits = store.query_chunks(query, k=10)
    assert len(hits) == 6
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)
    assert chunk_text[hits[0][0]].doc_id == "harbour-report"
    assert chunk_text[hits[-1][0]].doc_id == "treaty-analysis"

    # A stored vector finds its own record with similarity 1.
    own = vectors(treaty_analysis)[0][1]
    assert store.query_chunks(own, k=1)[0][0] == treaty_analysis.chunks[1].chunk_id
    assert store.query_chunks(own, k=1)[0][1] == pytest.approx(1.0, abs=1e-3)

    # voices is a list on chunks: a chunk matches when any of its sentences has the voice.
    only_csto = store.query_chunks(query, k=10, where=where_filter(voices=[Voice.CSTO]))
    assert [cid for cid, _ in only_csto] == [treaty_analysis.chunks[1].chunk_id]
    two_voices = store.query_chunks(query, k=10, where=where_filter(voices=["opposition", "unattributed"]))
    assert {cid for cid, _ in two_voices} == {
        c.chunk_id for c in harbour_report.chunks if {Voice.OPPOSITION, Voice.UNATTRIBUTED} & set(c.voices)
    }
    assert store.query_chunks(query, k=10, where=where_filter(voices=[Voice.FOREIGN_GOVERNMENT])) == []

    by_publisher = store.query_chunks(query, k=10, where=where_filter(publishers=["Policy Review"]))
    assert {chunk_text[cid].doc_id for cid, _ in by_publisher} == {"treaty-analysis"}
    assert len(by_publisher) == 3
    combined = where_filter(voices=[Voice.INDEPENDENT], publishers=["Coastal Courier"], doc_ids=["harbour-report"])
    assert {cid for cid, _ in store.query_chunks(query, k=10, where=combined)} == {
        c.chunk_id for c in harbour_report.chunks if Voice.INDEPENDENT in c.voices
    }
    mismatched = where_filter(publishers=["Coastal Courier"], doc_ids=["treaty-analysis"])
    assert store.query_chunks(query, k=10, where=mismatched) == []

    # Sentences carry one voice each.
    sentence_where = where_filter(voices=[Voice.KAZAKH_GOVERNMENT, Voice.CSTO], kind="sentences")
    sentence_hits = store.query_sentences(query, k=10, where=sentence_where)
    assert sorted(i for i, _ in sentence_hits) == sorted(
        [sentence_id("harbour-report", 1), sentence_id("treaty-analysis", 1)]
    )


def test_sentence_vectors_are_the_stored_vectors(
    store: KnowledgeStore, harbour_report: ProcessedDocument, treaty_analysis: ProcessedDocument, vectors: Embed
) -> None:
    for doc in (harbour_report, treaty_analysis):
        store.upsert_document(doc, *vectors(doc))
    ids, matrix = store.sentence_vectors(["treaty-analysis"])
    assert matrix.dtype == np.float32
    order = np.argsort([parse_sentence_id(i)[1] for i in ids])
    np.testing.assert_allclose(matrix[order], vectors(treaty_analysis)[1], atol=1e-5)
    assert store.sentence_vectors(["never-stored"])[0] == []

    pages = list(store.iter_chunks(batch=4))
    assert [len(ids) for ids, _, _ in pages] == [4, 2]
    assert sorted(i for ids, _, _ in pages for i in ids) == sorted(
        c.chunk_id for d in (harbour_report, treaty_analysis) for c in d.chunks
    )
    _, texts, metadatas = pages[0]
    assert all(isinstance(t, str) and t for t in texts)
    assert all({"doc_id", "voices", "publisher"} <= set(m) for m in metadatas)


def test_upsert_refuses_inconsistent_input(
    store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    chunk_vectors, sentence_vectors = vectors(harbour_report)
    with pytest.raises(ValueError, match="shape"):
        store.upsert_document(harbour_report, chunk_vectors[:-1], sentence_vectors)
    shifted = harbour_report.model_copy(deep=True)
    shifted.sentences[1].start += 1
    with pytest.raises(ValueError, match="differs from the sentence text"):
        store.upsert_document(shifted, chunk_vectors, sentence_vectors)
    assert store.counts() == {"documents": 0, "chunks": 0, "sentences": 0}


def test_reset_empties_the_index(store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    store.reset()
    assert store.counts() == {"documents": 0, "chunks": 0, "sentences": 0}
    store.upsert_document(harbour_report, *vectors(harbour_report))
    assert store.get_document("harbour-report") == harbour_report


def test_reconnecting_reads_what_was_stored(
    store_settings: Settings, store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    again = KnowledgeStore.connect(store_settings, dimension=store.dimension)
    assert again.get_document("harbour-report") == harbour_report


def test_other_chunking_gets_its_own_empty_index(
    store_settings: Settings, store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    rechunked = store_settings.model_copy(update={"chunking": ChunkingParams(max_tokens=120)})
    other = KnowledgeStore.connect(rechunked, dimension=store.dimension)
    assert other.counts() == {"documents": 0, "chunks": 0, "sentences": 0}
    other.reset()


def test_index_mismatch_when_recorded_parameters_differ(store_settings: Settings, store: KnowledgeStore) -> None:
    with pytest.raises(IndexMismatch, match="dimension"):
        KnowledgeStore.connect(store_settings, dimension=store.dimension + 1)

    # Another tool wrote the same collection name with another model: simulate by rewriting its metadata.
    # (chromadb shares one client per place and refuses a second one with other settings.)
    same_settings = ChromaSettings(anonymized_telemetry=False)
    if store_settings.chroma_host:
        client = chromadb.HttpClient(
            host=store_settings.chroma_host, port=store_settings.chroma_port, settings=same_settings
        )
    else:
        client = chromadb.PersistentClient(path=str(store_settings.chroma_path), settings=same_settings)
    collection = client.get_collection(store.collection_name("chunks"))
    recorded = dict(collection.metadata or {})
    collection.modify(metadata={**recorded, "embedding_model": "some-other-model"})
    with pytest.raises(IndexMismatch, match="some-other-model"):
        KnowledgeStore.connect(store_settings, dimension=store.dimension)

    # Right labels, wrong distance: Euclidean scores must not pass for cosine similarities.
    client.delete_collection(store.collection_name("chunks"))
    client.create_collection(
        store.collection_name("chunks"),
        metadata=recorded,
        configuration={"hnsw": {"space": "l2"}},
        embedding_function=None,
    )
    with pytest.raises(IndexMismatch, match="distance"):
        KnowledgeStore.connect(store_settings, dimension=store.dimension)


def test_unreachable_server_fails_fast_with_what_to_do() -> None:
    port = free_port()  # nobody listens there
    settings = Settings(chroma_host="127.0.0.1", chroma_port=port)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        KnowledgeStore.connect(settings, dimension=384)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}" in message
    assert "CHROMA_HOST" in message and "chroma run" in message


def test_unusable_folder_is_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreUnavailable, match="SOURCEWISE_DATA_DIR"):
        KnowledgeStore.connect(Settings(chroma_host=None, data_dir=blocker), dimension=384)


@pytest.mark.server
def test_server_going_away_is_store_unavailable(
    tmp_path: Path, harbour_report: ProcessedDocument, vectors: Embed, embedder: Embedder
) -> None:
    server = ChromaServer(tmp_path / "data", tmp_path / "server.log")
    try:
        server.wait_ready()
        knowledge = KnowledgeStore.connect(server.settings(), dimension=embedder.dimension)
        knowledge.upsert_document(harbour_report, *vectors(harbour_report))
    finally:
        server.stop()
    with pytest.raises(StoreUnavailable, match="Cannot reach the Chroma server"):
        knowledge.counts()
    with pytest.raises(StoreUnavailable):
        knowledge.query_chunks(embedder.embed_query("harbour"), k=3)
