"""The store monitor: one background thread that checks the store, follows its change log and keeps
the figures ``/healthz`` and ``/readyz`` answer with, so that health never waits behind questions
or on a hung server."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from vectorstore.store import IndexMismatch, StoreUnavailable

logger = logging.getLogger(__name__)

#: Seconds between checks.
INTERVAL = 1.0
#: A check older than this means the store stopped answering (a hung server).
STALE_AFTER = 6.0


@dataclass
class StoreStatus:
    ok: bool = False
    detail: str = "The service is starting; try again in a few seconds"
    documents: int = 0
    chunks: int = 0
    passages: int = 0
    checked: float = 0.0


class StoreMonitor:
    """Keeps :class:`StoreStatus` fresh for an :class:`~service.deps.EngineHolder`."""

    def __init__(self, holder) -> None:
        self.holder = holder
        self.status = StoreStatus()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_attempt = time.monotonic()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sourcewise-store-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.check()
            self._stop.wait(INTERVAL)

    def check(self) -> None:
        engine = self.holder.engine
        if engine is None:
            self.holder.current()  # builds again when due (it knows the store's state)
            engine = self.holder.engine
            if engine is None:
                self.status = StoreStatus(False, self.holder.unavailable, checked=time.monotonic())
                return
        try:
            counts = engine.store.counts()
            engine.sync()
            if counts["passages"] == 0:
                detail = "The index is empty: run `sourcewise ingest` (or `make run`) to build it"
                self.status = StoreStatus(False, detail, counts["documents"], counts["chunks"], 0, time.monotonic())
            else:
                self.status = StoreStatus(True, "ok", counts["documents"], counts["chunks"], counts["passages"], time.monotonic())
        except (StoreUnavailable, IndexMismatch) as exc:
            self.status = StoreStatus(False, str(exc), checked=time.monotonic())

    def current(self) -> StoreStatus:
        """The latest status; a check that has not come back in time means the store hangs."""
        status = self.status
        if status.checked and time.monotonic() - status.checked > STALE_AFTER:
            return StoreStatus(False, "The Chroma store is not answering (its last check is "
                               f"{time.monotonic() - status.checked:.0f} s old): check the server at "
                               f"CHROMA_HOST/CHROMA_PORT", status.documents, status.chunks, status.passages, status.checked)
        return status
