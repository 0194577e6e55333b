"""A plain LangChain + Chroma pipeline: what a team builds first, and what Sourcewise is measured against.

It reads the same cleaned document texts (from the API), splits them with
``RecursiveCharacterTextSplitter`` (tutorial defaults: 1,000 characters, 200 overlap), embeds the
chunks with the same embedding model into an in-memory Chroma collection and retrieves the top
five chunks for a question. Each chunk is cited at document level only: it carries the
publisher's name and the outlet's voice, because that is all such a pipeline knows. A TASS quote
inside an independent article is therefore shown as independent, which is exactly the failure the
evaluation measures. It always answers when it retrieved anything (no abstention).

Its output is converted to the ``/v1/ask`` response shape so the same metrics apply; offsets come
from the splitter's ``start_index``, so its quotes are verbatim too.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter
from pydantic import BaseModel, ConfigDict, Field

from sourcewise.settings import Settings
from sourcewise.types import VOICE_LABELS, Voice

logger = logging.getLogger(__name__)

#: The splitter settings of LangChain's own retrieval tutorials, i.e. what a first build uses.
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
#: Chunks retrieved per question.
TOP_K = 5


class BaselineDocument(BaseModel):
    """A document as ``GET /v1/documents/{doc_id}`` returns it (the fields the baseline reads)."""

    model_config = ConfigDict(extra="ignore")

    doc_id: str = Field(description="Document id")
    text: str = Field(description="Cleaned text that offsets refer to")
    title: str = Field(default="", description="Title")
    publisher: str = Field(default="", description="Outlet that printed it")
    author: str | None = Field(default=None, description="Author, when known")
    published: str | None = Field(default=None, description="Publication date, when known")
    url: str | None = Field(default=None, description="Where it was published, when known")
    genre: str = Field(default="news", description="news, analysis or opinion")
    outlet_voice: Voice = Field(default=Voice.INDEPENDENT, description="The outlet's voice: all a document-level citation knows")


class LangChainBaseline:
    """Document-level-citation retrieval over an in-memory Chroma collection.

    Use as a context manager (or call :meth:`close`) so the collection is dropped afterwards.
    """

    def __init__(
        self,
        documents: Sequence[BaselineDocument | Mapping[str, Any]],
        embeddings: Embeddings,
        *,
        top_k: int = TOP_K,
        chunk_size: int = CHUNK_SIZE,
        chunk_overlap: int = CHUNK_OVERLAP,
    ) -> None:
        self.documents = {
            doc.doc_id: doc
            for doc in (d if isinstance(d, BaselineDocument) else BaselineDocument.model_validate(d) for d in documents)
        }
        self.top_k = top_k
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
        )
        chunks = splitter.create_documents(
            [doc.text for doc in self.documents.values()],
            metadatas=[{"doc_id": doc.doc_id} for doc in self.documents.values()],
        )
        # A unique name: in-memory Chroma clients of one process share their collections.
        self._store = Chroma(
            collection_name=f"baseline-{uuid.uuid4().hex[:12]}",
            embedding_function=embeddings,
            collection_metadata={"hnsw:space": "cosine"},
        )
        if chunks:
            self._store.add_documents(chunks, ids=[f"chunk-{i}" for i in range(len(chunks))])
        self.chunk_count = len(chunks)
        logger.info("Baseline indexed %d chunks from %d documents", len(chunks), len(self.documents))

    def __enter__(self) -> LangChainBaseline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the in-memory collection."""
        try:
            self._store.delete_collection()
        except Exception:  # noqa: BLE001 - a failed clean-up must not hide the evaluation's result
            logger.debug("Baseline collection already gone", exc_info=True)

    def ask(self, question: str, history: Sequence[Mapping[str, str]] | None = None) -> dict[str, Any]:
        """Answer like ``POST /v1/ask``: the top chunks, grouped by their outlet's voice.

        Without a language model to rewrite follow-ups, the query is the previous user turn
        followed by the question, the usual first attempt at "chat with history".
        """
        previous = [turn["content"] for turn in history or [] if turn.get("role") == "user"]
        query = f"{previous[-1]}\n{question}" if previous else question
        results = self._store.similarity_search_with_score(query, k=self.top_k) if self.chunk_count else []
        by_voice: dict[Voice, list[dict[str, Any]]] = {}
        for rank, (chunk, distance) in enumerate(results):
            quote = self._quote(chunk, 1.0 - float(distance), rank)
            if quote is not None:
                by_voice.setdefault(Voice(quote["speaker"]["voice"]), []).append(quote)
        sections = [
            {"voice": voice.value, "label": VOICE_LABELS[voice], "quotes": by_voice[voice]}
            for voice in Voice
            if voice in by_voice
        ]
        publishers = sorted({q["source"]["publisher"] for s in sections for q in s["quotes"]})
        return {
            "question": question,
            "supported": bool(sections),
            "answer": ("Relevant passages from " + ", ".join(publishers) + ".") if publishers else "No passages found.",
            "sections": sections,
        }

    def _quote(self, chunk: Document, score: float, rank: int) -> dict[str, Any] | None:
        doc = self.documents.get(str(chunk.metadata.get("doc_id")))
        start = int(chunk.metadata.get("start_index", -1))
        if doc is None or start < 0:
            logger.warning("Baseline chunk without document or offset: %r", chunk.metadata)
            return None
        return {
            "id": f"b{rank + 1}",
            "text": chunk.page_content,
            "start": start,
            "end": start + len(chunk.page_content),
            # Document-level citation: the publisher speaks, with the outlet's voice.
            "speaker": {"name": doc.publisher or None, "role": "publisher", "voice": doc.outlet_voice.value},
            "source": {
                "doc_id": doc.doc_id,
                "title": doc.title,
                "publisher": doc.publisher,
                "author": doc.author,
                "published": doc.published,
                "url": doc.url,
                "genre": doc.genre,
            },
            "score": score,
        }


def default_embeddings(settings: Settings | None = None) -> Embeddings:
    """The service's own embedding model behind LangChain's interface (a fair comparison)."""
    from vectorstore.embeddings import load_embedder  # loads torch; only when the baseline runs

    return load_embedder(settings or Settings()).as_langchain()
