"""Schedule windows (jadwal) of the planning documents, and the snapshots their locks take.

A pemda's document (``rkpd``) for a year is made in stages, each inside a window; Bappeda (or the pemda
administrator) schedules, opens, extends, locks and reopens them (perencanaan's policy decides, with the
schedule in hand). Every role of the pemda reads the schedule; a snapshot shows an SKPD operator its own
SKPD's items. The decrees' stage lists are public.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from contracts.perencanaan import (
    DOKUMEN, KODE_TAHAP, BukaKembaliTahap, JadwalBaru, JadwalOut, JendelaTahap, PerpanjanganTahap, SnapshotInfoOut,
    SnapshotOut, TahapanOut,
)
from sipd_common import access
from sipd_common.audit import AuditEntryOut

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader

public = APIRouter(prefix="/api/v1/perencanaan", tags=["perencanaan"])
router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}", tags=["perencanaan"], responses=responses(401, 403))

Dokumen = Annotated[str, Path(pattern=DOKUMEN, description=(
    "The planning document: `rkpd`, or `rpjmd`/`renstra` (whose `tahun` is the period's first year)."),
    examples=["rkpd"])]
KodeTahap = Annotated[str, Path(pattern=KODE_TAHAP, description="The stage, e.g. `rancangan_awal`.",
                                examples=["rancangan_awal"])]
WRITE_ERRORS = responses(400, 404, 409, 422, 503, 504)
READ_ERRORS = responses(404, 422, 503, 504)


@public.get("/tahapan", response_model=list[TahapanOut], responses=responses(422, 503, 504),
            summary="The stages of each planning document, per decree (version) and the year it applies from")
async def tahapan(rpc: Rpc, dokumen: Annotated[str | None, Query(pattern=DOKUMEN)] = None):
    return json_response(await rpc.call("perencanaan", "list_tahapan", dokumen))


def _location(request: Request, j: dict) -> dict:
    base = str(request.url.path).split("/jadwal")[0]
    return {"Location": f"{base}/jadwal/{j['dokumen']}/{j['tahun']}"}


@router.post("/jadwal", status_code=201, response_model=JadwalOut, responses=WRITE_ERRORS,
             summary="Schedule a document's stages for a year: a window for each stage of the decree in force")
async def create(request: Request, rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, body: JadwalBaru,
                 idempotency_key: IdempotencyKey = None):
    j = await rpc.call("perencanaan", "create_jadwal", kode_pemda, body.model_dump(mode="json"),
                       idempotency_key=service_key(idempotency_key))
    return json_response(j, 201, _location(request, j))


@router.get("/jadwal", response_model=Page[JadwalOut], responses=responses(422, 503, 504),
            summary="The pemda's schedules (of a year, of a document)")
async def list_(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, paging: Paging,
                tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                dokumen: Annotated[str | None, Query(pattern=DOKUMEN)] = None):
    result = await rpc.call("perencanaan", "list_jadwal", kode_pemda, tahun, dokumen)
    items = result["items"][paging.offset:paging.offset + paging.per_page]
    return json_response(page_of({"items": items, "total": result["total"]}, paging))


@router.get("/jadwal/{dokumen}/{tahun}", response_model=JadwalOut, responses=READ_ERRORS,
            summary="A document's schedule for a year: its stages, their windows and states, the stage open now")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun):
    return json_response(await rpc.call("perencanaan", "get_jadwal", kode_pemda, dokumen, tahun))


@router.get("/jadwal/{dokumen}/{tahun}/audit", response_model=Page[AuditEntryOut], responses=READ_ERRORS,
            summary="Every change of the schedule, oldest first: who opened, extended, locked, reopened (and why)")
async def audit(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun, paging: Paging):
    result = await rpc.call("perencanaan", "get_jadwal_audit", kode_pemda, dokumen, tahun,
                            offset=paging.offset, limit=paging.per_page)
    return json_response(page_of(result, paging))


@router.post("/jadwal/{dokumen}/{tahun}/tahap", response_model=JadwalOut, responses=WRITE_ERRORS,
             summary="Schedule a stage left out at first (an optional one: perubahan)")
async def add_tahap(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun,
                    body: JendelaTahap):
    return json_response(await rpc.call("perencanaan", "add_tahap", kode_pemda, dokumen, tahun,
                                        body.model_dump(mode="json")))


@router.post("/jadwal/{dokumen}/{tahun}/tahap/{kode_tahap}/buka", response_model=JadwalOut, responses=WRITE_ERRORS,
             summary="Open a stage (the one before it locked): it is written while now is inside its window")
async def open_(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun,
                kode_tahap: KodeTahap):
    return json_response(await rpc.call("perencanaan", "open_tahap", kode_pemda, dokumen, tahun, kode_tahap))


@router.post("/jadwal/{dokumen}/{tahun}/tahap/{kode_tahap}/perpanjang", response_model=JadwalOut,
             responses=WRITE_ERRORS, summary="Extend a stage's window (a stage not yet locked)")
async def extend(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun,
                 kode_tahap: KodeTahap, body: PerpanjanganTahap):
    return json_response(await rpc.call("perencanaan", "extend_tahap", kode_pemda, dokumen, tahun, kode_tahap,
                                        body.model_dump(mode="json")))


@router.post("/jadwal/{dokumen}/{tahun}/tahap/{kode_tahap}/kunci", response_model=JadwalOut, responses=WRITE_ERRORS,
             summary="Lock the open stage: an immutable, content-hashed snapshot; locking penetapan enacts the RKPD "
                     "(event `rkpd.ditetapkan.v1`)",
             description="409 (`kode_tahap`) when the stage is not the open one. A stage of the RKPD that requires "
                         "the Renstra sasaran of every item (`wajib_sasaran`: rancangan akhir, penetapan) is not "
                         "locked while an item of the year has none (422 naming `kode_sasaran_renstra`, one error "
                         "per item, nothing locked), once a verified Renstra of the pemda covers the year.")
async def lock(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun,
               kode_tahap: KodeTahap):
    return json_response(await rpc.call("perencanaan", "lock_tahap", kode_pemda, dokumen, tahun, kode_tahap))


@router.post("/jadwal/{dokumen}/{tahun}/tahap/{kode_tahap}/buka-kembali", response_model=JadwalOut,
             responses=WRITE_ERRORS,
             summary="Reopen the latest locked stage, for a reason (audited); its snapshot stays as it was")
async def reopen(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun,
                 kode_tahap: KodeTahap, body: BukaKembaliTahap):
    return json_response(await rpc.call("perencanaan", "reopen_tahap", kode_pemda, dokumen, tahun, kode_tahap,
                                        body.model_dump(mode="json")))


@router.get("/jadwal/{dokumen}/{tahun}/snapshot", response_model=Page[SnapshotInfoOut], responses=READ_ERRORS,
            summary="The snapshots the schedule's locks took, oldest first (without their items)")
async def snapshots(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, dokumen: Dokumen, tahun: Tahun,
                    paging: Paging):
    result = await rpc.call("perencanaan", "list_snapshot", kode_pemda, dokumen, tahun)
    items = result["items"][paging.offset:paging.offset + paging.per_page]
    return json_response(page_of({"items": items, "total": result["total"]}, paging))


@router.get("/snapshot/{id}", response_model=SnapshotOut, responses=READ_ERRORS,
            summary="A snapshot as it was taken, for ever: its hash, totals and a page of its items "
                    "(an SKPD operator: its own SKPD's)")
async def snapshot(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, id: Annotated[str, Path(
        pattern=r"^[0-9a-fA-F-]{36}$", description="The snapshot's id.")], paging: Paging,
                   kode_skpd: Annotated[str | None, Query(max_length=40, description="Only this SKPD's items.")] = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("perencanaan", "get_snapshot", kode_pemda, id, offset=paging.offset,
                            limit=paging.per_page, kode_skpd=kode_skpd)
    return json_response({**result, "page": paging.page, "per_page": paging.per_page})
