"""Who is calling, and may they: the dependencies every route declares.

The gateway checks each request before any service sees it — the access token, and the pemda in the
path against the token's scope (``sipd_common.access``, the shared kernel) — and passes the token on
(``nameko.auth_token``). What the caller may do there (which role may plan, budget, approve, in which
stage, on which SKPD's records) is each service's own policy (its ``policy.py``), checked by the
service with the records in hand.

Answers: 401 (with ``WWW-Authenticate``) without a valid token; 403 for a pemda, an area or an SKPD
outside the caller's scope (the pemda and SKPD codes are public, so saying so leaks nothing); 404 for
a user outside an administrator's scope (usernames are not public).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from sipd_common import access
from sipd_common.access import Role, Scope
from sipd_common.auth import InvalidToken, verify_access_token
from sipd_common.errors import Forbidden, Unauthenticated

from .deps import KodePemda
from .rpc import auth_token_var

TOKEN_URL = "/api/v1/auth/token"

oauth2 = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL, auto_error=False, scheme_name="OAuth2",
    description="Log in at `POST /api/v1/auth/token` (username, password) and send the access token as "
                "`Authorization: Bearer <token>`. It is valid 15 minutes; renew it with the refresh token.")


def bearer_token(scope) -> str | None:
    """The bearer token of a request's ``Authorization`` header, if any."""
    header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"authorization"), "")
    kind, _, token = header.partition(" ")
    return token.strip() if kind.lower() == "bearer" and token.strip() else None


def authenticate(app, token: str | None) -> Scope:
    """The caller a token proves, or ``Unauthenticated``."""
    if not token:
        raise Unauthenticated("login required: send an access token as `Authorization: Bearer <token>`")
    try:
        return verify_access_token(token, app.state.settings.jwt_secret)
    except InvalidToken as exc:
        raise Unauthenticated(str(exc), error="invalid_token") from None


class AuthTokenMiddleware:
    """Keeps the request's bearer token in ``auth_token_var`` for the RPC calls the request makes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        reset = auth_token_var.set(bearer_token(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            auth_token_var.reset(reset)


async def current_user(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Scope:
    return authenticate(request.app, token)


CurrentUser = Annotated[Scope, Depends(current_user)]


async def pemda_reader(caller: CurrentUser, kode_pemda: KodePemda) -> Scope:
    """May read the data of the pemda in the path (an SKPD operator: of its SKPD; the service filters)."""
    return access.require_read(caller, kode_pemda)


async def pemda_actor(caller: CurrentUser, kode_pemda: KodePemda) -> Scope:
    """Works in the pemda in the path (the pusat administrator: everywhere): a change may be made there
    by someone; whether by this caller is the service's policy."""
    if not caller.acts_in(kode_pemda):
        raise Forbidden(f"{caller.role} {caller.username} may not change data of pemda {kode_pemda}")
    return caller


async def pemda_evaluator(caller: CurrentUser, kode_pemda: KodePemda) -> Scope:
    """Of the level that evaluates the pemda in the path (its province for a regency/city, the pusat for a
    province: ``Scope.evaluates``); which of its roles may is the service's policy."""
    if not caller.evaluates(kode_pemda):
        raise Forbidden(f"{caller.role} {caller.username} does not evaluate pemda {kode_pemda} (its evaluator: "
                        f"{access.evaluator_of(kode_pemda)})")
    return caller


PemdaReader = Annotated[Scope, Depends(pemda_reader)]
PemdaActor = Annotated[Scope, Depends(pemda_actor)]
PemdaEvaluator = Annotated[Scope, Depends(pemda_evaluator)]


async def user_admin(caller: CurrentUser) -> Scope:
    if not caller.manages_users:
        raise Forbidden(f"a {caller.role} does not manage users")
    return caller


UserAdmin = Annotated[Scope, Depends(user_admin)]


async def pusat_admin(caller: CurrentUser) -> Scope:
    """A Kemendagri (pusat) administrator: maintains the national reference."""
    if caller.role is not Role.PUSAT_ADMIN:
        raise Forbidden("only a pusat administrator may do this")
    return caller


PusatAdmin = Annotated[Scope, Depends(pusat_admin)]
