"""Document numbers and the last rupiah of an SPD line on keuangan's real unit of work and PostgreSQL, under
concurrency: many documents made at once get 1..n without a gap or a duplicate (a refused one gives its number
back), and of SPPs racing for one SPD line only as many succeed as the line holds.

The DPA is a test-only stand-in (``uow.dpa``, as the budgeting issue's repository will be): one line, set here."""
from __future__ import annotations

import base64
import io
import threading
from dataclasses import dataclass
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from services.keuangan.penatausahaan import usecases as pu
from services.keuangan.penatausahaan.repository import spp as spp_table
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
