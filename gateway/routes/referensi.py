"""The national codification: public, cacheable reads; its import, for a pusat administrator.

Every read answers the current codification, or the codification as of a version (``versi``);
every list is a page (``items``, ``total``, ``page``, ``per_page``).
"""
from __future__ import annotations

import base64
from datetime import date
from typing import Annotated, Any, Awaitable, Callable, Literal

import orjson

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile

from contracts.referensi import (
    CrosswalkOut, ImportReport, Kind, LevelPemerintahan, Mode, NomenklaturOut, PemdaOut, RekeningOut, SkpdOut, StandarHargaOut,
    SubKegiatanOut, SumberDanaOut, TingkatNomenklatur, TingkatRekening, TingkatWilayah, VersiOut, WilayahOut,
)

from ..deps import KODE_PEMDA_PATTERN, KodePemda, Page, Paging, Rpc, Tahun, page_of
from ..jsonresp import cacheable_body, etag_of, json_response
from ..limits import IMPORT_MAX_BYTES, IMPORT_TIMEOUT
from ..problems import problem, responses
from ..security import PusatAdmin

router = APIRouter(prefix="/api/v1/referensi", tags=["referensi"])

KODE = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"
PREFIX = r"^[0-9A-Z]+(\.[0-9A-Z]*)*$"
KODE_VERSI = r"^[a-z][a-z0-9]*(-[0-9a-z][0-9a-z.]*)+$"
ERRORS = responses(404, 422, 503, 504)
LIST_ERRORS = responses(422, 503, 504)
NOT_MODIFIED = {304: {"description": "Not modified: the `ETag` sent in `If-None-Match` is current"}}

Versi = Annotated[str | None, Query(max_length=60, pattern=KODE_VERSI, examples=["kepmendagri-050-5889-2021"],
                                    description="Answer as of this version; the current codification when left out.")]
Q = Annotated[str | None, Query(min_length=1, max_length=200, examples=["sekolah dasar"],
                                description="Words, all of which must appear (each as the start of a word).")]
Prefix = Annotated[str | None, Query(max_length=60, pattern=PREFIX, examples=["1.01.02"],
                                     description="Only codes that start with this.")]
Lingkup = Annotated[LevelPemerintahan | None, Query(description=(
    "The pemda's level: answer as a pemda of it reads the nomenclature. `provinsi`: the provincial lampiran's "
    "variant of a code where it has one (`varian` `provinsi`); in a list, only what that lampiran lists. "
    "Left out: every code's `umum` record (in a list, every record, both variants)."))]


def _kode(max_length: int, example: str):
    return Annotated[str, Path(max_length=max_length, pattern=KODE, examples=[example])]


KodeNomenklatur = _kode(30, "1.01.02.2.01")
KodeSubKegiatan = _kode(30, "1.01.02.2.01.0001")
KodeRekening = _kode(30, "5.1.02.01.01.0024")
KodeSumberDana = _kode(30, "2.2.01.06")
KodeWilayah = _kode(20, "32.73.01")
KodeSkpd = _kode(40, "1.01.0.00.0.00.01.0000")


async def _cached(request: Request, key: tuple, fetch: Callable[[], Awaitable[Any]]):
    """A public read through the gateway's cache (gateway/cache.py), dropped on referensi's events."""
    cache = request.app.state.reference_cache
    hit = cache.get(key)
    if hit is None:
        generation = cache.generation
        body = orjson.dumps(await fetch())
        hit = (body, etag_of(body))
        cache.put(key, *hit, generation=generation)
    return cacheable_body(request, *hit)


async def _read(request: Request, rpc: Rpc, method: str, *args: Any, **kwargs: Any):
    return await _cached(request, (method, args, tuple(sorted(kwargs.items()))),
                         lambda: rpc.call("referensi", method, *args, **kwargs))


async def _list(request: Request, rpc: Rpc, paging: Paging, method: str, *args: Any, **kwargs: Any):
    async def fetch():
        result = await rpc.call("referensi", method, *args, offset=paging.offset, limit=paging.per_page, **kwargs)
        return page_of(result, paging)

    return await _cached(request, (method, args, tuple(sorted(kwargs.items())), paging.page, paging.per_page), fetch)


def _get(path: str, model, summary: str):
    return router.get(path, response_model=model, responses={**ERRORS, **NOT_MODIFIED}, summary=summary)


