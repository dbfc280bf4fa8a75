"""APBD: ceilings (plafon) from the plan, budget lines (rincian) under them.

Read by every role of the pemda (an SKPD operator: its own SKPD's); lines are written by TAPD/BPKAD
and by an SKPD operator under its own SKPD's ceilings (and by the pusat administrator). A line
belongs to the SKPD of its ceiling's RKPD item; keuangan checks it.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from contracts.keuangan import PlafonOut, RincianBaru, RincianOut
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/apbd/{tahun}", tags=["keuangan"], responses=responses(401, 403))


@router.get("/plafon", response_model=Page[PlafonOut], responses=responses(422, 503, 504),
            summary="The ceilings of the year, one per RKPD sub kegiatan, with what is budgeted under each")
async def list_plafon(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_plafon", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.post("/rincian", status_code=201, response_model=RincianOut, responses=responses(400, 409, 422, 503, 504),
             summary="Add a budget line; refused if the account is not a belanja sub rincian objek or the ceiling would be exceeded",
             deprecated=True,
             description="Kept for compatibility: a line without a standard-price component, its amount exact. "
                         "An RKA-SKPD line is `POST /api/v1/pemda/{kode_pemda}/rka/{tahun}/rincian`.")
async def create_rincian(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                         body: RincianBaru, idempotency_key: IdempotencyKey = None):
    line = await rpc.call("keuangan", "create_rincian", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(line, 201, {"Location": f"{request.url.path}/{line['id']}"})


@router.get("/rincian", response_model=Page[RincianOut], responses=responses(422, 503, 504),
            summary="The year's budget lines, each with the state of its ceiling")
async def list_rincian(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                       rkpd_id: Annotated[uuid.UUID | None, Query(description="Only the lines under this RKPD item.")] = None):
    result = await rpc.call("keuangan", "list_rincian", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, rkpd_id=str(rkpd_id) if rkpd_id else None)
    return json_response(page_of(result, paging))


@router.get("/rincian/{id}", response_model=RincianOut, responses=responses(404, 422, 503, 504),
            summary="One budget line, with the state of its ceiling")
async def get_rincian(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_rincian", kode_pemda, tahun, str(id)))


@router.get("/rincian/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one budget line, oldest first: who, when, before and after")
async def rincian_audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                        paging: Paging):
    result = await rpc.call("keuangan", "get_rincian_audit", kode_pemda, tahun, str(id),
                            offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))
