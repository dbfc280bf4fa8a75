"""Event contracts (the registry, the envelope, the AsyncAPI document) and the RPC request contracts."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

import contracts.keuangan as keuangan_events
import contracts.perencanaan as perencanaan_events
import contracts.referensi as referensi_events
from sipd_common import events as ev
from sipd_common.events import Event, asyncapi_document, registered_events
from sipd_common.money import AMOUNT_PATTERN, MONEY_PATTERN, QUANTITY_PATTERN
from sipd_common.validation import invalid_from
from contracts.keuangan import RincianBaru
from contracts.perencanaan import PerubahanSubKegiatan, SubKegiatanBaru

REAL = {
    "rkpd.sub_kegiatan.saved.v1": perencanaan_events.RkpdSubKegiatanSaved,
    "rkpd.sub_kegiatan.deleted.v1": perencanaan_events.RkpdSubKegiatanDeleted,
    "rpjmd.saved.v1": perencanaan_events.RpjmdSaved,
    "renstra.saved.v1": perencanaan_events.RenstraSaved,
    "rkpd.ditetapkan.v1": perencanaan_events.RkpdDitetapkan,
    "apbd.plafon.changed.v1": keuangan_events.PlafonChanged,
}

ENVELOPE = dict(kode_pemda="32.73", tahun=2026, aggregate_id="6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", aggregate_version=1)
SAVED = dict(ENVELOPE, kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001",
             nama_sub_kegiatan="Pembangunan Unit Sekolah Baru", kode_bidang_urusan="1.01",
             nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
             indikator="Jumlah Unit Sekolah Baru yang Dibangun", target="2", satuan="Unit",
             pagu_indikatif="3500000000.00")
PLAFON = dict(ENVELOPE, kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001",
              kode_bidang_urusan="1.01", pagu="1000000.00", total_rincian=Decimal("1250000.500"),
              status="melebihi_plafon")


@pytest.fixture
def registry(monkeypatch):
    """A private copy of the registry: throwaway events defined by a test leave the real one as it was."""
    copy = dict(ev._REGISTRY)
    monkeypatch.setattr(ev, "_REGISTRY", copy)
    return copy


# --- the registry -----------------------------------------------------------------------------------

def test_the_real_events_are_registered_under_name_and_version():
    registered = registered_events()
    for key, cls in REAL.items():
        assert registered[key] is cls
        assert cls.event_type() == key == f"{cls.name}.v{cls.version}"


def test_registered_events_is_a_copy():
    registered_events().clear()
    assert set(REAL) <= set(registered_events())


def test_the_sources_are_the_publishing_services():
    assert {cls.source for cls in REAL.values()} == {"perencanaan", "keuangan"}
    assert keuangan_events.PlafonChanged.source == "keuangan"


def test_a_new_event_registers_itself(registry):
    class UjiSatuDidaftar(Event):
        name = "uji.unit.didaftar"
        version = 1
        source = "uji"

    assert registered_events()["uji.unit.didaftar.v1"] is UjiSatuDidaftar


def test_a_second_version_is_registered_beside_the_first(registry):
    class UjiVersiSatu(Event):
        name = "uji.unit.versi"
        version = 1
        source = "uji"

    class UjiVersiDua(Event):
        name = "uji.unit.versi"
        version = 2
        source = "uji"
        tambahan: str

    registered = registered_events()
    assert registered["uji.unit.versi.v1"] is UjiVersiSatu
    assert registered["uji.unit.versi.v2"] is UjiVersiDua


def test_defining_the_same_name_and_version_twice_raises_type_error(registry):
    class UjiKembar(Event):
        name = "uji.unit.kembar"
        version = 1
        source = "uji"

    with pytest.raises(TypeError, match=r"uji\.unit\.kembar\.v1 is defined twice"):
        class UjiKembarLagi(Event):
            name = "uji.unit.kembar"
            version = 1
            source = "uji"

    assert registered_events()["uji.unit.kembar.v1"] is UjiKembar


def test_redefining_a_real_event_raises_type_error(registry):
    with pytest.raises(TypeError):
        class PlafonChanged(Event):  # same class name, other module: still a duplicate contract
            name = "apbd.plafon.changed"
            version = 1
            source = "keuangan"
    assert registered_events()["apbd.plafon.changed.v1"] is keuangan_events.PlafonChanged


def test_a_base_without_a_name_is_not_registered(registry):
    before = set(registered_events())

    class UjiDasarBersama(Event):
        kode_skpd: str

    assert set(registered_events()) == before

    class UjiTurunan(UjiDasarBersama):
        name = "uji.unit.turunan"
        version = 1
        source = "uji"

    assert registered_events()["uji.unit.turunan.v1"] is UjiTurunan
    assert "kode_skpd" in UjiTurunan.model_fields


def test_a_subclass_that_bumps_only_the_version_is_registered(registry):
    class RkpdSubKegiatanSavedV2(perencanaan_events.RkpdSubKegiatanSaved):
        version = 2

    assert RkpdSubKegiatanSavedV2.event_type() == "rkpd.sub_kegiatan.saved.v2"
    assert registered_events().get("rkpd.sub_kegiatan.saved.v2") is RkpdSubKegiatanSavedV2


def test_the_registry_fixture_leaves_no_throwaway_event_behind():
    assert set(REAL) <= set(registered_events())
    assert not any(k.startswith("uji.") for k in registered_events())


# --- the envelope -------------------------------------------------------------------------------------

def test_envelope_defaults():
    a = perencanaan_events.RkpdSubKegiatanSaved(**SAVED)
    b = perencanaan_events.RkpdSubKegiatanSaved(**SAVED)
    assert isinstance(a.event_id, uuid.UUID) and a.event_id != b.event_id
    assert a.occurred_at.tzinfo is not None and a.occurred_at.utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - a.occurred_at).total_seconds()) < 60


def test_extra_fields_are_forbidden():
    with pytest.raises(ValidationError, match="extra"):
        perencanaan_events.RkpdSubKegiatanSaved(**SAVED, rahasia="x")
    message = perencanaan_events.RkpdSubKegiatanSaved(**SAVED).to_message()
    with pytest.raises(ValidationError):
        perencanaan_events.RkpdSubKegiatanSaved.model_validate({**message, "rahasia": "x"})


@pytest.mark.parametrize("missing", ["kode_pemda", "tahun", "aggregate_id", "aggregate_version", "kode_skpd"])
def test_the_envelope_and_payload_fields_are_required(missing):
    deleted = {k: SAVED[k] for k in perencanaan_events.RkpdSubKegiatanDeleted.model_fields if k in SAVED}
    perencanaan_events.RkpdSubKegiatanDeleted(**deleted)
    with pytest.raises(ValidationError) as info:
        perencanaan_events.RkpdSubKegiatanDeleted(**{k: v for k, v in deleted.items() if k != missing})
    assert [e["loc"] for e in info.value.errors()] == [(missing,)]


@pytest.mark.parametrize("version", [0, -1])
def test_aggregate_version_starts_at_one(version):
    with pytest.raises(ValidationError):
        perencanaan_events.RkpdSubKegiatanSaved(**{**SAVED, "aggregate_version": version})


def test_an_event_is_immutable():
    e = perencanaan_events.RkpdSubKegiatanSaved(**SAVED)
    with pytest.raises(ValidationError):
        e.pagu_indikatif = Decimal("1")


def test_money_in_an_event_refuses_a_float():
    with pytest.raises(ValidationError):
        perencanaan_events.RkpdSubKegiatanSaved(**{**SAVED, "pagu_indikatif": 3500000000.0})


def test_to_message_is_json_with_money_as_text_and_reads_back_to_the_same_event():
    e = perencanaan_events.RkpdSubKegiatanSaved(**SAVED)
    message = e.to_message()
    assert json.loads(json.dumps(message)) == message
    assert message["pagu_indikatif"] == "3500000000.00"
    assert message["target"] == "2.00"
    assert message["event_id"] == str(e.event_id)
    assert perencanaan_events.RkpdSubKegiatanSaved.model_validate(message) == e


def test_plafon_changed_message_carries_the_computed_amount_as_canonical_text():
    e = keuangan_events.PlafonChanged(**PLAFON)
    assert e.to_message()["total_rincian"] == "1250000.50"
    assert e.to_message()["pagu"] == "1000000.00"
    with pytest.raises(ValidationError):
        keuangan_events.PlafonChanged(**{**PLAFON, "status": "lebih"})


# --- the AsyncAPI document -----------------------------------------------------------------------------

def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(doc, ref):
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_asyncapi_document_shape():
    doc = asyncapi_document(title="SIPD", version="9.9.9")
    assert doc["asyncapi"] == "2.6.0"
    assert doc["info"]["title"] == "SIPD" and doc["info"]["version"] == "9.9.9"
    assert doc["defaultContentType"] == "application/json"
    assert set(doc) == {"asyncapi", "info", "defaultContentType", "channels", "components"}
    json.dumps(doc)  # serialisable as is


def test_one_channel_and_one_message_per_registered_event():
    doc = asyncapi_document()
    registered = registered_events()
    assert len(doc["channels"]) == len(registered)
    assert len(doc["components"]["messages"]) == len(registered)
    for key, cls in registered.items():
        channel = doc["channels"][f"{cls.source}.events/{key}"]
        amqp = channel["bindings"]["amqp"]
        assert amqp["is"] == "routingKey"
        assert amqp["exchange"]["name"] == f"{cls.source}.events"
        assert amqp["exchange"]["type"] == "topic" and amqp["exchange"]["durable"] is True
        message = _resolve(doc, channel["subscribe"]["message"]["$ref"])
        assert message["name"] == key
        assert message["contentType"] == "application/json"
        assert _resolve(doc, message["payload"]["$ref"])["title"] == cls.__name__


def test_operation_ids_are_unique():
    ids = [c["subscribe"]["operationId"] for c in asyncapi_document()["channels"].values()]
    assert len(ids) == len(set(ids))
    assert "on_apbd_plafon_changed_v1" in ids


def test_every_ref_resolves_under_components_and_no_defs_are_left():
    doc = asyncapi_document()
    refs = list(_refs(doc))
    assert refs
    for ref in refs:
        assert ref.startswith(("#/components/schemas/", "#/components/messages/")), ref
        _resolve(doc, ref)
    assert "$defs" not in json.dumps(doc)


def test_payload_schemas_describe_money_as_strings_and_forbid_extras():
    schemas = asyncapi_document()["components"]["schemas"]
    saved = schemas[perencanaan_events.RkpdSubKegiatanSaved.event_type().replace(".", "_")]
    assert saved["additionalProperties"] is False
    assert saved["properties"]["pagu_indikatif"]["type"] == "string"
    assert saved["properties"]["pagu_indikatif"]["pattern"] == MONEY_PATTERN
    assert saved["properties"]["target"]["pattern"] == QUANTITY_PATTERN
    assert {"kode_pemda", "tahun", "aggregate_id", "aggregate_version", "pagu_indikatif"} <= set(saved["required"])
    assert "event_id" not in saved["required"]  # defaulted by the publisher
    plafon = schemas["apbd_plafon_changed_v1"]["properties"]
    assert plafon["total_rincian"]["pattern"] == AMOUNT_PATTERN
    assert set(plafon["status"]["enum"]) == {"sesuai", "melebihi_plafon", "tanpa_rencana"}


REFERENSI_ITEM = {"kode": "1.01.02.2.01.0001", "tingkat": "sub_kegiatan", "nama": "Pembangunan Unit Sekolah Baru",
                  "kode_induk": "1.01.02.2.01", "kinerja": None, "indikator": None, "satuan": "Unit",
                  "valid_from": "kepmendagri-050-5889-2021", "valid_until": None, "revisi": 12, "aksi": "changed"}
RETIRED = {"versi": "kepmendagri-900-2026", "aggregate_id": "nomenklatur/1.01.02.2.01.0001", "aggregate_version": 40,
           "kind": "nomenklatur", "kode": "1.01.02.2.01.0001", "tingkat": "sub_kegiatan", "nama": "Pembangunan USB",
           "kode_pengganti": ["1.01.02.2.01.0026"]}


@pytest.mark.parametrize("cls, data", [
    (perencanaan_events.RkpdSubKegiatanSaved, SAVED),
    (keuangan_events.PlafonChanged, PLAFON),
    (referensi_events.NomenklaturChanged, {"versi": "v-1", "aggregate_id": "nomenklatur", "aggregate_version": 12,
                                           "perubahan": [REFERENSI_ITEM]}),
    (referensi_events.KodeRetired, RETIRED),
])
def test_real_messages_validate_against_the_published_payload_schema(cls, data):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    doc = asyncapi_document()
    schema = {"$ref": f"#/components/schemas/{cls.event_type().replace('.', '_')}", "components": doc["components"]}
    validator = jsonschema_rs.validator_for(schema)
    message = cls(**data).to_message()
    assert validator.is_valid(message)
    assert not validator.is_valid({**message, "rahasia": "x"})
    assert not validator.is_valid({**message, "aggregate_version": 0})


def test_nested_models_are_hoisted_to_components(registry):
    class UjiLokasi(BaseModel):
        kode_wilayah: str

    class UjiBersarang(Event):
        """A throwaway event with a nested model."""

        name = "uji.unit.bersarang"
        version = 1
        source = "uji"
        lokasi: list[UjiLokasi]

    doc = asyncapi_document()
    assert "UjiLokasi" in doc["components"]["schemas"]
    assert doc["components"]["messages"]["uji_unit_bersarang_v1"]["summary"] == "A throwaway event with a nested model."
    for ref in _refs(doc):
        _resolve(doc, ref)


def test_an_event_without_docstring_is_summarised_by_its_key(registry):
    class UjiTanpaDok(Event):
        name = "uji.unit.tanpa_dok"
        version = 1
        source = "uji"

    assert UjiTanpaDok.__doc__ is None
    assert asyncapi_document()["components"]["messages"]["uji_unit_tanpa_dok_v1"]["summary"] == "uji.unit.tanpa_dok.v1"


def test_events_with_the_same_class_name_keep_separate_messages(registry):
    def define(version, field):
        return type("UjiSamaNama", (Event,), {"__annotations__": {field: str}, "name": "uji.unit.sama_nama",
                                              "version": version, "source": "uji", "__module__": f"uji.v{version}"})

    define(1, "lama")
    define(2, "baru")
    doc = asyncapi_document()
    payloads = {key: _resolve(doc, _resolve(doc, c["subscribe"]["message"]["$ref"])["payload"]["$ref"])
                for key, c in doc["channels"].items() if "sama_nama" in key}
    assert "lama" in payloads["uji.events/uji.unit.sama_nama.v1"]["properties"]
    assert "baru" in payloads["uji.events/uji.unit.sama_nama.v2"]["properties"]


# --- perencanaan: PerubahanSubKegiatan ------------------------------------------------------------------

def test_an_empty_change_is_refused():
    with pytest.raises(ValidationError, match="at least one field"):
        PerubahanSubKegiatan.model_validate({})


@pytest.mark.parametrize("field", ["indikator", "target", "satuan", "pagu_indikatif"])
def test_an_explicit_null_is_refused(field):
    with pytest.raises(ValidationError, match=f"{field}\n  Value error, cannot be null"):
        PerubahanSubKegiatan.model_validate({field: None})


def test_a_null_beside_a_valid_field_is_still_refused():
    with pytest.raises(ValidationError, match="satuan\n  Value error, cannot be null"):
        PerubahanSubKegiatan.model_validate({"pagu_indikatif": "1.00", "satuan": None})


@pytest.mark.parametrize("field", ["kode_skpd", "kode_sub_kegiatan", "tahun", "version", "Pagu_indikatif"])
def test_an_unknown_or_uneditable_field_is_refused(field):
    with pytest.raises(ValidationError) as info:
        PerubahanSubKegiatan.model_validate({field: "x", "pagu_indikatif": "1.00"})
    assert [e["loc"] for e in info.value.errors()] == [(field,)]


def test_a_change_carries_only_the_fields_sent():
    change = PerubahanSubKegiatan.model_validate_json('{"pagu_indikatif": "3000000000.00"}')
    assert change.model_fields_set == {"pagu_indikatif"}
    assert change.model_dump(exclude_unset=True) == {"pagu_indikatif": Decimal("3000000000.00")}


@pytest.mark.parametrize("body", [
    {"indikator": ""}, {"satuan": ""}, {"indikator": "x" * 501}, {"target": 2.5}, {"pagu_indikatif": "1.001"},
    {"pagu_indikatif": "-1"},
])
def test_a_change_with_a_bad_value_is_refused(body):
    with pytest.raises(ValidationError):
        PerubahanSubKegiatan.model_validate(body)


def test_an_explicit_null_is_reported_against_its_field():
    with pytest.raises(ValidationError) as info:
        PerubahanSubKegiatan.model_validate({"target": None})
    assert [e["field"] for e in invalid_from(info.value).errors] == ["target"]


def test_the_documented_examples_are_valid():
    for model in (SubKegiatanBaru, PerubahanSubKegiatan, RincianBaru):
        for example in model.model_config["json_schema_extra"]["examples"]:
            model.model_validate(example)


# --- keuangan: RincianBaru -------------------------------------------------------------------------------

RINCIAN = {"rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.2.03.01.01.0002",
           "uraian": "Pembangunan gedung SD Negeri 1", "volume": "1", "satuan": "Paket", "harga_satuan": "1750000000.00"}


def test_a_valid_line_keeps_exact_decimals():
    r = RincianBaru.model_validate(RINCIAN)
    assert r.volume == Decimal("1") and r.harga_satuan == Decimal("1750000000.00")
    assert isinstance(r.harga_satuan, Decimal)


@pytest.mark.parametrize("rkpd_id", [
    "6F1C2B9E-8D7A-4C55-9D0E-2B1F6A7C8D90", str(uuid.uuid4()),
])
def test_rkpd_id_accepts_a_uuid_in_either_case(rkpd_id):
    assert RincianBaru.model_validate({**RINCIAN, "rkpd_id": rkpd_id}).rkpd_id == rkpd_id


@pytest.mark.parametrize("rkpd_id", [
    "", "1", "not-a-uuid", "6f1c2b9e8d7a4c559d0e2b1f6a7c8d90", "{6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90}",
    "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d9", "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d900", "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d9g",
    " 6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90\n", "1.01.02.2.01.0001",
])
def test_rkpd_id_must_be_a_uuid(rkpd_id):
    with pytest.raises(ValidationError) as info:
        RincianBaru.model_validate({**RINCIAN, "rkpd_id": rkpd_id})
    assert [e["loc"] for e in info.value.errors()] == [("rkpd_id",)]


@pytest.mark.parametrize("field, value", [
    ("harga_satuan", 1750000000.0), ("harga_satuan", "1750000000.001"), ("harga_satuan", "-1"),
    ("volume", 1.5), ("volume", "0.00001"), ("kode_rekening", ""), ("uraian", ""), ("satuan", ""),
    ("kode_rekening", "5" * 31),
])
def test_a_bad_line_names_the_field(field, value):
    with pytest.raises(ValidationError) as info:
        RincianBaru.model_validate({**RINCIAN, field: value})
    assert [e["loc"] for e in info.value.errors()] == [(field,)]


def test_an_unknown_field_in_a_line_is_refused():
    with pytest.raises(ValidationError, match="extra"):
        RincianBaru.model_validate({**RINCIAN, "jumlah": "1750000000.00"})


def test_line_json_schema_has_money_as_strings_and_the_uuid_pattern():
    schema = RincianBaru.model_json_schema()
    props = schema["properties"]
    money, whole = props["harga_satuan"]["anyOf"]
    assert money["type"] == "string" and money["pattern"] == MONEY_PATTERN and whole["type"] == "integer"
    assert props["volume"]["anyOf"][0]["pattern"] == QUANTITY_PATTERN
    assert "pattern" in props["rkpd_id"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(RINCIAN)
