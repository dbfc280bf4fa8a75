"""KUA-PPAS (``/ppas/{tahun}``) and RKA-SKPD (``/rka/{tahun}``), issue 13.

The PPAS is read by every role of the pemda (an SKPD operator lists its own SKPD's ceilings); TAPD adjusts it,
records the nota kesepakatan, and decides on the plan's changes after it (pergeseran). The APBD-P's KUA-PPAS
perubahan (``/ppas/{tahun}/perubahan``) goes the same way. The RKA lines are
written by an SKPD operator under its own SKPD's ceilings (and by TAPD, the pusat administrator); TAPD writes
verification notes, the SKPD answers them. keuangan checks every rule and right again.
"""
from __future__ import annotations

import base64
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from starlette.responses import Response

from contracts.keuangan import (
    ImporRkaOut, KeputusanPergeseran, NotaKesepakatan, PaguPpasOut, PenyesuaianPpas, PlafonOut, PpasOut,
    PpasPerubahanOut, RincianOut, RkaRincianBaru, RkaSubKegiatanOut, TanggapanBaru, VerifikasiBaru, VerifikasiOut,
)
from sipd_common import access
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..limits import IMPORT_MAX_BYTES, IMPORT_TIMEOUT
from ..problems import problem, responses
from ..security import PemdaActor, PemdaReader
from .dokumen import FILES

ppas = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/ppas/{tahun}", tags=["keuangan"], responses=responses(401, 403))
router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rka/{tahun}", tags=["keuangan"], responses=responses(401, 403))

KODE = r"^[0-9]+(\.[0-9]+)*$"
KodeSkpd = Annotated[str, Query(max_length=40, pattern=KODE, examples=["1.01.0.00.0.00.01.0000"])]


# -- KUA-PPAS -------------------------------------------------------------------------------------------------

@ppas.get("", response_model=PpasOut, responses=responses(404, 422, 503, 504),
          summary="The year's KUA-PPAS: provisional or agreed (nota kesepakatan), with its totals")
async def get_ppas(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "get_ppas", kode_pemda, tahun))


@ppas.get("/pagu", response_model=Page[PaguPpasOut], responses=responses(422, 503, 504),
          summary="The PPAS ceilings per SKPD, program, kegiatan and sub kegiatan, beside the enacted RKPD's figures")
async def list_pagu_ppas(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                         tingkat: Annotated[Literal["skpd", "program", "kegiatan", "sub_kegiatan"] | None, Query()] = None,
                         kode_skpd: Annotated[str | None, Query(max_length=40, pattern=KODE,
                                                                description="Only this SKPD's.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_pagu_ppas", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, tingkat=tingkat, kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))


@ppas.post("/penyesuaian", response_model=PaguPpasOut, responses=responses(400, 404, 409, 422, 503, 504),
           summary="TAPD adjusts one provisional ceiling (before the nota kesepakatan; audited)")
async def adjust_ppas(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: PenyesuaianPpas):
    return json_response(await rpc.call("keuangan", "adjust_ppas", kode_pemda, tahun, body.model_dump(mode="json")))


@ppas.post("/kesepakatan", response_model=PpasOut, responses=responses(400, 404, 409, 422, 503, 504),
           summary="Record the nota kesepakatan KUA-PPAS (number, date): it fixes every ceiling of the year")
async def agree_ppas(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: NotaKesepakatan):
    return json_response(await rpc.call("keuangan", "agree_ppas", kode_pemda, tahun, body.model_dump(mode="json")))


@ppas.get("/audit", response_model=Page[AuditEntryOut], responses=responses(422, 503, 504),
          summary="Every adjustment of the year's PPAS and its agreement, oldest first")
async def ppas_audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "get_ppas_audit", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


# -- the KUA-PPAS perubahan (the APBD-P's): started as the APBD-P opens, the same steps --------------------------

@ppas.get("/perubahan", response_model=PpasPerubahanOut, responses=responses(404, 422, 503, 504),
          summary="The KUA-PPAS perubahan of the APBD-P: provisional or agreed (nota kesepakatan perubahan), with its "
                  "totals (404 before the APBD-P opens)")
async def get_ppas_perubahan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "get_ppas", kode_pemda, tahun, perubahan=True))


@ppas.get("/perubahan/pagu", response_model=Page[PaguPpasOut], responses=responses(422, 503, 504),
          summary="The KUA-PPAS perubahan's ceilings per SKPD, program, kegiatan and sub kegiatan, beside what the "
                  "plan said when the APBD-P opened (`pagu_rkpd`)")
