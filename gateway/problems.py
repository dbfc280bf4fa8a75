"""Every error the gateway answers is RFC 9457 problem details, with a stable ``type``.

No stack trace ever leaves: a fault is logged with the request id, and the
caller gets that id to quote.
"""
from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from sipd_common.errors import DOMAIN_ERRORS, DomainError
from sipd_common.logging import request_id_var

from .rpc import RemoteError, ServiceTimeout, ServiceUnavailable

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

TYPES = {
    400: ("urn:sipd:problem:bad-request", "Bad request"),
    401: ("urn:sipd:problem:unauthenticated", "Login required"),
    403: ("urn:sipd:problem:forbidden", "Forbidden"),
    404: ("urn:sipd:problem:not-found", "Not found"),
    405: ("urn:sipd:problem:method-not-allowed", "Method not allowed"),
    406: ("urn:sipd:problem:not-acceptable", "Not acceptable"),
    409: ("urn:sipd:problem:conflict", "Conflict"),
    412: ("urn:sipd:problem:precondition-failed", "Precondition failed"),
    413: ("urn:sipd:problem:too-large", "Content too large"),
    415: ("urn:sipd:problem:unsupported-media-type", "Unsupported media type"),
    422: ("urn:sipd:problem:validation", "Validation failed"),
    429: ("urn:sipd:problem:too-many-attempts", "Too many failed attempts"),
    500: ("urn:sipd:problem:internal", "Internal error"),
    502: ("urn:sipd:problem:upstream-failure", "A service failed"),
    503: ("urn:sipd:problem:unavailable", "Service unavailable"),
    504: ("urn:sipd:problem:timeout", "Service timed out"),
}


class FieldError(BaseModel):
    field: str = Field(description="Path of the offending field, e.g. `pagu_indikatif` or `query.per_page`.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="Stable identifier of the kind of problem, e.g. `urn:sipd:problem:validation`.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] = Field(default_factory=list)
    error: str | None = Field(default=None, description="On 401: the OAuth 2.0 error code (`invalid_token`, `invalid_grant`).")
    retry_after: int | None = Field(default=None, description="On 429: seconds until the account opens again.")


def problem(status: int, detail: str, errors: list[dict] | None = None, instance: str | None = None,
            headers: dict | None = None, **extra: Any) -> Response:
    type_, title = TYPES.get(status, (f"urn:sipd:problem:http-{status}", "Error"))
    body = {"type": type_, "title": title, "status": status, "detail": detail, "instance": instance,
            "request_id": request_id_var.get(), "errors": errors or [], **extra}
    if status == 401:  # RFC 9110: a 401 says how to authenticate
        challenge = 'Bearer realm="sipd"' + (', error="invalid_token"' if extra.get("error") == "invalid_token" else "")
        headers = {"WWW-Authenticate": challenge, **(headers or {})}
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def responses(*statuses: int) -> dict:
    """OpenAPI entries for the problems an operation may answer."""
    descriptions = {400: "The body is not JSON", 404: "Not found", 409: "Conflict with the current state", 412: "If-Match does not match",
                    401: "No valid access token (`WWW-Authenticate: Bearer`)",
                    403: "Outside the caller's role or scope (pemda, area, SKPD)",
                    422: "Invalid input; `errors` names each field", 503: "Broker or service unavailable",
                    429: "Locked after repeated failed attempts; `Retry-After` says for how long",
                    504: "Service did not answer in time", 502: "A service failed",
                    413: "The body is larger than this operation accepts"}
    return {s: {"model": Problem, "description": descriptions.get(s, TYPES[s][1]),
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for s in statuses}


def _domain_problem(status: int, info: dict, instance: str, headers: dict | None = None) -> Response:
    extra = {k: v for k, v in info.items() if k not in ("detail", "errors")}
    return problem(status, info.get("detail", ""), info.get("errors"), instance, headers, **extra)


def domain_problem(exc: DomainError, instance: str) -> Response:
    """The problem a ``DomainError`` raised by the gateway itself answers."""
    return _domain_problem(exc.status, exc.args[0], instance, getattr(exc, "headers", None))


def remote_error_response(exc: RemoteError, request: Request) -> Response:
    domain = DOMAIN_ERRORS.get(exc.exc_type)
    if domain is not None:
        info = exc.exc_args[0] if exc.exc_args and isinstance(exc.exc_args[0], dict) else {"detail": exc.value}
        headers = {"Retry-After": "2"} if domain.status == 503 else None
        return _domain_problem(domain.status, {"detail": exc.value, **info}, request.url.path, headers)
    log.error("service error %s: %s", exc.exc_type, exc.value)
    return problem(502, "a service failed while handling the request; quote the request_id to the operators",
                   instance=request.url.path)


def _loc(loc: tuple) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Starlette's 405 names the methods of the first route on the path; a path has several."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE and getattr(route, "methods", None):
            methods |= route.methods
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": _loc(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return problem(422, "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": ", ".join(_allowed_methods(app, request))}
        return problem(exc.status_code, str(exc.detail), instance=request.url.path, headers=headers)

    @app.exception_handler(RemoteError)
    async def _remote(request: Request, exc: RemoteError) -> Response:
        return remote_error_response(exc, request)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        # raised by the gateway itself (access, users, login): the same problems a service's would be
        return domain_problem(exc, request.url.path)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database_unavailable(request: Request, exc: DBAPIError) -> Response:
        if getattr(exc.orig, "sqlstate", None) == "57014":  # query_canceled: the statement timeout
            log.error("gateway database: statement timed out")
            return problem(504, "the gateway's database did not answer in time", instance=request.url.path)
        log.error("gateway database unavailable: %s", type(exc.orig).__name__)
        return problem(503, "the gateway's database is unavailable", instance=request.url.path,
                       headers={"Retry-After": "1"})

    @app.exception_handler(PoolTimeout)
    async def _pool_exhausted(request: Request, exc: PoolTimeout) -> Response:
        log.error("gateway database: every connection of the pool is busy")
        return problem(503, "the gateway is busy; try again in a moment", instance=request.url.path,
                       headers={"Retry-After": "1"})

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable) -> Response:
        return problem(503, str(exc), instance=request.url.path, headers={"Retry-After": "1"})

    @app.exception_handler(ServiceTimeout)
    async def _timeout(request: Request, exc: ServiceTimeout) -> Response:
        return problem(504, str(exc), instance=request.url.path)

    @app.exception_handler(Exception)
    async def _fault(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return problem(500, "internal error; quote the request_id to the operators", instance=request.url.path)
