"""The LRA on the fake unit of work: the budget after perubahan (the enacted lines, then the shifted positions)
against the realisation of disbursed SP2D and validated STS by their date, per SKPD and for the pemda, for a period,
with the previous year's realisation; an SKPD operator sees its own SKPD's; refusals name the field."""
from __future__ import annotations

import base64
import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from services.keuangan.lra import usecases as lra
from services.keuangan.penatausahaan import domain as belanja
from services.keuangan.penatausahaan.domain import Baris
from services.keuangan.penerimaan.domain import Sts, Tbp
from services.keuangan.perubahan import usecases as perubahan
from sipd_common.access import Role, Scope
from sipd_common.errors import Forbidden, Invalid, NotFound

from .fakes import PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN
from .test_apbd import BAPENDA, DIKBUD, OPERATOR, PAJAK_HOTEL, PEGAWAI, PENETAPAN, PROVINSI, TAPD, budget
from .test_perubahan import GEDUNG_KANTOR, PPKD, agreed, ready, shift

SUB = "1.01.02.2.01.0001"


def cair(uow, tanggal: date, rek: str, nilai: str, skpd: str = DIKBUD, tahun: int = TAHUN) -> None:
    n = len(uow.penatausahaan.sp2d)
    uow.penatausahaan.sp2d[f"s{n}"] = belanja.Sp2d(
        f"s{n}", PEMDA, tahun, skpd, f"m{n}", "LS", D(nilai), "kuasa", [Baris(SUB, rek, D(nilai))],
        status=belanja.CAIR, tanggal_cair=tanggal)


def setor(uow, tanggal: date, rek: str, nilai: str, status: str = "divalidasi", tahun: int = TAHUN) -> None:
    n = len(uow.penerimaan.sts)
    uow.penerimaan.sts[f"sts{n}"] = Sts(f"sts{n}", PEMDA, tahun, BAPENDA, tanggal, [f"t{n}"], D(nilai), "b",
                                        status=status)
    uow.penerimaan.tbp[f"t{n}"] = Tbp(f"t{n}", PEMDA, tahun, BAPENDA, rek, "", tanggal, "", "", D(nilai), "b",
                                      sts_id=f"sts{n}")


@pytest.fixture
def uow():
    uow, _ = ready()
    cair(uow, date(TAHUN, 1, 31), PEGAWAI, "100000.00")
    cair(uow, date(TAHUN, 2, 1), PEGAWAI, "50000.00")
    cair(uow, date(TAHUN, 8, 15), REKENING_GEDUNG_SEKOLAH, "0.01")
    belum = belanja.Sp2d("x", PEMDA, TAHUN, DIKBUD, "mx", "LS", D(7), "k", [Baris(SUB, PEGAWAI, D(7))],
                         status=belanja.TERBIT)  # issued, not disbursed: no realisation
    uow.penatausahaan.sp2d["x"] = belum
    setor(uow, date(TAHUN, 3, 3), PAJAK_HOTEL, "233333.33")
    setor(uow, date(TAHUN, 3, 4), PAJAK_HOTEL, "99", status="diajukan")  # not validated: not realised
    cair(uow, date(TAHUN - 1, 1, 10), PEGAWAI, "40000.00", tahun=TAHUN - 1)
    setor(uow, date(TAHUN - 1, 9, 1), PAJAK_HOTEL, "5", tahun=TAHUN - 1)
    uow.commit()  # as held: a unit of work's rollback goes back to here
    return uow


def test_the_year_s_lra_totals_are_the_sp2d_and_sts_that_made_them(uow):
    out = lra.get_lra(uow, TAPD, PEMDA, TAHUN)
    pos = perubahan.pos_sekarang(uow, PEMDA, TAHUN)
    assert out.belanja.jumlah.anggaran == sum((p.jumlah for p in pos if p.kode_rekening.startswith("5.")), D(0))
    assert out.belanja.jumlah.realisasi == D("150000.01")
    assert out.pendapatan.jumlah.realisasi == D("233333.33")
    assert out.pendapatan.jumlah.anggaran == D(950000)
    assert out.pendapatan.jumlah.persen == D("24.56")  # 233333.33 / 950000 × 100 = 24.5614…
    assert out.surplus_defisit.realisasi == D("233333.33") - D("150000.01")
    assert out.silpa.anggaran == out.surplus_defisit.anggaran + out.pembiayaan_netto.anggaran
    assert out.silpa.realisasi == out.surplus_defisit.realisasi  # no financing is realised by a document yet
    assert (out.belanja.jumlah.realisasi_lalu, out.pendapatan.jumlah.realisasi_lalu) == (D(40000), D(5))
    leaf = {b.kode_rekening: b for b in out.belanja.baris if b.tingkat == 6}
    assert leaf[PEGAWAI].realisasi == D(150000) and leaf[PEGAWAI].realisasi_lalu == D(40000)
    assert out.belanja.baris[0].kode_rekening == "5" and out.belanja.baris[0].tingkat == 1
    names = {b.kode_rekening: b.nama_rekening for b in out.belanja.baris}
    assert names[REKENING_GEDUNG_SEKOLAH] == "Belanja Modal Bangunan Gedung Tempat Pendidikan"


