"""What the portal reads: the services' published data (answers that need no token)."""
from __future__ import annotations

from typing import Any, Awaitable

from fastapi import Request

from ..rpc import RemoteError


async def _or_none(call: Awaitable[Any]) -> Any:
    """The answer, or None where the service says there is none (NotFound): not published is not an error."""
    try:
        return await call
    except RemoteError as exc:
        if exc.exc_type == "NotFound":
            return None
        raise


def _rpc(request: Request):
    return request.app.state.rpc


async def pemda(request: Request, kode: str) -> dict | None:
    return await _or_none(_rpc(request).call("referensi", "get_pemda", kode))


async def cari_pemda(request: Request, q: str | None = None, kode_provinsi: str | None = None,
                     jenis: str | None = None, limit: int = 50) -> list[dict]:
    page = await _rpc(request).call("referensi", "list_pemda", kode_provinsi=kode_provinsi, jenis=jenis, q=q,
                                    offset=0, limit=limit)
    return page["items"]


async def rkpd(request: Request, kode_pemda: str, tahun: int) -> dict | None:
    """The pemda's enacted RKPD of the year, whole; None while none is enacted."""
    return await _or_none(_rpc(request).call("perencanaan", "get_rkpd_terbit", kode_pemda, tahun))


async def rkpd_nasional(request: Request, tahun: int) -> list[dict]:
    """Every pemda's enacted RKPD of the year in totals per bidang urusan."""
    return await _rpc(request).call("perencanaan", "list_rkpd_terbit", tahun)


async def tahun_terbit(request: Request, kode_pemda: str) -> list[int]:
    return await _rpc(request).call("perencanaan", "list_tahun_terbit", kode_pemda)


async def apbd(request: Request, kode_pemda: str, tahun: int) -> dict | None:
    """The pemda's enacted APBD of the year (summary, by urusan / SKPD / program, the legal ratios); None while
    none is enacted."""
    return await _or_none(_rpc(request).call("keuangan", "get_apbd_terbit", kode_pemda, tahun))


async def perda(request: Request, kode_pemda: str) -> list[dict]:
    """The pemda's enacted regulations (the register's public part), newest first as the register lists them."""
    page = await _rpc(request).call("pemerintahan", "list_perda_publik", offset=0, limit=200, kode_pemda=kode_pemda)
    return page["items"]


async def eppd(request: Request, tahun: int) -> dict | None:
    """The announced EPPD results of a year (index, status, rank per cluster); None until announced."""
    return await _or_none(_rpc(request).call("pemerintahan", "get_eppd_publik", tahun))


async def lppd(request: Request, kode_pemda: str, tahun: int) -> dict | None:
    """The pemda's LPPD of the year as submitted (summary per urusan and bidang urusan, the indicators); None until
    submitted."""
    return await _or_none(_rpc(request).call("pemerintahan", "get_lppd_publik", kode_pemda, tahun))


async def lra(request: Request, kode_pemda: str, tahun: int, tingkat: int = 2) -> dict | None:
    """The pemda's LRA of the year so far against the enacted budget (the rows to account level ``tingkat``, the
    months); None while no APBD is enacted."""
    return await _or_none(_rpc(request).call("keuangan", "get_lra_publik", kode_pemda, tahun, tingkat=tingkat))
