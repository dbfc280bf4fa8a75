"""The consistency report of a year's RKPD: SKPD over their ceiling, items no sasaran of their SKPD's Renstra
plans, accepted proposals no item answers. It lists, it refuses nothing. Read by every role of the pemda (an
SKPD operator: its own SKPD's findings); perencanaan checks again."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.perencanaan import KonsistensiRkpdOut

from ..deps import KodePemda, Rpc, Tahun
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}", tags=["perencanaan"],
                   responses=responses(401, 403))


@router.get("/konsistensi", response_model=KonsistensiRkpdOut, responses=responses(422, 503, 504),
            summary="Where the year's RKPD is inconsistent: SKPD over their ceiling, items serving no Renstra "
                    "sasaran, accepted proposals (usulan) no item answers")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("perencanaan", "get_konsistensi_rkpd", kode_pemda, tahun))
