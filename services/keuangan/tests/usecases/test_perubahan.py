"""The APBD-P and the pergeseran on an in-memory unit of work: the enacted budget kept as murni beside perubahan
and selisih; a shift within the actor's authority moves the amount (total unchanged, recorded and audited, the DPA
told), one above it is refused naming the field and changes nothing; the APBD-P opens with its KUA-PPAS perubahan
(agreed before any change, its ceilings respected), is evaluated by the level above as the APBD is, corrected,
enacted (event published), after which it never changes; its Lampiran I prints murni beside perubahan; the DPA's new
version is the budget as shifted, the old one kept."""
from __future__ import annotations

import base64
import io
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from openpyxl import load_workbook

from contracts.keuangan import ApbdPerubahanDitetapkan
from services.keuangan.dpa import usecases as dpa_usecases
from services.keuangan.perubahan import usecases as perubahan
from services.keuangan.perubahan.domain import Kewenangan
from services.keuangan.plafon.usecases import apply_rkpd_saved
from services.keuangan.ppas import usecases as ppas
from services.keuangan.rincian import usecases as rincian
from services.keuangan.replika.domain import terbaru
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .fakes import KODE, PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN, apply, rekening_item, saved
from .test_apbd import (
    BAPENDA, PAJAK_HOTEL, PEGAWAI, PENETAPAN, PROVINSI, PROVINSI_LAIN, TAPD, budget, enacted, line,
)
from .test_dpa import DIKBUD, DINKES, SUB, enact
from .test_dpa import enacted as dpa_enacted

PPKD = Scope("u7", "ppkd.bandung", Role.PPKD, PEMDA)
SEKDA = Scope("u8", "sekda.bandung", Role.SEKDA, PEMDA)
PPKD_LAIN = Scope("u9", "ppkd.bogor", Role.PPKD, "32.01")
GEDUNG_KANTOR = "5.2.03.01.01.0003"  # the same rincian objek as the school building's
JALAN = "5.2.03.02.01.0001"          # another objek of the same jenis (5.2.03)
SKPD, SD_BARU = KODE["kode_skpd"], KODE["kode_sub_kegiatan"]
NOTA = {"nomor": "900/12/DPRD/2026", "tanggal": "2026-08-20"}


def ready():
    uow, rkpd_id = enacted()
    uow.replika.simpan("rekening", terbaru("rekening", [rekening_item(JALAN, "Belanja Modal Jalan", revisi=40)]))
    uow.commit()
    return uow, rkpd_id


def shift(rkpd_id: str, ke: str, jumlah: str = "150000.00", dari: str = REKENING_GEDUNG_SEKOLAH) -> dict:
    return {"dari": {"rkpd_id": rkpd_id, "kode_rekening": dari}, "ke": {"rkpd_id": rkpd_id, "kode_rekening": ke},
            "jumlah": jumlah, "alasan": "kebutuhan mendesak"}


def state(uow) -> tuple:
    return (dict(uow.perubahan.pos_rows), dict(uow.perubahan.rows), list(uow.perubahan.geser), len(uow.events),
            len(uow.audited))


def refused(uow, call, error, *args):
    before = state(uow)
    with pytest.raises(error) as raised:
        call(uow, *args)
    assert state(uow) == before
    return raised.value


def positions(uow) -> dict:
    return {(p.kode_skpd, p.kode_rekening): (p.murni, p.perubahan, p.selisih)
            for p in perubahan.list_pos(uow, TAPD, PEMDA, TAHUN)["items"]}


def test_before_any_write_every_position_shows_its_murni_from_the_enacted_lines():
    uow, _ = ready()
    pos = positions(uow)
    assert pos[("1.01.0.00.0.00.01.0000", PEGAWAI)] == (Decimal(600000), Decimal(600000), Decimal(0))
    assert pos[(BAPENDA, PAJAK_HOTEL)][0] == Decimal(700000)
    r = perubahan.get_perubahan(uow, TAPD, PEMDA, TAHUN)
    assert r.status is None and r.ringkasan["belanja"].murni == Decimal(1000000)
    assert not uow.perubahan.pos_rows  # a read keeps nothing


