"""The knowledge store: documents, their chunks, passages and claims, kept in Chroma.

This is the only module that talks to chromadb. Chroma runs embedded (a folder under
``settings.data_dir``) unless ``CHROMA_HOST`` names a server, and it is the only state: any
number of service replicas read the same store and answer the same. Each index lives in four
collections named after :meth:`Settings.index_fingerprint` (the embedding model, chunking and HNSW
parameters), so a changed model can never silently read vectors built by another:

- ``documents``: one record per document (id: the ``doc_id``): the cleaned text of its current
  version, its manifest fields, its corpus and its version (a content hash);
- ``chunks``: the dense retrieval units (whole sentences), each naming its passages;
- ``passages``: a claim's words within one sentence, with the claim's speaker, voice, conduit,
  ``how`` and cue: what is scored and quoted, and from which the claims are rebuilt;
- ``changes``: a log of every write (a document stored or deleted), so that replicas drop what
  they cached and follow the store within a second.

Chunk and passage ids name the document version (``doc_id@version:p3``): a quote's offsets always
match the text of the version it came from, and a reader that meets a passage of a version the
document record no longer names drops it. Writes go parts first, then the document record (the
switch), then the removal of the old version, then the change record.
Vectors are always given explicitly: Chroma's default embedding function is never used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    Claim,
    Cue,
    DocumentMeta,
    Passage,
    ProcessedDocument,
    Speaker,
    Voice,
)

logger = logging.getLogger(__name__)

#: Bumped when the layout of the records changes; recorded on every collection.
STORE_SCHEMA = 2
CollectionKind = Literal["documents", "chunks", "passages", "changes"]
COLLECTION_KINDS: tuple[CollectionKind, ...] = ("documents", "chunks", "passages", "changes")

# Reads go page by page so that 100,000 passages never travel in one response.
_READ_PAGE = 5000
# Chroma caps a write batch (get_max_batch_size); smaller batches also keep HTTP bodies modest.
_WRITE_BATCH = 1000
# Long `$in` lists make slow filters; id filters are split into groups of this size.
_ID_GROUP = 500
# A server that accepts connections but never answers must not hang a request: a few seconds.
_HTTP_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
_HEARTBEAT_TIMEOUT = httpx.Timeout(3.0, connect=2.0)
#: The change log's records carry no meaning in their vector; Chroma needs one.
_CHANGE_VECTOR = [1.0]


class StoreUnavailable(RuntimeError):
    """The Chroma store cannot be reached or opened; the message says what to run or check."""


class IndexMismatch(RuntimeError):
    """A collection was built with another embedding model, chunking or dimension."""


class StoredDocument(DocumentMeta):
    """A document as listed by the store: its manifest fields, resolved voice, version and sizes."""

    outlet_voice: Voice = Field(description="The resolved voice of the outlet's own sentences")
    outlet_reason: str = Field(default="", description="Why the outlet has that voice")
    manifest_outlet_voice: Voice | None = Field(default=None, description="The voice the manifest gave, if any")
    version: str = Field(description="Content hash of the stored version")
    chunk_count: int = Field(description="How many chunks the document was split into")
    passage_count: int = Field(description="How many passages the document has")
    claim_count: int = Field(default=0, description="How many claims the document has")
    claims_per_voice: dict[str, int] = Field(default_factory=dict, description="Claims by voice")


@dataclass
class StoredPassage:
    """A passage as read back from the store, with its claim and, when asked, its vector."""

    id: str
    doc_id: str
    version: str
    corpus: str
    index: int
    start: int
    end: int
    text: str
    sentence: int
    claim: int
    paragraph: int
    gap_after: str
    claim_start: int
    claim_end: int
    attribution: Attribution
    publisher: str
    vector: np.ndarray | None = field(default=None, repr=False)

    @property
    def doc_key(self) -> str:
        return f"{self.doc_id}@{self.version}"


def _writer() -> str:
    """Who writes change-log entries from this process ("host:pid"; read at each write, so that a
    forked worker is its own writer)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Change:
    """One write, as the change log records it."""

    id: str
    seq: int
    op: Literal["upsert", "delete"]
    doc_id: str
    corpus: str
    version: str | None
    writer: str | None = None  # the process that wrote it ("host:pid"); None in older logs


@dataclass(frozen=True)
class WriteResult:
    """What storing a document did."""

    doc_id: str
    version: str
    status: Literal["created", "updated", "unchanged"]


