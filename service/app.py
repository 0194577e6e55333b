"""The FastAPI app (``API.md``): questions, documents and corpora, health, metrics.

Routes are thin (:mod:`service.api`): validate, call the :class:`~service.engine.AnswerEngine`,
return a public model. The engine (model, store, lexical index) is built in the lifespan; when it
cannot be built (the index is empty, the Chroma server is down, the index was built with another
model) the app still starts, answers 503 with what to run or check, and tries again, so that a
service started before its store or its ingest recovers by itself. A background monitor checks
the store and follows its change log; ``/healthz`` and ``/readyz`` read what it found.

Run with ``uvicorn service.app:app_factory --factory`` (what ``sourcewise serve`` does).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, HTTPException, status
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.access import AccessControl
from service.api import ask, documents, health
from service.deps import EngineHolder
from service.errors import http_error, store_unavailable, unexpected, validation_error
from service.monitor import StoreMonitor
from service.observability import RequestContext, configure_logging
from sourcewise.settings import Settings, get_settings
from vectorstore.store import IndexMismatch, StoreUnavailable

logger = logging.getLogger(__name__)

#: JSON around a posted document (its fields and escapes) on top of the document's own size.
_DOCUMENT_BODY_OVERHEAD = 64 * 1024


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, by Content-Length and by bytes received.

    The declared length is checked first (no byte is read); a chunked or lying client is stopped
    as soon as the bytes received pass the limit. Posting a document may send up to the document
    size limit; every other body is a question and its history.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, max_document_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_document_bytes = max_document_bytes + _DOCUMENT_BODY_OVERHEAD

    def _limit(self, scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == "/v1/documents":
            return self.max_document_bytes
        return self.max_bytes

    def _detail(self, limit: int) -> str:
        return f"The request body is larger than {limit} bytes; send a shorter question, history or document"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            response = JSONResponse({"detail": self._detail(limit)}, status_code=status.HTTP_413_CONTENT_TOO_LARGE)
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI passes an HTTPException raised while reading the body through unchanged.
                    raise HTTPException(status_code=status.HTTP_413_CONTENT_TOO_LARGE, detail=self._detail(limit))
            return message

        await self.app(scope, limited_receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Sourcewise API for ``settings`` (the environment's settings when None)."""
    settings = settings or get_settings()
    holder = EngineHolder(settings)
    monitor = StoreMonitor(holder)
    access = AccessControl(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ask_slots = asyncio.Semaphore(settings.max_concurrent_asks)
        if access.open:
            logger.warning("No API keys configured (SOURCEWISE_API_KEYS): the API is open to anyone who can reach "
                           "it; keep it on loopback or configure keys")
        else:
            logger.info("API keys configured: %s", ", ".join(f"{k.name} ({k.access})" for k in access.keys))
        # Loading the model and the lexical index takes seconds of blocking work: off the event loop.
        await to_thread.run_sync(holder.build)
        await to_thread.run_sync(monitor.check)
        monitor.start()
        yield
        monitor.stop()

    from fastapi_offline import FastAPIOffline

    # FastAPIOffline serves the Swagger UI and ReDoc assets from the installed package, not a CDN.
    app = FastAPIOffline(
        title="Sourcewise",
        version="1.1.0",
        summary="Answers questions with verbatim quotes, each attributed to the voice that makes the claim",
        lifespan=lifespan,
    )
    app.state.holder = holder
    app.state.monitor = monitor
    app.state.access = access
    app.state.settings = settings
    app.state.ask_slots = asyncio.Semaphore(settings.max_concurrent_asks)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, max_document_bytes=settings.max_document_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Total-Count", "X-Request-ID", "Retry-After"],
    )
    app.add_middleware(RequestContext)
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, store_unavailable)
    app.add_exception_handler(IndexMismatch, store_unavailable)
    app.add_exception_handler(Exception, unexpected)
    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(health.router)
    _instrument(app)
    return app


def _instrument(app: FastAPI) -> None:
    """Prometheus ``/metrics``: request latency histograms by route, plus the answer and ingest counters."""
    from prometheus_fastapi_instrumentator import Instrumentator

    Instrumentator(excluded_handlers=["/metrics"], should_group_status_codes=False).instrument(app).expose(
        app, endpoint="/metrics", include_in_schema=False
    )


def app_factory() -> FastAPI:
    """The app for the environment's settings: ``uvicorn service.app:app_factory --factory``.

    Logging is set up here, in each worker process: text or JSON lines (``SOURCEWISE_LOG_FORMAT``)
    on stderr, each with its request id, at ``SOURCEWISE_LOG_LEVEL``.
    """
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    return create_app(settings)


__all__ = ["BodySizeLimit", "app_factory", "create_app"]