def _get_list(path: str, model, summary: str, errors=LIST_ERRORS):
    return router.get(path, response_model=Page[model], responses={**errors, **NOT_MODIFIED}, summary=summary)


# -- versions and crosswalk ----------------------------------------------------------------------------

@_get_list("/versi", VersiOut, "The versions of the codification (the decrees), oldest first")
async def list_versi(request: Request, rpc: Rpc, paging: Paging):
    return await _list(request, rpc, paging, "list_versi")


@_get_list("/crosswalk", CrosswalkOut, "The crosswalk: which new code(s) replaced an old code, and in which version")
async def list_crosswalk(request: Request, rpc: Rpc, paging: Paging,
                         kind: Annotated[Kind | None, Query(description="Only this list.")] = None,
                         kode_lama: Annotated[str | None, Query(max_length=60, pattern=KODE, examples=["1.02.02.2.02.0021"])] = None,
                         kode_baru: Annotated[str | None, Query(max_length=60, pattern=KODE)] = None,
                         versi: Annotated[str | None, Query(max_length=60, pattern=KODE_VERSI,
                                                            description="Only the pairs of this version.")] = None):
    return await _list(request, rpc, paging, "list_crosswalk", kind=kind, kode_lama=kode_lama, kode_baru=kode_baru,
                       versi=versi)


# -- nomenclature -----------------------------------------------------------------------------------------

@_get_list("/nomenklatur", NomenklaturOut,
           "Search the nomenclature (urusan to sub kegiatan) by words and/or code prefix, by level")
async def search_nomenklatur(request: Request, rpc: Rpc, paging: Paging, q: Q = None, prefix: Prefix = None,
                             tingkat: Annotated[TingkatNomenklatur | None, Query(description="Only this level.")] = None,
                             versi: Versi = None, lingkup: Lingkup = None):
    return await _list(request, rpc, paging, "search", "nomenklatur", q=q, prefix=prefix, tingkat=tingkat, versi=versi,
                       lingkup=lingkup)


@_get("/nomenklatur/{kode}", NomenklaturOut, "One record of the nomenclature, at any level")
async def get_nomenklatur(request: Request, rpc: Rpc, kode: KodeNomenklatur, versi: Versi = None,
                          lingkup: Lingkup = None):
    return await _read(request, rpc, "get_nomenklatur", kode, versi=versi, lingkup=lingkup)


@_get_list("/nomenklatur/{kode}/anak", NomenklaturOut, "The children of a nomenclature record: the next level under it",
           ERRORS)
async def children_nomenklatur(request: Request, rpc: Rpc, paging: Paging, kode: KodeNomenklatur,
                               versi: Versi = None, lingkup: Lingkup = None):
    return await _list(request, rpc, paging, "children", "nomenklatur", kode, versi=versi, lingkup=lingkup)


@_get("/sub-kegiatan/{kode}", SubKegiatanOut,
      "A sub kegiatan of the national nomenclature, with its kegiatan, program and bidang urusan")
async def get_sub_kegiatan(request: Request, rpc: Rpc, kode: KodeSubKegiatan, versi: Versi = None,
                           lingkup: Lingkup = None):
    return await _read(request, rpc, "get_sub_kegiatan", kode, versi=versi, lingkup=lingkup)


# -- chart of accounts ------------------------------------------------------------------------------------

@_get_list("/rekening", RekeningOut, "Search the chart of accounts by words and/or code prefix, by level")
async def search_rekening(request: Request, rpc: Rpc, paging: Paging, q: Q = None, prefix: Prefix = None,
                          tingkat: Annotated[TingkatRekening | None, Query(description="Only this level.")] = None,
                          versi: Versi = None):
    return await _list(request, rpc, paging, "search", "rekening", q=q, prefix=prefix, tingkat=tingkat, versi=versi)


@_get("/rekening/{kode}", RekeningOut, "An account (kode rekening) of the national chart of accounts")
async def get_rekening(request: Request, rpc: Rpc, kode: KodeRekening, versi: Versi = None):
    return await _read(request, rpc, "get_rekening", kode, versi=versi)


@_get_list("/rekening/{kode}/anak", RekeningOut, "The children of an account: the next level under it", ERRORS)
async def children_rekening(request: Request, rpc: Rpc, paging: Paging, kode: KodeRekening, versi: Versi = None):
    return await _list(request, rpc, paging, "children", "rekening", kode, versi=versi)


