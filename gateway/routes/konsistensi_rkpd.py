"""The year's RKPD consistency report: items serving no Renstra sasaran, targets differing from the Renstra's
without a note, SKPD over their ceiling, accepted proposals no item answers. Read by every role of the pemda
(an SKPD operator: its own SKPD's findings)."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.perencanaan import KonsistensiRkpdOut

from ..deps import KodePemda, Rpc, Tahun
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/konsistensi", tags=["perencanaan"],
                   responses=responses(401, 403))


@router.get("", response_model=KonsistensiRkpdOut, responses=responses(422, 503, 504),
            summary="How the year's RKPD agrees with the Renstra, the SKPD ceilings and the accepted proposals",
            description="It refuses nothing (plans are made in stages): it lists items serving no sasaran of their "
                        "SKPD's Renstra covering the year (the sasaran the item records in `kode_sasaran_renstra`, "
                        "else one under which the Renstra plans its sub kegiatan), targets that differ from the Renstra's "
                        "for the year without the item's `catatan`, SKPD whose items exceed their pagu indikatif "
                        "ceiling, and proposals accepted but answered by no item.")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("perencanaan", "get_konsistensi_rkpd", kode_pemda, tahun))
