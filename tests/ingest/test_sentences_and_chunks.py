"""Offsets are exact for every sentence and chunk; chunks are whole sentences with one of overlap."""

from __future__ import annotations

from ingest.sentences import split_sentences


def test_every_sentence_and_chunk_of_the_sample_corpus_has_exact_offsets(sample_documents):
    assert len(sample_documents) == 5
    for doc in sample_documents.values():
        assert doc.sentences and doc.chunks
        for s in doc.sentences:
            assert doc.text[s.start : s.end] == s.text
            assert s.text == s.text.strip() and s.text
        for c in doc.chunks:
            assert doc.text[c.start : c.end] == c.text
            assert c.start == doc.sentences[c.first_sentence].start
            assert c.end == doc.sentences[c.last_sentence].end


def test_chunks_cover_the_document_with_one_sentence_of_overlap(sample_documents, token_counter):
    for doc in sample_documents.values():
        covered = set()
        for prev, nxt in zip(doc.chunks, doc.chunks[1:]):
            assert nxt.first_sentence == prev.last_sentence, "neighbouring chunks share one sentence"
        for c in doc.chunks:
            covered.update(range(c.first_sentence, c.last_sentence + 1))
            tokens = token_counter(c.text)
            single = c.first_sentence == c.last_sentence
            assert tokens <= 250 or single
        assert covered == set(range(len(doc.sentences)))
        # Chunks are about 100-250 tokens: only a document's last chunk may be short.
        assert all(token_counter(c.text) >= 100 for c in doc.chunks[:-1])


def test_chunk_ids_are_deterministic(registry, token_counter):
    from ingest.pipeline import read_corpus
    from sourcewise.settings import ChunkingParams, PROJECT_ROOT

    first, _, _ = read_corpus(PROJECT_ROOT / "corpus/sample", registry, count_tokens=token_counter, chunking=ChunkingParams())
    second, _, _ = read_corpus(PROJECT_ROOT / "corpus/sample", registry, count_tokens=token_counter, chunking=ChunkingParams())
    assert [c.chunk_id for d in first for c in d.chunks] == [c.chunk_id for d in second for c in d.chunks]
    ids = [c.chunk_id for d in first for c in d.chunks]
    assert len(ids) == len(set(ids))


def _split(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_splitter_keeps_quote_with_its_attribution_and_knows_abbreviations():
    text = (
        "“Prices will fall. Nobody should panic.”, reports the agency Delta News. "
        "U.S. officials met Mr. Okafor on Tuesday. He left at 5 p.m. on the dot! Then what?\n\n"
        "A heading without a full stop\n\nJ. R. Okafor disagreed."
    )
    assert _split(text) == [
        "“Prices will fall.",
        "Nobody should panic.”, reports the agency Delta News.",
        "U.S. officials met Mr. Okafor on Tuesday.",
        "He left at 5 p.m. on the dot!",
        "Then what?",
        "A heading without a full stop",
        "J. R. Okafor disagreed.",
    ]
