"""Dependencies of the routes: the settings, access control, and the answer engine.

The engine lives in an :class:`EngineHolder` on ``app.state``. When it could not be built (the
index is empty, the Chroma server is down, the index was built with another model) the holder
keeps the reason, routes answer 503 with it, and the build is tried again now and then, so that
a service started before its store or its first ingest recovers without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from service.access import AccessControl
from service.engine import AnswerEngine, IndexEmpty
from sourcewise.settings import Settings
from sourcewise.settings import get_settings as _cached_settings
from vectorstore.embeddings import EmbeddingModelMissing
from vectorstore.store import IndexMismatch, StoreUnavailable

logger = logging.getLogger(__name__)

#: Seconds between attempts to build the engine while it is unavailable.
RETRY_SECONDS = 5.0
#: Failures that leave the service up but unable to answer; their messages say what to do.
UNAVAILABLE_ERRORS = (IndexEmpty, StoreUnavailable, IndexMismatch, EmbeddingModelMissing)
STARTING = "The service is starting; try again in a few seconds"


class EngineHolder:
    """The app's engine, or why there is none."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: AnswerEngine | None = None
        self.unavailable: str = STARTING
        self._lock = threading.Lock()
        self._last_attempt = float("-inf")
        self.embedder = None

    def build(self) -> None:
        """Try to build the engine; on a known failure keep its message for the 503 answers."""
        if not self._lock.acquire(blocking=False):
            return  # another request is building it
        try:
            self._last_attempt = time.monotonic()
            try:
                from vectorstore.embeddings import load_embedder

                self.embedder = self.embedder or load_embedder(self.settings)
                self.engine = AnswerEngine(self.settings, embedder=self.embedder)
            except UNAVAILABLE_ERRORS as exc:
                self.engine = None
                self.unavailable = str(exc)
                logger.warning("Sourcewise cannot answer yet: %s", exc)
        finally:
            self._lock.release()

    def current(self) -> AnswerEngine | None:
        """The engine; while there is none, build again when the last attempt is old enough."""
        if self.engine is None and time.monotonic() - self._last_attempt >= RETRY_SECONDS:
            self.build()
        return self.engine


def get_settings(request: Request) -> Settings:
    """The settings the app was created with (the environment's, unless a test gave others)."""
    settings: Settings | None = getattr(request.app.state, "settings", None)
    return settings or _cached_settings()


def get_engine(request: Request) -> AnswerEngine:
    """The engine built at start-up, or 503 saying why there is none and what to do."""
    holder: EngineHolder = request.app.state.holder
    engine = holder.current()
    if engine is None:
        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=holder.unavailable,
                            headers={"Retry-After": "5"})
    return engine


def read_access(request: Request) -> None:
    """Any valid key (or an open API) may read."""
    access: AccessControl = request.app.state.access
    access.authenticate(request, write=False)


def write_access(request: Request) -> None:
    """Only a write key (or an open API) may write."""
    access: AccessControl = request.app.state.access
    access.authenticate(request, write=True)


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[AnswerEngine, Depends(get_engine)]
ReadAccess = Depends(read_access)
WriteAccess = Depends(write_access)