def test_a_draft_budget_has_no_apbd_p():
    uow, _ = budget()
    with pytest.raises(NotFound):
        perubahan.get_perubahan(uow, TAPD, PEMDA, TAHUN)
    with pytest.raises(Conflict) as raised:
        perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    assert raised.value.errors[0]["field"] == "status"


def test_a_shift_within_the_ppkd_s_authority_moves_the_amount_and_is_recorded_audited_and_told_to_the_dpa():
    uow, rkpd_id = ready()
    with mock.patch.object(perubahan, "_dpa_baru") as dpa:
        out = perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(rkpd_id, GEDUNG_KANTOR))
    dpa.assert_called_once()
    assert dpa.call_args.args[2:5] == (PEMDA, TAHUN, "pergeseran")
    assert (out.kewenangan, out.oleh, out.peran, out.jumlah) == ("antar_sub_rincian_objek", "ppkd.bandung", "ppkd",
                                                                 Decimal("150000.00"))
    pos = positions(uow)
    skpd = "1.01.0.00.0.00.01.0000"
    assert pos[(skpd, REKENING_GEDUNG_SEKOLAH)] == (Decimal(400000), Decimal(250000), Decimal(-150000))
    assert pos[(skpd, GEDUNG_KANTOR)] == (Decimal(0), Decimal(150000), Decimal(150000))
    r = perubahan.get_perubahan(uow, TAPD, PEMDA, TAHUN).ringkasan["belanja"]
    assert (r.murni, r.perubahan, r.selisih) == (Decimal(1000000), Decimal(1000000), Decimal(0))  # the total stays
    assert [a["record_type"] for a in uow.audited[-3:]] == ["pergeseran", "anggaran_pos", "anggaran_pos"]
    assert perubahan.list_pergeseran(uow, TAPD, PEMDA, TAHUN)["items"] == [out]


@pytest.mark.parametrize("caller, ke, jumlah, error, field", [
    (PPKD, JALAN, "1.00", Invalid, "ke.kode_rekening"),              # between objek: the Sekda's
    (SEKDA, PEGAWAI, "1.00", Invalid, "ke.kode_rekening"),           # another jenis: the APBD-P's
    (PPKD, GEDUNG_KANTOR, "400000.01", Invalid, "jumlah"),           # more than the position holds
    (PPKD, "5.2.03.01.01", "1.00", Invalid, "ke.kode_rekening"),      # not a leaf
    (PPKD_LAIN, GEDUNG_KANTOR, "1.00", Forbidden, None),              # another pemda's
    (TAPD, GEDUNG_KANTOR, "1.00", Forbidden, None),                   # TAPD proposes, it does not approve shifts
])
def test_a_shift_above_the_actor_s_authority_is_refused_naming_the_field_and_changes_nothing(caller, ke, jumlah,
                                                                                                error, field):
    uow, rkpd_id = ready()
    raised = refused(uow, perubahan.geser, error, caller, PEMDA, TAHUN, shift(rkpd_id, ke, jumlah))
    if field:
        assert raised.errors[0]["field"] == field


def test_the_sekda_shifts_between_objek_of_one_jenis():
    uow, rkpd_id = ready()
    assert perubahan.geser(uow, SEKDA, PEMDA, TAHUN, shift(rkpd_id, JALAN)).kewenangan == "antar_objek"


def agreed(uow, pagu: str = "1050000") -> None:
    """The KUA-PPAS perubahan of the open APBD-P: the sub kegiatan's ceiling set to ``pagu``, then agreed."""
    ppas.adjust_ppas(uow, TAPD, PEMDA, TAHUN, {"tingkat": "sub_kegiatan", "kode_skpd": SKPD, "kode": SD_BARU,
                                               "pagu": pagu, "alasan": "kemampuan keuangan"}, perubahan=True)
    ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, NOTA, perubahan=True)


