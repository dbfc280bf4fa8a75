"""Open data: every dataset the portal shows, as CSV and JSON, per pemda and year and nationally, with its
data dictionary, licence and date; the enacted plan's money, the enacted budget and its realisation also as Fiscal
Data Packages.

Only what is enacted is here (perencanaan's published RKPD, keuangan's enacted APBD and the realisation against the
enacted budget). Amounts are exact decimal strings in rupiah (JSON) or plain decimals (CSV), never rounded. CSV text
that a spreadsheet could take for a formula is neutralised (``tampilan.aman``).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ..deps import KodePemda, Tahun
from ..problems import problem, responses
from . import sumber
from .cache import cached, versi
from .tampilan import bulan_lra, csv_bytes

router = APIRouter(prefix="/api/v1/data", tags=["data-terbuka"])

LISENSI = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International (data terbuka pemerintah)",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
SUMBER = "SIPD — data yang telah ditetapkan (RKPD: snapshot tahap penetapan atau perubahan yang terkunci)"

# The data dictionary: per dataset, each column with its meaning and unit (None: no unit), and its Table
# Schema type for the data package.
KAMUS: dict[str, dict] = {
    "rkpd": {
        "judul": "RKPD yang ditetapkan: sub kegiatan per perangkat daerah",
        "kolom": [
            ("kode_pemda", "Kode wilayah pemda (Kepmendagri kode wilayah)", None, "string"),
            ("nama_pemda", "Nama pemda", None, "string"),
            ("tahun", "Tahun anggaran (N) yang direncanakan", "tahun", "integer"),
            ("kode_tahap", "Tahap yang menetapkan: penetapan, atau perubahan", None, "string"),
            ("ditetapkan_at", "Waktu tahap itu dikunci (tanggal data)", "ISO 8601", "datetime"),
            ("kode_skpd", "Kode perangkat daerah (SKPD)", None, "string"),
            ("nama_skpd", "Nama perangkat daerah", None, "string"),
            ("kode_bidang_urusan", "Kode bidang urusan (Permendagri 90/2019)", None, "string"),
            ("nama_bidang_urusan", "Nama bidang urusan", None, "string"),
            ("kode_program", "Kode program", None, "string"),
            ("nama_program", "Nama program", None, "string"),
            ("kode_sub_kegiatan", "Kode sub kegiatan", None, "string"),
            ("nama_sub_kegiatan", "Nama sub kegiatan", None, "string"),
            ("kinerja", "Keluaran (kinerja) sub kegiatan", None, "string"),
            ("indikator", "Indikator keluaran", None, "string"),
            ("target", "Target indikator pada tahun N", "menurut kolom satuan", "number"),
            ("satuan", "Satuan target", None, "string"),
            ("lokasi", "Kode wilayah lokasi, dipisah titik koma", None, "string"),
            ("pagu_indikatif", "Pagu indikatif tahun N", "rupiah", "number"),
            ("pagu_indikatif_n1", "Pagu indikatif tahun N+1", "rupiah", "number"),
            ("pagu_indikatif_murni", "Pada perubahan: pagu indikatif yang ditetapkan semula (murni)", "rupiah",
             "number"),
            ("snapshot_id", "Snapshot RKPD yang ditetapkan (tidak pernah berubah)", None, "string"),
        ],
    },
    "apbd": {
        "judul": "APBD yang ditetapkan: anggaran per rekening (tingkat terdalam yang ditetapkan)",
        "kolom": [
            ("kode_pemda", "Kode wilayah pemda", None, "string"),
            ("nama_pemda", "Nama pemda", None, "string"),
            ("tahun", "Tahun anggaran", "tahun", "integer"),
            ("nomor_perda", "Nomor Perda APBD", None, "string"),
            ("tanggal_perda", "Tanggal Perda APBD (tanggal data)", "ISO 8601", "date"),
            ("kode_akun", "Akun: 4 pendapatan, 5 belanja, 6 pembiayaan", None, "string"),
            ("kode_kelompok", "Kelompok rekening (mis. 5.1 belanja operasi)", None, "string"),
            ("kode_rekening", "Kode rekening (Permendagri 90/2019)", None, "string"),
            ("nama_rekening", "Nama rekening", None, "string"),
            ("jumlah", "Anggaran (tepat, tanpa pembulatan)", "rupiah", "number"),
        ],
    },
    "lra": {
        "judul": "Realisasi anggaran (LRA) terhadap anggaran yang ditetapkan, per rekening (tingkat terdalam)",
        "kolom": [
            ("kode_pemda", "Kode wilayah pemda", None, "string"),
            ("nama_pemda", "Nama pemda", None, "string"),
            ("tahun", "Tahun anggaran", "tahun", "integer"),
            ("dasar_anggaran", "Anggaran yang ditetapkan: apbd, atau apbd_perubahan", None, "string"),
            ("nomor_perda", "Nomor Perda anggaran itu", None, "string"),
            ("tanggal_perda", "Tanggal Perda anggaran itu", "ISO 8601", "date"),
            ("realisasi_sampai", "Tanggal realisasi terakhir (tanggal data); kosong sebelum ada realisasi", "ISO 8601",
             "date"),
            ("kode_akun", "Akun: 4 pendapatan, 5 belanja, 6 pembiayaan", None, "string"),
            ("kode_kelompok", "Kelompok rekening (mis. 6.1 penerimaan pembiayaan)", None, "string"),
            ("kode_rekening", "Kode rekening (Permendagri 90/2019)", None, "string"),
            ("nama_rekening", "Nama rekening", None, "string"),
            ("anggaran", "Anggaran setelah pergeseran yang diputuskan (tepat)", "rupiah", "number"),
            ("realisasi", "Realisasi sejak 1 Januari: SP2D dicairkan, setoran (STS) divalidasi", "rupiah", "number"),
            ("persen", "Realisasi / anggaran × 100, dua desimal; kosong bila anggaran 0", "persen", "number"),
            ("realisasi_lalu", "Realisasi tahun sebelumnya, setahun penuh", "rupiah", "number"),
        ],
    },
    "lra-bulanan": {
        "judul": "Realisasi pendapatan dan belanja per bulan, dan kumulatifnya, terhadap anggaran setahun",
        "kolom": [
            ("kode_pemda", "Kode wilayah pemda", None, "string"),
            ("nama_pemda", "Nama pemda", None, "string"),
            ("tahun", "Tahun anggaran", "tahun", "integer"),
            ("bulan", "Bulan (1 Januari … 12 Desember); hanya bulan yang telah berjalan", "bulan", "integer"),
            ("pendapatan", "Pendapatan yang direalisasikan pada bulan itu", "rupiah", "number"),
            ("pendapatan_kumulatif", "Pendapatan sejak 1 Januari sampai akhir bulan itu", "rupiah", "number"),
            ("anggaran_pendapatan", "Anggaran pendapatan setahun", "rupiah", "number"),
            ("belanja", "Belanja yang direalisasikan pada bulan itu", "rupiah", "number"),
            ("belanja_kumulatif", "Belanja sejak 1 Januari sampai akhir bulan itu", "rupiah", "number"),
            ("anggaran_belanja", "Anggaran belanja setahun", "rupiah", "number"),
            ("realisasi_sampai", "Tanggal realisasi terakhir (tanggal data)", "ISO 8601", "date"),
        ],
    },
    "rkpd-urusan": {
        "judul": "RKPD yang ditetapkan: pagu indikatif per bidang urusan, per pemda",
        "kolom": [
            ("kode_pemda", "Kode wilayah pemda", None, "string"),
            ("tahun", "Tahun anggaran (N)", "tahun", "integer"),
            ("kode_tahap", "Tahap yang menetapkan: penetapan, atau perubahan", None, "string"),
            ("ditetapkan_at", "Waktu tahap itu dikunci (tanggal data)", "ISO 8601", "datetime"),
            ("kode_bidang_urusan", "Kode bidang urusan", None, "string"),
            ("nama_bidang_urusan", "Nama bidang urusan", None, "string"),
            ("jumlah_sub_kegiatan", "Banyaknya sub kegiatan", "sub kegiatan", "integer"),
            ("pagu_indikatif", "Jumlah pagu indikatif tahun N (tepat, tanpa pembulatan)", "rupiah", "number"),
            ("snapshot_id", "Snapshot RKPD yang ditetapkan", None, "string"),
        ],
    },
}

Format = Annotated[Literal["csv", "json"], Path(description="`csv` or `json`.")]
FILES = {200: {"description": "The dataset", "content": {"text/csv": {"schema": {"type": "string"}},
                                                         "application/json": {"schema": {"type": "object"}}}}}


def _columns(dataset: str) -> list[str]:
    return [c[0] for c in KAMUS[dataset]["kolom"]]


def rows_rkpd(r: dict) -> list[dict]:
    head = {"kode_pemda": r["kode_pemda"], "nama_pemda": r.get("nama_pemda"), "tahun": r["tahun"],
            "kode_tahap": r["kode_tahap"], "ditetapkan_at": r["ditetapkan_at"], "snapshot_id": r["snapshot_id"]}
    return [{**head, **{k: s.get(k) for k in _columns("rkpd") if k in s},
             "lokasi": ";".join(s.get("lokasi") or [])} for s in r["sub_kegiatan"]]


def rows_urusan(published: list[dict]) -> list[dict]:
    return [{"kode_pemda": r["kode_pemda"], "tahun": r["tahun"], "kode_tahap": r["kode_tahap"],
             "ditetapkan_at": r["ditetapkan_at"], "snapshot_id": r["snapshot_id"], **u}
            for r in published for u in r["urusan"]]


def rows_apbd(a: dict, nama_pemda: str | None = None) -> list[dict]:
    """The enacted APBD's amounts per account at the deepest level it was enacted with: every rupiah once (no
    parent row beside its children), so a sum over any column is right."""
    akun = a["ringkasan"]["akun"]
    deepest = max((x["tingkat"] for x in akun), default=0)
    head = {"kode_pemda": a["kode_pemda"], "nama_pemda": nama_pemda, "tahun": a["tahun"],
            "nomor_perda": a["nomor_perda"], "tanggal_perda": a["tanggal_perda"]}
    return [{**head, "kode_akun": x["kode"].split(".")[0], "kode_kelompok": ".".join(x["kode"].split(".")[:2]),
             "kode_rekening": x["kode"], "nama_rekening": x["nama"], "jumlah": x["jumlah"]}
            for x in akun if x["tingkat"] == deepest]


def rows_lra(lra: dict, nama_pemda: str | None = None) -> list[dict]:
    """The LRA per account at the deepest level it holds (no parent row beside its children: each rupiah once, so
    a sum over any column is right), revenue, spending and financing."""
    head = {"kode_pemda": lra["kode_pemda"], "nama_pemda": nama_pemda, "tahun": lra["tahun"],
            "dasar_anggaran": lra["dasar_anggaran"], "nomor_perda": lra["nomor_perda"],
            "tanggal_perda": lra["tanggal_perda"], "realisasi_sampai": lra["realisasi_terakhir"]}
    baris = [b for k in ("pendapatan", "belanja", "penerimaan_pembiayaan", "pengeluaran_pembiayaan")
             for b in lra[k]["baris"]]
    parents = {kode.rsplit(".", n)[0] for kode in (b["kode_rekening"] for b in baris)
               for n in range(1, kode.count(".") + 1)}
    return [{**head, "kode_akun": b["kode_rekening"].split(".")[0],
             "kode_kelompok": ".".join(b["kode_rekening"].split(".")[:2]), "kode_rekening": b["kode_rekening"],
             "nama_rekening": b["nama_rekening"], **{k: b[k] for k in ("anggaran", "realisasi", "persen",
                                                                        "realisasi_lalu")}}
            for b in baris if b["kode_rekening"] not in parents]


def rows_lra_bulanan(lra: dict, nama_pemda: str | None, today: date) -> list[dict]:
    """The months passed (``tampilan.bulan_lra``), each with the year's budget beside it."""
    head = {"kode_pemda": lra["kode_pemda"], "nama_pemda": nama_pemda, "tahun": lra["tahun"],
            "anggaran_pendapatan": lra["pendapatan"]["jumlah"]["anggaran"],
            "anggaran_belanja": lra["belanja"]["jumlah"]["anggaran"], "realisasi_sampai": lra["realisasi_terakhir"]}
    return [{**head, **m} for m in bulan_lra(lra, today)]


