"""Published pages and files, each built once and kept until an event says what it shows changed.

The gateway clears the whole portal cache (``app.state.portal_cache``, a ``ResponseCache``) on perencanaan's
``rkpd.ditetapkan`` (an RKPD enacted or revised), keuangan's ``apbd.ditetapkan`` and on any change of the
codification (names), and after a reconnect to the broker, when it may have missed one (``INVALIDATED_BY``). The
events of one pemda (``PER_PEMDA``: its realisation changed, its APBD-P enacted, a regulation of its enacted or
promulgated or given its signed PDF, its EPPD result announced) move that pemda on (``versi``: part of the keys of
its pages, files and pieces), so only its pages are built again; an EPPD result moves the national ranking on too.
The TTL (SIPD_PORTAL_CACHE_SECONDS) is a safety net, not the mechanism: it bounds how stale what has no event can
be — a pergeseran (the LRA's budget moves with no event) and the submitted LPPD (``fragment``, fetched at most every
FRAGMENT_SECONDS). A hit costs no RPC and no rendering; a client that has the page already gets 304 from its ETag.
Requests for a page being built wait for that build (one build per page, however many readers arrive after an
enactment cleared it); so do those for a piece of it being fetched.

A page is made of parts, each from one service (``part``): a part its service does not give within PART_SECONDS
(down, slow, or failing) is shown as unavailable and the page is served without it, never held for it; such a
page (``Partial``) is neither kept nor cacheable by browsers, and the service is not asked again for DOWN_SECONDS
(the pages served meanwhile show that part unavailable at once).
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Awaitable, Callable

import orjson

from fastapi import Request
from starlette.responses import Response

from ..jsonresp import etag_of
from ..rpc import RemoteError, ServiceTimeout, ServiceUnavailable

log = logging.getLogger(__name__)

INVALIDATED_BY = (("perencanaan.events", "rkpd.ditetapkan.#"), ("keuangan.events", "apbd.ditetapkan.#"),
                  ("referensi.events", "#"))
# the events of one pemda (``kode_pemda`` in their payload): that pemda's pages, files and pieces are built again;
# an EPPD result also the national ranking's (NASIONAL)
PER_PEMDA = (("keuangan.events", "realisasi.berubah.#"), ("keuangan.events", "apbd.perubahan.ditetapkan.#"),
             ("pemerintahan.events", "perda.#"), ("pemerintahan.events", "eppd.#"))
NASIONAL = ""  # the version of what is national (the EPPD ranking)
# a piece of a page that no event announces (the submitted LPPD): fetched at most every FRAGMENT_SECONDS, and part
# of the page's key, so a page is rebuilt when it changes and served from the cache while it does not
FRAGMENT_SECONDS = 30.0
MAX_AGE = 60  # browsers and proxies may keep a page a minute; after that they revalidate with the ETag
# how long a page waits for one of its parts, and how long a service that failed one is left alone
PART_SECONDS = float(os.environ.get("SIPD_PORTAL_PART_SECONDS") or 5)
DOWN_SECONDS = 5.0


class _Unavailable:
    """A part its service did not give: the page says so where that part would be."""

    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE = _Unavailable()


class Partial(bytes):
    """A page built with a part unavailable: served (and shared with the readers waiting for its build), not
    kept, so the next reader after the service is back gets the whole page."""


async def cached(request: Request, key: tuple, build: Callable[[], Awaitable[bytes]], media_type: str,
                 headers: dict[str, str] | None = None) -> Response:
    cache = request.app.state.portal_cache
    hit = cache.get(key)
    if hit is None:
        hit = await _build_once(request.app.state, key, build)
    body, etag = hit
    all_headers = {"ETag": etag, "Cache-Control": "no-store" if isinstance(body, Partial) else
                   f"public, max-age={MAX_AGE}", **(headers or {})}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)


async def _build_once(state, key: tuple, build: Callable[[], Awaitable[bytes]]) -> tuple[bytes, str]:
    """Build the page, or wait for the build already under way for the same key (and share its outcome)."""
    cache = state.portal_cache

    async def build_and_keep() -> tuple[bytes, str]:
        generation = cache.generation
        body = await build()
        hit = (body, etag_of(body))
        if not isinstance(body, Partial):
            cache.put(key, *hit, generation=generation)
        return hit
    return await _once(state, key, build_and_keep)


async def _once(state, key: tuple, work: Callable[[], Awaitable[Any]]) -> Any:
    """``work()``'s outcome, or that of the same work already under way for ``key``: one at a time, however many
    readers ask (an event moved a pemda on, and every reader of its page arrives at once)."""
    inflight: dict = state.portal_building
    pending = inflight.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    future = asyncio.get_running_loop().create_future()
    inflight[key] = future
    try:
        result = await work()
        future.set_result(result)
        return result
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
        raise
    finally:
        del inflight[key]


def versi(request: Request, kode: str) -> int:
    """How many events of this pemda (or, NASIONAL, of the national ranking) this gateway has seen: in the keys of
    what shows them, so that what was built before the last one is not found again."""
    return request.app.state.portal_versi.get(kode, 0)


def on_pemda_event(state) -> Callable[[Any], None]:
    """The consumer of PER_PEMDA's events (``RpcClient.subscribe``): the event's pemda moves on; after a reconnect
    (``None``: events may have been missed), or an event that does not say its pemda, the whole cache goes."""
    def changed(message) -> None:
        try:
            kode = orjson.loads(message.body)["kode_pemda"] if message is not None else None
        except (orjson.JSONDecodeError, KeyError, TypeError):
            kode = None
        if not isinstance(kode, str):
            state.portal_cache.clear()
            return
        moved = [kode, NASIONAL] if message.routing_key.startswith("eppd.") else [kode]
        for k in moved:
            state.portal_versi[k] = state.portal_versi.get(k, 0) + 1
    return changed


async def fragment(request: Request, key: tuple, fetch: Callable[[], Awaitable[Any]], versi: int | None = None) -> Any:
    """A piece of what pages show, dropped with the portal cache (same generation): with a ``versi`` (its pemda's,
    see ``versi``) kept until that moves on (the cache's TTL at most), without one FRAGMENT_SECONDS. Fetched once
    for all the readers that find it missing together."""
    state = request.app.state
    held = state.portal_fragments.get(key)
    generation = state.portal_cache.generation
    if held is not None and held[0] > time.monotonic() and held[1] == (generation, versi):
        return held[2]

    async def fetch_and_keep() -> Any:
        value = await fetch()
        if value is UNAVAILABLE:
            return value  # not kept: asked again once its service is back
        seconds = FRAGMENT_SECONDS if versi is None else state.portal_cache.ttl
        state.portal_fragments[key] = (time.monotonic() + seconds, (generation, versi), value)
        if len(state.portal_fragments) > 20_000:  # bounded: the oldest half goes
            for old in sorted(state.portal_fragments, key=lambda k: state.portal_fragments[k][0])[:10_000]:
                del state.portal_fragments[old]
        return value
    return await _once(state, ("fragment", key, generation, versi), fetch_and_keep)


async def part(request: Request, service: str, fetch: Callable[[], Awaitable[Any]]) -> Any:
    """What ``fetch`` (a read of ``service``) answers within PART_SECONDS, else UNAVAILABLE: the page goes on without
    it. A service that did not answer (or cannot be reached) is not asked again for DOWN_SECONDS."""
    down: dict = request.app.state.portal_down
    if down.get(service, 0.0) > time.monotonic():
        return UNAVAILABLE
    try:
        return await asyncio.wait_for(fetch(), PART_SECONDS)
    except (ServiceUnavailable, ServiceTimeout, asyncio.TimeoutError) as exc:
        log.warning("portal: %s unavailable, its part of the page is left out (%s: %s)", service,
                    type(exc).__name__, exc)
        down[service] = time.monotonic() + DOWN_SECONDS
    except RemoteError as exc:  # a fault of that read alone: its part is left out, the service still asked
        log.error("portal: %s failed a read, its part of the page is left out (%s: %s)", service, exc.exc_type,
                  exc.value)
    return UNAVAILABLE


def fingerprint(*parts: Any) -> str:
    """A short digest of fragments, for a page's cache key."""
    return etag_of(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS))
