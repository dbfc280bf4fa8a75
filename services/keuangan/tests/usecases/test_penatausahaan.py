"""The spending documents' use cases on the fake unit of work, the DPA a stand-in (``uow.dpa``): DPA line → SPD →
SPP → SPM → SP2D → realisation and its event, each step by its own officer, and every refusal naming its field
and changing nothing."""
from __future__ import annotations

import base64
import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contracts.keuangan import RealisasiBerubah
from services.keuangan.penatausahaan import dokumen, usecases as pu
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .fakes import PEMDA, TAHUN, FakeKeuanganUnitOfWork

DIKBUD, DINKES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"
SUB, REK, HONOR = "1.01.02.2.01.0001", "5.2.03.01.01.0002", "5.1.02.02.01.0026"

BUD = Scope("b1", "bud", Role.BUD, PEMDA, nama="Ir. Siti Aminah")  # her NIP not known
KUASA_BUD = Scope("b2", "kuasa.bud", Role.KUASA_BUD, PEMDA)
BENDAHARA = Scope("s1", "bendahara", Role.BENDAHARA_PENGELUARAN, PEMDA, DIKBUD)
PPTK = Scope("s2", "pptk", Role.PPTK, PEMDA, DIKBUD)
PPK = Scope("s3", "ppk", Role.PPK_SKPD, PEMDA, DIKBUD)
PA = Scope("s4", "pa", Role.PA_KPA, PEMDA, DIKBUD, nama="Drs. Budi Santoso, M.Si.", nip="197001011995031001")
PPK_DINKES = Scope("k3", "ppk.dinkes", Role.PPK_SKPD, PEMDA, DINKES)
BENDAHARA_DINKES = Scope("k1", "bendahara.dinkes", Role.BENDAHARA_PENGELUARAN, PEMDA, DINKES)
BUD_LAIN = Scope("x1", "bud.cimahi", Role.BUD, "32.77")
TAPD = Scope("t1", "tapd", Role.TAPD, PEMDA)


def uow_with_dpa(jumlah: str = "1200.00") -> FakeKeuanganUnitOfWork:
    """A DPA line of 1200 (cash plan 100 a month) for the sub kegiatan × building account; 600 for honoraria."""
    uow = FakeKeuanganUnitOfWork()
    uow.dpa.tetapkan(DIKBUD, SUB, REK, jumlah, ["100"] * 12)
    uow.dpa.tetapkan(DIKBUD, SUB, HONOR, "600", ["50"] * 12)
    return uow


def spd_body(nilai: str = "300", sampai: int = 3, rek: str = REK) -> dict:
    return {"kode_skpd": DIKBUD, "bulan_mulai": 1, "bulan_sampai": sampai,
            "baris": [{"kode_sub_kegiatan": SUB, "kode_rekening": rek, "nilai": nilai}]}


def authorised_spd(uow, nilai: str = "300", sampai: int = 3) -> dict:
    made = pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body(nilai, sampai))
    return pu.otorisasi_spd(uow, BUD, PEMDA, TAHUN, made.id).model_dump()


def ls(spd_id: str, nilai: str = "100", **over) -> dict:
    return {"kode_skpd": DIKBUD, "jenis": "LS", "jenis_ls": "gaji", "spd_id": spd_id,
            "baris": [{"kode_sub_kegiatan": SUB, "kode_rekening": REK, "nilai": nilai}], **over}


def field_of(exc) -> list[str]:
    return [e["field"] for e in exc.value.errors]


def unchanged(uow, step, error, *fields):
    """``step`` is refused with ``error`` naming ``fields``, and nothing was committed."""
    commits, events, audited = uow.commits, len(uow.events), len(uow.audited)
    with pytest.raises(error) as exc:
        step()
    assert uow.commits == commits and len(uow.events) == events and len(uow.audited) == audited
    if fields:
        assert field_of(exc) == list(fields), exc.value.errors
    return exc


