"""Login (OAuth 2.0 password grant), token renewal (refresh-token grant), logout, one's own account.

The token endpoint follows RFC 6749: a form (`application/x-www-form-urlencoded`), parameters it
does not know are ignored (RFC 6749 §3.2), and its answers are never cached. Its errors are problem
details like every other, with the OAuth 2.0 error code in `error`.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from sipd_common.errors import Invalid

from .. import accounts, users
from ..deps import Config, Db
from ..jsonresp import json_response
from ..problems import responses
from ..security import CurrentUser
from ..users import PasswordChange, UserOut

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl",
        "token_type": "bearer", "expires_in": 900,
        "refresh_token": "q3X0mJ7c1n2l8Qe5kR4aY6tB9vW0zP1sD3fG5hJ7kL8", "refresh_expires_in": 86400}]})

    access_token: str = Field(description="A JWT: send it as `Authorization: Bearer <token>`.")
    token_type: Literal["bearer"]
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_token: str = Field(description="Use once, with `grant_type=refresh_token`, for a new pair.")
    refresh_expires_in: int = Field(description="Seconds the refresh token is valid if unused.")


class Logout(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"refresh_token": "q3X0mJ7c1n2l8Qe5kR4a"}]})

    refresh_token: str | None = Field(default=None, min_length=1, max_length=256,
                                      description="The session to end; without it, every session of the user ends.")


def client_address(request: Request) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (uvicorn's ``--forwarded-allow-ips``,
    ``FORWARDED_ALLOW_IPS``; 127.0.0.1 by default)."""
    return request.client.host if request.client else "unknown"


FormText = Annotated[str | None, Form(max_length=256)]


@router.post("/token", response_model=TokenOut, responses=responses(400, 401, 422, 429, 503, 504),
             summary="Log in (grant_type=password) or renew the tokens (grant_type=refresh_token)")
async def token(request: Request, db: Db, cfg: Config,
                grant_type: Annotated[Literal["password", "refresh_token"], Form(
                    description="`password` with username and password (a pemda's user: `username@kode_pemda`, e.g. "
                                "`budi@32.73`; a bare username is its first holder's); `refresh_token` with "
                                "refresh_token.")],
                username: FormText = None, password: FormText = None, refresh_token: FormText = None):
    if grant_type == "password":
        missing = [f for f, v in (("username", username), ("password", password)) if not v]
        if missing:
            raise Invalid(f"grant_type=password needs {' and '.join(missing)}",
                          errors=[{"field": f, "message": "required"} for f in missing])
        tokens = await accounts.login(db, cfg, username, password, client_address(request))
    else:
        if not refresh_token:
            raise Invalid.field("refresh_token", "required", "grant_type=refresh_token needs refresh_token")
        tokens = await accounts.refresh(db, cfg, refresh_token)
    return json_response(tokens, headers=NO_STORE)


@router.post("/logout", status_code=204, response_class=Response, responses=responses(400, 401, 422, 503, 504),
             summary="End a session (the refresh token's), or every session of the user (no body)")
async def logout(db: Db, caller: CurrentUser, body: Logout | None = None):
    await accounts.logout(db, caller, body.refresh_token if body else None)
    return Response(status_code=204)


@router.post("/password", status_code=204, response_class=Response,
             responses=responses(400, 401, 422, 429, 503, 504),
             summary="Change one's own password; every session ends (log in again)")
async def change_password(request: Request, db: Db, cfg: Config, caller: CurrentUser, body: PasswordChange):
    await users.change_password(db, cfg, caller, body, client_address(request))
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, responses=responses(401, 404, 422, 503, 504),
            summary="The logged-in user: role, pemda, SKPD")
async def me(db: Db, caller: CurrentUser):
    return json_response(await users.me(db, caller))
