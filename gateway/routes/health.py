"""Health of the whole: the broker, each service and its database.

The public learns up or down only (``{"status": "ok"}``, 200 or 503); what is down and why (service names,
database errors) is for operators: a pusat administrator's token gets the details.
"""
from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import text

from sipd_common.access import Role
from sipd_common.errors import Unauthenticated
from sipd_common.settings import SERVICES

from ..deps import Db, Rpc
from ..jsonresp import json_response
from ..rpc import RemoteError, ServiceTimeout, ServiceUnavailable
from ..security import authenticate, oauth2

router = APIRouter(prefix="/api/v1", tags=["operasi"])

Status = Literal["ok", "error"]


class ComponentHealth(BaseModel):
    status: Status
    detail: str | None = None


class Health(BaseModel):
    status: Status
    broker: ComponentHealth | None = Field(default=None, description="Operators only (a pusat administrator's token).")
    database: ComponentHealth | None = Field(default=None, description="Operators only.")
    services: dict[str, ComponentHealth] | None = Field(default=None, description="Operators only.")


async def operator(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> bool:
    """A pusat administrator, whose token shows the details; anyone else (or no token) sees up or down."""
    if not token:
        return False
    try:
        return authenticate(request.app, token).role is Role.PUSAT_ADMIN
    except Unauthenticated:
        return False


async def _service(rpc: Rpc, name: str) -> dict:
    try:
        result = await rpc.call(name, "health", timeout=2)
    except (ServiceUnavailable, ServiceTimeout, RemoteError) as exc:
        return {"status": "error", "detail": str(exc), "database": None}
    return {"status": result["status"], "detail": result.get("detail"), "database": result["database"]}


async def _own_database(db: Db) -> str:
    """The gateway's own schema (users, tokens): as a service reports its database."""
    try:
        async with asyncio.timeout(2):
            async with db.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # reported, not raised: health must answer
        return f"error: {type(exc).__name__}"


@router.get("/health", response_model=Health, responses={503: {"model": Health, "description": "Something is down"}},
            summary="Up (200) or down (503); with a pusat administrator's token, the status of the broker, the database "
                    "(each service's schema and the gateway's) and each service")
async def health(rpc: Rpc, db: Db, details: Annotated[bool, Depends(operator)]):
    *replies, gateway_db = await asyncio.gather(*(_service(rpc, s) for s in SERVICES), _own_database(db))
    results = dict(zip(SERVICES, replies))
    broker = {"status": "ok" if rpc.connected else "error", "detail": None if rpc.connected else "not connected"}
    db_reports = {s: r["database"] for s, r in results.items()} | {"gateway": gateway_db}
    if all(d == "ok" for d in db_reports.values()):
        database = {"status": "ok", "detail": None}
    else:
        bad = [f"{s}: {d or 'no answer'}" for s, d in db_reports.items() if d != "ok"]
        database = {"status": "error", "detail": "; ".join(bad)}
    services = {s: {"status": r["status"], "detail": r["detail"] or (None if r["status"] == "ok" else r["database"])}
                for s, r in results.items()}
    ok = broker["status"] == "ok" and database["status"] == "ok" and all(s["status"] == "ok" for s in services.values())
    body = {"status": "ok" if ok else "error"}
    if details:
        body |= {"broker": broker, "database": database, "services": services}
    return json_response(body, 200 if ok else 503)
