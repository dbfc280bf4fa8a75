"""The budget's schedule windows (``/jadwal-anggaran/{tahun}``), issue 13: the stages of a pemda-year's budget
(``ppas``, ``rka``, ``rapbd``, ``apbd_p``) each written only inside its window; TAPD schedules them, extends a window
(perpanjang), locks a stage (an immutable, content-hashed snapshot of what it holds) and reopens a locked one for a
reason (buka-kembali: recorded, the snapshot kept; not once the budget is enacted). A write of a stage outside its
window is refused by keuangan (409 naming `tahap`). A year without a budget schedule is not under one.

Read by every role of the pemda; keuangan's policy decides who changes it.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.keuangan import (
    KODE_TAHAP_ANGGARAN, BukaKembaliTahapAnggaran, JadwalAnggaranBaru, JadwalAnggaranOut, PerpanjanganTahapAnggaran,
    SnapshotAnggaranOut,
)

from ..deps import IdempotencyKey, KodePemda, Rpc, Tahun, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/jadwal-anggaran/{tahun}", tags=["keuangan"],
                   responses=responses(401, 403))

KodeTahap = Annotated[str, Path(pattern=KODE_TAHAP_ANGGARAN, description="The budget stage: `ppas`, `rka`, `rapbd` "
                                                                         "or `apbd_p`.", examples=["rka"])]
SnapshotId = Annotated[str, Path(max_length=36, description="The snapshot's id.")]
WRITE_ERRORS = responses(400, 404, 409, 422, 503, 504)


@router.post("", status_code=201, response_model=JadwalAnggaranOut, responses=WRITE_ERRORS,
             summary="Schedule the year's budget stages: a window for each (`apbd_p` may be left out)",
             description="TAPD. 409 naming `tahun` when the year has a budget schedule already. Until a year has "
                         "one, every stage of its budget is open (as before schedules).")
async def create(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: JadwalAnggaranBaru,
                 idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "create_jadwal_anggaran", kode_pemda, tahun,
                                        body.model_dump(mode="json"), idempotency_key=service_key(idempotency_key)),
                         201)


@router.get("", response_model=JadwalAnggaranOut, responses=responses(404, 422, 503, 504),
            summary="The year's budget schedule: its stages, windows, states, and which may be written now")
async def get(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun):
    return json_response(await rpc.call("keuangan", "get_jadwal_anggaran", kode_pemda, tahun))


@router.post("/tahap/{kode_tahap}/perpanjang", response_model=JadwalAnggaranOut, responses=WRITE_ERRORS,
             summary="Extend a budget stage's window (not a locked one)",
             description="TAPD. 422 naming `waktu_selesai` (not later than the current end or now); 409 naming "
                         "`tahap` when the stage is locked.")
async def extend(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, kode_tahap: KodeTahap,
                 body: PerpanjanganTahapAnggaran):
    return json_response(await rpc.call("keuangan", "extend_tahap_anggaran", kode_pemda, tahun, kode_tahap,
                                        body.model_dump(mode="json")))


@router.post("/tahap/{kode_tahap}/kunci", response_model=JadwalAnggaranOut, responses=WRITE_ERRORS,
             summary="Lock a budget stage: a content-hashed snapshot of what it holds, kept unchanged; the stage is "
                     "written no more",
             description="TAPD. 409 naming `tahap` when it is locked already.")
async def lock(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, kode_tahap: KodeTahap):
    return json_response(await rpc.call("keuangan", "lock_tahap_anggaran", kode_pemda, tahun, kode_tahap, timeout=60))


@router.post("/tahap/{kode_tahap}/buka-kembali", response_model=JadwalAnggaranOut, responses=WRITE_ERRORS,
             summary="Reopen a locked budget stage, for a reason, until a new end of its window (recorded and audited; "
                     "its snapshot kept, a new lock takes a new version)",
             description="TAPD. 409 naming `tahap` when the stage is not locked, a later stage is locked, or the budget "
                         "it makes is enacted (the APBD: a change is made in the APBD-P; the APBD-P itself); 422 "
                         "naming `alasan` or `waktu_selesai` (not in the future).")
async def reopen(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, kode_tahap: KodeTahap,
                 body: BukaKembaliTahapAnggaran):
    return json_response(await rpc.call("keuangan", "reopen_tahap_anggaran", kode_pemda, tahun, kode_tahap,
                                        body.model_dump(mode="json")))


@router.get("/snapshot/{id}", response_model=SnapshotAnggaranOut, responses=responses(404, 422, 503, 504),
            summary="A locked stage's snapshot, as it was taken (with its hash)")
async def snapshot(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: SnapshotId):
    return json_response(await rpc.call("keuangan", "get_snapshot_anggaran", kode_pemda, tahun, id))
