"""What the gateway refuses before it reads a request's body: a write without a valid token, a body too large.

FastAPI reads and parses a body before any dependency (the token check among them) runs, so an
anonymous client could make the gateway hold a body of any size. This ASGI middleware looks at the
route a write is going to before anything is read:

- a route that asks for the caller (``security.current_user`` among its dependencies) and no valid
  bearer token: 401, the body unread;
- a body declared larger than the route's limit (``Content-Length``): 413, unread; a body without a
  declared length (chunked) is read up to the limit and refused at the first byte beyond it.

The limits: ``SIPD_MAX_BODY_BYTES`` (64 KiB) for JSON and forms, ``SIPD_IMPORT_MAX_BYTES`` (32 MiB,
plus the multipart envelope) for the codification's import and an SKPD's RKA import, ``SIPD_LAMPIRAN_MAX_BYTES``
(10 MiB, plus the envelope) for a regulation's signed PDF.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import compile_path

from sipd_common.errors import Unauthenticated

from .problems import domain_problem, problem, responses

MAX_BODY_BYTES = int(os.environ.get("SIPD_MAX_BODY_BYTES") or 64 * 1024)
IMPORT_MAX_BYTES = int(os.environ.get("SIPD_IMPORT_MAX_BYTES") or 32 * 1024 * 1024)
# how long the gateway waits for an import's RPC (the codification, a Renja, an RKA), seconds
IMPORT_TIMEOUT = float(os.environ.get("SIPD_IMPORT_TIMEOUT_SECONDS") or 120)
MULTIPART_ENVELOPE_BYTES = 64 * 1024  # the form's other fields and the part headers around the file
# a Renja's XLSX: thousands of rows are a few hundred kB
RENJA_MAX_BYTES = int(os.environ.get("SIPD_RENJA_MAX_BYTES") or 4 * 1024 * 1024)
# a regulation's signed PDF (pemerintahan checks the same setting again, and that it is a PDF)
LAMPIRAN_MAX_BYTES = int(os.environ.get("SIPD_LAMPIRAN_MAX_BYTES") or 10 * 1024 * 1024)
ROUTE_LIMITS = {"/api/v1/referensi/impor": IMPORT_MAX_BYTES + MULTIPART_ENVELOPE_BYTES,
                "/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/renja/{kode_skpd}/impor": RENJA_MAX_BYTES + MULTIPART_ENVELOPE_BYTES,
                "/api/v1/pemda/{kode_pemda}/rka/{tahun}/impor": IMPORT_MAX_BYTES + MULTIPART_ENVELOPE_BYTES,
                "/api/v1/pemda/{kode_pemda}/perda/{id}/lampiran": LAMPIRAN_MAX_BYTES + MULTIPART_ENVELOPE_BYTES}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _dependencies(dependant) -> set:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _dependencies(sub)
    return found


def document(router) -> None:
    """Every write may be answered 413: say so in the OpenAPI document (before the router is included)."""
    for route in router.routes:
        if isinstance(route, APIRoute) and route.methods & WRITES and 413 not in route.responses:
            route.responses = {**route.responses, **responses(413)}


@dataclass(frozen=True)
class _Write:
    methods: frozenset[str]
    pattern: re.Pattern
    limit: int
    needs_caller: bool


def _writes(app) -> list[_Write]:
    """The app's write operations: where each is, how large a body it takes, whether it asks for a caller."""
    from .security import current_user  # security imports the problems this module does; late, to stay acyclic

    found = []
    for route in iter_route_contexts(app.routes):
        methods = frozenset(route.methods or ()) & WRITES
        if methods and route.path:
            found.append(_Write(methods, compile_path(route.path)[0], ROUTE_LIMITS.get(route.path, MAX_BODY_BYTES),
                                current_user in _dependencies(route.dependant)))
    return found


class RequestGuardMiddleware:
    def __init__(self, app):
        self.app = app
        self._writes: list[_Write] | None = None

    def _route(self, scope) -> _Write | None:
        if self._writes is None:
            self._writes = _writes(scope["app"])
        path, method = scope["path"], scope["method"]
        return next((w for w in self._writes if method in w.methods and w.pattern.match(path)), None)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in WRITES:
            return await self.app(scope, receive, send)
        route = self._route(scope)
        if route is None:  # 404 or 405: answered by the router, which reads no body
            return await self.app(scope, receive, send)
        path = scope["path"]
        if route.needs_caller:
            from .security import authenticate, bearer_token

            try:
                authenticate(scope["app"], bearer_token(scope))
            except Unauthenticated as refused:
                return await _answer(domain_problem(refused, path), scope, receive, send)
        limit = route.limit
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                return await _answer(problem(400, "Content-Length is not a number", instance=path), scope, receive, send)
            if too_large:
                return await _answer(_too_large(limit, path), scope, receive, send)
            return await self.app(scope, receive, send)
        # no declared length: read it here, up to the limit, and hand the app what was read
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            size += len(message.get("body", b""))
            if size > limit:
                return await _answer(_too_large(limit, path), scope, receive, send)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def _too_large(limit: int, path: str):
    return problem(413, f"the request body is larger than this operation accepts ({limit} bytes)",
                   [{"field": "body", "message": f"at most {limit} bytes"}], path)


async def _answer(response, scope, receive, send) -> None:
    await response(scope, receive, send)