def test_the_apbd_p_opens_with_its_kua_ppas_perubahan_is_evaluated_corrected_and_enacted_keeping_murni():
    uow, rkpd_id = ready()
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(rkpd_id, GEDUNG_KANTOR))  # a shift before the APBD-P
    opened = perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    assert (opened.status, opened.evaluator, opened.terbuka) == ("dibuka", "32", True)
    # while it is open, changes are the APBD-P's, not shifts
    assert refused(uow, perubahan.geser, Conflict, PPKD, PEMDA, TAHUN,
                   shift(rkpd_id, GEDUNG_KANTOR, "1.00")).errors[0]["field"] == "status"
    # its KUA-PPAS perubahan: from what the plan says (10,000,000), provisional; no position changes before its nota
    kua = ppas.get_ppas(uow, TAPD, PEMDA, TAHUN, perubahan=True)
    assert (kua.status, kua.total, kua.total_rkpd) == ("sementara", Decimal(10000000), Decimal(10000000))
    pegawai = {"rkpd_id": rkpd_id, "kode_rekening": PEGAWAI, "jumlah": "650000.00", "alasan": "gaji ke-13"}
    assert refused(uow, perubahan.ubah_pos, Conflict, TAPD, PEMDA, TAHUN, pegawai).errors[0]["field"] == "status"
    agreed(uow)
    kua = ppas.get_ppas(uow, TAPD, PEMDA, TAHUN, perubahan=True)
    assert (kua.status, kua.nomor_kesepakatan) == ("disepakati", NOTA["nomor"])
    assert uow.plafon.get(PEMDA, TAHUN, rkpd_id).pagu == Decimal(10000000)  # the budget lines' ceiling as it was
    changed = perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, pegawai)  # 1,050,000: the ceiling itself
    assert (changed.murni, changed.perubahan, changed.selisih) == (Decimal(600000), Decimal(650000), Decimal(50000))
    above = refused(uow, perubahan.ubah_pos, Invalid, TAPD, PEMDA, TAHUN, {**pegawai, "jumlah": "650000.01"})
    assert above.errors[0]["field"] == "jumlah"
    perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL,
                                                 "jumlah": "760000.00", "alasan": "realisasi semester I"})
    bad = refused(uow, perubahan.ubah_pos, Invalid, TAPD, PEMDA, TAHUN,
                  {"kode_rekening": PEGAWAI, "jumlah": "1.00", "alasan": "x"})
    assert bad.errors[0]["field"] == "rkpd_id"
    # enacted only after its evaluator found it sesuai, as the APBD
    assert refused(uow, perubahan.tetapkan_perubahan, Conflict, TAPD, PEMDA, TAHUN,
                   PENETAPAN).errors[0]["field"] == "status"
    assert perubahan.ajukan_perubahan(uow, TAPD, PEMDA, TAHUN).status == "diajukan"
    assert refused(uow, perubahan.ubah_pos, Conflict, TAPD, PEMDA, TAHUN, pegawai).errors[0]["field"] == "status"
    temuan = {"hasil": "tidak_sesuai", "temuan": [{"uraian": "Belanja pegawai naik", "rekomendasi": "Kurangi"}]}
    refused(uow, perubahan.evaluasi_perubahan, Forbidden, PROVINSI_LAIN, PEMDA, TAHUN, temuan)
    assert refused(uow, perubahan.evaluasi_perubahan, Invalid, PROVINSI, PEMDA, TAHUN,
                   {"hasil": "tidak_sesuai"}).errors[0]["field"] == "temuan"
    found = perubahan.evaluasi_perubahan(uow, PROVINSI, PEMDA, TAHUN, temuan)
    assert (found.status, found.hasil_evaluasi, found.terbuka) == ("dievaluasi", "tidak_sesuai", True)
    assert found.evaluasi[0].evaluator == "32" and found.evaluasi[0].oleh == "admin.jabar"
    perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {**pegawai, "jumlah": "640000.00", "alasan": "koreksi evaluasi"})
    perubahan.ajukan_perubahan(uow, TAPD, PEMDA, TAHUN)
    assert perubahan.evaluasi_perubahan(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"}).hasil_evaluasi == "sesuai"
    with mock.patch.object(perubahan, "_dpa_baru") as dpa:
        done = perubahan.tetapkan_perubahan(uow, TAPD, PEMDA, TAHUN, PENETAPAN)
    dpa.assert_called_once()
    assert done.status == "ditetapkan" and done.penetapan.nomor_perda == PENETAPAN["nomor_perda"]
    assert len(done.evaluasi) == 2
    b = done.ringkasan["belanja"]
    assert (b.murni, b.perubahan, b.selisih) == (Decimal(1000000), Decimal(1040000), Decimal(40000))
    assert done.ringkasan["pendapatan"].selisih == Decimal(60000)
    event = uow.events[-1]
    assert isinstance(event, ApbdPerubahanDitetapkan)
    assert (event.belanja_murni, event.belanja, event.hash) == (Decimal(1000000), Decimal(1040000),
                                                                done.penetapan.hash)
    # enacted: it changes no more; the murni APBD is as it was enacted
    refused(uow, perubahan.tetapkan_perubahan, Conflict, TAPD, PEMDA, TAHUN, PENETAPAN)
    refused(uow, perubahan.ubah_pos, Conflict, TAPD, PEMDA, TAHUN, pegawai)
    refused(uow, perubahan.buka_perubahan, Conflict, TAPD, PEMDA, TAHUN)
    refused(uow, perubahan.ajukan_perubahan, Conflict, TAPD, PEMDA, TAHUN)
    assert uow.apbd.ditetapkan(PEMDA, TAHUN)["isi"]["ringkasan"]["belanja"] == "1000000.00"


def test_the_apbd_p_goes_to_its_evaluator_only_within_its_kua_ppas_perubahan():
    uow, rkpd_id = ready()
    perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    assert refused(uow, perubahan.ajukan_perubahan, Conflict, TAPD, PEMDA, TAHUN).errors[0]["field"] == "status"
    agreed(uow, pagu="900000")  # below the 1,000,000 budgeted: it is to be lowered
    assert refused(uow, perubahan.ajukan_perubahan, Conflict, TAPD, PEMDA, TAHUN).errors[0]["field"] == "pagu"
    lowered = perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {  # toward its ceiling: allowed though still above
        "rkpd_id": rkpd_id, "kode_rekening": REKENING_GEDUNG_SEKOLAH, "jumlah": "350000.00", "alasan": "efisiensi"})
    assert lowered.selisih == Decimal(-50000)
    assert refused(uow, perubahan.ajukan_perubahan, Conflict, TAPD, PEMDA, TAHUN).errors[0]["field"] == "pagu"
    perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {"rkpd_id": rkpd_id, "kode_rekening": REKENING_GEDUNG_SEKOLAH,
                                                 "jumlah": "300000.00", "alasan": "efisiensi"})
    assert perubahan.ajukan_perubahan(uow, TAPD, PEMDA, TAHUN).status == "diajukan"
    # the KUA-PPAS perubahan is agreed once; the murni KUA-PPAS is another (none here: the plan was never enacted)
    with pytest.raises(Conflict):
        ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, NOTA, perubahan=True)
    with pytest.raises(NotFound):
        ppas.get_ppas(uow, TAPD, PEMDA, TAHUN)


