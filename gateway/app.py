"""The HTTP gateway: the only entry, calling the services over RabbitMQ without blocking."""
from __future__ import annotations

import asyncio
import gc
import logging
import os
import re
import time
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncEngine

from sipd_common import connections, tracing
from sipd_common.logging import PROCESS, pemda_var, request_id_var, tahun_var
from sipd_common.metrics import HTTP_SECONDS, WorkerProcessMetrics
from sipd_common.retention import prune_async
from sipd_common.settings import Settings, get_settings

from . import limits, passwords, problems, revocations
from .cache import ResponseCache
from .portal import cache as portal_cache
from .portal import data as portal_data
from .portal import pages as portal_pages
from .db import MAX_OVERFLOW, POOL_SIZE, make_async_engine
from .routes import (auth, berita_acara, binwas, dokumen, dpa, eppd, health, jadwal, jadwal_anggaran, keuangan,
                     konsistensi_rkpd, lppd, lra, metrics, nasional, pagu_skpd, pemerintahan, penatausahaan, perda,
                     perencanaan, perubahan, referensi, renja, renstra, rka, rpjmd, users, usulan)
from .rpc import RpcClient
from .security import AuthTokenMiddleware

log = logging.getLogger(__name__)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# the pemda and year of a path (``/api/v1/pemda/32.73/apbd/2027/...``), for the JSON log lines
_PEMDA = re.compile(r"/pemda/([0-9]{2}(?:\.[0-9]{2})?)(?:/|$)")
_TAHUN = re.compile(r"/((?:19|20|21)[0-9]{2})(?:/|$)")

DESCRIPTION = """
SIPD (Sistem Informasi Pemerintahan Daerah): plan (RKPD), budget (APBD) and report, for every pemda,
on one national codification. Money is always an exact decimal string in rupiah. Every error is
RFC 9457 problem details (`application/problem+json`) with a stable `type` and, for invalid input,
`errors` naming each field. Every response carries `X-Request-ID` (send your own to trace a call).

**Access.** Log in at `POST /api/v1/auth/token` (OAuth 2.0 password grant) and send the access token
as `Authorization: Bearer <token>`. Public without login: the national reference (`/referensi`),
what is enacted (the portal's pages and the open data, `/api/v1/data`), health, and the login itself.
Every other operation is checked
against the caller's role and scope, by the gateway and again by the service: 401 without a valid
token, 403 for a pemda, an area or an SKPD outside the caller's scope, 404 for a user outside an
administrator's scope (usernames are not public). Every write is recorded in an audit trail,
readable per record (`.../audit`) by those who may read the record.
"""


class RequestIdMiddleware:
    """Gives every request an id (the caller's X-Request-ID if sane) that reaches every log line it causes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        pemda = _PEMDA.search(scope["path"])
        tahun = _TAHUN.search(scope["path"]) if pemda else None
        scoped = (pemda_var.set(pemda and pemda.group(1)), tahun_var.set(tahun and int(tahun.group(1))))

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
            pemda_var.reset(scoped[0])
            tahun_var.reset(scoped[1])


class MetricsMiddleware:
    """Counts and times every request by its route's template (``/api/v1/pemda/{kode_pemda}/...``, never the
    path itself: bounded labels), method and status (``sipd_http_request_seconds``)."""

    def __init__(self, app):
        self.app = app
        self._templates: list[tuple[re.Pattern, str]] | None = None

    def _template(self, scope) -> str:
        """The template of the route that matches the path (FastAPI does not leave it in this scope)."""
        if self._templates is None:
            self._templates = [(r.path_regex, r.path) for r in iter_route_contexts(scope["app"].routes)
                               if getattr(r, "path_regex", None) is not None]
        path = scope["path"]
        return next((template for regex, template in self._templates if regex.match(path)), "unmatched")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500
        span = None
        if tracing.enabled():  # the root of the request's trace (or the child of the client's traceparent)
            incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"traceparent"), None)
            span = tracing.start(f"{scope['method']} {scope['path']}", tracing.SERVER, incoming,
                                 {"http.request.method": scope["method"], "sipd.request_id": request_id_var.get()})

        async def send_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            template = self._template(scope)
            HTTP_SECONDS.labels(template, scope["method"], str(status)).observe(time.perf_counter() - started)
            if span is not None:
                span[0].update_name(f"{scope['method']} {template}")
                tracing.end(span, str(status) if status >= 500 else None,
                            {"http.route": template, "http.response.status_code": status})


async def _prune_every(db: AsyncEngine, settings: Settings) -> None:
    """The gateway's schema past its retention (login counts, expired refresh tokens), deleted on a schedule."""
    while True:
        await asyncio.sleep(settings.prune_interval_seconds)
        try:
            await prune_async(db, settings)
        except Exception as exc:  # the database away: the next round
            log.warning("pruning failed (%s: %s)", type(exc).__name__, exc)


def _freeze_heap(app: FastAPI) -> None:
    """What the gateway built at start (modules, routes, models: ~300,000 objects) is left out of the garbage
    collector's full passes. Requests in flight outlive the young generations' passes, so under load the full pass
    ran every few seconds and walked all of it, the event loop stopped meanwhile: 0.4–0.5 s at a time, every
    reader waiting (the portal's p99, bench/portal.py). Frozen, a full pass walks only what came after."""
    for _ in iter_route_contexts(app.routes):  # FastAPI builds its routes' matching contexts on first use: now
        pass
    gc.collect()
    gc.freeze()


