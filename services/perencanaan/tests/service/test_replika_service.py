"""perencanaan's replica of the codification, with a real referensi: a code added there is usable here
once its event is applied, a retired one is refused; a consumer starting on an empty schema fills
itself from referensi's snapshot and ends with the replica a consumer that saw every event holds; a
missed event is repaired from the snapshot; an event with a field perencanaan does not know is
applied, not parked. Real containers, RabbitMQ (a vhost per test) and PostgreSQL."""
from __future__ import annotations

import itertools

import kombu
import nameko
import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select

from contracts.referensi import CHANGED, NomenklaturChanged
from ops.testing import as_operator, auth_context, wait_until
from services.perencanaan.replika import usecases as replika
from services.perencanaan.service import PerencanaanService
from services.perencanaan.uow import PerencanaanUnitOfWork
from sipd_common.db import StorageHandle
from sipd_common.errors import Invalid
from sipd_common.tables import outbox_table

from .replika import held, impor, isi, kosongkan, posisi, replika_siap

KODE_PEMDA = "32.73"
DINAS_PENDIDIKAN = "1.01.0.00.0.00.01.0000"
KEGIATAN = "1.01.02.2.01"  # Pengelolaan Pendidikan Sekolah Dasar, in the shipped codification
SD_BARU = f"{KEGIATAN}.0001"  # Pembangunan Unit Sekolah Baru (USB), shipped
_codes = itertools.count(1)


@pytest.fixture
def db(engines):
    return engines("perencanaan")


@pytest.fixture
def perencanaan(start, referensi, db):
    container = start(PerencanaanService)
    replika_siap(db)
    return container


@pytest.fixture
def kode():
    """A sub kegiatan code of this test's own, under a kegiatan of the shipped codification."""
    return f"{KEGIATAN}.{8000 + next(_codes)}"


def call(container, method: str, *args, **kwargs):
    with entrypoint_hook(container, method, context_data=auth_context()) as hook:
        return hook(*args, **kwargs)


def create(perencanaan, where: tuple[str, int], kode_sub_kegiatan: str, **over) -> dict:
    kode_pemda, tahun = where
    return call(perencanaan, "create_sub_kegiatan", kode_pemda, tahun, {
        "kode_skpd": DINAS_PENDIDIKAN, "kode_sub_kegiatan": kode_sub_kegiatan, "indikator": "Jumlah",
        "target": "1", "satuan": "Unit", "pagu_indikatif": "1000000.00", **over})


def tambah(referensi, *kodes: str) -> None:
    impor(referensi, ["aksi,kode,nama,kinerja,indikator,satuan",
                      *[f"tambah,{k},Sub Kegiatan Uji {k},Keluaran,Jumlah,Unit" for k in kodes]])


def applied(db, kode: str, **state) -> dict:
    """Wait until the replica holds ``kode`` (in ``state``, when given)."""
    def there():
        row = held(db, "nomenklatur", kode)
        return row if row and all(row[k] == v for k, v in state.items()) else None

    return wait_until(there, timeout=30, message=f"{kode} {state or ''} in perencanaan's replica")


# -- a code added, a code retired ---------------------------------------------------------------------------

def test_the_districts_and_villages_come_from_the_snapshot_and_a_new_village_from_its_event(
        perencanaan, referensi, db, lingkungan):
    # filled from the snapshot (the fixture waited for it): the shipped districts and villages, kept apart
    assert (held(db, "wilayah_bawah", "32.73.01")["tingkat"], held(db, "wilayah_bawah", "32.73.02.1001")["nama"]) == (
        "kecamatan", "Cipaganti")
    assert held(db, "wilayah", "32.73.01") is None
    desa = f"32.73.01.{9000 + next(_codes)}"
    where = lingkungan(KODE_PEMDA)
    with pytest.raises(Invalid) as refused:  # a village the codification does not hold
        create(perencanaan, where, SD_BARU, lokasi=["32.73.01.1001", desa])
    assert [e["field"] for e in refused.value.errors] == ["lokasi.1"]

    impor(referensi, ["aksi,kode,nama", f"tambah,{desa},Desa Uji"], kind="wilayah")
    wait_until(lambda: held(db, "wilayah_bawah", desa), timeout=30, message=f"{desa} in perencanaan's replica")
    assert held(db, "wilayah_bawah", desa)["tingkat"] == "desa"

    item = create(perencanaan, where, SD_BARU, lokasi=["32.73.01.1001", desa])
    assert item["lokasi"] == ["32.73.01.1001", desa]


