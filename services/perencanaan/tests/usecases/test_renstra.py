"""The Renstra's use cases on an in-memory unit of work: an SKPD makes its plan for the period of its pemda's
RPJMD, Bappeda verifies it; which plans are refused and why (naming the field, changing nothing)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.perencanaan import RenstraSaved, StatusRenstra
from services.perencanaan.renstra import usecases
from services.perencanaan.rpjmd import usecases as rpjmd
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PROVINSI, PUSKESMAS, USB_PROVINSI
from .lima_tahun import (
    BAPPEDA, BAPPEDA_JABAR, KEGIATAN, KEGIATAN_PROVINSI, OPERATOR, OPERATOR_DINKES, PROGRAM_KESEHATAN,
    PROGRAM_TANPA_KOTA, fields, filled, indikator, isi_renstra, program_renstra, rpjmd_baru, sub_kegiatan,
)


@pytest.fixture
def uow():
    return filled()


@pytest.fixture
def plan(uow):
    """The RPJMD 2026–2030 of Kota Bandung (and one of the province, for the tests that reach across)."""
    return rpjmd.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru())


def create(uow, plan, caller=OPERATOR, kode_skpd=DINAS_PENDIDIKAN, rpjmd_id=None, **isi):
    return usecases.create_renstra(uow, caller, KOTA, kode_skpd, {"rpjmd_id": rpjmd_id or plan.id, **isi_renstra(**isi)})


def nothing_written(uow) -> bool:
    return (uow.renstra.items == {} and [a["record_type"] for a in uow.audited] == ["rpjmd"]
            and [e.event_type() for e in uow.events] == ["rpjmd.saved.v1"])


def test_an_skpd_makes_its_renstra_for_the_period_of_the_rpjmd_with_names_and_totals(uow, plan):
    item = create(uow, plan)
    assert (item.kode_skpd, item.rpjmd_id, item.tahun_awal, item.tahun_akhir) == (DINAS_PENDIDIKAN, plan.id, 2026, 2030)
    assert (item.status, item.version) == (StatusRenstra.DRAFT, 1)
    program = item.tujuan[0].sasaran[0].program[0]
    assert (program.nama_program, program.kegiatan[0].nama_kegiatan, program.kegiatan[0].sub_kegiatan[0].nama_sub_kegiatan) \
        == ("PROGRAM PENGELOLAAN PENDIDIKAN", "Pengelolaan Pendidikan Sekolah Dasar", "Pembangunan Unit Sekolah Baru")
    assert program.kegiatan[0].sub_kegiatan[0].indikator[0].target_akhir == Decimal("5")  # kumulatif: 2 + 3
    assert item.pagu_indikatif == {2026: Decimal("50000000000.00")}
    assert uow.audited[-1]["kode_skpd"] == DINAS_PENDIDIKAN
    assert usecases.get_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, item.id) == item


def test_only_its_own_skpd_writes_a_renstra_and_bappeda_does_not(uow, plan):
    for caller in (OPERATOR_DINKES, BAPPEDA):
        with pytest.raises(Forbidden):
            create(uow, plan, caller=caller)
    assert nothing_written(uow)


def test_a_sasaran_link_to_another_pemdas_rpjmd_is_refused_by_its_field(uow, plan):
    jabar = rpjmd.create_rpjmd(uow, BAPPEDA_JABAR, PROVINSI, {"tahun_awal": 2026, "tahun_akhir": 2030, "visi": "Jabar",
                                                             "misi": []})
    for rpjmd_id in (jabar.id, "not-a-uuid"):
        with pytest.raises(Invalid) as raised:
            create(uow, plan, rpjmd_id=rpjmd_id)
        assert fields(raised) == ["rpjmd_id"]
        assert f"is not an RPJMD of pemda {KOTA}" in raised.value.detail
    assert uow.renstra.items == {}


def test_a_sasaran_not_in_the_rpjmd_followed_is_refused(uow, plan):
    with pytest.raises(Invalid) as raised:
        create(uow, plan, sasaran_rpjmd="9.9.9")
    assert fields(raised) == ["tujuan.0.sasaran.0.sasaran_rpjmd"]
    assert nothing_written(uow)


def test_targets_and_funding_outside_the_rpjmd_period_are_refused(uow, plan):
    program = program_renstra(kegiatan=[{"kode_kegiatan": KEGIATAN, "sub_kegiatan": [sub_kegiatan(
        indikator=[indikator(target={"2031": "1"})], pagu={"2025": "1.00"})]}])
    with pytest.raises(Invalid) as raised:
        create(uow, plan, program=[program])
    at = "tujuan.0.sasaran.0.program.0.kegiatan.0.sub_kegiatan.0"
    assert fields(raised) == [f"{at}.pagu.2025", f"{at}.indikator.0.target.2031"]
    assert nothing_written(uow)


def test_codes_the_skpds_bidang_urusan_or_the_pemdas_level_do_not_allow_are_refused(uow, plan):
    programs = [
        program_renstra(kode_program=PROGRAM_KESEHATAN, kegiatan=[]),          # Dinas Pendidikan serves 1.01 only
        program_renstra(kode_program=PROGRAM_TANPA_KOTA, kegiatan=[]),         # province kegiatan only
        program_renstra(kode_program="1.01.02", pagu={}, kegiatan=[            # a province kegiatan in a city
            {"kode_kegiatan": KEGIATAN_PROVINSI, "sub_kegiatan": [{"kode_sub_kegiatan": USB_PROVINSI}]},
            {"kode_kegiatan": KEGIATAN, "sub_kegiatan": [{"kode_sub_kegiatan": PUSKESMAS}]}]),  # not under it
    ]
    with pytest.raises(Invalid) as raised:
        create(uow, plan, program=programs)
    at = "tujuan.0.sasaran.0.program"
    assert fields(raised) == [f"{at}.0.kode_program", f"{at}.1.kode_program", f"{at}.2.kegiatan.0.kode_kegiatan",
                              f"{at}.2.kegiatan.1.sub_kegiatan.0.kode_sub_kegiatan"]
    messages = [e["message"] for e in raised.value.errors]
    assert "does not serve bidang urusan 1.02" in messages[0]
    assert "no kegiatan for kabupaten_kota government" in messages[1]
    assert "is for provinsi government; pemda 32.73 is kota" in messages[2]
    assert f"sub kegiatan {PUSKESMAS} is not under kegiatan {KEGIATAN}" in messages[3]
    assert nothing_written(uow)


def test_the_dinas_kesehatan_plans_its_own_program(uow, plan):
    item = create(uow, plan, caller=OPERATOR_DINKES, kode_skpd=DINAS_KESEHATAN,
                  program=[program_renstra(kode_program=PROGRAM_KESEHATAN, kegiatan=[])])
    assert item.tujuan[0].sasaran[0].program[0].nama_program == "PROGRAM PEMENUHAN UPAYA KESEHATAN"


def test_children_may_not_plan_more_than_their_parents_pagu(uow, plan):
    program = program_renstra(pagu={"2026": "1000.00"}, kegiatan=[
        {"kode_kegiatan": KEGIATAN, "pagu": {"2026": "1500.00"}, "sub_kegiatan": [sub_kegiatan(pagu={"2026": "1600.00"})]}])
    with pytest.raises(Invalid) as raised:
        create(uow, plan, program=[program])
    at = "tujuan.0.sasaran.0.program.0"
    assert fields(raised) == [f"{at}.pagu.2026", f"{at}.kegiatan.0.pagu.2026"]
    assert "plan 1500.00 in 2026, more than its pagu 1000.00" in raised.value.errors[0]["message"]


def test_one_renstra_per_skpd_and_rpjmd(uow, plan):
    create(uow, plan)
    with pytest.raises(Conflict) as raised:
        create(uow, plan)
    assert fields(raised) == ["rpjmd_id"]
    assert len(uow.renstra.items) == 1


def test_submitted_verified_or_returned_then_corrected(uow, plan):
    item = create(uow, plan)
    with pytest.raises(Conflict):  # Bappeda verifies a submitted Renstra only
        usecases.verify_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, item.id, {"setuju": True})
    submitted = usecases.submit_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id, expected_version=1)
    assert (submitted.status, submitted.version) == (StatusRenstra.DIAJUKAN, 2)
    with pytest.raises(Conflict) as raised:  # submitted: the SKPD waits for Bappeda
        usecases.update_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id, isi_renstra())
    assert fields(raised) == ["status"]
    with pytest.raises(Forbidden):  # the SKPD does not verify its own plan
        usecases.verify_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id, {"setuju": True})
    with pytest.raises(Invalid) as raised:  # a return says why
        usecases.verify_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, item.id, {"setuju": False})
    assert fields(raised) == ["catatan"]
    returned = usecases.verify_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, item.id,
                                       {"setuju": False, "catatan": "Target 2028 tidak sesuai RPJMD"})
    assert (returned.status, returned.catatan) == (StatusRenstra.DIKEMBALIKAN, "Target 2028 tidak sesuai RPJMD")
    corrected = usecases.update_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id,
                                        isi_renstra(program=[program_renstra(pagu={"2026": "60000000000.00"})]))
    assert corrected.pagu_indikatif == {2026: Decimal("60000000000.00")}
    usecases.submit_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id)
    verified = usecases.verify_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, item.id, {"setuju": True})
    assert verified.status is StatusRenstra.TERVERIFIKASI
    with pytest.raises(Conflict):  # verified: it no longer changes
        usecases.update_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id, isi_renstra())
    trail = usecases.get_renstra_audit(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, item.id)
    assert [e["after"]["status"] for e in trail["items"]] == [
        "draft", "diajukan", "dikembalikan", "dikembalikan", "diajukan", "terverifikasi"]
    published = [e for e in uow.events if isinstance(e, RenstraSaved)]
    assert [(e.status, e.aggregate_version) for e in published] == [
        ("draft", 1), ("diajukan", 2), ("dikembalikan", 3), ("dikembalikan", 4), ("diajukan", 5), ("terverifikasi", 6)]
    assert published[-1].tujuan == verified.tujuan and published[-1].kode_skpd == DINAS_PENDIDIKAN


def test_another_skpds_operator_neither_reads_nor_lists_it(uow, plan):
    item = create(uow, plan)
    with pytest.raises(Forbidden):
        usecases.get_renstra(uow, OPERATOR_DINKES, KOTA, DINAS_PENDIDIKAN, item.id)
    assert usecases.list_renstra(uow, OPERATOR_DINKES, KOTA)["total"] == 0
    assert usecases.list_renstra(uow, BAPPEDA, KOTA)["total"] == 1
    with pytest.raises(NotFound):  # looked up in its own SKPD only
        usecases.get_renstra(uow, BAPPEDA, KOTA, DINAS_KESEHATAN, item.id)


def test_the_years_plan_finds_the_renstra_covering_its_year_its_sasaran_and_targets(uow, plan):
    from services.perencanaan.renstra.domain import periksa_sasaran_tahunan
    from .kodefikasi import USB

    create(uow, plan)
    found = uow.renstra.covering(KOTA, DINAS_PENDIDIKAN, 2027)
    assert found is not None and found.sasaran() == {"S1": "1.1.1"}
    assert found.target_sub_kegiatan(USB, 2027) == [("Jumlah sekolah baru", "Unit", Decimal("3"))]
    assert found.target_sub_kegiatan(USB, 2029) == []
    assert uow.renstra.covering(KOTA, DINAS_PENDIDIKAN, 2031) is None
    # a plan item links to a sasaran of a verified Renstra only (a verified one no longer changes)
    assert "is draft" in periksa_sasaran_tahunan("sasaran", "S1", DINAS_PENDIDIKAN, 2027, found)[0].message
    usecases.submit_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, found.id)
    usecases.verify_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, found.id, {"setuju": True})
    found = uow.renstra.covering(KOTA, DINAS_PENDIDIKAN, 2027)
    assert periksa_sasaran_tahunan("sasaran", "S1", DINAS_PENDIDIKAN, 2027, found) == []
    assert "no sasaran S9" in periksa_sasaran_tahunan("sasaran", "S9", DINAS_PENDIDIKAN, 2027, found)[0].message
    assert "has no Renstra covering 2031" in periksa_sasaran_tahunan("sasaran", "S1", DINAS_PENDIDIKAN, 2031, None)[0].message


def test_a_create_repeated_with_its_key_makes_one_renstra(uow, plan):
    body = {"rpjmd_id": plan.id, **isi_renstra()}
    first = usecases.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, body, idempotency_key="k1")
    again = usecases.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, body, idempotency_key="k1")
    assert again == first and len(uow.renstra.items) == 1
