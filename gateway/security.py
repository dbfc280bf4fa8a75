"""Who is calling: the dependencies routes use to require an identity.

Until users and roles exist (the access issue), the only guarded operations are
the national reference's administration, open to a bearer of SIPD_ADMIN_TOKEN.
"""
from __future__ import annotations

import hmac
import os
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="Access token")


def pusat_admin(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    """A Kemendagri (pusat) administrator: maintains the national reference."""
    expected = os.environ.get("SIPD_ADMIN_TOKEN", "")
    if credentials is None:
        raise HTTPException(401, "login required", headers={"WWW-Authenticate": "Bearer"})
    if not expected or not hmac.compare_digest(credentials.credentials, expected):
        raise HTTPException(403, "only a pusat administrator may do this")
    return "pusat-admin"


PusatAdmin = Annotated[str, Depends(pusat_admin)]
