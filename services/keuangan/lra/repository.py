"""What the LRA reads of what keuangan holds, reached as ``uow.lra``: the realisation of a period, by its date —
spending from the lines of disbursed SP2D (``sp2d.tanggal_cair``; an SP2D's lines are its SPP's), revenue from the
receipts of validated STS (``sts.tanggal``) — summed per SKPD × account, or per month × account for the whole pemda
(the public LRA's months). The budget is the positions' (``uow.perubahan``, through ``perubahan/usecases``); account
names the replica's (``uow.apbd.nama_rekening``).

The whole year is read from the running totals instead (``realisasi_belanja``, ``realisasi_pendapatan``): each
disbursement and each validation adds its lines to them in its own transaction, and a document is always dated in
its budget year (``penatausahaan.domain.cairkan``, ``penerimaan.domain.periksa_sts``), so they hold the same sums as
the documents of the year — read by their keys rather than joining every SP2D's lines, the default report stays
cheap at a pemda's full year (docs/performance.md, "Spending and the LRA").

Read only; one statement per side."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, extract, func, select
from sqlalchemy.orm import Session

from ..penatausahaan.domain import CAIR
from ..penatausahaan.repository import realisasi_belanja, sp2d, spm, spp_baris
from ..penerimaan.domain import DIVALIDASI
from ..penerimaan.repository import realisasi_pendapatan, sts, tbp


class LraRepository:
    def __init__(self, session: Session):
        self.session = session

    def realisasi(self, kode_pemda: str, tahun: int, dari: date, sampai: date,
                  kode_skpd: str | None = None) -> dict[tuple[str, str], Decimal]:
        """(kode_skpd, kode_rekening) → Σ realised between ``dari`` and ``sampai`` (both included): spending and
        revenue."""
        skpd = [kode_skpd] if kode_skpd else []
        if (dari, sampai) == (date(tahun, 1, 1), date(tahun, 12, 31)):
            return _jumlah(self.session, [
                select(t.c.kode_skpd, t.c.kode_rekening, func.sum(t.c.jumlah))
                .where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, *(t.c.kode_skpd == k for k in skpd))
                .group_by(t.c.kode_skpd, t.c.kode_rekening) for t in (realisasi_belanja, realisasi_pendapatan)])
        belanja = (select(sp2d.c.kode_skpd, spp_baris.c.kode_rekening, func.sum(spp_baris.c.nilai))
                   .select_from(sp2d.join(spm, spm.c.id == sp2d.c.spm_id)
                                .join(spp_baris, spp_baris.c.spp_id == spm.c.spp_id))
                   .where(sp2d.c.kode_pemda == kode_pemda, sp2d.c.tahun == tahun, sp2d.c.status == CAIR,
                          sp2d.c.tanggal_cair.between(dari, sampai), *(sp2d.c.kode_skpd == k for k in skpd))
                   .group_by(sp2d.c.kode_skpd, spp_baris.c.kode_rekening))
        pendapatan = (select(sts.c.kode_skpd, tbp.c.kode_rekening, func.sum(tbp.c.nilai))
                      .select_from(sts.join(tbp, tbp.c.sts_id == sts.c.id))
                      .where(sts.c.kode_pemda == kode_pemda, sts.c.tahun == tahun, sts.c.status == DIVALIDASI,
                             sts.c.tanggal.between(dari, sampai), *(sts.c.kode_skpd == k for k in skpd))
                      .group_by(sts.c.kode_skpd, tbp.c.kode_rekening))
        return _jumlah(self.session, [belanja, pendapatan])

    def realisasi_bulanan(self, kode_pemda: str, tahun: int) -> dict[tuple[int, str], tuple[Decimal, date]]:
        """(month, kode_rekening) → (Σ realised in that month of ``tahun``, its latest day), for the whole pemda:
        spending and revenue as ``realisasi`` takes them."""
        dari, sampai = date(tahun, 1, 1), date(tahun, 12, 31)
        bulan_cair = extract("month", sp2d.c.tanggal_cair).cast(Integer)
        belanja = (select(bulan_cair, spp_baris.c.kode_rekening, func.sum(spp_baris.c.nilai),
                          func.max(sp2d.c.tanggal_cair))
                   .select_from(sp2d.join(spm, spm.c.id == sp2d.c.spm_id)
                                .join(spp_baris, spp_baris.c.spp_id == spm.c.spp_id))
                   .where(sp2d.c.kode_pemda == kode_pemda, sp2d.c.tahun == tahun, sp2d.c.status == CAIR,
                          sp2d.c.tanggal_cair.between(dari, sampai))
                   .group_by(bulan_cair, spp_baris.c.kode_rekening))
        bulan_setor = extract("month", sts.c.tanggal).cast(Integer)
        pendapatan = (select(bulan_setor, tbp.c.kode_rekening, func.sum(tbp.c.nilai), func.max(sts.c.tanggal))
                      .select_from(sts.join(tbp, tbp.c.sts_id == sts.c.id))
                      .where(sts.c.kode_pemda == kode_pemda, sts.c.tahun == tahun, sts.c.status == DIVALIDASI,
                             sts.c.tanggal.between(dari, sampai))
                      .group_by(bulan_setor, tbp.c.kode_rekening))
        out: dict[tuple[int, str], tuple[Decimal, date]] = {}
        for q in (belanja, pendapatan):
            for bulan, rek, jumlah, terakhir in self.session.execute(q):
                held = out.get((bulan, rek))
                out[(bulan, rek)] = (jumlah, terakhir) if held is None else (held[0] + jumlah, max(held[1], terakhir))
        return out


def _jumlah(session: Session, queries) -> dict[tuple[str, str], Decimal]:
    """The rows (kode_skpd, kode_rekening, Σ) of each query, added up per key."""
    out: dict[tuple[str, str], Decimal] = {}
    for q in queries:
        for s, rek, jumlah in session.execute(q):
            out[(s, rek)] = out.get((s, rek), Decimal(0)) + jumlah
    return out
