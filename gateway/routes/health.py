"""Health of the whole: the broker, each service and its database."""
from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from sipd_common.settings import SERVICES

from ..deps import Rpc
from ..jsonresp import json_response
from ..rpc import RemoteError, ServiceTimeout, ServiceUnavailable

router = APIRouter(prefix="/api/v1", tags=["operasi"])

Status = Literal["ok", "error"]


class ComponentHealth(BaseModel):
    status: Status
    detail: str | None = None


class Health(BaseModel):
    status: Status
    broker: ComponentHealth
    database: ComponentHealth
    services: dict[str, ComponentHealth]


async def _service(rpc: Rpc, name: str) -> dict:
    try:
        result = await rpc.call(name, "health", timeout=2)
    except (ServiceUnavailable, ServiceTimeout, RemoteError) as exc:
        return {"status": "error", "detail": str(exc), "database": None}
    return {"status": result["status"], "detail": None, "database": result["database"]}


@router.get("/health", response_model=Health, responses={503: {"model": Health, "description": "Something is down"}},
            summary="Status of the broker, the database and each service; 200 only when all are ok")
async def health(rpc: Rpc):
    results = dict(zip(SERVICES, await asyncio.gather(*(_service(rpc, s) for s in SERVICES))))
    broker = {"status": "ok" if rpc.connected else "error", "detail": None if rpc.connected else "not connected"}
    db_reports = [r["database"] for r in results.values() if r["database"] is not None]
    if db_reports and all(d == "ok" for d in db_reports):
        database = {"status": "ok", "detail": None}
    else:
        bad = [f"{s}: {r['database'] or 'no answer'}" for s, r in results.items() if r["database"] != "ok"]
        database = {"status": "error", "detail": "; ".join(bad)}
    services = {s: {"status": r["status"], "detail": r["detail"] or (None if r["status"] == "ok" else r["database"])}
                for s, r in results.items()}
    ok = broker["status"] == "ok" and database["status"] == "ok" and all(s["status"] == "ok" for s in services.values())
    body = {"status": "ok" if ok else "error", "broker": broker, "database": database, "services": services}
    return json_response(body, 200 if ok else 503)
