"""What an RKPD item records (output defaulting to the codification's, pagu N+1, lokasi, sumber dana, months,
priority labels) and the SKPD's pagu indikatif ceiling that Bappeda sets, on the in-memory unit of work."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.perencanaan.pagu_skpd import usecases as pagu
from services.perencanaan.rkpd import usecases
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable

from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PUSKESMAS, USB
from .test_rkpd import BAPPEDA, OPERATOR, filled, new_item

TAHUN = 2026


def create(uow, caller=BAPPEDA, **over):
    return usecases.create_sub_kegiatan(uow, caller, KOTA, TAHUN, new_item(**over))


def fields(raised) -> list[str]:
    return [e["field"] for e in raised.value.errors]


def test_an_item_records_where_when_and_from_which_funds():
    uow = filled()
    item = create(uow, pagu_indikatif="3500000000.00", pagu_indikatif_n1="1000000000", lokasi=["32.73.01"],
                  bulan_mulai=3, bulan_selesai=11, label_prioritas=["Prioritas Nasional 4", "SPM"],
                  sumber_dana=[{"kode_sumber_dana": "1.1", "pagu": "3000000000.00"},
                               {"kode_sumber_dana": "2.1", "pagu": "500000000"}])
    assert (item.pagu_indikatif_n1, item.lokasi, item.bulan_mulai, item.bulan_selesai) == (
        Decimal("1000000000"), ["32.73.01"], 3, 11)
    assert [(d.kode_sumber_dana, d.pagu) for d in item.sumber_dana] == [("1.1", Decimal("3000000000.00")),
                                                                       ("2.1", Decimal("500000000"))]
    assert uow.audited[-1]["after"]["sumber_dana"][1] == {"kode_sumber_dana": "2.1", "pagu": "500000000.00"}
    changed = usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"pagu_indikatif_n1": None,
                                                                                 "label_prioritas": []})
    assert (changed.pagu_indikatif_n1, changed.label_prioritas, changed.version) == (None, [], 2)


def test_the_output_defaults_to_the_codification_s_kinerja_indikator_and_satuan():
    uow = filled()
    row = uow.replika.tables["nomenklatur"][(USB, "umum")]
    row.update(kinerja="Unit Sekolah Baru yang dibangun", indikator="Jumlah USB", satuan="Unit")
    body = new_item()
    del body["indikator"], body["satuan"]
    item = usecases.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, body)
    assert (item.kinerja, item.indikator, item.satuan) == ("Unit Sekolah Baru yang dibangun", "Jumlah USB", "Unit")
    # the codification of PUSKESMAS gives none: the plan must
    body = new_item(kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS)
    del body["satuan"]
    with pytest.raises(Invalid) as raised:
        usecases.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, body)
    assert fields(raised) == ["satuan"]


@pytest.mark.parametrize("over, field", [
    ({"lokasi": ["32.74.01"]}, "lokasi.0"),
    ({"lokasi": ["32.73.1"]}, "lokasi.0"),  # not a region code (the contract's pattern)
    ({"bulan_mulai": 9, "bulan_selesai": 2}, "bulan_selesai"),
    ({"bulan_selesai": 13}, "bulan_selesai"),
    ({"sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": "1.00"}]}, "sumber_dana"),
    ({"sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": 1.5}]}, "sumber_dana.0.pagu"),  # never a float
])
def test_an_inconsistent_item_is_refused_by_field_and_nothing_is_written(over, field):
    uow = filled()
    with pytest.raises(Invalid) as raised:
        create(uow, **over)
    assert fields(raised) == [field]
    assert (uow.rkpd.items, uow.events, uow.audited) == ({}, [], [])


def test_a_location_the_codification_does_not_hold_is_refused_naming_it_and_nothing_changes():
    uow = filled()
    with pytest.raises(Invalid) as raised:
        create(uow, lokasi=["32.73.01", "32.73.01.9999", "32.73.02.1001", "32.74.01"])
    assert fields(raised) == ["lokasi.3", "lokasi.1"]  # the one outside the pemda is refused as such, once
    assert "32.73.01.9999" in raised.value.errors[1]["message"]
    assert (uow.rkpd.items, uow.events, uow.audited) == ({}, [], [])
    item = create(uow, lokasi=[KOTA, "32.73.01.1001", "32.73.02"])
    with pytest.raises(Invalid) as raised:
        usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"lokasi": ["32.73.02.1001", "32.73.09"]})
    assert fields(raised) == ["lokasi.1"]
    held = uow.rkpd.items[item.id]
    assert (held.lokasi, held.version, len(uow.events), len(uow.audited)) == (
        [KOTA, "32.73.01.1001", "32.73.02"], 1, 1, 1)


def test_a_location_not_yet_in_a_replica_still_being_filled_is_unavailable_not_refused():
    uow = filled("nomenklatur", "skpd")  # the wilayah list is still being filled
    with pytest.raises(Unavailable) as raised:
        create(uow, lokasi=["32.73.01", "32.73.01.9999"])
    assert fields(raised) == ["lokasi.1"] and uow.rkpd.items == {}
    assert create(uow, lokasi=["32.73.01"]).lokasi == ["32.73.01"]  # what it holds already is usable


def test_a_change_of_pagu_must_keep_the_sumber_dana_adding_up():
    uow = filled()
    item = create(uow, pagu_indikatif="100", sumber_dana=[{"kode_sumber_dana": "1.1", "pagu": "100"}])
    with pytest.raises(Invalid) as raised:
        usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"pagu_indikatif": "120"})
    assert fields(raised) == ["sumber_dana"]
    both = usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {
        "pagu_indikatif": "120", "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": "100"},
                                                 {"kode_sumber_dana": "1.2", "pagu": "20"}]})
    assert both.pagu_indikatif == Decimal("120") and both.version == 2


# -- the SKPD's ceiling -----------------------------------------------------------------------------------

def test_bappeda_sets_a_ceiling_the_skpd_s_items_may_not_exceed():
    uow = filled()
    ceiling = pagu.set_pagu_skpd(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"pagu": "1000.00"})
    assert (ceiling.pagu, ceiling.terpakai, ceiling.sisa, ceiling.version) == (Decimal("1000.00"), 0, 1000, 1)
    first = create(uow, pagu_indikatif="600.00")
    with pytest.raises(Invalid) as raised:
        create(uow, kode_sub_kegiatan="1.01.02.2.01.0026", pagu_indikatif="400.01")
    assert fields(raised) == ["pagu_indikatif"] and "at most 400.00 is left" in raised.value.detail
    with pytest.raises(Invalid):
        usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, first.id, {"pagu_indikatif": "1000.01"})
    assert usecases.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, first.id,
                                        {"pagu_indikatif": "1000.00"}).pagu_indikatif == Decimal("1000.00")
    assert (KOTA, TAHUN, DINAS_PENDIDIKAN) in uow.pagu_skpd.locked  # one SKPD's writes go one at a time
    # another SKPD has no ceiling: free
    assert create(uow, kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS, pagu_indikatif="5000").version == 1
    [row] = pagu.list_pagu_skpd(uow, OPERATOR, KOTA, TAHUN)["items"]
    assert (row.terpakai, row.sisa) == (Decimal("1000.00"), Decimal("0.00"))


def test_a_ceiling_is_not_set_below_what_the_skpd_plans_and_only_by_bappeda():
    uow = filled()
    create(uow, pagu_indikatif="600.00")
    with pytest.raises(Invalid) as raised:
        pagu.set_pagu_skpd(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"pagu": "599.99"})
    assert fields(raised) == ["pagu"]
    with pytest.raises(Forbidden):
        pagu.set_pagu_skpd(uow, OPERATOR, KOTA, TAHUN, DINAS_PENDIDIKAN, {"pagu": "10000"})
    with pytest.raises(NotFound):
        pagu.set_pagu_skpd(uow, BAPPEDA, KOTA, TAHUN, "9.99.0.00.0.00.01.0000", {"pagu": "10000"})
    assert pagu.set_pagu_skpd(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"pagu": "600"}).version == 1
    with pytest.raises(Conflict):
        pagu.set_pagu_skpd(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"pagu": "700"}, expected_version=0)
    assert pagu.set_pagu_skpd(uow, BAPPEDA, KOTA, TAHUN, DINAS_PENDIDIKAN, {"pagu": "700"},
                              expected_version=1).version == 2
    assert [a["record_type"] for a in uow.audited].count("pagu_skpd") == 2
