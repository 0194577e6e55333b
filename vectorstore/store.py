"""The knowledge store: processed documents, their chunks and sentences, kept in Chroma.

This is the only module that talks to chromadb. Chroma runs embedded (a folder under
``settings.data_dir``) unless ``CHROMA_HOST`` names a server. Each index lives in three
collections named after :meth:`Settings.index_fingerprint` (the embedding model and chunking
parameters), so a changed model can never silently read vectors built by another:

- ``documents``: one record per document, the cleaned text and the manifest fields;
- ``chunks``: the retrieval units (groups of whole sentences);
- ``sentences``: every sentence with its offsets and attribution (the quotes).

Everything a :class:`~sourcewise.types.ProcessedDocument` holds can be rebuilt from these
records alone, so the service needs nothing but the store to answer.
Vectors are always given explicitly: Chroma's default embedding function (which downloads a
model) is never used.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError, InternalError, NotFoundError
from pydantic import Field

from sourcewise.settings import Settings
from sourcewise.types import (
    Attribution,
    Chunk,
    DocumentMeta,
    ProcessedDocument,
    Sentence,
    Speaker,
    Voice,
)

logger = logging.getLogger(__name__)

#: Bumped when the layout of the records changes; recorded on every collection.
STORE_SCHEMA = 1
CollectionKind = Literal["documents", "chunks", "sentences"]
COLLECTION_KINDS: tuple[CollectionKind, ...] = ("documents", "chunks", "sentences")

# Reads go page by page so that 100,000 chunks never travel in one response.
_READ_PAGE = 5000
# Chroma caps a write batch (get_max_batch_size); smaller batches also keep HTTP bodies modest.
_WRITE_BATCH = 1000
# Long `$in` lists make slow filters; doc-id filters are split into groups of this size.
_ID_GROUP = 500
# A server that accepts connections but never answers must not hang a request forever.
_HTTP_TIMEOUT = httpx.Timeout(300.0, connect=5.0)
_HEARTBEAT_TIMEOUT = httpx.Timeout(5.0, connect=3.0)


class StoreUnavailable(RuntimeError):
    """The Chroma store cannot be reached or opened; the message says what to run or check."""


class IndexMismatch(RuntimeError):
    """A collection was built with another embedding model, chunking or dimension."""


class StoredDocument(DocumentMeta):
    """A document as listed by the store: its manifest fields, resolved voice and sizes."""

    outlet_voice: Voice = Field(description="The resolved voice of the outlet's own sentences")
    chunk_count: int = Field(description="How many chunks the document was split into")
    sentence_count: int = Field(description="How many sentences the document has")


def sentence_id(doc_id: str, index: int) -> str:
    """The store id of a document's sentence (doc ids never contain ':')."""
    return f"{doc_id}:s{index}"


def parse_sentence_id(sid: str) -> tuple[str, int]:
    """``(doc_id, index)`` of a sentence id made by :func:`sentence_id`."""
    doc_id, _, index = sid.rpartition(":s")
    if not doc_id or not index.isdigit():
        raise ValueError(f"{sid!r} is not a sentence id")
    return doc_id, int(index)


