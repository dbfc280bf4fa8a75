"""Users, managed by administrators within their scope; every change audited.

A user outside the caller's scope is answered 404, as if it did not exist (usernames are not public).
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from sipd_common.access import KODE_PEMDA, Role
from sipd_common.audit import AuditEntryOut

from .. import users
from ..deps import Config, Db, IdempotencyKey, IfMatch, Page, Paging, Rpc, etag, if_match_version, page_of
from ..jsonresp import json_response
from ..problems import responses
from ..security import UserAdmin
from ..users import UserChange, UserNew, UserOut

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=responses(401, 403))


@router.post("", status_code=201, response_model=UserOut, responses=responses(400, 409, 422, 503, 504),
             summary="Create a user of the caller's scope (never an administrator of a wider one)")
async def create(request: Request, db: Db, rpc: Rpc, caller: UserAdmin, body: UserNew,
                 idempotency_key: IdempotencyKey = None):
    user = await users.create(db, rpc, caller, body, idempotency_key)
    return json_response(user, 201, {"Location": f"{request.url.path}/{user['id']}", **etag(user)})


@router.get("", response_model=Page[UserOut], responses=responses(422, 503, 504),
            summary="The users the caller manages, by pemda then username")
async def list_(db: Db, caller: UserAdmin, paging: Paging,
                kode_pemda: Annotated[str | None, Query(pattern=KODE_PEMDA.pattern, description="Only this pemda's users.")] = None,
                role: Annotated[Role | None, Query(description="Only users with this role.")] = None,
                active: Annotated[bool | None, Query(description="Only active (or only deactivated) users.")] = None):
    result = await users.list_(db, caller, paging.offset, paging.per_page, kode_pemda, role, active)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=UserOut, responses=responses(404, 422, 503, 504), summary="One user")
async def get(db: Db, caller: UserAdmin, id: uuid.UUID):
    user = await users.get(db, caller, str(id))
    return json_response(user, headers=etag(user))


@router.patch("/{id}", response_model=UserOut, responses=responses(400, 404, 412, 422, 503, 504),
              summary="Change a user's role or SKPD, deactivate or reactivate it (ends its sessions)")
async def change(db: Db, rpc: Rpc, cfg: Config, caller: UserAdmin, id: uuid.UUID, body: UserChange,
                 if_match: IfMatch = None):
    user = await users.change(db, rpc, cfg, caller, str(id), body, if_match_version(if_match))
    return json_response(user, headers=etag(user))


@router.get("/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one user, oldest first: who, when, before and after")
async def audit(db: Db, caller: UserAdmin, id: uuid.UUID, paging: Paging):
    return json_response(page_of(await users.audit_trail(db, caller, str(id), paging.offset, paging.per_page), paging))