def test_a_code_added_in_referensi_is_usable_once_its_event_is_applied(perencanaan, referensi, db, kode,
                                                                       lingkungan):
    where = lingkungan(KODE_PEMDA)
    with pytest.raises(Invalid) as refused:  # the replica is filled: a code it does not hold does not exist
        create(perencanaan, where, kode)
    assert [e["field"] for e in refused.value.errors] == ["kode_sub_kegiatan"]

    tambah(referensi, kode)
    applied(db, kode)

    item = create(perencanaan, where, kode)
    assert (item["kode_sub_kegiatan"], item["nama_sub_kegiatan"], item["kode_bidang_urusan"]) == (
        kode, f"Sub Kegiatan Uji {kode}", "1.01")


def test_a_code_retired_in_referensi_is_refused_and_flags_the_items_using_it(perencanaan, referensi, db, kode,
                                                                             lingkungan):
    pengganti = f"{KEGIATAN}.{8000 + next(_codes)}"
    tambah(referensi, kode, pengganti)
    applied(db, kode)
    item = create(perencanaan, lingkungan(KODE_PEMDA), kode)

    report = impor(referensi, ["aksi,kode,kode_pengganti", f"hapus,{kode},{pengganti}"])
    assert report["retired"] == 1
    row = applied(db, kode, berlaku=False)
    assert row["kode_pengganti"] == [pengganti] and row["valid_until"] == report["versi"]

    def flagged_item():
        got = call(perencanaan, "get_sub_kegiatan", item["kode_pemda"], item["tahun"], item["id"])
        return got if got["perlu_pemetaan"] else None

    flagged = wait_until(flagged_item, message="the item flagged")
    assert flagged["pemetaan"] == [{"kind": "nomenklatur", "kode": kode, "versi": report["versi"],
                                    "kode_pengganti": [pengganti]}]
    assert (flagged["kode_sub_kegiatan"], flagged["version"]) == (kode, 1)  # nothing rewritten

    with pytest.raises(Invalid) as refused:
        create(perencanaan, lingkungan(KODE_PEMDA), kode)
    assert f"was retired in version {report['versi']}; use {pengganti}" in refused.value.errors[0]["message"]


def test_a_province_plans_the_provincial_variant_of_a_code_the_lampiran_give_different_content(perencanaan, db,
                                                                                                   lingkungan):
    """1.01.02.3.05.0001 (level digit 3: the two lampiran of 2027 number it apart) is a scholarship in the provincial
    lampiran and a new school in the regency/city one: each pemda plans its own lampiran's."""
    kode = "1.01.02.3.05.0001"
    assert held(db, "nomenklatur", kode, "provinsi")["lingkup"] == ["provinsi"]
    provinsi = create(perencanaan, lingkungan("32"), kode)
    assert provinsi["nama_sub_kegiatan"] == "Penyediaan Beasiswa Status Mahasiswa Jenjang Diploma/ Akademi Komunitas"
    kota = create(perencanaan, lingkungan(KODE_PEMDA), kode)
    assert kota["nama_sub_kegiatan"] == "Pembangunan USB (Unit Sekolah Baru)"
    # a code only the regency/city lampiran lists is refused to a province, as before
    with pytest.raises(Invalid) as refused:
        create(perencanaan, lingkungan("32"), "1.01.02.2.01.0001")
    assert "is for kabupaten_kota government" in refused.value.errors[0]["message"]


# -- filling and repairing -----------------------------------------------------------------------------------

def every_event(engines) -> list:
    """Every change event referensi published of the lists perencanaan keeps, in the order it committed
    them (its outbox keeps what it sent)."""
    keys = {f"referensi.{kind}.changed.v1": kind for kind in ("nomenklatur", "skpd", "wilayah")}
    t = outbox_table
    with engines("referensi").connect() as conn:
        rows = conn.execute(select(t.c.routing_key, t.c.payload).where(t.c.routing_key.in_(keys))
                            .order_by(t.c.id)).all()
    return [(keys[r.routing_key], CHANGED[keys[r.routing_key]].read(r.payload)) for r in rows]


