"""The snapshot consumers fill their replicas from: every record of a list in its latest state, page by
page in key order, with the list's stream position. Real PostgreSQL, as the service answers over RPC."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from contracts.referensi import SnapshotPage
from sipd_common.errors import Invalid, NotFound

from .support import call, csv_bytes, import_, outbox


def pages(referensi, **request) -> list[SnapshotPage]:
    """Every page of a list, each asked with ``after`` = the previous page's ``next``."""
    got = [SnapshotPage.model_validate(call(referensi, "snapshot", request))]
    while got[-1].next is not None:
        got.append(SnapshotPage.model_validate(call(referensi, "snapshot", {**request, "after": got[-1].next})))
    return got


def latest_states(db, kind: str, key: str, where: str = "TRUE") -> dict[tuple, tuple]:
    """Per record: (revisi, retired?) of its latest state, read straight from the table."""
    with db.connect() as conn:
        rows = conn.execute(text(f"SELECT DISTINCT ON ({key}) {key}, revisi, valid_until IS NOT NULL FROM {kind} "
                                 f"WHERE {where} ORDER BY {key}, revisi DESC")).all()
    return {tuple(r[:-2]): (r[-2], r[-1]) for r in rows}


def position(db, kind: str) -> int:
    with db.connect() as conn:
        return conn.execute(text("SELECT urutan FROM aliran WHERE kind = :k"), {"k": kind}).scalar() or 0


@pytest.mark.parametrize("kind, key, limit", [
    ("nomenklatur", "kode, varian", 2000), ("rekening", "kode", 300), ("skpd", "kode_pemda, kode", 7),
    ("standar_harga", "kode_pemda, tahun, kode", 9), ("sumber_dana", "kode", 10),
])
def test_the_pages_hold_every_record_once_in_its_latest_state(referensi, db, kind, key, limit):
    got = pages(referensi, kind=kind, limit=limit)
    items = [i for p in got for i in p.items]
    keys = [tuple(i[c.strip()] for c in key.split(",")) for i in items]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), "in key order, each record once"
    expected = latest_states(db, kind, key)
    assert {k: (i["revisi"], i["aksi"] == "retired") for k, i in zip(keys, items)} == expected
    assert all(len(p.items) == limit for p in got[:-1]) and len(got) > 1
    assert {i["aksi"] for i in items} <= {"added", "retired"}


def test_the_pemda_among_the_regions_by_their_levels(referensi, db):
    got = pages(referensi, kind="wilayah", tingkat=["provinsi", "kabupaten_kota"], limit=100)
    items = [i for p in got for i in p.items]
    assert {i["tingkat"] for i in items} == {"provinsi", "kabupaten_kota"}
    assert {(i["kode"],): (i["revisi"], i["aksi"] == "retired") for i in items} == latest_states(
        db, "wilayah", "kode", "tingkat <= 2")
    assert len(items) > 500 and all(i["kode"].count(".") <= 1 for i in items)


def test_a_retired_record_is_in_the_pages_as_retired_with_its_replacements(referensi, versi):
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.84,PROGRAM SNAPSHOT", "tambah,1.01.84.2.01,Kegiatan",
                                 "tambah,1.01.84.2.01.0001,Sub Lama", "tambah,1.01.84.2.01.0002,Sub Baru"), versi)
    later = {"versi": versi["versi"] + "-b", "versi_judul": "Perubahan", "versi_tanggal": versi["versi_tanggal"]}
    import_(referensi, csv_bytes("aksi,kode,nama,kode_pengganti", "hapus,1.01.84.2.01.0001,,1.01.84.2.01.0002",
                                 "ubah,1.01.84.2.01.0002,Sub Baru Sekali,"), later)
    [page] = pages(referensi, kind="nomenklatur", after=["1.01.84.2.01", "umum"], limit=2)[:1]
    assert [(i["kode"], i["aksi"]) for i in page.items] == [("1.01.84.2.01.0001", "retired"),
                                                            ("1.01.84.2.01.0002", "added")]
    retired, renamed = page.items
    assert (retired["valid_until"], retired["kode_pengganti"], retired["nama"]) == (
        later["versi"], ["1.01.84.2.01.0002"], "Sub Lama")
    assert (renamed["nama"], renamed["valid_from"], renamed["valid_until"], renamed["kode_pengganti"]) == (
        "Sub Baru Sekali", later["versi"], None, [])
    assert page.next == ["1.01.84.2.01.0002", "umum"]


