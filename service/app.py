"""The FastAPI app: ``POST /v1/ask``, ``POST /v1/ask/slack``, the documents and ``/healthz`` (``API.md``).

Routes are thin: validate, call the :class:`~service.engine.AnswerEngine`, return a public model.
The engine (model, store, caches) is built once in the lifespan. When it cannot be built (the
index is empty, the Chroma server is down, the index was built with another model) the app still
starts, answers 503 with what to run or check, and tries again now and then, so that a service
started before its store or its ingest recovers by itself.

Run with ``uvicorn service.app:app_factory --factory`` (what ``sourcewise serve`` does).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.deps import EngineDep, EngineHolder
from service.schemas import (
    AskRequest,
    AskResponse,
    DocumentDetail,
    DocumentSummary,
    ErrorBody,
    Health,
    SlackAnswer,
)
from service.slack_blocks import render_answer
from sourcewise.settings import Settings, get_settings
from vectorstore.store import IndexMismatch, StoreUnavailable

logger = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Invalid input"},
    413: {"model": ErrorBody, "description": "Body too large"},
    503: {"model": ErrorBody, "description": "Empty index or unreachable store: the detail says what to run"},
}


# ------------------------------------------------------------------------------- body limit


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by Content-Length and by bytes received.

    The declared length is checked first (no byte is read); a chunked or lying client is stopped
    as soon as the bytes received pass the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _detail(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes; send a shorter question and history"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            response = JSONResponse({"detail": self._detail()}, status_code=status.HTTP_413_CONTENT_TOO_LARGE)
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI passes an HTTPException raised while reading the body through unchanged.
                    raise HTTPException(status_code=status.HTTP_413_CONTENT_TOO_LARGE, detail=self._detail())
            return message

        await self.app(scope, limited_receive, send)


# ------------------------------------------------------------------------------ error bodies


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with FastAPI's list of errors, made readable: a JSON syntax error says where and what."""
    errors: list[dict[str, Any]] = []
    for error in exc.errors():
        error = dict(error)
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "")
            error["msg"] = f"The request body is not valid JSON ({reason} at character {error['loc'][-1]})"
        # Echoing a rejected 2,000-character question back helps nobody.
        error.pop("input", None)
        error.pop("url", None)
        errors.append(error)
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(errors)})


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The store went away after start-up: 503 with its message (what to run or check)."""
    logger.warning("Store failure on %s: %s", request.url.path, exc)
    return JSONResponse(status_code=503, content={"detail": str(exc)})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A real bug: log it with its traceback; the client gets a 500 that says where to look."""
    logger.exception("Unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(
        status_code=500, content={"detail": "Internal error in Sourcewise; the service log has the details"}
    )


# -------------------------------------------------------------------------------------- app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Sourcewise API for ``settings`` (the environment's settings when None)."""
    settings = settings or get_settings()
    holder = EngineHolder(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loading the model and caches takes seconds of blocking work: keep it off the event loop.
        await to_thread.run_sync(holder.build)
        yield

    app = FastAPI(
        title="Sourcewise",
        version="1.0.0",
        summary="Answers questions with verbatim quotes, each attributed to the voice that makes the claim",
        lifespan=lifespan,
    )
    app.state.holder = holder
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, _store_unavailable)
    app.add_exception_handler(IndexMismatch, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)

    @app.post("/v1/ask", response_model=AskResponse, responses=ERROR_RESPONSES, tags=["answers"])
    def ask(request: AskRequest, engine: EngineDep) -> AskResponse:
        """Answer a question with verbatim quotes grouped by the voice of who makes each claim."""
        return engine.ask(request)

    @app.post("/v1/ask/slack", response_model=SlackAnswer, responses=ERROR_RESPONSES, tags=["answers"])
    def ask_slack(request: AskRequest, engine: EngineDep) -> SlackAnswer:
        """The same answer, also rendered as a Slack Block Kit message."""
        answer = engine.ask(request)
        message = render_answer(answer.model_dump(mode="json"))
        return SlackAnswer(text=message["text"], blocks=message["blocks"], answer=answer)

    @app.get("/v1/documents", response_model=list[DocumentSummary], responses=ERROR_RESPONSES, tags=["documents"])
    def list_documents(engine: EngineDep) -> list[DocumentSummary]:
        """Every document in the index."""
        return engine.list_documents()

    @app.get(
        "/v1/documents/{doc_id}",
        response_model=DocumentDetail,
        responses={404: {"model": ErrorBody, "description": "Unknown document"}, **ERROR_RESPONSES},
        tags=["documents"],
    )
    def get_document(doc_id: str, engine: EngineDep) -> DocumentDetail:
        """One document with the cleaned text that quote offsets refer to."""
        document = engine.get_document(doc_id)
        if document is None:
            raise HTTPException(
                status_code=status.HTTP_404_NOT_FOUND,
                detail=f"Unknown document {doc_id!r}; GET /v1/documents lists them",
            )
        return document

    @app.get(
        "/healthz",
        response_model=Health,
        response_model_exclude_none=True,
        responses={503: {"model": Health, "description": "Cannot answer: the detail says why"}},
        tags=["health"],
    )
    def healthz() -> Any:
        """``ok`` with the index size when questions can be answered; 503 with the reason otherwise."""
        engine = holder.current()
        reason = holder.unavailable
        if engine is not None:
            try:
                counts = engine.store.counts()
                if counts["chunks"] > 0:
                    return Health(status="ok", documents=counts["documents"], chunks=counts["chunks"])
                reason = "The index is empty: run `sourcewise ingest` (or `make run`) to build it"
            except (StoreUnavailable, IndexMismatch) as exc:
                reason = str(exc)
        body = Health(status="unavailable", documents=0, chunks=0, detail=reason)
        return JSONResponse(status_code=503, content=body.model_dump(mode="json"))

    return app


def app_factory() -> FastAPI:
    """The app for the environment's settings: ``uvicorn service.app:app_factory --factory``."""
    return create_app(get_settings())


__all__ = ["BodySizeLimit", "app_factory", "create_app"]
