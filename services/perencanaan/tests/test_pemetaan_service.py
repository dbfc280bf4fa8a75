"""perencanaan follows the codification: a retired code flags the plan items that use it (and
rewrites nothing); a rename reaches the items as a new version, published. Real containers,
RabbitMQ and PostgreSQL; the items are written directly under codes no other test uses."""
from __future__ import annotations

import itertools
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from ops.testing import deliver
from services.perencanaan import repository as repo
from services.perencanaan.domain.rkpd import SubKegiatanRkpd
from services.perencanaan.service import PerencanaanService
from contracts.referensi import KodeRetired, NomenklaturChanged
from sipd_common.tables import outbox_table

_codes = itertools.count(1)


@pytest.fixture
def db(engines):
    return engines("perencanaan")


@pytest.fixture
def perencanaan(start):
    return start(PerencanaanService)


@pytest.fixture
def kode():
    """A sub kegiatan code of this test's own."""
    return f"1.01.02.2.01.{9000 + next(_codes)}"


def plan(db, kode_sub_kegiatan: str, kode_pemda="32.71", kode_skpd="1.01.0.00.0.00.01.0000", tahun=2098) -> str:
    item = SubKegiatanRkpd(
        id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
        kode_sub_kegiatan=kode_sub_kegiatan, nama_sub_kegiatan="Nama Lama", kode_bidang_urusan="1.01",
        nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", indikator="i", target=Decimal("1"),
        satuan="Unit", pagu_indikatif=Decimal("1000"), revisi_sub_kegiatan=5)
    with db.begin() as conn:
        repo.add(conn, item)
    return item.id


def row(db, id: str):
    with db.connect() as conn:
        return conn.execute(select(repo.rkpd_sub_kegiatan).where(repo.rkpd_sub_kegiatan.c.id == id)).first()


def retired(kind="nomenklatur", kode="x", tingkat="sub_kegiatan", kode_pemda=None, versi="uji-9", pengganti=()):
    return KodeRetired(kind=kind, kode=kode, tingkat=tingkat, nama="n", kode_pengganti=list(pengganti), versi=versi,
                       kode_pemda=kode_pemda, aggregate_id=f"{kind}/{kode}", aggregate_version=7)


def test_a_retired_sub_kegiatan_flags_every_live_item_using_it(perencanaan, db, kode):
    ids = [plan(db, kode), plan(db, kode, kode_pemda="32.04", tahun=2097), plan(db, kode + "9")]
    event = retired(kode=kode, pengganti=["1.01.02.2.01.0001"])
    assert deliver(perencanaan, "on_kode_retired", event) == "applied"
    flagged, elsewhere, other = (row(db, i) for i in ids)
    for r in (flagged, elsewhere):
        assert r.perlu_pemetaan and r.pemetaan == [event.pemetaan()]
        assert r.kode_sub_kegiatan == kode and r.version == 1  # nothing rewritten, no new version
    assert not other.perlu_pemetaan and other.pemetaan == []


def test_the_same_retirement_delivered_twice_flags_once(perencanaan, db, kode):
    id = plan(db, kode)
    event = retired(kode=kode)
    assert deliver(perencanaan, "on_kode_retired", event) == "applied"
    assert deliver(perencanaan, "on_kode_retired", event) == "duplicate"
    assert deliver(perencanaan, "on_kode_retired", retired(kode=kode)) == "applied"  # same code and version, new event
    assert len(row(db, id).pemetaan) == 1


def test_a_retired_skpd_flags_the_items_of_its_pemda_only(perencanaan, db, kode):
    skpd = "1.01.0.00.0.00.77.0000"
    mine, other_pemda = plan(db, kode, kode_skpd=skpd), plan(db, kode, kode_pemda="32.04", kode_skpd=skpd)
    deliver(perencanaan, "on_kode_retired", retired(kind="skpd", kode=skpd, tingkat=None, kode_pemda="32.71"))
    assert row(db, mine).perlu_pemetaan and not row(db, other_pemda).perlu_pemetaan


@pytest.mark.parametrize("kind, tingkat", [("rekening", "sub_rincian_objek"), ("nomenklatur", "kegiatan"),
                                           ("wilayah", "desa")])
def test_retirements_the_plan_does_not_use_change_nothing(perencanaan, db, kode, kind, tingkat):
    id = plan(db, kode)
    assert deliver(perencanaan, "on_kode_retired", retired(kind=kind, kode=kode, tingkat=tingkat)) == "applied"
    assert not row(db, id).perlu_pemetaan


def renamed(kode, nama, revisi, tingkat="sub_kegiatan", aksi="changed"):
    item = {"kode": kode, "tingkat": tingkat, "nama": nama, "kode_induk": kode.rsplit(".", 1)[0], "kinerja": None,
            "indikator": None, "satuan": None, "valid_from": "uji-9", "valid_until": None, "revisi": revisi,
            "aksi": aksi}
    return NomenklaturChanged(versi="uji-9", aggregate_id="nomenklatur", aggregate_version=revisi, perubahan=[item])


def saved_events(db, id: str) -> list:
    with db.connect() as conn:
        return [r.payload for r in conn.execute(select(outbox_table.c.payload).where(
            outbox_table.c.routing_key == "rkpd.sub_kegiatan.saved.v1",
            outbox_table.c.payload["aggregate_id"].astext == id).order_by(outbox_table.c.id))]


def test_a_rename_reaches_the_items_as_a_new_version_and_is_published(perencanaan, db, kode):
    id = plan(db, kode)
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Nama Baru", 10))
    r = row(db, id)
    assert (r.nama_sub_kegiatan, r.version, r.revisi_sub_kegiatan) == ("Nama Baru", 2, 10)
    [event] = saved_events(db, id)
    assert event["nama_sub_kegiatan"] == "Nama Baru" and event["aggregate_version"] == 2


def test_an_older_rename_arriving_late_changes_nothing(perencanaan, db, kode):
    id = plan(db, kode)
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Paling Baru", 20))
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Lebih Lama", 15))
    assert row(db, id).nama_sub_kegiatan == "Paling Baru" and len(saved_events(db, id)) == 1


def test_added_and_retired_records_rename_nothing(perencanaan, db, kode):
    id = plan(db, kode)
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Tambah", 30, aksi="added"))
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Hapus", 31, aksi="retired"))
    assert row(db, id).nama_sub_kegiatan == "Nama Lama" and saved_events(db, id) == []
