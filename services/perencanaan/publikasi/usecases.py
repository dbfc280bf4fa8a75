"""The published RKPD, for everyone (the public portal, open data): no caller is needed, and only what an
enacting stage locked is answered (``domain.tahap_terbit``)."""
from __future__ import annotations

from contracts.perencanaan import RkpdTerbitOut, RkpdTerbitRingkasOut
from sipd_common.errors import Invalid, NotFound

from ..jadwal.domain import kode_program
from ..jadwal.usecases import RKPD
from ..rkpd.domain import TAHUN_MAX, TAHUN_MIN
from . import domain


def _tahun(tahun: int) -> int:
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise Invalid.field("tahun", f"must be a year from {TAHUN_MIN} to {TAHUN_MAX}")
    return tahun


def get_rkpd_terbit(uow, kode_pemda: str, tahun: int) -> RkpdTerbitOut:
    """A pemda's enacted RKPD of a year, every sub kegiatan with its program and SKPD named; NotFound while
    none is enacted (a draft is not published, whatever stage it is in)."""
    _tahun(tahun)
    with uow:
        stage = domain.tahap_terbit(uow.jadwal.get(kode_pemda, RKPD, tahun))
        s = uow.jadwal.snapshot(kode_pemda, stage.snapshot_id) if stage else None
        if s is None:
            raise NotFound(f"no enacted RKPD {tahun} in pemda {kode_pemda}")
        items = [i for i in s.items if not i.get("dihapus")]
        names = uow.replika.names(kode_pemda, sorted({kode_program(i["kode_sub_kegiatan"]) for i in items}),
                                  sorted({i["kode_skpd"] for i in items}))
    urusan = domain.per_urusan(items)
    return RkpdTerbitOut(
        kode_pemda=kode_pemda, nama_pemda=names["pemda"].get(kode_pemda), tahun=tahun, snapshot_id=s.id,
        hash=s.hash, kode_tahap=s.kode_tahap, ditetapkan_at=s.dibuat_at, jumlah_sub_kegiatan=len(items),
        total_pagu_indikatif=sum((u["pagu_indikatif"] for u in urusan), start=0), urusan=urusan,
        sub_kegiatan=[domain.sub_kegiatan_terbit(i, names["nomenklatur"], names["skpd"]) for i in items])


def list_rkpd_terbit(uow, tahun: int) -> list[RkpdTerbitRingkasOut]:
    """Every pemda's enacted RKPD of a year, in totals per bidang urusan (pemda without one are absent)."""
    _tahun(tahun)
    with uow:
        published = [(j.kode_pemda, stage.snapshot_id) for j in uow.jadwal.of_year(RKPD, tahun)
                     if (stage := domain.tahap_terbit(j)) is not None]
        found = uow.publikasi.ringkasan([snapshot_id for _, snapshot_id in published])
    return [RkpdTerbitRingkasOut(
        kode_pemda=r["kode_pemda"], tahun=r["tahun"], snapshot_id=r["id"], hash=r["hash"],
        kode_tahap=r["kode_tahap"], ditetapkan_at=r["dibuat_at"],
        jumlah_sub_kegiatan=sum(u["jumlah_sub_kegiatan"] for u in r["urusan"]),
        total_pagu_indikatif=sum((u["pagu_indikatif"] for u in r["urusan"]), start=0), urusan=r["urusan"])
        for r in found]


def list_tahun_terbit(uow, kode_pemda: str) -> list[int]:
    """The years of which the pemda's RKPD is enacted, newest first."""
    with uow:
        schedules = uow.jadwal.list(kode_pemda, dokumen=RKPD)
    return sorted((j.tahun for j in schedules if domain.tahap_terbit(j) is not None), reverse=True)
