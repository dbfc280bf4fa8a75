"""Proposals (usulan) to a year's RKPD: musrenbang proposals of the desa/kelurahan (entered by Bappeda) and
DPRD members' pokir (each member its own), recommended level by level along their chain, and the RKPD item
that answers an accepted one.

Read by every role of the pemda (an SKPD operator: the proposals concerning its own SKPD); the public reads
none (nothing of it is published). perencanaan checks again, and decides who acts at which level.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from contracts.perencanaan import (
    KODE_SKPD, JenisUsulan, PerubahanUsulan, StatusUsulan, TautanUsulan, UsulanBaru, UsulanOut, VerifikasiUsulan,
)
from sipd_common import access
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, IfMatch, KodePemda, Page, Paging, Rpc, Tahun, etag, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader
from .perencanaan import guarded_write

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/usulan/{tahun}", tags=["perencanaan"],
                   responses=responses(401, 403))

WRITE_ERRORS = responses(400, 404, 409, 412, 422, 503, 504)
READ_ERRORS = responses(404, 422, 503, 504)
KodeSkpd = Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD, description="Only this SKPD's.")]


@router.get("", response_model=Page[UsulanOut], responses=responses(422, 503, 504),
            summary="The year's proposals, oldest first (an SKPD operator sees those of its own SKPD)")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                jenis: JenisUsulan | None = None, status: StatusUsulan | None = None, kode_skpd: KodeSkpd = None,
                tingkat: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z][a-z0-9_]*$",
                                                     description="Only those awaiting this level.")] = None,
                rkpd_id: Annotated[uuid.UUID | None, Query(description="Only those this RKPD item answers.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("perencanaan", "list_usulan", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, jenis=jenis and str(jenis), status=status and str(status),
                            kode_skpd=kode_skpd, tingkat=tingkat, rkpd_id=rkpd_id and str(rkpd_id))
    return json_response(page_of(result, paging))


@router.post("", status_code=201, response_model=UsulanOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Enter a proposal as a draft: a desa/kelurahan's musrenbang proposal (Bappeda) or a DPRD "
                     "member's own pokir",
             description="Refused (422, naming the field) for a desa/kelurahan outside the pemda, a lokasi outside "
                         "it, a desa/kelurahan or lokasi the codification does not hold, an SKPD that is not the pemda's or a sub kegiatan not in the codification (or "
                         "retired); 403 for a DPRD member entering a musrenbang proposal; 409 (naming `tahun`) "
                         "outside the RKPD stages in which proposals are written.")
async def create(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                 body: UsulanBaru, idempotency_key: IdempotencyKey = None):
    item = await rpc.call("perencanaan", "create_usulan", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}", **etag(item)})


@router.get("/{id}", response_model=UsulanOut, responses=READ_ERRORS, summary="One proposal, with its way so far")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    item = await rpc.call("perencanaan", "get_usulan", kode_pemda, tahun, str(id))
    return json_response(item, headers=etag(item))


@router.put("/{id}", response_model=UsulanOut, responses=WRITE_ERRORS,
            summary="Replace a proposal's content while its proposer holds it (draft, or returned)",
            description="The same rules as its entry; 409 (naming `status`) once submitted.")
async def update(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                 body: PerubahanUsulan, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "update_usulan", kode_pemda, tahun, str(id), body.model_dump(mode="json"),
                        if_match=if_match)


@router.post("/{id}/ajukan", response_model=UsulanOut, responses=WRITE_ERRORS,
             summary="Submit a proposal to the first level of its chain (its proposer)")
async def submit(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                 if_match: IfMatch = None):
    return await guarded_write(request, rpc, "submit_usulan", kode_pemda, tahun, str(id), if_match=if_match)


@router.post("/{id}/verifikasi", response_model=UsulanOut, responses=WRITE_ERRORS,
             summary="The level a proposal awaits recommends it (accepts it, at the last), rejects it or returns it",
             description="403 (naming `tingkat`) for a caller who is not the verifier of the level it awaits; 422 "
                         "(naming `alasan`) to reject or return without a reason; 409 (naming `status`) when no "
                         "level awaits it.")
async def verify(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                 body: VerifikasiUsulan, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "verify_usulan", kode_pemda, tahun, str(id), body.model_dump(mode="json"),
                        if_match=if_match)


@router.put("/{id}/rkpd", response_model=UsulanOut, responses=WRITE_ERRORS,
            summary="Link an accepted proposal to the RKPD item (same pemda and year) that answers it",
            description="409 (naming `rkpd_id`) once the year's RKPD is enacted, until a perubahan opens.")
async def link(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
               body: TautanUsulan, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "link_usulan", kode_pemda, tahun, str(id), body.model_dump(mode="json"),
                        if_match=if_match)


@router.delete("/{id}/rkpd", response_model=UsulanOut, responses=WRITE_ERRORS,
               summary="Unlink a proposal from its RKPD item, before the RKPD is enacted")
async def unlink(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                 if_match: IfMatch = None):
    return await guarded_write(request, rpc, "unlink_usulan", kode_pemda, tahun, str(id), if_match=if_match)


@router.get("/{id}/audit", response_model=Page[AuditEntryOut], responses=READ_ERRORS,
            summary="Every write to one proposal, oldest first: who, when, before and after")
async def audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID, paging: Paging):
    result = await rpc.call("perencanaan", "get_usulan_audit", kode_pemda, tahun, str(id),
                            offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))