# -- SPD ---------------------------------------------------------------------------------------------------
def test_the_bud_drafts_and_another_authorises_an_spd_numbered_per_skpd():
    uow = uow_with_dpa()
    made = pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body())
    assert (made.status, made.nilai, made.nomor) == ("draft", Decimal(300), f"00001/SPD/{DIKBUD}/{TAHUN}")
    unchanged(uow, lambda: pu.otorisasi_spd(uow, KUASA_BUD, PEMDA, TAHUN, made.id), Forbidden, "pemeriksa")
    done = pu.otorisasi_spd(uow, BUD, PEMDA, TAHUN, made.id)
    assert (done.status, done.diotorisasi_oleh) == ("otorisasi", BUD.user_id)
    unchanged(uow, lambda: pu.otorisasi_spd(uow, BUD, PEMDA, TAHUN, made.id), Conflict, "status")
    assert pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body("100", 4)).nomor.startswith("00002/SPD/")
    assert [a["action"] for a in uow.audited] == ["create", "update", "create"]


def test_an_spd_repeated_with_its_key_is_drafted_once_and_numbered_once():
    """A retry after a lost answer, or a redelivered RPC: the first answer, one SPD, one number."""
    uow = uow_with_dpa()
    made = pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body(), idempotency_key="spd-1")
    assert pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body(), idempotency_key="spd-1") == made
    unchanged(uow, lambda: pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body("1"), idempotency_key="spd-1"),
              Invalid, "Idempotency-Key")
    assert [s.id for s in pu.list_spd(uow, BUD, PEMDA, TAHUN)["items"]] == [made.id]
    assert pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body("1", 4)).nomor.startswith("00002/SPD/")


def test_an_spd_above_the_cash_plan_or_without_a_dpa_line_or_by_the_wrong_role_is_refused():
    uow = uow_with_dpa()
    authorised_spd(uow, "300")
    unchanged(uow, lambda: pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body("100.01", 4)), Invalid, "baris.0.nilai")
    unchanged(uow, lambda: pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body(rek="5.2.02.01.01.0001")), Invalid,
              "baris.0.kode_rekening")
    unchanged(uow, lambda: pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, {**spd_body(), "bulan_sampai": 13}), Invalid,
              "bulan_sampai")
    for outsider in (TAPD, BENDAHARA, BUD_LAIN):
        unchanged(uow, lambda: pu.buat_spd(uow, outsider, PEMDA, TAHUN, spd_body("1", 4)), Forbidden)


def test_two_draft_spds_each_within_the_plan_the_second_authorisation_is_refused():
    uow = uow_with_dpa()
    a = pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body("300"))
    b = pu.buat_spd(uow, KUASA_BUD, PEMDA, TAHUN, spd_body("300"))
    pu.otorisasi_spd(uow, BUD, PEMDA, TAHUN, a.id)
    unchanged(uow, lambda: pu.otorisasi_spd(uow, BUD, PEMDA, TAHUN, b.id), Invalid, "baris.0.nilai")


def test_an_amended_dpa_supersedes_the_spds_issued_under_it():
    uow = uow_with_dpa()
    old = authorised_spd(uow)
    assert pu.arsipkan_spd_usang(uow, PEMDA, TAHUN, DIKBUD) == []
    uow.dpa.tetapkan(DIKBUD, SUB, REK, "1500", ["125"] * 12, versi=2)
    assert pu.arsipkan_spd_usang(uow, PEMDA, TAHUN, DIKBUD) == [old["id"]]
    assert pu.get_spd(uow, BUD, PEMDA, TAHUN, old["id"]).status == "arsip"
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, ls(old["id"])), Invalid, "spd_id")
    assert authorised_spd(uow, "375")["status"] == "otorisasi"  # reissued under the new DPA: the archived one no longer counts


# -- SPP ---------------------------------------------------------------------------------------------------
def test_two_spps_racing_for_the_last_rupiah_of_an_spd_line_exactly_one_succeeds():
    uow = uow_with_dpa()
    spd = authorised_spd(uow, "300")
    pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, ls(spd["id"], "299.99"))
    outcomes = []
    for maker in (BENDAHARA, PPTK):
        try:
            outcomes.append(pu.buat_spp(uow, maker, PEMDA, TAHUN, ls(spd["id"], "0.01")).nomor)
        except Invalid as exc:
            outcomes.append(exc.errors[0]["field"])
    assert outcomes == [f"00002/SPP-LS/{DIKBUD}/{TAHUN}", "baris.0.nilai"]
    assert sum(s.nilai for s in uow.penatausahaan.spp.values()) == Decimal("300.00")


