"""Document numbers and the last rupiah of an SPD line on keuangan's real unit of work and PostgreSQL, under
concurrency: many documents made at once get 1..n without a gap or a duplicate (a refused one gives its number
back), and of SPPs racing for one SPD line only as many succeed as the line holds. The LRA's realisation of the
whole year (read from the running totals) is the documents' of its periods.

The DPA is a test-only stand-in (``uow.dpa``, as the budgeting issue's repository will be): one line, set here."""
from __future__ import annotations

import base64
import io
import threading
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.keuangan.lra.domain import rentang
from services.keuangan.lra.repository import LraRepository
from services.keuangan.penatausahaan import usecases as pu
from services.keuangan.penatausahaan.repository import spp as spp_table
from services.keuangan.penerimaan import usecases as pn
from services.keuangan.penerimaan.domain import Tbp
from services.keuangan.uow import KeuanganUnitOfWork
from sipd_common.access import Role, Scope
from sipd_common.db import make_engine
from sipd_common.errors import DomainError, Invalid

SKPD, SUB, REK = "1.01.0.00.0.00.01.0000", "1.01.02.2.01.0001", "5.2.03.01.01.0002"


@dataclass(frozen=True)
class Line:
    jumlah: Decimal
    kas: tuple
    versi: int = 1


class StandInDpa:
    """The DPA line of the test: 1200, a cash plan of 100 a month; no line for any other account."""

    def pagu_baris(self, kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, kode_rekening):
        if (kode_skpd, kode_sub_kegiatan, kode_rekening) == (SKPD, SUB, REK):
            return Line(Decimal(1200), (Decimal(100),) * 12)
        return None


class UnitOfWork(KeuanganUnitOfWork):
    def attach(self, session) -> None:
        super().attach(session)
        self.dpa = StandInDpa()


@pytest.fixture
def engine(database):
    made = make_engine("keuangan", pool_size=6, max_overflow=0)
    yield made
    made.dispose()


def caller(role: Role, user: str, kode_pemda: str) -> Scope:
    return Scope(user, user, role, kode_pemda, SKPD if role is Role.BENDAHARA_PENGELUARAN else None)


def at_once(n: int, work) -> list:
    """``work(i)`` for i in 0..n-1, all started together; each result or the DomainError it raised."""
    results: list = [None] * n
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        try:
            results[i] = work(i)
        except DomainError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def spd_body(rek: str = REK, nilai: str = "1") -> dict:
    return {"kode_skpd": SKPD, "bulan_mulai": 1, "bulan_sampai": 1,
            "baris": [{"kode_sub_kegiatan": SUB, "kode_rekening": rek, "nilai": nilai}]}


def test_documents_made_at_once_are_numbered_without_gap_or_duplicate(engine, scope):
    kode_pemda, tahun = scope
    bud = caller(Role.KUASA_BUD, "kuasa-bud", kode_pemda)
    # every third one is refused (no DPA line for its account): its number goes back
    results = at_once(18, lambda i: pu.buat_spd(UnitOfWork(engine, "keuangan", {}), bud, kode_pemda, tahun,
                                                  spd_body("5.2.02.01.01.0001" if i % 3 == 2 else REK)))
    made = [r for r in results if not isinstance(r, DomainError)]
    assert len(made) == 12 and all(isinstance(r, Invalid) for r in results if r not in made)
    assert sorted(int(r.nomor.split("/")[0]) for r in made) == list(range(1, 13))
    assert pu.buat_spd(UnitOfWork(engine, "keuangan", {}), bud, kode_pemda, tahun, spd_body()).nomor.startswith("00013/")


