"""The APBD's summary as PostgreSQL sums it (the lines grouped per SKPD, sub kegiatan and account in one query,
revenue and financing in another), the legal ratios from the rule table the migration seeds, and the enacted
APBD that the database itself refuses to change.

The lines are stored directly (as budget lines and revenue lines look once made); the use cases run on keuangan's
real unit of work. Each test budgets in a pemda-year of its own (the ``scope`` fixture)."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from services.keuangan.apbd import domain, usecases as apbd
from services.keuangan.apbd.repository import apbd_ditetapkan, rasio_wajib
from services.keuangan.pendapatan import usecases as pendapatan
from services.keuangan.pendapatan.repository import pendapatan as pendapatan_table
from services.keuangan.plafon.repository import plafon
from services.keuangan.rincian.repository import rincian
from services.keuangan.uow import KeuanganUnitOfWork
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict

from ..usecases.fakes import TANDA

BPKAD = "5.02.0.00.0.00.01.0000"
ACCOUNTS = ["5.1.01.01.01.0001", "5.1.02.01.01.0024", "5.2.03.01.01.0002", "5.2.04.01.01.0001", "5.4.01.01.01.0001"]


def store(db, kode_pemda: str, tahun: int) -> tuple[list[domain.JumlahBelanja], list[domain.JumlahAnggaran]]:
    """3 SKPD × 4 sub kegiatan × 10 lines on 5 accounts (amounts with sen and sub-sen products), and revenue and
    financing; what was stored, as the domain reads it, to sum in Python."""
    ceilings, lines, belanja = [], [], []
    for s, (skpd, bidang) in enumerate([("1.01.0.00.0.00.01.0000", "1.01"), ("1.02.0.00.0.00.01.0000", "1.02"),
                                        ("1.03.0.00.0.00.01.0000", "1.03")]):
        for k in range(4):
            rkpd_id, sub = str(uuid.uuid4()), f"{bidang}.{2 + k % 2:02d}.2.01.{k + 1:04d}"
            ceilings.append(dict(rkpd_id=rkpd_id, kode_pemda=kode_pemda, tahun=tahun, kode_skpd=skpd,
                                 kode_sub_kegiatan=sub, kode_bidang_urusan=bidang, pagu=Decimal("1e12"),
                                 pagu_rencana=Decimal("1e12"), total_rincian=0, rencana_dihapus=False, source_version=1, version=1))
            for i in range(10):
                kode, jumlah = ACCOUNTS[(s + k + i) % 5], Decimal(f"{1000 + 37 * i + 101 * k + s}.{i}7") * Decimal("1.5")
                lines.append(dict(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, rkpd_id=rkpd_id,
                                  kode_rekening=kode, nama_rekening="x", uraian="x", volume=Decimal("1.5"),
                                  satuan="x", harga_satuan=jumlah / Decimal("1.5"), jumlah=jumlah))
                belanja.append(domain.JumlahBelanja(kode, jumlah, kode_skpd=skpd, kode_sub_kegiatan=sub,
                                                    kode_bidang_urusan=bidang))
    anggaran = [("4.1.01.06.01.0001", "1.02.0.00.0.00.01.0000", "123456789.01"),
                ("4.1.01.06.01.0001", "1.02.0.00.0.00.01.0000", "0.99"),
                ("6.1.01.01.01.0001", BPKAD, "5000.50"), ("6.2.02.01.01.0001", BPKAD, "1000.25")]
    revenue = [dict(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, jenis="x", kode_skpd=skpd,
                    kode_rekening=kode, nama_rekening="x", uraian="x", jumlah=Decimal(j)) for kode, skpd, j in anggaran]
    with db.begin() as conn:
        conn.execute(insert(plafon), ceilings)
        conn.execute(insert(rincian), lines)
        conn.execute(insert(pendapatan_table), revenue)
    return belanja, [domain.JumlahAnggaran(skpd, kode, Decimal(j)) for kode, skpd, j in anggaran]


def caller(kode_pemda: str, role: Role = Role.TAPD) -> Scope:
    return Scope("u-apbd", f"{role}.apbd", role, None if role is Role.PUSAT_ADMIN else kode_pemda)


PENETAPAN = {"nomor_perda": "Perda 1", "tanggal_perda": "2026-12-20", "nomor_perkada": "Perkada 1",
             "tanggal_perkada": "2026-12-21"}


def enacted(db, kode_pemda: str, tahun: int, before=lambda conn: None):
    """``store``'s budget (``before(conn)`` adds rows to it) submitted, found sesuai by the pusat and enacted: (a new
    unit of work per call, by TAPD unless told; TAPD; the pusat; the spending ``store`` stored)."""
    belanja, _ = store(db, kode_pemda, tahun)
    with db.begin() as conn:
        before(conn)
    tapd, pusat = caller(kode_pemda), caller(kode_pemda, Role.PUSAT_ADMIN)

    def uow(actor=tapd):
        return KeuanganUnitOfWork(db, "keuangan", {}, actor=actor)

    apbd.ajukan_apbd(uow(), tapd, kode_pemda, tahun)
    apbd.evaluasi_apbd(uow(pusat), pusat, kode_pemda, tahun, {"hasil": "sesuai"})
    apbd.tetapkan_apbd(uow(), tapd, kode_pemda, tahun, PENETAPAN)
    return uow, tapd, pusat, belanja


def test_the_summary_summed_in_the_database_is_exact_and_the_ratios_follow_the_seeded_rules(db, scope):
    kode_pemda, tahun = scope
    belanja, anggaran = store(db, kode_pemda, tahun)
    tapd = caller(kode_pemda)
    r = apbd.ringkasan(KeuanganUnitOfWork(db, "keuangan", {}, actor=tapd), tapd, kode_pemda, tahun, tingkat=6)
    expected = domain.identitas(belanja, anggaran)
    assert r.belanja == expected.belanja == sum(b.jumlah for b in belanja)
    assert (r.pendapatan, r.surplus_defisit, r.pembiayaan_netto, r.silpa) == (
        Decimal("123456790.00"), expected.surplus_defisit, Decimal("4000.25"), expected.silpa)
    assert {(a.kode, a.jumlah) for a in r.akun} == {(k, j) for k, _, j in domain.per_akun(belanja, anggaran, 6)}
    program = apbd.ringkasan_menurut(KeuanganUnitOfWork(db, "keuangan", {}, actor=tapd), tapd, kode_pemda, tahun,
                                     "program")
    assert sum(b.belanja for b in program.baris) == expected.belanja and len(program.baris) == 6

    rasio = apbd.rasio(KeuanganUnitOfWork(db, "keuangan", {}, actor=tapd), tapd, kode_pemda, tahun)
    by = {x.kode: x for x in rasio.rasio}
    assert list(by) == ["belanja_pegawai", "infrastruktur_pelayanan_publik", "fungsi_pendidikan", "kesehatan"]
    pegawai = sum(b.jumlah for b in belanja if b.kode_rekening.startswith("5.1.01."))
    assert (by["belanja_pegawai"].pembilang, by["belanja_pegawai"].penyebut) == (pegawai, expected.belanja)
    assert by["belanja_pegawai"].wajib is (tahun >= 2027) and by["fungsi_pendidikan"].wajib is True
    transfers = sum(b.jumlah for b in belanja if b.kode_rekening.startswith("5.4."))
    assert by["infrastruktur_pelayanan_publik"].penyebut == expected.belanja - transfers
    # the numerator by flag (tanda_rekening): the capital accounts 5.2.03-5.2.05 this budget has
    infra = sum(b.jumlah for b in belanja if b.kode_rekening[:6] in ("5.2.03", "5.2.04", "5.2.05"))
    assert by["infrastruktur_pelayanan_publik"].pembilang == infra > 0
    assert by["kesehatan"].lulus is None and by["kesehatan"].persen is not None


def test_the_rule_table_is_seeded_with_today_s_rules(db):
    with db.connect() as conn:
        rows = {r.kode: r for r in conn.execute(select(rasio_wajib))}
    assert (rows["belanja_pegawai"].op, rows["belanja_pegawai"].ambang, rows["belanja_pegawai"].wajib_mulai) == (
        "<=", Decimal(30), 2027)
    # the numerators by the flags of the chart of accounts (migration aturan_anggaran), as the fakes read them
    assert rows["infrastruktur_pelayanan_publik"].pembilang == {"tanda": ["infrastruktur_pelayanan_publik"]}
    assert rows["belanja_pegawai"].pembilang == {"akun": ["5.1.01"], "kecuali_tanda": ["tunjangan_guru_tkd"]}
    flags = KeuanganUnitOfWork(db, "keuangan", {})
    with flags:
        tanda = flags.tanda.untuk(2026)
    assert [t.kode for t in tanda.aturan] == [t.kode for t in TANDA]
    assert tanda.of("5.1.01.01.01.0001") == {"gaji_asn"} and tanda.of("5.2.01.01.01.0001") == {"modal_tanah"}
    assert rows["kesehatan"].op is None


def test_an_enacted_apbd_is_kept_as_enacted_and_closes_the_year(db, scope):
    kode_pemda, tahun = scope
    store(db, kode_pemda, tahun)
    tapd, evaluator = caller(kode_pemda), caller(kode_pemda, Role.PUSAT_ADMIN)

    def uow(actor=tapd):
        return KeuanganUnitOfWork(db, "keuangan", {}, actor=actor)

    apbd.ajukan_apbd(uow(), tapd, kode_pemda, tahun)
    apbd.evaluasi_apbd(uow(evaluator), evaluator, kode_pemda, tahun, {"hasil": "sesuai"})
    out = apbd.tetapkan_apbd(uow(), tapd, kode_pemda, tahun, {
        "nomor_perda": "Perda 1", "tanggal_perda": "2026-12-20", "nomor_perkada": "Perkada 1",
        "tanggal_perkada": "2026-12-21"})
    assert out.status == "ditetapkan" and len(out.penetapan.hash) == 64
    where = (apbd_ditetapkan.c.kode_pemda == kode_pemda) & (apbd_ditetapkan.c.tahun == tahun)
    for statement in (apbd_ditetapkan.update().where(where).values(nomor_perda="diubah"),
                      apbd_ditetapkan.delete().where(where)):
        with pytest.raises(DBAPIError, match="an enacted APBD never changes"):
            with db.begin() as conn:
                conn.execute(statement)
    with pytest.raises(Conflict):
        pendapatan.create_pendapatan(uow(), tapd, kode_pemda, tahun, {
            "kode_skpd": BPKAD, "kode_rekening": "4.1.01.06.01.0001", "uraian": "x", "jumlah": "1"})
    with db.connect() as conn:
        assert conn.execute(select(apbd_ditetapkan.c.hash).where(where)).scalar_one() == out.penetapan.hash
        outbox = conn.execute(text("SELECT count(*) FROM outbox WHERE routing_key = 'apbd.ditetapkan.v1' "
                                   "AND payload->>'kode_pemda' = :k AND (payload->>'tahun')::int = :t"),
                              {"k": kode_pemda, "t": tahun}).scalar_one()
    assert outbox == 1