def test_spp_submitted_rejected_with_reason_resubmitted_and_verified_by_another_user():
    uow = uow_with_dpa()
    spp = pu.buat_spp(uow, PPTK, PEMDA, TAHUN, ls(authorised_spd(uow)["id"]))
    unchanged(uow, lambda: pu.verifikasi_spp(uow, PPK, PEMDA, TAHUN, spp.id, {"setuju": True}), Conflict, "status")
    pu.ajukan_spp(uow, BENDAHARA, PEMDA, TAHUN, spp.id)
    unchanged(uow, lambda: pu.verifikasi_spp(uow, PPK, PEMDA, TAHUN, spp.id, {"setuju": False}), Invalid, "alasan")
    unchanged(uow, lambda: pu.verifikasi_spp(uow, PPK_DINKES, PEMDA, TAHUN, spp.id, {"setuju": True}), Forbidden)
    back = pu.verifikasi_spp(uow, PPK, PEMDA, TAHUN, spp.id, {"setuju": False, "alasan": "lampiran kurang"})
    assert (back.status, back.alasan_tolak) == ("draft", "lampiran kurang")
    pu.ajukan_spp(uow, BENDAHARA, PEMDA, TAHUN, spp.id)
    assert pu.verifikasi_spp(uow, PPK, PEMDA, TAHUN, spp.id, {"setuju": True}).status == "diverifikasi"


def test_the_pusat_administrator_who_made_an_spp_may_not_verify_it():
    uow = uow_with_dpa()
    pusat = Scope("p1", "pusat", Role.PUSAT_ADMIN)
    spp = pu.buat_spp(uow, pusat, PEMDA, TAHUN, ls(authorised_spd(uow)["id"]))
    pu.ajukan_spp(uow, pusat, PEMDA, TAHUN, spp.id)
    unchanged(uow, lambda: pu.verifikasi_spp(uow, pusat, PEMDA, TAHUN, spp.id, {"setuju": True}), Forbidden,
              "pemeriksa")


def test_up_one_per_skpd_within_the_size_the_bud_set():
    uow = uow_with_dpa()
    up = {"kode_skpd": DIKBUD, "jenis": "UP", "nilai": "5000000"}
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, up), Invalid, "nilai")
    pu.tetapkan_besaran_up(uow, BUD, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "besaran": "5000000", "dasar": "Perwal 9/2026"})
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, {**up, "nilai": "5000000.01"}), Invalid, "nilai")
    assert pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, up).nomor == f"00001/SPP-UP/{DIKBUD}/{TAHUN}"
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, up), Invalid, "jenis")


def test_gu_needs_an_approved_spj_and_tu_an_approved_request():
    uow = uow_with_dpa()
    spd = authorised_spd(uow)
    spj = pu.ajukan_pengesahan(uow, BENDAHARA, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "jenis": "spj", "nilai": "150",
                                                              "uraian": "SPJ Februari"})
    gu = ls(spd["id"], "100", jenis="GU", jenis_ls=None, pengesahan_id=spj.id)
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, gu), Invalid, "pengesahan_id")
    unchanged(uow, lambda: pu.setujui_pengesahan(uow, BUD, PEMDA, TAHUN, spj.id), Forbidden)  # an SPJ is the SKPD's
    pu.setujui_pengesahan(uow, PPK, PEMDA, TAHUN, spj.id)
    pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, gu)
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, gu), Invalid, "nilai")  # 50 of the SPJ left
    tu = ls(spd["id"], "50", jenis="TU", jenis_ls=None)
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, tu), Invalid, "pengesahan_id")
    req = pu.ajukan_pengesahan(uow, BENDAHARA, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "jenis": "tu", "nilai": "50",
                                                              "uraian": "Kegiatan mendesak"})
    unchanged(uow, lambda: pu.setujui_pengesahan(uow, PPK, PEMDA, TAHUN, req.id), Forbidden)  # a TU is the BUD's
    pu.setujui_pengesahan(uow, BUD, PEMDA, TAHUN, req.id)
    assert pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, {**tu, "pengesahan_id": req.id}).jenis == "TU"