def test_no_kua_ppas_perubahan_before_the_apbd_p_opens():
    uow, _ = ready()
    for call in (lambda: ppas.get_ppas(uow, TAPD, PEMDA, TAHUN, perubahan=True),
                 lambda: ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, NOTA, perubahan=True)):
        with pytest.raises(NotFound):
            call()
    assert ppas.list_pagu_ppas(uow, TAPD, PEMDA, TAHUN, perubahan=True) == {"items": [], "total": 0}


def test_lampiran_i_of_the_apbd_p_prints_murni_perubahan_and_the_difference():
    uow, rkpd_id = ready()
    perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    agreed(uow)
    perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {"rkpd_id": rkpd_id, "kode_rekening": PEGAWAI,
                                                 "jumlah": "650000.00", "alasan": "gaji ke-13"})
    xlsx = perubahan.dokumen_lampiran(uow, TAPD, PEMDA, TAHUN, "xlsx")
    assert xlsx["filename"] == f"apbd-p-{PEMDA}-{TAHUN}-lampiran-i.xlsx"
    rows = {r[1]: tuple(None if x is None else Decimal(str(x)) for x in r[2:])
            for r in load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active.values
            if r[2:] and isinstance(r[2], (int, float))}  # the rows with amounts
    assert rows["JUMLAH BELANJA"] == (Decimal(1000000), Decimal(1050000), Decimal(50000), Decimal("5.00"))
    assert rows["JUMLAH PENDAPATAN"][2:] == (Decimal(0), Decimal("0.00"))
    assert base64.b64decode(perubahan.dokumen_lampiran(uow, TAPD, PEMDA, TAHUN, "pdf")["content"])[:5] == b"%PDF-"
    assert refused(uow, perubahan.dokumen_lampiran, Invalid, TAPD, PEMDA, TAHUN, "doc").errors[0]["field"] == "format"
    draft, _ = budget()
    with pytest.raises(NotFound):
        perubahan.dokumen_lampiran(draft, TAPD, PEMDA, TAHUN, "xlsx")


