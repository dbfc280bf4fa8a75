"""RPJMD: a pemda's five-year plan (visi, misi, tujuan, sasaran with indicators and yearly targets, priority
programs with their SKPD and indicative funding).

Read by every role of the pemda; made and changed by Bappeda (and the pusat administrator). perencanaan
checks again, and checks the codes against its replica of the codification.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request

from contracts.perencanaan import (
    IsiRpjmd, KonsistensiRpjmdOut, PenetapanRpjmd, PerubahanRpjmd, RpjmdBaru, RpjmdDitetapkanOut,
    RpjmdDitetapkanRingkasOut, RpjmdOut, RpjmdRingkasOut,
)
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, IfMatch, KodePemda, Page, Paging, Rpc, etag, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader
from .perencanaan import guarded_write

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rpjmd", tags=["perencanaan"], responses=responses(401, 403))


@router.post("", status_code=201, response_model=RpjmdOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Make the pemda's RPJMD for a five-year period (Bappeda)",
             description="Refused (422, naming the field) for a period other than five years, a target or funding "
                         "for a year outside it, a program the responsible SKPD does not serve or the pemda's level "
                         "has no kegiatan for; 409 when the period overlaps another RPJMD of the pemda.")
async def create(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, body: RpjmdBaru,
                 idempotency_key: IdempotencyKey = None):
    item = await rpc.call("perencanaan", "create_rpjmd", kode_pemda, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}", **etag(item)})


@router.get("", response_model=Page[RpjmdRingkasOut], responses=responses(422, 503, 504),
            summary="The pemda's RPJMD, newest period first")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, paging: Paging):
    result = await rpc.call("perencanaan", "list_rpjmd", kode_pemda, offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=RpjmdOut, responses=responses(404, 422, 503, 504), summary="One RPJMD, whole")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID):
    item = await rpc.call("perencanaan", "get_rpjmd", kode_pemda, str(id))
    return json_response(item, headers=etag(item))


@router.put("/{id}", response_model=RpjmdOut, responses=responses(400, 404, 409, 412, 422, 503, 504),
            summary="Replace an RPJMD's content (visi, misi and below; the period stays)",
            description="The same rules as its making; 409 when it drops a sasaran a Renstra serves.")
async def update(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID,
                 body: IsiRpjmd, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "update_rpjmd", kode_pemda, str(id), body.model_dump(mode="json"),
                               if_match=if_match)


@router.get("/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one RPJMD, oldest first: who, when, before and after")
async def audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID, paging: Paging):
    result = await rpc.call("perencanaan", "get_rpjmd_audit", kode_pemda, str(id), offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.get("/{id}/konsistensi", response_model=KonsistensiRpjmdOut, responses=responses(404, 422, 503, 504),
            summary="How an RPJMD and the Renstra following it agree: what is still inconsistent",
            description="Sasaran no Renstra serves, SKPD responsible for a priority program without a Renstra, "
                        "priority programs missing from their SKPD's Renstra, a Renstra planning more for a program "
                        "than the RPJMD's indicative funding, Renstra targets that differ from the RPJMD's without a "
                        "note, indicators lacking targets for years of the period, Renstra not yet verified. An "
                        "SKPD operator sees its own SKPD's findings and the RPJMD's.")
async def konsistensi(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID):
    return json_response(await rpc.call("perencanaan", "get_konsistensi_rpjmd", kode_pemda, str(id)))


@router.post("/{id}/penetapan", response_model=RpjmdOut, responses=responses(400, 404, 409, 412, 422, 503, 504),
             summary="Enact the RPJMD by its Perda: kept as enacted, it no longer changes (Bappeda)",
             description="422 when an indicator lacks a target for a year of the period; 409 when enacted already.")
async def enact(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID,
                body: PenetapanRpjmd, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "enact_rpjmd", kode_pemda, str(id), body.model_dump(mode="json"),
                               if_match=if_match)


@router.post("/{id}/perubahan", response_model=RpjmdOut, responses=responses(400, 404, 409, 412, 422, 503, 504),
             summary="Open an enacted RPJMD for revision, saying why; its enacted versions stay (Bappeda)")
async def revise(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID,
                 body: PerubahanRpjmd, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "revise_rpjmd", kode_pemda, str(id), body.model_dump(mode="json"),
                               if_match=if_match)


@router.get("/{id}/penetapan", response_model=Page[RpjmdDitetapkanRingkasOut], responses=responses(404, 422, 503, 504),
            summary="Every enacted version of an RPJMD, oldest first")
async def list_enacted(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID):
    result = await rpc.call("perencanaan", "list_rpjmd_ditetapkan", kode_pemda, str(id))
    return json_response({**result, "page": 1, "per_page": max(len(result["items"]), 1)})


@router.get("/{id}/penetapan/{revisi}", response_model=RpjmdDitetapkanOut, responses=responses(404, 422, 503, 504),
            summary="One enacted version of an RPJMD, whole, as enacted (never changes)")
async def get_enacted(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID,
                      revisi: Annotated[int, Path(ge=1, le=1000)]):
    return json_response(await rpc.call("perencanaan", "get_rpjmd_ditetapkan", kode_pemda, str(id), revisi))