def test_ls_goods_and_services_without_contract_and_handover_are_refused():
    uow = uow_with_dpa()
    spd = authorised_spd(uow)
    body = ls(spd["id"], jenis_ls="barang_jasa")
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, body), Invalid, "kontrak", "bast")
    made = pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, {
        **body, "kontrak": {"nomor": "027/K", "tanggal": "2026-02-01", "nilai": "100"},
        "bast": {"nomor": "027/BA", "tanggal": "2026-03-01"}})
    assert made.kontrak["nomor"] == "027/K"


def test_an_spp_of_another_skpd_or_pemda_is_refused():
    uow = uow_with_dpa()
    spd = authorised_spd(uow)
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA_DINKES, PEMDA, TAHUN, ls(spd["id"])), Forbidden)
    unchanged(uow, lambda: pu.buat_spp(uow, BENDAHARA_DINKES, PEMDA, TAHUN, {**ls(spd["id"]), "kode_skpd": DINKES}),
              Invalid, "spd_id")  # its own SKPD, on another SKPD's SPD
    spp = pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, ls(spd["id"]))
    unchanged(uow, lambda: pu.ajukan_spp(uow, BENDAHARA_DINKES, PEMDA, TAHUN, spp.id), Forbidden)
    unchanged(uow, lambda: pu.get_spp(uow, BENDAHARA_DINKES, PEMDA, TAHUN, spp.id), Forbidden)
    unchanged(uow, lambda: pu.get_spp(uow, BUD_LAIN, PEMDA, TAHUN, spp.id), Forbidden)
    unchanged(uow, lambda: pu.ajukan_spp(uow, BENDAHARA, "32.77", TAHUN, spp.id), Forbidden)
    unchanged(uow, lambda: pu.ajukan_spp(uow, BENDAHARA, PEMDA, TAHUN + 1, spp.id), NotFound)
    assert pu.list_spp(uow, BENDAHARA_DINKES, PEMDA, TAHUN)["total"] == 0
    assert pu.list_spp(uow, BUD, PEMDA, TAHUN)["total"] == 1


# -- SPM, SP2D, realisation --------------------------------------------------------------------------------
def verified_spp(uow, nilai: str = "100", spd: dict | None = None) -> str:
    spd = spd or authorised_spd(uow)
    spp = pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, ls(spd["id"], nilai))
    pu.ajukan_spp(uow, BENDAHARA, PEMDA, TAHUN, spp.id)
    pu.verifikasi_spp(uow, PPK, PEMDA, TAHUN, spp.id, {"setuju": True})
    return spp.id


def accepted_spm(uow, spp_id: str) -> dict:
    spm = pu.buat_spm(uow, PPK, PEMDA, TAHUN, {"spp_id": spp_id})
    pu.tandatangani_spm(uow, PA, PEMDA, TAHUN, spm.id)
    return pu.putuskan_spm(uow, BUD, PEMDA, TAHUN, spm.id, {"setuju": True}).model_dump()


def test_from_spp_to_disbursed_sp2d_the_realisation_and_its_event():
    uow = uow_with_dpa()
    spp_id = verified_spp(uow, "100")
    spm = accepted_spm(uow, spp_id)
    assert (spm["status"], spm["nilai"], spm["nomor"]) == ("diterima", Decimal(100), f"00001/SPM-LS/{DIKBUD}/{TAHUN}")
    unchanged(uow, lambda: pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "99.99"}),
              Invalid, "nilai")
    sp2d = pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "100.00"})
    unchanged(uow, lambda: pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "100"}),
              Conflict, "spm_id")
    unchanged(uow, lambda: pu.cairkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id), Conflict, "status")
    unchanged(uow, lambda: pu.terbitkan_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, sp2d.id), Forbidden, "pemeriksa")
    pu.terbitkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)
    done = pu.cairkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)
    assert done.status == "cair" and done.baris[0].nilai == Decimal(100)
    [event] = [e for e in uow.events if isinstance(e, RealisasiBerubah)]
    assert (event.jenis, event.kode_skpd, event.kode_sub_kegiatan, event.kode_rekening, event.jumlah,
            event.perubahan, event.aggregate_version) == ("belanja", DIKBUD, SUB, REK, Decimal(100), Decimal(100), 1)
    assert uow.penatausahaan.realisasi(PEMDA, TAHUN, DIKBUD, [(SUB, REK)]) == {(SUB, REK): Decimal(100)}


