"""The APBD's rules, pure: its identities and summaries, the legal ratios (pass/fail compared exactly, enforced
from their year, a zero denominator), the states of its evaluation, and what a revenue or financing line may be."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.keuangan.apbd import domain
from services.keuangan.apbd.domain import (
    Apbd, AturanRasio, Ditolak, JumlahAnggaran, JumlahBelanja, Selektor, aturan_berlaku, identitas, menurut,
    nilai_rasio, per_akun, periksa_terbuka, persen,
)
from services.keuangan.pendapatan.domain import jenis, periksa
from services.keuangan.replika.domain import Rekening, Skpd

D = Decimal
DIKBUD, BPKAD = "1.01.0.00.0.00.01.0000", "5.02.0.00.0.00.01.0000"


def b(kode_rekening: str, jumlah: str, bidang: str = "1.01", skpd: str = DIKBUD,
      sub: str = "1.01.02.2.01.0001") -> JumlahBelanja:
    return JumlahBelanja(kode_rekening, D(jumlah), kode_skpd=skpd, kode_sub_kegiatan=sub, kode_bidang_urusan=bidang)


def a(kode_rekening: str, jumlah: str, skpd: str = BPKAD) -> JumlahAnggaran:
    return JumlahAnggaran(skpd, kode_rekening, D(jumlah))


BELANJA = [b("5.1.01.01.01.0001", "300.10"), b("5.1.02.01.01.0024", "99.90"), b("5.2.03.01.01.0002", "500"),
           b("5.3.01.01.01.0001", "50"), b("5.4.01.01.01.0001", "50", bidang="5.02", skpd=BPKAD,
                                           sub="5.02.01.2.01.0001")]
ANGGARAN = [a("4.1.01.06.01.0001", "700.00"), a("4.2.01.01.01.0001", "250.00"), a("6.1.01.01.01.0001", "100"),
            a("6.2.02.01.01.0001", "40")]


# -- identities -------------------------------------------------------------------------------------------

def test_the_identities_are_exact():
    i = identitas(BELANJA, ANGGARAN)
    assert i.pendapatan == D("950.00")
    assert i.belanja == D("1000.00")
    assert i.belanja_kelompok == {"operasi": D("400.00"), "modal": D("500"), "tidak_terduga": D("50"),
                                  "transfer": D("50")}
    assert i.surplus_defisit == D("-50.00")
    assert (i.penerimaan_pembiayaan, i.pengeluaran_pembiayaan, i.pembiayaan_netto) == (D(100), D(40), D(60))
    assert i.silpa == D("10.00") == i.surplus_defisit + i.pembiayaan_netto


def test_an_empty_budget_is_all_zero():
    i = identitas([], [])
    assert (i.pendapatan, i.belanja, i.surplus_defisit, i.pembiayaan_netto, i.silpa) == (0, 0, 0, 0, 0)


def test_6_1_is_not_mistaken_for_6_10_or_4_for_40():
    assert domain.di_bawah("6.1.01", "6.1") and not domain.di_bawah("6.10.01", "6.1")
    assert not domain.di_bawah("40.1", "4")


def test_amounts_per_account_roll_up_every_level_in_the_chart_s_order():
    rows = per_akun(BELANJA, ANGGARAN, tingkat=2)
    assert [(k, t) for k, t, _ in rows] == [("4", 1), ("4.1", 2), ("4.2", 2), ("5", 1), ("5.1", 2), ("5.2", 2),
                                            ("5.3", 2), ("5.4", 2), ("6", 1), ("6.1", 2), ("6.2", 2)]
    sums = {k: j for k, _, j in rows}
    assert sums["5"] == sum(sums[k] for k in ("5.1", "5.2", "5.3", "5.4")) == D("1000.00")
    assert {k for k, t, _ in per_akun(BELANJA, ANGGARAN, 6) if t == 6} == {x.kode_rekening for x in BELANJA + ANGGARAN}


def test_natural_order_of_codes():
    assert sorted(["5.1.10", "5.1.2", "X.XX", "5.1"], key=domain.urutan_kode) == ["5.1", "5.1.2", "5.1.10", "X.XX"]


def test_by_urusan_skpd_and_program():
    urusan = {r.kode: r for r in menurut(BELANJA, ANGGARAN, "urusan")}
    assert [(k, r.tingkat) for k, r in urusan.items()] == [("1", "urusan"), ("1.01", "bidang_urusan"),
                                                          ("5", "urusan"), ("5.02", "bidang_urusan")]
    assert urusan["1.01"].belanja == D("950.00") and urusan["1.01"].pendapatan == 0
    # revenue belongs to its SKPD's primary bidang urusan; financing to no row
    assert urusan["5.02"].pendapatan == D("950.00") and urusan["5.02"].belanja_kelompok["transfer"] == 50
    skpd = {r.kode: r for r in menurut(BELANJA, ANGGARAN, "skpd")}
    assert skpd[DIKBUD].belanja == D("950.00") and skpd[BPKAD].pendapatan == D("950.00")
    program = {r.kode: r for r in menurut(BELANJA, ANGGARAN, "program")}
    assert set(program) == {"1.01.02", "5.02.01"} and all(r.pendapatan == 0 for r in program.values())
    assert sum(r.belanja for r in program.values()) == identitas(BELANJA, ANGGARAN).belanja


# -- the legal ratios ---------------------------------------------------------------------------------------

PEGAWAI = AturanRasio("belanja_pegawai", 2000, "Belanja pegawai", Selektor(("5.1.01",)), Selektor(("5",)), "<=",
                      D(30), 2027, "UU 1/2022 Pasal 146")
INFRA = AturanRasio("infrastruktur", 2000, "Infrastruktur", Selektor(("5.2.03", "5.2.04", "5.2.05")),
                    Selektor(("5",), ("5.4",)), ">=", D(40), 2027, "UU 1/2022 Pasal 147")
PENDIDIKAN = AturanRasio("pendidikan", 2000, "Pendidikan", Selektor(("5",), (), ("1.01",)), Selektor(("5",)), ">=",
                         D(20), 2000, "UUD 1945")
KESEHATAN = AturanRasio("kesehatan", 2000, "Kesehatan", Selektor(("5",), (), ("1.02",)), Selektor(("5",)), None, None,
                        None, "UU 17/2023")


def test_belanja_pegawai_above_30_percent_fails_and_is_enforced_from_2027():
    belanja = [b("5.1.01.01.01.0001", "301"), b("5.1.02.01.01.0024", "699")]
    before, from_2027 = nilai_rasio(PEGAWAI, belanja, 2026), nilai_rasio(PEGAWAI, belanja, 2027)
    assert (before.pembilang, before.penyebut, before.persen) == (D(301), D(1000), D("30.10"))
    assert before.lulus is False and before.wajib is False and "2027" in before.keterangan
    assert from_2027.lulus is False and from_2027.wajib is True


def test_the_threshold_itself_passes_compared_exactly():
    at = nilai_rasio(PEGAWAI, [b("5.1.01.01.01.0001", "300"), b("5.1.02.01.01.0024", "700")], 2027)
    assert (at.persen, at.lulus) == (D("30.00"), True)
    # 30.004% prints as 30.00 but is above 30%: the comparison is exact, never on the rounded percent
    above = nilai_rasio(PEGAWAI, [b("5.1.01.01.01.0001", "300.04"), b("5.1.02.01.01.0024", "699.96")], 2027)
    assert (above.persen, above.lulus) == (D("30.00"), False)


def test_infrastructure_leaves_transfers_out_of_its_denominator():
    belanja = [b("5.2.04.01.01.0001", "400"), b("5.1.02.01.01.0024", "600"), b("5.4.01.01.01.0001", "1000")]
    r = nilai_rasio(INFRA, belanja, 2027)
    assert (r.pembilang, r.penyebut, r.persen, r.lulus) == (D(400), D(1000), D("40.00"), True)


def test_education_counts_the_bidang_urusan_pendidikan():
    r = nilai_rasio(PENDIDIKAN, [b("5.1.01.01.01.0001", "199"), b("5.1.02.01.01.0024", "801", bidang="1.02")], 2026)
    assert (r.pembilang, r.persen, r.lulus, r.wajib) == (D(199), D("19.90"), False, True)


def test_health_is_information_only():
    r = nilai_rasio(KESEHATAN, [b("5.1.02.01.01.0024", "10", bidang="1.02"), b("5.1.02.01.01.0024", "20")], 2027)
    assert (r.persen, r.lulus, r.wajib, r.op) == (D("33.33"), None, False, None)


def test_a_zero_denominator_has_no_percent_and_no_verdict():
    r = nilai_rasio(PEGAWAI, [], 2027)
    assert (r.pembilang, r.penyebut, r.persen, r.lulus) == (0, 0, None, None)
    assert "denominator is 0" in r.keterangan


@pytest.mark.parametrize("num, den, shown", [("1", "8", "12.50"), ("1", "3", "33.33"), ("2", "3", "66.67"),
                                             ("1", "800", "0.13"), ("1", "1600", "0.06"), ("1", "1", "100.00")])
def test_the_percent_is_rounded_half_up_to_two_decimals(num, den, shown):
    assert persen(D(num), D(den)) == D(shown)


def test_the_rule_in_force_is_the_latest_version_not_after_the_year():
    decree = AturanRasio("belanja_pegawai", 2029, "Belanja pegawai", Selektor(("5.1.01",)), Selektor(("5",)), "<=",
                         D(25), 2029, "a later decree")
    assert aturan_berlaku([PEGAWAI, decree], 2028) == [PEGAWAI]
    assert aturan_berlaku([PEGAWAI, decree], 2029) == [decree]
    assert aturan_berlaku([decree], 2028) == []


def test_a_selector_reads_its_rule_row():
    s = Selektor.dari({"akun": ["5"], "kecuali_akun": ["5.4"], "bidang_urusan": ["1.01"]})
    assert s.cocok(b("5.1.01.01.01.0001", "1")) and not s.cocok(b("5.4.01.01.01.0001", "1"))
    assert not s.cocok(b("5.1.01.01.01.0001", "1", bidang="1.02"))
    assert Selektor.dari({}).akun == ("5",)


# -- the states: submission, evaluation, enactment ------------------------------------------------------------

def test_the_budget_is_open_in_draft_and_after_tidak_sesuai_only():
    periksa_terbuka("32.73", 2027, "draft", None)
    periksa_terbuka("32.73", 2027, "dievaluasi", "tidak_sesuai")
    for status, hasil in (("diajukan", None), ("dievaluasi", "sesuai"), ("ditetapkan", "sesuai")):
        with pytest.raises(Ditolak) as refused:
            periksa_terbuka("32.73", 2027, status, hasil)
        assert refused.value.pelanggaran[0].field == "status"
    with pytest.raises(Ditolak, match="APBD-P"):
        periksa_terbuka("32.73", 2027, "ditetapkan", "sesuai")


def test_draft_submitted_corrected_resubmitted_found_sesuai_enacted():
    apbd = Apbd("32.73", 2027)
    for step in (apbd.tetapkan, lambda: apbd.evaluasi_dicatat("sesuai", {})):
        with pytest.raises(Ditolak):
            step()
    apbd.ajukan()
    assert (apbd.status, apbd.terbuka) == ("diajukan", False)
    with pytest.raises(Ditolak):
        apbd.ajukan()
    apbd.evaluasi_dicatat("tidak_sesuai", {"temuan": [1]})
    assert (apbd.status, apbd.hasil_evaluasi, apbd.terbuka) == ("dievaluasi", "tidak_sesuai", True)
    with pytest.raises(Ditolak):
        apbd.tetapkan()
    apbd.ajukan()
    assert apbd.hasil_evaluasi is None
    apbd.evaluasi_dicatat("sesuai", {})
    apbd.tetapkan()
    assert (apbd.status, apbd.terbuka, len(apbd.evaluasi), apbd.version) == ("ditetapkan", False, 2, 5)
    for step in (apbd.ajukan, apbd.tetapkan, lambda: apbd.evaluasi_dicatat("sesuai", {})):
        with pytest.raises(Ditolak):
            step()


def test_tidak_sesuai_names_its_findings():
    assert [p.field for p in domain.periksa_evaluasi("tidak_sesuai", [])] == ["temuan"]
    assert domain.periksa_evaluasi("sesuai", []) == []


def test_the_hash_is_of_the_content_not_its_key_order():
    assert domain.hash_isi({"a": "1.00", "b": [1]}) == domain.hash_isi({"b": [1], "a": "1.00"})
    assert domain.hash_isi({"a": "1.00"}) != domain.hash_isi({"a": "1.01"})


# -- revenue and financing lines ---------------------------------------------------------------------------------

def rekening(kode: str, tingkat: str = "sub_rincian_objek", berlaku: bool = True) -> Rekening:
    return Rekening(kode=kode, tingkat=tingkat, akun="x", peruntukan="x", nama="x", berlaku=berlaku,
                    valid_until=None if berlaku else "v-9", kode_pengganti=() if berlaku else ("4.1.01.06.01.0002",))


def skpd(kode: str, bidang: tuple[str, ...]) -> Skpd:
    return Skpd(kode_pemda="32.73", kode=kode, nama="x", bidang_urusan=bidang)


def check(kode_rekening, kode_skpd=BPKAD, boleh=("pendapatan",), **over):
    r = over.get("rekening", rekening(kode_rekening))
    s = over.get("skpd", skpd(kode_skpd, (kode_skpd[:4],)))
    return [(p.field, p.message) for p in periksa(r, s, kode_rekening=kode_rekening, kode_skpd=kode_skpd,
                                                   kode_pemda="32.73", boleh=boleh)]


def test_the_kind_of_a_line_is_its_account_s():
    assert [jenis(k) for k in ("4.1.01", "6.1.01", "6.2.02", "5.1.01", "6.3")] == [
        "pendapatan", "penerimaan_pembiayaan", "pengeluaran_pembiayaan", None, None]


def test_a_pad_target_of_any_skpd_on_a_revenue_leaf_is_fine():
    assert check("4.1.01.06.01.0001", DIKBUD) == []


@pytest.mark.parametrize("kode, boleh, message", [
    ("5.1.01.01.01.0001", ("pendapatan",), "is not under 4"),
    ("4.1.01.06.01.0001", ("penerimaan_pembiayaan", "pengeluaran_pembiayaan"), "is not under 6.1 or 6.2"),
    ("6.1.01.01.01.0001", ("pendapatan",), "is not under 4"),
])
def test_an_account_of_another_kind_is_refused(kode, boleh, message):
    errors = check(kode, boleh=boleh)
    assert errors[0][0] == "kode_rekening" and message in errors[0][1]


def test_not_a_leaf_retired_or_unknown_accounts_are_refused():
    assert "sub rincian objek" in check("4.1.01.06", rekening=rekening("4.1.01.06", "objek"))[0][1]
    assert "use 4.1.01.06.01.0002" in check("4.1.01.06.01.0001", rekening=rekening("4.1.01.06.01.0001",
                                                                                    berlaku=False))[0][1]
    assert check("4.9", rekening=None)[0][0] == "kode_rekening"


def test_transfers_and_financing_are_the_ppkd_s():
    assert check("4.2.01.01.01.0001", DIKBUD)[0][0] == "kode_skpd"
    assert check("6.1.01.01.01.0001", DIKBUD, boleh=("penerimaan_pembiayaan",))[0][0] == "kode_skpd"
    assert check("6.1.01.01.01.0001", BPKAD, boleh=("penerimaan_pembiayaan",)) == []
    assert check("4.1.01.06.01.0001", "9.99", skpd=None) == [("kode_skpd", "no SKPD 9.99 in pemda 32.73")]
