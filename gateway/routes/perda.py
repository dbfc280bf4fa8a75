"""The register of regional regulations (Perda, Perkada) and their lifecycle; enacted ones are public.

A pemda's own steps are its own (its administrator, Bappeda, TAPD; the DPRD records the joint
approval); fasilitasi, evaluasi and the noreg are the level above's (the province for a regency/city,
the ministry for a province), so the province administrator reaches its regencies' regulations here:
the gateway lets through whoever may read the pemda, and pemerintahan decides who takes which step.
"""
from __future__ import annotations

import base64
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from contracts.pemerintahan import PerdaBaru, PerdaLangkah, PerdaOut, StatusPerda
from sipd_common.audit import AuditEntryOut

from ..deps import KODE_PEMDA_PATTERN, IdempotencyKey, KodePemda, Page, Paging, Rpc, page_of, service_key
from ..jsonresp import json_response
from ..limits import LAMPIRAN_MAX_BYTES
from ..problems import problem, responses
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/perda", tags=["pemerintahan"], responses=responses(401, 403))
public = APIRouter(prefix="/api/v1/publik/perda", tags=["pemerintahan"])

TahunQuery = Annotated[int | None, Query(ge=2000, le=2100, description="Only the regulations of this year.")]


@router.post("", status_code=201, response_model=PerdaOut, responses=responses(400, 422, 503, 504),
             summary="Enter a regulation (Perda or Perkada) in the register, as a draft")
async def create_perda(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, body: PerdaBaru,
                       idempotency_key: IdempotencyKey = None):
    item = await rpc.call("pemerintahan", "create_perda", kode_pemda, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}"})


@router.get("", response_model=Page[PerdaOut], responses=responses(422, 503, 504),
            summary="The pemda's regulations, every state")
async def list_perda(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, paging: Paging, tahun: TahunQuery = None,
                     status: Annotated[StatusPerda | None, Query(description="Only those in this state.")] = None):
    result = await rpc.call("pemerintahan", "list_perda", kode_pemda, offset=paging.offset, limit=paging.per_page,
                            tahun=tahun, status=status)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=PerdaOut, responses=responses(404, 422, 503, 504),
            summary="One regulation: its state, the next step and who takes it, its history and attachments")
async def get_perda(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID):
    return json_response(await rpc.call("pemerintahan", "get_perda", kode_pemda, str(id)))


@router.post("/{id}/tahap", response_model=PerdaOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Take the next step of the regulation's path (out of order: 409; by the wrong level: 403)",
             description="Perda: `pembahasan_dprd` → `fasilitasi` (level above) → `persetujuan_bersama` → "
                         "`evaluasi` (level above; APBD, pajak, retribusi, RTRW, RPJPD, RPJMD only) → `noreg` "
                         "(level above; numbered per province and year) → `ditetapkan` (nomor, tanggal) → "
                         "`diundangkan` (Lembaran Daerah nomor, tanggal). Perkada: `harmonisasi` → `ditetapkan` → "
                         "`diundangkan` (Berita Daerah).")
async def step_perda(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID, body: PerdaLangkah):
    return json_response(await rpc.call("pemerintahan", "step_perda", kode_pemda, str(id),
                                        body.model_dump(mode="json")))


@router.post("/{id}/lampiran", response_model=PerdaOut, responses=responses(400, 404, 409, 413, 422, 503, 504),
             summary="Attach the signed PDF (stored with its SHA-256; at most SIPD_LAMPIRAN_MAX_BYTES)",
             description="Each attachment is added: sent again with its `Idempotency-Key` (a retry), the same file is "
                         "attached once.")
async def attach_perda(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID,
                       file: Annotated[UploadFile, File(description="The signed regulation, a PDF.")],
                       idempotency_key: IdempotencyKey = None):
    content = await file.read(LAMPIRAN_MAX_BYTES + 1)
    if len(content) > LAMPIRAN_MAX_BYTES:
        return problem(413, f"the attachment is larger than {LAMPIRAN_MAX_BYTES} bytes",
                       [{"field": "file", "message": f"at most {LAMPIRAN_MAX_BYTES} bytes"}], request.url.path)
    return json_response(await rpc.call("pemerintahan", "attach_perda", kode_pemda, str(id), file.filename or "",
                                        base64.b64encode(content).decode("ascii"),
                                        idempotency_key=service_key(idempotency_key)))


def _pdf(result: dict) -> Response:
    return Response(base64.b64decode(result["isi"]), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{result["id"]}.pdf"', "Digest": f"sha-256={result['sha256']}",
        "X-Checksum-SHA256": result["sha256"]})


PDF = {200: {"content": {"application/pdf": {}}, "description": "The PDF as stored."}}


@router.get("/{id}/lampiran/{lampiran_id}", response_class=Response, responses={**PDF, **responses(404, 422, 503, 504)},
            summary="An attachment of the regulation, as stored")
async def get_lampiran(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID, lampiran_id: uuid.UUID):
    return _pdf(await rpc.call("pemerintahan", "get_perda_lampiran", kode_pemda, str(id), str(lampiran_id)))


@router.get("/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one regulation, oldest first: who, when, before and after")
async def perda_audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID, paging: Paging):
    result = await rpc.call("pemerintahan", "get_perda_audit", kode_pemda, str(id), offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


# -- public: enacted regulations ----------------------------------------------------------------------------
@public.get("", response_model=Page[PerdaOut], responses=responses(422, 503, 504),
            summary="Enacted regulations of every pemda (public)")
async def list_perda_publik(rpc: Rpc, paging: Paging, tahun: TahunQuery = None,
                            kode_pemda: Annotated[str | None, Query(pattern=KODE_PEMDA_PATTERN)] = None):
    result = await rpc.call("pemerintahan", "list_perda_publik", offset=paging.offset, limit=paging.per_page,
                            kode_pemda=kode_pemda, tahun=tahun)
    return json_response(page_of(result, paging))


@public.get("/{id}", response_model=PerdaOut, responses=responses(404, 422, 503, 504),
            summary="An enacted regulation (public); one not enacted is not found")
async def get_perda_publik(rpc: Rpc, id: uuid.UUID):
    return json_response(await rpc.call("pemerintahan", "get_perda_publik", str(id)))


@public.get("/{id}/lampiran/{lampiran_id}", response_class=Response,
            responses={**PDF, **responses(404, 422, 503, 504)}, summary="The signed PDF of an enacted regulation (public)")
async def get_lampiran_publik(rpc: Rpc, id: uuid.UUID, lampiran_id: uuid.UUID):
    return _pdf(await rpc.call("pemerintahan", "get_perda_lampiran_publik", str(id), str(lampiran_id)))