def test_a_tu_return_repeated_with_its_key_is_returned_once():
    """Returning the unused part of a TU adds to what was returned: a retry after a lost answer, with its key, gets
    the first answer and adds nothing; the same key for another amount is refused; without a key each is a return."""
    uow = uow_with_dpa()
    spd = authorised_spd(uow)
    req = pu.ajukan_pengesahan(uow, BENDAHARA, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "jenis": "tu", "nilai": "50",
                                                              "uraian": "Kegiatan mendesak"})
    pu.setujui_pengesahan(uow, BUD, PEMDA, TAHUN, req.id)
    tu = pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, ls(spd["id"], "50", jenis="TU", jenis_ls=None,
                                                       pengesahan_id=req.id))
    pu.ajukan_spp(uow, BENDAHARA, PEMDA, TAHUN, tu.id)
    pu.verifikasi_spp(uow, PPK, PEMDA, TAHUN, tu.id, {"setuju": True})
    spm = accepted_spm(uow, tu.id)
    sp2d = pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "50"})
    pu.terbitkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)
    pu.cairkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)

    first = pu.kembalikan_tu(uow, BENDAHARA, PEMDA, TAHUN, tu.id, "20", idempotency_key="tu-1")
    assert first.dikembalikan == Decimal(20)
    assert pu.kembalikan_tu(uow, BENDAHARA, PEMDA, TAHUN, tu.id, "20", idempotency_key="tu-1") == first
    unchanged(uow, lambda: pu.kembalikan_tu(uow, BENDAHARA, PEMDA, TAHUN, tu.id, "10", idempotency_key="tu-1"),
              Invalid, "Idempotency-Key")
    assert pu.get_spp(uow, BENDAHARA, PEMDA, TAHUN, tu.id).dikembalikan == Decimal(20)
    assert pu.kembalikan_tu(uow, BENDAHARA, PEMDA, TAHUN, tu.id, "20").dikembalikan == Decimal(40)


def test_spm_steps_out_of_order_by_the_wrong_officer_or_by_its_maker_are_refused():
    uow = uow_with_dpa()
    spd = authorised_spd(uow)
    draft = pu.buat_spp(uow, BENDAHARA, PEMDA, TAHUN, ls(spd["id"]))
    unchanged(uow, lambda: pu.buat_spm(uow, PPK, PEMDA, TAHUN, {"spp_id": draft.id}), Conflict, "spp_id")
    spp_id = verified_spp(uow, spd=spd)
    unchanged(uow, lambda: pu.buat_spm(uow, PPK_DINKES, PEMDA, TAHUN, {"spp_id": spp_id}), Forbidden)
    spm = pu.buat_spm(uow, PPK, PEMDA, TAHUN, {"spp_id": spp_id})
    unchanged(uow, lambda: pu.buat_spm(uow, PPK, PEMDA, TAHUN, {"spp_id": spp_id}), Conflict, "spp_id")
    unchanged(uow, lambda: pu.putuskan_spm(uow, BUD, PEMDA, TAHUN, spm.id, {"setuju": True}), Conflict, "status")
    unchanged(uow, lambda: pu.tandatangani_spm(uow, PPK, PEMDA, TAHUN, spm.id), Forbidden)  # not a PA/KPA
    pu.tandatangani_spm(uow, PA, PEMDA, TAHUN, spm.id)
    rejected = pu.putuskan_spm(uow, BUD, PEMDA, TAHUN, spm.id, {"setuju": False, "alasan": "rekening salah"})
    assert rejected.status == "ditolak"
    unchanged(uow, lambda: pu.buat_sp2d(uow, BUD, PEMDA, TAHUN, {"spm_id": spm.id, "nilai": "100"}), Conflict,
              "spm_id")
    assert pu.buat_spm(uow, PPK, PEMDA, TAHUN, {"spp_id": spp_id}).nomor.startswith("00002/SPM-LS/")  # redone


