"""Renstra: an SKPD's five-year plan for the period of its pemda's RPJMD, each sasaran serving an RPJMD
sasaran; programs, kegiatan and sub kegiatan with indicators, yearly targets and indicative funding.

Made, changed and submitted by the SKPD's operator (and the pusat administrator); verified or returned by
Bappeda. Read by every role of the pemda, an SKPD operator its own SKPD's only. perencanaan checks again.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from contracts.perencanaan import IsiRenstra, RenstraBaru, RenstraOut, RenstraRingkasOut, VerifikasiRenstra
from sipd_common import access
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, IfMatch, KodePemda, Page, Paging, Rpc, etag, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader
from .perencanaan import guarded_write

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/renstra", tags=["perencanaan"], responses=responses(401, 403))

KODE_SKPD = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"
KodeSkpd = Annotated[str, Path(max_length=40, pattern=KODE_SKPD, description="Organisation code of the SKPD.",
                               examples=["1.01.0.00.0.00.01.0000"])]
ERRORS = responses(400, 404, 409, 412, 422, 503, 504)


@router.get("", response_model=Page[RenstraRingkasOut], responses=responses(422, 503, 504),
            summary="The pemda's Renstra (an SKPD operator sees its own SKPD's), newest period first")
async def list_all(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, paging: Paging,
                   kode_skpd: Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD)] = None,
                   rpjmd_id: Annotated[uuid.UUID | None, Query(description="Only those following this RPJMD.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("perencanaan", "list_renstra", kode_pemda, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd, rpjmd_id=rpjmd_id and str(rpjmd_id))
    return json_response(page_of(result, paging))


@router.post("/{kode_skpd}", status_code=201, response_model=RenstraOut,
             responses=responses(400, 404, 409, 422, 503, 504),
             summary="Make an SKPD's Renstra for the period of one of the pemda's RPJMD (the SKPD)",
             description="Refused (422, naming the field) for an RPJMD that is not the pemda's, a sasaran the RPJMD "
                         "does not have, a target or funding outside its period, a code the SKPD's bidang urusan "
                         "or the pemda's level does not allow, children planning more than their parent's pagu; "
                         "409 when the SKPD has a Renstra for that RPJMD already.")
async def create(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, kode_skpd: KodeSkpd,
                 body: RenstraBaru, idempotency_key: IdempotencyKey = None):
    item = await rpc.call("perencanaan", "create_renstra", kode_pemda, kode_skpd, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}", **etag(item)})


@router.get("/{kode_skpd}", response_model=Page[RenstraRingkasOut], responses=responses(422, 503, 504),
            summary="An SKPD's Renstra, one per RPJMD period, newest first")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, kode_skpd: KodeSkpd, paging: Paging):
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    result = await rpc.call("perencanaan", "list_renstra", kode_pemda, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))


@router.get("/{kode_skpd}/{id}", response_model=RenstraOut, responses=responses(404, 422, 503, 504),
            summary="One Renstra, whole")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, kode_skpd: KodeSkpd, id: uuid.UUID):
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    item = await rpc.call("perencanaan", "get_renstra", kode_pemda, kode_skpd, str(id))
    return json_response(item, headers=etag(item))


@router.put("/{kode_skpd}/{id}", response_model=RenstraOut, responses=ERRORS,
            summary="Replace a Renstra's content, while a draft or returned (the SKPD)",
            description="The same rules as its making; 409 once submitted or verified.")
async def update(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, kode_skpd: KodeSkpd,
                 id: uuid.UUID, body: IsiRenstra, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "update_renstra", kode_pemda, kode_skpd, str(id),
                               body.model_dump(mode="json"), if_match=if_match)


@router.post("/{kode_skpd}/{id}/ajukan", response_model=RenstraOut, responses=ERRORS,
             summary="Submit a Renstra to Bappeda for verification (the SKPD)")
async def submit(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, kode_skpd: KodeSkpd,
                 id: uuid.UUID, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "submit_renstra", kode_pemda, kode_skpd, str(id), if_match=if_match)


@router.post("/{kode_skpd}/{id}/verifikasi", response_model=RenstraOut, responses=ERRORS,
             summary="Verify a submitted Renstra, or return it to the SKPD with a note (Bappeda)")
async def verify(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, kode_skpd: KodeSkpd,
                 id: uuid.UUID, body: VerifikasiRenstra, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "verify_renstra", kode_pemda, kode_skpd, str(id),
                               body.model_dump(mode="json"), if_match=if_match)


@router.get("/{kode_skpd}/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one Renstra, oldest first: who, when, before and after")
async def audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, kode_skpd: KodeSkpd, id: uuid.UUID,
                paging: Paging):
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    result = await rpc.call("perencanaan", "get_renstra_audit", kode_pemda, kode_skpd, str(id),
                            offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))
