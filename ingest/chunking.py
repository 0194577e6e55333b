"""Chunks: consecutive whole sentences, about min..max model tokens, sharing a sentence of overlap."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from sourcewise.settings import ChunkingParams
from sourcewise.types import Chunk, Sentence, Voice


def chunk_id(doc_id: str, index: int, text: str) -> str:
    """Deterministic: the same document text always gives the same ids."""
    return f"{doc_id}:c{index}:{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def make_chunks(
    doc_id: str,
    text: str,
    sentences: Sequence[Sentence],
    count_tokens: Callable[[str], int],
    params: ChunkingParams,
) -> list[Chunk]:
    """Group sentences into chunks of at most ``max_tokens`` (a longer sentence stands alone)."""
    sizes = [count_tokens(s.text) for s in sentences]
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j, total = i, sizes[i]
        while j + 1 < len(sentences) and total + sizes[j + 1] <= params.max_tokens:
            j += 1
            total += sizes[j]
        members = sentences[i : j + 1]
        start, end = members[0].start, members[-1].end
        body = text[start:end]
        voices: list[Voice] = []
        speakers: list[str] = []
        for s in members:
            if s.attribution.speaker.voice not in voices:
                voices.append(s.attribution.speaker.voice)
            name = s.attribution.speaker.name
            if name and s.attribution.kind != "author" and name not in speakers:
                speakers.append(name)
        chunks.append(
            Chunk(
                chunk_id=chunk_id(doc_id, len(chunks), body),
                doc_id=doc_id,
                index=len(chunks),
                start=start,
                end=end,
                text=body,
                first_sentence=members[0].index,
                last_sentence=members[-1].index,
                voices=voices,
                speakers=speakers,
            )
        )
        if j + 1 >= len(sentences):
            break
        # Overlap: the next chunk repeats the last sentences, unless that would not move forward.
        i = max(j + 1 - params.overlap_sentences, i + 1)
    return chunks
