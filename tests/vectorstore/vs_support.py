"""Helpers for the vector store tests: hand-built documents (the Chroma server is service.launch.ChromaServer).

(A module of its own, not conftest.py, so that test files can import it by a unique name.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sourcewise.types import (
    Attribution,
    Chunk,
    Claim,
    Cue,
    DocumentMeta,
    Genre,
    How,
    Passage,
    ProcessedDocument,
    Speaker,
    Voice,
)


@dataclass(frozen=True)
class Said:
    """One sentence of a hand-built document and who says it (one claim, one passage)."""

    text: str
    voice: Voice = Voice.INDEPENDENT
    name: str | None = None
    role: str | None = None
    conduit: str | None = None
    how: How = "author"


DocumentFactory = Callable[..., ProcessedDocument]


def build_document(
    doc_id: str,
    said: list[Said],
    *,
    publisher: str = "Test Herald",
    genre: Genre = Genre.NEWS,
    per_chunk: int = 2,
    author: str | None = None,
    url: str | None = None,
    published: str | None = None,
    manifest_voice: Voice | None = None,
    outlet_voice: Voice = Voice.INDEPENDENT,
    title: str | None = None,
    corpus: str = "test",
) -> ProcessedDocument:
    """A processed document as ingest would make it: text joined from the sentences, one claim and
    one passage per sentence, offsets into the text, and chunks of ``per_chunk`` sentences."""
    claims: list[Claim] = []
    passages: list[Passage] = []
    parts: list[str] = []
    offset = 0
    for index, item in enumerate(said):
        if parts:
            parts.append(" ")
            offset += 1
        attribution = Attribution(
            speaker=Speaker(name=item.name, role=item.role, voice=item.voice),
            conduit=item.conduit,
            how=item.how,
            cue=None if item.how == "author" else Cue(text=item.text[:5], start=offset, end=offset + 5),
        )
        end = offset + len(item.text)
        claims.append(Claim(doc_id=doc_id, index=index, start=offset, end=end, text=item.text, attribution=attribution))
        passages.append(Passage(doc_id=doc_id, index=index, start=offset, end=end, text=item.text, sentence=index,
                                claim=index, paragraph=0, gap_after=" " if index + 1 < len(said) else "",
                                attribution=attribution))
        parts.append(item.text)
        offset = end
    text = "".join(parts)
    chunks: list[Chunk] = []
    for index, first in enumerate(range(0, len(passages), per_chunk)):
        group = passages[first : first + per_chunk]
        chunk_text = text[group[0].start : group[-1].end]
        digest = hashlib.sha1(chunk_text.encode()).hexdigest()[:8]
        voices = list(dict.fromkeys(p.attribution.speaker.voice for p in group))
        speakers = list(dict.fromkeys(p.attribution.speaker.name for p in group if p.attribution.speaker.name))
        chunks.append(
            Chunk(
                chunk_id=f"{doc_id}:c{index}:{digest}",
                doc_id=doc_id,
                index=index,
                start=group[0].start,
                end=group[-1].end,
                text=chunk_text,
                first_passage=group[0].index,
                last_passage=group[-1].index,
                voices=voices,
                speakers=speakers,
            )
        )
    meta = DocumentMeta(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        title=title or f"Report {doc_id}",
        publisher=publisher,
        author=author,
        published=published,
        url=url,
        genre=genre,
        outlet_voice=manifest_voice,
        corpus=corpus,
    )
    return ProcessedDocument(meta=meta, outlet_voice=outlet_voice, text=text, claims=claims, passages=passages,
                             chunks=chunks)


