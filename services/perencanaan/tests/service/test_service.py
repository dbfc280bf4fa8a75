"""perencanaan as it runs: a real referensi beside it (perencanaan fills its replica of the
codification from referensi's snapshot), real RabbitMQ (a vhost per test), real PostgreSQL.

What perencanaan publishes is seen as any consumer sees it: a plain Nameko
event handler in a small service of the test's own.
"""
from __future__ import annotations

import pytest
from nameko.events import event_handler
from nameko.testing.services import entrypoint_hook
from sqlalchemy import func, select

from ops.testing import auth_context, wait_until
from services.perencanaan.rkpd.repository import rkpd_sub_kegiatan
from services.perencanaan.service import PerencanaanService
from sipd_common.errors import Conflict, Invalid
from sipd_common.tables import outbox_table

from .replika import replika_siap

# Each test plans in a tahun of its own in Kota Bandung (whose SKPD the shipped codification has).
KODE_PEMDA = "32.73"

KODE_SKPD = "1.01.0.00.0.00.01.0000"  # Dinas Pendidikan
KODE_SUB_KEGIATAN = "1.01.02.2.01.0001"  # Pembangunan Unit Sekolah Baru


class Collector:
    """A consumer of perencanaan's events, as another team would write one."""

    name = "test_collector"
    received: list[tuple[str, dict]] = []

    @event_handler("perencanaan", "rkpd.sub_kegiatan.saved.v1")
    def on_saved(self, payload):
        self.received.append(("rkpd.sub_kegiatan.saved.v1", payload))

    @event_handler("perencanaan", "rkpd.sub_kegiatan.deleted.v1")
    def on_deleted(self, payload):
        self.received.append(("rkpd.sub_kegiatan.deleted.v1", payload))


# -- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture
def tahun(lingkungan):
    return lingkungan.tahun(KODE_PEMDA)


@pytest.fixture
def db(engines):
    return engines("perencanaan")


@pytest.fixture
def perencanaan(start, start_referensi, db):
    start_referensi()
    container = start(PerencanaanService)
    replika_siap(db)
    return container


@pytest.fixture
def collector(broker, container_factory):
    """Started before anything is published, so its queues are bound in time."""
    Collector.received = []
    container_factory(Collector).start()
    return Collector.received


# -- helpers -----------------------------------------------------------------------------------------

def new_item(**over) -> dict:
    item = dict(kode_skpd=KODE_SKPD, kode_sub_kegiatan=KODE_SUB_KEGIATAN,
                indikator="Jumlah Unit Sekolah Baru yang Dibangun", target="2", satuan="Unit",
                pagu_indikatif="3500000000.00")
    item.update(over)
    return item


def call(container, method: str, *args, **kwargs):
    with entrypoint_hook(container, method, context_data=auth_context()) as hook:
        return hook(*args, **kwargs)


def arrived(received: list, routing_key: str, aggregate_id: str, count: int = 1) -> list[dict]:
    """Wait until ``count`` events of the item have reached the consumer; those events."""
    def enough():
        found = [p for key, p in received if key == routing_key and p["aggregate_id"] == aggregate_id]
        return found if len(found) >= count else None

    return wait_until(enough, message=f"{count} x {routing_key} of {aggregate_id} at the consumer")


def outbox_of(db, aggregate_id: str) -> list:
    t = outbox_table
    with db.connect() as conn:
        return conn.execute(select(t).where(t.c.payload["aggregate_id"].astext == aggregate_id)
                            .order_by(t.c.id)).all()


def rows_in(db, table, tahun: int) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)
                            .where(table.c.kode_pemda == KODE_PEMDA, table.c.tahun == tahun)).scalar_one()


def outbox_rows_in(db, tahun: int) -> int:
    t = outbox_table
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(t).where(
            t.c.payload["kode_pemda"].astext == KODE_PEMDA, t.c.payload["tahun"].astext == str(tahun))).scalar_one()


# -- tests -------------------------------------------------------------------------------------------

def test_create_stores_the_item_and_the_relay_publishes_its_event(perencanaan, collector, db, tahun):
    item = call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item())

    assert item["kode_sub_kegiatan"] == KODE_SUB_KEGIATAN
    assert item["nama_sub_kegiatan"] == "Pembangunan Unit Sekolah Baru (USB)"
    assert (item["kode_bidang_urusan"], item["version"]) == ("1.01", 1)
    assert (item["target"], item["pagu_indikatif"]) == ("2.00", "3500000000.00")

    [event] = arrived(collector, "rkpd.sub_kegiatan.saved.v1", item["id"])
    assert (event["kode_pemda"], event["tahun"], event["aggregate_version"]) == (KODE_PEMDA, tahun, 1)
    assert (event["kode_skpd"], event["pagu_indikatif"]) == (KODE_SKPD, "3500000000.00")

    [row] = wait_until(lambda: [r for r in outbox_of(db, item["id"]) if r.published_at is not None],
                       message="outbox row marked published")
    assert str(row.event_id) == event["event_id"]
    assert (row.exchange, row.routing_key) == ("perencanaan.events", "rkpd.sub_kegiatan.saved.v1")
    assert call(perencanaan, "get_sub_kegiatan", KODE_PEMDA, tahun, item["id"]) == item


