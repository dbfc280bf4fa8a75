"""The APBD-P (perubahan) and the pergeseran of an enacted APBD (issue 13, part 7), under
``/api/v1/pemda/{kode_pemda}/apbd/{tahun}``.

Read by every role of the pemda (an SKPD operator lists its own SKPD's positions and shifts); TAPD opens, changes,
submits and enacts the APBD-P, which the level above evaluates as it does the APBD (its KUA-PPAS perubahan is under
``/ppas/{tahun}/perubahan``); the PPKD and the Sekda approve shifts, each within the authority keuangan's rule table
gives its role. keuangan checks every rule and right again.
"""
from __future__ import annotations

import base64
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from starlette.responses import Response

from contracts.keuangan import (
    ApbdPerubahanOut, EvaluasiApbd, PenetapanApbd, PergeseranBaru, PergeseranOut, PosOut, PosPerubahan,
)

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaEvaluator, PemdaReader
from .dokumen import FILES

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/apbd/{tahun}", tags=["keuangan"], responses=responses(401, 403))


@router.get("/perubahan", response_model=ApbdPerubahanOut, responses=responses(404, 422, 503, 504),
            summary="The APBD-P: its state and murni / perubahan / selisih of every identity (404 before the APBD "
                    "is enacted)")
async def get_perubahan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "get_apbd_perubahan", kode_pemda, tahun))


@router.post("/perubahan", response_model=ApbdPerubahanOut, responses=responses(409, 422, 503, 504),
             summary="Open the APBD-P from the enacted APBD (once a year; 409 naming `status` otherwise)")
async def buka_perubahan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                         idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "buka_apbd_perubahan", kode_pemda, tahun,
                                        idempotency_key=service_key(idempotency_key)))


@router.get("/perubahan/pos", response_model=Page[PosOut], responses=responses(404, 422, 503, 504),
            summary="The budget positions (SKPD × sub kegiatan × account; revenue and financing per SKPD × account), "
                    "each with murni, perubahan and selisih")
async def list_pos(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_pos_anggaran", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.put("/perubahan/pos", response_model=PosOut, responses=responses(400, 409, 422, 503, 504),
            summary="Set a position's amount in the open APBD-P (its murni kept beside it; audited)",
            description="422 naming the field: a retired or non-leaf account, a belanja position without its sub "
                        "kegiatan (`rkpd_id`), a revenue or financing position without its SKPD (`kode_skpd`), an "
                        "unknown sub kegiatan or SKPD, `jumlah` raising its sub kegiatan above its KUA-PPAS "
                        "perubahan ceiling; money put on an account its flags (`tanda_rekening`) forbid there: "
                        "`kode_rekening` (an ASN salary outside its own sub kegiatan), or `penerima` / `lokasi` "
                        "(a hibah or bansos raised without its recipient, a land purchase without its location). "
                        "Lowering is never refused. 409 naming `status` when no APBD-P is open.")
async def ubah_pos(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: PosPerubahan):
    return json_response(await rpc.call("keuangan", "ubah_pos_anggaran", kode_pemda, tahun,
                                        body.model_dump(mode="json")))


@router.post("/perubahan/pengajuan", response_model=ApbdPerubahanOut, responses=responses(409, 422, 503, 504),
             summary="Submit the APBD-P (or its corrections) to its evaluator, as the APBD: the province for a "
                     "regency/city, the ministry for a province",
             description="409 naming `status` unless open (or found `tidak_sesuai`) with its KUA-PPAS perubahan "
                         "agreed; 409 naming `pagu` while a sub kegiatan's belanja is above its KUA-PPAS perubahan "
                         "ceiling. Its positions are closed while the evaluator holds it.")
async def ajukan_perubahan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "ajukan_apbd_perubahan", kode_pemda, tahun))


@router.post("/perubahan/evaluasi", response_model=ApbdPerubahanOut, responses=responses(400, 409, 422, 503, 504),
             summary="The evaluator records its result on the APBD-P: sesuai, or tidak sesuai with its findings (it "
                     "reopens for corrections)",
             description="Only the evaluating level's users, as for the APBD: the province's administrator for its "
                         "regencies/cities, the pusat for a province (403 for any other). 409 naming `status` unless "
                         "submitted; 422 naming `temuan` for a `tidak_sesuai` without findings.")
async def evaluasi_perubahan(rpc: Rpc, caller: PemdaEvaluator, kode_pemda: KodePemda, tahun: Tahun,
                             body: EvaluasiApbd):
    return json_response(await rpc.call("keuangan", "evaluasi_apbd_perubahan", kode_pemda, tahun,
                                        body.model_dump(mode="json")))


@router.post("/perubahan/penetapan", response_model=ApbdPerubahanOut, responses=responses(400, 409, 422, 503, 504),
             summary="Enact the evaluated APBD-P (Perda and Perkada penjabaran): kept content-hashed, never changed, "
                     "published as `apbd.perubahan.ditetapkan` (pemerintahan's Perda register takes it); the murni "
                     "APBD stays as enacted",
             description="409 naming `status` unless its evaluator found it `sesuai`.")
async def tetapkan_perubahan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: PenetapanApbd):
    return json_response(await rpc.call("keuangan", "tetapkan_apbd_perubahan", kode_pemda, tahun,
                                        body.model_dump(mode="json")))


@router.get("/perubahan/dokumen/lampiran-i/{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="Lampiran I of the Perda perubahan APBD (by kelompok and jenis: before and after the change, "
                    "bertambah / (berkurang) in rupiah and %) as XLSX or PDF: as enacted once enacted, the positions "
                    "now before (404 before the APBD is enacted)")
async def dokumen_lampiran(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                           format: Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")]):
    result = await rpc.call("keuangan", "dokumen_apbd_perubahan", kode_pemda, tahun, format, timeout=60)
    return Response(base64.b64decode(result["content"]), media_type=result["content_type"],
                    headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"'})


@router.get("/pergeseran", response_model=Page[PergeseranOut], responses=responses(422, 503, 504),
            summary="Every pergeseran (budget shift) of the year, oldest first: who, when, from, to, amount, reason")
async def list_pergeseran(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_pergeseran_anggaran", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.post("/pergeseran", status_code=201, response_model=PergeseranOut,
             responses=responses(400, 409, 422, 503, 504),
             summary="Shift an amount between two belanja positions of the enacted APBD (the total stays; audited)",
             description="Who may approve which shift is keuangan's rule table `kewenangan_pergeseran`: within one "
                         "rincian objek the PPKD (or the Sekda), between objek of one jenis the Sekda; any other "
                         "shift (another jenis, sub kegiatan or SKPD) only in the APBD-P. Above the actor's "
                         "authority: 422 naming the field (`ke.kode_rekening`, `ke.rkpd_id`), nothing changed; "
                         "more than the source holds: 422 naming `jumlah`. The destination's account flags "
                         "(`tanda_rekening`) hold as for a line there: 422 naming `ke.kode_rekening` (an ASN salary "
                         "outside its own sub kegiatan), `ke.penerima` or `ke.lokasi` (given with the destination, "
                         "kept with the shift). 409 naming `status` before enactment or while the APBD-P is open.")
async def geser(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: PergeseranBaru,
                idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "geser_anggaran", kode_pemda, tahun, body.model_dump(mode="json"),
                                        idempotency_key=service_key(idempotency_key)), 201)