# -- funding sources ---------------------------------------------------------------------------------------

@_get_list("/sumber-dana", SumberDanaOut, "Search the funding sources (sumber dana) by words and/or code prefix")
async def search_sumber_dana(request: Request, rpc: Rpc, paging: Paging, q: Q = None, prefix: Prefix = None,
                             tingkat: Annotated[int | None, Query(ge=1, le=6, description="Only this level.")] = None,
                             versi: Versi = None):
    return await _list(request, rpc, paging, "search", "sumber_dana", q=q, prefix=prefix, tingkat=tingkat, versi=versi)


@_get("/sumber-dana/{kode}", SumberDanaOut, "A funding source")
async def get_sumber_dana(request: Request, rpc: Rpc, kode: KodeSumberDana, versi: Versi = None):
    return await _read(request, rpc, "get_sumber_dana", kode, versi=versi)


@_get_list("/sumber-dana/{kode}/anak", SumberDanaOut, "The children of a funding source", ERRORS)
async def children_sumber_dana(request: Request, rpc: Rpc, paging: Paging, kode: KodeSumberDana, versi: Versi = None):
    return await _list(request, rpc, paging, "children", "sumber_dana", kode, versi=versi)


# -- regions and pemda -------------------------------------------------------------------------------------

@_get_list("/wilayah", WilayahOut, "Search the regions (province to village) by name words and/or code prefix")
async def search_wilayah(request: Request, rpc: Rpc, paging: Paging, q: Q = None, prefix: Prefix = None,
                         tingkat: Annotated[TingkatWilayah | None, Query(description="Only this level.")] = None,
                         versi: Versi = None):
    return await _list(request, rpc, paging, "search", "wilayah", q=q, prefix=prefix, tingkat=tingkat, versi=versi)


@_get("/wilayah/{kode}", WilayahOut, "A region: province, regency/city, district or village")
async def get_wilayah(request: Request, rpc: Rpc, kode: KodeWilayah, versi: Versi = None):
    return await _read(request, rpc, "get_wilayah", kode, versi=versi)


@_get_list("/wilayah/{kode}/anak", WilayahOut, "The regions directly under a region", ERRORS)
async def children_wilayah(request: Request, rpc: Rpc, paging: Paging, kode: KodeWilayah, versi: Versi = None):
    return await _list(request, rpc, paging, "children", "wilayah", kode, versi=versi)


@_get_list("/pemda", PemdaOut, "The pemda: provinces and regencies/cities; of one province, it and its regencies/cities")
async def list_pemda(request: Request, rpc: Rpc, paging: Paging,
                     provinsi: Annotated[str | None, Query(pattern=r"^[0-9]{2}$", examples=["32"],
                                                           description="Only this province and its regencies/cities.")] = None,
                     jenis: Annotated[Literal["provinsi", "kabupaten", "kota"] | None, Query()] = None,
                     q: Q = None, versi: Versi = None):
    return await _list(request, rpc, paging, "list_pemda", kode_provinsi=provinsi, jenis=jenis, q=q, versi=versi)


@_get("/pemda/{kode}", PemdaOut, "A pemda (province or regency/city) by its region code")
async def get_pemda(request: Request, rpc: Rpc,
                    kode: Annotated[str, Path(pattern=KODE_PEMDA_PATTERN, examples=["32.73"])], versi: Versi = None):
    return await _read(request, rpc, "get_pemda", kode, versi=versi)


@_get_list("/pemda/{kode_pemda}/skpd", SkpdOut, "The organisation units (SKPD) of a pemda")
async def list_skpd(request: Request, rpc: Rpc, paging: Paging, kode_pemda: KodePemda, q: Q = None,
                    bidang_urusan: Annotated[str | None, Query(pattern=r"^[0-9X]\.[0-9X]{2}$", examples=["1.01"],
                                                               description="Only the SKPD serving this bidang urusan.")] = None,
                    versi: Versi = None):
    return await _list(request, rpc, paging, "list_skpd", kode_pemda, q=q, bidang_urusan=bidang_urusan, versi=versi)


