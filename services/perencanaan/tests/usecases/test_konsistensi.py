"""The consistency report of an RPJMD and its Renstra, on an in-memory unit of work: each kind of finding
appears when the plans disagree and goes when they agree; an SKPD operator sees no other SKPD's."""
from __future__ import annotations

import pytest

from contracts.perencanaan import JenisTemuan as J
from services.perencanaan.konsistensi import usecases
from services.perencanaan.renstra import usecases as renstra
from services.perencanaan.rpjmd import usecases as rpjmd
from sipd_common.errors import Forbidden, NotFound

from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA
from .lima_tahun import (
    BAPPEDA, BAPPEDA_JABAR, OPERATOR, OPERATOR_DINKES, PROGRAM_KESEHATAN, PROGRAM_PENUNJANG, filled, indikator, isi_renstra,
    program_renstra, program_rpjmd, rpjmd_baru,
)

FULL = {str(y): "96" for y in range(2026, 2031)}


def kinds(report) -> list[J]:
    return [t.jenis for t in report.temuan]


@pytest.fixture
def uow():
    return filled()


def make(uow, programs, sasaran=None):
    return rpjmd.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru(program=programs, sasaran=sasaran))


def report(uow, plan, caller=BAPPEDA):
    return usecases.get_konsistensi_rpjmd(uow, caller, KOTA, plan.id)


def test_a_plan_without_renstra_has_its_sasaran_skpd_and_incomplete_targets_listed(uow):
    plan = make(uow, [program_rpjmd(indikator=[indikator(target={"2026": "96", "2028": "97"})])])
    got = report(uow, plan)
    assert kinds(got) == [J.SASARAN_TANPA_RENSTRA, J.SKPD_TANPA_RENSTRA, J.TARGET_BELUM_LENGKAP]
    assert (got.temuan[0].kode, got.temuan[1].kode_skpd) == ("1.1.1", DINAS_PENDIDIKAN)
    assert (got.temuan[2].field, got.temuan[2].tahun) == ("misi.0.tujuan.0.sasaran.0.program.0.indikator.0",
                                                          [2027, 2029, 2030])
    assert got.jumlah[J.SASARAN_TANPA_RENSTRA] == 1 and got.jumlah[J.PAGU_MELEBIHI_RPJMD] == 0


def test_agreeing_plans_leave_only_what_is_still_to_do(uow):
    target = indikator(target=FULL)
    plan = rpjmd.create_rpjmd(uow, BAPPEDA, KOTA, {**rpjmd_baru(program=[program_rpjmd(indikator=[target])])})
    made = renstra.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, {
        "rpjmd_id": plan.id, **isi_renstra(program=[program_renstra(indikator=[target], kegiatan=[])])})
    assert kinds(report(uow, plan)) == [J.RENSTRA_BELUM_TERVERIFIKASI]
    renstra.submit_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, made.id)
    renstra.verify_renstra(uow, BAPPEDA, KOTA, DINAS_PENDIDIKAN, made.id, {"setuju": True})
    got = report(uow, plan)
    assert got.temuan == [] and set(got.jumlah.values()) == {0}


def test_a_missing_program_more_funding_and_unexplained_targets_are_listed(uow):
    target = indikator(target=FULL)
    plan = make(uow, [program_rpjmd(indikator=[target], pagu={"2026": "100.00"}),
                      program_rpjmd(kode_program=PROGRAM_PENUNJANG, indikator=[target])])
    other = indikator(target={**FULL, "2028": "90"})
    renstra.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, {"rpjmd_id": plan.id, **isi_renstra(program=[
        program_renstra(indikator=[other], pagu={"2026": "150.00"}, kegiatan=[])])})
    got = report(uow, plan)
    found = {t.jenis: t for t in got.temuan}
    assert found[J.PROGRAM_TANPA_RENSTRA].kode == "1.01.01"
    assert (found[J.PAGU_MELEBIHI_RPJMD].kode, found[J.PAGU_MELEBIHI_RPJMD].tahun) == ("1.01.02", [2026])
    assert (found[J.TARGET_BERBEDA].tahun, found[J.TARGET_BERBEDA].field) == (
        [2028], "misi.0.tujuan.0.sasaran.0.program.0")
    # a note explains the difference: no longer listed
    noted = indikator(target={**FULL, "2028": "90"}, catatan="Penyesuaian daya tampung")
    made = next(iter(uow.renstra.items.values()))
    renstra.update_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, made.id, isi_renstra(program=[
        program_renstra(indikator=[noted], pagu={"2026": "150.00"}, kegiatan=[])]))
    assert J.TARGET_BERBEDA not in kinds(report(uow, plan))


def test_an_skpd_operator_sees_its_own_skpds_findings_and_the_rpjmds(uow):
    plan = make(uow, [program_rpjmd(), program_rpjmd(kode_program=PROGRAM_KESEHATAN, kode_skpd=DINAS_KESEHATAN)])
    renstra.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, {"rpjmd_id": plan.id, **isi_renstra()})
    everyone = {t.kode_skpd for t in report(uow, plan).temuan}
    assert {DINAS_PENDIDIKAN, DINAS_KESEHATAN} <= everyone
    assert {t.kode_skpd for t in report(uow, plan, OPERATOR_DINKES).temuan} <= {DINAS_KESEHATAN, None}
    with pytest.raises(Forbidden):
        report(uow, plan, BAPPEDA_JABAR)
    with pytest.raises(NotFound):
        usecases.get_konsistensi_rpjmd(uow, BAPPEDA, KOTA, "9f0c4c1e-7f0a-4b8e-9a55-3f2e1d0c9b8a")
