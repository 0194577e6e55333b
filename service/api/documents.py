"""Documents and corpora: list, read, claims, write and delete (``API.md``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from ingest.clean import CleaningError
from service.deps import EngineDep, ReadAccess, WriteAccess
from service.errors import ERROR_RESPONSES, NOT_FOUND
from service.metrics import record_ingest
from service.schemas import (
    CorpusOut,
    DocumentClaims,
    DocumentDetail,
    DocumentSummary,
    DocumentWrite,
    DocumentWritten,
    ErrorBody,
)
from service.engine import summary_of
from service.writes import WriteConflict, write_document
from vectorstore.store import StoredDocument

router = APIRouter(tags=["documents"])

_UNKNOWN = "Unknown document {doc_id!r}; GET /v1/documents lists them"
DocId = Annotated[str, "document id"]


@router.get("/v1/documents", response_model=list[DocumentSummary], responses=ERROR_RESPONSES, dependencies=[ReadAccess])
def list_documents(
    engine: EngineDep,
    response: Response,
    corpus: Annotated[str | None, Query(max_length=64, description="Only this corpus")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many")] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many")] = 0,
) -> list[DocumentSummary]:
    """A page of the documents in the index, sorted by id; the total is in ``X-Total-Count``."""
    documents, total = engine.list_documents(corpus, limit, offset)
    response.headers["X-Total-Count"] = str(total)
    return documents


@router.get("/v1/corpora", response_model=list[CorpusOut], responses=ERROR_RESPONSES, dependencies=[ReadAccess])
def list_corpora(engine: EngineDep) -> list[CorpusOut]:
    """The corpora in the store and how many documents each holds."""
    return [CorpusOut(corpus=c, documents=n) for c, n in engine.store.corpora().items()]


@router.get("/v1/documents/{doc_id}", response_model=DocumentDetail, responses={**NOT_FOUND, **ERROR_RESPONSES},
            dependencies=[ReadAccess])
def get_document(doc_id: DocId, engine: EngineDep) -> DocumentDetail:
    """One document with the cleaned text that quote offsets refer to."""
    document = engine.get_document(doc_id)
    if document is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=_UNKNOWN.format(doc_id=doc_id))
    return document


@router.get("/v1/documents/{doc_id}/claims", response_model=DocumentClaims, responses={**NOT_FOUND, **ERROR_RESPONSES},
            dependencies=[ReadAccess])
def document_claims(doc_id: DocId, engine: EngineDep) -> DocumentClaims:
    """Every claim of a document in text order, the author's own sentences included."""
    claims = engine.claims(doc_id)
    if claims is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=_UNKNOWN.format(doc_id=doc_id))
    return claims


@router.post(
    "/v1/documents",
    response_model=DocumentWritten,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": DocumentWritten, "description": "The same document was already stored"},
               409: {"model": ErrorBody, "description": "The id holds other content"}, **ERROR_RESPONSES},
    dependencies=[WriteAccess],
)
def post_document(body: DocumentWrite, engine: EngineDep, response: Response) -> DocumentWritten:
    """Add a document (plain text, or a whole web page as ``html``) to a corpus; answerable by every
    replica within seconds."""
    try:
        written = write_document(body, engine)
    except CleaningError as exc:
        record_ingest(False)
        raise HTTPException(status_code=422, detail=f"text: {exc}") from exc
    except WriteConflict as exc:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(exc)) from exc
    record_ingest(True)
    if written.result.status == "unchanged":
        response.status_code = status.HTTP_200_OK
    stored = engine.store.document(written.document.meta.doc_id)
    assert isinstance(stored, StoredDocument)
    return DocumentWritten(**summary_of(stored).model_dump(), status=written.result.status)


@router.delete("/v1/documents/{doc_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={**NOT_FOUND, **ERROR_RESPONSES}, dependencies=[WriteAccess])
def delete_document(doc_id: DocId, engine: EngineDep) -> Response:
    """Remove a document; no replica quotes it again within seconds."""
    if not engine.store.delete_document(doc_id):
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=_UNKNOWN.format(doc_id=doc_id))
    engine.lexical.sync(force=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
