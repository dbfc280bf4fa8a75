"""The RKPD's use cases on an in-memory unit of work: which plan items are refused and why, who may
write them, what each write publishes and audits. No database, no broker."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved, SubKegiatanRkpdOut
from services.perencanaan.replika import usecases as replika
from services.perencanaan.rkpd import usecases
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated, Unavailable

from .fakes import FakePerencanaanUnitOfWork
from .kodefikasi import (
    DINAS_KESEHATAN, DINAS_LAMA, DINAS_PENDIDIKAN, KOTA, PROVINSI, PUSKESMAS, SNAPSHOT, SUB_LAMA, USB, USB_BARU,
    USB_PROVINSI, V2,
)

TAHUN = 2026
BAPPEDA = Scope("u1", "bappeda.bandung", Role.BAPPEDA, KOTA)
OPERATOR = Scope("u2", "operator.disdik", Role.SKPD_OPERATOR, KOTA, DINAS_PENDIDIKAN)


def filled(*kinds: str) -> FakePerencanaanUnitOfWork:
    """A unit of work whose replica holds the small codification, filled (ready) for ``kinds`` (default all)."""
    uow = FakePerencanaanUnitOfWork()
    for kind, items in SNAPSHOT.items():
        replika.apply_snapshot_page(uow, kind, items)
    uow.replika.terisi(*kinds)
    uow.commit()
    return uow


def new_item(**over) -> dict:
    return {"kode_skpd": DINAS_PENDIDIKAN, "kode_sub_kegiatan": USB, "indikator": "Jumlah Unit Sekolah Baru",
            "target": "2", "satuan": "Unit", "pagu_indikatif": "3500000000.00", **over}


def create(uow, caller=BAPPEDA, kode_pemda=KOTA, **over) -> SubKegiatanRkpdOut:
    return usecases.create_sub_kegiatan(uow, caller, kode_pemda, TAHUN, new_item(**over))


def fields(raised) -> list[str]:
    return [e["field"] for e in raised.value.errors]


# -- create: the codes, from the replica ------------------------------------------------------------------

def test_a_plan_item_takes_its_names_from_the_replica_and_is_published_and_audited():
    uow = filled()
    item = create(uow)
    assert isinstance(item, SubKegiatanRkpdOut)
    assert (item.nama_sub_kegiatan, item.kode_bidang_urusan, item.nama_bidang_urusan, item.version) == (
        "Pembangunan Unit Sekolah Baru", "1.01", "URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", 1)
    assert (item.target, item.pagu_indikatif) == (Decimal("2"), Decimal("3500000000.00"))
    [event] = uow.events
    assert isinstance(event, RkpdSubKegiatanSaved) and (event.aggregate_id, event.aggregate_version) == (item.id, 1)
    [audit] = uow.audited
    assert (audit["action"], audit["record_id"], audit["before"]) == ("create", item.id, None)
    # the names' revisi come along, so that an older rename arriving late changes nothing
    stored = uow.rkpd.items[item.id]
    assert (stored.revisi_sub_kegiatan, stored.revisi_bidang_urusan) == (6, 2)


def test_a_province_plans_a_province_sub_kegiatan():
    bappeda_jabar = Scope("u10", "bappeda.jabar", Role.BAPPEDA, PROVINSI)
    assert create(filled(), caller=bappeda_jabar, kode_pemda=PROVINSI,
                  kode_sub_kegiatan=USB_PROVINSI).kode_pemda == PROVINSI


def test_unknown_codes_are_refused_by_field_and_nothing_is_written():
    uow = filled()
    with pytest.raises(Invalid) as raised:
        create(uow, kode_skpd="9.99.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.9999")
    assert fields(raised) == ["kode_skpd", "kode_sub_kegiatan"]
    assert (uow.rkpd.items, uow.events, uow.audited) == ({}, [], [])


def test_a_code_of_another_level_is_not_a_sub_kegiatan():
    with pytest.raises(Invalid) as raised:
        create(filled(), kode_sub_kegiatan="1.01.02.2.01")  # a kegiatan
    assert fields(raised) == ["kode_sub_kegiatan"]


def test_an_unknown_pemda_is_not_found():
    with pytest.raises(NotFound, match="no pemda with code '32.99'"):
        create(filled(), caller=Scope("u0", "pusat", Role.PUSAT_ADMIN), kode_pemda="32.99")


def test_a_district_is_no_pemda():
    with pytest.raises(NotFound):
        create(filled(), caller=Scope("u0", "pusat", Role.PUSAT_ADMIN), kode_pemda="32.73.01")


def test_a_retired_sub_kegiatan_is_refused_naming_its_replacement():
    with pytest.raises(Invalid) as raised:
        create(filled(), kode_sub_kegiatan=SUB_LAMA)
    assert fields(raised) == ["kode_sub_kegiatan"]
    assert f"sub kegiatan {SUB_LAMA} was retired in version {V2}; use {USB_BARU}" in raised.value.detail


def test_a_retired_skpd_is_refused():
    with pytest.raises(Invalid) as raised:
        create(filled(), kode_skpd=DINAS_LAMA)
    assert fields(raised) == ["kode_skpd"] and f"SKPD {DINAS_LAMA} was retired in version {V2}" in raised.value.detail


def test_a_province_sub_kegiatan_is_refused_in_a_city():
    with pytest.raises(Invalid) as raised:
        create(filled(), kode_sub_kegiatan=USB_PROVINSI)
    assert fields(raised) == ["kode_sub_kegiatan"]
    assert "is for provinsi government, pemda 32.73 is kota" in raised.value.detail


def test_an_skpd_may_not_plan_a_bidang_urusan_it_does_not_serve():
    with pytest.raises(Invalid) as raised:
        create(filled(), kode_sub_kegiatan=PUSKESMAS)
    assert fields(raised) == ["kode_sub_kegiatan"]
    assert f"SKPD {DINAS_PENDIDIKAN} does not serve bidang urusan 1.02 (it serves 1.01)" in raised.value.detail


def test_the_same_sub_kegiatan_twice_for_one_skpd_and_year_is_a_conflict():
    uow = filled()
    create(uow)
    with pytest.raises(Conflict) as raised:
        create(uow, pagu_indikatif="1.00")
    assert fields(raised) == ["kode_sub_kegiatan"]
    assert len(uow.rkpd.items) == 1 and len(uow.events) == 1


def test_a_deleted_item_may_be_planned_again():
    uow = filled()
    first = create(uow)
    usecases.delete_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, first.id)
    assert create(uow).id != first.id


@pytest.mark.parametrize("tahun", [1999, 2101])
def test_a_year_out_of_range_is_refused(tahun):
    with pytest.raises(Invalid) as raised:
        usecases.create_sub_kegiatan(filled(), BAPPEDA, KOTA, tahun, new_item())
    assert fields(raised) == ["tahun"]


def test_a_malformed_body_names_its_fields():
    with pytest.raises(Invalid) as raised:
        create(filled(), pagu_indikatif="lots", satuan="")
    assert sorted(fields(raised)) == ["pagu_indikatif", "satuan"]


# -- create while the replica is being filled --------------------------------------------------------------

def test_a_code_missing_from_a_replica_not_yet_filled_is_unavailable_not_refused():
    uow = FakePerencanaanUnitOfWork()
    with pytest.raises(Unavailable) as raised:
        create(uow)
    assert fields(raised) == ["kode_pemda", "kode_skpd", "kode_sub_kegiatan"]
    assert "still being loaded" in raised.value.detail
    assert uow.rkpd.items == {}


def test_only_the_lists_not_yet_filled_make_a_write_wait():
    uow = filled("nomenklatur", "wilayah")  # the SKPD list is still being filled
    with pytest.raises(Unavailable) as raised:
        create(uow, kode_skpd="1.01.0.00.0.00.55.0000")
    assert fields(raised) == ["kode_skpd"]
    with pytest.raises(Invalid) as refused:  # a sub kegiatan missing from a filled list is refused at once
        create(uow, kode_sub_kegiatan="1.01.02.2.01.9999")
    assert fields(refused) == ["kode_sub_kegiatan"]


def test_codes_already_in_a_replica_not_yet_filled_are_usable():
    uow = filled()
    uow.replika.posisi.clear()  # what the events brought, before the first fill completes
    assert create(uow).version == 1


# -- who may write ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("caller, error", [
    (None, Unauthenticated),
    (Scope("u3", "bappeda.cimahi", Role.BAPPEDA, "32.77"), Forbidden),   # another pemda
    (Scope("u4", "dprd", Role.DPRD, KOTA), Forbidden),                  # reads, never writes
    (Scope("u5", "tapd", Role.TAPD, KOTA), Forbidden),
    (Scope("u6", "admin", Role.PEMDA_ADMIN, KOTA), Forbidden),          # manages people, not plans
    (Scope("u7", "jabar", Role.PROVINSI_ADMIN, PROVINSI), Forbidden),   # reads its regencies, plans nothing
    (Scope("u8", "operator.dinkes", Role.SKPD_OPERATOR, KOTA, DINAS_KESEHATAN), Forbidden),  # another SKPD
])
def test_who_may_not_plan(caller, error):
    uow = filled()
    with pytest.raises(error):
        create(uow, caller=caller)
    assert uow.rkpd.items == {} and uow.events == []


def test_an_skpd_operator_plans_for_its_own_skpd_and_the_pusat_administrator_anywhere():
    uow = filled()
    assert create(uow, caller=OPERATOR).kode_skpd == DINAS_PENDIDIKAN
    pusat = Scope("u9", "kemendagri", Role.PUSAT_ADMIN)
    assert create(uow, caller=pusat, kode_pemda=PROVINSI, kode_sub_kegiatan=USB_PROVINSI).kode_pemda == PROVINSI


def test_an_skpd_operator_may_not_change_or_delete_another_skpds_item():
    uow = filled()
    item = create(uow, kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS)
    with pytest.raises(Forbidden, match=f"belongs to SKPD {DINAS_KESEHATAN}"):
        usecases.update_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id, {"target": "3"})
    with pytest.raises(Forbidden):
        usecases.delete_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id)
    with pytest.raises(Forbidden):
        usecases.get_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id)
    assert len(uow.events) == 1


def test_another_pemda_may_not_change_an_item():
    uow = filled()
    item = create(uow)
    with pytest.raises(Forbidden):
        usecases.update_sub_kegiatan(uow, Scope("u3", "bappeda.cimahi", Role.BAPPEDA, "32.77"), KOTA, TAHUN, item.id,
                                     {"target": "3"})


# -- update and delete ------------------------------------------------------------------------------------

def test_update_with_a_stale_version_is_a_conflict_naming_the_current_one():
    uow = filled()
    item = create(uow)
    with pytest.raises(Conflict) as raised:
        usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "3"}, expected_version=7)
    assert raised.value.extra == {"current_version": 1}
    changed = usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"target": "3"}, expected_version=1)
    assert (changed.version, changed.target) == (2, Decimal("3"))
    assert [e.aggregate_version for e in uow.events] == [1, 2]
    assert [a["action"] for a in uow.audited] == ["create", "update"]


def test_an_update_that_changes_nothing_emits_nothing_and_keeps_the_version():
    uow = filled()
    item = create(uow)
    same = usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id,
                                        {"target": "2.0000", "satuan": "Unit"}, expected_version=1)
    assert same == item
    assert len(uow.events) == 1 and len(uow.audited) == 1


def test_codes_are_not_editable():
    uow = filled()
    item = create(uow)
    with pytest.raises(Invalid):
        usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"kode_skpd": DINAS_KESEHATAN})


def test_delete_publishes_the_deletion_with_the_last_pagu_and_the_next_version():
    uow = filled()
    item = create(uow)
    usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"pagu_indikatif": "3000000000.00"})
    gone = usecases.delete_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, expected_version=2)
    assert gone.model_dump() == {"id": item.id, "version": 3, "deleted": True}
    deleted = uow.events[-1]
    assert isinstance(deleted, RkpdSubKegiatanDeleted)
    assert (deleted.aggregate_version, deleted.pagu_indikatif, deleted.kode_sub_kegiatan) == (
        3, Decimal("3000000000.00"), USB)
    with pytest.raises(NotFound):
        usecases.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id)
    trail = usecases.get_sub_kegiatan_audit(uow, BAPPEDA, KOTA, TAHUN, item.id)  # the trail outlives the item
    assert [e["action"] for e in trail["items"]] == ["create", "update", "delete"]


def test_a_stale_delete_is_a_conflict_and_deletes_nothing():
    uow = filled()
    item = create(uow)
    with pytest.raises(Conflict):
        usecases.delete_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, expected_version=2)
    assert usecases.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id).version == 1


def test_an_item_of_another_year_or_a_malformed_id_is_not_found():
    uow = filled()
    item = create(uow)
    with pytest.raises(NotFound):
        usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN + 1, item.id, {"target": "3"})
    with pytest.raises((NotFound, Invalid)):
        usecases.get_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, "not-a-uuid")


# -- reading ----------------------------------------------------------------------------------------------

def test_an_skpd_operator_lists_its_own_skpds_items_only():
    uow = filled()
    create(uow)
    create(uow, kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS)
    mine = usecases.list_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN)
    assert [i.kode_skpd for i in mine["items"]] == [DINAS_PENDIDIKAN] and mine["total"] == 1
    with pytest.raises(Forbidden):
        usecases.list_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, kode_skpd=DINAS_KESEHATAN)
    assert usecases.list_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN)["total"] == 2
    province = Scope("u7", "jabar", Role.PROVINSI_ADMIN, PROVINSI)  # reads its regencies and cities
    assert usecases.list_sub_kegiatan(uow, province, KOTA, TAHUN)["total"] == 2
