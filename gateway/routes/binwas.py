"""Binwas: findings the ministry or a regency/city's province records against a pemda, with
recommendations, and the follow-up the pemda answers (accepted or sent back by the supervisor)."""
from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from contracts.pemerintahan import PutusanTemuan, TanggapanTemuan, TemuanBaru, TemuanOut

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/binwas", tags=["pemerintahan"], responses=responses(401, 403))


@router.post("", status_code=201, response_model=TemuanOut, responses=responses(400, 422, 503, 504),
             summary="Record a finding with its recommendation (the ministry, or the pemda's province)")
async def create_temuan(request: Request, rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, body: TemuanBaru,
                        idempotency_key: IdempotencyKey = None):
    item = await rpc.call("pemerintahan", "create_temuan", kode_pemda, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(item, 201, {"Location": f"{request.url.path}/{item['id']}"})


@router.get("", response_model=Page[TemuanOut], responses=responses(422, 503, 504), summary="The pemda's findings")
async def list_temuan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, paging: Paging,
                      tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                      status: Annotated[Literal["terbuka", "ditanggapi", "selesai"] | None, Query()] = None):
    result = await rpc.call("pemerintahan", "list_temuan", kode_pemda, offset=paging.offset, limit=paging.per_page,
                            tahun=tahun, status=status)
    return json_response(page_of(result, paging))


@router.get("/{id}", response_model=TemuanOut, responses=responses(404, 422, 503, 504), summary="One finding")
async def get_temuan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID):
    return json_response(await rpc.call("pemerintahan", "get_temuan", kode_pemda, str(id)))


@router.post("/{id}/tanggapan", response_model=TemuanOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="The pemda's follow-up of an open finding")
async def answer_temuan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, id: uuid.UUID, body: TanggapanTemuan):
    return json_response(await rpc.call("pemerintahan", "answer_temuan", kode_pemda, str(id),
                                        body.model_dump(mode="json")))


@router.post("/{id}/putusan", response_model=TemuanOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="The supervisor accepts the follow-up (closed) or sends it back (open again)")
async def decide_temuan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: uuid.UUID, body: PutusanTemuan):
    return json_response(await rpc.call("pemerintahan", "decide_temuan", kode_pemda, str(id),
                                        body.model_dump(mode="json")))
