"""The national codification: public, cacheable reads."""
from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request

from services.referensi.contracts import PemdaOut, RekeningOut, SubKegiatanOut

from ..deps import KODE_PEMDA_PATTERN, Rpc
from ..jsonresp import cacheable_body, etag_of
from ..problems import responses

router = APIRouter(prefix="/api/v1/referensi", tags=["referensi"])

KODE = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"
ERRORS = responses(404, 422, 503, 504)


async def _lookup(request: Request, rpc: Rpc, method: str, *args: str):
    """A reference read through the gateway's cache (see gateway/cache.py)."""
    cache = request.app.state.reference_cache
    key = (method, args)
    hit = cache.get(key)
    if hit is None:
        generation = cache.generation
        body = orjson.dumps(await rpc.call("referensi", method, *args))
        hit = (body, etag_of(body))
        cache.put(key, *hit, generation=generation)
    return cacheable_body(request, *hit)


@router.get("/sub-kegiatan/{kode}", response_model=SubKegiatanOut, responses={**ERRORS, 304: {"description": "Not modified"}},
            summary="A sub kegiatan of the national nomenclature, with its kegiatan, program and bidang urusan")
async def get_sub_kegiatan(request: Request, rpc: Rpc,
                           kode: Annotated[str, Path(max_length=30, pattern=KODE, examples=["1.01.02.2.01.0001"])]):
    return await _lookup(request, rpc, "get_sub_kegiatan", kode)


@router.get("/rekening/{kode}", response_model=RekeningOut, responses={**ERRORS, 304: {"description": "Not modified"}},
            summary="An account (kode rekening) of the national chart of accounts")
async def get_rekening(request: Request, rpc: Rpc,
                       kode: Annotated[str, Path(max_length=30, pattern=KODE, examples=["5.1.02.01.01.0024"])]):
    return await _lookup(request, rpc, "get_rekening", kode)


@router.get("/pemda/{kode}", response_model=PemdaOut, responses={**ERRORS, 304: {"description": "Not modified"}},
            summary="A pemda (province or regency/city) by its region code")
async def get_pemda(request: Request, rpc: Rpc,
                    kode: Annotated[str, Path(pattern=KODE_PEMDA_PATTERN, examples=["32.73"])]):
    return await _lookup(request, rpc, "get_pemda", kode)