def test_a_consumer_started_on_an_empty_schema_ends_with_the_replica_of_one_that_saw_every_event(
        start, start_referensi, engines, db):
    # one that saw every event: each applied in order, as its handler applies it
    kosongkan(db)
    storage = StorageHandle("perencanaan", db, None, {}, unit_of_work=PerencanaanUnitOfWork)
    handlers = {"nomenklatur": replika.apply_nomenklatur_changed, "skpd": replika.apply_skpd_changed,
                "wilayah": replika.apply_wilayah_changed}
    events = every_event(engines)
    assert {kind for kind, _ in events} == {"nomenklatur", "skpd", "wilayah"}
    for kind, event in events:
        with storage.unit_of_work() as uow:
            handlers[kind](uow, event)
            uow.commit()
    saw_every_event = isi(db)

    # one started on an empty schema: no replica, no position
    kosongkan(db)
    start_referensi()
    start(PerencanaanService)
    replika_siap(db)
    filled = isi(db)

    assert len(filled["nomenklatur"]) > 7000 and len(filled["skpd"]) >= 19
    assert {r["kode"] for r in filled["wilayah"]} >= {"32", "32.73", "32.04"}
    assert all(r["kode"].count(".") <= 1 for r in filled["wilayah"])  # the pemda, and apart from them
    assert len(filled["wilayah_bawah"]) >= 7285 + 83762  # the districts and villages
    assert {r["kode"].count(".") for r in filled["wilayah_bawah"]} == {2, 3}
    assert any(not r["berlaku"] and r["kode_pengganti"] for r in filled["nomenklatur"])  # retired ones too
    for kind in filled:
        assert filled[kind] == saw_every_event[kind], kind
    assert posisi(db, "nomenklatur").urutan >= max(e.urutan for k, e in events if k == "nomenklatur")


def purge(queue: str) -> int:
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        return conn.default_channel.queue_purge(queue) or 0


def urutan_of(engines, kode: str) -> int:
    """The place in referensi's nomenklatur stream of the event that carried ``kode``."""
    t = outbox_table
    with engines("referensi").connect() as conn:
        payloads = conn.execute(select(t.c.payload).where(t.c.routing_key == "referensi.nomenklatur.changed.v1")
                                .order_by(t.c.id.desc()).limit(50)).scalars().all()
    [urutan] = [p["urutan"] for p in payloads if any(i["kode"] == kode for i in p["perubahan"])]
    return urutan


def test_a_missed_event_is_repaired_from_the_snapshot(start, referensi, engines, db, kode):
    first = start(PerencanaanService)
    replika_siap(db)

    # an event lost on its way: published while perencanaan is away, and gone from its queue
    first.stop()
    missed, seen = kode, f"{KEGIATAN}.{8000 + next(_codes)}"
    tambah(referensi, missed)
    wait_until(lambda: purge("evt-referensi-referensi.nomenklatur.changed.v1--perencanaan.on_nomenklatur_changed"),
               timeout=15, message="the event in perencanaan's queue")

    start(PerencanaanService)
    tambah(referensi, seen)
    applied(db, seen)
    gap = posisi(db, "nomenklatur")
    assert urutan_of(engines, seen) in gap.tertunda and gap.urutan < urutan_of(engines, missed)
    assert held(db, "nomenklatur", missed) is None

    applied(db, missed)  # once the hole has stayed open a while, the snapshot repairs it
    wait_until(lambda: posisi(db, "nomenklatur").tertunda == (), timeout=30, message="the gap closed")
    assert posisi(db, "nomenklatur").urutan >= urutan_of(engines, seen)


def test_an_event_with_a_field_perencanaan_does_not_know_is_applied_not_parked(perencanaan, kode, db):
    event = NomenklaturChanged(versi="uji-tolerant", aggregate_id="nomenklatur", aggregate_version=1, perubahan=[{
        "kode": kode, "tingkat": "sub_kegiatan", "nama": "Sub Dari Masa Depan", "kode_induk": KEGIATAN,
        "kinerja": None, "indikator": None, "satuan": None, "valid_from": "uji-tolerant", "valid_until": None,
        "revisi": 1, "aksi": "added"}])
    payload = event.to_message()
    payload["diterbitkan_oleh"] = "referensi v2"  # a field a newer referensi adds
    payload["perubahan"][0]["sumber_regulasi"] = "Permendagri 90/2019"

    def this_event(worker_ctx, result, exc_info):
        return bool(worker_ctx.args) and worker_ctx.args[0].get("event_id") == payload["event_id"]

    with entrypoint_waiter(perencanaan, "on_nomenklatur_changed", callback=this_event, timeout=15) as result:
        event_dispatcher()("referensi", NomenklaturChanged.event_type(), payload)
    assert result.get() == "applied"
    assert held(db, "nomenklatur", kode)["nama"] == "Sub Dari Masa Depan"
    assert all(p["event_id"] != payload["event_id"] for p in as_operator(perencanaan, "parked_events"))
