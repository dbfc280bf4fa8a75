"""perencanaan follows the codification: a retired code flags the plan items that use it (and
rewrites nothing); a rename reaches the items as a new version, published. Real containers,
RabbitMQ and PostgreSQL; the items are written directly under codes no other test uses, and the
codification's changes arrive as referensi publishes them (change events, retired items in batches)."""
from __future__ import annotations

import itertools
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.referensi import NomenklaturChanged, SkpdChanged, WilayahChanged
from ops.testing import deliver
from services.perencanaan.rkpd.domain import SubKegiatanRkpd
from services.perencanaan.rkpd.repository import RkpdRepository, rkpd_sub_kegiatan
from services.perencanaan.service import PerencanaanService
from sipd_common.tables import outbox_table

_codes = itertools.count(1)
_revisi = itertools.count(10_000_000)  # far above the shipped codification's: these states are the newest


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


def plan(db, kode_sub_kegiatan: str, where: tuple[str, int], kode_skpd="1.01.0.00.0.00.01.0000") -> str:
    kode_pemda, tahun = where
    item = SubKegiatanRkpd(
        id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
        kode_sub_kegiatan=kode_sub_kegiatan, nama_sub_kegiatan="Nama Lama", kode_bidang_urusan="1.01",
        nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", indikator="i", target=Decimal("1"),
        satuan="Unit", pagu_indikatif=Decimal("1000"), revisi_sub_kegiatan=5)
    with Session(db) as session:
        assert RkpdRepository(session).add(item)
        session.commit()
    return item.id


def row(db, id: str):
    with db.connect() as conn:
        return conn.execute(select(rkpd_sub_kegiatan).where(rkpd_sub_kegiatan.c.id == id)).first()


def _item(kode: str, aksi: str, **fields) -> dict:
    return {"kode": kode, "valid_from": "uji-1", "valid_until": "uji-9" if aksi == "retired" else None,
            "revisi": next(_revisi), "aksi": aksi, **fields}


def retired(kode: str, tingkat: str = "sub_kegiatan", pengganti=()) -> NomenklaturChanged:
    item = _item(kode, "retired", tingkat=tingkat, nama="n", kode_induk=kode.rsplit(".", 1)[0], kinerja=None,
                 indikator=None, satuan=None, kode_pengganti=list(pengganti))
    return NomenklaturChanged(versi="uji-9", aggregate_id="nomenklatur", aggregate_version=item["revisi"],
                              perubahan=[item])


def skpd_retired(kode: str, kode_pemda: str) -> SkpdChanged:
    item = _item(kode, "retired", kode_pemda=kode_pemda, nama="n", bidang_urusan=["1.01"])
    return SkpdChanged(versi="uji-9", kode_pemda=kode_pemda, aggregate_id=f"skpd/{kode_pemda}",
                       aggregate_version=item["revisi"], perubahan=[item])


def village_retired(kode: str) -> WilayahChanged:
    item = _item(kode, "retired", tingkat="desa", nama="n", kode_induk=kode.rsplit(".", 1)[0])
    return WilayahChanged(versi="uji-9", aggregate_id="wilayah", aggregate_version=item["revisi"], perubahan=[item])


def pemetaan_of(event) -> dict:
    [item] = event.perubahan
    kind = "skpd" if isinstance(event, SkpdChanged) else "nomenklatur"
    return {"kind": kind, "kode": item.kode, "versi": item.valid_until, "kode_pengganti": list(item.kode_pengganti)}


def test_a_retired_sub_kegiatan_flags_every_live_item_using_it(perencanaan, db, kode, lingkungan):
    ids = [plan(db, kode, lingkungan("32.71")), plan(db, kode, lingkungan("32.04")),
           plan(db, kode + "9", lingkungan("32.71"))]
    event = retired(kode, pengganti=["1.01.02.2.01.0001"])
    assert deliver(perencanaan, "on_nomenklatur_changed", event) == "applied"
    flagged, elsewhere, other = (row(db, i) for i in ids)
    for r in (flagged, elsewhere):
        assert r.perlu_pemetaan and r.pemetaan == [pemetaan_of(event)]
        assert r.kode_sub_kegiatan == kode and r.version == 1  # nothing rewritten, no new version
    assert not other.perlu_pemetaan and other.pemetaan == []


def test_the_same_retirement_delivered_twice_flags_once(perencanaan, db, kode, scope):
    id = plan(db, kode, scope)
    event = retired(kode)
    assert deliver(perencanaan, "on_nomenklatur_changed", event) == "applied"
    assert deliver(perencanaan, "on_nomenklatur_changed", event) == "duplicate"
    again = NomenklaturChanged.read({**event.to_message(), "event_id": str(uuid.uuid4())})
    assert deliver(perencanaan, "on_nomenklatur_changed", again) == "applied"  # same code and version, new event
    assert len(row(db, id).pemetaan) == 1


def test_a_retired_skpd_flags_the_items_of_its_pemda_only(perencanaan, db, kode, lingkungan):
    skpd = "1.01.0.00.0.00.77.0000"
    mine = plan(db, kode, lingkungan("32.71"), kode_skpd=skpd)
    other_pemda = plan(db, kode, lingkungan("32.04"), kode_skpd=skpd)
    event = skpd_retired(skpd, "32.71")
    assert deliver(perencanaan, "on_skpd_changed", event) == "applied"
    assert row(db, mine).perlu_pemetaan and row(db, mine).pemetaan == [pemetaan_of(event)]
    assert not row(db, other_pemda).perlu_pemetaan


@pytest.mark.parametrize("handler, event_of", [
    ("on_nomenklatur_changed", lambda kode: retired(kode, tingkat="kegiatan")),  # a level the plan does not hold
    ("on_wilayah_changed", village_retired),                                      # a list the plan does not use
    ("on_skpd_changed", lambda kode: skpd_retired(kode, "32.71")),               # the code, but as an SKPD
])
def test_retirements_the_plan_does_not_use_change_nothing(perencanaan, db, kode, scope, handler, event_of):
    id = plan(db, kode, scope)
    assert deliver(perencanaan, handler, event_of(kode)) == "applied"
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


def test_a_rename_reaches_the_items_as_a_new_version_and_is_published(perencanaan, db, kode, scope):
    id = plan(db, kode, scope)
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Nama Baru", 10))
    r = row(db, id)
    assert (r.nama_sub_kegiatan, r.version, r.revisi_sub_kegiatan) == ("Nama Baru", 2, 10)
    [event] = saved_events(db, id)
    assert event["nama_sub_kegiatan"] == "Nama Baru" and event["aggregate_version"] == 2


def test_an_older_rename_arriving_late_changes_nothing(perencanaan, db, kode, scope):
    id = plan(db, kode, scope)
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Paling Baru", 20))
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Lebih Lama", 15))
    assert row(db, id).nama_sub_kegiatan == "Paling Baru" and len(saved_events(db, id)) == 1


def test_added_and_retired_records_rename_nothing(perencanaan, db, kode, scope):
    id = plan(db, kode, scope)
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Tambah", 30, aksi="added"))
    deliver(perencanaan, "on_nomenklatur_changed", renamed(kode, "Hapus", 31, aksi="retired"))
    assert row(db, id).nama_sub_kegiatan == "Nama Lama" and saved_events(db, id) == []