def document_version(doc: ProcessedDocument) -> str:
    """A content hash of what the store keeps of a document: text, fields and attribution."""
    digest = hashlib.sha256()
    digest.update(doc.text.encode())
    digest.update(doc.meta.model_dump_json(exclude={"file"}).encode())
    digest.update(doc.outlet_voice.value.encode())
    for claim in doc.claims:
        digest.update(f"{claim.start}:{claim.end}:{claim.attribution.model_dump_json()}".encode())
    return digest.hexdigest()[:12]


def passage_id(doc_id: str, version: str, index: int) -> str:
    """The store id of a passage of a document version (doc ids never contain '@' or ':')."""
    return f"{doc_id}@{version}:p{index}"


def parse_passage_id(pid: str) -> tuple[str, str, int]:
    """``(doc_id, version, index)`` of a passage id made by :func:`passage_id`."""
    key, _, index = pid.rpartition(":p")
    doc_id, _, version = key.rpartition("@")
    if not doc_id or not version or not index.isdigit():
        raise ValueError(f"{pid!r} is not a passage id")
    return doc_id, version, int(index)


def where_filter(
    voices: Iterable[Voice | str] | None = None,
    publishers: Iterable[str] | None = None,
    doc_ids: Iterable[str] | None = None,
    corpora: Iterable[str] | None = None,
    *,
    kind: Literal["chunks", "passages", "documents"] = "passages",
) -> dict[str, Any] | None:
    """A Chroma ``where`` filter, or None for no filter.

    Within one field any listed value matches; across fields all must match. A chunk matches a
    voice when any of its passages carries it (``voices`` is a list field there); a passage
    matches on its own voice; documents have no voice filter.
    """
    clauses: list[dict[str, Any]] = []
    voice_ids = sorted({Voice(v).value for v in voices or ()})
    if voice_ids and kind != "documents":
        if kind == "chunks":
            any_voice = [{"voices": {"$contains": v}} for v in voice_ids]
            clauses.append(any_voice[0] if len(any_voice) == 1 else {"$or": any_voice})
        else:
            clauses.append({"voice": {"$in": voice_ids}})
    for key, values in (("publisher", publishers), ("doc_id", doc_ids), ("corpus", corpora)):
        wanted = sorted(set(values or ()))
        if wanted:
            clauses.append({key: {"$in": wanted}} if len(wanted) > 1 else {key: wanted[0]})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class KnowledgeStore:
    """Documents, chunks, passages and the change log of one index in Chroma."""

    def __init__(self, client: ClientAPI, settings: Settings, dimension: int, location: str) -> None:
        """Use :meth:`connect`; this only wires an open client to the collections."""
        self._client = client
        self._settings = settings
        self.dimension = dimension
        #: Where the store is, for messages: a folder or a server URL.
        self.location = location
        self._collections: dict[CollectionKind, Collection] = {}
        #: The newest change of another process this store has reopened for (embedded Chroma only).
        self._followed_seq = 0
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
            _limit_http_waits(client, settings)
            location = url
        else:
            path = settings.chroma_path
            location = str(path)
            try:
                path.mkdir(parents=True, exist_ok=True)
                _check_writable(path)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except (OSError, InternalError, ValueError, sqlite3.Error) as exc:
                raise StoreUnavailable(
                    f"Cannot open the embedded Chroma store at {path}: {exc}. Set SOURCEWISE_DATA_DIR "
                    f"to a writable folder, or CHROMA_HOST/CHROMA_PORT to use a Chroma server"
                ) from exc
        logger.info("Chroma store at %s, index %s", location, settings.index_fingerprint())
        return cls(client, settings, dimension, location)

    def identity(self) -> str:
        """What names this index exactly, wherever its server listens: its collections' ids (new
        after a reset) and parameters."""
        ids = ",".join(str(self._collections[kind].id) for kind in COLLECTION_KINDS)
        return f"{self._settings.index_fingerprint()}|{ids}"

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
            "dimension": 1 if kind == "changes" else self.dimension,
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
                f"{_unreachable_message(self._settings, self.location)} (while {action}: {type(exc).__name__})"
            ) from exc
        except NotFoundError as exc:
            raise StoreUnavailable(
                f"A Sourcewise collection at {self.location} disappeared while {action} (was the index "
                f"reset by another process?): run the ingest again. ({exc})"
            ) from exc
        except (InternalError, OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(
                f"The Chroma store at {self.location} failed while {action}: {exc}. Check that its folder "
                f"is writable and has free space (SOURCEWISE_DATA_DIR), or that the server is healthy"
            ) from exc
        except ValueError as exc:
            # chromadb reports a lost server as a bare ValueError.
            if "could not connect" in str(exc).lower() or "connect" in str(exc).lower():
                raise StoreUnavailable(f"{_unreachable_message(self._settings, self.location)} (while {action})") from exc
            raise

    # --------------------------------------------------------------------------------- writing

    def upsert_document(
        self, doc: ProcessedDocument, chunk_vectors: np.ndarray, passage_vectors: np.ndarray
    ) -> WriteResult:
        """Store ``doc`` with one vector per chunk and per passage, replacing any earlier version.

        Idempotent: the same content gives the same version and is a no-op; another version is
        written beside the old one, switched to, and the old one removed.
        """
        return self.upsert_documents([(doc, chunk_vectors, passage_vectors)])[0]

    def upsert_documents(
        self, batch: Sequence[tuple[ProcessedDocument, np.ndarray, np.ndarray]]
    ) -> list[WriteResult]:
        """Store several documents in a few calls (each with its chunk and passage vectors).

        The order that keeps readers safe holds for the batch: every new chunk and passage is
        written first, then the document records (the switch: from then on readers take the new
        versions), then the old versions are removed and the changes logged. A write killed half
        way leaves only parts no document record names (see :meth:`remove_orphans`).
        """
        prepared = []
        for doc, chunk_vectors, passage_vectors in batch:
            doc_id = doc.meta.doc_id
            _check_document(doc)
            chunk_matrix = self._as_vectors(chunk_vectors, len(doc.chunks), f"chunk vectors of {doc_id}")
            passage_matrix = self._as_vectors(passage_vectors, len(doc.passages), f"passage vectors of {doc_id}")
            if len(doc.chunks) == 0:
                raise ValueError(f"Document {doc_id!r} has no chunks: nothing could ever retrieve it")
            prepared.append((doc, chunk_matrix, passage_matrix, document_version(doc)))
        ids = [doc.meta.doc_id for doc, *_ in prepared]
        if len(set(ids)) != len(ids):
            raise ValueError("A batch names the same document twice")
        if not prepared:
            return []
        label = ids[0] if len(ids) == 1 else f"{len(ids)} documents ({ids[0]} …)"
        with self._errors(f"storing {'document ' if len(ids) == 1 else ''}{label}"):
            existing = self._collections["documents"].get(ids=ids, include=["metadatas"])
            old = {i: (m or {}).get("version") for i, m in zip(existing["ids"], existing["metadatas"], strict=True)}
            results: dict[str, WriteResult] = {}
            parts: dict[str, list] = {"chunks": [[], [], [], []], "passages": [[], [], [], []]}
            records: list = [[], [], [], []]
            written = []
            for doc, chunk_matrix, passage_matrix, version in prepared:
                doc_id = doc.meta.doc_id
                if old.get(doc_id) == version:
                    results[doc_id] = WriteResult(doc_id, version, "unchanged")
                    continue
                base = {"doc_id": doc_id, "version": version, "corpus": doc.meta.corpus,
                        "publisher": doc.meta.publisher, "genre": doc.meta.genre.value}
                passage_ids = [passage_id(doc_id, version, p.index) for p in doc.passages]
                claims = {c.index: c for c in doc.claims}
                for kind, ids_, matrix, texts, metas in (
                    ("chunks", [f"{doc_id}@{version}:c{c.index}" for c in doc.chunks], chunk_matrix,
                     [c.text for c in doc.chunks], [_chunk_metadata(c, base, passage_ids) for c in doc.chunks]),
                    ("passages", passage_ids, passage_matrix, [p.text for p in doc.passages],
                     [_passage_metadata(p, claims[p.claim], base) for p in doc.passages]),
                ):
                    parts[kind][0].extend(ids_)
                    parts[kind][1].append(matrix)
                    parts[kind][2].extend(texts)
                    parts[kind][3].extend(metas)
                records[0].append(doc_id)
                records[1].append(_normalised(chunk_matrix.mean(axis=0, keepdims=True))[0])
                records[2].append(doc.text)
                records[3].append(_document_metadata(doc, version))
                written.append((doc_id, doc.meta.corpus, version, old.get(doc_id)))
            for kind in ("chunks", "passages"):
                ids_, matrices, texts, metas = parts[kind]
                if ids_:
                    self._write(self._collections[kind], ids_, np.vstack(matrices), texts, metas)
            if records[0]:
                # The document records are the switch: from here on readers take the new versions.
                self._write(self._collections["documents"], records[0], np.vstack(records[1]), records[2], records[3])
            for doc_id, _, _, old_version in written:
                if old_version is not None:
                    self._delete_version(doc_id, old_version)
            self._log_changes([("upsert", doc_id, corpus, version) for doc_id, corpus, version, _ in written])
            for doc_id, _, version, old_version in written:
                results[doc_id] = WriteResult(doc_id, version, "updated" if old_version else "created")
        logger.debug("Stored %d document(s) in %s", len(written), self.location)
        return [results[i] for i in ids]

    def _as_vectors(self, vectors: np.ndarray, rows: int, what: str) -> np.ndarray:
        matrix = np.asarray(vectors, dtype=np.float32)
        if rows == 0 and matrix.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if matrix.shape != (rows, self.dimension):
            raise ValueError(f"Expected {what} of shape ({rows}, {self.dimension}), got {matrix.shape}")
        return _normalised(matrix)

    def _delete_version(self, doc_id: str, version: str) -> None:
        where = {"$and": [{"doc_id": doc_id}, {"version": version}]}
        for kind in ("chunks", "passages"):
            self._collections[kind].delete(where=where)

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

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and all its parts; False when it is not stored."""
        with self._errors(f"deleting document {doc_id}"):
            record = self._collections["documents"].get(ids=[doc_id], include=["metadatas"])
            if not record["ids"]:
                return False
            corpus = record["metadatas"][0].get("corpus", "")
            # The document record goes first, so a half-deleted document is never listed or quoted.
            self._collections["documents"].delete(ids=[doc_id])
            for kind in ("chunks", "passages"):
                self._collections[kind].delete(where={"doc_id": doc_id})
            self._log_change("delete", doc_id, corpus, None)
        logger.info("Deleted document %s from %s", doc_id, self.location)
        return True

    def delete_documents(self, doc_ids: Iterable[str]) -> list[str]:
        """Remove several documents; the ids that were stored."""
        return [doc_id for doc_id in sorted(set(doc_ids)) if self.delete_document(doc_id)]

    def remove_orphans(self, corpus: str | None = None) -> int:
        """Remove chunks and passages no document record names at their version (left by a write
        that was killed half-way); the number of records removed."""
        removed = 0
        with self._errors("removing orphaned records"):
            current = {doc.doc_id: doc.version for doc in self.iter_documents(corpus)}
            for kind in ("chunks", "passages"):
                where = {"corpus": corpus} if corpus else None
                stale = [
                    record_id
                    for page in self._pages(kind, ["metadatas"], where)
                    for record_id, meta in zip(page["ids"], page["metadatas"])
                    if current.get(meta["doc_id"]) != meta.get("version")
                ]
                for start in range(0, len(stale), self._write_batch):
                    self._collections[kind].delete(ids=stale[start : start + self._write_batch])
                removed += len(stale)
        if removed:
            logger.info("Removed %d orphaned records from %s", removed, self.location)
        return removed

    def _log_change(self, op: str, doc_id: str, corpus: str, version: str | None) -> None:
        self._log_changes([(op, doc_id, corpus, version)])

    def _log_changes(self, changes: Sequence[tuple[str, str, str, str | None]]) -> None:
        if not changes:
            return
        ids, metadatas = [], []
        for op, doc_id, corpus, version in changes:
            seq = time.time_ns()
            ids.append(f"{seq:020d}-{uuid.uuid4().hex[:8]}")
            metadatas.append({k: v for k, v in {"seq": seq, "op": op, "doc_id": doc_id, "corpus": corpus,
                                                "version": version, "writer": _writer()}.items() if v is not None})
        self._collections["changes"].add(ids=ids, embeddings=[_CHANGE_VECTOR] * len(ids), metadatas=metadatas)

    def reset(self) -> None:
        """Drop this index's collections and start them empty (for tests and tools)."""
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

    def document(self, doc_id: str) -> StoredDocument | None:
        """A document's record (no text), or None when unknown."""
        found = self.documents_by_id([doc_id])
        return found.get(doc_id)

    def documents_by_id(self, doc_ids: Iterable[str]) -> dict[str, StoredDocument]:
        """Records of the given documents that are stored, by id."""
        ids = sorted(set(doc_ids))
        found: dict[str, StoredDocument] = {}
        with self._errors("reading documents"):
            for start in range(0, len(ids), _ID_GROUP):
                result = self._collections["documents"].get(ids=ids[start : start + _ID_GROUP], include=["metadatas"])
                for doc_id, meta in zip(result["ids"], result["metadatas"]):
                    found[doc_id] = _stored_document(meta)
        return found

    def document_text(self, doc_id: str) -> tuple[StoredDocument, str] | None:
        """A document's record and the cleaned text its passages' offsets refer to."""
        with self._errors(f"reading document {doc_id}"):
            result = self._collections["documents"].get(ids=[doc_id], include=["metadatas", "documents"])
        if not result["ids"]:
            return None
        return _stored_document(result["metadatas"][0]), result["documents"][0]

    def iter_documents(self, corpus: str | None = None) -> Iterator[StoredDocument]:
        """Every stored document's record (no text), page by page."""
        where = {"corpus": corpus} if corpus else None
        with self._errors("listing documents"):
            for page in self._pages("documents", ["metadatas"], where):
                for meta in page["metadatas"]:
                    yield _stored_document(meta)

    def list_documents(
        self, corpus: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[list[StoredDocument], int]:
        """A page of document records sorted by id, and how many there are in all."""
        where = {"corpus": corpus} if corpus else None
        with self._errors("listing documents"):
            ids = sorted(i for page in self._pages("documents", [], where) for i in page["ids"])
        chosen = ids[offset : offset + limit]
        by_id = self.documents_by_id(chosen)
        return [by_id[i] for i in chosen if i in by_id], len(ids)

    def document_ids(self, corpus: str | None = None) -> list[str]:
        """Ids of the stored documents (of one corpus, when given), sorted."""
        where = {"corpus": corpus} if corpus else None
        with self._errors("listing documents"):
            return sorted(i for page in self._pages("documents", [], where) for i in page["ids"])

    def corpora(self) -> dict[str, int]:
        """Documents per corpus."""
        counts: dict[str, int] = {}
        for doc in self.iter_documents():
            counts[doc.corpus] = counts.get(doc.corpus, 0) + 1
        return dict(sorted(counts.items()))

    def claims(self, doc_id: str) -> tuple[StoredDocument, str, list[Claim]] | None:
        """A document's record, text and every claim of its current version, in text order."""
        found = self.document_text(doc_id)
        if found is None:
            return None
        doc, text = found
        passages = self.get_passages({"$and": [{"doc_id": doc_id}, {"version": doc.version}]})
        return doc, text, claims_from_passages(doc_id, text, passages)

    def get_document(self, doc_id: str) -> ProcessedDocument | None:
        """The document rebuilt from the store (text, claims, passages, chunks), or None."""
        found = self.claims(doc_id)
        if found is None:
            return None
        doc, text, claims = found
        where = {"$and": [{"doc_id": doc_id}, {"version": doc.version}]}
        passages = sorted(self.get_passages(where), key=lambda p: p.index)
        with self._errors(f"reading document {doc_id}"):
            chunks = [
                _chunk_from_record(i, t, m)
                for page in self._pages("chunks", ["documents", "metadatas"], where)
                for i, t, m in zip(page["ids"], page["documents"], page["metadatas"])
            ]
        return ProcessedDocument(
            meta=DocumentMeta(**{**doc.model_dump(include=set(DocumentMeta.model_fields)),
                                 "outlet_voice": doc.manifest_outlet_voice}),
            outlet_voice=doc.outlet_voice,
            outlet_reason=doc.outlet_reason,
            text=text,
            claims=claims,
            passages=[
                Passage(doc_id=doc_id, index=p.index, start=p.start, end=p.end, text=p.text, sentence=p.sentence,
                        claim=p.claim, paragraph=p.paragraph, gap_after=p.gap_after, attribution=p.attribution)
                for p in passages
            ],
            chunks=sorted(chunks, key=lambda c: c.index),
        )

    def get_passages(
        self, where: dict[str, Any] | None = None, *, ids: Sequence[str] | None = None, limit: int | None = None,
        vectors: bool = False,
    ) -> list[StoredPassage]:
        """Passages by ids or by a ``where`` filter (at most ``limit``), with their vectors when asked."""
        include = ["documents", "metadatas"] + (["embeddings"] if vectors else [])
        out: list[StoredPassage] = []
        with self._errors("reading passages"):
            if ids is not None:
                unique = list(dict.fromkeys(ids))
                for start in range(0, len(unique), _ID_GROUP):
                    result = self._collections["passages"].get(ids=unique[start : start + _ID_GROUP], include=include)
                    out.extend(_passages_from(result, vectors))
            elif limit is not None:
                result = self._collections["passages"].get(where=where, limit=limit, include=include)
                out.extend(_passages_from(result, vectors))
            else:
                for page in self._pages("passages", include, where):
                    out.extend(_passages_from(page, vectors))
        return out

    def iter_passage_pages(self, page: int = _READ_PAGE, where: dict[str, Any] | None = None) -> Iterator[list[StoredPassage]]:
        """Every passage (text and metadata, no vector), a page at a time: the lexical index's source."""
        with self._errors("reading passages"):
            for result in self._pages("passages", ["documents", "metadatas"], where, page=page):
                yield _passages_from(result, False)

    def query_passages(
        self, vector: np.ndarray, k: int, where: dict | None = None
    ) -> list[tuple[StoredPassage, float]]:
        """The ``k`` passages nearest to ``vector``, with their vectors: ``(passage, cosine)``, best first."""
        result = self._query("passages", vector, k, where, ["documents", "metadatas", "embeddings", "distances"])
        if result is None:
            return []
        flat = {key: (result[key][0] if result.get(key) is not None else None) for key in ("ids", "documents", "metadatas", "embeddings")}
        passages = _passages_from(flat, True)
        return [(p, 1.0 - float(d)) for p, d in zip(passages, result["distances"][0])]

    def nearest_ids(
        self, kind: Literal["chunks", "passages"], vector: np.ndarray, k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """Ids of the ``k`` chunks or passages nearest to ``vector``, with their cosine, best first.

        Ids and distances only: Chroma sends no text, metadata or vector, so an over-fetch of a few
        hundred costs about what ten full records do.
        """
        result = self._query(kind, vector, k, where, ["distances"])
        if result is None:
            return []
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def chunk_passage_ids(self, chunk_ids: Sequence[str]) -> dict[str, list[str]]:
        """The passage ids of each chunk (chunks no longer stored are left out)."""
        if not chunk_ids:
            return {}
        with self._errors("reading chunks"):
            result = self._collections["chunks"].get(ids=list(dict.fromkeys(chunk_ids)), include=["metadatas"])
        return {cid: list((meta or {}).get("passages") or []) for cid, meta in zip(result["ids"], result["metadatas"], strict=True)}

    def query_chunks(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float, list[str]]]:
        """The ``k`` chunks nearest to ``vector``: ``(chunk_id, cosine, passage ids)``, best first."""
        result = self._query("chunks", vector, k, where, ["metadatas", "distances"])
        if result is None:
            return []
        return [
            (cid, 1.0 - float(d), list(meta.get("passages") or []))
            for cid, d, meta in zip(result["ids"][0], result["distances"][0], result["metadatas"][0])
        ]

    def _query(self, kind: CollectionKind, vector: np.ndarray, k: int, where: dict | None, include: list) -> dict | None:
        if k <= 0:
            return None
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape != (self.dimension,):
            raise ValueError(f"Expected a query vector of {self.dimension} values, got {query.shape}")
        with self._errors(f"searching {kind}"):
            result = self._collections[kind].query(query_embeddings=[query], n_results=k, where=where, include=include)
        if not result["ids"] or not result["ids"][0]:
            return None
        return result

    def changes_since(self, seq: int) -> list[Change]:
        """Writes logged after ``seq`` (nanoseconds), oldest first."""
        with self._errors("reading the change log"):
            result = self._collections["changes"].get(where={"seq": {"$gt": seq}}, include=["metadatas"])
        changes = [
            Change(i, int(m["seq"]), m["op"], m["doc_id"], m.get("corpus") or "", m.get("version"), m.get("writer"))
            for i, m in zip(result["ids"], result["metadatas"])
        ]
        return sorted(changes, key=lambda c: (c.seq, c.id))

    def follow_other_writers(self, changes: Sequence[Change]) -> bool:
        """Reopen an embedded store that another process wrote to (``changes``: newly read log entries).

        Embedded Chroma keeps each collection's vector index in the memory of the process that
        opened it, so the documents a ``sourcewise ingest`` beside a running service adds are only
        found (and only read without "Error finding id") after reopening. Writes of this process,
        through any store object, share its memory and need nothing; nor does a Chroma server.
        True when the store was reopened.
        """
        if self._settings.chroma_host:
            return False
        foreign = [c.seq for c in changes if c.writer not in (None, _writer()) and c.seq > self._followed_seq]
        if not foreign:
            return False
        self._followed_seq = max(foreign)
        from chromadb.api.shared_system_client import SharedSystemClient

        path = str(self._settings.chroma_path)
        logger.info("The store at %s was written by another process: reopening it", path)
        with self._errors("reopening the store"):
            # Only this folder's cached system is dropped; other stores in the process keep theirs.
            SharedSystemClient._identifier_to_system.pop(path, None)
            self._client = chromadb.PersistentClient(path=path, settings=ChromaSettings(anonymized_telemetry=False))
            for kind in COLLECTION_KINDS:
                self._collections[kind] = self._open_collection(kind)
        return True

    def change_count(self) -> int:
        """How many writes the log holds: a cheap generation number."""
        with self._errors("reading the change log"):
            return self._collections["changes"].count()

    def counts(self) -> dict[str, int]:
        """How many documents, chunks and passages the index holds."""
        with self._errors("counting records"):
            return {kind: self._collections[kind].count() for kind in ("documents", "chunks", "passages")}

    def heartbeat(self) -> None:
        """Raise :class:`StoreUnavailable` unless the store answers now."""
        with self._errors("checking the store"):
            self._client.heartbeat()

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


def _check_writable(path) -> None:
    """An embedded store needs a folder it can write to; say so before Chroma fails obscurely."""
    probe = path / ".sourcewise-write-probe"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()


def _limit_http_waits(client: ClientAPI, settings: Settings) -> None:
    """Give chromadb's HTTP session timeouts; it is built with none, so a stuck server would hang us."""
    # chromadb exposes no setting for this; reach its httpx session, and do without when it moves.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(settings.chroma_timeout_s, connect=min(3.0, settings.chroma_timeout_s))
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
    if "@" in doc_id or ":" in doc_id:
        raise ValueError(f"Document id {doc_id!r} must not contain '@' or ':'")
    for part in [*doc.passages, *doc.claims]:
        if part.doc_id != doc_id:
            raise ValueError(f"A part of {doc_id!r} names document {part.doc_id!r}")
        if doc.text[part.start : part.end] != part.text:
            raise ValueError(f"{type(part).__name__} {part.index} of {doc_id!r}: text[{part.start}:{part.end}] differs")
    if len({p.index for p in doc.passages}) != len(doc.passages):
        raise ValueError(f"Passage indexes of {doc_id!r} repeat")
    claim_indexes = {c.index for c in doc.claims}
    if any(p.claim not in claim_indexes for p in doc.passages):
        raise ValueError(f"A passage of {doc_id!r} names a claim the document does not have")
    for chunk in doc.chunks:
        if chunk.doc_id != doc_id:
            raise ValueError(f"Chunk {chunk.chunk_id} of {doc_id!r} names document {chunk.doc_id!r}")


def _metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata for ``values``: an empty list is sent as None (Chroma stores neither)."""
    return {k: (None if v == [] else v) for k, v in values.items()}


def _document_metadata(doc: ProcessedDocument, version: str) -> dict[str, Any]:
    meta = doc.meta
    per_voice: dict[str, int] = {}
    for claim in doc.claims:
        voice = claim.attribution.speaker.voice.value
        per_voice[voice] = per_voice.get(voice, 0) + 1
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
            "corpus": meta.corpus,
            "licence": meta.licence,
            "event": meta.event,
            "outlet_kind": meta.outlet_kind,
            # The manifest's own value (often null) is kept apart from the resolved voice.
            "manifest_outlet_voice": meta.outlet_voice.value if meta.outlet_voice else None,
            "outlet_voice": doc.outlet_voice.value,
            "outlet_reason": doc.outlet_reason,
            "version": version,
            "chunk_count": len(doc.chunks),
            "passage_count": len(doc.passages),
            "claim_count": len(doc.claims),
            "claims_per_voice": json.dumps(per_voice, sort_keys=True),
        }
    )


def _chunk_metadata(chunk: Chunk, base: dict[str, Any], passage_ids: list[str]) -> dict[str, Any]:
    return _metadata(
        {
            **base,
            "index": chunk.index,
            "start": chunk.start,
            "end": chunk.end,
            "first_passage": chunk.first_passage,
            "last_passage": chunk.last_passage,
            "passages": passage_ids[chunk.first_passage : chunk.last_passage + 1],
            "voices": [v.value for v in chunk.voices],
            "speakers": list(chunk.speakers),
        }
    )


def _passage_metadata(passage: Passage, claim: Claim, base: dict[str, Any]) -> dict[str, Any]:
    attribution = passage.attribution
    cue = attribution.cue
    return _metadata(
        {
            **base,
            "index": passage.index,
            "start": passage.start,
            "end": passage.end,
            "sentence": passage.sentence,
            "paragraph": passage.paragraph,
            "gap_after": passage.gap_after,
            "claim": passage.claim,
            "claim_start": claim.start,
            "claim_end": claim.end,
            "voice": attribution.speaker.voice.value,
            "speaker_name": attribution.speaker.name,
            "speaker_role": attribution.speaker.role,
            "conduit": attribution.conduit,
            "how": attribution.how,
            "cue_text": cue.text if cue else None,
            "cue_start": cue.start if cue else None,
            "cue_end": cue.end if cue else None,
        }
    )


def _stored_document(meta: dict[str, Any]) -> StoredDocument:
    return StoredDocument(
        doc_id=meta["doc_id"],
        file=meta.get("file") or f"{meta['doc_id']}.txt",
        title=meta["title"],
        publisher=meta["publisher"],
        author=meta.get("author"),
        published=meta.get("published"),
        url=meta.get("url"),
        genre=meta["genre"],
        corpus=meta.get("corpus") or "default",
        licence=meta.get("licence"),
        event=meta.get("event"),
        outlet_kind=meta.get("outlet_kind"),
        outlet_voice=meta["outlet_voice"],
        outlet_reason=meta.get("outlet_reason") or "",
        manifest_outlet_voice=meta.get("manifest_outlet_voice"),
        version=meta["version"],
        chunk_count=meta["chunk_count"],
        passage_count=meta["passage_count"],
        claim_count=meta.get("claim_count") or 0,
        claims_per_voice=json.loads(meta.get("claims_per_voice") or "{}"),
    )


def _attribution(meta: dict[str, Any]) -> Attribution:
    cue = None
    if meta.get("cue_text") is not None:
        cue = Cue(text=meta["cue_text"], start=meta["cue_start"], end=meta["cue_end"])
    return Attribution(
        speaker=Speaker(name=meta.get("speaker_name"), role=meta.get("speaker_role"), voice=meta["voice"]),
        conduit=meta.get("conduit"),
        how=meta["how"],
        cue=cue,
    )


def _passages_from(result: dict[str, Any], vectors: bool) -> list[StoredPassage]:
    embeddings = result.get("embeddings") if vectors else None
    out = []
    for k, (pid, text, meta) in enumerate(zip(result["ids"], result["documents"], result["metadatas"])):
        out.append(
            StoredPassage(
                id=pid,
                doc_id=meta["doc_id"],
                version=meta["version"],
                corpus=meta.get("corpus") or "default",
                index=meta["index"],
                start=meta["start"],
                end=meta["end"],
                text=text,
                sentence=meta["sentence"],
                claim=meta["claim"],
                paragraph=meta.get("paragraph") or 0,
                gap_after=meta.get("gap_after") or "",
                claim_start=meta["claim_start"],
                claim_end=meta["claim_end"],
                attribution=_attribution(meta),
                publisher=meta.get("publisher") or "",
                vector=np.asarray(embeddings[k], dtype=np.float32) if embeddings is not None else None,
            )
        )
    return out


def claims_from_passages(doc_id: str, text: str, passages: Iterable[StoredPassage]) -> list[Claim]:
    """The claims of a document version, rebuilt from its passages (each names its claim's span)."""
    by_claim: dict[int, StoredPassage] = {}
    for p in passages:
        by_claim.setdefault(p.claim, p)
    return [
        Claim(doc_id=doc_id, index=index, start=p.claim_start, end=p.claim_end, text=text[p.claim_start : p.claim_end],
              attribution=p.attribution)
        for index, p in sorted(by_claim.items())
    ]


def _chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc_id=meta["doc_id"],
        index=meta["index"],
        start=meta["start"],
        end=meta["end"],
        text=text,
        first_passage=meta["first_passage"],
        last_passage=meta["last_passage"],
        voices=list(meta.get("voices") or []),
        speakers=list(meta.get("speakers") or []),
    )


__all__ = [
    "COLLECTION_KINDS",
    "Change",
    "IndexMismatch",
    "KnowledgeStore",
    "StoreUnavailable",
    "StoredDocument",
    "StoredPassage",
    "WriteResult",
    "claims_from_passages",
    "document_version",
    "parse_passage_id",
    "passage_id",
    "where_filter",
]
