"""The replica of the codification on an in-memory unit of work: what referensi's events and snapshot
pages leave in it, in any order, and what they do to the plan (retired codes flagged, renames
followed). No database, no broker."""
from __future__ import annotations

import random

import pytest

from contracts.perencanaan import RkpdSubKegiatanSaved
from contracts.referensi import NomenklaturChanged
from services.perencanaan.replika import usecases as replika
from services.perencanaan.rkpd import usecases as rkpd
from sipd_common.access import Role, Scope
from sipd_common.errors import Invalid, Unavailable

from .fakes import FakePerencanaanUnitOfWork
from .kodefikasi import (
    DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, NOMENKLATUR, PROVINSI, PUSKESMAS, SKPD, SNAPSHOT, USB, V2, WILAYAH,
    changed, nomenklatur, skpd, wilayah,
)

TAHUN = 2026
BAPPEDA = Scope("u1", "bappeda.bandung", Role.BAPPEDA, KOTA)
PUSAT = Scope("u0", "kemendagri", Role.PUSAT_ADMIN)


def filled(*kinds: str) -> FakePerencanaanUnitOfWork:
    uow = FakePerencanaanUnitOfWork()
    for kind, items in SNAPSHOT.items():
        replika.apply_snapshot_page(uow, kind, items)
    uow.replika.terisi(*kinds)
    uow.commit()
    return uow


def apply(uow, *events) -> None:
    handlers = {"nomenklatur": replika.apply_nomenklatur_changed, "skpd": replika.apply_skpd_changed,
                "wilayah": replika.apply_wilayah_changed}
    for event in events:
        handlers[event.name.split(".")[1]](uow, event)
        uow.commit()


def plan(uow, kode_sub_kegiatan=USB, kode_skpd=DINAS_PENDIDIKAN, kode_pemda=KOTA, tahun=TAHUN) -> str:
    return rkpd.create_sub_kegiatan(uow, PUSAT, kode_pemda, tahun, {
        "kode_skpd": kode_skpd, "kode_sub_kegiatan": kode_sub_kegiatan, "indikator": "i", "target": "1",
        "satuan": "Unit", "pagu_indikatif": "1000"}).id


def item(uow, id: str):
    return uow.rkpd.items[id]


def saved_events(uow, id: str) -> list[RkpdSubKegiatanSaved]:
    return [e for e in uow.events if isinstance(e, RkpdSubKegiatanSaved) and e.aggregate_id == id]


# -- what the replica holds ----------------------------------------------------------------------------------

def test_events_and_snapshot_pages_in_any_order_leave_the_same_replica():
    renamed = nomenklatur(USB, "sub_kegiatan", "Pembangunan USB", 40)
    kota_baru = wilayah(KOTA, "Kota Bandung Raya", 41)
    history = [changed("nomenklatur", NOMENKLATUR[:5]), changed("nomenklatur", NOMENKLATUR[5:]),
               changed("nomenklatur", [{**renamed, "aksi": "changed"}]), changed("skpd", SKPD),
               changed("wilayah", WILAYAH), changed("wilayah", [{**kota_baru, "aksi": "changed"}])]
    expected = FakePerencanaanUnitOfWork()
    apply(expected, *history)
    for seed in range(5):
        shuffled = random.Random(seed).sample(history, len(history))
        uow = FakePerencanaanUnitOfWork()
        # a snapshot taken in the middle, applied after some of the events
        replika.apply_snapshot_page(uow, "nomenklatur", [*NOMENKLATUR[:5], renamed, *NOMENKLATUR[6:]])
        apply(uow, *shuffled, *shuffled[:2])  # and some events twice
        for kind in ("nomenklatur", "skpd", "wilayah"):
            assert uow.replika.rows(kind) == expected.replika.rows(kind), (seed, kind)
    assert expected.replika.tables["nomenklatur"][(USB, "umum")]["nama"] == "Pembangunan USB"


def test_an_older_state_arriving_late_changes_nothing():
    uow = filled()
    apply(uow, changed("skpd", [skpd(KOTA, DINAS_PENDIDIKAN, "Dinas Pendidikan Lama", ["1.01"], 5)]))
    assert uow.replika.tables["skpd"][(KOTA, DINAS_PENDIDIKAN)]["nama"] == "Dinas Pendidikan"


def test_the_pemda_are_kept_apart_from_the_districts_and_villages_and_each_knows_if_it_is_a_province():
    uow = filled()
    apply(uow, changed("wilayah", [wilayah("32.73.02", "Coblong Raya", 50), wilayah("32.73.02.1003", "Dago", 51)]))
    assert {k[0]: r["provinsi"] for k, r in uow.replika.tables["wilayah"].items()} == {
        PROVINSI: True, KOTA: False, "32.04": False}
    lower = uow.replika.tables["wilayah_bawah"]
    assert sorted(k[0] for k in lower) == ["32.73.01", "32.73.01.1001", "32.73.01.1002", "32.73.02",
                                           "32.73.02.1001", "32.73.02.1003"]
    assert (lower[("32.73.02",)]["nama"], lower[("32.73.02.1003",)]["tingkat"]) == ("Coblong Raya", "desa")


