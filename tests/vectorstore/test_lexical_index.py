"""The BM25 index: rare terms rank first, filters hold, numbers match however they are written."""

from __future__ import annotations

import numpy as np
import pytest
from vs_support import DocumentFactory, Said

from sourcewise.types import ProcessedDocument
from vectorstore.embeddings import Embedder
from vectorstore.lexical import LexicalIndex, tokenize
from vectorstore.store import KnowledgeStore

CHUNKS = {
    "c-airport": "Protesters seized the airport in the largest city on Wednesday evening.",
    "c-airport-2": "The airport reopened after the troops secured the runway and the terminal.",
    "c-fuel": "The price of liquefied gas doubled at the start of the year, sparking protests.",
    "c-troops": "About 2,500 troops arrived from the alliance's member states.",
    "c-withdraw": "The withdrawal of the contingent was completed within two weeks.",
    "c-summit": "The leaders discussed the crisis at an emergency video summit.",
}


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(list(CHUNKS), list(CHUNKS.values()))


def test_rare_query_terms_rank_their_chunk_first(index: LexicalIndex) -> None:
    hits = index.search("What happened to the liquefied gas price?", k=3)
    assert hits[0][0] == "c-fuel"
    hits = index.search("Who secured the runway at the airport?", k=5)
    assert hits[0][0] == "c-airport-2"
    assert {cid for cid, _ in hits} == {"c-airport", "c-airport-2"}
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert len(index.search("airport", k=1)) == 1


def test_allowed_ids_restrict_the_ranking(index: LexicalIndex) -> None:
    assert [cid for cid, _ in index.search("airport", k=5, allowed=["c-airport", "c-airport"])] == ["c-airport"]
    assert index.search("airport", k=5, allowed={"c-fuel", "c-summit", "unknown-id"}) == []
    assert index.search("airport", k=5, allowed=set()) == []


def test_a_small_allowed_set_finds_weak_matches_beyond_the_top_k() -> None:
    ids = [f"strong-{i}" for i in range(200)] + ["weak"]
    texts = ["Curfew curfew curfew in the capital."] * 200 + [
        "A long report on many other matters, which mentions the curfew once among a great many other words."
    ]
    bigger = LexicalIndex.build(ids, texts)
    assert len(bigger) == 201
    assert [cid for cid, _ in bigger.search("curfew", k=1, allowed=["weak"])] == ["weak"]


def test_queries_without_indexed_terms_return_nothing(index: LexicalIndex) -> None:
    assert index.search("what did they say about it?", k=5) == []
    assert index.search("the of and", k=5) == []
    assert index.search("", k=5) == []
    assert index.search("zeppelin xylophone", k=5) == []
    assert LexicalIndex.build([], []).search("airport", k=5) == []


def test_numbers_match_with_or_without_separators(index: LexicalIndex) -> None:
    assert index.search("2500 soldiers", k=1)[0][0] == "c-troops"
    assert index.search("how many troops: 2,500?", k=1)[0][0] == "c-troops"
    assert tokenize("2,500 and 2500 and 1.5") == ["2500", "2500", "1.5"]


def test_build_refuses_mismatched_input() -> None:
    with pytest.raises(ValueError):
        LexicalIndex.build(["a", "b"], ["only one text"])
    with pytest.raises(ValueError):
        LexicalIndex.build(["a", "a"], ["one", "two"])


def test_index_from_the_store_covers_every_chunk(
    store: KnowledgeStore, make_document: DocumentFactory, embedder: Embedder
) -> None:
    docs: list[ProcessedDocument] = [
        make_document("garrison-notes", [Said(t) for t in list(CHUNKS.values())[:4]], per_chunk=1),
        make_document("summit-notes", [Said(t) for t in list(CHUNKS.values())[4:]], per_chunk=1, publisher="Other"),
    ]
    for doc in docs:
        store.upsert_document(
            doc,
            embedder.embed_documents([c.text for c in doc.chunks]),
            embedder.embed_documents([s.text for s in doc.sentences]),
        )
    lexical = LexicalIndex.from_store(store)
    assert len(lexical) == store.counts()["chunks"] == 6
    fuel_chunk = docs[0].chunks[2].chunk_id
    assert lexical.search("liquefied gas", k=3)[0][0] == fuel_chunk
    summit_ids = {c.chunk_id for c in docs[1].chunks}
    assert {cid for cid, _ in lexical.search("troops summit withdrawal", k=10, allowed=summit_ids)} <= summit_ids
    assert np.isfinite([s for _, s in lexical.search("airport", k=10)]).all()