def test_a_retired_skpd_names_its_replacement_in_its_own_pemda(referensi, pemda_baru):
    pemda = pemda_baru()
    # both imports go into the latest version: the SKPD is retired in the version it was added in
    import_(referensi, csv_bytes("kode,nama", "1.01.0.00.0.00.01.0000,Dinas Lama", "1.01.0.00.0.00.02.0000,Dinas Baru"),
            {}, kind="skpd", mode="full", kode_pemda=pemda)
    import_(referensi, csv_bytes("aksi,kode,kode_pengganti", "hapus,1.01.0.00.0.00.01.0000,1.01.0.00.0.00.02.0000"),
            {}, kind="skpd", kode_pemda=pemda)
    [page] = pages(referensi, kind="skpd", after=[pemda, ""], limit=2)[:1]
    assert [(i["kode_pemda"], i["kode"], i["aksi"], i["kode_pengganti"]) for i in page.items] == [
        (pemda, "1.01.0.00.0.00.01.0000", "retired", ["1.01.0.00.0.00.02.0000"]),  # as its change event said
        (pemda, "1.01.0.00.0.00.02.0000", "added", [])]
    # it was the SKPD of no version: the look-ups do not know it, as before
    with pytest.raises(NotFound):
        call(referensi, "get_skpd", pemda, "1.01.0.00.0.00.01.0000")
    # added again in the same version, it is current again
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.0.00.0.00.01.0000,Dinas Lama Lagi"), {}, kind="skpd",
            kode_pemda=pemda)
    [page] = pages(referensi, kind="skpd", after=[pemda, ""], limit=1)[:1]
    assert [(i["kode"], i["aksi"], i["nama"]) for i in page.items] == [("1.01.0.00.0.00.01.0000", "added",
                                                                        "Dinas Lama Lagi")]
    assert call(referensi, "get_skpd", pemda, "1.01.0.00.0.00.01.0000")["berlaku"]


def test_urutan_is_the_lists_stream_position(referensi, db, versi):
    before = SnapshotPage.model_validate(call(referensi, "snapshot", {"kind": "nomenklatur", "limit": 1}))
    assert before.urutan == position(db, "nomenklatur") == outbox(db, "referensi.nomenklatur.changed.v1")[-1].payload[
        "urutan"]
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.83,PROGRAM POSISI"), versi)
    after = SnapshotPage.model_validate(call(referensi, "snapshot", {"kind": "nomenklatur", "limit": 1}))
    assert after.urutan == before.urutan + 1 == position(db, "nomenklatur")
    # each list its own position
    assert SnapshotPage.model_validate(call(referensi, "snapshot", {"kind": "standar_harga", "limit": 1})).urutan \
        == position(db, "standar_harga")


def test_the_snapshot_is_public(referensi):
    from nameko.testing.services import entrypoint_hook

    with entrypoint_hook(referensi, "snapshot") as hook:  # no access token
        assert SnapshotPage.model_validate(hook({"kind": "sumber_dana", "limit": 5})).items


@pytest.mark.parametrize("request_, field", [
    ({"kind": "program"}, "kind"),
    ({}, "kind"),
    ({"kind": "nomenklatur", "limit": 0}, "limit"),
    ({"kind": "nomenklatur", "limit": 5001}, "limit"),
    ({"kind": "nomenklatur", "dari": "1"}, "dari"),
    ({"kind": "skpd", "after": ["1.01.0.00.0.00.01.0000"]}, "after"),
    ({"kind": "standar_harga", "after": ["32.73", "tahun ini", "1.1"]}, "after"),
    ({"kind": "skpd", "tingkat": ["provinsi"]}, "tingkat"),
    ({"kind": "wilayah", "tingkat": ["kota"]}, "tingkat"),
])
def test_a_bad_request_is_invalid_naming_the_field(referensi, request_, field):
    with pytest.raises(Invalid) as refused:
        call(referensi, "snapshot", request_)
    assert [e["field"] for e in refused.value.errors] == [field]
