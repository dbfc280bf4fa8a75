"""Code mapping: the RKPD items whose codes the codification retired, and the berita acara that maps them to
current codes — drafted by Bappeda (proposed from the crosswalk), edited while a draft, signed (numbered,
dated, who agreed; it then never changes and the items take their new codes).

Read by every role of the pemda; written by Bappeda (and the pusat administrator). perencanaan checks again.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from contracts.perencanaan import (
    BeritaAcaraBaru, BeritaAcaraOut, BeritaAcaraRingkasOut, PasanganKodeOut, PenandatangananBeritaAcara,
    PerubahanBeritaAcara,
)

from ..deps import IdempotencyKey, IfMatch, KodePemda, Page, Paging, Rpc, Tahun, etag, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader
from .perencanaan import guarded_write

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/berita-acara", tags=["perencanaan"],
                   responses=responses(401, 403))


@router.get("/perlu-pemetaan/{tahun}", response_model=Page[PasanganKodeOut], responses=responses(422, 503, 504),
            summary="The year's RKPD items needing mapping, each with the replacement the crosswalk proposes",
            description="An SKPD operator sees its own SKPD's items.")
async def perlu_pemetaan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("perencanaan", "list_perlu_pemetaan", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.post("", status_code=201, response_model=BeritaAcaraOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Draft the year's berita acara of code mapping, proposed from the items needing mapping (Bappeda)",
             description="Every item of the year needing mapping is listed; where the crosswalk gives exactly one "
                         "replacement it is proposed. 422 (`tahun`) when no item of the year needs mapping.")
async def create(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, body: BeritaAcaraBaru,
                 idempotency_key: IdempotencyKey = None):
    item = await rpc.call("perencanaan", "create_berita_acara", kode_pemda, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}", **etag(item)})


@router.get("", response_model=Page[BeritaAcaraRingkasOut], responses=responses(422, 503, 504),
            summary="The pemda's berita acara of code mapping, newest year first")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, paging: Paging,
                tahun: Annotated[int | None, Query(ge=2000, le=2100, description="Only this year's.")] = None):
    result = await rpc.call("perencanaan", "list_berita_acara", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=BeritaAcaraOut, responses=responses(404, 422, 503, 504),
            summary="One berita acara: its pairs old→new, who agreed, number, date and hash once signed")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID):
    item = await rpc.call("perencanaan", "get_berita_acara", kode_pemda, str(id))
    return json_response(item, headers=etag(item))


@router.put("/{id}", response_model=BeritaAcaraOut, responses=responses(400, 404, 409, 412, 422, 503, 504),
            summary="Replace a draft's pairs (Bappeda)",
            description="Each pair a flagged item of the year, listed once; a new code left out keeps the proposal. "
                        "422 naming the pair's field for a code retired or unknown, of a bidang urusan the SKPD does "
                        "not serve, for the other level of government, or already planned by that SKPD in the year; "
                        "409 (`status`) once signed.")
async def update(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID,
                 body: PerubahanBeritaAcara, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "update_berita_acara", kode_pemda, str(id), body.model_dump(mode="json"),
                               if_match=if_match)


@router.post("/{id}/penandatanganan", response_model=BeritaAcaraOut,
             responses=responses(400, 404, 409, 412, 422, 503, 504),
             summary="Sign a draft: numbered and dated, it never changes; its items take the new codes (Bappeda)",
             description="In one transaction: numbered per pemda and year without gaps, who agreed recorded, "
                         "content-hashed; each item gets its new codes, its flag cleared and a new version, published "
                         "(keuangan's ceilings and the reports follow). 422 naming the pair for an undecided or "
                         "disallowed code; 409 (`status`) when signed already, (`pasangan.<i>.rkpd_id`) when an item "
                         "no longer needs that mapping.")
async def sign(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID,
               body: PenandatangananBeritaAcara, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "sign_berita_acara", kode_pemda, str(id), body.model_dump(mode="json"),
                               if_match=if_match)