def where_filter(
    voices: Iterable[Voice | str] | None = None,
    publishers: Iterable[str] | None = None,
    doc_ids: Iterable[str] | None = None,
    *,
    kind: Literal["chunks", "sentences"] = "chunks",
) -> dict[str, Any] | None:
    """A Chroma ``where`` filter for the chunks or the sentences collection, or None for no filter.

    Within one field any listed value matches; across fields all must match. None or an empty
    list leaves that field unconstrained. A chunk matches a voice when any of its sentences
    carries that voice (``voices`` is a list field there); a sentence matches on its own voice.
    """
    clauses: list[dict[str, Any]] = []
    voice_ids = sorted({Voice(v).value for v in voices or ()})
    if voice_ids:
        if kind == "chunks":
            any_voice = [{"voices": {"$contains": v}} for v in voice_ids]
            clauses.append(any_voice[0] if len(any_voice) == 1 else {"$or": any_voice})
        else:
            clauses.append({"voice": {"$in": voice_ids}})
    publisher_names = sorted(set(publishers or ()))
    if publisher_names:
        clauses.append({"publisher": {"$in": publisher_names}})
    ids = sorted(set(doc_ids or ()))
    if ids:
        clauses.append({"doc_id": {"$in": ids}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class KnowledgeStore:
    """Documents, chunks and sentences of one index (one embedding model and chunking) in Chroma."""

    def __init__(self, client: ClientAPI, settings: Settings, dimension: int, location: str) -> None:
        """Use :meth:`connect`; this only wires an open client to the three collections."""
        self._client = client
        self._settings = settings
        self.dimension = dimension
        #: Where the store is, for messages: a folder or a server URL.
        self.location = location
        self._collections: dict[CollectionKind, Collection] = {}
        with self._errors("opening the collections"):
            self._write_batch = max(1, min(_WRITE_BATCH, client.get_max_batch_size()))
            for kind in COLLECTION_KINDS:
                self._collections[kind] = self._open_collection(kind)

    # ----------------------------------------------------------------------------- connecting

    @classmethod
    def connect(cls, settings: Settings, *, dimension: int) -> KnowledgeStore:
        """Open (creating if needed) this settings' index: embedded, or on the server at CHROMA_HOST.

        Raises :class:`StoreUnavailable` when the server does not answer or the folder cannot be
        used, and :class:`IndexMismatch` when the collections were built with other parameters.
        """
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_host:
            url = _server_url(settings)
            _check_heartbeat(settings, url)
            try:
                client = chromadb.HttpClient(
                    host=settings.chroma_host,
                    port=settings.chroma_port,
                    ssl=settings.chroma_ssl,
                    settings=chroma_settings,
                )
            except (ValueError, httpx.HTTPError, ChromaError) as exc:
                # Refused tenants, auth failures and garbled answers all mean: not a usable server.
                raise StoreUnavailable(f"{_unreachable_message(settings, url)} ({exc})") from exc
            _limit_http_waits(client)
            location = url
        else:
            path = settings.chroma_path
            location = str(path)
            try:
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except (OSError, InternalError, ValueError) as exc:
                raise StoreUnavailable(
                    f"Cannot open the embedded Chroma store at {path}: {exc}. Set SOURCEWISE_DATA_DIR "
                    f"to a writable folder, or CHROMA_HOST/CHROMA_PORT to use a Chroma server"
                ) from exc
        logger.info("Chroma store at %s, index %s", location, settings.index_fingerprint())
        return cls(client, settings, dimension, location)

    def collection_name(self, kind: CollectionKind) -> str:
        """The Chroma collection name for ``kind`` in this index."""
        return f"{self._settings.collection_prefix}-{self._settings.index_fingerprint()}-{kind}"

    def _expected_metadata(self, kind: CollectionKind) -> dict[str, str | int]:
        return {
            "sourcewise_schema": STORE_SCHEMA,
            "kind": kind,
            "embedding_model": self._settings.embedding_model,
            "chunking": json.dumps(self._settings.chunking.model_dump(), sort_keys=True),
            "fingerprint": self._settings.index_fingerprint(),
            "dimension": self.dimension,
        }

    def _open_collection(self, kind: CollectionKind) -> Collection:
        name = self.collection_name(kind)
        expected = self._expected_metadata(kind)
        try:
            collection = self._client.get_collection(name, embedding_function=None)
        except NotFoundError:
            # get_or_create: another process may create it between our two calls.
            collection = self._client.get_or_create_collection(
                name,
                configuration={
                    "hnsw": {
                        "space": "cosine",
                        "ef_search": self._settings.hnsw_ef_search,
                        "ef_construction": self._settings.hnsw_ef_construction,
                    }
                },
                metadata=expected,
                embedding_function=None,
            )
            logger.info("Created collection %s", name)
        self._check_recorded(collection, expected)
        return collection

    def _check_recorded(self, collection: Collection, expected: dict[str, str | int]) -> None:
        """Refuse a collection whose recorded parameters differ from this index's."""
        recorded = collection.metadata or {}
        differences = [
            f"{key}: recorded {recorded.get(key)!r}, settings say {value!r}"
            for key, value in expected.items()
            if recorded.get(key) != value
        ]
        # The raw JSON: the parsed `configuration` warns about our (deliberately) absent embedding function.
        space = ((collection.configuration_json or {}).get("hnsw") or {}).get("space")
        if space is not None and space != "cosine":
            differences.append(f"distance: recorded {space!r}, expected 'cosine'")
        if differences:
            raise IndexMismatch(
                f"Collection {collection.name!r} at {self.location} was built with other parameters "
                f"({'; '.join(differences)}). Vectors of different models or chunkings must not be mixed: "
                f"re-ingest the corpus into a fresh store (delete it or set SOURCEWISE_DATA_DIR / "
                f"SOURCEWISE_COLLECTION_PREFIX), or restore the settings it was built with"
            )

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn Chroma's connection and storage failures into :class:`StoreUnavailable`."""
        try:
            yield
        except (StoreUnavailable, IndexMismatch):
            raise
        except httpx.TransportError as exc:
            raise StoreUnavailable(
                f"{_unreachable_message(self._settings, self.location)} (while {action}: {exc})"
            ) from exc
        except NotFoundError as exc:
            raise StoreUnavailable(
                f"A Sourcewise collection at {self.location} disappeared while {action} (was the index "
                f"reset by another process?): run the ingest again, then restart. ({exc})"
            ) from exc
        except (InternalError, OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"The Chroma store at {self.location} failed while {action}: {exc}") from exc
        except ValueError as exc:
            # chromadb reports a lost server as a bare ValueError.
            if "could not connect" in str(exc).lower():
                raise StoreUnavailable(
                    f"{_unreachable_message(self._settings, self.location)} (while {action})"
                ) from exc
            raise

    # --------------------------------------------------------------------------------- writing

    def upsert_document(
        self, doc: ProcessedDocument, chunk_vectors: np.ndarray, sentence_vectors: np.ndarray
    ) -> None:
        """Store ``doc`` with one vector per chunk and per sentence, replacing any earlier version.

        Idempotent: ids are deterministic, and records of an earlier version of the document that
        the new one no longer has are removed, so re-ingesting never duplicates.
        """
        doc_id = doc.meta.doc_id
        _check_document(doc)
        chunk_matrix = self._as_vectors(chunk_vectors, len(doc.chunks), f"chunk vectors of {doc_id}")
        sentence_matrix = self._as_vectors(sentence_vectors, len(doc.sentences), f"sentence vectors of {doc_id}")
        if len(doc.chunks) == 0:
            raise ValueError(f"Document {doc_id!r} has no chunks: nothing could ever retrieve it")

        chunk_ids = [chunk.chunk_id for chunk in doc.chunks]
        sentence_ids = [sentence_id(doc_id, s.index) for s in doc.sentences]
        publisher, genre = doc.meta.publisher, doc.meta.genre.value
        chunk_metadatas = [_chunk_metadata(chunk, publisher, genre) for chunk in doc.chunks]
        sentence_metadatas = [_sentence_metadata(s, publisher, genre) for s in doc.sentences]
        doc_vector = _normalised(chunk_matrix.mean(axis=0, keepdims=True))

        with self._errors(f"storing document {doc_id}"):
            chunks, sentences = self._collections["chunks"], self._collections["sentences"]
            self._delete_stale(chunks, doc_id, keep=set(chunk_ids))
            self._delete_stale(sentences, doc_id, keep=set(sentence_ids))
            self._write(chunks, chunk_ids, chunk_matrix, [c.text for c in doc.chunks], chunk_metadatas)
            self._write(sentences, sentence_ids, sentence_matrix, [s.text for s in doc.sentences], sentence_metadatas)
            # The document record goes last: a document is listed only once all its parts are in.
            self._collections["documents"].upsert(
                ids=[doc_id], embeddings=doc_vector, documents=[doc.text], metadatas=[_document_metadata(doc)]
            )
        logger.debug("Stored %s: %d chunks, %d sentences", doc_id, len(chunk_ids), len(sentence_ids))

    def _as_vectors(self, vectors: np.ndarray, rows: int, what: str) -> np.ndarray:
        matrix = np.asarray(vectors, dtype=np.float32)
        if rows == 0 and matrix.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if matrix.shape != (rows, self.dimension):
            raise ValueError(f"Expected {what} of shape ({rows}, {self.dimension}), got {matrix.shape}")
        return _normalised(matrix)

    def _delete_stale(self, collection: Collection, doc_id: str, keep: set[str]) -> None:
        existing = collection.get(where={"doc_id": doc_id}, include=[])["ids"]
        stale = [i for i in existing if i not in keep]
        for start in range(0, len(stale), self._write_batch):
            collection.delete(ids=stale[start : start + self._write_batch])

    def _write(
        self,
        collection: Collection,
        ids: Sequence[str],
        vectors: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for start in range(0, len(ids), self._write_batch):
            end = start + self._write_batch
            collection.upsert(
                ids=list(ids[start:end]),
                embeddings=vectors[start:end],
                documents=list(texts[start:end]),
                metadatas=list(metadatas[start:end]),
            )

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove the documents and all their chunks and sentences (unknown ids are ignored)."""
        ids = sorted(set(doc_ids))
        with self._errors("deleting documents"):
            for start in range(0, len(ids), _ID_GROUP):
                group = ids[start : start + _ID_GROUP]
                # The document record goes first, so a half-deleted document is never listed.
                self._collections["documents"].delete(ids=group)
                for kind in ("chunks", "sentences"):
                    self._collections[kind].delete(where={"doc_id": {"$in": group}})
        if ids:
            logger.info("Deleted %d document(s) from %s", len(ids), self.location)

    def reset(self) -> None:
        """Drop this index's three collections and start them empty (for tests and tools)."""
        with self._errors("resetting the index"):
            for kind in COLLECTION_KINDS:
                try:
                    self._client.delete_collection(self.collection_name(kind))
                except NotFoundError:
                    pass
            for kind in COLLECTION_KINDS:
                self._collections[kind] = self._open_collection(kind)
        logger.info("Reset index %s at %s", self._settings.index_fingerprint(), self.location)

    # --------------------------------------------------------------------------------- reading

    def _pages(
        self,
        kind: CollectionKind,
        include: list[Any],
        where: dict[str, Any] | None = None,
        page: int = _READ_PAGE,
    ) -> Iterator[dict[str, Any]]:
        """Successive ``get`` results of at most ``page`` records each."""
        collection = self._collections[kind]
        offset = 0
        while True:
            result = collection.get(where=where, limit=page, offset=offset, include=include)
            count = len(result["ids"])
            if count:
                yield dict(result)
            if count < page:
                return
            offset += count

    def document_ids(self) -> list[str]:
        """Ids of every stored document, sorted."""
        with self._errors("listing documents"):
            return sorted(i for page in self._pages("documents", include=[]) for i in page["ids"])

    def list_documents(self) -> list[StoredDocument]:
        """Every stored document's manifest fields, resolved voice and sizes, sorted by doc id."""
        with self._errors("listing documents"):
            listed = [
                _stored_document(meta)
                for page in self._pages("documents", include=["metadatas"])
                for meta in page["metadatas"]
            ]
        return sorted(listed, key=lambda d: d.doc_id)

    def get_document(self, doc_id: str) -> ProcessedDocument | None:
        """The document rebuilt from the store (text, attributed sentences, chunks), or None."""
        with self._errors(f"reading document {doc_id}"):
            record = self._collections["documents"].get(ids=[doc_id], include=["documents", "metadatas"])
            if not record["ids"]:
                return None
            where = {"doc_id": doc_id}
            sentences = [
                _sentence_from_record(i, text, meta)
                for page in self._pages("sentences", ["documents", "metadatas"], where)
                for i, text, meta in zip(page["ids"], page["documents"], page["metadatas"])
            ]
            chunks = [
                _chunk_from_record(i, text, meta)
                for page in self._pages("chunks", ["documents", "metadatas"], where)
                for i, text, meta in zip(page["ids"], page["documents"], page["metadatas"])
            ]
        return _rebuild_document(record["documents"][0], record["metadatas"][0], sentences, chunks)

    def load_documents(self) -> list[ProcessedDocument]:
        """Every stored document, rebuilt as by :meth:`get_document`, sorted by doc id."""
        sentences: dict[str, list[Sentence]] = defaultdict(list)
        chunks: dict[str, list[Chunk]] = defaultdict(list)
        with self._errors("loading documents"):
            for page in self._pages("sentences", ["documents", "metadatas"]):
                for i, text, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                    sentence = _sentence_from_record(i, text, meta)
                    sentences[sentence.doc_id].append(sentence)
            for page in self._pages("chunks", ["documents", "metadatas"]):
                for i, text, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                    chunk = _chunk_from_record(i, text, meta)
                    chunks[chunk.doc_id].append(chunk)
            documents = [
                _rebuild_document(text, meta, sentences[doc_id], chunks[doc_id])
                for page in self._pages("documents", ["documents", "metadatas"])
                for doc_id, text, meta in zip(page["ids"], page["documents"], page["metadatas"])
            ]
        return sorted(documents, key=lambda d: d.meta.doc_id)

    def sentence_vectors(self, doc_ids: Iterable[str] | None = None) -> tuple[list[str], np.ndarray]:
        """Sentence ids and their normalised vectors (float32, one row each), for in-memory scoring.

        All sentences when ``doc_ids`` is None, else only those of the given documents.
        """
        wheres: list[dict[str, Any] | None]
        if doc_ids is None:
            wheres = [None]
        else:
            ids = sorted(set(doc_ids))
            wheres = [{"doc_id": {"$in": ids[s : s + _ID_GROUP]}} for s in range(0, len(ids), _ID_GROUP)]
        all_ids: list[str] = []
        blocks: list[np.ndarray] = []
        with self._errors("reading sentence vectors"):
            for where in wheres:
                for page in self._pages("sentences", ["embeddings"], where):
                    all_ids.extend(page["ids"])
                    blocks.append(np.asarray(page["embeddings"], dtype=np.float32))
        if not blocks:
            return [], np.zeros((0, self.dimension), dtype=np.float32)
        return all_ids, np.concatenate(blocks)

    def iter_chunks(self, batch: int = _READ_PAGE) -> Iterator[tuple[list[str], list[str], list[dict]]]:
        """Every chunk as pages of ``(ids, texts, metadatas)``: the source of the lexical index."""
        with self._errors("reading chunks"):
            for page in self._pages("chunks", ["documents", "metadatas"], page=batch):
                yield list(page["ids"]), list(page["documents"]), [dict(m) for m in page["metadatas"]]

    def query_chunks(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """The ``k`` chunks nearest to ``vector``: ``(chunk_id, cosine similarity)``, best first."""
        return self._query("chunks", vector, k, where)

    def query_sentences(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """The ``k`` sentences nearest to ``vector``: ``(sentence_id, cosine similarity)``, best first."""
        return self._query("sentences", vector, k, where)

    def _query(
        self, kind: CollectionKind, vector: np.ndarray, k: int, where: dict | None
    ) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape != (self.dimension,):
            raise ValueError(f"Expected a query vector of {self.dimension} values, got {query.shape}")
        with self._errors(f"searching {kind}"):
            result = self._collections[kind].query(
                query_embeddings=[query], n_results=k, where=where, include=["distances"]
            )
        ids = result["ids"][0] if result["ids"] else []
        distances = (result.get("distances") or [[]])[0]
        # Chroma's cosine distance is 1 - cosine similarity.
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances)]

    def counts(self) -> dict[str, int]:
        """How many documents, chunks and sentences the index holds."""
        with self._errors("counting records"):
            return {kind: self._collections[kind].count() for kind in COLLECTION_KINDS}

    def __repr__(self) -> str:
        return f"KnowledgeStore(location={self.location!r}, index={self._settings.index_fingerprint()!r})"


# ------------------------------------------------------------------------------------ servers


def _server_url(settings: Settings) -> str:
    scheme = "https" if settings.chroma_ssl else "http"
    return f"{scheme}://{settings.chroma_host}:{settings.chroma_port}"


def _unreachable_message(settings: Settings, url: str) -> str:
    if not settings.chroma_host:
        return f"The embedded Chroma store at {url} cannot be used"
    return (
        f"Cannot reach the Chroma server at {url} (CHROMA_HOST/CHROMA_PORT): start it with "
        f"`chroma run --path DIR --port {settings.chroma_port}` or unset CHROMA_HOST to use the embedded store"
    )


def _check_heartbeat(settings: Settings, url: str) -> None:
    """Fail within seconds when the server is down or is not Chroma (chromadb itself waits forever)."""
    try:
        response = httpx.get(f"{url}/api/v2/heartbeat", timeout=_HEARTBEAT_TIMEOUT)
    except httpx.HTTPError as exc:
        raise StoreUnavailable(f"{_unreachable_message(settings, url)} ({type(exc).__name__}: {exc})") from exc
    if response.status_code != 200:
        raise StoreUnavailable(
            f"{url} answered HTTP {response.status_code} to /api/v2/heartbeat: is it a Chroma 1.x server? "
            f"Check CHROMA_HOST/CHROMA_PORT"
        )


def _limit_http_waits(client: ClientAPI) -> None:
    """Give chromadb's HTTP session timeouts; it is built with none, so a stuck server would hang us."""
    # chromadb exposes no setting for this; reach its httpx session, and do without when it moves.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = _HTTP_TIMEOUT
    else:
        logger.debug("chromadb's HTTP session not found; requests to the server have no timeout")


# ------------------------------------------------------------------------------ record layout


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if np.any(norms == 0) or not np.all(np.isfinite(norms)):
        raise ValueError("Vectors must be finite and non-zero")
    return (matrix / norms).astype(np.float32)


def _check_document(doc: ProcessedDocument) -> None:
    """Refuse parts that do not belong to the document, or quotes whose offsets would lie."""
    doc_id = doc.meta.doc_id
    for sentence in doc.sentences:
        if sentence.doc_id != doc_id:
            raise ValueError(f"Sentence {sentence.index} of {doc_id!r} names document {sentence.doc_id!r}")
        if doc.text[sentence.start : sentence.end] != sentence.text:
            raise ValueError(
                f"Sentence {sentence.index} of {doc_id!r}: text[{sentence.start}:{sentence.end}] "
                f"differs from the sentence text"
            )
    if len({s.index for s in doc.sentences}) != len(doc.sentences):
        raise ValueError(f"Sentence indexes of {doc_id!r} repeat")
    for chunk in doc.chunks:
        if chunk.doc_id != doc_id:
            raise ValueError(f"Chunk {chunk.chunk_id} of {doc_id!r} names document {chunk.doc_id!r}")
    if len({c.chunk_id for c in doc.chunks}) != len(doc.chunks):
        raise ValueError(f"Chunk ids of {doc_id!r} repeat")


def _metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata for ``values``, where an absent key means "not given".

    Chroma stores neither None nor empty lists. Both are sent as None rather than left out:
    an upsert merges into the metadata already stored, and None is what removes a key that an
    earlier version of the record had (an author since corrected to unknown, say).
    """
    return {k: (None if v == [] else v) for k, v in values.items()}


def _document_metadata(doc: ProcessedDocument) -> dict[str, Any]:
    meta = doc.meta
    return _metadata(
        {
            "doc_id": meta.doc_id,
            "file": meta.file,
            "title": meta.title,
            "publisher": meta.publisher,
            "author": meta.author,
            "published": meta.published,
            "url": meta.url,
            "genre": meta.genre.value,
            # The manifest's own value (often null) is kept apart from the resolved voice.
            "manifest_outlet_voice": meta.outlet_voice.value if meta.outlet_voice else None,
            "outlet_voice": doc.outlet_voice.value,
            "chunk_count": len(doc.chunks),
            "sentence_count": len(doc.sentences),
        }
    )


def _chunk_metadata(chunk: Chunk, publisher: str, genre: str) -> dict[str, Any]:
    return _metadata(
        {
            "doc_id": chunk.doc_id,
            "index": chunk.index,
            "start": chunk.start,
            "end": chunk.end,
            "first_sentence": chunk.first_sentence,
            "last_sentence": chunk.last_sentence,
            "publisher": publisher,
            "genre": genre,
            "voices": [v.value for v in chunk.voices],
            "speakers": list(chunk.speakers),
        }
    )


def _sentence_metadata(sentence: Sentence, publisher: str, genre: str) -> dict[str, Any]:
    attribution = sentence.attribution
    return _metadata(
        {
            "doc_id": sentence.doc_id,
            "index": sentence.index,
            "start": sentence.start,
            "end": sentence.end,
            "voice": attribution.speaker.voice.value,
            "speaker_name": attribution.speaker.name,
            "speaker_role": attribution.speaker.role,
            "conduit": attribution.conduit,
            "kind": attribution.kind,
            "publisher": publisher,
            "genre": genre,
        }
    )


def _document_meta(meta: dict[str, Any]) -> DocumentMeta:
    return DocumentMeta(
        doc_id=meta["doc_id"],
        file=meta["file"],
        title=meta["title"],
        publisher=meta["publisher"],
        author=meta.get("author"),
        published=meta.get("published"),
        url=meta.get("url"),
        genre=meta["genre"],
        outlet_voice=meta.get("manifest_outlet_voice"),
    )


def _stored_document(meta: dict[str, Any]) -> StoredDocument:
    fields = _document_meta(meta).model_dump(exclude={"outlet_voice"})
    return StoredDocument(
        **fields,
        outlet_voice=meta["outlet_voice"],
        chunk_count=meta["chunk_count"],
        sentence_count=meta["sentence_count"],
    )


def _sentence_from_record(_: str, text: str, meta: dict[str, Any]) -> Sentence:
    return Sentence(
        doc_id=meta["doc_id"],
        index=meta["index"],
        start=meta["start"],
        end=meta["end"],
        text=text,
        attribution=Attribution(
            speaker=Speaker(name=meta.get("speaker_name"), role=meta.get("speaker_role"), voice=meta["voice"]),
            conduit=meta.get("conduit"),
            kind=meta["kind"],
        ),
    )


def _chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc_id=meta["doc_id"],
        index=meta["index"],
        start=meta["start"],
        end=meta["end"],
        text=text,
        first_sentence=meta["first_sentence"],
        last_sentence=meta["last_sentence"],
        voices=list(meta.get("voices") or []),
        speakers=list(meta.get("speakers") or []),
    )


def _rebuild_document(
    text: str, meta: dict[str, Any], sentences: list[Sentence], chunks: list[Chunk]
) -> ProcessedDocument:
    return ProcessedDocument(
        meta=_document_meta(meta),
        outlet_voice=meta["outlet_voice"],
        text=text,
        sentences=sorted(sentences, key=lambda s: s.index),
        chunks=sorted(chunks, key=lambda c: c.index),
    )


__all__ = [
    "COLLECTION_KINDS",
    "IndexMismatch",
    "KnowledgeStore",
    "StoreUnavailable",
    "StoredDocument",
    "parse_sentence_id",
    "sentence_id",
    "where_filter",
]