def test_unknown_codes_are_refused_by_field_and_nothing_is_written(perencanaan, db, tahun):
    with pytest.raises(Invalid) as raised:
        call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun,
             new_item(kode_skpd="9.99.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.9999"))

    assert sorted(e["field"] for e in raised.value.errors) == ["kode_skpd", "kode_sub_kegiatan"]
    assert rows_in(db, rkpd_sub_kegiatan, tahun) == 0
    assert outbox_rows_in(db, tahun) == 0


def test_update_checks_the_version_and_delete_publishes_the_next_one(perencanaan, collector, db, tahun):
    item = call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item())

    with pytest.raises(Conflict) as raised:
        call(perencanaan, "update_sub_kegiatan", KODE_PEMDA, tahun, item["id"],
             {"pagu_indikatif": "3000000000.00"}, expected_version=7)
    assert raised.value.extra == {"current_version": 1}

    changed = call(perencanaan, "update_sub_kegiatan", KODE_PEMDA, tahun, item["id"],
                   {"pagu_indikatif": "3000000000.00"}, expected_version=1)
    assert (changed["version"], changed["pagu_indikatif"]) == (2, "3000000000.00")

    gone = call(perencanaan, "delete_sub_kegiatan", KODE_PEMDA, tahun, item["id"], expected_version=2)
    assert gone == {"id": item["id"], "version": 3, "deleted": True}

    [deleted] = arrived(collector, "rkpd.sub_kegiatan.deleted.v1", item["id"])
    assert (deleted["aggregate_version"], deleted["kode_sub_kegiatan"]) == (3, KODE_SUB_KEGIATAN)
    saved = arrived(collector, "rkpd.sub_kegiatan.saved.v1", item["id"], count=2)
    assert sorted((p["aggregate_version"], p["pagu_indikatif"]) for p in saved) == \
        [(1, "3500000000.00"), (2, "3000000000.00")]
    assert [r.routing_key for r in outbox_of(db, item["id"])] == \
        ["rkpd.sub_kegiatan.saved.v1", "rkpd.sub_kegiatan.saved.v1", "rkpd.sub_kegiatan.deleted.v1"]


def test_the_same_sub_kegiatan_twice_for_one_skpd_and_year_is_a_conflict(perencanaan, db, tahun):
    first = call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item())
    with pytest.raises(Conflict) as raised:
        call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item(pagu_indikatif="1.00"))
    assert [e["field"] for e in raised.value.errors] == ["kode_sub_kegiatan"]
    assert rows_in(db, rkpd_sub_kegiatan, tahun) == 1 and outbox_rows_in(db, tahun) == 1

    call(perencanaan, "delete_sub_kegiatan", KODE_PEMDA, tahun, first["id"])  # once deleted, it may be planned again
    assert call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item())["id"] != first["id"]


def test_the_renstra_sasaran_of_an_item_is_checked_stored_and_published(perencanaan, collector, db, tahun):
    # the stages that require it are the decree's data, as the migration left them
    [tahapan] = [v for v in call(perencanaan, "list_tahapan", "rkpd") if v["versi"] == "permendagri-86-2017"]
    assert [t["kode"] for t in tahapan["tahap"] if t["wajib_sasaran"]] == ["rancangan_akhir", "penetapan", "perubahan"]
    # a link to a sasaran of no Renstra covering the year: refused naming the field, nothing written
    with pytest.raises(Invalid) as refused:
        call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item(kode_sasaran_renstra="S1"))
    assert [e["field"] for e in refused.value.errors] == ["kode_sasaran_renstra"]
    assert rows_in(db, rkpd_sub_kegiatan, tahun) == 0
    # the column round-trips, and the event carries it (null while not linked)
    item = call(perencanaan, "create_sub_kegiatan", KODE_PEMDA, tahun, new_item())
    assert item["kode_sasaran_renstra"] is None
    [event] = arrived(collector, "rkpd.sub_kegiatan.saved.v1", item["id"])
    assert event["kode_sasaran_renstra"] is None
    with db.begin() as conn:
        conn.execute(rkpd_sub_kegiatan.update().where(rkpd_sub_kegiatan.c.id == item["id"])
                     .values(kode_sasaran_renstra="S1"))
    assert call(perencanaan, "get_sub_kegiatan", KODE_PEMDA, tahun, item["id"])["kode_sasaran_renstra"] == "S1"
