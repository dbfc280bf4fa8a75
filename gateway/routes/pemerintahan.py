"""Governance reports, built from the plan's and the budget's events."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.pemerintahan import RingkasanOut

from ..deps import KodePemda, Rpc, Tahun
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/laporan/{tahun}", tags=["pemerintahan"],
                   responses=responses(401, 403))


@router.get("/ringkasan", response_model=RingkasanOut, responses=responses(422, 503, 504),
            summary="Per bidang urusan: planned sub kegiatan, total pagu indikatif, total budgeted, flagged items")
async def ringkasan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "get_ringkasan", kode_pemda, tahun))