@_get("/pemda/{kode_pemda}/skpd/{kode}", SkpdOut, "One organisation unit (SKPD) of a pemda")
async def get_skpd(request: Request, rpc: Rpc, kode_pemda: KodePemda, kode: KodeSkpd,
                   versi: Versi = None):
    return await _read(request, rpc, "get_skpd", kode_pemda, kode, versi=versi)


@_get_list("/pemda/{kode_pemda}/standar-harga/{tahun}", StandarHargaOut,
           "The standard prices (SSH, SBU, HSPK, ASB) of a pemda and year; by the account they may be spent on")
async def list_standar_harga(request: Request, rpc: Rpc, paging: Paging, kode_pemda: KodePemda, tahun: Tahun,
                             kode_rekening: Annotated[str | None, Query(max_length=30, pattern=KODE,
                                                                        examples=["5.1.02.01.01.0024"],
                                                                        description="Only items that may be spent on this account.")] = None,
                             jenis: Annotated[Literal["SSH", "SBU", "HSPK", "ASB"] | None, Query()] = None,
                             q: Q = None, versi: Versi = None):
    return await _list(request, rpc, paging, "list_standar_harga", kode_pemda, tahun, kode_rekening=kode_rekening,
                       jenis=jenis, q=q, versi=versi)


# -- administration -------------------------------------------------------------------------------------------

@router.post("/impor", response_model=ImportReport, responses=responses(400, 401, 403, 413, 415, 422, 503, 504),
             summary="Import a list (CSV or XLSX) into a version: full or diff, with a dry run; a pusat administrator's",
             description="A file with any bad row is refused as a whole (422): `errors` names each cell as "
                         "`rows.<row>.<column>` (the header is row 1) and `report` carries the whole import report.")
async def import_file(
    request: Request, rpc: Rpc, admin: PusatAdmin,
    kind: Annotated[Kind, Form(description="Which list the file is.")],
    file: Annotated[UploadFile, File(description="The list: CSV (comma or semicolon, UTF-8) or XLSX (first sheet); "
                                                 "the header is row 1.")],
    mode: Annotated[Mode, Form(description="`full`: what is absent is retired; `diff`: the `aksi` column says "
                                           "tambah, ubah or hapus.")] = "full",
    versi: Annotated[str | None, Form(max_length=60, pattern=KODE_VERSI, description="The version of the file.")] = None,
    versi_judul: Annotated[str | None, Form(max_length=500, description="Title of the decree, for a new version.")] = None,
    versi_tanggal: Annotated[date | None, Form(description="Date of the decree, for a new version.")] = None,
    kode_pemda: Annotated[str | None, Form(pattern=KODE_PEMDA_PATTERN, description="For skpd and standar_harga.")] = None,
    tahun: Annotated[int | None, Form(ge=2000, le=2100, description="For standar_harga.")] = None,
    dry_run: Annotated[bool, Form(description="Report what would change; change nothing.")] = False,
):
    content = await file.read(IMPORT_MAX_BYTES + 1)
    if len(content) > IMPORT_MAX_BYTES:
        return problem(413, f"the file is larger than {IMPORT_MAX_BYTES} bytes; split it or import it with the CLI",
                       [{"field": "file", "message": "too large"}], request.url.path)
    name = file.filename or "upload"
    if not (name.lower().endswith((".csv", ".xlsx", ".txt")) or content.startswith(b"PK\x03\x04")):
        return problem(415, "send a CSV or an XLSX file", [{"field": "file", "message": "not CSV or XLSX"}],
                       request.url.path)
    body = {"kind": kind, "mode": mode, "versi": versi, "versi_judul": versi_judul,
            "versi_tanggal": versi_tanggal.isoformat() if versi_tanggal else None, "kode_pemda": kode_pemda,
            "tahun": tahun, "dry_run": dry_run}
    # referensi records who imported from the caller's verified token, and checks the role again
    report = await rpc.call("referensi", "import_file", body, base64.b64encode(content).decode("ascii"), name,
                            timeout=IMPORT_TIMEOUT)
    if report["errors"]:  # refused: nothing of the file was applied
        errors = [{"field": e["path"], "message": e["message"]} for e in report["errors"]]
        return problem(422, report["summary"], errors, request.url.path, report=report)
    if not dry_run:
        # the events that drop every gateway's cache follow through the outbox; this one need not wait
        request.app.state.reference_cache.clear()
    return json_response(report)
