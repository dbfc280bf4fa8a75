"""The RPJMD's use cases on an in-memory unit of work: what Bappeda may write, which plans are refused and
why (naming the field, changing nothing), what is derived and audited. No database, no broker."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.perencanaan import RpjmdOut, RpjmdSaved
from services.perencanaan.renstra import usecases as renstra
from services.perencanaan.rpjmd import usecases
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable

from .fakes import FakePerencanaanUnitOfWork
from .kodefikasi import DINAS_KESEHATAN, DINAS_LAMA, KOTA, PROVINSI, SNAPSHOT
from .lima_tahun import (
    AKHIR, AWAL, BAPPEDA, BAPPEDA_JABAR, OPERATOR, PROGRAM, PROGRAM_TANPA_KOTA, fields, filled, indikator,
    isi_rpjmd, isi_renstra, program_rpjmd, rpjmd_baru,
)


def create(uow, caller=BAPPEDA, kode_pemda=KOTA, **over) -> RpjmdOut:
    return usecases.create_rpjmd(uow, caller, kode_pemda, rpjmd_baru(**over))


def unchanged(uow) -> bool:
    return (uow.rpjmd.items, uow.audited, uow.events, uow.commits) == ({}, [], [], 1)


def test_bappeda_makes_the_rpjmd_with_names_from_the_codification_derived_end_targets_and_totals():
    uow = filled()
    item = create(uow)
    assert (item.kode_pemda, item.tahun_awal, item.tahun_akhir, item.version) == (KOTA, AWAL, AKHIR, 1)
    program = item.misi[0].tujuan[0].sasaran[0].program[0]
    assert program.nama_program == "PROGRAM PENGELOLAAN PENDIDIKAN"
    assert program.indikator[0].target_akhir == Decimal("97.5")  # positif: where the period ends
    assert item.pagu_indikatif == {2026: Decimal("150000000000.00"), 2027: Decimal("160000000000.00")}
    [audit] = uow.audited
    assert (audit["action"], audit["record_id"], audit["kode_pemda"], audit["tahun"]) == ("create", item.id, KOTA, AWAL)
    [event] = uow.events
    assert isinstance(event, RpjmdSaved) and (event.aggregate_id, event.aggregate_version, event.tahun) == (item.id, 1, AWAL)
    assert event.misi == item.misi and event.pagu_indikatif == item.pagu_indikatif
    assert usecases.get_rpjmd(uow, OPERATOR, KOTA, item.id) == item  # every role of the pemda reads it


def test_a_cumulative_indicator_ends_with_the_sum_and_a_given_end_target_is_kept():
    uow = filled()
    kumulatif = indikator(polaritas="kumulatif", target={"2026": "10", "2027": "12.5"})
    given = indikator(target_akhir="99")
    item = create(uow, program=[program_rpjmd(indikator=[kumulatif, given])])
    ends = [i.target_akhir for i in item.misi[0].tujuan[0].sasaran[0].program[0].indikator]
    assert ends == [Decimal("22.5"), Decimal("99")]


def test_only_bappeda_or_the_pusat_administrator_writes_the_rpjmd():
    uow = filled()
    with pytest.raises(Forbidden):
        create(uow, caller=OPERATOR)
    with pytest.raises(Forbidden):
        create(uow, caller=BAPPEDA_JABAR)  # another pemda's Bappeda
    assert unchanged(uow)


def test_a_period_of_other_than_five_years_is_refused():
    uow = filled()
    with pytest.raises(Invalid) as raised:
        create(uow, akhir=AKHIR + 1)
    assert fields(raised) == ["tahun_akhir"]
    assert unchanged(uow)


def test_targets_and_funding_for_years_outside_the_period_are_refused_by_their_field():
    uow = filled()
    outside = indikator(target={"2026": "1", "2031": "2"})
    with pytest.raises(Invalid) as raised:
        create(uow, program=[program_rpjmd(indikator=[outside], pagu={"2025": "1000.00"})])
    assert fields(raised) == ["misi.0.tujuan.0.sasaran.0.program.0.pagu.2025",
                              "misi.0.tujuan.0.sasaran.0.program.0.indikator.0.target.2031"]
    assert "2031 is outside the plan's period 2026–2030" in raised.value.errors[1]["message"]
    assert unchanged(uow)


def test_a_program_the_responsible_skpd_does_not_serve_or_the_pemda_level_does_not_have_is_refused():
    uow = filled()
    with pytest.raises(Invalid) as raised:
        create(uow, program=[program_rpjmd(kode_skpd=DINAS_KESEHATAN), program_rpjmd(kode_program=PROGRAM_TANPA_KOTA),
                             program_rpjmd(kode_skpd="9.99.0.00.0.00.01.0000", kode_program="1.01.02"),
                             program_rpjmd(kode_skpd=DINAS_LAMA, kode_program="1.01.99")])
    at = "misi.0.tujuan.0.sasaran.0.program"
    assert fields(raised) == [f"{at}.0.kode_program", f"{at}.1.kode_program", f"{at}.2.kode_skpd",
                              f"{at}.3.kode_skpd", f"{at}.3.kode_program"]
    messages = [e["message"] for e in raised.value.errors]
    assert "does not serve bidang urusan 1.01" in messages[0]
    assert "has no kegiatan for kabupaten_kota government" in messages[1]
    assert "was retired" in messages[3] and "no program 1.01.99" in messages[4]
    assert unchanged(uow)


def test_kodes_are_unique_in_the_rpjmd():
    uow = filled()
    sasaran = {"kode": "1.1.1", "uraian": "x"}
    with pytest.raises(Invalid) as raised:
        create(uow, sasaran=[sasaran, sasaran], program=None)
    assert fields(raised) == ["misi.0.tujuan.0.sasaran.1.kode"]


def test_a_period_overlapping_the_pemdas_rpjmd_is_a_conflict_another_pemdas_is_not():
    uow = filled()
    create(uow)

    def period(caller, kode_pemda, awal):
        return usecases.create_rpjmd(uow, caller, kode_pemda, {"tahun_awal": awal, "tahun_akhir": awal + 4,
                                                               "visi": "Juara", "misi": []})

    with pytest.raises(Conflict) as raised:
        period(BAPPEDA, KOTA, AWAL + 2)
    assert fields(raised) == ["tahun_awal"]
    period(BAPPEDA, KOTA, AKHIR + 1)  # the next period
    assert period(BAPPEDA_JABAR, PROVINSI, AWAL).kode_pemda == PROVINSI
    assert usecases.list_rpjmd(uow, BAPPEDA, KOTA)["total"] == 2


def test_while_the_replica_is_loading_a_missing_code_is_answered_unavailable_not_refused():
    uow = FakePerencanaanUnitOfWork()
    for kind in ("wilayah", "skpd"):
        from services.perencanaan.replika import usecases as replika
        replika.apply_snapshot_page(uow, kind, SNAPSHOT[kind])
    uow.replika.terisi("wilayah", "skpd")
    with pytest.raises(Unavailable):
        create(uow)


def test_a_change_replaces_the_content_keeps_the_period_and_checks_the_version():
    uow = filled()
    item = create(uow)
    changed = usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Bandung juara"}, 1)
    assert (changed.visi, changed.version, changed.tahun_awal) == ("Bandung juara", 2, AWAL)
    assert [a["action"] for a in uow.audited] == ["create", "update"]
    with pytest.raises(Conflict) as stale:
        usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, isi_rpjmd(), 1)
    assert stale.value.extra["current_version"] == 2
    # the same content again: no new version, nothing audited
    assert usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Bandung juara"}).version == 2
    assert len(uow.audited) == 2
    assert [e.aggregate_version for e in uow.events] == [1, 2]


def test_another_pemda_sees_no_such_rpjmd():
    uow = filled()
    item = create(uow)
    with pytest.raises(NotFound):
        usecases.update_rpjmd(uow, BAPPEDA_JABAR, PROVINSI, item.id, isi_rpjmd())
    with pytest.raises(Forbidden):
        usecases.get_rpjmd(uow, BAPPEDA_JABAR, KOTA, item.id)


def test_a_sasaran_a_renstra_serves_cannot_be_dropped():
    uow = filled()
    item = create(uow)
    renstra.create_renstra(uow, OPERATOR, KOTA, OPERATOR.kode_skpd, {"rpjmd_id": item.id, **isi_renstra()})
    other = [{"kode": "1.1.2", "uraian": "Sasaran lain", "program": [program_rpjmd()]}]
    with pytest.raises(Conflict) as raised:
        usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, isi_rpjmd(sasaran=other))
    assert "sasaran 1.1.1 is served by the Renstra of SKPD" in raised.value.detail
    assert usecases.get_rpjmd(uow, BAPPEDA, KOTA, item.id).version == 1


def test_program_codes_are_checked_whatever_the_caller_sends_as_their_name():
    uow = filled()
    item = create(uow, program=[program_rpjmd(nama_program="made up")])
    assert item.misi[0].tujuan[0].sasaran[0].program[0].nama_program == "PROGRAM PENGELOLAAN PENDIDIKAN"
    assert item.misi[0].tujuan[0].sasaran[0].program[0].kode_program == PROGRAM


def test_a_create_repeated_with_its_key_answers_the_first_answer_and_makes_one_rpjmd():
    uow = filled()
    first = usecases.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru(), idempotency_key="k1")
    again = usecases.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru(), idempotency_key="k1")  # not 409 "overlaps"
    assert again == first and len(uow.rpjmd.items) == 1 and len(uow.events) == 1
    with pytest.raises(Invalid) as raised:
        usecases.create_rpjmd(uow, BAPPEDA, KOTA, {**rpjmd_baru(), "visi": "lain"}, idempotency_key="k1")
    assert fields(raised) == ["Idempotency-Key"]
