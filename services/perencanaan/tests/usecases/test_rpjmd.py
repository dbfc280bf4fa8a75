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


PERDA = {"nomor_perda": "Perda Kota Bandung No. 3 Tahun 2026", "tanggal_perda": "2026-06-30"}


def test_an_enacted_rpjmd_no_longer_changes_and_its_enacted_version_stays_through_a_revision():
    uow = filled()
    item = create(uow)
    enacted = usecases.enact_rpjmd(uow, BAPPEDA, KOTA, item.id, PERDA, expected_version=1)
    assert (enacted.status, enacted.revisi, enacted.version) == ("ditetapkan", 1, 2)
    with pytest.raises(Conflict) as raised:
        usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Baru"})
    assert fields(raised) == ["status"]
    with pytest.raises(Conflict):  # enacted once; a second Perda needs a revision first
        usecases.enact_rpjmd(uow, BAPPEDA, KOTA, item.id, PERDA)
    with pytest.raises(Forbidden):
        usecases.revise_rpjmd(uow, OPERATOR, KOTA, item.id, {"alasan": "x"})
    opened = usecases.revise_rpjmd(uow, BAPPEDA, KOTA, item.id, {"alasan": "Penyesuaian RPJMN"})
    assert opened.status == "perubahan"
    usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Bandung juara"})
    second = usecases.enact_rpjmd(uow, BAPPEDA, KOTA, item.id, {**PERDA, "nomor_perda": "Perda No. 9 Tahun 2028"})
    assert (second.revisi, second.visi) == (2, "Bandung juara")

    versions = usecases.list_rpjmd_ditetapkan(uow, OPERATOR, KOTA, item.id)["items"]
    assert [(v.revisi, v.alasan_perubahan) for v in versions] == [(1, None), (2, "Penyesuaian RPJMN")]
    first = usecases.get_rpjmd_ditetapkan(uow, OPERATOR, KOTA, item.id, 1)
    assert (first.visi, first.nomor_perda, first.ditetapkan_oleh) == ("Bandung yang unggul", PERDA["nomor_perda"],
                                                                      BAPPEDA.username)
    assert first.misi == item.misi and first.pagu_indikatif == item.pagu_indikatif
    assert len(first.hash) == 64 and first.hash != versions[1].hash
    with pytest.raises(NotFound):
        usecases.get_rpjmd_ditetapkan(uow, OPERATOR, KOTA, item.id, 3)
    assert [e.status for e in uow.events] == ["rancangan", "ditetapkan", "perubahan", "perubahan", "ditetapkan"]


def test_an_rpjmd_is_enacted_with_a_target_for_every_year_and_nothing_changes_when_refused():
    uow = filled()
    item = create(uow, program=[program_rpjmd(indikator=[indikator(target={"2026": "1"})])])
    with pytest.raises(Invalid) as raised:
        usecases.enact_rpjmd(uow, BAPPEDA, KOTA, item.id, PERDA)
    assert fields(raised) == ["misi.0.tujuan.0.sasaran.0.program.0.indikator.0.target"]
    assert "no target for 2027, 2028, 2029, 2030" in raised.value.errors[0]["message"]
    assert usecases.get_rpjmd(uow, BAPPEDA, KOTA, item.id).status == "rancangan"
    assert uow.rpjmd.enacted == [] and len(uow.events) == 1


# -- the schedule (jadwal) of the period, keyed by its first year ----------------------------------------

def _jadwal(uow, dokumen: str, stages: list[str], t0):
    from datetime import timedelta

    from services.perencanaan.jadwal import usecases as jadwal
    day = timedelta(days=1)
    jadwal.create_jadwal(uow, BAPPEDA, KOTA, {"dokumen": dokumen, "tahun": AWAL, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (t0 + i * 10 * day).isoformat(),
         "waktu_selesai": (t0 + (i + 1) * 10 * day).isoformat()} for i, k in enumerate(stages)]}, now=t0)
    return jadwal, day


