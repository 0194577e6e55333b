"""``GET /healthz`` (can it answer?) and ``GET /readyz`` (store reachable, model loaded).

Both are ``async`` and read what the store monitor last found: they never wait in the thread
pool behind questions, and a hung Chroma server cannot hang them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from service.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, response_model_exclude_none=True,
            responses={503: {"model": Health, "description": "Cannot answer: the detail says why"}})
async def healthz(request: Request) -> Any:
    """``ok`` with the index size when questions can be answered; 503 with the reason otherwise."""
    status = request.app.state.monitor.current()
    engine = request.app.state.holder.engine
    lexical = None if engine is None else ("ready" if engine.lexical.ready else "building")
    body = Health(status="ok" if status.ok else "unavailable", documents=status.documents, chunks=status.chunks,
                  passages=status.passages or None, lexical=lexical, detail=None if status.ok else status.detail)
    if status.ok:
        return body
    return JSONResponse(status_code=503, content=body.model_dump(mode="json", exclude_none=True), headers={"Retry-After": "5"})


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness, "description": "Not ready"}})
async def readyz(request: Request) -> Any:
    """Ready when the store answers, the model is loaded and the index holds passages."""
    holder = request.app.state.holder
    status = request.app.state.monitor.current()
    checks = {
        "store": "ok" if status.ok or status.passages else status.detail,
        "model": "ok" if holder.embedder is not None else "not loaded",
        "index": "ok" if status.passages else "empty or unreachable",
    }
    ready = all(v == "ok" for v in checks.values())
    engine = holder.engine
    # Not a condition of readiness: answers come from the dense search until BM25 is built.
    checks["lexical"] = "not loaded" if engine is None else ("ok" if engine.lexical.ready else "building")
    body = Readiness(ready=ready, checks=checks)
    return body if ready else JSONResponse(status_code=503, content=body.model_dump(mode="json"))
