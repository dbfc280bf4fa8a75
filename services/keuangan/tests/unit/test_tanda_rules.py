"""The flags of the chart of accounts, pure: which accounts carry which flag in a year (the version in force), what a
line on a flagged account needs (the salary sub kegiatan, a recipient, a location; each refusal names its field),
and the legal ratios counting by flag. The rule rows are the migration's own (``fakes.TANDA``)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.keuangan.apbd.domain import JumlahBelanja, Selektor, nilai_rasio
from contracts.keuangan import PergeseranBaru, PosPerubahan
from services.keuangan.tanda.domain import (
    Tanda, TandaRekening, cocok_pola, isian_tanda, periksa_tanda, periksa_tanda_pos, tanda_berlaku, yang_diisi,
)

from ..usecases.fakes import RASIO, TANDA

D = Decimal
GAJI_POKOK, TPG = "5.1.01.01.01.0001", "5.1.01.03.03.0001"
HIBAH, BANSOS, TANAH, HONOR = "5.1.05.05.01.0001", "5.1.06.01.01.0001", "5.2.01.01.01.0001", "5.1.02.02.01.0026"
SUB_GAJI, SUB_SD = "1.01.01.2.02.0001", "1.01.02.2.01.0001"
TAHUN = 2026


def flags() -> TandaRekening:
    return TandaRekening.untuk(TANDA, TAHUN)


@pytest.mark.parametrize("kode, expected", [
    (GAJI_POKOK, {"gaji_asn"}), (TPG, {"tunjangan_guru_tkd"}), (HIBAH, {"hibah"}), (BANSOS, {"bansos"}),
    (TANAH, {"modal_tanah"}), ("5.2.03.01.01.0002", {"infrastruktur_pelayanan_publik"}), (HONOR, set()),
    ("5.1.011.01.01.0001", set()),  # a prefix is whole segments
])
def test_an_account_carries_the_flags_of_its_prefixes(kode, expected):
    assert flags().of(kode) == expected


@pytest.mark.parametrize("kode, pola, expected", [
    ("1.01.01.2.02.0001", "X.XX.01.2.02.0001", True),   # every SKPD's instance of the supporting sub kegiatan
    ("X.XX.01.2.02.0001", "X.XX.01.2.02.0001", True),   # the decree's own code
    ("1.01.02.2.02.0001", "X.XX.01.2.02.0001", False),  # another program
    ("1.01.01.2.02.0002", "X.XX.01.2.02.0001", False),
    ("1.01.01.2.02", "X.XX.01.2.02.0001", False),
])
def test_a_sub_kegiatan_pattern_reads_x_as_any_urusan_or_bidang(kode, pola, expected):
    assert cocok_pola(kode, pola) is expected


def test_an_asn_salary_is_budgeted_only_under_the_salary_sub_kegiatan():
    assert periksa_tanda(flags(), GAJI_POKOK, SUB_GAJI, []) == []
    refused = periksa_tanda(flags(), GAJI_POKOK, SUB_SD, [])
    assert [p.field for p in refused] == ["kode_rekening"]
    assert "X.XX.01.2.02.0001" in refused[0].message and SUB_SD in refused[0].message
    assert periksa_tanda(flags(), HONOR, SUB_SD, []) == []  # an unflagged account goes anywhere


# -- money put on a budget position (an APBD-P change, a pergeseran's destination): the same rule ----------------

@pytest.mark.parametrize("kode, diisi, awalan, fields", [
    (GAJI_POKOK, [], "", ["kode_rekening"]), (GAJI_POKOK, [], "ke.", ["ke.kode_rekening"]),
    (HIBAH, [], "", ["penerima"]), (HIBAH, [], "ke.", ["ke.penerima"]), (HIBAH, ["penerima"], "ke.", []),
    (TANAH, [], "ke.", ["ke.lokasi"]), (HONOR, [], "ke.", []),
])
def test_money_put_on_a_position_is_refused_where_a_line_would_be_naming_the_field(kode, diisi, awalan, fields):
    found = periksa_tanda_pos(flags(), kode, SUB_SD, diisi, D(100), D("100.01"), awalan)
    assert [p.field for p in found] == fields
    assert [p.message for p in found] == [p.message for p in periksa_tanda(flags(), kode, SUB_SD, diisi)]


@pytest.mark.parametrize("sesudah", ["100", "99.99", "0"])
def test_taking_money_off_a_flagged_position_is_never_refused(sesudah):
    """A position a line made before the rules (or another sub kegiatan's salary) is emptied without asking."""
    assert periksa_tanda_pos(flags(), GAJI_POKOK, SUB_SD, [], D(100), D(sesudah)) == []
    assert periksa_tanda_pos(flags(), HIBAH, SUB_SD, [], D(100), D(sesudah), "ke.") == []


def test_what_a_flag_may_ask_is_read_off_the_request_as_stored():
    penerima = {"nama": "Yayasan", "alamat": None, "kode_wilayah": "32.73.01"}
    pos = PosPerubahan(kode_rekening=HIBAH, jumlah="1", alasan="x", penerima=penerima)
    assert isian_tanda(pos) == {"penerima": penerima, "lokasi": None} and yang_diisi(isian_tanda(pos)) == ["penerima"]
    geser = PergeseranBaru(dari={"rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": HONOR},
                           ke={"rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": HIBAH},
                           jumlah="1", alasan="x")
    assert yang_diisi(isian_tanda(geser.ke)) == [] and yang_diisi(isian_tanda(geser.dari)) == []


@pytest.mark.parametrize("kode, field", [(HIBAH, "penerima"), (BANSOS, "penerima"), (TANAH, "lokasi")])
def test_a_flag_names_the_field_its_line_must_give(kode, field):
    assert [p.field for p in periksa_tanda(flags(), kode, SUB_SD, [])] == [field]
    assert periksa_tanda(flags(), kode, SUB_SD, [field]) == []
    assert [p.field for p in periksa_tanda(flags(), kode, SUB_SD, ["penerima", "lokasi"][::-1])] == []


def test_the_flag_in_force_is_the_latest_version_not_after_the_year():
    decree = Tanda("gaji_asn", 2029, "Belanja Gaji dan Tunjangan ASN", ("5.1.01.01", "5.1.01.02"),
                   sub_kegiatan=("X.XX.01.2.02.0001",))
    assert [t.tahun_dari for t in tanda_berlaku([*TANDA, decree], 2028) if t.kode == "gaji_asn"] == [2000]
    later = TandaRekening.untuk([*TANDA, decree], 2029)
    assert later.of("5.1.01.02.01.0001") == {"gaji_asn"} and flags().of("5.1.01.02.01.0001") == set()
    # a flag not yet in force marks nothing
    assert TandaRekening.untuk([decree], 2028).of(GAJI_POKOK) == frozenset()


def test_an_excluded_prefix_is_not_flagged():
    t = Tanda("x", 2000, "X", ("5.1",), kecuali_akun=("5.1.01",))
    assert t.menandai(HONOR) and not t.menandai(GAJI_POKOK)


# -- the legal ratios by flag ------------------------------------------------------------------------------------

def _b(kode: str, jumlah: str) -> JumlahBelanja:
    return JumlahBelanja(kode_rekening=kode, jumlah=D(jumlah), kode_bidang_urusan="1.01")


def test_belanja_pegawai_leaves_out_the_teacher_allowances_funded_by_tkd():
    pegawai = next(r for r in RASIO if r.kode == "belanja_pegawai")
    belanja = [_b(GAJI_POKOK, "250"), _b(TPG, "100"), _b(HONOR, "650")]
    r = nilai_rasio(pegawai, belanja, 2027, flags().of)
    assert (r.pembilang, r.penyebut, r.persen, r.lulus) == (D(250), D(1000), D("25.00"), True)
    # without the flags (none known) the allowances count, as the prefix alone says
    assert nilai_rasio(pegawai, belanja, 2027).pembilang == D(350)


def test_infrastructure_counts_the_flagged_accounts():
    infra = next(r for r in RASIO if r.kode == "infrastruktur_pelayanan_publik")
    belanja = [_b("5.2.04.01.01.0001", "300"), _b("5.2.03.01.01.0002", "100"), _b(TANAH, "50"), _b(HONOR, "550"),
               _b("5.4.01.01.01.0001", "1000")]
    r = nilai_rasio(infra, belanja, 2027, flags().of)
    assert (r.pembilang, r.penyebut, r.lulus) == (D(400), D(1000), True)


def test_a_selector_reads_its_flags_from_the_rule_row():
    s = Selektor.dari({"tanda": ["hibah", "bansos"], "kecuali_tanda": ["x"]})
    assert (s.akun, s.tanda, s.kecuali_tanda) == (("5",), ("hibah", "bansos"), ("x",))
    assert s.cocok(_b(HIBAH, "1"), flags().of) and not s.cocok(_b(HONOR, "1"), flags().of)
