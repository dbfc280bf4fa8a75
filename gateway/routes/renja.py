"""The Renja: each SKPD's part of the year's RKPD, made by the SKPD (its items), submitted, verified by Bappeda or
returned with a note. While submitted or verified, the SKPD's items no longer change. Read by every role of the
pemda (an SKPD operator: its own SKPD's)."""
from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from contracts.perencanaan import ImporRenjaOut, RenjaOut, VerifikasiRenja

from ..deps import IdempotencyKey, IfMatch, KodePemda, Page, Rpc, Tahun, etag, service_key
from ..jsonresp import json_response
from ..limits import IMPORT_TIMEOUT, RENJA_MAX_BYTES
from ..problems import problem, responses
from ..security import PemdaActor, PemdaReader
from .pagu_skpd import KodeSkpd
from .perencanaan import guarded_write

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/renja", tags=["perencanaan"],
                   responses=responses(401, 403))


@router.get("", response_model=Page[RenjaOut], responses=responses(422, 503, 504),
            summary="Where each SKPD's Renja of the year stands (an SKPD operator: its own)")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    result = await rpc.call("perencanaan", "list_renja", kode_pemda, tahun)
    return json_response({**result, "page": 1, "per_page": max(len(result["items"]), 1)})


@router.get("/{kode_skpd}", response_model=RenjaOut, responses=responses(422, 503, 504),
            summary="One SKPD's Renja of the year: its status, Bappeda's note, its items' count and total")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, kode_skpd: KodeSkpd):
    item = await rpc.call("perencanaan", "get_renja", kode_pemda, tahun, kode_skpd)
    return json_response(item, headers=etag(item))


@router.post("/{kode_skpd}/ajukan", response_model=RenjaOut, responses=responses(404, 409, 412, 422, 503, 504),
             summary="Submit the SKPD's Renja to Bappeda: its items no longer change (the SKPD)",
             description="422 (`kode_skpd`) when the SKPD plans nothing this year; 409 (`status`) once submitted "
                         "or verified; 409 (`tahun`) when no stage of the year's RKPD schedule is open now.")
async def submit(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                 kode_skpd: KodeSkpd, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "submit_renja", kode_pemda, tahun, kode_skpd, if_match=if_match)


@router.post("/{kode_skpd}/verifikasi", response_model=RenjaOut,
             responses=responses(400, 404, 409, 412, 422, 503, 504),
             summary="Verify a submitted Renja, or return it to the SKPD with a note (Bappeda)",
             description="422 (`catatan`) when returned without a note; 409 (`status`) when not submitted (a "
                         "verified one may still be returned, `setuju: false`: its items change again); 409 "
                         "(`tahun`) when no stage of the year's RKPD schedule is open now.")
async def verify(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                 kode_skpd: KodeSkpd, body: VerifikasiRenja, if_match: IfMatch = None):
    return await guarded_write(request, rpc, "verify_renja", kode_pemda, tahun, kode_skpd,
                               body.model_dump(mode="json"), if_match=if_match)




@router.post("/{kode_skpd}/impor", status_code=201, response_model=ImporRenjaOut,
             responses=responses(400, 404, 409, 413, 415, 422, 503, 504),
             summary="Enter the SKPD's Renja in bulk from a spreadsheet (XLSX or CSV): every row a new sub kegiatan",
             description="Columns (row 1, any order): `kode_sub_kegiatan`, `target`, `pagu_indikatif` (required), "
                         "`kinerja`, `indikator`, `satuan`, `pagu_indikatif_n1`, `lokasi`, `bulan_mulai`, "
                         "`bulan_selesai`, `label_prioritas` (lists separated by `;`), `catatan`, `kode_sasaran_renstra` "
                         "(required in a stage that requires it, as for a single item), `sumber_dana` (each funding "
                         "source `kode=pagu`, separated by `;`: `1.1=600000; 1.2=400000.50`, adding up to the "
                         "pagu indikatif). Validated whole: "
                         "with any bad row nothing is written and 422 names every bad cell as "
                         "`rows.<row>.<column>`; the SKPD's ceiling is checked on the file's total.")
async def import_(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun,
                  kode_skpd: KodeSkpd,
                  file: Annotated[UploadFile, File(description="The Renja: XLSX (first sheet) or CSV; header row 1.")],
                  idempotency_key: IdempotencyKey = None):
    content = await file.read(RENJA_MAX_BYTES + 1)
    if len(content) > RENJA_MAX_BYTES:
        return problem(413, f"the file is larger than {RENJA_MAX_BYTES} bytes", [{"field": "file", "message":
                                                                                  "too large"}], request.url.path)
    name = file.filename or "renja"
    if not (name.lower().endswith((".csv", ".xlsx", ".txt")) or content.startswith(b"PK\x03\x04")):
        return problem(415, "send an XLSX or a CSV file", [{"field": "file", "message": "not XLSX or CSV"}],
                       request.url.path)
    result = await rpc.call("perencanaan", "import_renja", kode_pemda, tahun, kode_skpd,
                            base64.b64encode(content).decode("ascii"), name, timeout=IMPORT_TIMEOUT,
                            idempotency_key=service_key(idempotency_key))
    return json_response(result, 201)
