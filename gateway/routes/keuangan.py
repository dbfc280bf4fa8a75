"""APBD: ceilings (plafon) from the plan, budget lines (rincian) under them.

Read by every role of the pemda (an SKPD operator: its own SKPD's); lines are written by TAPD/BPKAD
and by an SKPD operator under its own SKPD's ceilings (and by the pusat administrator). A line
belongs to the SKPD of its ceiling's RKPD item; keuangan checks it.
"""
from __future__ import annotations

import base64
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from contracts.keuangan import (
    AnggaranBaru, AnggaranOut, ApbdDitetapkanOut, ApbdOut, EvaluasiApbd, PenetapanApbd, PlafonOut, RasioApbdOut,
    RincianBaru, RincianOut, RingkasanApbdOut, RingkasanMenurutOut,
)
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaEvaluator, PemdaReader
from .dokumen import FILES

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/apbd/{tahun}", tags=["keuangan"], responses=responses(401, 403))


@router.get("/plafon", response_model=Page[PlafonOut], responses=responses(422, 503, 504),
            summary="The ceilings of the year, one per RKPD sub kegiatan, with what is budgeted under each")
async def list_plafon(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_plafon", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.post("/rincian", status_code=201, response_model=RincianOut, responses=responses(400, 409, 422, 503, 504),
             summary="Add a budget line; refused if the account is not a belanja sub rincian objek or the ceiling would be exceeded",
             deprecated=True,
             description="Kept for compatibility: a line without a standard-price component, its amount exact. "
                         "Its account's flags (`tanda_rekening`) hold as on an RKA line: 422 naming `kode_rekening` "
                         "(an ASN salary outside its own sub kegiatan), `penerima` (hibah, bansos) or `lokasi` "
                         "(a land purchase). "
                         "An RKA-SKPD line is `POST /api/v1/pemda/{kode_pemda}/rka/{tahun}/rincian`.")
async def create_rincian(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                         body: RincianBaru, idempotency_key: IdempotencyKey = None):
    line = await rpc.call("keuangan", "create_rincian", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(line, 201, {"Location": f"{request.url.path}/{line['id']}"})


@router.get("/rincian", response_model=Page[RincianOut], responses=responses(422, 503, 504),
            summary="The year's budget lines, each with the state of its ceiling")
async def list_rincian(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                       rkpd_id: Annotated[uuid.UUID | None, Query(description="Only the lines under this RKPD item.")] = None):
    result = await rpc.call("keuangan", "list_rincian", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, rkpd_id=str(rkpd_id) if rkpd_id else None)
    return json_response(page_of(result, paging))


@router.get("/rincian/{id}", response_model=RincianOut, responses=responses(404, 422, 503, 504),
            summary="One budget line, with the state of its ceiling")
async def get_rincian(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_rincian", kode_pemda, tahun, str(id)))


@router.get("/rincian/{id}/audit", response_model=Page[AuditEntryOut], responses=responses(404, 422, 503, 504),
            summary="Every write to one budget line, oldest first: who, when, before and after")
async def rincian_audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                        paging: Paging):
    result = await rpc.call("keuangan", "get_rincian_audit", kode_pemda, tahun, str(id),
                            offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))


# == the APBD: revenue and financing, its summary and legal ratios, evaluation and enactment ==================
# Written by TAPD (the PPKD's revenue, transfers and financing) and an SKPD operator (its own SKPD's PAD); read
# by every role of the pemda (the summary and ratios aggregate the pemda); evaluated by the level above.
_CLOSED = ("; 409 naming `status` while the APBD is with its evaluator, evaluated `sesuai`, or enacted (a change "
           "to an enacted budget is the APBD-P's)")
Sumber = Annotated[Literal["draft", "ditetapkan"], Query(
    description="`draft`: computed from the lines as they stand; `ditetapkan`: as enacted (404 before).")]


@router.post("/pendapatan", status_code=201, response_model=AnggaranOut, responses=responses(400, 409, 422, 503, 504),
             summary="Add a revenue target (pendapatan) on a 4.x account, per SKPD (transfers: the PPKD's)",
             description="Refused (422, naming the field) for an account not a current sub rincian objek under 4, an "
                         "SKPD not of the pemda, or a transfer (4.2) not on the PPKD (an SKPD of bidang urusan 5.02)"
                         + _CLOSED + ".")
async def create_pendapatan(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                            body: AnggaranBaru, idempotency_key: IdempotencyKey = None):
    line = await rpc.call("keuangan", "create_pendapatan", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(line, 201)


@router.get("/pendapatan", response_model=Page[AnggaranOut], responses=responses(422, 503, 504),
            summary="The year's revenue targets (an SKPD operator: its own SKPD's)")
async def list_pendapatan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_pendapatan", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.post("/pembiayaan", status_code=201, response_model=AnggaranOut, responses=responses(400, 409, 422, 503, 504),
             summary="Add a financing line of the PPKD: a receipt (6.1) or a payment (6.2)",
             description="Refused (422, naming the field) for an account not a current sub rincian objek under 6.1 "
                         "or 6.2, or an SKPD that is not the PPKD (bidang urusan 5.02)" + _CLOSED + ".")
