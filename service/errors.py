"""Error answers: JSON ``{"detail": ...}`` a person can act on, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """FastAPI's own HTTP errors, kept to the contract: a body that cannot be decoded at all is
    invalid input (422, as a JSON syntax error is), and a 405 says which methods the path allows."""
    headers = dict(exc.headers or {})
    if exc.status_code == 400 and "parsing the body" in str(exc.detail):
        return JSONResponse(status_code=422, content={"detail": "The request body is not valid JSON (UTF-8 text)"})
    if exc.status_code == 405:
        # The methods the schema documents for this path (Starlette names only one route's).
        headers = {k: v for k, v in headers.items() if k.lower() != "allow"}
        allowed = _documented_methods(request)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail}, headers=headers or None)


def _documented_methods(request: Request) -> list[str]:
    """The HTTP methods the app's OpenAPI schema gives the request's path."""
    import re

    path = request.url.path
    for template, operations in (request.app.openapi().get("paths") or {}).items():
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return sorted(m.upper() for m in operations if m.lower() in {"get", "post", "put", "patch", "delete"})
    return []


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
