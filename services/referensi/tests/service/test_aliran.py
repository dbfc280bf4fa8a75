"""Each list's stream: every change event of an import takes the next place in its list's stream
(``urutan``), in the import's transaction, so the places are gap-free and follow the commits, even when
two imports of the same list (SKPD of two pemda) commit side by side. A retired item names its
replacements. Real PostgreSQL and RabbitMQ."""
from __future__ import annotations

from nameko.standalone.rpc import ClusterRpcClient
from sqlalchemy import text

from contracts.referensi import BATCH
from ops.testing import auth_context, wait_until

from .support import csv_bytes, import_, outbox

SKPD = ["1.01.0.00.0.00.01.0000,Dinas Pendidikan", "1.02.0.00.0.00.01.0000,Dinas Kesehatan",
        "2.12.0.00.0.00.01.0000,Disdukcapil"]


def stream(db, kind: str) -> list[tuple[int, int]]:
    """(outbox id, urutan) of every change event of ``kind`` published so far, in outbox order."""
    return [(e.id, e.payload["urutan"]) for e in outbox(db, f"referensi.{kind}.changed.v1")]


def position(db, kind: str) -> int:
    with db.connect() as conn:
        return conn.execute(text("SELECT urutan FROM aliran WHERE kind = :k"), {"k": kind}).scalar() or 0


def assert_gap_free_in_commit_order(db, kind: str) -> list[int]:
    places = [u for _, u in stream(db, kind)]
    assert places == list(range(1, len(places) + 1)), f"{kind}: places {places[-20:]} are not 1, 2, 3, … in order"
    assert position(db, kind) == len(places)
    return places


def test_the_change_events_of_successive_imports_take_consecutive_places(referensi, db, versi):
    before = position(db, "nomenklatur")
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.87,PROGRAM ALIRAN"), versi)
    subs = [f"tambah,1.01.87.2.01.{n:04d},Sub Aliran {n}" for n in range(1, BATCH + 2)]
    report = import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.87.2.01,Kegiatan Aliran", *subs),
                     {"versi": versi["versi"]})
    assert report["added"] == BATCH + 2  # two change events: a full batch and the rest
    places = assert_gap_free_in_commit_order(db, "nomenklatur")
    assert places[-3:] == [before + 1, before + 2, before + 3]
    [first, *second] = [e.payload for e in outbox(db, "referensi.nomenklatur.changed.v1")][-3:]
    assert [i["kode"] for i in first["perubahan"]] == ["1.01.87"]
    assert [len(e["perubahan"]) for e in second] == [BATCH, 2]
    # another list has a stream of its own, untouched
    assert_gap_free_in_commit_order(db, "rekening")


def test_an_import_that_changes_nothing_takes_no_place(referensi, db, versi):
    content = csv_bytes("aksi,kode,nama", "tambah,1.01.86,PROGRAM SEKALI")
    import_(referensi, content, versi)
    before = position(db, "nomenklatur")
    assert not import_(referensi, content, {"versi": versi["versi"]})["applied"]
    assert not import_(referensi, content, versi, dry_run=True)["applied"]
    assert position(db, "nomenklatur") == before
    assert_gap_free_in_commit_order(db, "nomenklatur")


def waiting_for_a_lock(db) -> int:
    """referensi's sessions of this database waiting for a lock someone else holds."""
    with db.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = current_database() AND a.application_name LIKE 'sipd-referensi %'"
        )).scalar_one()


def test_two_imports_of_skpd_of_two_pemda_committing_side_by_side_take_consecutive_places(referensi, db, pemda_baru):
    lines = ["kode,nama", *SKPD]
    two = (pemda_baru(), pemda_baru())
    with db.connect() as holder, ClusterRpcClient(context_data=auth_context(), timeout=120) as client:
        # hold the SKPD stream's row: both imports get as far as numbering their events and wait there
        holder.execute(text("INSERT INTO aliran (kind, urutan) VALUES ('skpd', 0) ON CONFLICT DO NOTHING"))
        holder.commit()
        start = holder.execute(text("SELECT urutan FROM aliran WHERE kind = 'skpd' FOR UPDATE")).scalar_one()
        pending = [client.referensi.import_file.call_async({"kind": "skpd", "mode": "full", "kode_pemda": pemda},
                                                           csv_bytes(*lines), f"skpd-{pemda}.csv")
                   for pemda in two]
        wait_until(lambda: waiting_for_a_lock(db) >= 2, timeout=60, message="both imports wait for the stream")
        holder.commit()  # let them go: they commit one after the other
        reports = [p.result() for p in pending]
    assert [(r["applied"], r["added"]) for r in reports] == [(True, 3), (True, 3)]
    mine = [(e.id, e.payload["urutan"], e.payload["kode_pemda"]) for e in outbox(db, "referensi.skpd.changed.v1")
            if e.payload["kode_pemda"] in two]
    assert sorted(u for _, u, _ in mine) == [start + 1, start + 2]
    assert {p for _, _, p in mine} == set(two)
    assert_gap_free_in_commit_order(db, "skpd")


def test_a_retired_item_names_its_replacements(referensi, db, versi):
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.85,PROGRAM GANTI", "tambah,1.01.85.2.01,Kegiatan Ganti",
                                 "tambah,1.01.85.2.01.0001,Sub Lama", "tambah,1.01.85.2.01.0002,Sub Baru",
                                 "tambah,1.01.85.2.01.0003,Sub Tanpa Pengganti"), versi)
    later = {"versi": versi["versi"] + "-b", "versi_judul": "Perubahan", "versi_tanggal": versi["versi_tanggal"]}
    import_(referensi, csv_bytes("aksi,kode,kode_pengganti", "hapus,1.01.85.2.01.0001,1.01.85.2.01.0002",
                                 "hapus,1.01.85.2.01.0003,"), later)
    [event] = [e.payload for e in outbox(db, "referensi.nomenklatur.changed.v1") if e.payload["versi"] == later["versi"]]
    items = {i["kode"]: i for i in event["perubahan"]}
    assert {k: (i["aksi"], i["valid_until"], i["kode_pengganti"]) for k, i in items.items()} == {
        "1.01.85.2.01.0001": ("retired", later["versi"], ["1.01.85.2.01.0002"]),
        "1.01.85.2.01.0003": ("retired", later["versi"], [])}
    # the deprecated event, one per retired code, still beside it
    retired = [e.payload for e in outbox(db, "referensi.kode.retired.v1") if e.payload["versi"] == later["versi"]]
    assert sorted((r["kode"], tuple(r["kode_pengganti"])) for r in retired) == [
        ("1.01.85.2.01.0001", ("1.01.85.2.01.0002",)), ("1.01.85.2.01.0003", ())]
