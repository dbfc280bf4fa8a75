"""RKPD: the sub kegiatan each SKPD plans for a year.

Read by every role of the pemda (an SKPD operator: its own SKPD's items); written by Bappeda and by
an SKPD operator for its own SKPD (and by the pusat administrator). perencanaan checks again.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from contracts.perencanaan import PerubahanSubKegiatan, SubKegiatanBaru, SubKegiatanRkpdOut
from sipd_common import access
from sipd_common.audit import AuditEntryOut

from ..deps import (
    IdempotencyKey, IfMatch, KodePemda, Page, Paging, Rpc, Tahun, etag, if_match_version, page_of, service_key,
)
from ..jsonresp import json_response
from ..problems import problem, responses
from ..rpc import RemoteError
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/sub-kegiatan", tags=["perencanaan"],
                   responses=responses(401, 403))


async def _guarded(request: Request, rpc: Rpc, method: str, *args, if_match: str | None, **kwargs):
    """A change with an optional If-Match: a version mismatch is 412, not 409."""
    try:
        return await rpc.call("perencanaan", method, *args, expected_version=if_match_version(if_match), **kwargs)
    except RemoteError as exc:
        info = exc.exc_args[0] if exc.exc_args and isinstance(exc.exc_args[0], dict) else {}
        if exc.exc_type == "Conflict" and "current_version" in info:
            raise _Precondition(problem(412, info["detail"], instance=request.url.path,
                                        headers={"ETag": f'"{info["current_version"]}"'})) from None
        raise


class _Precondition(Exception):
    def __init__(self, response: Response):
        self.response = response


async def guarded_write(request: Request, rpc: Rpc, method: str, *args, if_match: str | None) -> Response:
    """A change with an optional If-Match answered with the record and its ETag (412 on a version mismatch): what
    every perencanaan route changing one record answers."""
    try:
        item = await _guarded(request, rpc, method, *args, if_match=if_match)
    except _Precondition as failed:
        return failed.response
    return json_response(item, headers=etag(item))


@router.post("", status_code=201, response_model=SubKegiatanRkpdOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Plan a sub kegiatan for an SKPD in the year's RKPD",
             description="422 (`kode_sasaran_renstra`) when the open stage requires the Renstra sasaran the item "
                         "serves and none is given, or when it is not a sasaran of the SKPD's verified Renstra "
                         "covering the year; 422 (`lokasi.<i>`) for a location outside the pemda or not a region "
                         "the codification holds (503 while perencanaan's replica of the regions is still being "
                         "filled).")
async def create(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                 body: SubKegiatanBaru, idempotency_key: IdempotencyKey = None):
    item = await rpc.call("perencanaan", "create_sub_kegiatan", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}", **etag(item)})


@router.get("", response_model=Page[SubKegiatanRkpdOut], responses=responses(422, 503, 504),
            summary="The year's RKPD sub kegiatan of a pemda (an SKPD operator sees its own SKPD's)")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                kode_skpd: Annotated[str | None, Query(max_length=40, description="Only this SKPD's items.")] = None,
                perlu_pemetaan: Annotated[bool | None, Query(
                    description="Only the items that need mapping to a current code (true) or those that do not (false).")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("perencanaan", "list_sub_kegiatan", kode_pemda, tahun,
                            offset=paging.offset, limit=paging.per_page, kode_skpd=kode_skpd,
                            perlu_pemetaan=perlu_pemetaan)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=SubKegiatanRkpdOut, responses=responses(404, 422, 503, 504),
            summary="One RKPD sub kegiatan")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    item = await rpc.call("perencanaan", "get_sub_kegiatan", kode_pemda, tahun, str(id))
    return json_response(item, headers=etag(item))


@router.get("/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one RKPD sub kegiatan, oldest first: who, when, before and after")
async def audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID, paging: Paging):
    result = await rpc.call("perencanaan", "get_sub_kegiatan_audit", kode_pemda, tahun, str(id),
                            offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.patch("/{id}", response_model=SubKegiatanRkpdOut,
              responses=responses(400, 404, 409, 412, 422, 503, 504),
              summary="Change an RKPD sub kegiatan (indikator, target, satuan, pagu indikatif, sasaran, ...)",
              description="409 naming `tahun` when no stage of the year's schedule is open now (locked, not yet "
                          "open, its window over), naming `status` while the SKPD's Renja is submitted or verified. "
                          "In the stages that require it (rancangan akhir, penetapan), a change that "
                          "leaves the item without `kode_sasaran_renstra` is 422 naming it: give it in the same "
                          "change.")
async def update(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                 id: uuid.UUID, body: PerubahanSubKegiatan, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "update_sub_kegiatan", kode_pemda, tahun, str(id),
                               body.model_dump(mode="json", exclude_unset=True), if_match=if_match)


@router.delete("/{id}", status_code=204, response_class=Response,
               responses=responses(404, 409, 412, 422, 503, 504),
               summary="Delete an RKPD sub kegiatan; its budget lines stay, flagged as without plan",
               description="409 naming `tahun` when no stage of the year's schedule is open now, naming `status` "
                           "while the SKPD's Renja is submitted or verified.")
async def delete(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                 id: uuid.UUID, if_match: IfMatch = None):
    try:
        await _guarded(request, rpc, "delete_sub_kegiatan", kode_pemda, tahun, str(id), if_match=if_match)
    except _Precondition as failed:
        return failed.response
    return Response(status_code=204)
