"""Penatausahaan (issue 14): the money moving through its documents.

Spending: the BUD / kuasa BUD drafts and (another user) authorises the SPD of an SKPD within its DPA and cash plan;
the bendahara pengeluaran (or PPTK) drafts and submits an SPP drawn on it; the PPK-SKPD verifies it (or sends it
back to draft with the reason), drafts the SPM; the PA/KPA signs it; the BUD accepts or rejects it; the BUD drafts
the SP2D for exactly the SPM's amount, another BUD officer issues it, and its disbursement is the realisation of its
sub kegiatan × account. Transitions are POST sub-resources of the document.

Revenue: receipts (TBP) and deposits (STS) by an SKPD's bendahara penerimaan, deposits validated by the BUD / kuasa
BUD (another user) into realised revenue per account.

Every role of the pemda reads (an SKPD-bound role: its own SKPD's records); keuangan checks every right and rule
again (``keuangan/policy.py``, ``penatausahaan/domain.py``, ``penerimaan/domain.py``).
"""
from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from contracts.keuangan import (
    KODE_SKPD_PATTERN, BesaranUp, Keputusan, PencairanSp2d, PengembalianTu, PengesahanBaru, PengesahanOut, RealisasiOut,
    Sp2dBaru, Sp2dOut, SpdBaru, SpdOut, SpmBaru, SpmOut, SppBaru, SppOut, StsBaru, StsOut, TbpBaru, TbpOut,
)
from sipd_common import access

from ..deps import IdempotencyKey, KodePemda, Page, Paging, Rpc, Tahun, page_of, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import PemdaActor, PemdaReader
from .dokumen import FILES
from .dpa import _file

router = APIRouter(prefix="/api/v1/pemda/{kode_pemda}/penatausahaan/{tahun}", tags=["penatausahaan"],
                   responses=responses(401, 403))

KodeSkpd = Annotated[str | None, Query(max_length=40, pattern=KODE_SKPD_PATTERN,
                                       description="Only this SKPD's (an SKPD-bound role: its own only).")]
_WRITE = responses(400, 404, 409, 422, 503, 504)
Format = Annotated[Literal["xlsx", "pdf"], Path(description="`xlsx` or `pdf`.")]


@router.post("/tbp", status_code=201, response_model=TbpOut, responses=responses(400, 422, 503, 504),
             summary="The bendahara penerimaan records a receipt (TBP) on a 4.x sub rincian objek of its SKPD",
             description="Numbered per SKPD and year without gaps. Refused (422, naming the field) for an account "
                         "not a current revenue sub rincian objek, an SKPD not of the pemda, a date outside the year; "
                         "403 for another SKPD's receipt.")
async def buat_tbp(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: TbpBaru,
                   idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "buat_tbp", kode_pemda, tahun, body.model_dump(mode="json"),
                                        idempotency_key=service_key(idempotency_key)), 201)


@router.get("/tbp", response_model=Page[TbpOut], responses=responses(422, 503, 504),
            summary="The year's receipts (an SKPD-bound role: its own SKPD's)")
async def list_tbp(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                   kode_skpd: KodeSkpd = None,
                   belum_disetor: Annotated[bool, Query(description="Only those not deposited yet.")] = False):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_tbp", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd, belum_disetor=belum_disetor)
    return json_response(page_of(result, paging))


@router.get("/tbp/{id}", response_model=TbpOut, responses=responses(404, 422, 503, 504), summary="One receipt")
async def get_tbp(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_tbp", kode_pemda, tahun, str(id)))


@router.post("/sts", status_code=201, response_model=StsOut, responses=responses(400, 422, 503, 504),
             summary="The bendahara penerimaan deposits receipts of its SKPD (STS) into the RKUD",
             description="Each receipt once: refused (422 naming `tbp_ids.<i>`) for a receipt of another SKPD, "
                         "one deposited already, one dated after the deposit, one named twice.")
async def buat_sts(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: StsBaru,
                   idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "buat_sts", kode_pemda, tahun, body.model_dump(mode="json"),
                                        idempotency_key=service_key(idempotency_key)), 201)