async def create_pembiayaan(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                            body: AnggaranBaru, idempotency_key: IdempotencyKey = None):
    line = await rpc.call("keuangan", "create_pembiayaan", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    return json_response(line, 201)


@router.get("/pembiayaan", response_model=Page[AnggaranOut], responses=responses(422, 503, 504),
            summary="The year's financing receipts and payments")
async def list_pembiayaan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_pembiayaan", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.get("/ringkasan", response_model=RingkasanApbdOut, responses=responses(404, 422, 503, 504),
            summary="The APBD's structure and identities (Lampiran I's shape): revenue, spending by group, "
                    "surplus/defisit, pembiayaan netto, SiLPA, and the amounts per account to a level")
async def ringkasan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, sumber: Sumber = "draft",
                    tingkat: Annotated[int, Query(ge=1, le=6, description=(
                        "Account levels shown: 1 akun … 3 jenis (Lampiran I) … 6 sub rincian objek."))] = 3):
    return json_response(await rpc.call("keuangan", "ringkasan_apbd", kode_pemda, tahun, tingkat=tingkat,
                                        sumber=sumber))


@router.get("/ringkasan/{menurut}", response_model=RingkasanMenurutOut, responses=responses(404, 422, 503, 504),
            summary="Revenue and spending by urusan and bidang urusan, by organisation (SKPD) or by program "
                    "(the shapes of Lampiran II–IV)")
async def ringkasan_menurut(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                            menurut: Annotated[Literal["urusan", "skpd", "program"], Path(
                                description="`urusan`, `skpd` or `program`.")],
                            sumber: Sumber = "draft"):
    return json_response(await rpc.call("keuangan", "ringkasan_apbd_menurut", kode_pemda, tahun, menurut,
                                        sumber=sumber))


@router.get("/rasio", response_model=RasioApbdOut, responses=responses(404, 422, 503, 504),
            summary="The legal ratios (belanja pegawai ≤ 30%, infrastructure ≥ 40%, education ≥ 20%, health for "
                    "information): numerator, denominator, percent, pass/fail, enforced for the year",
            description="The rules are keuangan's table `rasio_wajib` (a decree's change is a row). The percent is "
                        "rounded for display to 2 decimals (ROUND_HALF_UP); pass/fail is compared exactly.")
async def rasio(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, sumber: Sumber = "draft"):
    return json_response(await rpc.call("keuangan", "rasio_apbd", kode_pemda, tahun, sumber=sumber))


@router.get("", response_model=ApbdOut, responses=responses(422, 503, 504),
            summary="The APBD's state: draft, with its evaluator, evaluated (with every finding), enacted")
async def get_apbd(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "get_apbd", kode_pemda, tahun))


@router.post("/pengajuan", response_model=ApbdOut, responses=responses(409, 422, 503, 504),
             summary="Submit the draft APBD (or its corrections) to its evaluator: the province for a regency/city, "
                     "the ministry for a province",
             description="409 naming `status` unless a draft or found `tidak_sesuai`. Lines, revenue and financing "
                         "are closed while the evaluator holds it.")
async def ajukan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "ajukan_apbd", kode_pemda, tahun))


@router.post("/evaluasi", response_model=ApbdOut, responses=responses(400, 409, 422, 503, 504),
             summary="The evaluator records its result: sesuai, or tidak sesuai with its findings (the draft reopens "
                     "for corrections)",
             description="Only the evaluating level's users: the province's administrator for its regencies/cities, "
                         "the pusat for a province (403 for any other, e.g. another province). 409 naming `status` "
                         "unless submitted; 422 naming `temuan` for a `tidak_sesuai` without findings.")
async def evaluasi(rpc: Rpc, caller: PemdaEvaluator, kode_pemda: KodePemda, tahun: Tahun, body: EvaluasiApbd):
    return json_response(await rpc.call("keuangan", "evaluasi_apbd", kode_pemda, tahun, body.model_dump(mode="json")))


@router.post("/penetapan", response_model=ApbdOut, responses=responses(400, 409, 422, 503, 504),
             summary="Enact the evaluated APBD: the Perda APBD and the Perkada penjabaran (number, date); kept as "
                     "enacted (content-hashed, never changed) and published as `apbd.ditetapkan`",
             description="409 naming `status` unless its evaluator found it `sesuai`.")
async def tetapkan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: PenetapanApbd):
    return json_response(await rpc.call("keuangan", "tetapkan_apbd", kode_pemda, tahun, body.model_dump(mode="json")))


@router.get("/penetapan", response_model=ApbdDitetapkanOut, responses=responses(404, 422, 503, 504),
            summary="The APBD as enacted: its Perda and Perkada, summary, by urusan / SKPD / program, ratios, hash")
async def get_penetapan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "get_penetapan_apbd", kode_pemda, tahun))


@router.get("/dokumen/lampiran-i/{format}", response_class=Response, responses={**FILES, **responses(422, 503, 504)},
            summary="Lampiran I of the Perda APBD (summary by kelompok and jenis) as XLSX or PDF: as enacted once "
                    "enacted, the draft before")
async def dokumen_lampiran(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                           format: Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")]):
    result = await rpc.call("keuangan", "dokumen_apbd", kode_pemda, tahun, format, timeout=60)
    return Response(base64.b64decode(result["content"]), media_type=result["content_type"],
                    headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"'})