def test_a_line_write_after_enactment_is_refused_even_during_the_apbd_p():
    uow, rkpd_id = ready()
    perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    with pytest.raises(Conflict) as raised:
        rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, "1"))
    assert raised.value.errors[0]["field"] == "status"


def test_a_shift_gives_an_authorised_dpa_a_new_version_with_the_shifted_amounts_and_waits_for_a_draft():
    uow, rkpd_id = ready()
    skpd = "1.01.0.00.0.00.01.0000"
    dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN, skpd)
    # versi 1 still a draft: the shift is refused (authorise it first), nothing changed
    bad = refused(uow, perubahan.geser, Conflict, PPKD, PEMDA, TAHUN, shift(rkpd_id, GEDUNG_KANTOR))
    assert bad.errors[0]["field"] == "versi"
    dpa_usecases.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, skpd, {"versi": 1})
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(rkpd_id, GEDUNG_KANTOR))
    v2 = uow.dpa.terakhir(PEMDA, TAHUN, skpd)
    assert (v2.versi, v2.status, v2.sebab) == (2, "draft", "pergeseran")
    amounts = {b.kunci[1]: b.jumlah for b in uow.dpa.baris(v2.id)}
    assert amounts[REKENING_GEDUNG_SEKOLAH] == Decimal(250000) and amounts[GEDUNG_KANTOR] == Decimal(150000)
    assert all(sum(b.kas) == b.jumlah for b in uow.dpa.baris(v2.id))
    assert uow.dpa.disahkan(PEMDA, TAHUN, skpd).versi == 1  # what may be spent is versi 1's until v2 is authorised


# -- the DPA after a pergeseran: its lines are the budget as shifted, the version before kept -------------------------

def dpa_authorised():
    """Two SKPD (test_dpa's budget), enacted, each with versi 1 of its DPA authorised; their RKPD items."""
    uow = dpa_enacted()
    enact(uow)
    dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    for skpd in (DIKBUD, DINKES):
        dpa_usecases.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, skpd, {"versi": 1})
    return uow, {p.kode_skpd: p.rkpd_id for p in uow.plafon.rows.values()}


def dpa_lines(uow, skpd: str, versi: int | None = None) -> dict:
    return {(b.kode_sub_kegiatan, b.kode_rekening): b.jumlah
            for b in dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, skpd, versi).baris}


def shifted_budget(uow, skpd: str) -> dict:
    """The SKPD's belanja positions now, summed per sub kegiatan × account (what its DPA must say)."""
    out: dict = {}
    for p in uow.perubahan.semua_pos(PEMDA, TAHUN, skpd):
        if p.rkpd_id:
            out[(p.kode_sub_kegiatan, p.kode_rekening)] = out.get((p.kode_sub_kegiatan, p.kode_rekening), 0) + p.jumlah
    return out


