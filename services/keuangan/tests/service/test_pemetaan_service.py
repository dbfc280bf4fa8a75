"""keuangan follows the codification: a retired account flags the budget lines on it, a retired
sub kegiatan or SKPD the ceilings that use it (nothing is rewritten); a renamed account reaches
its lines. Retirements come in referensi's change events (items with ``aksi: retired``), as batches.
Real containers, RabbitMQ and PostgreSQL; records written directly under codes no other test uses."""
from __future__ import annotations

import itertools
import uuid

import pytest
from sqlalchemy import select

from contracts.referensi import (
    NomenklaturChanged, NomenklaturItem, RekeningChanged, RekeningItem, SkpdChanged, SkpdItem,
)
from ops.testing import deliver
from services.keuangan.plafon.repository import plafon as plafon_table
from services.keuangan.rincian.repository import rincian as rincian_table

_codes = itertools.count(1)
PENGGANTI = ["5.2.03.01.01.0001"]


@pytest.fixture
def kode():
    n = next(_codes)
    return {"rekening": f"5.2.03.01.01.{9000 + n}", "sub_kegiatan": f"1.01.02.2.01.{9000 + n}",
            "skpd": f"1.01.0.00.0.00.{50 + n}.0000"}


def ceiling_with_line(db, kode: dict, scope: tuple[str, int]) -> tuple[str, str]:
    kode_pemda, tahun = scope
    rkpd_id, line_id = str(uuid.uuid4()), str(uuid.uuid4())
    with db.begin() as conn:
        conn.execute(plafon_table.insert().values(
            rkpd_id=rkpd_id, kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode["skpd"],
            kode_sub_kegiatan=kode["sub_kegiatan"], kode_bidang_urusan="1.01", pagu=1000, total_rincian=10,
            rencana_dihapus=False, source_version=1, version=1))
        conn.execute(rincian_table.insert().values(
            id=line_id, kode_pemda=kode_pemda, tahun=tahun, rkpd_id=rkpd_id, kode_rekening=kode["rekening"],
            nama_rekening="Nama Lama", uraian="u", volume=1, satuan="Paket", harga_satuan=10, jumlah=10,
            revisi_rekening=5))
    return rkpd_id, line_id


def plafon(db, rkpd_id):
    with db.connect() as conn:
        return conn.execute(select(plafon_table).where(plafon_table.c.rkpd_id == rkpd_id)).first()


def line(db, id):
    with db.connect() as conn:
        return conn.execute(select(rincian_table).where(rincian_table.c.id == id)).first()


def rekening(kode, nama="n", revisi=7, aksi="retired", tingkat="sub_rincian_objek") -> RekeningItem:
    return RekeningItem(kode=kode, tingkat=tingkat, akun="belanja", peruntukan="belanja_modal", nama=nama,
                        kode_induk=kode.rsplit(".", 1)[0], valid_from="uji-8",
                        valid_until="uji-9" if aksi == "retired" else None, revisi=revisi, aksi=aksi,
                        kode_pengganti=PENGGANTI if aksi == "retired" else [])


def retired_account(kode) -> RekeningChanged:
    return RekeningChanged(versi="uji-9", aggregate_id="rekening", aggregate_version=7, perubahan=[rekening(kode)])


def pemetaan(kind, kode) -> dict:
    return {"kind": kind, "kode": kode, "versi": "uji-9", "kode_pengganti": PENGGANTI}


def test_a_retired_account_flags_its_lines_and_rewrites_nothing(keuangan, db, kode, scope):
    rkpd_id, line_id = ceiling_with_line(db, kode, scope)
    assert deliver(keuangan, "on_rekening_changed", retired_account(kode["rekening"])) == "applied"
    r = line(db, line_id)
    assert r.perlu_pemetaan and r.pemetaan == [pemetaan("rekening", kode["rekening"])]
    assert r.kode_rekening == kode["rekening"]
    assert not plafon(db, rkpd_id).perlu_pemetaan
    deliver(keuangan, "on_rekening_changed", retired_account(kode["rekening"]))  # seen again: flagged once
    assert len(line(db, line_id).pemetaan) == 1


def test_a_retired_sub_kegiatan_flags_the_ceilings_using_it(keuangan, db, kode, scope):
    rkpd_id, line_id = ceiling_with_line(db, kode, scope)
    item = NomenklaturItem(kode=kode["sub_kegiatan"], tingkat="sub_kegiatan", nama="n",
                           kode_induk=kode["sub_kegiatan"].rsplit(".", 1)[0], kinerja=None, indikator=None, satuan=None,
                           valid_from="uji-8", valid_until="uji-9", revisi=7, aksi="retired", kode_pengganti=PENGGANTI)
    deliver(keuangan, "on_nomenklatur_changed", NomenklaturChanged(
        versi="uji-9", aggregate_id="nomenklatur", aggregate_version=7, perubahan=[item]))
    p = plafon(db, rkpd_id)
    assert p.perlu_pemetaan and p.pemetaan[0]["kode"] == kode["sub_kegiatan"] and p.version == 1
    assert not line(db, line_id).perlu_pemetaan


def test_a_retired_skpd_flags_the_ceilings_of_its_pemda_only(keuangan, db, kode, scope, lingkungan):
    mine, _ = ceiling_with_line(db, kode, scope)
    other, _ = ceiling_with_line(db, kode, lingkungan(next(p for p in lingkungan.pemda if p != scope[0])))
    item = SkpdItem(kode_pemda=scope[0], kode=kode["skpd"], nama="n", bidang_urusan=["1.01"], valid_from="uji-8",
                    valid_until="uji-9", revisi=7, aksi="retired", kode_pengganti=[])
    deliver(keuangan, "on_skpd_changed", SkpdChanged(kode_pemda=scope[0], versi="uji-9",
                                                     aggregate_id=f"skpd/{scope[0]}", aggregate_version=7,
                                                     perubahan=[item]))
    assert plafon(db, mine).perlu_pemetaan and not plafon(db, other).perlu_pemetaan


def renamed(kode, nama, revisi) -> RekeningChanged:
    return RekeningChanged(versi="uji-9", aggregate_id="rekening", aggregate_version=revisi,
                           perubahan=[rekening(kode, nama, revisi, aksi="changed")])


def test_a_renamed_account_reaches_its_lines_unless_the_rename_is_older(keuangan, db, kode, scope):
    _, line_id = ceiling_with_line(db, kode, scope)
    deliver(keuangan, "on_rekening_changed", renamed(kode["rekening"], "Nama Baru", 20))
    assert (line(db, line_id).nama_rekening, line(db, line_id).revisi_rekening) == ("Nama Baru", 20)
    deliver(keuangan, "on_rekening_changed", renamed(kode["rekening"], "Lebih Lama", 15))
    assert line(db, line_id).nama_rekening == "Nama Baru"


def test_a_batch_retiring_many_accounts_flags_every_line_in_one_event(keuangan, db, scope):
    made = [ceiling_with_line(db, {"rekening": f"5.2.03.01.01.{6000 + i}", "sub_kegiatan": "1.01.02.2.01.9999",
                                   "skpd": "1.01.0.00.0.00.99.0000"}, scope) for i in range(3)]
    event = RekeningChanged(versi="uji-9", aggregate_id="rekening", aggregate_version=7,
                            perubahan=[rekening(f"5.2.03.01.01.{6000 + i}") for i in range(500)])
    assert deliver(keuangan, "on_rekening_changed", event) == "applied"
    assert all(line(db, line_id).perlu_pemetaan for _, line_id in made)
