"""referensi's event and answer contracts: what they carry, strictly built, tolerantly read. Pure, no broker."""
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


def test_kode_retired_carries_what_a_record_using_the_code_keeps():
    # was: KodeRetired.pemetaan(); what a consumer keeps is now its own (perencanaan, keuangan), made of these
    e = ev.KodeRetired(**RETIRED)
    assert ev.Pemetaan(kind=e.kind, kode=e.kode, versi=e.versi, kode_pengganti=e.kode_pengganti).model_dump() == {
        "kind": "nomenklatur", "kode": "1.01.02.2.01.0001", "versi": "kepmendagri-900-2026",
        "kode_pengganti": ["1.01.02.2.01.0026"]}


def test_a_retired_item_of_a_change_event_carries_its_version_and_replacements():
    # was: tambah_pemetaan (now the consumers'): the change events carry a retirement in batches, with the
    # version that retired the code (valid_until) and its replacements
    retired = {**ITEM, "aksi": "retired", "valid_until": "kepmendagri-900-2026", "kode_pengganti": ["1.01.02.2.01.0026"]}
    e = ev.NomenklaturChanged(versi="kepmendagri-900-2026", aggregate_id="nomenklatur", aggregate_version=41,
                              urutan=7, perubahan=[ITEM, retired])
    message = e.to_message()
    assert message["urutan"] == 7
    assert [(i["aksi"], i["valid_until"], i["kode_pengganti"]) for i in message["perubahan"]] == [
        ("changed", None, []), ("retired", "kepmendagri-900-2026", ["1.01.02.2.01.0026"])]
    assert ev.NomenklaturChanged.read(message) == e


@pytest.mark.parametrize("urutan", [0, -1, "x"])
def test_a_place_in_the_stream_starts_at_one(urutan):
    with pytest.raises(ValidationError):
        ev.NomenklaturChanged(versi="v-1", aggregate_id="n", aggregate_version=1, urutan=urutan, perubahan=[ITEM])


def test_a_consumer_reads_an_item_with_a_field_it_does_not_know():
    message = ev.NomenklaturChanged(versi="v-1", aggregate_id="n", aggregate_version=12, urutan=1,
                                    perubahan=[ITEM]).to_message()
    message["perubahan"][0]["warna"] = "biru"
    message["dikirim_oleh"] = "referensi-2"
    read = ev.NomenklaturChanged.read(message)
    assert read.perubahan[0].kode == ITEM["kode"] and read.urutan == 1
    with pytest.raises(ValidationError):  # the producer builds strictly
        ev.NomenklaturChanged.model_validate(message)


def test_a_retired_record_says_when_and_by_what_it_was_replaced():
    # was: dipensiunkan (now the consumers'): the refusal "… was retired in version X; use Y" is made of these
    out = ev.RekeningOut.model_validate(ev.RekeningOut.model_config["json_schema_extra"]["examples"][0]
                                        | {"valid_until": "v-2", "berlaku": False, "kode_pengganti": ["5.2", "5.3"]})
    assert (out.kode, out.valid_until, out.kode_pengganti, out.berlaku) == ("5.1.02.01.01.0024", "v-2", ["5.2", "5.3"],
                                                                            False)


def test_the_documented_examples_of_the_answers_are_valid():
    from contracts import referensi as c

    for model in (c.SubKegiatanOut, c.NomenklaturOut, c.RekeningOut, c.PemdaOut, c.StandarHargaOut, c.ImportReport):
        for example in model.model_config["json_schema_extra"]["examples"]:
            model.model_validate(example)


@pytest.mark.parametrize("kind, tingkat", [
    ("nomenklatur", "sub_kegiatan"), ("nomenklatur", "kegiatan"), ("rekening", "sub_rincian_objek"),
    ("rekening", "objek"), ("skpd", None), ("sumber_dana", "3"), ("wilayah", "desa"), ("standar_harga", None),
])
def test_kode_retired_names_the_list_and_level_of_the_code(kind, tingkat):
    # was: KodeRetired.dipakai_sebagai (now the consumers' own: which of their columns hold such a code)
    e = ev.KodeRetired(**{**RETIRED, "kind": kind, "tingkat": tingkat})
    assert (e.kind, e.tingkat) == (kind, tingkat)
    assert ev.KodeRetired.read(e.to_message()) == e


def test_kode_retired_of_a_list_referensi_does_not_keep_is_refused():
    with pytest.raises(ValidationError):
        ev.KodeRetired(**{**RETIRED, "kind": "program"})
