"""The pagu indikatif ceiling of each SKPD in a year's RKPD: set by Bappeda (perencanaan's policy), read by
every role of the pemda (an SKPD operator: its own SKPD's)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from contracts.perencanaan import PaguSkpdBaru, PaguSkpdOut
from sipd_common import access

from ..deps import IfMatch, KodePemda, Page, Paging, Rpc, Tahun, etag, if_match_version, page_of
from ..jsonresp import json_response
from ..problems import problem, responses
from ..rpc import RemoteError
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/pagu-skpd", tags=["perencanaan"],
                   responses=responses(401, 403))

KodeSkpd = Annotated[str, Path(max_length=40, pattern=r"^[0-9]+(\.[0-9]+)*$", examples=["1.01.0.00.0.00.01.0000"])]


@router.put("/{kode_skpd}", response_model=PaguSkpdOut, responses=responses(400, 404, 409, 412, 422, 503, 504),
            summary="Set an SKPD's pagu indikatif ceiling for the year (not below what it already plans)")
async def put(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
              kode_skpd: KodeSkpd, body: PaguSkpdBaru, if_match: IfMatch = None):
    try:
        result = await rpc.call("perencanaan", "set_pagu_skpd", kode_pemda, tahun, kode_skpd,
                                body.model_dump(mode="json"), expected_version=if_match_version(if_match))
    except RemoteError as exc:
        info = exc.exc_args[0] if exc.exc_args and isinstance(exc.exc_args[0], dict) else {}
        if exc.exc_type == "Conflict" and "current_version" in info:
            return problem(412, info["detail"], instance=request.url.path,
                           headers={"ETag": f'"{info["current_version"]}"'})
        raise
    return json_response(result, headers=etag(result))


@router.get("", response_model=Page[PaguSkpdOut], responses=responses(422, 503, 504),
            summary="The year's SKPD ceilings, with what each SKPD plans against them")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                kode_skpd: Annotated[str | None, Query(max_length=40, description="Only this SKPD's.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("perencanaan", "list_pagu_skpd", kode_pemda, tahun, kode_skpd=kode_skpd)
    items = result["items"][paging.offset:paging.offset + paging.per_page]
    return json_response(page_of({"items": items, "total": result["total"]}, paging))