def test_the_dpa_version_after_a_shift_sums_the_shifted_budget_its_months_add_up_and_the_old_one_is_kept():
    uow, items = dpa_authorised()
    v1 = dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, 1)
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(items[DIKBUD], GEDUNG_KANTOR, "250000.25"))
    v2 = dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD)
    assert (v2.versi, v2.status, v2.sebab) == (2, "draft", "pergeseran")
    assert dpa_lines(uow, DIKBUD) == shifted_budget(uow, DIKBUD)
    assert dpa_lines(uow, DIKBUD)[(SUB, REKENING_GEDUNG_SEKOLAH)] == Decimal("749999.75")
    assert v2.jumlah == v1.jumlah == sum(shifted_budget(uow, DIKBUD).values())  # a shift within the SKPD
    assert all(sum(b.kas) == b.jumlah and len(b.kas) == 12 for b in v2.baris)
    unchanged = next(b for b in v2.baris if b.kode_rekening == PEGAWAI)
    assert unchanged.kas == next(b for b in v1.baris if b.kode_rekening == PEGAWAI).kas  # its plan kept
    assert dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, 1) == v1  # the version before, as it was
    assert [d.versi for d in dpa_usecases.list_versi(uow, TAPD, PEMDA, TAHUN, DINKES)["items"]] == [1]


def test_a_version_made_later_without_lines_is_the_budget_as_shifted_not_the_enacted_lines():
    uow, items = dpa_authorised()
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(items[DIKBUD], GEDUNG_KANTOR))
    dpa_usecases.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, {"versi": 2})
    v3 = dpa_usecases.buat_versi_dpa(uow, TAPD, PEMDA, TAHUN, DIKBUD, "koreksi anggaran kas")
    assert v3.versi == 3 and dpa_lines(uow, DIKBUD, 3) == dpa_lines(uow, DIKBUD, 2) == shifted_budget(uow, DIKBUD)


def test_a_dpa_generated_after_a_shift_starts_from_the_shifted_budget():
    uow = enact(dpa_enacted())
    dikbud = next(p.rkpd_id for p in uow.plafon.rows.values() if p.kode_skpd == DIKBUD)
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(dikbud, GEDUNG_KANTOR))  # no DPA yet: nothing to amend
    out = dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    first = next(d for d in out.dibuat if d.kode_skpd == DIKBUD)
    assert first.versi == 1 and "pergeseran" in first.sebab
    assert dpa_lines(uow, DIKBUD) == shifted_budget(uow, DIKBUD)
    assert dpa_lines(uow, DIKBUD)[(SUB, GEDUNG_KANTOR)] == Decimal(150000)


def test_a_shift_between_two_skpd_gives_each_its_new_version():
    uow, items = dpa_authorised()
    # a rule (data) allowing the PPKD to shift between SKPD within one rincian objek
    uow.perubahan.aturan.append(Kewenangan("antar_skpd_uji", 2000, "Antar SKPD (uji)", 5, False, ("ppkd",)))
    body = {**shift(items[DIKBUD], REKENING_GEDUNG_SEKOLAH, "1000.00"),
            "ke": {"rkpd_id": items[DINKES], "kode_rekening": REKENING_GEDUNG_SEKOLAH}}
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, body)
    for skpd in (DIKBUD, DINKES):
        assert dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, skpd).versi == 2
        assert dpa_lines(uow, skpd) == shifted_budget(uow, skpd)
    assert dpa_lines(uow, DINKES)[("1.02.02.2.01.0001", REKENING_GEDUNG_SEKOLAH)] == Decimal(1120)


# -- the account flags (tanda_rekening): money put on a position only where a line there could sit ------------------

GAJI, HIBAH = "5.1.01.01.01.0001", "5.1.05.05.01.0001"  # flagged: gaji_asn (its own sub kegiatan), hibah (penerima)
PENERIMA = {"nama": "Yayasan Pendidikan Nusantara", "kode_wilayah": "32.73.01"}