async def list_pagu_ppas_perubahan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                                   paging: Paging, tingkat: Annotated[Literal["skpd", "program", "kegiatan",
                                                                              "sub_kegiatan"] | None, Query()] = None,
                                   kode_skpd: Annotated[str | None, Query(max_length=40, pattern=KODE,
                                                                          description="Only this SKPD's.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_pagu_ppas", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, tingkat=tingkat, kode_skpd=kode_skpd, perubahan=True)
    return json_response(page_of(result, paging))


@ppas.post("/perubahan/penyesuaian", response_model=PaguPpasOut, responses=responses(400, 404, 409, 422, 503, 504),
           summary="TAPD adjusts one ceiling of the KUA-PPAS perubahan (before its nota kesepakatan; audited)",
           description="As the murni KUA-PPAS: 409 once agreed, 422 naming `pagu` when the ceilings under a parent "
                       "would exceed it; inside the APBD-P's window.")
async def adjust_ppas_perubahan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                                body: PenyesuaianPpas):
    return json_response(await rpc.call("keuangan", "adjust_ppas", kode_pemda, tahun, body.model_dump(mode="json"),
                                        perubahan=True))


@ppas.post("/perubahan/kesepakatan", response_model=PpasPerubahanOut,
           responses=responses(400, 404, 409, 422, 503, 504),
           summary="Record the nota kesepakatan KUA-PPAS perubahan (number, date): it fixes the ceilings the APBD-P's "
                   "belanja per sub kegiatan then respects",
           description="Before it the APBD-P's positions do not change (409 naming `status`); the murni KUA-PPAS "
                       "and the budget lines' ceilings stay as agreed.")
async def agree_ppas_perubahan(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                               body: NotaKesepakatan):
    return json_response(await rpc.call("keuangan", "agree_ppas", kode_pemda, tahun, body.model_dump(mode="json"),
                                        perubahan=True))


@ppas.get("/pergeseran", response_model=Page[PlafonOut], responses=responses(422, 503, 504),
          summary="Agreed ceilings the plan now differs from (plan says X, agreed ceiling Y): pending or rejected")
async def list_pergeseran(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging):
    result = await rpc.call("keuangan", "list_pergeseran", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page)
    return json_response(page_of(result, paging))


Keputusan = Annotated[Literal["terima", "tolak"], Path(description="`terima`: the plan's figures become the ceiling; "
                                                                   "`tolak`: the agreed ceiling stays.")]


@ppas.post("/pergeseran/{rkpd_id}/{keputusan}", response_model=PlafonOut,
           responses=responses(400, 404, 409, 422, 503, 504),
           summary="TAPD accepts or rejects the plan's change against an agreed ceiling (audited)")
async def decide_pergeseran(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, rkpd_id: uuid.UUID,
                            keputusan: Keputusan, body: KeputusanPergeseran | None = None):
    return json_response(await rpc.call("keuangan", "decide_pergeseran", kode_pemda, tahun, str(rkpd_id),
                                        keputusan == "terima", (body or KeputusanPergeseran()).model_dump(mode="json")))


# -- RKA-SKPD -------------------------------------------------------------------------------------------------

@router.post("/rincian", status_code=201, response_model=RincianOut, responses=responses(400, 409, 422, 503, 504),
             summary="Add an RKA line priced from a standard-price component; refused, naming the field, above a "
                     "ceiling (the item's or its funding source's), above the standard price, on an account not "
                     "allowed or not a leaf, on another pemda's or year's component, a hibah/bansos line without recipient")
async def create_rka_rincian(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                             body: RkaRincianBaru, idempotency_key: IdempotencyKey = None):
    line = await rpc.call("keuangan", "create_rka_rincian", kode_pemda, tahun, body.model_dump(mode="json"),
                          idempotency_key=service_key(idempotency_key))
    location = f"/api/v1/pemda/{kode_pemda}/apbd/{tahun}/rincian/{line['id']}"
    return json_response(line, 201, {"Location": location})


@router.put("/rincian/{id}", response_model=RincianOut, responses=responses(400, 404, 409, 422, 503, 504),
            summary="Change an RKA line whole, by the rules of a new one (ceiling with its old amount taken out, "
                    "standard price, account allowed); 409 naming `status` once the budget is not open; audited")
async def update_rka_rincian(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                             body: RkaRincianBaru):
    return json_response(await rpc.call("keuangan", "update_rka_rincian", kode_pemda, tahun, str(id),
                                        body.model_dump(mode="json")))


@router.delete("/rincian/{id}", status_code=204, response_class=Response, responses=responses(404, 409, 422, 503, 504),
               summary="Delete an RKA line, its amount given back to its ceiling; 409 naming `status` once the budget "
                       "is not open; audited")
