"""The year's RKPD consistency report on an in-memory unit of work: an item serving no Renstra sasaran, a target
differing from the Renstra's (until a note explains it), an SKPD over its ceiling; an SKPD operator sees its own
SKPD's findings only."""
from __future__ import annotations

from decimal import Decimal

from contracts.perencanaan import JenisTemuanRkpd as J
from services.perencanaan.konsistensi import usecases
from services.perencanaan.pagu_skpd.domain import PaguSkpd
from services.perencanaan.renstra import usecases as renstra
from services.perencanaan.rkpd import usecases as rkpd
from services.perencanaan.rpjmd import usecases as rpjmd

from .kodefikasi import DINAS_KESEHATAN, DINAS_PENDIDIKAN, KOTA, PUSKESMAS, USB, USB_BARU
from .lima_tahun import BAPPEDA, OPERATOR, OPERATOR_DINKES, filled, isi_renstra, rpjmd_baru

TAHUN = 2027  # the Renstra's target of USB for 2027 is 3 ("Jumlah sekolah baru", Unit)


def world():
    uow = filled()
    plan = rpjmd.create_rpjmd(uow, BAPPEDA, KOTA, rpjmd_baru())
    renstra.create_renstra(uow, OPERATOR, KOTA, DINAS_PENDIDIKAN, {"rpjmd_id": plan.id, **isi_renstra()})
    return uow


def plan_item(uow, kode_sub_kegiatan=USB, kode_skpd=DINAS_PENDIDIKAN, **over):
    return rkpd.create_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, {
        "kode_skpd": kode_skpd, "kode_sub_kegiatan": kode_sub_kegiatan, "indikator": "Jumlah sekolah baru",
        "satuan": "Unit", "target": "3", "pagu_indikatif": "1000000.00", **over})


def report(uow, caller=BAPPEDA):
    return usecases.get_konsistensi_rkpd(uow, caller, KOTA, TAHUN)


def test_an_item_agreeing_with_its_renstra_has_no_finding_and_every_kind_is_counted():
    uow = world()
    plan_item(uow)
    got = report(uow)
    assert got.temuan == [] and got.jumlah == {j: 0 for j in J}


def test_a_target_differing_from_the_renstras_is_listed_until_a_note_explains_it():
    uow = world()
    item = plan_item(uow, target="4")
    [finding] = report(uow).temuan
    assert (finding.jenis, finding.rkpd_id, finding.kode_skpd) == (J.TARGET_BERBEDA, item.id, DINAS_PENDIDIKAN)
    assert "differs from the Renstra's 3" in finding.pesan and finding.renstra_id
    rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, item.id, {"catatan": "Lahan tersedia untuk 4 sekolah"})
    assert report(uow).temuan == []


def test_items_serving_no_sasaran_of_their_skpds_renstra():
    uow = world()
    outside = plan_item(uow, USB_BARU)  # not in the Renstra
    no_renstra = plan_item(uow, PUSKESMAS, DINAS_KESEHATAN)  # its SKPD has none
    got = report(uow)
    # in SKPD order: Pendidikan (1.01) before Kesehatan (1.02)
    assert [(t.jenis, t.rkpd_id) for t in got.temuan] == [(J.TANPA_SASARAN, outside.id), (J.TANPA_SASARAN, no_renstra.id)]
    assert "has no Renstra covering 2027" in got.temuan[1].pesan and got.temuan[1].renstra_id is None
    assert got.jumlah[J.TANPA_SASARAN] == 2
    # an SKPD operator sees its own SKPD's findings only
    assert [t.rkpd_id for t in report(uow, OPERATOR_DINKES).temuan] == [no_renstra.id]
    assert [t.rkpd_id for t in report(uow, OPERATOR).temuan] == [outside.id]


def test_an_skpd_over_its_ceiling_is_listed_with_the_exact_excess():
    uow = world()
    plan_item(uow, pagu_indikatif="1000000.01")
    uow.pagu_skpd.put(PaguSkpd(KOTA, TAHUN, DINAS_PENDIDIKAN, Decimal("1000000.00")))  # e.g. after a mapping
    [finding] = report(uow).temuan
    assert (finding.jenis, finding.kode_skpd) == (J.MELEBIHI_PAGU_SKPD, DINAS_PENDIDIKAN)
    assert "(0.01 over)" in finding.pesan


def test_an_item_that_records_its_sasaran_is_read_by_it_not_by_inference():
    from .lima_tahun import renstra_terverifikasi

    uow = filled()
    renstra_terverifikasi(uow)
    inferred = plan_item(uow, USB_BARU)  # the Renstra plans it under no sasaran
    assert [t.rkpd_id for t in report(uow).temuan] == [inferred.id]
    rkpd.update_sub_kegiatan(uow, BAPPEDA, KOTA, TAHUN, inferred.id, {"kode_sasaran_renstra": "S1"})
    assert report(uow).temuan == []