def flagged():
    """``ready`` with a salary and a hibah account in the replica."""
    uow, rkpd_id = ready()
    uow.replika.simpan("rekening", terbaru("rekening", [
        rekening_item(GAJI, "Belanja Gaji Pokok PNS", revisi=41),
        rekening_item(HIBAH, "Belanja Hibah Uang kepada Badan", revisi=42)]))
    uow.commit()
    return uow, rkpd_id


def test_the_apbd_p_puts_money_on_a_flagged_account_only_where_its_flags_allow_it():
    uow, rkpd_id = flagged()
    perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    agreed(uow, pagu="5000000")
    pos = {"rkpd_id": rkpd_id, "jumlah": "100000.00", "alasan": "tambahan"}
    # an ASN salary under Pembangunan Unit Sekolah Baru; a hibah without its recipient: refused, nothing changed
    salary = refused(uow, perubahan.ubah_pos, Invalid, TAPD, PEMDA, TAHUN, {**pos, "kode_rekening": GAJI})
    assert [e["field"] for e in salary.errors] == ["kode_rekening"]
    assert "X.XX.01.2.02.0001" in salary.errors[0]["message"]
    no_recipient = refused(uow, perubahan.ubah_pos, Invalid, TAPD, PEMDA, TAHUN, {**pos, "kode_rekening": HIBAH})
    assert [e["field"] for e in no_recipient.errors] == ["penerima"]
    # the recipient of what is added comes with the change, kept in the position's audit trail
    out = perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {**pos, "kode_rekening": HIBAH, "penerima": PENERIMA})
    assert (out.murni, out.perubahan) == (Decimal(0), Decimal(100000))
    assert uow.audited[-1]["after"]["penerima"]["nama"] == PENERIMA["nama"]
    # taking money off a flagged position asks nothing
    assert perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {**pos, "kode_rekening": HIBAH, "jumlah": "0"}).perubahan == 0


def test_a_shift_puts_money_on_a_flagged_account_only_where_its_flags_allow_it():
    uow, rkpd_id = flagged()
    # a rule (data) letting the PPKD shift between any belanja of one sub kegiatan: the flags still hold
    uow.perubahan.aturan.append(Kewenangan("antar_jenis_uji", 2000, "Antar jenis (uji)", 1, True, ("ppkd",)))
    uow.commit()  # kept through the refusals' rollbacks
    salary = refused(uow, perubahan.geser, Invalid, PPKD, PEMDA, TAHUN, shift(rkpd_id, GAJI))
    assert [e["field"] for e in salary.errors] == ["ke.kode_rekening"]
    no_recipient = refused(uow, perubahan.geser, Invalid, PPKD, PEMDA, TAHUN, shift(rkpd_id, HIBAH))
    assert [e["field"] for e in no_recipient.errors] == ["ke.penerima"]
    body = shift(rkpd_id, HIBAH)
    out = perubahan.geser(uow, PPKD, PEMDA, TAHUN, {**body, "ke": {**body["ke"], "penerima": PENERIMA}})
    assert out.ke.penerima.nama == PENERIMA["nama"] and out.ke.lokasi is None
    assert perubahan.list_pergeseran(uow, TAPD, PEMDA, TAHUN)["items"] == [out]  # kept with the shift
    assert positions(uow)[(SKPD, HIBAH)] == (Decimal(0), Decimal(150000), Decimal(150000))


# -- the DPA after an enacted APBD-P: an SKPD it budgets first gets its first DPA, one it empties an empty version ----

DINSOS, SUB_DINSOS = "1.06.0.00.0.00.01.0000", "1.06.02.2.01.0001"


def with_dinsos():
    """test_dpa's two SKPD (Dikbud, Dinkes) and Dinsos, a ceiling without lines, enacted; their RKPD items."""
    uow = dpa_enacted()
    apply(uow, apply_rkpd_saved, saved(str(uuid.uuid4()), "1000000.00", kode_skpd=DINSOS,
                                       kode_sub_kegiatan=SUB_DINSOS, kode_bidang_urusan="1.06"))
    enact(uow)
    return uow, {p.kode_skpd: p.rkpd_id for p in uow.plafon.rows.values()}


