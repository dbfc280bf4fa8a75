"""The public's LRA on PostgreSQL: the realisation summed per month by the database (disbursed SP2D by their date,
validated STS by theirs; not another pemda's, an SP2D issued but not disbursed, a deposit not validated), against the
budget as enacted — a shift counts, an open APBD-P's changes do not (the shifts summed per position by the database)
until the APBD-P is enacted.

The documents are stored directly, as they look once made (their own use cases are tested elsewhere), with what a
disbursement and a validation add to the running totals (``realisasi_belanja``, ``realisasi_pendapatan``: the whole
year's realisation); the LRA runs on keuangan's real unit of work, without a caller, as the portal asks it."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as upsert

from services.keuangan.apbd import usecases as apbd
from services.keuangan.lra import usecases as lra
from services.keuangan.penatausahaan.domain import CAIR, TERBIT
from services.keuangan.penatausahaan.repository import realisasi_belanja, sp2d, spm, spp, spp_baris
from services.keuangan.penerimaan.repository import realisasi_pendapatan, sts, tbp
from services.keuangan.perubahan import usecases as perubahan
from services.keuangan.ppas import usecases as ppas
from services.keuangan.replika.repository import replika_rekening
from services.keuangan.tests.service.test_apbd_service import caller, store
from services.keuangan.tests.service.test_perubahan_service import KANTOR, PENETAPAN
from services.keuangan.uow import KeuanganUnitOfWork
from sipd_common.access import Role
from sipd_common.errors import NotFound

GEDUNG, PAJAK_HOTEL = "5.2.03.01.01.0002", "4.1.01.06.01.0001"
LAIN = "33.01"  # a pemda no service test budgets in


def _cair(conn, kode_pemda: str, tahun: int, kode_skpd: str, baris: list[tuple[str, str, str]],
          tanggal: date | None, status: str = CAIR) -> None:
    """An SP2D (with its SPP and SPM) of these (sub kegiatan, account, amount) lines."""
    ids = {k: str(uuid.uuid4()) for k in ("spp", "spm", "sp2d")}
    nilai = sum(Decimal(n) for _, _, n in baris)
    doc = dict(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, jenis="LS", nilai=nilai, dibuat_oleh="t",
               version=1)
    conn.execute(insert(spp).values(id=ids["spp"], nomor=f"spp-{ids['spp']}", status="diverifikasi", **doc))
    conn.execute(insert(spp_baris), [dict(spp_id=ids["spp"], kode_sub_kegiatan=s, kode_rekening=r, nilai=Decimal(n))
                                     for s, r, n in baris])
    conn.execute(insert(spm).values(id=ids["spm"], nomor=f"spm-{ids['spm']}", spp_id=ids["spp"], status="diterima",
                                    **doc))
    conn.execute(insert(sp2d).values(id=ids["sp2d"], nomor=f"sp2d-{ids['sp2d']}", spm_id=ids["spm"], status=status,
                                     tanggal_cair=tanggal, **doc))
    if status == CAIR:
        for s, r, n in baris:
            _tambah(conn, realisasi_belanja, dict(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
                                                  kode_sub_kegiatan=s, kode_rekening=r), Decimal(n))


def _tambah(conn, table, key: dict, nilai: Decimal) -> None:
    """What the disbursement or validation adds to its running total (``tambah_realisasi``)."""
    stmt = upsert(table).values(**key, jumlah=nilai, version=1)
    conn.execute(stmt.on_conflict_do_update(index_elements=list(table.primary_key.columns), set_={
        "jumlah": table.c.jumlah + nilai, "version": table.c.version + 1}))


def _setor(conn, kode_pemda: str, tahun: int, kode_skpd: str, tanggal: date, nilai: str,
           status: str = "divalidasi") -> None:
    sts_id, tbp_id = str(uuid.uuid4()), str(uuid.uuid4())
    where = dict(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, dibuat_oleh="t")
    conn.execute(insert(sts).values(id=sts_id, nomor=f"sts-{sts_id}", tanggal=tanggal, tbp_ids=[tbp_id],
                                    nilai=Decimal(nilai), status=status, version=1, **where))
    conn.execute(insert(tbp).values(id=tbp_id, nomor=f"tbp-{tbp_id}", kode_rekening=PAJAK_HOTEL, nama_rekening="x",
                                    tanggal=tanggal, uraian="x", penyetor="x", nilai=Decimal(nilai), sts_id=sts_id,
                                    **where))
    if status == "divalidasi":
        _tambah(conn, realisasi_pendapatan, dict(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
                                                 kode_rekening=PAJAK_HOTEL), Decimal(nilai))


def test_the_public_lra_month_by_month_against_the_enacted_budget_never_a_draft(db, scope):
    kode_pemda, tahun = scope
    store(db, kode_pemda, tahun)
    with db.begin() as conn:
        for kode, nama in ((KANTOR, "Belanja Modal Bangunan Gedung Kantor"),
                           (GEDUNG, "Belanja Modal Bangunan Gedung Tempat Pendidikan")):
            conn.execute(upsert(replika_rekening).values(
                kode=kode, tingkat="sub_rincian_objek", akun="belanja", peruntukan="belanja_modal", nama=nama,
                kode_induk="5.2.03.01.01", valid_from="v-1", revisi=1, kode_pengganti=[], berlaku=True)
                .on_conflict_do_nothing())
    tapd, pusat, ppkd = caller(kode_pemda), caller(kode_pemda, Role.PUSAT_ADMIN), caller(kode_pemda, Role.PPKD)

    def uow(actor=None):
        return KeuanganUnitOfWork(db, "keuangan", {}, actor=actor)

    with pytest.raises(NotFound):  # the budget is a draft: no LRA for the public
        lra.get_lra_publik(uow(), kode_pemda, tahun)
    apbd.ajukan_apbd(uow(tapd), tapd, kode_pemda, tahun)
    apbd.evaluasi_apbd(uow(pusat), pusat, kode_pemda, tahun, {"hasil": "sesuai"})
    apbd.tetapkan_apbd(uow(tapd), tapd, kode_pemda, tahun, PENETAPAN)
    gedung = next(p for p in perubahan.list_pos(uow(tapd), tapd, kode_pemda, tahun, limit=500)["items"]
                  if p.kode_rekening == GEDUNG)
    perubahan.geser(uow(ppkd), ppkd, kode_pemda, tahun, {
        "dari": {"rkpd_id": gedung.rkpd_id, "kode_rekening": GEDUNG},
        "ke": {"rkpd_id": gedung.rkpd_id, "kode_rekening": KANTOR}, "jumlah": "1000.00", "alasan": "x"})

    with db.begin() as conn:
        line = (gedung.kode_sub_kegiatan, GEDUNG)
        _cair(conn, kode_pemda, tahun, gedung.kode_skpd, [(*line, "100.50"), (gedung.kode_sub_kegiatan, KANTOR, "9")],
              date(tahun, 1, 15))
        _cair(conn, kode_pemda, tahun, gedung.kode_skpd, [(*line, "200.00")], date(tahun, 3, 2))
        _cair(conn, kode_pemda, tahun, gedung.kode_skpd, [(*line, "7.00")], None, status=TERBIT)  # not disbursed
        _cair(conn, LAIN, tahun, gedung.kode_skpd, [(*line, "5.00")], date(tahun, 1, 20))  # another pemda's
        _cair(conn, kode_pemda, tahun - 1, gedung.kode_skpd, [(*line, "40.00")], date(tahun - 1, 6, 1))
        _setor(conn, kode_pemda, tahun, "1.02.0.00.0.00.01.0000", date(tahun, 3, 5), "50.25")
        _setor(conn, kode_pemda, tahun, "1.02.0.00.0.00.01.0000", date(tahun, 4, 1), "99", status="diajukan")

    before = lra.get_lra_publik(uow(), kode_pemda, tahun, tingkat=6)
    months = {m.bulan: m for m in before.bulanan}
    assert (months[1].belanja, months[2].belanja, months[3].belanja, months[3].belanja_kumulatif) == (
        Decimal("109.50"), 0, Decimal(200), Decimal("309.50"))
    assert (months[3].pendapatan, months[4].pendapatan, months[12].pendapatan_kumulatif) == (
        Decimal("50.25"), 0, Decimal("50.25"))
    assert before.realisasi_terakhir == date(tahun, 3, 5) and before.belanja.jumlah.realisasi_lalu == 40
    leaf = {b.kode_rekening: b for b in before.belanja.baris}
    assert (leaf[KANTOR].anggaran, leaf[KANTOR].realisasi) == (Decimal(1000), Decimal(9))
    enacted = apbd.get_penetapan(uow(tapd), tapd, kode_pemda, tahun).ringkasan
    assert (before.belanja.jumlah.anggaran, before.pendapatan.jumlah.anggaran) == (enacted.belanja, enacted.pendapatan)
    assert (before.dasar_anggaran, before.nomor_perda) == ("apbd", PENETAPAN["nomor_perda"])

    # the APBD-P opened and changed: a draft, the public's budget stays; enacted, it is the budget
    perubahan.buka_perubahan(uow(tapd), tapd, kode_pemda, tahun)
    ppas.agree_ppas(uow(tapd), tapd, kode_pemda, tahun, {"nomor": "900/1", "tanggal": "2026-08-20"}, perubahan=True)
    perubahan.ubah_pos(uow(tapd), tapd, kode_pemda, tahun, {"rkpd_id": gedung.rkpd_id, "kode_rekening": GEDUNG,
                                                            "jumlah": "1.00", "alasan": "dipangkas"})
    assert lra.get_lra(uow(tapd), tapd, kode_pemda, tahun).belanja.jumlah.anggaran < enacted.belanja
    assert lra.get_lra_publik(uow(), kode_pemda, tahun, tingkat=6).belanja == before.belanja
    perubahan.ajukan_perubahan(uow(tapd), tapd, kode_pemda, tahun)
    perubahan.evaluasi_perubahan(uow(pusat), pusat, kode_pemda, tahun, {"hasil": "sesuai"})
    assert lra.get_lra_publik(uow(), kode_pemda, tahun, tingkat=6).belanja == before.belanja  # evaluated: a draft
    perubahan.tetapkan_perubahan(uow(tapd), tapd, kode_pemda, tahun, {**PENETAPAN, "nomor_perda": "Perda P"})
    after = lra.get_lra_publik(uow(), kode_pemda, tahun)
    assert (after.dasar_anggaran, after.nomor_perda) == ("apbd_perubahan", "Perda P")
    assert after.belanja.jumlah.anggaran == lra.get_lra(uow(tapd), tapd, kode_pemda, tahun).belanja.jumlah.anggaran
    assert after.belanja.jumlah.anggaran < enacted.belanja
