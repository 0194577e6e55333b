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
from service.launch import ChromaServer, free_port
from vs_support import DocumentFactory, Said

from sourcewise.settings import ChunkingParams, Settings
from sourcewise.types import Genre, ProcessedDocument, Voice
from vectorstore.embeddings import Embedder
from vectorstore.store import (
    IndexMismatch,
    KnowledgeStore,
    StoredDocument,
    StoreUnavailable,
    parse_passage_id,
    passage_id,
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
                how="reported",
            ),
            Said(
                "\u201cWe only want to be paid for the winter,\u201d said union leader Aliya Serik.",
                voice=Voice.OPPOSITION,
                name="Aliya Serik",
                role="union leader",
                how="quote",
            ),
            Said(
                "Some claimed that ships were being diverted to a rival port.",
                voice=Voice.UNATTRIBUTED,
                how="unattributed_cue",
            ),
            Said(
                "According to the state news agency, the harbour will reopen within a week.",
                voice=Voice.RUSSIAN_STATE,
                name="State News Agency",
                conduit="State News Agency",
                how="according_to",
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
                how="reported",
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
        assert store.upsert_document(doc, *vectors(doc)).status == "created"

    rebuilt = store.get_document("harbour-report")
    assert rebuilt.text == harbour_report.text
    assert rebuilt.meta == harbour_report.meta  # nulls included
    assert rebuilt.claims == harbour_report.claims  # speaker, voice, conduit, how and cue of every claim
    assert rebuilt.passages == harbour_report.passages
    assert [c.text for c in rebuilt.chunks] == [c.text for c in harbour_report.chunks]
    opposition = rebuilt.claims[2].attribution
    assert (opposition.speaker.name, opposition.speaker.role, opposition.how) == ("Aliya Serik", "union leader", "quote")
    assert rebuilt.claims[4].attribution.conduit == "State News Agency"

    assert store.get_document("no-such-doc") is None
    assert store.document_ids() == ["harbour-report", "treaty-analysis"]
    listed, total = store.list_documents()
    assert total == 2 and [d.doc_id for d in listed] == ["harbour-report", "treaty-analysis"]
    assert isinstance(listed[0], StoredDocument)
    assert listed[0].author == "Dana Lee" and listed[1].author is None
    assert listed[1].genre == Genre.ANALYSIS and listed[1].outlet_voice == Voice.INDEPENDENT
    assert (listed[0].chunk_count, listed[0].passage_count, listed[0].claim_count) == (3, 5, 5)
    assert listed[0].claims_per_voice["opposition"] == 1
    assert store.counts() == {"documents": 2, "chunks": 6, "passages": 8}
    page, total = store.list_documents(limit=1, offset=1)
    assert [d.doc_id for d in page] == ["treaty-analysis"] and total == 2


def test_same_content_is_a_no_op_and_a_new_version_replaces_the_old_one(
    store: KnowledgeStore, harbour_report: ProcessedDocument, make_document: DocumentFactory, vectors: Embed
) -> None:
    first = store.upsert_document(harbour_report, *vectors(harbour_report))
    before = store.counts()
    changes = store.change_count()
    assert store.upsert_document(harbour_report, *vectors(harbour_report)).status == "unchanged"
    assert store.counts() == before and store.change_count() == changes

    shorter = make_document(
        "harbour-report",
        [
            Said("Dock workers at the northern harbour went back to work on Friday."),
            Said("Wages for the winter were paid in full.", voice=Voice.KAZAKH_GOVERNMENT, name="Transport Ministry",
                 how="reported"),
        ],
        publisher="Coastal Courier",
    )
    second = store.upsert_document(shorter, *vectors(shorter))
    assert second.status == "updated" and second.version != first.version
    assert store.counts() == {"documents": 1, "chunks": 1, "passages": 2}
    assert store.get_document("harbour-report").claims == shorter.claims
    # Every passage id names the version it belongs to, so an old offset can never pair with new text.
    ids = [p.id for p in store.get_passages({"doc_id": "harbour-report"})]
    assert sorted(ids) == sorted(passage_id("harbour-report", second.version, i) for i in range(2))
    assert parse_passage_id(ids[0])[:2] == ("harbour-report", second.version)
    assert [c.op for c in store.changes_since(0)] == ["upsert", "upsert"]


def test_delete_removes_every_kind_of_record_and_logs_it(
    store: KnowledgeStore, harbour_report: ProcessedDocument, treaty_analysis: ProcessedDocument, vectors: Embed
) -> None:
    for doc in (harbour_report, treaty_analysis):
        store.upsert_document(doc, *vectors(doc))
    assert store.delete_documents(["harbour-report", "never-stored"]) == ["harbour-report"]
    assert store.delete_document("never-stored") is False
    assert store.counts() == {"documents": 1, "chunks": 3, "passages": 3}
    assert store.get_document("harbour-report") is None
    assert {p.doc_id for p in store.get_passages()} == {"treaty-analysis"}
    assert store.changes_since(0)[-1].op == "delete"


def test_corpora_are_kept_apart(
    store: KnowledgeStore, harbour_report: ProcessedDocument, make_document: DocumentFactory, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    mine = make_document("my-note", [Said("A note of my own about the harbour.")], corpus="mine")
    store.upsert_document(mine, *vectors(mine))
    assert store.corpora() == {"mine": 1, "test": 1}
    assert store.document_ids("mine") == ["my-note"]
    assert [d.doc_id for d in store.list_documents(corpus="test")[0]] == ["harbour-report"]
    query = vectors(mine)[1][0]
    only_mine = store.query_passages(query, 10, where_filter(corpora=["mine"]))
    assert {p.doc_id for p, _ in only_mine} == {"my-note"}


def test_parts_of_a_killed_write_are_orphans_and_are_removed(
    store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    # A write killed after its parts but before its document record: parts of a version no record names.
    store._write(store._collections["passages"], ["harbour-report@deadbeef0000:p0"], vectors(harbour_report)[1][:1],
                 ["orphan"], [{**store.get_passages({"doc_id": "harbour-report"})[0].__dict__, "vector": None} and {
                     "doc_id": "harbour-report", "version": "deadbeef0000", "corpus": "test", "index": 0, "start": 0,
                     "end": 6, "sentence": 0, "claim": 0, "claim_start": 0, "claim_end": 6, "voice": "independent",
                     "how": "author", "publisher": "x", "genre": "news"}])
    assert store.counts()["passages"] == 6
    assert store.remove_orphans() == 1
    assert store.counts()["passages"] == 5


def test_queries_rank_by_cosine_and_honour_filters(
    store: KnowledgeStore,
    harbour_report: ProcessedDocument,
    treaty_analysis: ProcessedDocument,
    vectors: Embed,
    embedder: Embedder,
) -> None:
    for doc in (harbour_report, treaty_analysis):
        store.upsert_document(doc, *vectors(doc))
    query = embedder.embed_query("Why did the dock workers strike at the harbour?")
    hits = store.query_chunks(query, k=10)
    assert len(hits) == 6
    scores = [score for _, score, _ in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0][0].startswith("harbour-report@") and hits[-1][0].startswith("treaty-analysis@")
    assert all(pids for _, _, pids in hits)  # each chunk names its passages

    # A stored vector finds its own record with similarity 1, and comes back with its vector.
    own = vectors(treaty_analysis)[1][1]
    (passage, score), = store.query_passages(own, k=1)
    assert passage.text == treaty_analysis.passages[1].text and score == pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose(passage.vector, own / np.linalg.norm(own), atol=1e-5)

    # voices is a list on chunks: a chunk matches when any of its passages has the voice.
    only_csto = store.query_chunks(query, k=10, where=where_filter(voices=[Voice.CSTO], kind="chunks"))
    assert len(only_csto) == 1 and only_csto[0][0].startswith("treaty-analysis@")
    assert store.query_chunks(query, k=10, where=where_filter(voices=[Voice.FOREIGN_GOVERNMENT], kind="chunks")) == []
    # Passages carry one voice each.
    hits = store.query_passages(query, k=10, where=where_filter(voices=[Voice.KAZAKH_GOVERNMENT, Voice.CSTO]))
    assert sorted(p.doc_id for p, _ in hits) == ["harbour-report", "treaty-analysis"]
    by_publisher = store.query_passages(query, k=10, where=where_filter(publishers=["Policy Review"]))
    assert {p.doc_id for p, _ in by_publisher} == {"treaty-analysis"}
    mismatched = where_filter(publishers=["Coastal Courier"], doc_ids=["treaty-analysis"])
    assert store.query_passages(query, k=10, where=mismatched) == []


def test_upsert_refuses_inconsistent_input(
    store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    chunk_vectors, passage_vectors = vectors(harbour_report)
    with pytest.raises(ValueError, match="shape"):
        store.upsert_document(harbour_report, chunk_vectors[:-1], passage_vectors)
    shifted = harbour_report.model_copy(deep=True)
    shifted.passages[1].start += 1
    with pytest.raises(ValueError, match="differs"):
        store.upsert_document(shifted, chunk_vectors, passage_vectors)
    assert store.counts() == {"documents": 0, "chunks": 0, "passages": 0}


def test_reset_empties_the_index(store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    store.reset()
    assert store.counts() == {"documents": 0, "chunks": 0, "passages": 0}
    store.upsert_document(harbour_report, *vectors(harbour_report))
    assert store.get_document("harbour-report").claims == harbour_report.claims


def test_reconnecting_reads_what_was_stored(
    store_settings: Settings, store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    again = KnowledgeStore.connect(store_settings, dimension=store.dimension)
    assert again.get_document("harbour-report").claims == harbour_report.claims


def test_other_chunking_gets_its_own_empty_index(
    store_settings: Settings, store: KnowledgeStore, harbour_report: ProcessedDocument, vectors: Embed
) -> None:
    store.upsert_document(harbour_report, *vectors(harbour_report))
    rechunked = store_settings.model_copy(update={"chunking": ChunkingParams(max_tokens=120)})
    other = KnowledgeStore.connect(rechunked, dimension=store.dimension)
    assert other.counts() == {"documents": 0, "chunks": 0, "passages": 0}
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
        knowledge.query_passages(embedder.embed_query("harbour"), k=3)
