"""keuangan as it runs: real containers, real RabbitMQ (a vhost per test), real PostgreSQL.

The plan's events are published as perencanaan would publish them (on the
``perencanaan.events`` exchange, routing key ``<name>.v<version>``) and what the
handlers did is read back from keuangan's own schema.
"""
from __future__ import annotations

import uuid

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import func, select

from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from ops.testing import as_operator, auth_context, wait_until
from services.keuangan.plafon.repository import plafon as plafon_table
from services.keuangan.rincian.repository import rincian as rincian_table
from sipd_common.errors import Invalid
from sipd_common.tables import handler_failure_table, inbox_table, outbox_table, parked_event_table

# Each test plans in a kode_pemda/tahun of its own: the ``scope`` fixture (services/conftest.py). The fixtures
# ``db``, ``keuangan`` and ``replika_siap`` (the chart of accounts filled from referensi): conftest.py.

KODE = dict(kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001", kode_bidang_urusan="1.01")
REKENING_GEDUNG_SEKOLAH = "5.2.03.01.01.0010"


# -- helpers -----------------------------------------------------------------------------------------

def saved(scope, rkpd_id=None, version=1, pagu="1000000.00", **over) -> RkpdSubKegiatanSaved:
    kode_pemda, tahun = scope
    values = dict(
        kode_pemda=kode_pemda, tahun=tahun, aggregate_id=rkpd_id or str(uuid.uuid4()), aggregate_version=version,
        **KODE, nama_sub_kegiatan="Pembangunan Unit Sekolah Baru",
        nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
        indikator="Jumlah Unit Sekolah Baru yang Dibangun", target="2", satuan="Unit", pagu_indikatif=pagu,
    )
    values.update(over)
    return RkpdSubKegiatanSaved(**values)


def deleted(scope, rkpd_id, version, pagu="1000000.00") -> RkpdSubKegiatanDeleted:
    kode_pemda, tahun = scope
    return RkpdSubKegiatanDeleted(kode_pemda=kode_pemda, tahun=tahun, aggregate_id=rkpd_id,
                                  aggregate_version=version, pagu_indikatif=pagu, **KODE)


def publish(event_cls, payload: dict) -> None:
    event_dispatcher()(event_cls.source, event_cls.event_type(), payload)


def deliver(container, handler: str, event_cls, payload: dict) -> str:
    """Publish one message and wait until ``handler`` has finished with it; its outcome."""
    def this_message(worker_ctx, result, exc_info):
        return bool(worker_ctx.args) and worker_ctx.args[0].get("event_id") == payload.get("event_id")

    with entrypoint_waiter(container, handler, callback=this_message, timeout=15) as result:
        publish(event_cls, payload)
    return result.get()


def deliver_saved(container, event: RkpdSubKegiatanSaved) -> str:
    return deliver(container, "on_rkpd_saved", RkpdSubKegiatanSaved, event.to_message())


def deliver_deleted(container, event: RkpdSubKegiatanDeleted) -> str:
    return deliver(container, "on_rkpd_deleted", RkpdSubKegiatanDeleted, event.to_message())


def plafon_of(db, rkpd_id):
    with db.connect() as conn:
        return conn.execute(select(plafon_table).where(plafon_table.c.rkpd_id == rkpd_id)).first()


def outbox_of(db, rkpd_id) -> list:
    t = outbox_table
    with db.connect() as conn:
        return conn.execute(select(t).where(t.c.payload["aggregate_id"].astext == rkpd_id).order_by(t.c.id)).all()


def count(db, table, *where) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def parked_of(db, event_id):
    t = parked_event_table
    with db.connect() as conn:
        return conn.execute(select(t).where(t.c.event_id == event_id).order_by(t.c.id)).all()


def call(container, method: str, *args, **kwargs):
    with entrypoint_hook(container, method, context_data=auth_context()) as hook:
        return hook(*args, **kwargs)


# -- from the plan's events --------------------------------------------------------------------------

def test_rkpd_saved_creates_the_plafon_and_publishes_its_change(keuangan, db, scope):
    event = saved(scope, pagu="3500000.00")

    assert deliver_saved(keuangan, event) == "applied"

    p = plafon_of(db, event.aggregate_id)
    assert (p.kode_pemda, p.tahun) == scope
    assert (p.kode_skpd, p.kode_sub_kegiatan, p.kode_bidang_urusan) == tuple(KODE.values())
    assert str(p.pagu) == "3500000.00"
    assert (p.total_rincian, p.rencana_dihapus, p.source_version, p.version) == (0, False, 1, 1)

    [row] = outbox_of(db, event.aggregate_id)
    assert (row.exchange, row.routing_key) == ("keuangan.events", "apbd.plafon.changed.v1")
    assert row.payload["pagu"] == "3500000.00"
    assert row.payload["total_rincian"] == "0.00"
    assert row.payload["status"] == "sesuai"
    assert row.payload["aggregate_version"] == 1

    listed = call(keuangan, "list_plafon", *scope)
    assert [(i["rkpd_id"], i["pagu"], i["status"]) for i in listed["items"]] == \
        [(event.aggregate_id, "3500000.00", "sesuai")]


def test_the_same_event_delivered_twice_has_one_effect(keuangan, db, scope):
    event = saved(scope)

    assert deliver_saved(keuangan, event) == "applied"
    assert deliver_saved(keuangan, event) == "duplicate"

    assert plafon_of(db, event.aggregate_id).version == 1
    assert len(outbox_of(db, event.aggregate_id)) == 1
    # the ceiling's source_version is what makes it once: the handler keeps no inbox record
    assert count(db, inbox_table, inbox_table.c.event_id == event.event_id) == 0


def test_an_older_version_arriving_late_is_ignored(keuangan, db, scope):
    rkpd_id = str(uuid.uuid4())

    deliver_saved(keuangan, saved(scope, rkpd_id, version=3, pagu="3000000.00"))
    deliver_saved(keuangan, saved(scope, rkpd_id, version=2, pagu="2000000.00"))

    p = plafon_of(db, rkpd_id)
    assert (str(p.pagu), p.source_version, p.version) == ("3000000.00", 3, 1)
    assert [r.payload["pagu"] for r in outbox_of(db, rkpd_id)] == ["3000000.00"]


def test_a_delete_arriving_before_the_creation_wins(keuangan, db, scope):
    rkpd_id = str(uuid.uuid4())

    deliver_deleted(keuangan, deleted(scope, rkpd_id, version=2))
    deliver_saved(keuangan, saved(scope, rkpd_id, version=1))

    p = plafon_of(db, rkpd_id)
    assert (p.rencana_dihapus, p.source_version) == (True, 2)
    [item] = call(keuangan, "list_plafon", *scope)["items"]
    assert (item["rkpd_id"], item["status"]) == (rkpd_id, "tanpa_rencana")
    assert [r.payload["status"] for r in outbox_of(db, rkpd_id)] == ["tanpa_rencana"]


# -- failures: retried, parked, replayed ------------------------------------------------------------

def test_a_handler_that_keeps_failing_is_retried_then_parked(keuangan, db, scope, monkeypatch):
    monkeypatch.setenv("SIPD_HANDLER_MAX_ATTEMPTS", "3")
    # kode_skpd is a 40-character column: the insert fails in the database, every time.
    event = saved(scope, kode_skpd="1.01.0.00.0.00.01.0000" + ".9" * 10)

    publish(RkpdSubKegiatanSaved, event.to_message())

    [parked] = wait_until(lambda: parked_of(db, event.event_id), timeout=15, message="event parked")
    assert parked.attempts == 3
    assert (parked.handler, parked.routing_key) == ("on_rkpd_saved", "rkpd.sub_kegiatan.saved.v1")
    assert "StringDataRightTruncation" in parked.error or "too long" in parked.error
    assert parked.payload == event.to_message()  # nothing lost: the message as it arrived
    assert count(db, handler_failure_table, handler_failure_table.c.event_id == event.event_id) == 0
    assert count(db, inbox_table, inbox_table.c.event_id == event.event_id) == 0
    assert plafon_of(db, event.aggregate_id) is None

    listed = [p for p in as_operator(keuangan, "parked_events") if p["event_id"] == str(event.event_id)]
    assert [(p["id"], p["attempts"], p["replayed_at"]) for p in listed] == [(parked.id, 3, None)]

    replay = as_operator(keuangan, "replay_parked_event", parked.id)
    assert replay["outcome"].startswith(("parked", "failed")), replay
    assert replay["event_id"] == str(event.event_id)

    # The service lives on, and the event is still parked for an operator: a failed replay loses nothing.
    health = call(keuangan, "health")  # ok, or waiting only for its replica (no referensi runs in this test)
    assert health["database"] == "ok", health
    assert health["status"] == "ok" or health["detail"].startswith("replica being filled"), health
    waiting = [p for p in as_operator(keuangan, "parked_events") if p["event_id"] == str(event.event_id)]
    assert len(waiting) == 1 and waiting[0]["id"] != parked.id, waiting
    assert count(db, handler_failure_table, handler_failure_table.c.event_id == event.event_id) == 0


def test_a_message_that_breaks_the_contract_is_parked_at_once(keuangan, db, scope):
    event_id = str(uuid.uuid4())
    kode_pemda, tahun = scope
    broken = {"event_id": event_id, "kode_pemda": kode_pemda, "tahun": tahun, "aggregate_id": str(uuid.uuid4())}

    assert deliver(keuangan, "on_rkpd_saved", RkpdSubKegiatanSaved, broken) == "parked"

    [parked] = parked_of(db, event_id)
    assert parked.attempts == 1
    assert parked.error.startswith("contract violation")
    assert parked.payload == broken
    assert plafon_of(db, broken["aggregate_id"]) is None


# -- budget lines over RPC -------------------------------------------------------------------------

def test_create_rincian_stores_the_line_and_refuses_one_over_the_ceiling(keuangan, replika_siap, db, scope):
    event = saved(scope, pagu="1000000.00")
    deliver_saved(keuangan, event)
    rkpd_id = event.aggregate_id
    line = dict(rkpd_id=rkpd_id, kode_rekening=REKENING_GEDUNG_SEKOLAH, uraian="Pembangunan gedung SD",
                volume="2", satuan="Paket", harga_satuan="300000.50")

    created = call(keuangan, "create_rincian", *scope, line)

    assert created["jumlah"] == "600001.00"
    assert created["status"] == "sesuai"
    assert created["nama_rekening"] == "Belanja Modal Bangunan Gedung Tempat Pendidikan"
    with db.connect() as conn:
        [stored] = conn.execute(select(rincian_table).where(rincian_table.c.rkpd_id == rkpd_id)).all()
    assert (stored.id, str(stored.jumlah)) == (created["id"], "600001.000000")
    p = plafon_of(db, rkpd_id)
    assert (p.version, str(p.total_rincian)) == (2, "600001.000000")

    over = dict(line, volume="1", harga_satuan="400000.00")  # 1.00 above what is left
    with pytest.raises(Invalid) as raised:
        call(keuangan, "create_rincian", *scope, over)

    assert [e["field"] for e in raised.value.errors] == ["harga_satuan"]
    assert count(db, rincian_table, rincian_table.c.rkpd_id == rkpd_id) == 1
    assert plafon_of(db, rkpd_id).version == 2
    changes = outbox_of(db, rkpd_id)
    assert [(r.payload["aggregate_version"], r.payload["total_rincian"]) for r in changes] == \
        [(1, "0.00"), (2, "600001.00")]


def test_create_rincian_names_the_fields_it_refuses(keuangan, replika_siap, scope):
    event = saved(scope)
    deliver_saved(keuangan, event)

    with pytest.raises(Invalid) as not_belanja:
        call(keuangan, "create_rincian", *scope, dict(
            rkpd_id=event.aggregate_id, kode_rekening="4.1.01.09.01.0001", uraian="x", volume="1", satuan="x",
            harga_satuan="1.00"))
    with pytest.raises(Invalid) as no_ceiling:
        call(keuangan, "create_rincian", *scope, dict(
            rkpd_id=str(uuid.uuid4()), kode_rekening=REKENING_GEDUNG_SEKOLAH, uraian="x", volume="1", satuan="x",
            harga_satuan="1.00"))

    assert [e["field"] for e in not_belanja.value.errors] == ["kode_rekening"]
    assert [e["field"] for e in no_ceiling.value.errors] == ["rkpd_id"]
