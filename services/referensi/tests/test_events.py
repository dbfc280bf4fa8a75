"""referensi's event contracts and the helpers the consuming services use. Pure, no broker."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from contracts import referensi as ev
from sipd_common.events import registered_events

ITEM = {"kode": "1.01.02.2.01.0001", "tingkat": "sub_kegiatan", "nama": "Pembangunan Unit Sekolah Baru",
        "kode_induk": "1.01.02.2.01", "kinerja": "Unit Sekolah Baru yang Dibangun",
        "indikator": "Jumlah Unit Sekolah Baru yang Dibangun", "satuan": "Unit",
        "valid_from": "kepmendagri-050-5889-2021", "valid_until": None, "revisi": 12, "aksi": "changed"}
RETIRED = {"versi": "kepmendagri-900-2026", "aggregate_id": "nomenklatur/1.01.02.2.01.0001", "aggregate_version": 40,
           "kind": "nomenklatur", "kode": "1.01.02.2.01.0001", "tingkat": "sub_kegiatan",
           "nama": "Pembangunan Unit Sekolah Baru", "kode_pengganti": ["1.01.02.2.01.0026"]}


def test_one_change_event_per_list_and_the_retirement_event_are_registered():
    registered = registered_events()
    for kind, cls in ev.CHANGED.items():
        assert registered[f"referensi.{kind}.changed.v1"] is cls and cls.source == "referensi"
    assert registered["referensi.kode.retired.v1"] is ev.KodeRetired


def test_national_events_have_no_pemda_and_no_year():
    e = ev.NomenklaturChanged(versi="v-1", aggregate_id="nomenklatur", aggregate_version=12, perubahan=[ITEM])
    assert e.kode_pemda is None and e.tahun is None
    message = e.to_message()
    assert ev.NomenklaturChanged.model_validate(message) == e
    assert message["perubahan"][0]["aksi"] == "changed"


def test_a_standard_price_event_carries_its_pemda_year_and_exact_price():
    item = {"kode_pemda": "32.73", "tahun": 2026, "kode": "1.1", "jenis": "SSH", "uraian": "Pensil", "spesifikasi": None,
            "satuan": "Buah", "harga": "3500.00", "kode_rekening": ["5.1.02.01.01.0024"], "valid_from": "v-1",
            "valid_until": None, "revisi": 3, "aksi": "added"}
    e = ev.StandarHargaChanged(kode_pemda="32.73", tahun=2026, versi="v-1", aggregate_id="standar_harga/32.73/2026",
                               aggregate_version=3, perubahan=[item])
    assert e.to_message()["perubahan"][0]["harga"] == "3500.00"
    with pytest.raises(ValidationError):
        ev.StandarHargaChanged(**{**e.model_dump(), "perubahan": [{**item, "harga": 3500.0}]})


@pytest.mark.parametrize("change", [{"aksi": "moved"}, {"tingkat": "sub"}, {"revisi": "x"}])
def test_an_item_that_breaks_the_contract_is_refused(change):
    with pytest.raises(ValidationError):
        ev.NomenklaturChanged(versi="v-1", aggregate_id="n", aggregate_version=1, perubahan=[{**ITEM, **change}])


def test_kode_retired_says_what_a_record_using_the_code_keeps():
    e = ev.KodeRetired(**RETIRED)
    assert e.pemetaan() == {"kind": "nomenklatur", "kode": "1.01.02.2.01.0001", "versi": "kepmendagri-900-2026",
                            "kode_pengganti": ["1.01.02.2.01.0026"]}


def test_tambah_pemetaan_adds_a_code_once_per_version():
    first = ev.KodeRetired(**RETIRED).pemetaan()
    assert ev.tambah_pemetaan([], first) == [first]
    assert ev.tambah_pemetaan([first], {**first, "kode_pengganti": []}) == [first]
    later = {**first, "versi": "kepmendagri-900-2027"}
    assert ev.tambah_pemetaan([first], later) == [first, later]
    existing = [first]
    ev.tambah_pemetaan(existing, later)
    assert existing == [first]  # a new list, the old one untouched


def test_dipensiunkan_explains_and_suggests():
    assert ev.dipensiunkan("account", {"kode": "5.1", "valid_until": "v-2", "kode_pengganti": ["5.2", "5.3"]}) == \
        "account 5.1 was retired in version v-2; use 5.2 or 5.3"
    assert ev.dipensiunkan("SKPD", {"kode": "x", "valid_until": "v-2"}) == "SKPD x was retired in version v-2"


def test_the_documented_examples_of_the_answers_are_valid():
    from contracts import referensi as c

    for model in (c.SubKegiatanOut, c.NomenklaturOut, c.RekeningOut, c.PemdaOut, c.StandarHargaOut, c.ImportReport):
        for example in model.model_config["json_schema_extra"]["examples"]:
            model.model_validate(example)


@pytest.mark.parametrize("kind, tingkat, expected", [
    ("nomenklatur", "sub_kegiatan", "sub_kegiatan"), ("nomenklatur", "kegiatan", None),
    ("rekening", "sub_rincian_objek", "rekening"), ("rekening", "objek", None), ("skpd", None, "skpd"),
    ("sumber_dana", "3", "sumber_dana"), ("wilayah", "desa", None), ("standar_harga", None, None),
])
def test_what_another_services_record_holds_a_retired_code_as(kind, tingkat, expected):
    assert ev.KodeRetired(**{**RETIRED, "kind": kind, "tingkat": tingkat}).dipakai_sebagai == expected
