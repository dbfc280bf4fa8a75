"""keuangan follows the codification: a retired account flags the budget lines on it, a retired
sub kegiatan or SKPD the ceilings that use it (nothing is rewritten); a renamed account reaches
its lines. Real containers, RabbitMQ and PostgreSQL; records written directly under codes no
other test uses."""
from __future__ import annotations

import itertools
import uuid

import pytest
from sqlalchemy import select

from ops.testing import deliver
from services.keuangan import repository as repo
from services.keuangan.service import KeuanganService
from contracts.referensi import KodeRetired, RekeningChanged

_codes = itertools.count(1)


@pytest.fixture
def db(engines):
    return engines("keuangan")


@pytest.fixture
def keuangan(start):
    return start(KeuanganService)


@pytest.fixture
def kode():
    n = next(_codes)
    return {"rekening": f"5.2.03.01.01.{9000 + n}", "sub_kegiatan": f"1.01.02.2.01.{9000 + n}",
            "skpd": f"1.01.0.00.0.00.{50 + n}.0000"}


def ceiling_with_line(db, kode: dict, kode_pemda="32.71") -> tuple[str, str]:
    rkpd_id, line_id = str(uuid.uuid4()), str(uuid.uuid4())
    with db.begin() as conn:
        conn.execute(repo.plafon.insert().values(
            rkpd_id=rkpd_id, kode_pemda=kode_pemda, tahun=2098, kode_skpd=kode["skpd"],
            kode_sub_kegiatan=kode["sub_kegiatan"], kode_bidang_urusan="1.01", pagu=1000, total_rincian=10,
            rencana_dihapus=False, source_version=1, version=1))
        conn.execute(repo.rincian.insert().values(
            id=line_id, kode_pemda=kode_pemda, tahun=2098, rkpd_id=rkpd_id, kode_rekening=kode["rekening"],
            nama_rekening="Nama Lama", uraian="u", volume=1, satuan="Paket", harga_satuan=10, jumlah=10,
            revisi_rekening=5))
    return rkpd_id, line_id


def plafon(db, rkpd_id):
    with db.connect() as conn:
        return conn.execute(select(repo.plafon).where(repo.plafon.c.rkpd_id == rkpd_id)).first()


def line(db, id):
    with db.connect() as conn:
        return conn.execute(select(repo.rincian).where(repo.rincian.c.id == id)).first()


def retired(kind, kode, tingkat, kode_pemda=None):
    return KodeRetired(kind=kind, kode=kode, tingkat=tingkat, nama="n", kode_pengganti=["5.2.03.01.01.0001"],
                       versi="uji-9", kode_pemda=kode_pemda, aggregate_id=f"{kind}/{kode}", aggregate_version=7)


def test_a_retired_account_flags_its_lines_and_rewrites_nothing(keuangan, db, kode):
    rkpd_id, line_id = ceiling_with_line(db, kode)
    event = retired("rekening", kode["rekening"], "sub_rincian_objek")
    assert deliver(keuangan, "on_kode_retired", event) == "applied"
    r = line(db, line_id)
    assert r.perlu_pemetaan and r.pemetaan == [event.pemetaan()] and r.kode_rekening == kode["rekening"]
    assert not plafon(db, rkpd_id).perlu_pemetaan
    deliver(keuangan, "on_kode_retired", retired("rekening", kode["rekening"], "sub_rincian_objek"))
    assert len(line(db, line_id).pemetaan) == 1


def test_a_retired_sub_kegiatan_flags_the_ceilings_using_it(keuangan, db, kode):
    rkpd_id, line_id = ceiling_with_line(db, kode)
    deliver(keuangan, "on_kode_retired", retired("nomenklatur", kode["sub_kegiatan"], "sub_kegiatan"))
    p = plafon(db, rkpd_id)
    assert p.perlu_pemetaan and p.pemetaan[0]["kode"] == kode["sub_kegiatan"] and p.version == 1
    assert not line(db, line_id).perlu_pemetaan


def test_a_retired_skpd_flags_the_ceilings_of_its_pemda_only(keuangan, db, kode):
    mine, _ = ceiling_with_line(db, kode)
    other, _ = ceiling_with_line(db, kode, kode_pemda="32.04")
    deliver(keuangan, "on_kode_retired", retired("skpd", kode["skpd"], None, kode_pemda="32.71"))
    assert plafon(db, mine).perlu_pemetaan and not plafon(db, other).perlu_pemetaan


def renamed(kode, nama, revisi, tingkat="sub_rincian_objek"):
    item = {"kode": kode, "tingkat": tingkat, "akun": "belanja", "peruntukan": "belanja_modal", "nama": nama,
            "kode_induk": kode.rsplit(".", 1)[0], "valid_from": "uji-9", "valid_until": None, "revisi": revisi,
            "aksi": "changed"}
    return RekeningChanged(versi="uji-9", aggregate_id="rekening", aggregate_version=revisi, perubahan=[item])


def test_a_renamed_account_reaches_its_lines_unless_the_rename_is_older(keuangan, db, kode):
    _, line_id = ceiling_with_line(db, kode)
    deliver(keuangan, "on_rekening_changed", renamed(kode["rekening"], "Nama Baru", 20))
    assert (line(db, line_id).nama_rekening, line(db, line_id).revisi_rekening) == ("Nama Baru", 20)
    deliver(keuangan, "on_rekening_changed", renamed(kode["rekening"], "Lebih Lama", 15))
    assert line(db, line_id).nama_rekening == "Nama Baru"
