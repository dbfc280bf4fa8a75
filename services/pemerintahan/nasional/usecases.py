"""The national view, for the ministry (every pemda), a province (itself and its regencies/cities) and
a pemda (itself): answered from pemerintahan's own read models only."""
from __future__ import annotations

from contracts.pemerintahan import NasionalOut
from sipd_common import access
from sipd_common.access import Lingkup, Scope
from sipd_common.errors import Invalid

from ..eppd.usecases import hasil_of
from ..lppd.usecases import status_of as lppd_status
from .domain import SORTS, pilih, rinci, susun


def get_nasional(uow, caller: Scope | None, tahun: int, provinsi: str | None = None, jenis: str | None = None,
                 sort: str = "kode_pemda", descending: bool = False, offset: int = 0, limit: int = 50) -> NasionalOut:
    caller = access.require_caller(caller)
    if sort not in SORTS:
        raise Invalid.field("sort", f"one of {', '.join(SORTS)}")
    # narrow the statements to the caller's scope; the rows are filtered by the read rule again below
    wilayah, sendiri = None, None
    if caller.lingkup is Lingkup.PROVINSI:
        wilayah = caller.kode_pemda
    elif not caller.is_national:
        sendiri = caller.kode_pemda
    with uow:
        rows = susun(uow.nasional.total_rencana(tahun, wilayah, sendiri),
                     uow.nasional.total_anggaran(tahun, wilayah, sendiri),
                     uow.nasional.total_realisasi(tahun, wilayah, sendiri), hasil_of(uow, tahun),
                     uow.perda.counts(tahun), uow.binwas.counts(tahun), lppd_status(uow, tahun))
        visible = [r for r in rows.values() if caller.can_read(r.kode_pemda)]
        page, total = pilih(visible, provinsi, jenis, sort, descending, offset, limit)
        kode = [r.kode_pemda for r in page]
        rinci(page, uow.nasional.rencana_urusan(tahun, kode), uow.nasional.anggaran_urusan(tahun, kode),
              uow.nasional.realisasi_urusan(tahun, kode))
    return NasionalOut.model_validate({"tahun": tahun, "total": total, "items": [
        {**{k: getattr(r, k) for k in ("kode_pemda", "jenis", "kode_provinsi", "lppd_status", "lppd_terlambat",
                                       "eppd_indeks", "eppd_status", "eppd_peringkat", "perda", "temuan_terbuka",
                                       "total_rencana", "total_anggaran", "total_realisasi")},
         "urusan": [vars(r.urusan[k]) for k in sorted(r.urusan)]} for r in page]})