def test_periods_take_realisation_by_its_date(uow):
    jan = lra.get_lra(uow, TAPD, PEMDA, TAHUN, "bulan-1")
    assert (jan.dari, jan.sampai, jan.belanja.jumlah.realisasi) == (date(TAHUN, 1, 1), date(TAHUN, 1, 31), D(100000))
    assert jan.belanja.jumlah.realisasi_lalu == D(40000) and jan.pendapatan.jumlah.realisasi_lalu == 0
    assert lra.get_lra(uow, TAPD, PEMDA, TAHUN, "bulan-2").belanja.jumlah.realisasi == D(150000)
    assert lra.get_lra(uow, TAPD, PEMDA, TAHUN, "semester-1").belanja.jumlah.realisasi == D(150000)
    assert lra.get_lra(uow, TAPD, PEMDA, TAHUN, "semester-2").belanja.jumlah.realisasi == D("0.01")


def test_levels_and_the_skpd_s_own_report(uow):
    akun = lra.get_lra(uow, TAPD, PEMDA, TAHUN, tingkat=1)
    assert [b.kode_rekening for b in akun.belanja.baris] == ["5"] and akun.penerimaan_pembiayaan.baris == []
    jenis = lra.get_lra(uow, TAPD, PEMDA, TAHUN, tingkat=3)
    assert max(b.tingkat for b in jenis.belanja.baris) == 3
    own = lra.get_lra(uow, OPERATOR, PEMDA, TAHUN)  # an SKPD operator: its own SKPD's, unasked
    assert own.kode_skpd == DIKBUD and own.pendapatan.jumlah.realisasi == 0 and own.belanja.jumlah.realisasi > 0
    with pytest.raises(Forbidden):
        lra.get_lra(uow, OPERATOR, PEMDA, TAHUN, kode_skpd=BAPENDA)
    bapenda = lra.get_lra(uow, TAPD, PEMDA, TAHUN, kode_skpd=BAPENDA)
    assert bapenda.belanja.jumlah.anggaran == 0 and bapenda.pendapatan.jumlah.realisasi == D("233333.33")
    with pytest.raises(Forbidden):
        lra.get_lra(uow, Scope("o", "op.lain", Role.TAPD, "32.01"), PEMDA, TAHUN)


def test_the_budget_is_after_the_shift(uow):
    before = lra.get_lra(uow, TAPD, PEMDA, TAHUN, tingkat=6)
    rkpd_id = next(p.rkpd_id for p in perubahan.pos_sekarang(uow, PEMDA, TAHUN)
                   if p.kode_rekening == REKENING_GEDUNG_SEKOLAH)
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(rkpd_id, GEDUNG_KANTOR, "150000.00"))
    after = lra.get_lra(uow, TAPD, PEMDA, TAHUN, tingkat=6)
    leaf = {b.kode_rekening: b.anggaran for b in after.belanja.baris}
    old = {b.kode_rekening: b.anggaran for b in before.belanja.baris}
    assert leaf[GEDUNG_KANTOR] == D(150000) and leaf[REKENING_GEDUNG_SEKOLAH] == old[REKENING_GEDUNG_SEKOLAH] - 150000
    assert after.belanja.jumlah.anggaran == before.belanja.jumlah.anggaran


@pytest.mark.parametrize("kwargs, field", [({"periode": "bulan-13"}, "periode"), ({"periode": "triwulan-1"}, "periode"),
                                           ({"tingkat": 0}, "tingkat"), ({"tingkat": 7}, "tingkat")])
def test_bad_parameters_name_the_field(uow, kwargs, field):
    with pytest.raises(Invalid) as raised:
        lra.get_lra(uow, TAPD, PEMDA, TAHUN, **kwargs)
    assert raised.value.errors[0]["field"] == field


def test_no_lra_before_the_apbd_is_enacted():
    uow, _ = budget()
    with pytest.raises(NotFound):
        lra.get_lra(uow, TAPD, PEMDA, TAHUN)


def test_printed_as_xlsx_with_the_totals_and_as_pdf(uow):
    out = lra.get_lra(uow, TAPD, PEMDA, TAHUN)
    x = lra.dokumen_lra(uow, TAPD, PEMDA, TAHUN, "xlsx")
    ws = load_workbook(io.BytesIO(base64.b64decode(x["content"]))).active
    totals = {r[1]: r[2:6] for r in ws.iter_rows(values_only=True) if r and r[0] in ("", None) and r[1]}
    assert D(str(totals["JUMLAH BELANJA"][1])) == out.belanja.jumlah.realisasi
    assert D(str(totals["JUMLAH PENDAPATAN"][0])) == out.pendapatan.jumlah.anggaran
    assert x["filename"] == f"lra-{PEMDA}-{TAHUN}-tahun.xlsx"
    p = lra.dokumen_lra(uow, TAPD, PEMDA, TAHUN, "pdf", periode="semester-1", tingkat=3)
    assert base64.b64decode(p["content"]).startswith(b"%PDF")
    with pytest.raises(Invalid):
        lra.dokumen_lra(uow, TAPD, PEMDA, TAHUN, "docx")