@router.get("/sts", response_model=Page[StsOut], responses=responses(422, 503, 504),
            summary="The year's deposits (an SKPD-bound role: its own SKPD's)")
async def list_sts(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                   kode_skpd: KodeSkpd = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_sts", kode_pemda, tahun, offset=paging.offset, limit=paging.per_page,
                            kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))


@router.get("/sts/{id}", response_model=StsOut, responses=responses(404, 422, 503, 504), summary="One deposit")
async def get_sts(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "get_sts", kode_pemda, tahun, str(id)))


@router.post("/sts/{id}/validasi", response_model=StsOut, responses=_WRITE,
             summary="The BUD / kuasa BUD validates a deposit: its receipts become realised revenue per account",
             description="Publishes `realisasi.berubah.v1` per account. 409 naming `status` when validated already; "
                         "403 naming `pemeriksa` for the user who made the deposit.")
async def validasi_sts(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
    return json_response(await rpc.call("keuangan", "validasi_sts", kode_pemda, tahun, str(id)))


@router.get("/realisasi-pendapatan", response_model=Page[RealisasiOut], responses=responses(422, 503, 504),
            summary="Realised revenue so far per SKPD and account (an SKPD-bound role: its own SKPD's)")
async def list_realisasi_pendapatan(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun,
                                    paging: Paging, kode_skpd: KodeSkpd = None):
    access.require_skpd_filter(caller, kode_skpd)
    result = await rpc.call("keuangan", "list_realisasi_pendapatan", kode_pemda, tahun, offset=paging.offset,
                            limit=paging.per_page, kode_skpd=kode_skpd)
    return json_response(page_of(result, paging))



# == spending: SPD → SPP → SPM → SP2D → realisation =============================================================
_REFUSALS = ("Refused, changing nothing: 422 naming the field (an amount, a missing document); 409 naming `status` "
             "for a step out of order; 403 naming `pemeriksa` when the checker made the document; 403 for a "
             "document of another SKPD (an SKPD-bound role), 404 for one not in this pemda and year.")


def _list(name: str):
    async def handler(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, paging: Paging,
                      kode_skpd: KodeSkpd = None):
        access.require_skpd_filter(caller, kode_skpd)
        result = await rpc.call("keuangan", name, kode_pemda, tahun, offset=paging.offset, limit=paging.per_page,
                                kode_skpd=kode_skpd)
        return json_response(page_of(result, paging))
    handler.__name__ = name
    return handler


def _get(name: str):
    async def handler(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
        return json_response(await rpc.call("keuangan", name, kode_pemda, tahun, str(id)))
    handler.__name__ = name
    return handler


def _dokumen(doc: str):
    async def handler(rpc: Rpc, caller: PemdaReader, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                      format: Format):
        return _file(await rpc.call("keuangan", "dokumen_belanja", kode_pemda, tahun, doc, str(id), format,
                                    timeout=60))
    handler.__name__ = f"dokumen_{doc}"
    return handler


def _step(name: str):
    async def handler(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID):
        return json_response(await rpc.call("keuangan", name, kode_pemda, tahun, str(id)))
    handler.__name__ = name
    return handler


def _decision(name: str):
    async def handler(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                      body: Keputusan):
        return json_response(await rpc.call("keuangan", name, kode_pemda, tahun, str(id), body.model_dump(mode="json")))
    handler.__name__ = name
    return handler


def _create(name: str, model):
    async def handler(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body,
                      idempotency_key: IdempotencyKey = None):
        return json_response(await rpc.call("keuangan", name, kode_pemda, tahun, body.model_dump(mode="json"),
                                            idempotency_key=service_key(idempotency_key)), 201)
    handler.__name__ = name
    handler.__annotations__["body"] = model  # the body's model (this module's annotations are strings)
    return handler


_READ = responses(404, 422, 503, 504)
_LIST = responses(422, 503, 504)
_CREATE = responses(400, 404, 409, 422, 503, 504)

for _doc, _out, _name in (("spd", SpdOut, "SPD"), ("spp", SppOut, "SPP"), ("spm", SpmOut, "SPM"),
                          ("sp2d", Sp2dOut, "SP2D")):
    router.add_api_route(f"/{_doc}", _list(f"list_{_doc}"), methods=["GET"],
                         response_model=Page[_out], responses=_LIST,
                         summary=f"The year's {_name} (an SKPD-bound role: its own SKPD's)")
    router.add_api_route(f"/{_doc}/{{id}}", _get(f"get_{_doc}"), methods=["GET"], response_model=_out,
                         responses=_READ, summary=f"One {_name}")
    router.add_api_route(
        f"/{_doc}/{{id}}/dokumen/{{format}}", _dokumen(_doc), methods=["GET"], response_class=Response,
        responses={**FILES, **_READ}, summary=f"One {_name} as printed (XLSX or PDF)",
        description=f"As pemda print the {_name}: pemda, number, date, SKPD and what it rests on; its lines per sub "
                    "kegiatan × account with their totals; the amount in words (terbilang); the signature blocks "
                    "of the officers who sign it (the user who signed, blank until one has). A draft prints as "
                    "such. 404 for one not in this pemda and year, 403 for another SKPD's (an SKPD-bound role).")

router.add_api_route(
    "/spd", _create("buat_spd", SpdBaru), methods=["POST"], status_code=201, response_model=SpdOut,
    responses=_CREATE, summary="The BUD / kuasa BUD drafts an SPD of an SKPD for a period, per sub kegiatan × account",
    description="Σ the SKPD's SPD up to the period's last month ≤ its cash plan up to that month ≤ its authorised DPA "
                "line; numbered per SKPD and year without gaps. " + _REFUSALS)
router.add_api_route(
    "/spd/{id}/otorisasi", _step("otorisasi_spd"), methods=["POST"], response_model=SpdOut, responses=_WRITE,
    summary="The BUD / kuasa BUD authorises a draft SPD (not its maker)",
    description="Checked again against the DPA as it stands now; 409 naming `status` when the DPA was amended since "
                "(draft it again). An authorised SPD is archived (`arsip`) when the DPA it was issued under is "
                "amended. " + _REFUSALS)

router.add_api_route(
    "/pengesahan", _create("ajukan_pengesahan", PengesahanBaru), methods=["POST"], status_code=201,
    response_model=PengesahanOut, responses=_CREATE,
    summary="The bendahara pengeluaran submits an SPJ (for a GU) or a TU request of its SKPD",
    description=_REFUSALS)
router.add_api_route("/pengesahan/{id}", _get("get_pengesahan"), methods=["GET"], response_model=PengesahanOut,
                     responses=_READ, summary="One SPJ or TU request")
router.add_api_route(
    "/pengesahan/{id}/persetujuan", _step("setujui_pengesahan"), methods=["POST"], response_model=PengesahanOut,
    responses=_WRITE, summary="Approves an SPJ (the SKPD's PPK-SKPD or PA/KPA) or a TU request (the BUD)",
    description=_REFUSALS)


@router.post("/besaran-up", response_model=BesaranUp, responses=_WRITE,
             summary="The BUD sets an SKPD's UP size for the year, as the Perkada sets it",
             description="Data, not code: a new decision replaces it (audited). A UP SPP above it is refused (422).")
async def tetapkan_besaran_up(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, body: BesaranUp):
    return json_response(await rpc.call("keuangan", "tetapkan_besaran_up", kode_pemda, tahun,
                                        body.model_dump(mode="json")))


router.add_api_route(
    "/spp", _create("buat_spp", SppBaru), methods=["POST"], status_code=201, response_model=SppOut,
    responses=_CREATE, summary="The bendahara pengeluaran (or PPTK) drafts an SPP (UP, GU, TU or LS) of its SKPD",
    description="Each line within what remains of its authorised SPD's line (two SPPs racing for the last rupiah: "
                "one succeeds); one UP per SKPD and year within its size; a GU on an approved SPJ, a TU on an "
                "approved request; an LS for goods and services with its contract and handover record (`kontrak`, "
                "`bast`). " + _REFUSALS)
router.add_api_route("/spp/{id}/ajukan", _step("ajukan_spp"), methods=["POST"], response_model=SppOut,
                     responses=_WRITE, summary="The bendahara pengeluaran submits a draft SPP for verification",
                     description=_REFUSALS)
router.add_api_route(
    "/spp/{id}/verifikasi", _decision("verifikasi_spp"), methods=["POST"], response_model=SppOut, responses=_WRITE,
    summary="The PPK-SKPD verifies a submitted SPP, or sends it back to draft with the reason (`alasan`)",
    description="Never its maker (403 naming `pemeriksa`). " + _REFUSALS)


@router.post("/spp/{id}/pengembalian", response_model=SppOut, responses=_WRITE,
             summary="The bendahara pengeluaran returns the unused part of a disbursed TU",
             description=_REFUSALS)
async def kembalikan_tu(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                        body: PengembalianTu, idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("keuangan", "kembalikan_tu", kode_pemda, tahun, str(id),
                                        body.model_dump(mode="json")["nilai"],
                                        idempotency_key=service_key(idempotency_key)))


router.add_api_route(
    "/spm", _create("buat_spm", SpmBaru), methods=["POST"], status_code=201, response_model=SpmOut,
    responses=_CREATE, summary="The PPK-SKPD drafts the SPM of a verified SPP, for its amount",
    description="One live SPM per SPP (a rejected one may be redone). " + _REFUSALS)
router.add_api_route("/spm/{id}/tandatangan", _step("tandatangani_spm"), methods=["POST"], response_model=SpmOut,
                     responses=_WRITE, summary="The PA/KPA of the SKPD signs a draft SPM", description=_REFUSALS)
router.add_api_route(
    "/spm/{id}/keputusan", _decision("putuskan_spm"), methods=["POST"], response_model=SpmOut, responses=_WRITE,
    summary="The BUD / kuasa BUD accepts a signed SPM, or rejects it with the reason (`alasan`)",
    description=_REFUSALS)

router.add_api_route(
    "/sp2d", _create("buat_sp2d", Sp2dBaru), methods=["POST"], status_code=201, response_model=Sp2dOut,
    responses=_CREATE, summary="The BUD / kuasa BUD drafts the SP2D of an accepted SPM",
    description="For exactly the SPM's amount (422 naming `nilai` otherwise); one SP2D per SPM. " + _REFUSALS)
router.add_api_route(
    "/sp2d/{id}/terbit", _step("terbitkan_sp2d"), methods=["POST"], response_model=Sp2dOut, responses=_WRITE,
    summary="The BUD / kuasa BUD issues a draft SP2D (not its maker)", description=_REFUSALS)
async def cairkan_sp2d(rpc: Rpc, caller: PemdaActor, kode_pemda: KodePemda, tahun: Tahun, id: uuid.UUID,
                       body: PencairanSp2d | None = None):
    tanggal = body.tanggal.isoformat() if body and body.tanggal else None
    return json_response(await rpc.call("keuangan", "cairkan_sp2d", kode_pemda, tahun, str(id), tanggal))


router.add_api_route(
    "/sp2d/{id}/cair", cairkan_sp2d, methods=["POST"], response_model=Sp2dOut, responses=_WRITE,
    summary="The BUD / kuasa BUD records an issued SP2D as disbursed: it becomes realisation",
    description="Each line becomes realisation of its sub kegiatan × account, never above the DPA line (422); "
                "publishes `realisasi.berubah.v1` per line. " + _REFUSALS)

router.add_api_route(
    "/realisasi-belanja", _list("list_realisasi_belanja"), methods=["GET"],
    response_model=Page[RealisasiOut], responses=_LIST,
    summary="Spending realised so far (disbursed SP2D) per SKPD, sub kegiatan and account (an SKPD-bound role: "
            "its own SKPD's)")
