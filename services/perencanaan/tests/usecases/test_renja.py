"""The Renja on an in-memory unit of work: the SKPD submits its part of the year's RKPD, its items then no longer
change; Bappeda verifies it or returns it with a note, and a returned one changes again."""
from __future__ import annotations

import pytest

from services.perencanaan.renja import usecases as renja
from services.perencanaan.rkpd import usecases as rkpd
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid

from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PUSKESMAS, USB, USB_BARU
from .test_replika import BAPPEDA, TAHUN, filled

OPERATOR = Scope("u2", "operator.disdik", Role.SKPD_OPERATOR, KOTA, DINAS_PENDIDIKAN)
OPERATOR_DINKES = Scope("u3", "operator.dinkes", Role.SKPD_OPERATOR, KOTA, DINAS_KESEHATAN)


def plan(uow, kode_sub_kegiatan=USB, kode_skpd=DINAS_PENDIDIKAN, caller=OPERATOR):
    return rkpd.create_sub_kegiatan(uow, caller, KOTA, TAHUN, {
        "kode_skpd": kode_skpd, "kode_sub_kegiatan": kode_sub_kegiatan, "indikator": "i", "target": "1",
        "satuan": "Unit", "pagu_indikatif": "1000.50"})


def fields(exc) -> list[str]:
    return [e["field"] for e in exc.value.errors]


def test_a_submitted_renja_freezes_its_skpds_items_until_bappeda_returns_it():
    uow = filled()
    item = plan(uow)
    other = plan(uow, PUSKESMAS, DINAS_KESEHATAN, OPERATOR_DINKES)
    submitted = renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN)
    assert (submitted.status, submitted.version, submitted.jumlah_sub_kegiatan, str(submitted.total_pagu_indikatif)) == (
        "diajukan", 1, 1, "1000.50")
    for write in (lambda: plan(uow, USB_BARU),
                  lambda: rkpd.update_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id, {"target": "2"}),
                  lambda: rkpd.delete_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id)):
        with pytest.raises(Conflict) as refused:
            write()
        assert fields(refused) == ["status"]
    # another SKPD's Renja is its own
    rkpd.update_sub_kegiatan(uow, OPERATOR_DINKES, KOTA, TAHUN, other.id, {"target": "2"})

    with pytest.raises(Invalid) as no_note:
        renja.verify_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"setuju": False})
    assert fields(no_note) == ["catatan"]
    returned = renja.verify_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN,
                                  {"setuju": False, "catatan": "Target terlalu rendah"})
    assert (returned.status, returned.catatan, returned.version) == ("dikembalikan", "Target terlalu rendah", 2)
    rkpd.update_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id, {"target": "3"})
    renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN, expected_version=2)
    verified = renja.verify_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"setuju": True})
    assert verified.status == "terverifikasi"
    with pytest.raises(Conflict):
        rkpd.update_sub_kegiatan(uow, OPERATOR, KOTA, TAHUN, item.id, {"target": "4"})
    with pytest.raises(Conflict) as again:
        renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN)
    assert fields(again) == ["status"]


def test_only_a_submitted_renja_is_verified_and_an_empty_one_is_not_submitted():
    uow = filled()
    with pytest.raises(Invalid) as empty:
        renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN)
    assert fields(empty) == ["kode_skpd"]
    plan(uow)
    with pytest.raises(Conflict) as draft:
        renja.verify_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"setuju": True})
    assert fields(draft) == ["status"]
    with pytest.raises(Conflict):  # a stale If-Match
        renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN, expected_version=3)


def test_the_skpd_submits_bappeda_verifies_and_an_operator_reads_its_own():
    uow = filled()
    plan(uow)
    plan(uow, PUSKESMAS, DINAS_KESEHATAN, OPERATOR_DINKES)
    with pytest.raises(Forbidden):
        renja.submit_renja(uow, OPERATOR_DINKES, KOTA, TAHUN, DINAS_PENDIDIKAN)  # another SKPD's
    with pytest.raises(Forbidden):
        renja.submit_renja(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN)  # the SKPD's, not Bappeda's
    renja.submit_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN)
    with pytest.raises(Forbidden):
        renja.verify_renja(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN, {"setuju": True})  # not its own verifier
    listed = renja.list_renja(uow, BAPPEDA, KOTA, TAHUN)
    assert [(r.kode_skpd, r.status) for r in listed["items"]] == [(DINAS_PENDIDIKAN, "diajukan"),
                                                                   (DINAS_KESEHATAN, "draft")]
    assert [r.kode_skpd for r in renja.list_renja(uow, OPERATOR_DINKES, KOTA, TAHUN)["items"]] == [DINAS_KESEHATAN]
    with pytest.raises(Forbidden):
        renja.get_renja(uow, OPERATOR_DINKES, KOTA, TAHUN, DINAS_PENDIDIKAN)


def test_the_renja_is_submitted_and_verified_only_while_a_stage_of_the_year_is_open():
    from .test_jadwal import DAY, T0, act, at, scheduled
    from .test_jadwal import TAHUN as YEAR  # the scheduled year

    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    rkpd.create_sub_kegiatan(uow, OPERATOR, KOTA, YEAR, {
        "kode_skpd": DINAS_PENDIDIKAN, "kode_sub_kegiatan": USB, "indikator": "i", "target": "1", "satuan": "Unit",
        "pagu_indikatif": "1000.50"}, now=at("rancangan_awal"))
    closed = T0 + 11 * DAY  # rancangan_awal's window ended a day ago
    with pytest.raises(Conflict, match="closed at") as refused:
        renja.submit_renja(uow, OPERATOR, KOTA, YEAR, DINAS_PENDIDIKAN, now=closed)
    assert fields(refused) == ["tahun"]
    assert renja.get_renja(uow, OPERATOR, KOTA, YEAR, DINAS_PENDIDIKAN).status == "draft"
    assert renja.submit_renja(uow, OPERATOR, KOTA, YEAR, DINAS_PENDIDIKAN, now=at("rancangan_awal")).status == "diajukan"

    act(uow, "lock", "rancangan_awal")
    audited = len(uow.audited)
    for setuju in (True, False):
        with pytest.raises(Conflict, match="rancangan_awal is locked") as refused:
            renja.verify_renja(uow, BAPPEDA, KOTA, YEAR, DINAS_PENDIDIKAN, {"setuju": setuju, "catatan": "x"},
                               now=at("rancangan_awal"))
        assert fields(refused) == ["tahun"]
    assert renja.get_renja(uow, BAPPEDA, KOTA, YEAR, DINAS_PENDIDIKAN).status == "diajukan"
    assert len(uow.audited) == audited
    act(uow, "open", "rancangan")
    verified = renja.verify_renja(uow, BAPPEDA, KOTA, YEAR, DINAS_PENDIDIKAN, {"setuju": True}, now=at("rancangan"))
    assert verified.status == "terverifikasi"
