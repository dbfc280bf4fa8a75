"""EPPD: the ministry's evaluation of how each pemda governed — a round per year, scored by the team of
the level above each pemda (the ministry for a province, the province for its regencies/cities),
closed, then announced; announced results are public."""
from __future__ import annotations

from fastapi import APIRouter

from contracts.pemerintahan import HasilRondeOut, NilaiEppd, PenilaianPemdaOut, RondeBaru, RondeOut, StatusKhususEppd

from ..deps import IdempotencyKey, KodePemda, Rpc, Tahun, service_key
from ..jsonresp import json_response
from ..problems import responses
from ..security import CurrentUser, PemdaReader

router = APIRouter(prefix="/api/v1/eppd/{tahun}", tags=["pemerintahan"], responses=responses(401, 403))
public = APIRouter(prefix="/api/v1/publik/eppd", tags=["pemerintahan"])


@router.post("", status_code=201, response_model=RondeOut, responses=responses(400, 409, 422, 503, 504),
             summary="Open the year's round on an indicator set and status bands (a pusat administrator's)")
async def open_eppd(rpc: Rpc, caller: CurrentUser, tahun: Tahun, body: RondeBaru, idempotency_key: IdempotencyKey = None):
    return json_response(await rpc.call("pemerintahan", "open_eppd", tahun, body.model_dump(mode="json"),
                                        idempotency_key=service_key(idempotency_key)), 201)


@router.get("", response_model=HasilRondeOut, responses=responses(404, 422, 503, 504),
            summary="The round and the results the caller may read, with index, status and rank per cluster")
async def get_eppd(rpc: Rpc, caller: CurrentUser, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "get_eppd", tahun))


@router.post("/tutup", response_model=RondeOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Close the round: no score changes after (a pusat administrator's)")
async def close_eppd(rpc: Rpc, caller: CurrentUser, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "advance_eppd", tahun, "ditutup"))


@router.post("/umumkan", response_model=RondeOut, responses=responses(400, 404, 409, 422, 503, 504),
             summary="Announce a closed round: its results become public (a pusat administrator's)")
async def publish_eppd(rpc: Rpc, caller: CurrentUser, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "advance_eppd", tahun, "diumumkan"))


@router.put("/pemda/{kode_pemda}/nilai", response_model=PenilaianPemdaOut, responses=responses(400, 404, 409, 422, 503, 504),
            summary="Score a pemda's indicators (its evaluating team; refused once the round is closed)")
async def score_eppd(rpc: Rpc, caller: PemdaReader, tahun: Tahun, kode_pemda: KodePemda, body: NilaiEppd):
    return json_response(await rpc.call("pemerintahan", "score_eppd", tahun, kode_pemda, body.model_dump(mode="json")))


@router.put("/pemda/{kode_pemda}/status", response_model=PenilaianPemdaOut,
            responses=responses(400, 404, 409, 422, 503, 504),
            summary="Set a pemda tidak dinilai or nihil, with the reason (or lift it: status null)")
async def flag_eppd(rpc: Rpc, caller: PemdaReader, tahun: Tahun, kode_pemda: KodePemda, body: StatusKhususEppd):
    return json_response(await rpc.call("pemerintahan", "flag_eppd", tahun, kode_pemda, body.model_dump(mode="json")))


@router.get("/pemda/{kode_pemda}", response_model=PenilaianPemdaOut, responses=responses(404, 422, 503, 504),
            summary="One pemda's scores and result")
async def get_eppd_pemda(rpc: Rpc, caller: PemdaReader, tahun: Tahun, kode_pemda: KodePemda):
    return json_response(await rpc.call("pemerintahan", "get_eppd_pemda", tahun, kode_pemda))


@public.get("/{tahun}", response_model=HasilRondeOut, responses=responses(404, 422, 503, 504),
            summary="An announced round's results (public); a round not announced is not found")
async def get_eppd_publik(rpc: Rpc, tahun: Tahun):
    return json_response(await rpc.call("pemerintahan", "get_eppd_publik", tahun))