async def delete_rincian(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    await rpc.call("keuangan", "delete_rincian", kode_pemda, tahun, str(id))
    return Response(status_code=204)


@router.get("/sub-kegiatan/{rkpd_id}", response_model=RkaSubKegiatanOut, responses=responses(404, 422, 503, 504),
            summary="The RKA of one sub kegiatan: its ceilings and its lines by kelompok and keterangan")
async def get_rka_sub_kegiatan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, rkpd_id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_rka_sub_kegiatan", kode_pemda, tahun, str(rkpd_id)))


@router.post("/sub-kegiatan/{rkpd_id}/verifikasi", status_code=201, response_model=VerifikasiOut,
             responses=responses(400, 404, 422, 503, 504),
             summary="TAPD writes a verification note on the RKA of one sub kegiatan")
async def create_verifikasi(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, rkpd_id: uuid.UUID,
                            body: VerifikasiBaru, idempotency_key: IdempotencyKey = None):
    note = await rpc.call("keuangan", "create_verifikasi", kode_pemda, tahun, str(rkpd_id),
                          body.model_dump(mode="json"), idempotency_key=service_key(idempotency_key))
    return json_response(note, 201)


@router.get("/sub-kegiatan/{rkpd_id}/verifikasi", response_model=Page[VerifikasiOut],
            responses=responses(404, 422, 503, 504),
            summary="TAPD's notes on the RKA of one sub kegiatan, with the SKPD's answers")
async def list_verifikasi(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, rkpd_id: uuid.UUID,
                          paging: Paging):
    result = await rpc.call("keuangan", "list_verifikasi", kode_pemda, tahun, str(rkpd_id))
    items = result["items"][paging.offset:paging.offset + paging.per_page]
    return json_response(page_of({"items": items, "total": result["total"]}, paging))


@router.post("/verifikasi/{id}/tanggapan", response_model=VerifikasiOut, responses=responses(400, 404, 422, 503, 504),
             summary="The SKPD answers a TAPD verification note on its RKA")
async def answer_verifikasi(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                            body: TanggapanBaru):
    return json_response(await rpc.call("keuangan", "answer_verifikasi", kode_pemda, tahun, str(id),
                                        body.model_dump(mode="json")))


@router.post("/impor", response_model=ImporRkaOut, responses=responses(400, 413, 415, 422, 503, 504),
             summary="Import an SKPD's RKA lines (XLSX or CSV): for each sub kegiatan the file names, its lines are "
                     "replaced; validated whole and applied atomically",
             description="Columns (header row 1): `kode_sub_kegiatan`, `kelompok`, `keterangan`, `kode_rekening`, "
                         "`kode_standar_harga`, `volume_1`..`volume_4`, `satuan_1`..`satuan_4`, `harga_satuan`, "
                         "`pajak`, `kode_sumber_dana`, and optionally `uraian`, `penerima_nama`, `penerima_alamat`, "
                         "`penerima_kode_wilayah` (a hibah or bansos line's recipient), `lokasi_kode_wilayah`, "
                         "`lokasi_uraian` (a land purchase's plot). A file with any bad row is refused as a whole (422): "
                         "`errors` names each cell as `rows.<row>.<column>` and `report` carries the import report.")
async def import_rka(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                     kode_skpd: Annotated[str, Form(max_length=40, pattern=KODE, description="The SKPD whose RKA it is.")],
                     file: Annotated[UploadFile, File(description="XLSX (first sheet) or CSV; the header is row 1.")]):
    content = await file.read(IMPORT_MAX_BYTES + 1)
    if len(content) > IMPORT_MAX_BYTES:
        return problem(413, f"the file is larger than {IMPORT_MAX_BYTES} bytes; split it",
                       [{"field": "file", "message": "too large"}], request.url.path)
    name = file.filename or "upload"
    if not (name.lower().endswith((".csv", ".xlsx")) or content.startswith(b"PK\x03\x04")):
        return problem(415, "send an XLSX or a CSV file", [{"field": "file", "message": "not XLSX or CSV"}],
                       request.url.path)
    report = await rpc.call("keuangan", "import_rka", kode_pemda, tahun, kode_skpd,
                            base64.b64encode(content).decode("ascii"), name, timeout=IMPORT_TIMEOUT)
    if report["errors"]:  # refused: nothing of the file was applied
        errors = [{"field": f"rows.{e['baris']}.{e['kolom']}", "message": e["pesan"]} for e in report["errors"]]
        return problem(422, f"{len(errors)} bad cells; nothing was imported", errors, request.url.path, report=report)
    return json_response(report)


@router.get("/skpd/{kode_skpd}/dokumen/{format}", response_class=Response,
            responses={**FILES, **responses(422, 503, 504)},
            summary="An SKPD's RKA-SKPD (rincian belanja) as printed, XLSX or PDF: per sub kegiatan and account, its "
                    "lines under their kelompok and keterangan with coefficient, price, tax and amount; every level "
                    "summed")
async def dokumen_rka(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                      kode_skpd: Annotated[str, Path(max_length=40, pattern=KODE, examples=["1.01.0.00.0.00.01.0000"])],
                      format: Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")]):
    result = await rpc.call("keuangan", "dokumen_rka", kode_pemda, tahun, kode_skpd, format, timeout=60)
    return Response(base64.b64decode(result["content"]), media_type=result["content_type"],
                    headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"'})