def test_a_regions_codes_are_read_in_one_question_and_an_unknown_or_retired_one_is_named():
    uow = filled()
    apply(uow, changed("wilayah", [wilayah("32.73.02.1001", "Cipaganti", 60, retired=True)]))
    named = [("lokasi.0", KOTA), ("lokasi.1", "32.73.01.1001"), ("lokasi.2", "32.73.01.9999"),
             ("lokasi.3", "32.73.02.1001")]
    assert [field for field, _ in replika.regions_not_held(uow, named)] == ["lokasi.2", "lokasi.3"]


def test_an_unknown_region_while_the_wilayah_list_is_being_filled_is_not_refused_but_unavailable():
    uow = filled("nomenklatur", "skpd")
    with pytest.raises(Unavailable) as raised:
        replika.regions_not_held(uow, [("lokasi.0", "32.73.01"), ("lokasi.1", "32.73.01.9999")])
    assert [e["field"] for e in raised.value.errors] == ["lokasi.1"]
    assert replika.regions_not_held(uow, [("lokasi.0", "32.73.01")]) == []  # what it holds is answered


def test_a_snapshot_item_with_a_field_this_consumer_does_not_know_is_applied():
    uow = FakePerencanaanUnitOfWork()
    replika.apply_snapshot_page(uow, "skpd", [{**SKPD[0], "alamat": "Jl. Jend. Ahmad Yani 239"}])
    assert uow.replika.tables["skpd"][(KOTA, DINAS_PENDIDIKAN)]["nama"] == "Dinas Pendidikan"


def test_an_event_with_a_field_this_consumer_does_not_know_is_read():
    payload = changed("skpd", SKPD[:1]).to_message()
    payload["dikirim_oleh"] = "referensi-2"
    payload["perubahan"][0]["alamat"] = "Jl. Wastukencana 2"
    uow = FakePerencanaanUnitOfWork()
    apply(uow, type(changed("skpd", SKPD[:1])).read(payload))
    assert (KOTA, DINAS_PENDIDIKAN) in uow.replika.tables["skpd"]


def test_each_event_records_its_place_in_its_lists_stream():
    uow = FakePerencanaanUnitOfWork()
    apply(uow, changed("skpd", SKPD[:1], urutan=1), changed("skpd", SKPD[1:2], urutan=3),
          changed("nomenklatur", NOMENKLATUR[:1], urutan=1))
    assert (uow.replika.posisi["skpd"].urutan, uow.replika.posisi["skpd"].tertunda) == (1, (3,))
    assert uow.replika.perlu_diisi(["skpd", "nomenklatur", "wilayah"]) == ["skpd", "nomenklatur", "wilayah"]
    apply(uow, changed("skpd", SKPD[2:3], urutan=2))
    assert (uow.replika.posisi["skpd"].urutan, uow.replika.posisi["skpd"].tertunda) == (3, ())


# -- a code added, a code retired ----------------------------------------------------------------------------

def test_a_code_added_by_an_event_is_usable_once_the_event_is_applied():
    uow = filled()
    baru = "1.01.02.2.01.0077"
    with pytest.raises(Invalid):
        plan(uow, baru)
    apply(uow, changed("nomenklatur", [nomenklatur(baru, "sub_kegiatan", "Sub Baru", 60, valid_from=V2)]))
    assert item(uow, plan(uow, baru)).nama_sub_kegiatan == "Sub Baru"


def test_a_code_retired_by_an_event_is_refused_and_flags_the_items_using_it_once():
    uow = filled()
    ids = [plan(uow), plan(uow, tahun=TAHUN + 1), plan(uow, PUSKESMAS, DINAS_KESEHATAN)]
    retired = nomenklatur(USB, "sub_kegiatan", "Pembangunan Unit Sekolah Baru", 70, retired=True,
                          pengganti=["1.01.02.2.01.0026"])
    apply(uow, changed("nomenklatur", [retired]))
    apply(uow, changed("nomenklatur", [retired]))  # the same retirement again, in another event
    replika.apply_snapshot_page(uow, "nomenklatur", [retired])  # and in a snapshot page
    uow.commit()
    pemetaan = {"kind": "nomenklatur", "kode": USB, "versi": V2, "kode_pengganti": ["1.01.02.2.01.0026"]}
    for id in ids[:2]:
        flagged = item(uow, id)
        assert flagged.perlu_pemetaan and flagged.pemetaan == [pemetaan]
        assert (flagged.kode_sub_kegiatan, flagged.version) == (USB, 1)  # nothing rewritten, no new version
    assert not item(uow, ids[2]).perlu_pemetaan
    assert len(uow.events) == 3  # the three creates: a flag publishes nothing
    with pytest.raises(Invalid, match=f"sub kegiatan {USB} was retired in version {V2}; use 1.01.02.2.01.0026"):
        plan(uow, tahun=TAHUN + 2)
    listed = rkpd.list_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, perlu_pemetaan=True)
    assert [i.id for i in listed["items"]] == [ids[0]] and listed["items"][0].pemetaan[0].versi == V2


