"""DPA-SKPD (``/dpa/{tahun}``), issue 13: generated per SKPD from the enacted APBD, its cash plan (anggaran kas)
edited by the SKPD while a draft, authorised by PPKD (TAPD/BPKAD), kept in versions; printed as XLSX and PDF.

Read by every role of the pemda (an SKPD operator: its own SKPD's DPA); TAPD generates and authorises; the SKPD
operator (and TAPD) edits the cash plan. keuangan checks every rule and right again.
"""
from __future__ import annotations

import base64
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from contracts.keuangan import DpaOut, DpaRingkasOut, GenerasiDpaOut, KasBaru, PengesahanDpa
from sipd_common import access

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader
from .dokumen import FILES
from .renstra import KODE_SKPD

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/dpa/{tahun}", tags=["keuangan"], responses=responses(401, 403))

KodeSkpd = Annotated[str, Path(max_length=40, pattern=KODE_SKPD, examples=["1.01.0.00.0.00.01.0000"])]
Versi = Annotated[int, Path(ge=1, le=32767, description="The DPA's version (1 from the enacted APBD).")]
Format = Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")]
_ENACTED = "409 naming `status` before the APBD is enacted."


def _file(result: dict) -> Response:
    return Response(base64.b64decode(result["content"]), media_type=result["content_type"],
                    headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"'})


@router.post("", response_model=GenerasiDpaOut, responses=responses(409, 422, 503, 504),
             summary="Generate the DPA-SKPD of every SKPD of the year from the enacted APBD (versi 1, each line's cash "
                     "plan spread by default); SKPD that have one are left as they are",
             description="TAPD (PPKD). " + _ENACTED + " Default spread: January–November each get the line's total "
                         "/ 12 rounded down to the whole rupiah, December the rest.")
async def generate_all(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                       idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "generate_dpa", kode_pemda, tahun,
                                        idempotency_key=service_key(idempotency_key), timeout=60))


@router.get("", response_model=Page[DpaRingkasOut], responses=responses(422, 503, 504),
            summary="Each SKPD's latest DPA version (an SKPD operator: its own)")
async def list_dpa(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                   kode_skpd: Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD,
                                                          description="Only this SKPD's.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_dpa", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))


@router.post("/skpd/{kode_skpd}", status_code=201, response_model=GenerasiDpaOut,
             responses=responses(404, 409, 422, 503, 504),
             summary="Generate one SKPD's DPA (versi 1) from the enacted APBD",
             description="TAPD (PPKD). " + _ENACTED + " 409 naming `kode_skpd` if the SKPD has its DPA already (a "
                         "change is a new version); 404 if it has no line in the enacted APBD.")
async def generate_one(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd,
                       idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "generate_dpa", kode_pemda, tahun, kode_skpd=kode_skpd,
                                        idempotency_key=service_key(idempotency_key), timeout=60), 201)


@router.get("/skpd/{kode_skpd}", response_model=DpaOut, responses=responses(404, 422, 503, 504),
            summary="An SKPD's latest DPA version with its lines (sub kegiatan × account) and their cash plan")
async def get_dpa(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd):
    return json_response(await rpc.call("keuangan", "get_dpa", kode_pemda, tahun, kode_skpd))


@router.put("/skpd/{kode_skpd}/kas", response_model=DpaOut, responses=responses(400, 404, 409, 422, 503, 504),
            summary="Plan the months of some lines of the draft DPA (anggaran kas): 12 months adding up to each line "
                    "exactly",
            description="The SKPD's operator (its own SKPD) or TAPD. 422 naming `baris.<i>.kas` when the months do not "
                        "add up to the line (or are not 12, or negative), `baris.<i>.kode_rekening` for a line the DPA "
                        "lacks: nothing changed. 409 naming `status` once authorised, `versi` if `versi` is not the "
                        "latest.")
async def ubah_kas(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd,
                   body: KasBaru):
    return json_response(await rpc.call("keuangan", "ubah_kas_dpa", kode_pemda, tahun, kode_skpd,
                                        body.model_dump(mode="json")))


@router.post("/skpd/{kode_skpd}/pengesahan", response_model=DpaOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="PPKD authorises the draft DPA version: locked for good, the version before superseded, "
                     "`dpa.disahkan` published",
             description="TAPD (PPKD). 409 naming `status` unless a draft, `versi` unless the latest.")
async def sahkan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd,
                 body: PengesahanDpa):
    return json_response(await rpc.call("keuangan", "sahkan_dpa", kode_pemda, tahun, kode_skpd,
                                        body.model_dump(mode="json")))


@router.get("/skpd/{kode_skpd}/versi", response_model=Page[DpaRingkasOut], responses=responses(422, 503, 504),
            summary="Every version of an SKPD's DPA, the first first (each kept as it was)")
async def list_versi(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd,
                     paging: Paging):
    result = await rpc.call("keuangan", "list_versi_dpa", kode_pemda, tahun, kode_skpd)
    items = result["items"][paging.offset:paging.offset + paging.per_page]
    return json_response(page_of({"items": items, "total": result["total"]}, paging))


@router.get("/skpd/{kode_skpd}/versi/{versi}", response_model=DpaOut, responses=responses(404, 422, 503, 504),
            summary="One version of an SKPD's DPA, as it was made or authorised")
async def get_versi(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd,
                    versi: Versi):
    return json_response(await rpc.call("keuangan", "get_dpa", kode_pemda, tahun, kode_skpd, versi=versi))


@router.get("/skpd/{kode_skpd}/dokumen/{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="The DPA-SKPD as printed (XLSX or PDF): spending per sub kegiatan and account, and the cash plan "
                    "per month, with their totals")
async def dokumen(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd,
                  format: Format, versi: Annotated[int | None, Query(ge=1, le=32767, description=(
                      "That version; the latest when left out."))] = None):
    return _file(await rpc.call("keuangan", "dokumen_dpa", kode_pemda, tahun, kode_skpd, format, versi=versi,
                                timeout=60))
