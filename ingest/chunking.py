"""Chunks: consecutive whole sentences, about min..max model tokens, sharing a sentence of overlap.

A chunk is built from the document's passages but never cuts a sentence: the passages of one
sentence (two when it carries two speakers' claims) always travel together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from itertools import groupby

from sourcewise.settings import ChunkingParams
from sourcewise.types import Chunk, Passage, Voice


def chunk_id(doc_id: str, index: int, text: str) -> str:
    """Deterministic: the same document text always gives the same ids."""
    return f"{doc_id}:c{index}:{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def make_chunks(
    doc_id: str,
    text: str,
    passages: Sequence[Passage],
    count_tokens: Callable[[str], int],
    params: ChunkingParams,
) -> list[Chunk]:
    """Group whole sentences into chunks of at most ``max_tokens`` (a longer sentence stands alone)."""
    sentences = [list(group) for _, group in groupby(passages, key=lambda p: p.sentence)]
    sizes = [count_tokens(text[s[0].start : s[-1].end]) for s in sentences]
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j, total = i, sizes[i]
        while j + 1 < len(sentences) and total + sizes[j + 1] <= params.max_tokens:
            j += 1
            total += sizes[j]
        members = [p for s in sentences[i : j + 1] for p in s]
        start, end = members[0].start, members[-1].end
        body = text[start:end]
        voices: list[Voice] = []
        speakers: list[str] = []
        for p in members:
            if p.attribution.speaker.voice not in voices:
                voices.append(p.attribution.speaker.voice)
            name = p.attribution.speaker.name
            if name and p.attribution.how != "author" and name not in speakers:
                speakers.append(name)
        chunks.append(
            Chunk(
                chunk_id=chunk_id(doc_id, len(chunks), body),
                doc_id=doc_id,
                index=len(chunks),
                start=start,
                end=end,
                text=body,
                first_passage=members[0].index,
                last_passage=members[-1].index,
                voices=voices,
                speakers=speakers,
            )
        )
        if j + 1 >= len(sentences):
            break
        # Overlap: the next chunk repeats the last sentences, unless that would not move forward.
        i = max(j + 1 - params.overlap_sentences, i + 1)
    return chunks