BEDA = "1.01.02.3.05.0001"  # the two lampiran of 2027 number the digit-3 codes apart


def with_variant(uow) -> None:
    apply(uow, changed("nomenklatur", [
        {**nomenklatur("1.01.02.3.05", "kegiatan", "Pengelolaan Pendidikan SMA", 40), "lingkup": ["kabupaten_kota"]},
        {**nomenklatur("1.01.02.3.05", "kegiatan", "Peningkatan Mutu Akademi Komunitas", 41), "varian": "provinsi",
         "lingkup": ["provinsi"]},
        {**nomenklatur(BEDA, "sub_kegiatan", "Pembangunan USB", 42), "lingkup": ["kabupaten_kota"]},
        {**nomenklatur(BEDA, "sub_kegiatan", "Penyediaan Beasiswa", 43), "varian": "provinsi",
         "lingkup": ["provinsi"]}]))


def test_a_province_plans_a_codes_provincial_variant_and_a_city_its_record():
    uow = filled()
    with_variant(uow)
    province, city = plan(uow, BEDA, kode_pemda=PROVINSI), plan(uow, BEDA)
    assert (item(uow, province).nama_sub_kegiatan, item(uow, city).nama_sub_kegiatan) == (
        "Penyediaan Beasiswa", "Pembangunan USB")
    # the level of a digit-3 code is its lampiran's: a city cannot plan the provincial variant's code's
    # provincial-only sibling, nor a province a regency/city-only one
    apply(uow, changed("nomenklatur", [{**nomenklatur("1.01.02.3.05.0009", "sub_kegiatan", "Hanya Provinsi", 44),
                                        "lingkup": ["provinsi"]}]))
    with pytest.raises(Invalid, match="is for provinsi government"):
        plan(uow, "1.01.02.3.05.0009")
    with pytest.raises(Invalid, match="is for kabupaten_kota government"):
        plan(uow, USB, kode_pemda=PROVINSI)
    # a rename or a retirement of the provincial variant reaches the provinces' items only
    apply(uow, changed("nomenklatur", [{**nomenklatur(BEDA, "sub_kegiatan", "Beasiswa Diploma", 50),
                                        "varian": "provinsi", "lingkup": ["provinsi"], "aksi": "changed"}]))
    assert (item(uow, province).nama_sub_kegiatan, item(uow, city).nama_sub_kegiatan) == (
        "Beasiswa Diploma", "Pembangunan USB")
    apply(uow, changed("nomenklatur", [{**nomenklatur(BEDA, "sub_kegiatan", "Beasiswa Diploma", 51, retired=True),
                                        "varian": "provinsi", "lingkup": ["provinsi"]}]))
    assert item(uow, province).perlu_pemetaan and not item(uow, city).perlu_pemetaan


def test_a_retirement_in_a_later_version_flags_again():
    uow = filled()
    id = plan(uow)
    apply(uow, changed("nomenklatur", [nomenklatur(USB, "sub_kegiatan", "USB", 70, retired=True)]))
    apply(uow, changed("nomenklatur", [{**nomenklatur(USB, "sub_kegiatan", "USB", 80, retired=True),
                                        "valid_until": "kepmendagri-3-2027"}]))
    assert [p["versi"] for p in item(uow, id).pemetaan] == [V2, "kepmendagri-3-2027"]


def test_a_retired_skpd_flags_the_items_of_its_pemda_only():
    uow = filled()
    mine = plan(uow)
    province = plan(uow, "1.01.02.1.01.0001", kode_pemda=PROVINSI)
    apply(uow, changed("skpd", [skpd(KOTA, DINAS_PENDIDIKAN, "Dinas Pendidikan", ["1.01"], 90, retired=True)],
                       kode_pemda=KOTA))
    assert item(uow, mine).pemetaan == [{"kind": "skpd", "kode": DINAS_PENDIDIKAN, "versi": V2, "kode_pengganti": []}]
    assert not item(uow, province).perlu_pemetaan


def test_a_retirement_found_in_a_snapshot_page_flags_too():
    uow = filled()
    id = plan(uow)
    uow.replika.tables["nomenklatur"].clear()  # a consumer filling itself again, from an empty replica
    replika.apply_snapshot_page(uow, "nomenklatur", [nomenklatur(USB, "sub_kegiatan", "USB", 70, retired=True)])
    uow.commit()
    assert item(uow, id).perlu_pemetaan