def _body(dataset: str, format: str, rows: list[dict], tanggal_data: str | None) -> bytes:
    columns = _columns(dataset)
    if format == "csv":
        return csv_bytes(columns, ([row.get(c) for c in columns] for row in rows))
    return orjson.dumps({"dataset": dataset, "judul": KAMUS[dataset]["judul"], "lisensi": LISENSI,
                         "sumber": SUMBER, "tanggal_data": tanggal_data, "kamus": kamus_of(dataset),
                         "data": [{c: row.get(c) for c in columns} for row in rows]})


def kamus_of(dataset: str) -> list[dict]:
    return [{"kolom": n, "arti": a, "satuan": s} for n, a, s, _ in KAMUS[dataset]["kolom"]]


def _media(format: str) -> str:
    return "text/csv; charset=utf-8" if format == "csv" else "application/json"


def _download(name: str, format: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}.{format}"'}


@router.get("/kamus", summary="The data dictionary of every open dataset: columns, meaning, unit; the licence",
            responses=responses(422, 503, 504))
async def kamus(request: Request):
    async def build():
        return orjson.dumps({"lisensi": LISENSI, "sumber": SUMBER, "dataset": [
            {"nama": name, "judul": d["judul"], "kolom": kamus_of(name)} for name, d in KAMUS.items()]})
    return await cached(request, ("kamus",), build, "application/json")


