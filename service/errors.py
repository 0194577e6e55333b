"""Error answers: JSON ``{"detail": ...}`` a person can act on, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from service.schemas import ErrorBody

logger = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No API key, or an unknown one"},
    403: {"model": ErrorBody, "description": "The key may not do this (read key on a write)"},
    413: {"model": ErrorBody, "description": "Body too large"},
    422: {"model": ErrorBody, "description": "Invalid input"},
    429: {"model": ErrorBody, "description": "Rate limit reached; see Retry-After"},
    503: {"model": ErrorBody, "description": "Empty index, unreachable store or overload: the detail says what to do"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "Unknown document"}}


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
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
        if "ctx" in error:
            error["ctx"] = {k: str(v) for k, v in error["ctx"].items()}
        errors.append(error)
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(errors)})


async def store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The store went away after start-up: 503 with its message (what to run or check)."""
    logger.warning("Store failure on %s: %s", request.url.path, exc)
    return JSONResponse(status_code=503, content={"detail": str(exc)}, headers={"Retry-After": "5"})


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A real bug: log it with its traceback; the client gets a 500 that says where to look."""
    logger.exception("Unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(
        status_code=500,
        content={"detail": "Internal error in Sourcewise; the service log has the details (request id "
                           f"{getattr(request.state, 'request_id', '-')})"},
    )
