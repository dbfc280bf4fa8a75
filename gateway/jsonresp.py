"""Responses serialised once with orjson: the services already return JSON-ready data."""
from __future__ import annotations

import hashlib
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def cacheable_body(request: Request, body: bytes, etag: str, max_age: int = 300) -> Response:
    """Public reference data: its ETag, and 304 when the client has it already."""
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def cacheable(request: Request, data: Any, max_age: int = 300) -> Response:
    body = orjson.dumps(data)
    return cacheable_body(request, body, etag_of(body), max_age)