# -- the public's LRA (the portal, open data): no caller, the enacted budget only ---------------------------------

def test_the_public_lra_needs_no_caller_and_shows_the_year_month_by_month(uow):
    cair(uow, date(TAHUN, 2, 3), PEGAWAI, "999.00", skpd=DIKBUD)
    uow.penatausahaan.sp2d["s-lain"] = belanja.Sp2d(  # another pemda's spending: not this one's
        "s-lain", "32.01", TAHUN, DIKBUD, "m-lain", "LS", D(5), "k", [Baris(SUB, PEGAWAI, D(5))],
        status=belanja.CAIR, tanggal_cair=date(TAHUN, 2, 1))
    uow.commit()
    out = lra.get_lra_publik(uow, PEMDA, TAHUN)
    internal = lra.get_lra(uow, TAPD, PEMDA, TAHUN, tingkat=2)
    assert (out.belanja, out.pendapatan, out.silpa) == (internal.belanja, internal.pendapatan, internal.silpa)
    assert out.tingkat == 2 and max(b.tingkat for b in out.belanja.baris) == 2 and out.kode_skpd is None
    assert (out.dasar_anggaran, out.nomor_perda, out.realisasi_terakhir) == (
        "apbd", PENETAPAN["nomor_perda"], date(TAHUN, 8, 15))
    months = {m.bulan: m for m in out.bulanan}
    assert [m.bulan for m in out.bulanan] == list(range(1, 13))
    assert (months[1].belanja, months[2].belanja, months[2].belanja_kumulatif) == (D(100000), D(50999), D(150999))
    assert (months[3].pendapatan, months[12].pendapatan_kumulatif) == (D("233333.33"), D("233333.33"))
    assert months[12].belanja_kumulatif == out.belanja.jumlah.realisasi == D("150999.01")
    with pytest.raises(NotFound):
        lra.get_lra_publik(uow, "32.01", TAHUN)  # that pemda enacted nothing: no LRA however much it spent
    with pytest.raises(Invalid) as raised:
        lra.get_lra_publik(uow, PEMDA, TAHUN, tingkat=7)
    assert raised.value.errors[0]["field"] == "tingkat"


def test_the_public_lra_never_shows_a_draft_budget():
    uow, _ = budget()  # lines, not enacted
    with pytest.raises(NotFound):
        lra.get_lra_publik(uow, PEMDA, TAHUN)


def test_an_open_apbd_p_is_a_draft_the_public_sees_the_budget_it_opened_from(uow):
    rkpd_id = next(p.rkpd_id for p in perubahan.pos_sekarang(uow, PEMDA, TAHUN)
                   if p.kode_rekening == REKENING_GEDUNG_SEKOLAH)
    perubahan.geser(uow, PPKD, PEMDA, TAHUN, shift(rkpd_id, GEDUNG_KANTOR, "150000.00"))  # decided: shown
    shifted = lra.get_lra_publik(uow, PEMDA, TAHUN, tingkat=6)
    perubahan.buka_perubahan(uow, TAPD, PEMDA, TAHUN)
    agreed(uow)  # its KUA-PPAS perubahan
    perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {"rkpd_id": rkpd_id, "kode_rekening": PEGAWAI, "jumlah": "650000.00",
                                                 "alasan": "gaji ke-13"})
    perubahan.ubah_pos(uow, TAPD, PEMDA, TAHUN, {"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL,
                                                 "jumlah": "760000.00", "alasan": "realisasi semester I"})
    assert lra.get_lra(uow, TAPD, PEMDA, TAHUN).belanja.jumlah.anggaran != shifted.belanja.jumlah.anggaran
    draft = lra.get_lra_publik(uow, PEMDA, TAHUN, tingkat=6)
    assert (draft.belanja, draft.pendapatan, draft.dasar_anggaran) == (shifted.belanja, shifted.pendapatan, "apbd")
    leaf = {b.kode_rekening: b.anggaran for b in draft.belanja.baris}
    assert leaf[GEDUNG_KANTOR] == D(150000)

    perubahan.ajukan_perubahan(uow, TAPD, PEMDA, TAHUN)
    draft = lra.get_lra_publik(uow, PEMDA, TAHUN, tingkat=6)
    assert (draft.belanja, draft.dasar_anggaran) == (shifted.belanja, "apbd")  # submitted and evaluated: a draft still
    perubahan.evaluasi_perubahan(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"})
    perubahan.tetapkan_perubahan(uow, TAPD, PEMDA, TAHUN, {**PENETAPAN, "nomor_perda": "Perda APBD-P No. 3"})
    enacted = lra.get_lra_publik(uow, PEMDA, TAHUN, tingkat=6)
    assert (enacted.dasar_anggaran, enacted.nomor_perda) == ("apbd_perubahan", "Perda APBD-P No. 3")
    assert enacted.pendapatan.jumlah.anggaran == draft.pendapatan.jumlah.anggaran + 60000
    assert enacted.belanja.jumlah.anggaran == lra.get_lra(uow, TAPD, PEMDA, TAHUN).belanja.jumlah.anggaran
