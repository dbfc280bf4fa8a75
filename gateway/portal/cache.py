"""Published pages and files, each built once and kept until an event says what it shows changed.

The gateway clears the whole portal cache (``app.state.portal_cache``, a ``ResponseCache``) on perencanaan's
``rkpd.ditetapkan`` (an RKPD enacted or revised) and on any change of the codification (names), and after a
reconnect to the broker, when it may have missed one. The TTL is a safety net, not the mechanism. A hit costs
no RPC and no rendering; a client that has the page already gets 304 from its ETag. Requests for a page being
built wait for that build (one build per page, however many readers arrive after an enactment cleared it).
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

import orjson

from fastapi import Request
from starlette.responses import Response

from ..jsonresp import etag_of

INVALIDATED_BY = (("perencanaan.events", "rkpd.ditetapkan.#"), ("keuangan.events", "apbd.ditetapkan.#"),
                  ("referensi.events", "#"))
# what a page shows of pemerintahan (the Perda register's public part, EPPD results), which publishes no event
# for them yet: fetched at most every FRAGMENT_SECONDS, and part of the page's key, so a page is rebuilt when they
# change and served from the cache while they do not
FRAGMENT_SECONDS = 30.0
MAX_AGE = 60  # browsers and proxies may keep a page a minute; after that they revalidate with the ETag


async def cached(request: Request, key: tuple, build: Callable[[], Awaitable[bytes]], media_type: str,
                 headers: dict[str, str] | None = None) -> Response:
    cache = request.app.state.portal_cache
    hit = cache.get(key)
    if hit is None:
        hit = await _build_once(request.app.state, key, build)
    body, etag = hit
    all_headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}", **(headers or {})}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)


async def _build_once(state, key: tuple, build: Callable[[], Awaitable[bytes]]) -> tuple[bytes, str]:
    """Build the page, or wait for the build already under way for the same key (and share its outcome)."""
    inflight: dict = state.portal_building
    pending = inflight.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    cache = state.portal_cache
    future = asyncio.get_running_loop().create_future()
    inflight[key] = future
    try:
        generation = cache.generation
        body = await build()
        hit = (body, etag_of(body))
        cache.put(key, *hit, generation=generation)
        future.set_result(hit)
        return hit
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
        raise
    finally:
        del inflight[key]


async def fragment(request: Request, key: tuple, fetch: Callable[[], Awaitable[Any]]) -> Any:
    """A piece of what pages show, kept FRAGMENT_SECONDS and dropped with the portal cache (same generation)."""
    state = request.app.state
    held = state.portal_fragments.get(key)
    now = time.monotonic()
    if held is not None and held[0] > now and held[1] == state.portal_cache.generation:
        return held[2]
    generation = state.portal_cache.generation
    value = await fetch()
    state.portal_fragments[key] = (now + FRAGMENT_SECONDS, generation, value)
    if len(state.portal_fragments) > 20_000:  # bounded: the oldest half goes
        for old in sorted(state.portal_fragments, key=lambda k: state.portal_fragments[k][0])[:10_000]:
            del state.portal_fragments[old]
    return value


def fingerprint(*parts: Any) -> str:
    """A short digest of fragments, for a page's cache key."""
    return etag_of(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS))
