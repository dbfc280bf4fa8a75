"""The HTTP gateway: the only entry, calling the services over RabbitMQ without blocking."""
from __future__ import annotations

import logging
import re
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from sipd_common.logging import request_id_var
from sipd_common.settings import get_settings

from . import limits, problems, revocations
from .cache import ResponseCache
from .db import make_async_engine
from .routes import (auth, berita_acara, dokumen, health, jadwal, keuangan, konsistensi_rkpd, pagu_skpd, pemerintahan,
                     perencanaan, referensi, renja, renstra, rka, rpjmd, users, usulan)
from .rpc import RpcClient
from .security import AuthTokenMiddleware

log = logging.getLogger(__name__)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

DESCRIPTION = """
SIPD (Sistem Informasi Pemerintahan Daerah): plan (RKPD), budget (APBD) and report, for every pemda,
on one national codification. Money is always an exact decimal string in rupiah. Every error is
RFC 9457 problem details (`application/problem+json`) with a stable `type` and, for invalid input,
`errors` naming each field. Every response carries `X-Request-ID` (send your own to trace a call).

**Access.** Log in at `POST /api/v1/auth/token` (OAuth 2.0 password grant) and send the access token
as `Authorization: Bearer <token>`. Public without login: the national reference (`/referensi`),
health, and the login itself; nothing else is published yet. Every other operation is checked
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

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


def create_app(rpc: RpcClient | None = None, db: AsyncEngine | None = None) -> FastAPI:
    settings = get_settings()
    settings.jwt_secret  # now: without a real secret the gateway does not start (sipd_common.settings.jwt_secret)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.rpc = rpc or RpcClient(settings.amqp_uri, settings.rpc_timeout_seconds)
        app.state.db = db or make_async_engine(settings)
        await app.state.rpc.start()
        await app.state.rpc.subscribe("referensi.events", "#", app.state.reference_cache.clear)
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
        try:
            yield
        finally:
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
                      {"name": "keuangan", "description": "Budget: KUA-PPAS, RKA-SKPD, plafon and rincian of the APBD."},
                      {"name": "pemerintahan", "description": "Governance reports."},
                      {"name": "operasi", "description": "Operations: health (public)."},
                  ])
    app.state.reference_cache = ResponseCache()
    app.state.settings = settings
    problems.install(app)
    routers = [m.router for m in (health, auth, users, referensi, rpjmd, renstra, perencanaan, jadwal, pagu_skpd,
                                  dokumen, keuangan, pemerintahan, berita_acara, konsistensi_rkpd, renja, usulan)]
    routers += [jadwal.public, rka.ppas, rka.router]  # the planning stages' list; KUA-PPAS and RKA-SKPD
    for router in routers:
        limits.document(router)
        app.include_router(router)
    app.add_middleware(limits.RequestGuardMiddleware)  # inside: its answers carry the request id
    app.add_middleware(AuthTokenMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


app = create_app()
