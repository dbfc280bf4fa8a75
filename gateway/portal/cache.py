"""Published pages and files, each built once and kept until an event says what it shows changed.

The gateway clears the whole portal cache (``app.state.portal_cache``, a ``ResponseCache``) on perencanaan's
``rkpd.ditetapkan`` (an RKPD enacted or revised) and on any change of the codification (names), and after a
reconnect to the broker, when it may have missed one. The TTL is a safety net, not the mechanism. A hit costs
no RPC and no rendering; a client that has the page already gets 304 from its ETag.
"""
from __future__ import annotations

from typing import Awaitable, Callable

from fastapi import Request
from starlette.responses import Response

from ..jsonresp import etag_of

INVALIDATED_BY = (("perencanaan.events", "rkpd.ditetapkan.#"), ("referensi.events", "#"))
MAX_AGE = 60  # browsers and proxies may keep a page a minute; after that they revalidate with the ETag


async def cached(request: Request, key: tuple, build: Callable[[], Awaitable[bytes]], media_type: str,
                 headers: dict[str, str] | None = None) -> Response:
    cache = request.app.state.portal_cache
    hit = cache.get(key)
    if hit is None:
        generation = cache.generation
        body = await build()
        hit = (body, etag_of(body))
        cache.put(key, *hit, generation=generation)
    body, etag = hit
    all_headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}", **(headers or {})}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)