@router.get("/pemda/{kode_pemda}/{tahun}/rkpd.{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="A pemda's enacted RKPD of a year, every sub kegiatan (404 while none is enacted)")
async def rkpd(request: Request, kode_pemda: KodePemda, tahun: Tahun, format: Format):
    async def build():
        r = await _enacted(request, kode_pemda, tahun)
        return _body("rkpd", format, rows_rkpd(r), r["ditetapkan_at"])
    return await _published(request, ("data", "rkpd", kode_pemda, tahun, format), build, _media(format),
                            _download(f"rkpd-{kode_pemda}-{tahun}", format))


class _NotEnacted(Exception):
    """Nothing enacted to publish: a 404 (not cached; the enactment's event clears the cache anyway)."""


async def _enacted(request: Request, kode_pemda: str, tahun: int) -> dict:
    r = await sumber.rkpd(request, kode_pemda, tahun)
    if r is None:
        raise _NotEnacted(f"no enacted RKPD {tahun} in pemda {kode_pemda}")
    return r


async def _published(request: Request, key: tuple, build, media_type: str, headers: dict | None = None) -> Response:
    try:
        return await cached(request, key, build, media_type, headers)
    except _NotEnacted as exc:
        return problem(404, str(exc), None, request.url.path)


@router.get("/nasional/{tahun}/rkpd-urusan.{format}", response_class=Response,
            responses={**FILES, **responses(422, 503, 504)},
            summary="Every pemda's enacted RKPD of a year in pagu indikatif per bidang urusan")
async def rkpd_urusan(request: Request, tahun: Tahun, format: Format):
    async def build():
        published = await sumber.rkpd_nasional(request, tahun)
        latest = max((r["ditetapkan_at"] for r in published), default=None)
        return _body("rkpd-urusan", format, rows_urusan(published), latest)
    return await cached(request, ("data", "rkpd-urusan", tahun, format), build, _media(format),
                        _download(f"rkpd-urusan-{tahun}", format))


@router.get("/pemda/{kode_pemda}/{tahun}/datapackage.json",
            responses=responses(404, 422, 503, 504),
            summary="The enacted RKPD's money as a Fiscal Data Package (Frictionless / OpenSpending): the "
                    "descriptor of `rkpd.csv` beside it, with the fiscal model")
async def datapackage(request: Request, kode_pemda: KodePemda, tahun: Tahun):
    async def build():
        return orjson.dumps(fiscal_data_package(await _enacted(request, kode_pemda, tahun)))
    return await _published(request, ("data", "datapackage", kode_pemda, tahun), build, "application/json")


@router.get("/pemda/{kode_pemda}/{tahun}/apbd.{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="A pemda's enacted APBD of a year, per account (404 while none is enacted)")
async def apbd(request: Request, kode_pemda: KodePemda, tahun: Tahun, format: Format):
    async def build():
        a = await _apbd(request, kode_pemda, tahun)
        p = await sumber.pemda(request, kode_pemda)
        return _body("apbd", format, rows_apbd(a, p["nama"] if p else None), a["tanggal_perda"])
    return await _published(request, ("data", "apbd", kode_pemda, tahun, format), build, _media(format),
                            _download(f"apbd-{kode_pemda}-{tahun}", format))


@router.get("/pemda/{kode_pemda}/{tahun}/apbd-datapackage.json", responses=responses(404, 422, 503, 504),
            summary="The enacted APBD as a Fiscal Data Package: the descriptor of `apbd.csv` beside it, with the fiscal "
                    "model (revenue, spending and financing per account, in IDR)")
async def apbd_datapackage(request: Request, kode_pemda: KodePemda, tahun: Tahun):
    async def build():
        a = await _apbd(request, kode_pemda, tahun)
        p = await sumber.pemda(request, kode_pemda)
        return orjson.dumps(apbd_data_package(a, p["nama"] if p else None))
    return await _published(request, ("data", "apbd-datapackage", kode_pemda, tahun), build, "application/json")


async def _apbd(request: Request, kode_pemda: str, tahun: int) -> dict:
    a = await sumber.apbd(request, kode_pemda, tahun)
    if a is None:
        raise _NotEnacted(f"no enacted APBD {tahun} in pemda {kode_pemda}")
    return a


@router.get("/pemda/{kode_pemda}/{tahun}/lra.{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="A pemda's realisation of a year so far against the enacted budget, per account (404 while no "
                    "APBD is enacted)")
async def lra(request: Request, kode_pemda: KodePemda, tahun: Tahun, format: Format):
    async def build():
        r, nama = await _lra(request, kode_pemda, tahun)
        return _body("lra", format, rows_lra(r, nama), r["realisasi_terakhir"] or r["tanggal_perda"])
    return await _published(request, ("data", "lra", kode_pemda, tahun, format, versi(request, kode_pemda)), build,
                            _media(format), _download(f"lra-{kode_pemda}-{tahun}", format))


@router.get("/pemda/{kode_pemda}/{tahun}/lra-bulanan.{format}", response_class=Response,
            responses={**FILES, **responses(404, 422, 503, 504)},
            summary="A pemda's revenue and spending realised per month of a year and cumulated, beside the year's "
                    "budget (404 while no APBD is enacted)")
async def lra_bulanan(request: Request, kode_pemda: KodePemda, tahun: Tahun, format: Format):
    async def build():
        r, nama = await _lra(request, kode_pemda, tahun)
        rows = rows_lra_bulanan(r, nama, datetime.now(timezone.utc).date())
        return _body("lra-bulanan", format, rows, r["realisasi_terakhir"] or r["tanggal_perda"])
    return await _published(request, ("data", "lra-bulanan", kode_pemda, tahun, format, versi(request, kode_pemda)),
                            build, _media(format), _download(f"lra-bulanan-{kode_pemda}-{tahun}", format))


@router.get("/pemda/{kode_pemda}/{tahun}/lra-datapackage.json", responses=responses(404, 422, 503, 504),
            summary="The realisation against the enacted budget as a Fiscal Data Package: the descriptor of `lra.csv` "
                    "beside it, with the fiscal model (budget and realisation per account, in IDR)")
async def lra_datapackage(request: Request, kode_pemda: KodePemda, tahun: Tahun):
    async def build():
        r, nama = await _lra(request, kode_pemda, tahun)
        return orjson.dumps(lra_data_package(r, nama))
    return await _published(request, ("data", "lra-datapackage", kode_pemda, tahun, versi(request, kode_pemda)),
                            build, "application/json")


async def _lra(request: Request, kode_pemda: str, tahun: int) -> tuple[dict, str | None]:
    """The LRA to account level 6 (every account), and the pemda's name."""
    r = await sumber.lra(request, kode_pemda, tahun, tingkat=6)
    if r is None:
        raise _NotEnacted(f"no enacted APBD {tahun} in pemda {kode_pemda}: no realisation is published")
    p = await sumber.pemda(request, kode_pemda)
    return r, p["nama"] if p else None


def _fields(dataset: str) -> list[dict]:
    return [{"name": n, "title": t, "type": ty, **({"format": "any"} if ty in ("datetime", "date") else {})}
            for n, t, _, ty in KAMUS[dataset]["kolom"]]


def apbd_data_package(a: dict, nama_pemda: str | None) -> dict:
    """The Fiscal Data Package descriptor of one pemda's enacted APBD (``apbd.csv`` beside it): the amount in IDR
    per account (economic classification: akun, kelompok, rekening), the direction given by the akun (4 revenue,
    5 expenditure, 6 financing), phase ``approved``."""
    return {
        "profile": "tabular-data-package",
        "name": f"sipd-apbd-{a['kode_pemda'].replace('.', '-')}-{a['tahun']}",
        "title": f"APBD {nama_pemda or a['kode_pemda']} tahun {a['tahun']} (Perda {a['nomor_perda']})",
        "licenses": [LISENSI], "sources": [{"title": SUMBER}],
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "countryCode": "ID",
        "fiscalPeriod": {"start": f"{a['tahun']}-01-01", "end": f"{a['tahun']}-12-31"},
        "resources": [{"name": "apbd", "path": "apbd.csv", "profile": "tabular-data-resource", "format": "csv",
                       "mediatype": "text/csv", "encoding": "utf-8-sig",
                       "schema": {"fields": _fields("apbd"), "missingValues": [""]}}],
        "model": {
            "measures": {"jumlah": {"source": "jumlah", "currency": "IDR", "factor": 1, "phase": "approved"}},
            "dimensions": {
                "economic-classification": {
                    "dimensionType": "classification", "classificationType": "economic",
                    "attributes": {"kode_akun": {"source": "kode_akun"}, "kode_kelompok": {"source": "kode_kelompok"},
                                   "kode_rekening": {"source": "kode_rekening"},
                                   "nama_rekening": {"source": "nama_rekening", "labelfor": "kode_rekening"}},
                    "primaryKey": ["kode_rekening"]},
                "date": {"dimensionType": "datetime", "attributes": {"tahun": {"source": "tahun"}},
                         "primaryKey": ["tahun"]},
                "location": {"dimensionType": "location",
                             "attributes": {"kode_pemda": {"source": "kode_pemda"}, "nama_pemda": {"source": "nama_pemda"}},
                             "primaryKey": ["kode_pemda"]},
            },
        },
    }


def lra_data_package(lra: dict, nama_pemda: str | None) -> dict:
    """The Fiscal Data Package descriptor of one pemda's realisation (``lra.csv`` beside it): per account
    (economic classification), the budget (phase ``approved``, ``adjusted`` once an APBD-P is enacted) and the
    realisation so far (``executed``) in IDR."""
    package = apbd_data_package(lra, nama_pemda)  # the same classifications, period and place
    fase = "adjusted" if lra["dasar_anggaran"] == "apbd_perubahan" else "approved"
    resource = {**package["resources"][0], "name": "lra", "path": "lra.csv",
                "schema": {"fields": _fields("lra"), "missingValues": [""]}}
    return {**package, "name": f"sipd-lra-{lra['kode_pemda'].replace('.', '-')}-{lra['tahun']}",
            "title": f"Realisasi anggaran {nama_pemda or lra['kode_pemda']} tahun {lra['tahun']} "
                     f"(anggaran: {lra['nomor_perda']})",
            "resources": [resource],
            "model": {**package["model"], "measures": {
                "anggaran": {"source": "anggaran", "currency": "IDR", "factor": 1, "phase": fase},
                "realisasi": {"source": "realisasi", "currency": "IDR", "factor": 1, "phase": "executed"}}}}


def fiscal_data_package(r: dict) -> dict:
    """The Fiscal Data Package descriptor of one pemda's enacted RKPD (``rkpd.csv`` beside it): a tabular
    data package with the fiscal ``model`` mapping the amount (pagu indikatif, planned expenditure in IDR)
    to the administrative (SKPD), functional (bidang urusan) and activity (program, sub kegiatan)
    classifications, the period and the location."""
    fields = _fields("rkpd")

    def attr(*names: str, label: str | None = None) -> dict:
        return {n: {"source": n, **({"labelfor": names[0]} if label and n == label else {})} for n in names}

    return {
        "profile": "tabular-data-package",
        "name": f"sipd-rkpd-{r['kode_pemda'].replace('.', '-')}-{r['tahun']}",
        "title": f"RKPD {r.get('nama_pemda') or r['kode_pemda']} tahun {r['tahun']} (ditetapkan)",
        "licenses": [LISENSI],
        "sources": [{"title": SUMBER}],
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "countryCode": "ID",
        "fiscalPeriod": {"start": f"{r['tahun']}-01-01", "end": f"{r['tahun']}-12-31"},
        "resources": [{
            "name": "rkpd", "path": "rkpd.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": fields, "missingValues": [""]},
        }],
        "model": {
            "measures": {"pagu_indikatif": {"source": "pagu_indikatif", "currency": "IDR", "factor": 1,
                                            "direction": "expenditure", "phase": "proposed"}},
            "dimensions": {
                "administrative-classification": {
                    "dimensionType": "classification", "classificationType": "administrative",
                    "attributes": attr("kode_skpd", "nama_skpd", label="nama_skpd"), "primaryKey": ["kode_skpd"]},
                "functional-classification": {
                    "dimensionType": "classification", "classificationType": "functional",
                    "attributes": attr("kode_bidang_urusan", "nama_bidang_urusan", label="nama_bidang_urusan"),
                    "primaryKey": ["kode_bidang_urusan"]},
                "activity": {
                    "dimensionType": "activity",
                    "attributes": attr("kode_program", "nama_program", "kode_sub_kegiatan", "nama_sub_kegiatan"),
                    "primaryKey": ["kode_sub_kegiatan"]},
                "date": {"dimensionType": "datetime", "attributes": attr("tahun"), "primaryKey": ["tahun"]},
                "location": {"dimensionType": "location", "attributes": attr("kode_pemda", "nama_pemda"),
                             "primaryKey": ["kode_pemda"]},
            },
        },
    }
