"""The LPPD of a pemda and year: drafted from the plan's and the budget's events, its indicators entered
by the pemda, verified by its inspektur, submitted (a regency/city's through its province), received
by the ministry. A submitted LPPD is a snapshot and never changes."""
from __future__ import annotations

from fastapi import APIRouter, Request

from contracts.pemerintahan import IndikatorLppdBaru, LangkahLppd, LppdOut
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/lppd/{tahun}", tags=["pemerintahan"],
                   responses=responses(401, 403))


@router.post("", status_code=201, response_model=LppdOut, responses=responses(400, 409, 422, 503, 504),
             summary="Draft the year's LPPD, built from the plan and the budget")
async def draft_lppd(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                     idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("pemerintahan", "draft_lppd", kode_pemda, tahun,
                                        idempotency_key=service_key(idempotency_key)), 201,
                         {"Location": request.url.path})


@router.get("", response_model=LppdOut, responses=responses(404, 422, 503, 504),
            summary="The LPPD, with what changed in its sources since it was built (`basi`, `berubah`)")
async def get_lppd(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "get_lppd", kode_pemda, tahun))


@router.post("/bangun-ulang", response_model=LppdOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Rebuild a draft from its sources as they are now")
async def rebuild_lppd(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "rebuild_lppd", kode_pemda, tahun))


@router.put("/indikator", response_model=LppdOut, responses=responses(400, 404, 409, 422, 503, 504),
            summary="Enter IKK and macro indicators: target, realisation, note (a draft only)")
async def enter_indikator(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: IndikatorLppdBaru):
    return json_response(await rpc.call("pemerintahan", "enter_lppd_indikator", kode_pemda, tahun,
                                        body.model_dump(mode="json")))


@router.post("/langkah", response_model=LppdOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="verifikasi / kembalikan (inspektur), ajukan (pemda), teruskan (province), terima (ministry)")
async def step_lppd(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, body: LangkahLppd):
    return json_response(await rpc.call("pemerintahan", "step_lppd", kode_pemda, tahun, body.model_dump(mode="json")))


@router.get("/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to the LPPD, oldest first")
async def lppd_audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("pemerintahan", "get_lppd_audit", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))