def create_app(rpc: RpcClient | None = None, db: AsyncEngine | None = None) -> FastAPI:
    settings = get_settings()
    settings.jwt_secret  # now: without a real secret the gateway does not start (sipd_common.settings.jwt_secret)
    passwords.ready()  # now: argon2's parameters checked; an unknown user's first login costs what another's does
    tracing.setup("gateway", PROCESS["instance"])

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.rpc = rpc or RpcClient(settings.amqp_uri, settings.rpc_timeout_seconds)
        app.state.db = db or make_async_engine(settings)
        if db is None:
            await connections.check_async(app.state.db, "gateway", POOL_SIZE + MAX_OVERFLOW)
        await app.state.rpc.start()
        await app.state.rpc.subscribe("referensi.events", "#", app.state.reference_cache.clear)
        for exchange, routing_key in portal_cache.INVALIDATED_BY:
            await app.state.rpc.subscribe(exchange, routing_key, app.state.portal_cache.clear)
        for exchange, routing_key in portal_cache.PER_PEMDA:
            await app.state.rpc.subscribe(exchange, routing_key, portal_cache.on_pemda_event(app.state))
        try:
            await app.state.rpc.declare_revocations()
        except Exception as exc:  # published later: publish_revocation declares what it needs
            log.warning("revocations: cannot declare the stream now (%s: %s)", type(exc).__name__, exc)
        app.state.revocations = revocations.Watch(app.state.db, app.state.rpc)
        try:  # before the first request: the tokens revoked before this worker began (else in a second, by Watch)
            await revocations.load(app.state.db)
        except Exception as exc:
            log.warning("revocations: not loaded at start (%s: %s)", type(exc).__name__, exc)
        app.state.revocations.start()
        pruning = asyncio.create_task(_prune_every(app.state.db, settings))
        # several workers: each one's CPU and memory where the scrape, answered by any worker, finds it
        app.state.process_metrics = WorkerProcessMetrics() if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else None
        sampling = asyncio.create_task(app.state.process_metrics.run()) if app.state.process_metrics else None
        if rpc is None:  # a served gateway (not a test's app): what it loaded lives as long as it does
            _freeze_heap(app)
        try:
            yield
        finally:
            pruning.cancel()
            if sampling is not None:
                sampling.cancel()
                WorkerProcessMetrics.forget()
            await app.state.revocations.stop()
            await app.state.rpc.close()
            await app.state.db.dispose()

    app = FastAPI(title="SIPD API", version="1.0.0", description=DESCRIPTION, lifespan=lifespan,
                  openapi_tags=[
                      {"name": "auth", "description": "Login (OAuth 2.0 password flow), tokens, one's own account."},
                      {"name": "users", "description": "Users and roles, managed by administrators within their scope."},
                      {"name": "referensi", "description": "The national codification (public)."},
                      {"name": "perencanaan",
                       "description": "Planning: RPJMD, Renstra, RKPD, its schedule windows (jadwal) and snapshots."},
                      {"name": "keuangan", "description": "Budget: KUA-PPAS, RKA-SKPD, plafon and rincian of the APBD, the APBD, DPA-SKPD."},
                      {"name": "pemerintahan", "description": "Governance: reports, the register of regulations (Perda, "
                                                              "Perkada), EPPD, binwas, the national view."},
                      {"name": "operasi", "description": "Operations: health (public), metrics (operators)."},
                      {"name": "data-terbuka", "description": "Open data (public): every dataset the portal shows, "
                       "as CSV and JSON, with its data dictionary and licence; budgets as Fiscal Data Packages."},
                      {"name": "portal", "description": "The public website (HTML, public): what is enacted, per pemda."},
                  ])
    app.state.reference_cache = ResponseCache()
    # SIPD_PORTAL_CACHE_SECONDS=0 turns the portal's cache off (bench.portal measures the pages uncached)
    app.state.portal_cache = ResponseCache(ttl_seconds=float(os.environ.get("SIPD_PORTAL_CACHE_SECONDS") or 600),
                                           max_bytes=128 * 1024 * 1024)
    app.state.portal_building = {}  # the portal's pages being built: the readers of one wait for one build
    app.state.portal_fragments = {}  # pieces of pages (portal/cache.py: fragment)
    app.state.portal_versi = {}  # per pemda, the events of it seen (portal/cache.py: versi)
    app.state.portal_down = {}  # the services that just failed a page's part: left alone a few seconds (cache.part)
    app.state.settings = settings
    problems.install(app)
    # the public portal first: a request's route is found by trying each route in turn (FastAPI: some µs each), and
    # the portal's pages are what most requests ask for (behind the API's 230 routes, a cached page spent ~1.3 ms
    # finding its route, ten times what serving it costs). No portal path is an API path, so the order is free.
    routers = [m.router for m in (portal_pages, portal_data, health, metrics, auth, users, referensi, rpjmd, renstra,
                                  perencanaan, jadwal, pagu_skpd, dokumen, keuangan, pemerintahan, berita_acara,
                                  konsistensi_rkpd, renja, usulan, perda, eppd, binwas, nasional, lppd, penatausahaan)]
    routers += [jadwal.public, rka.ppas, rka.router, dpa.router, perda.public, eppd.public]  # KUA-PPAS, RKA-SKPD, DPA; public
    routers += [perubahan.router]  # the APBD-P and the pergeseran
    routers += [lra.router]  # the LRA
    routers += [jadwal_anggaran.router]  # the budget's schedule windows
    for router in routers:
        limits.document(router)
        app.include_router(router)
    app.add_middleware(limits.RequestGuardMiddleware)  # inside: its answers carry the request id
    app.add_middleware(AuthTokenMiddleware)
    app.add_middleware(MetricsMiddleware)  # every answer counted and traced, the guard's refusals too
    app.add_middleware(RequestIdMiddleware)
    return app


app = create_app()
