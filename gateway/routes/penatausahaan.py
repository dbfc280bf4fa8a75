"""Penatausahaan (issue 14): revenue received — receipts (TBP) and deposits (STS) by an SKPD's bendahara
penerimaan, deposits validated by the BUD / kuasa BUD (another user) into realised revenue per account.

Every role of the pemda reads (an SKPD-bound role: its own SKPD's records); keuangan checks every right and rule
again (``keuangan/policy.py``, ``penerimaan/domain.py``). The spending documents (SPD → SPP → SPM → SP2D) join
this router once the DPA they are checked against is merged.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from contracts.keuangan import KODE_SKPD_PATTERN, RealisasiOut, StsBaru, StsOut, TbpBaru, TbpOut
from sipd_common import access

from ..deps import KodePemda, Page, Paging, Rpc, Tahun, page_of
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/penatausahaan/{tahun}", tags=["penatausahaan"],
                   responses=responses(401, 403))

KodeSkpd = Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD_PATTERN,
                                       description="Only this SKPD's (an SKPD-bound role: its own only).")]
_WRITE = responses(400, 404, 409, 422, 503, 504)


@router.post("/tbp", status_code=201, response_model=TbpOut, responses=responses(400, 422, 503, 504),
             summary="The bendahara penerimaan records a receipt (TBP) on a 4.x sub rincian objek of its SKPD",
             description="Numbered per SKPD and year without gaps. Refused (422, naming the field) for an account "
                         "not a current revenue sub rincian objek, an SKPD not of the pemda, a date outside the year; "
                         "403 for another SKPD's receipt.")
async def buat_tbp(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: TbpBaru):
    return json_response(await rpc.call("keuangan", "buat_tbp", kode_pemda, tahun, body.model_dump(mode="json")), 201)


@router.get("/tbp", response_model=Page[TbpOut], responses=responses(422, 503, 504),
            summary="The year's receipts (an SKPD-bound role: its own SKPD's)")
async def list_tbp(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                   kode_skpd: KodeSkpd = None,
                   belum_disetor: Annotated[bool, Query(description="Only those not deposited yet.")] = False):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_tbp", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd, belum_disetor=belum_disetor)
    return json_response(page_of(result, paging))


@router.get("/tbp/{id}", response_model=TbpOut, responses=responses(404, 422, 503, 504), summary="One receipt")
async def get_tbp(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_tbp", kode_pemda, tahun, str(id)))


@router.post("/sts", status_code=201, response_model=StsOut, responses=responses(400, 422, 503, 504),
             summary="The bendahara penerimaan deposits receipts of its SKPD (STS) into the RKUD",
             description="Each receipt once: refused (422 naming `tbp_ids.<i>`) for a receipt of another SKPD, "
                         "one deposited already, one dated after the deposit, one named twice.")
async def buat_sts(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: StsBaru):
    return json_response(await rpc.call("keuangan", "buat_sts", kode_pemda, tahun, body.model_dump(mode="json")), 201)


@router.get("/sts", response_model=Page[StsOut], responses=responses(422, 503, 504),
            summary="The year's deposits (an SKPD-bound role: its own SKPD's)")
async def list_sts(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                   kode_skpd: KodeSkpd = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_sts", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))


@router.get("/sts/{id}", response_model=StsOut, responses=responses(404, 422, 503, 504), summary="One deposit")
async def get_sts(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_sts", kode_pemda, tahun, str(id)))


@router.post("/sts/{id}/validasi", response_model=StsOut, responses=_WRITE,
             summary="The BUD / kuasa BUD validates a deposit: its receipts become realised revenue per account",
             description="Publishes `realisasi.berubah.v1` per account. 409 naming `status` when validated already; "
                         "403 naming `pemeriksa` for the user who made the deposit.")
async def validasi_sts(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "validasi_sts", kode_pemda, tahun, str(id)))


@router.get("/realisasi-pendapatan", response_model=Page[RealisasiOut], responses=responses(422, 503, 504),
            summary="Realised revenue so far per SKPD and account (an SKPD-bound role: its own SKPD's)")
async def list_realisasi_pendapatan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                                    paging: Paging, kode_skpd: KodeSkpd = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_realisasi_pendapatan", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))
