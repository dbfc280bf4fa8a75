"""The national view: every pemda in the caller's scope for a year (the ministry: all; a province: itself
and its regencies/cities; a pemda: itself), with its plan, budget and realisation per bidang urusan, LPPD
state, EPPD status and rank, Perda per state and open binwas findings."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from contracts.pemerintahan import NasionalOut

from ..deps import Paging, Rpc, Tahun
from ..jsonresp import json_response
from ..problems import responses
from ..security import CurrentUser

router = APIRouter(prefix="/api/v1/nasional/{tahun}", tags=["pemerintahan"], responses=responses(401, 403))


@router.get("/pemda", response_model=NasionalOut, responses=responses(422, 503, 504),
            summary="Every pemda in scope for the year, filtered by province and type, sorted and paged")
async def nasional(rpc: Rpc, caller: CurrentUser, tahun: Tahun, paging: Paging,
                   provinsi: Annotated[str | None, Query(pattern=r"^[0-9]{2}$", description="A province's code: "
                                                         "the province and its regencies/cities.")] = None,
                   jenis: Annotated[Literal["provinsi", "kabupaten", "kota"] | None, Query()] = None,
                   sort: Annotated[Literal["kode_pemda", "total_rencana", "total_anggaran", "total_realisasi",
                                           "eppd_indeks", "perda_total"], Query()] = "kode_pemda",
                   order: Annotated[Literal["asc", "desc"], Query()] = "asc"):
    result = await rpc.call("pemerintahan", "get_nasional", tahun, provinsi=provinsi, jenis=jenis, sort=sort,
                            descending=order == "desc", offset=paging.offset, limit=paging.per_page)
    return json_response(result)
