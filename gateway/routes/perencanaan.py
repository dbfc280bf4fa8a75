"""RKPD: the sub kegiatan each SKPD plans for a year."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response

from services.perencanaan.contracts import PerubahanSubKegiatan, SubKegiatanBaru, SubKegiatanRkpdOut

from ..deps import KodePemda, Page, Paging, Rpc, Tahun, page_of
from ..jsonresp import json_response
from ..problems import problem, responses
from ..rpc import RemoteError

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/sub-kegiatan", tags=["perencanaan"])

# typed str (not str | None) so the schema has no null: absent is the only "no precondition"
IfMatch = Annotated[str, Header(
    description="The `ETag` (version) last read; the change is refused with 412 if the item has changed since.",
    pattern=r'^(W/)?"?[0-9]{1,9}"?$', examples=['"3"'])]


def _version(if_match: str | None) -> int | None:
    return int(if_match.removeprefix("W/").strip('"')) if if_match else None


def _etag(item: dict) -> dict:
    return {"ETag": f'"{item["version"]}"'}


async def _guarded(request: Request, rpc: Rpc, method: str, *args, if_match: str | None, **kwargs):
    """A change with an optional If-Match: a version mismatch is 412, not 409."""
    try:
        return await rpc.call("perencanaan", method, *args, expected_version=_version(if_match), **kwargs)
    except RemoteError as exc:
        info = exc.exc_args[0] if exc.exc_args and isinstance(exc.exc_args[0], dict) else {}
        if exc.exc_type == "Conflict" and "current_version" in info:
            raise _Precondition(problem(412, info["detail"], instance=request.url.path,
                                        headers={"ETag": f'"{info["current_version"]}"'})) from None
        raise


class _Precondition(Exception):
    def __init__(self, response: Response):
        self.response = response


@router.post("", status_code=201, response_model=SubKegiatanRkpdOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Plan a sub kegiatan for an SKPD in the year's RKPD")
async def create(request: Request, rpc: Rpc, kode_pemda: KodePemda, tahun: Tahun, body: SubKegiatanBaru):
    item = await rpc.call("perencanaan", "create_sub_kegiatan", kode_pemda, tahun, body.model_dump(mode="json"))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}", **_etag(item)})


@router.get("", response_model=Page[SubKegiatanRkpdOut], responses=responses(422, 503, 504),
            summary="The year's RKPD sub kegiatan of a pemda")
async def list_(rpc: Rpc, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                kode_skpd: Annotated[str | None, Query(max_length=40, description="Only this SKPD's items.")] = None,
                perlu_pemetaan: Annotated[bool | None, Query(
                    description="Only the items that need mapping to a current code (true) or those that do not (false).")] = None):
    result = await rpc.call("perencanaan", "list_sub_kegiatan", kode_pemda, tahun,
                            offset=paging.offset, limit=paging.per_page, kode_skpd=kode_skpd,
                            perlu_pemetaan=perlu_pemetaan)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=SubKegiatanRkpdOut, responses=responses(404, 422, 503, 504),
            summary="One RKPD sub kegiatan")
async def get(rpc: Rpc, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    item = await rpc.call("perencanaan", "get_sub_kegiatan", kode_pemda, tahun, str(id))
    return json_response(item, headers=_etag(item))


@router.patch("/{id}", response_model=SubKegiatanRkpdOut, responses=responses(400, 404, 412, 422, 503, 504),
              summary="Change an RKPD sub kegiatan (indikator, target, satuan, pagu indikatif)")
async def update(request: Request, rpc: Rpc, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                 body: PerubahanSubKegiatan, if_match: IfMatch = None):
    try:
        item = await _guarded(request, rpc, "update_sub_kegiatan", kode_pemda, tahun, str(id),
                              body.model_dump(mode="json", exclude_unset=True), if_match=if_match)
    except _Precondition as failed:
        return failed.response
    return json_response(item, headers=_etag(item))


@router.delete("/{id}", status_code=204, response_class=Response, responses=responses(404, 412, 422, 503, 504),
               summary="Delete an RKPD sub kegiatan; its budget lines stay, flagged as without plan")
async def delete(request: Request, rpc: Rpc, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                 if_match: IfMatch = None):
    try:
        await _guarded(request, rpc, "delete_sub_kegiatan", kode_pemda, tahun, str(id), if_match=if_match)
    except _Precondition as failed:
        return failed.response
    return Response(status_code=204)
