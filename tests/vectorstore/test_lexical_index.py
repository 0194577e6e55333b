"""The live BM25 index: rare terms rank first, filters hold, numbers match however they are written,
and the index follows the store's change log document by document."""

from __future__ import annotations

import pytest
from vs_support import DocumentFactory, Said

from sourcewise.types import Voice
from vectorstore.lexical import LexicalFilter, LexicalIndex, tokenize
from vectorstore.store import KnowledgeStore

PASSAGES = [
    Said("Protesters seized the airport in the largest city on Wednesday evening."),
    Said("The airport reopened after the troops secured the runway and the terminal.", voice=Voice.RUSSIAN_STATE,
         name="TASS", how="reported"),
    Said("The price of liquefied gas doubled at the start of the year, sparking protests."),
    Said("About 2,500 troops arrived from the alliance's member states.", voice=Voice.CSTO, name="CSTO", how="reported"),
    Said("The withdrawal of the contingent was completed within two weeks."),
    Said("The leaders discussed the crisis at an emergency video summit."),
]


@pytest.fixture
def stored(store: KnowledgeStore, make_document: DocumentFactory, vectors):
    doc = make_document("crisis", PASSAGES)
    store.upsert_document(doc, *vectors(doc))
    return store


def _texts(store: KnowledgeStore, hits) -> list[str]:
    by_id = {p.id: p.text for p in store.get_passages(ids=[pid for pid, _ in hits])}
    return [by_id[pid] for pid, _ in hits]


def test_rare_query_terms_rank_their_passage_first(stored: KnowledgeStore) -> None:
    index = LexicalIndex.from_store(stored)
    assert len(index) == 6
    hits = index.search("What happened to the liquefied gas price?", k=3)
    assert "liquefied" in _texts(stored, hits)[0]
    hits = index.search("Who secured the runway at the airport?", k=5)
    texts = _texts(stored, hits)
    assert "runway" in texts[0] and len(hits) == 2
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


def test_filters_restrict_the_ranking(stored: KnowledgeStore) -> None:
    index = LexicalIndex.from_store(stored)
    only_state = index.search("airport", k=5, where=LexicalFilter(voices=frozenset({"russian_state"})))
    assert len(only_state) == 1 and "reopened" in _texts(stored, only_state)[0]
    assert index.search("airport", k=5, where=LexicalFilter(corpora=frozenset({"other"}))) == []
    assert index.search("airport", k=5, where=LexicalFilter(doc_ids=frozenset({"crisis"})))


def test_numbers_match_however_they_are_written(stored: KnowledgeStore) -> None:
    index = LexicalIndex.from_store(stored)
    assert tokenize("2,500 and 2500 and 1,5") == ["2500", "2500", "1.5"]
    assert "2,500" in _texts(stored, index.search("were 2500 troops sent?", k=1))[0]


def test_queries_without_indexed_terms_return_nothing(stored: KnowledgeStore) -> None:
    index = LexicalIndex.from_store(stored)
    assert index.search("what did they say about it?", k=5) == []
    assert index.search("", k=5) == []
    assert index.search("zeppelin xylophone", k=5) == []
    assert not index.knows("zeppelin") and index.knows("airport")


def test_speakers_and_their_passages(stored: KnowledgeStore) -> None:
    index = LexicalIndex.from_store(stored)
    assert sorted(index.speakers()) == ["CSTO", "TASS"]
    assert len(index.passages_of(["TASS"])) == 1


def test_the_index_follows_writes_and_deletes_through_the_change_log(
    stored: KnowledgeStore, make_document: DocumentFactory, vectors
) -> None:
    index = LexicalIndex.from_store(stored)
    generation = index.generation
    late = make_document("late-news", [Said("A zeppelin landed at the harbour.")])
    stored.upsert_document(late, *vectors(late))
    assert index.search("zeppelin", k=3) == []  # not yet synced
    assert index.sync(force=True) and index.generation > generation
    assert _texts(stored, index.search("zeppelin", k=3)) == ["A zeppelin landed at the harbour."]
    edited = make_document("late-news", [Said("A balloon landed at the harbour.")])
    stored.upsert_document(edited, *vectors(edited))
    index.sync(force=True)
    assert index.search("zeppelin", k=3) == [] and len(index.search("balloon", k=3)) == 1
    stored.delete_document("late-news")
    index.sync(force=True)
    assert index.search("balloon", k=3) == []
    assert len(index) == 6
    assert not index.sync(force=True)  # nothing new


def test_a_snapshot_reloads_and_catches_up_with_writes_made_since(
    stored: KnowledgeStore, make_document: DocumentFactory, vectors, tmp_path
) -> None:
    snapshot = tmp_path / "lexical.npz"
    built = LexicalIndex.from_store(stored, snapshot=snapshot)
    assert snapshot.is_file()
    late = make_document("late-news", [Said("A zeppelin landed at the harbour.")])
    stored.upsert_document(late, *vectors(late))
    loaded = LexicalIndex.from_store(stored, snapshot=snapshot)  # the snapshot, then the change log
    assert _texts(stored, loaded.search("zeppelin", k=3)) == ["A zeppelin landed at the harbour."]
    assert [pid for pid, _ in loaded.search("airport", k=10)] == [pid for pid, _ in built.search("airport", k=10)]
    assert loaded.passes(loaded.search("2,500 troops", k=1)[0][0], LexicalFilter(voices=frozenset({"csto"})))
    # Another index (here: the same one reset) never takes this snapshot.
    stored.reset()
    assert len(LexicalIndex.from_store(stored, snapshot=snapshot)) == 0


def test_a_background_build_answers_nothing_until_ready_then_everything(stored: KnowledgeStore) -> None:
    index = LexicalIndex.from_store(stored, background=True)
    deadline = __import__("time").monotonic() + 30
    while not index.ready and __import__("time").monotonic() < deadline:
        assert index.search("airport", k=3) == [] or index.ready
        __import__("time").sleep(0.05)
    assert index.ready and len(index.search("airport", k=3)) == 2


def test_speakers_roles_find_their_passages_and_survive_a_snapshot(
    stored: KnowledgeStore, make_document: DocumentFactory, vectors, tmp_path
) -> None:
    spokesman = make_document("peskov-news", [Said("Kazakhstan had not asked for help.", voice=Voice.RUSSIAN_STATE,
                                                   name="Dmitry Peskov", role="Kremlin spokesman", how="reported")])
    stored.upsert_document(spokesman, *vectors(spokesman))
    snapshot = tmp_path / "lexical.npz"
    built = LexicalIndex.from_store(stored, snapshot=snapshot)
    assert "Kremlin spokesman" in built.roles() and "Kremlin spokesman" not in built.speakers()
    assert built.passages_of(["Kremlin spokesman"]) == built.passages_of(["Dmitry Peskov"]) != []
    loaded = LexicalIndex.from_store(stored, snapshot=snapshot)
    assert loaded.roles() == built.roles()
    assert loaded.passages_of(["Kremlin spokesman"]) == built.passages_of(["Kremlin spokesman"])
    stored.delete_document("peskov-news")
    loaded.sync(force=True)
    assert "Kremlin spokesman" not in loaded.roles() and loaded.passages_of(["Kremlin spokesman"]) == []
