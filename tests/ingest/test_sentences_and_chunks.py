"""Offsets are exact for every claim, passage and chunk; claims cover the text; chunks are whole
sentences with one of overlap."""

from __future__ import annotations

import re

from ingest.sentences import split_sentences


def test_every_claim_passage_and_chunk_of_the_sample_corpus_has_exact_offsets(sample_documents):
    assert len(sample_documents) == 5
    for doc in sample_documents.values():
        assert doc.claims and doc.passages and doc.chunks
        for part in [*doc.claims, *doc.passages]:
            assert doc.text[part.start : part.end] == part.text
            assert part.text == part.text.strip() and part.text
        for c in doc.chunks:
            assert doc.text[c.start : c.end] == c.text
            assert c.start == doc.passages[c.first_passage].start
            assert c.end == doc.passages[c.last_passage].end


def test_claims_cover_the_text_in_order_and_passages_cut_them_at_sentences(sample_documents):
    for doc in sample_documents.values():
        covered = " ".join(doc.text[c.start : c.end] for c in doc.claims)
        # Every word (a dash or comma joining two claims may fall between them).
        assert re.findall(r"\w+", doc.text) == re.findall(r"\w+", covered), "every word belongs to exactly one claim"
        assert [c.index for c in doc.claims] == list(range(len(doc.claims)))
        for a, b in zip(doc.claims, doc.claims[1:]):
            assert a.end <= b.start
        for p in doc.passages:
            claim = doc.claims[p.claim]
            assert claim.start <= p.start and p.end <= claim.end
            assert p.attribution == claim.attribution
        # Gaps rebuild any run of passages verbatim.
        for a, b in zip(doc.passages, doc.passages[1:]):
            assert doc.text[a.start : b.end] == a.text + a.gap_after + b.text or len(doc.text[a.end : b.start]) > 40


def test_chunks_cover_the_document_with_one_sentence_of_overlap(sample_documents, token_counter):
    for doc in sample_documents.values():
        sentences_of = [sorted({p.sentence for p in doc.passages[c.first_passage : c.last_passage + 1]}) for c in doc.chunks]
        for prev, nxt in zip(sentences_of, sentences_of[1:]):
            assert nxt[0] == prev[-1], "neighbouring chunks share one sentence"
        covered = {s for group in sentences_of for s in group}
        assert covered == {p.sentence for p in doc.passages}
        for c, group in zip(doc.chunks, sentences_of):
            assert token_counter(c.text) <= 250 or len(group) == 1
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


def test_sentences_a_page_capture_glued_together_are_split_but_addresses_are_not():
    # Captures lose the space between sentences ("told a briefing.On Wednesday"); one run-on sentence
    # would give the first cue's speaker every claim after it.
    text = ('"No decision yet," Mira Tolk told a briefing.On Wednesday, Ivo Sarn said the deal was off. '
            "Read more at example.org or zorbia.gov.The talks end on Friday.")
    sentences = [text[s.start : s.end] for s in split_sentences(text)]
    assert sentences == ['"No decision yet," Mira Tolk told a briefing.', "On Wednesday, Ivo Sarn said the deal was off.",
                         "Read more at example.org or zorbia.gov.", "The talks end on Friday."]
