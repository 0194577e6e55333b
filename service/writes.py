"""Documents written through the API: ``POST /v1/documents`` and ``DELETE /v1/documents/{doc_id}``.

A posted document goes through the same pipeline as ``sourcewise ingest``: a whole web page is
first reduced to its article by trafilatura (title, author and date taken from the page when the
request lacks them), plain text is cleaned by Sourcewise's own rules; then attribution, chunks,
embedding, and the store's write path, whose change log every replica follows.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from ingest.clean import CleaningError
from ingest.html import extract_article
from ingest.pipeline import process_document, store_documents
from service.schemas import DocumentWrite
from sourcewise.registry import cached_registry
from sourcewise.types import DocumentMeta, ProcessedDocument
from vectorstore.store import WriteResult, document_version

logger = logging.getLogger(__name__)


class WriteConflict(ValueError):
    """The document id is taken by other content (or another corpus); the message says what to do."""


@dataclass
class Written:
    document: ProcessedDocument
    result: WriteResult


def _doc_id(body: DocumentWrite, title: str, text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "document"
    digest = hashlib.sha1(f"{body.corpus}\n{text}".encode()).hexdigest()[:8]
    return f"{slug}-{digest}"


def prepare(body: DocumentWrite, settings, count_tokens) -> ProcessedDocument:
    """The processed document a write request describes (CleaningError for unusable content)."""
    text = body.text
    title, author, published, url = body.title, body.author, body.published, body.url
    if body.html is not None:
        page = extract_article(body.html, url=body.url)
        text = page.text
        title = title or page.title
        author = author or page.author
        published = published or (page.published[:10] if page.published else None)
        url = url or page.url
    if not title:
        raise CleaningError("the document needs a title (none given and none found in the page)")
    assert text is not None
    meta = DocumentMeta(
        doc_id=body.doc_id or _doc_id(body, title, text),
        file=f"{body.doc_id or 'posted'}.txt",
        title=title,
        publisher=body.publisher,
        author=author,
        published=published,
        url=url,
        genre=body.genre,
        outlet_voice=body.outlet_voice,
        corpus=body.corpus,
    )
    registry = cached_registry(tuple(settings.registry_paths))
    return process_document(meta, text.encode("utf-8"), registry, count_tokens=count_tokens, chunking=settings.chunking)


def write_document(body: DocumentWrite, engine) -> Written:
    """Process and store a posted document; :class:`WriteConflict` when its id holds other content."""
    doc = prepare(body, engine.settings, engine.embedder.count_tokens)
    existing = engine.store.document(doc.meta.doc_id)
    if existing is not None:
        if existing.corpus != doc.meta.corpus:
            raise WriteConflict(
                f"Document {doc.meta.doc_id!r} belongs to corpus {existing.corpus!r}; give another doc_id"
            )
        if existing.version != document_version(doc) and not body.replace:
            raise WriteConflict(
                f"Document {doc.meta.doc_id!r} exists with other content; send \"replace\": true to replace it"
            )
    results, _ = store_documents([doc], engine.store, engine.embedder, batch=engine.settings.embedding_batch_size)
    engine.lexical.sync(force=True)
    logger.info("Wrote document %s (%s) to corpus %s", doc.meta.doc_id, results[0].status, doc.meta.corpus)
    return Written(doc, results[0])