def test_an_rpjmd_is_written_only_while_a_stage_of_its_periods_schedule_is_open():
    from datetime import datetime, timezone
    t0 = datetime(2025, 1, 6, tzinfo=timezone.utc)
    uow = filled()
    item = create(uow)  # no schedule for the period: written freely, as before
    jadwal, day = _jadwal(uow, "rpjmd", ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir",
                                         "penetapan"], t0)
    before = (dict(uow.rpjmd.items), len(uow.audited), len(uow.events))
    with pytest.raises(Conflict) as refused:  # scheduled, and no stage open yet
        usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Bandung Unggul"}, now=t0 + day)
    assert [e["field"] for e in refused.value.errors] == ["tahun"] and "RPJMD 2026" in str(refused.value)
    assert (dict(uow.rpjmd.items), len(uow.audited), len(uow.events)) == before
    with pytest.raises(Conflict) as refused:  # a new RPJMD of that period is refused the same way
        usecases.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru(), now=t0 + day)
    assert [e["field"] for e in refused.value.errors] == ["tahun"]
    jadwal.open_tahap(uow, BAPPEDA, KOTA, "rpjmd", AWAL, "rancangan_awal", now=t0 + day)
    changed = usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Bandung Unggul"}, now=t0 + day)
    assert changed.visi == "Bandung Unggul" and changed.version == 2
    with pytest.raises(Conflict) as refused:  # its window over
        usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, isi_rpjmd(), now=t0 + 11 * day)
    assert [e["field"] for e in refused.value.errors] == ["tahun"]
    locked = jadwal.lock_tahap(uow, BAPPEDA, KOTA, "rpjmd", AWAL, "rancangan_awal", now=t0 + 2 * day)
    [snapshot] = uow.jadwal.snapshot_rows.values()
    assert (snapshot.dokumen, snapshot.ringkasan, snapshot.items[0]["id"]) == ("rpjmd", {"jumlah_dokumen": 1}, item.id)
    assert locked.tahap[0].status == "terkunci"
    with pytest.raises(Conflict):  # locked: nothing open
        usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, isi_rpjmd(), now=t0 + 3 * day)


def test_a_renstra_is_written_only_while_its_periods_renstra_schedule_has_a_stage_open():
    from datetime import datetime, timezone
    t0 = datetime(2025, 1, 6, tzinfo=timezone.utc)
    uow = filled()
    item = create(uow)
    jadwal, day = _jadwal(uow, "renstra", ["rancangan_awal", "rancangan", "rancangan_akhir", "penetapan"], t0)
    # the RPJMD's own schedule is another document's: the RPJMD is still written freely
    usecases.update_rpjmd(uow, BAPPEDA, KOTA, item.id, {**isi_rpjmd(), "visi": "Bandung Unggul"}, now=t0 + day)
    with pytest.raises(Conflict) as refused:
        renstra.create_renstra(uow, OPERATOR, KOTA, OPERATOR.kode_skpd, {"rpjmd_id": item.id, **isi_renstra()},
                               now=t0 + day)
    assert [e["field"] for e in refused.value.errors] == ["tahun"] and uow.renstra.items == {}
    jadwal.open_tahap(uow, BAPPEDA, KOTA, "renstra", AWAL, "rancangan_awal", now=t0 + day)
    made = renstra.create_renstra(uow, OPERATOR, KOTA, OPERATOR.kode_skpd, {"rpjmd_id": item.id, **isi_renstra()},
                                  now=t0 + day)
    with pytest.raises(Conflict) as refused:  # submitting after the window closed
        renstra.submit_renstra(uow, OPERATOR, KOTA, OPERATOR.kode_skpd, made.id, now=t0 + 11 * day)
    assert [e["field"] for e in refused.value.errors] == ["tahun"]
    assert renstra.submit_renstra(uow, OPERATOR, KOTA, OPERATOR.kode_skpd, made.id, now=t0 + 2 * day).status == "diajukan"