@pytest.mark.parametrize("retired", [
    nomenklatur("1.01.02.2.01", "kegiatan", "Pengelolaan Pendidikan Sekolah Dasar", 95, retired=True),
    nomenklatur("1.01", "bidang_urusan", "URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", 95, retired=True),
])
def test_retirements_of_codes_the_plan_does_not_hold_flag_nothing(retired):
    uow = filled()
    id = plan(uow)
    apply(uow, changed("nomenklatur", [retired]))
    assert not item(uow, id).perlu_pemetaan


def test_a_retired_pemda_flags_nothing():
    uow = filled()
    id = plan(uow)
    apply(uow, changed("wilayah", [wilayah(KOTA, "Kota Bandung", 95, retired=True)]))
    assert not item(uow, id).perlu_pemetaan


# -- renames --------------------------------------------------------------------------------------------------

def renamed(kode, nama, revisi, tingkat="sub_kegiatan", aksi="changed") -> NomenklaturChanged:
    return changed("nomenklatur", [{**nomenklatur(kode, tingkat, nama, revisi), "aksi": aksi}])


def test_a_rename_reaches_the_items_as_a_new_version_and_is_published():
    uow = filled()
    id = plan(uow)
    apply(uow, renamed(USB, "Pembangunan USB", 100))
    assert (item(uow, id).nama_sub_kegiatan, item(uow, id).version, item(uow, id).revisi_sub_kegiatan) == (
        "Pembangunan USB", 2, 100)
    [_, event] = saved_events(uow, id)
    assert (event.nama_sub_kegiatan, event.aggregate_version) == ("Pembangunan USB", 2)


def test_an_older_rename_arriving_late_changes_nothing():
    uow = filled()
    id = plan(uow)
    apply(uow, renamed(USB, "Paling Baru", 120), renamed(USB, "Lebih Lama", 110))
    assert item(uow, id).nama_sub_kegiatan == "Paling Baru" and len(saved_events(uow, id)) == 2


def test_a_rename_older_than_the_name_the_item_was_planned_with_changes_nothing():
    uow = filled()
    id = plan(uow)  # planned with the name of revisi 6
    apply(uow, renamed(USB, "Nama Kuno", 4))
    assert item(uow, id).nama_sub_kegiatan == "Pembangunan Unit Sekolah Baru"


def test_added_and_retired_records_in_an_event_rename_nothing():
    uow = filled()
    id = plan(uow)
    apply(uow, renamed(USB, "Tambah", 130, aksi="added"))
    assert item(uow, id).nama_sub_kegiatan == "Pembangunan Unit Sekolah Baru"
    apply(uow, changed("nomenklatur", [nomenklatur(USB, "sub_kegiatan", "Hapus", 131, retired=True)]))
    assert item(uow, id).nama_sub_kegiatan == "Pembangunan Unit Sekolah Baru"
    assert len(saved_events(uow, id)) == 1


def test_a_bidang_urusan_rename_reaches_every_item_of_it():
    uow = filled()
    ids = [plan(uow), plan(uow, tahun=TAHUN + 1)]
    apply(uow, renamed("1.01", "PENDIDIKAN", 140, tingkat="bidang_urusan"))
    for id in ids:
        assert (item(uow, id).nama_bidang_urusan, item(uow, id).version) == ("PENDIDIKAN", 2)
        assert saved_events(uow, id)[-1].nama_bidang_urusan == "PENDIDIKAN"


def test_a_rename_missed_and_repaired_from_the_snapshot_reaches_the_items():
    uow = filled()
    id = plan(uow)
    replika.apply_snapshot_page(uow, "nomenklatur", [nomenklatur(USB, "sub_kegiatan", "Nama Dari Snapshot", 150)])
    uow.commit()
    assert (item(uow, id).nama_sub_kegiatan, item(uow, id).version) == ("Nama Dari Snapshot", 2)
    replika.apply_snapshot_page(uow, "nomenklatur", [nomenklatur(USB, "sub_kegiatan", "Nama Dari Snapshot", 150)])
    uow.commit()
    assert len(saved_events(uow, id)) == 2  # the same page again changes nothing


def test_the_replica_and_the_plan_change_together_or_not_at_all():
    uow = filled()
    id = plan(uow)
    with uow:  # a handler whose transaction is not committed (it failed): nothing of it stays
        replika.apply_nomenklatur_changed(uow, renamed(USB, "Tidak Jadi", 160))
    assert uow.replika.tables["nomenklatur"][(USB, "umum")]["revisi"] == 6
    assert item(uow, id).nama_sub_kegiatan == "Pembangunan Unit Sekolah Baru"