def apbd_p(uow, items, *changes: tuple[str, str, str]) -> None:
    """Open the APBD-P, agree its KUA-PPAS perubahan as the plan says, set each (SKPD, account, amount)."""
    perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, NOTA, perubahan=True)
    for skpd, rekening, jumlah in changes:
        perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {"rkpd_id": items[skpd], "kode_rekening": rekening,
                                                     "jumlah": jumlah, "alasan": "APBD-P"})


def tetapkan(uow) -> None:
    perubahan.ajukan_perubahan(uow, TAPD, PEMDA, TAHUN)
    perubahan.evaluasi_perubahan(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"})
    perubahan.tetapkan_perubahan(uow, TAPD, PEMDA, TAHUN, PENETAPAN)


def test_an_enacted_apbd_p_gives_an_skpd_it_budgets_first_its_dpa_and_one_it_empties_a_version_without_lines():
    uow, items = with_dinsos()
    dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    assert {d.kode_skpd for d in dpa_usecases.list_dpa(uow, TAPD, PEMDA, TAHUN)["items"]} == {DIKBUD, DINKES}
    for skpd in (DIKBUD, DINKES):
        dpa_usecases.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, skpd, {"versi": 1})
    dinkes_v1 = dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DINKES, 1)
    apbd_p(uow, items, (DINSOS, REKENING_GEDUNG_SEKOLAH, "250000.00"), (DINKES, REKENING_GEDUNG_SEKOLAH, "0"))
    tetapkan(uow)

    first = dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DINSOS)
    assert (first.versi, first.status, first.sebab, first.jumlah) == (1, "draft", "apbd_perubahan", Decimal(250000))
    assert dpa_lines(uow, DINSOS) == {(SUB_DINSOS, REKENING_GEDUNG_SEKOLAH): Decimal(250000)}
    assert all(sum(b.kas) == b.jumlah and len(b.kas) == 12 for b in first.baris)
    emptied = dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DINKES)
    assert (emptied.versi, emptied.sebab, emptied.jumlah, emptied.baris) == (2, "apbd_perubahan", Decimal(0), [])
    assert dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DINKES, 1) == dinkes_v1  # the version before, as it was
    assert dpa_lines(uow, DIKBUD, 2) == dpa_lines(uow, DIKBUD, 1)  # unchanged by the APBD-P: a new version all the same
    again = dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    assert (again.dibuat, again.sudah_ada) == ([], [DIKBUD, DINKES, DINSOS])


def test_a_dpa_generated_while_the_apbd_p_is_under_way_is_the_budget_decided_not_its_draft():
    uow, items = with_dinsos()
    apbd_p(uow, items, (DIKBUD, REKENING_GEDUNG_SEKOLAH, "1200000.00"), (DINSOS, REKENING_GEDUNG_SEKOLAH, "250000.00"))
    made = dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN)
    assert [d.kode_skpd for d in made.dibuat] == [DIKBUD, DINKES]  # Dinsos has nothing decided yet
    assert dpa_lines(uow, DIKBUD)[(SUB, REKENING_GEDUNG_SEKOLAH)] == Decimal(1000000)  # murni, not the draft
    with pytest.raises(NotFound):
        dpa_usecases.generate_dpa(uow, TAPD, PEMDA, TAHUN, DINSOS)
    for skpd in (DIKBUD, DINKES):
        dpa_usecases.sahkan_dpa(uow, TAPD, PEMDA, TAHUN, skpd, {"versi": 1})
    tetapkan(uow)
    assert dpa_lines(uow, DIKBUD)[(SUB, REKENING_GEDUNG_SEKOLAH)] == Decimal(1200000)
    assert dpa_usecases.get_dpa(uow, TAPD, PEMDA, TAHUN, DINSOS).versi == 1