def test_spps_racing_for_one_spd_line_take_exactly_what_it_holds(engine, scope):
    kode_pemda, tahun = scope
    kuasa, bud = caller(Role.KUASA_BUD, "kuasa-bud", kode_pemda), caller(Role.BUD, "bud", kode_pemda)
    spd = pu.buat_spd(UnitOfWork(engine, "keuangan", {}), kuasa, kode_pemda, tahun, spd_body(nilai="100"))
    pu.otorisasi_spd(UnitOfWork(engine, "keuangan", {}), bud, kode_pemda, tahun, spd.id)
    bendahara = caller(Role.BENDAHARA_PENGELUARAN, "bendahara", kode_pemda)
    body = {"kode_skpd": SKPD, "jenis": "LS", "jenis_ls": "gaji", "spd_id": spd.id,
            "baris": [{"kode_sub_kegiatan": SUB, "kode_rekening": REK, "nilai": "30"}]}
    results = at_once(8, lambda i: pu.buat_spp(UnitOfWork(engine, "keuangan", {}), bendahara, kode_pemda, tahun, body))
    made = [r for r in results if not isinstance(r, DomainError)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 3 and all(r.errors[0]["field"] == "baris.0.nilai" for r in refused), refused
    with engine.connect() as conn:
        stored = conn.execute(select(spp_table.c.nilai, spp_table.c.nomor).where(spp_table.c.spd_id == spd.id)).all()
    assert sum(r.nilai for r in stored) == Decimal(90)
    assert sorted(int(r.nomor.split("/")[0]) for r in stored) == [1, 2, 3]


def test_who_took_each_step_and_when_is_kept_and_printed(engine, scope):
    kode_pemda, tahun = scope
    kuasa = caller(Role.KUASA_BUD, "kuasa-bud", kode_pemda)  # no name known: the user id prints
    bud = Scope("bud", "bud", Role.BUD, kode_pemda, nama="Ir. Siti Aminah", nip="198001012005012001")
    spd = pu.buat_spd(UnitOfWork(engine, "keuangan", {}), kuasa, kode_pemda, tahun, spd_body())
    pu.otorisasi_spd(UnitOfWork(engine, "keuangan", {}), bud, kode_pemda, tahun, spd.id)
    uow = UnitOfWork(engine, "keuangan", {})
    with uow:
        langkah = uow.penatausahaan.langkah_of(pu.SPD, spd.id)
    assert {k: (v.user_id, v.nama, v.nip) for k, v in langkah.items()} == {
        "dibuat": ("kuasa-bud", None, None), "diotorisasi": ("bud", "Ir. Siti Aminah", "198001012005012001")}
    assert langkah["diotorisasi"].pada >= langkah["dibuat"].pada
    out = pu.dokumen_belanja(UnitOfWork(engine, "keuangan", {}), bud, kode_pemda, tahun, "spd", spd.id, "xlsx")
    rows = [[c for c in r if c is not None] for r in
            load_workbook(io.BytesIO(base64.b64decode(out["content"]))).active.values]
    assert rows[-2:] == [["( kuasa-bud )", "( Ir. Siti Aminah )"], ["NIP. " + "." * 24, "NIP. 198001012005012001"]]


def test_the_year_s_realisation_read_from_the_running_totals_is_its_documents(engine, scope):
    kode_pemda, tahun = scope

    def uow():
        return UnitOfWork(engine, "keuangan", {})

    def officer(role: Role, kode_skpd: str | None = SKPD) -> Scope:
        return Scope(role.value, role.value, role, kode_pemda, kode_skpd)

    kuasa, bud = officer(Role.KUASA_BUD, None), officer(Role.BUD, None)
    bendahara, ppk, pa = officer(Role.BENDAHARA_PENGELUARAN), officer(Role.PPK_SKPD), officer(Role.PA_KPA)
    spd = pu.buat_spd(uow(), kuasa, kode_pemda, tahun, spd_body(nilai="100"))
    pu.otorisasi_spd(uow(), bud, kode_pemda, tahun, spd.id)
    for nilai, tanggal in (("30.00", date(tahun, 1, 31)), ("12.50", date(tahun, 7, 1))):
        spp = pu.buat_spp(uow(), bendahara, kode_pemda, tahun, {
            "kode_skpd": SKPD, "jenis": "LS", "jenis_ls": "gaji", "spd_id": spd.id,
            "baris": [{"kode_sub_kegiatan": SUB, "kode_rekening": REK, "nilai": nilai}]})
        pu.ajukan_spp(uow(), bendahara, kode_pemda, tahun, spp.id)
        pu.verifikasi_spp(uow(), ppk, kode_pemda, tahun, spp.id, {"setuju": True})
        spm = pu.buat_spm(uow(), ppk, kode_pemda, tahun, {"spp_id": spp.id})
        pu.tandatangani_spm(uow(), pa, kode_pemda, tahun, spm.id)
        pu.putuskan_spm(uow(), bud, kode_pemda, tahun, spm.id, {"setuju": True})
        sp2d = pu.buat_sp2d(uow(), kuasa, kode_pemda, tahun, {"spm_id": spm.id, "nilai": nilai})
        pu.terbitkan_sp2d(uow(), bud, kode_pemda, tahun, sp2d.id)
        pu.cairkan_sp2d(uow(), bud, kode_pemda, tahun, sp2d.id, tanggal)
    # revenue: receipts stored as recorded (their account check reads the replica, not filled here), each deposited
    # and validated through the use cases
    pajak = "4.1.01.01.01.0001"
    for i, (nilai, tanggal) in enumerate((("7.25", date(tahun, 3, 2)), ("0.75", date(tahun, 12, 31)))):
        with uow() as w:
            tbp = Tbp(str(uuid.uuid4()), kode_pemda, tahun, SKPD, pajak, "Pajak", tanggal, "x", "x", Decimal(nilai),
                      "bendahara", nomor=f"{i}/TBP")
            w.penerimaan.add_tbp(tbp)
            w.commit()
        sts = pn.buat_sts(uow(), officer(Role.BENDAHARA_PENERIMAAN), kode_pemda, tahun,
                          {"kode_skpd": SKPD, "tanggal": tanggal.isoformat(), "tbp_ids": [tbp.id]})
        pn.validasi_sts(uow(), bud, kode_pemda, tahun, sts.id)

    with Session(engine) as session:
        lra = LraRepository(session)
        year = lra.realisasi(kode_pemda, tahun, *rentang(tahun, "tahun"))
        halves = [lra.realisasi(kode_pemda, tahun, *rentang(tahun, p)) for p in ("semester-1", "semester-2")]
        own = lra.realisasi(kode_pemda, tahun, *rentang(tahun, "tahun"), kode_skpd=SKPD)
        other = lra.realisasi(kode_pemda, tahun, *rentang(tahun, "tahun"), kode_skpd="1.02.0.00.0.00.01.0000")
    assert year == own == {(SKPD, REK): Decimal("42.50"), (SKPD, pajak): Decimal("8.00")}
    assert halves == [{(SKPD, REK): Decimal("30.00"), (SKPD, pajak): Decimal("7.25")},
                      {(SKPD, REK): Decimal("12.50"), (SKPD, pajak): Decimal("0.75")}]
    assert other == {}