def test_a_disbursement_above_the_dpa_line_is_refused():
    uow = uow_with_dpa()
    spm = accepted_spm(uow, verified_spp(uow, "300"))
    sp2d = pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "300"})
    pu.terbitkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)
    uow.dpa.tetapkan(DIKBUD, SUB, REK, "299.99", ["25"] * 12)  # the DPA cut below what the SP2D pays
    unchanged(uow, lambda: pu.cairkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id), Invalid, "baris.0.nilai")
    assert pu.get_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id).status == "terbit"


def test_the_reads_spm_sp2d_approvals_and_spending_realisation_an_skpd_role_its_own_only():
    uow = uow_with_dpa()
    spm = accepted_spm(uow, verified_spp(uow, "100"))
    sp2d = pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "100"})
    pu.terbitkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)
    pu.cairkan_sp2d(uow, BUD, PEMDA, TAHUN, sp2d.id)
    tu = pu.ajukan_pengesahan(uow, BENDAHARA, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "jenis": "tu", "nilai": "50",
                                                             "uraian": "kegiatan mendesak"})
    assert pu.get_pengesahan(uow, PA, PEMDA, TAHUN, tu.id) == tu
    assert [s.id for s in pu.list_spm(uow, PA, PEMDA, TAHUN)["items"]] == [spm["id"]]
    assert [s.id for s in pu.list_sp2d(uow, BUD, PEMDA, TAHUN)["items"]] == [sp2d.id]
    [real] = pu.list_realisasi_belanja(uow, PPK, PEMDA, TAHUN)["items"]
    assert (real.kode_skpd, real.kode_sub_kegiatan, real.kode_rekening, real.jumlah) == (DIKBUD, SUB, REK,
                                                                                         Decimal(100))
    for read in (pu.list_spm, pu.list_sp2d, pu.list_realisasi_belanja):
        assert read(uow, PPK_DINKES, PEMDA, TAHUN)["total"] == 0
        with pytest.raises(Forbidden):
            read(uow, PPK_DINKES, PEMDA, TAHUN, kode_skpd=DIKBUD)
        with pytest.raises(Forbidden):
            read(uow, BUD_LAIN, PEMDA, TAHUN)
    with pytest.raises(Forbidden):
        pu.get_pengesahan(uow, PPK_DINKES, PEMDA, TAHUN, tu.id)
    with pytest.raises(NotFound):
        pu.get_pengesahan(uow, BUD, PEMDA, TAHUN + 1, tu.id)


# -- the printed documents ---------------------------------------------------------------------------------
def _printed(uow, caller, jenis: str, id: str, format: str = "xlsx"):
    out = pu.dokumen_belanja(uow, caller, PEMDA, TAHUN, jenis, id, format)
    content = base64.b64decode(out["content"])
    if format == "pdf":
        assert content[:5] == b"%PDF-" and out["content_type"] == "application/pdf"
        return content
    assert out["filename"].startswith(f"{jenis}-") and out["filename"].endswith(".xlsx")
    return [[c for c in row if c is not None] for row in load_workbook(io.BytesIO(content)).active.values]


