"""The LRA (laporan realisasi anggaran), issue 14: budget after perubahan against realisation (disbursed SP2D,
validated STS, by their date) per account level, for the pemda or one SKPD, for a month, a semester or the year,
with the previous year's realisation; printed as XLSX and PDF.

Read by every role of the pemda; an SKPD operator (and an SKPD's bendahara) its own SKPD's report only. keuangan
checks every right again."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from contracts.keuangan import PERIODE_LRA_PATTERN, LraOut

from ..deps import KodePemda, Rpc, Tahun
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaReader
from .dokumen import FILES
from .dpa import _file
from .renstra import KODE_SKPD

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/lra/{tahun}", tags=["keuangan"], responses=responses(401, 403))

Periode = Annotated[str, Query(pattern=PERIODE_LRA_PATTERN, description=(
    "`tahun` (1 January–31 December), `semester-1` (1 January–30 June), `semester-2` (1 July–31 December) or "
    "`bulan-m` (1 January to the end of month m, cumulative)."))]
Tingkat = Annotated[int, Query(ge=1, le=6, description=(
    "The account level the rows stop at: 1 akun, 2 kelompok, 3 jenis, 4 objek, 5 rincian objek, 6 sub rincian "
    "objek."))]
KodeSkpd = Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD, description=(
    "One SKPD's report; the pemda's when left out (an SKPD operator: always its own)."))]
_WHAT = ("404 before the APBD is enacted; 422 naming `periode` or `tingkat`. Percentages: realisasi / anggaran × 100 "
         "rounded half-up to 2 decimals, null when the budget is 0.")


@router.get("", response_model=LraOut, responses=responses(404, 422, 503, 504),
            summary="The LRA: pendapatan, belanja, surplus/(defisit), pembiayaan (penerimaan, pengeluaran, netto) and "
                    "SiLPA, budget against realisation and %, with the previous year's realisation",
            description=_WHAT)
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, periode: Periode = "tahun",
              tingkat: Tingkat = 6, kode_skpd: KodeSkpd = None):
    return json_response(await rpc.call("keuangan", "get_lra", kode_pemda, tahun, periode=periode, tingkat=tingkat,
                                        kode_skpd=kode_skpd, timeout=60))


@router.get("/dokumen/{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="The LRA as printed (XLSX or PDF), with the SAP's sections and totals", description=_WHAT)
async def dokumen(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                  format: Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")],
                  periode: Periode = "tahun", tingkat: Tingkat = 6, kode_skpd: KodeSkpd = None):
    return _file(await rpc.call("keuangan", "dokumen_lra", kode_pemda, tahun, format, periode=periode,
                                tingkat=tingkat, kode_skpd=kode_skpd, timeout=60))