def test_spd_spp_spm_sp2d_print_with_header_lines_totals_terbilang_and_signatures():
    uow = uow_with_dpa()
    uow.replika.rows["rekening"][(REK,)] = {"nama": "Belanja Modal Bangunan Gedung Tempat Pendidikan"}
    uow.replika.rows["skpd"][(PEMDA, DIKBUD)] = {"nama": "Dinas Pendidikan"}
    first = authorised_spd(uow, "100", 1)
    spd = authorised_spd(uow, "150", 3)
    spp_id = verified_spp(uow, "120.50", spd)
    spm = accepted_spm(uow, spp_id)
    sp2d = pu.buat_sp2d(uow, KUASA_BUD, PEMDA, TAHUN, {"spm_id": spm["id"], "nilai": "120.50"})

    rows = _printed(uow, PA, "spd", spd["id"])
    assert rows[0] == ["SURAT PENYEDIAAN DANA (SPD) ANGGARAN BELANJA DAERAH"]
    assert any(f"Nomor: {spd['nomor']}" in r[0] for r in rows[:6])
    assert [f"SKPD: {DIKBUD} Dinas Pendidikan"] in rows
    # DPA 1200, the January SPD before it 100, this one 150: 250 so far, 950 left
    assert [REK, "Belanja Modal Bangunan Gedung Tempat Pendidikan", 1200, 100, 150, 250, 950] in rows
    assert ["JUMLAH", 1200, 100, 150, 250, 950] in rows
    assert ["Terbilang: Seratus Lima Puluh Rupiah"] in rows
    # its maker (no name known: the user id) and who authorised it, by name; the day each signed; no NIP known
    hari_ini = f"Tanggal {dokumen.tanggal_id(datetime.now(pu.WIB).date())}"
    assert [r for r in rows[-8:] if r] == [["Disiapkan oleh,", "Diotorisasi oleh,"], [hari_ini, hari_ini],
                                          ["BUD / Kuasa BUD,", "PPKD selaku BUD,"],
                                          [f"( {KUASA_BUD.user_id} )", "( Ir. Siti Aminah )"],
                                          ["NIP. " + "." * 24] * 2]
    assert any(r and r[0] == f"Nomor: {spd['nomor']} - Tanggal: {hari_ini[8:]}" for r in rows[:6])  # authorised
    assert [REK, "Belanja Modal Bangunan Gedung Tempat Pendidikan", 1200, 0, 100, 100, 1100] in _printed(
        uow, PA, "spd", first["id"])

    rows = _printed(uow, PPK, "spp", spp_id)
    assert rows[0] == ["SURAT PERMINTAAN PEMBAYARAN LANGSUNG (SPP-LS)"]
    assert [f"Dasar: SPD Nomor {spd['nomor']}"] in rows
    assert ["JUMLAH", 120.5] in rows and ["Terbilang: Seratus Dua Puluh Rupiah Lima Puluh Sen"] in rows
    rows = _printed(uow, BUD, "spm", spm["id"])
    assert rows[0] == ["SURAT PERINTAH MEMBAYAR (SPM-LS)"] and ["Status: diterima Kuasa BUD"] in rows
    assert rows[-2] == [f"( {PPK.user_id} )", "( Drs. Budi Santoso, M.Si. )", "( Ir. Siti Aminah )"]
    assert rows[-1][1] == f"NIP. {PA.nip}"
    rows = _printed(uow, BENDAHARA, "sp2d", sp2d.id)
    assert rows[0] == ["SURAT PERINTAH PENCAIRAN DANA (SP2D)"] and ["Status: DRAFT (belum sah)"] in rows
    assert ["JUMLAH", 120.5] in rows and rows[-2][1].startswith("( ....")  # not issued: nobody signed yet
    assert rows[-6] == ["BUD / Kuasa BUD,", "Kuasa Bendahara Umum Daerah,"] and rows[-1][1] == "NIP. " + "." * 24
    for jenis, id in (("spd", spd["id"]), ("spp", spp_id), ("spm", spm["id"]), ("sp2d", sp2d.id)):
        _printed(uow, BUD, jenis, id, "pdf")


def test_a_printed_document_of_another_skpd_or_pemda_or_year_is_refused():
    uow = uow_with_dpa()
    spd = authorised_spd(uow)
    spp_id = verified_spp(uow, "100", spd)
    assert pu.dokumen_belanja(uow, PPK, PEMDA, TAHUN, "spp", spp_id, "pdf")
    with pytest.raises(Forbidden):
        pu.dokumen_belanja(uow, PPK_DINKES, PEMDA, TAHUN, "spp", spp_id, "pdf")
    with pytest.raises(Forbidden):
        pu.dokumen_belanja(uow, BUD_LAIN, PEMDA, TAHUN, "spd", spd["id"], "xlsx")
    with pytest.raises(NotFound):
        pu.dokumen_belanja(uow, BUD, PEMDA, TAHUN + 1, "spd", spd["id"], "xlsx")
    with pytest.raises(NotFound):
        pu.dokumen_belanja(uow, BUD, PEMDA, TAHUN, "spm", spp_id, "xlsx")  # not an SPM's id
    assert field_of(pytest.raises(Invalid, pu.dokumen_belanja, uow, BUD, PEMDA, TAHUN, "spd", spd["id"],
                                  "docx")) == ["format"]
    assert field_of(pytest.raises(Invalid, pu.dokumen_belanja, uow, BUD, PEMDA, TAHUN, "npd", spd["id"],
                                  "pdf")) == ["jenis"]
