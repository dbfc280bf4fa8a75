"""DPA-SKPD's rules, pure: the default spread, the cash plan that must add up exactly, versions and their states."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.keuangan.apbd.domain import Ditolak
from services.keuangan.dpa import domain
from services.keuangan.dpa.domain import BarisAnggaran, BarisDpa, Dpa

D = Decimal


@pytest.mark.parametrize("jumlah", ["0", "1", "11", "12", "13", "1000000", "1000000.55", "999999999999.99",
                                    "30000000.123456"])
def test_the_default_spread_adds_up_exactly_with_the_rest_in_december(jumlah):
    kas = domain.sebaran_rata(D(jumlah))
    assert len(kas) == 12 and sum(kas) == D(jumlah)
    assert len(set(kas[:11])) == 1 and kas[0] == kas[0].to_integral_value()  # equal whole rupiah Jan–Nov
    assert D(0) <= kas[11] - kas[0] < 12  # December: the same plus what remains (< 12 rupiah)


def test_the_default_spread_of_1_000_000():
    assert domain.sebaran_rata(D("1000000")) == [D(83333)] * 11 + [D(83337)]


def test_a_cash_plan_must_add_up_to_the_line_exactly_naming_the_field():
    assert domain.periksa_kas(D("1200"), [D(100)] * 12) == []
    short = domain.periksa_kas(D("1200"), [D(100)] * 11 + [D("99.99")], "baris.0.kas")
    assert [p.field for p in short] == ["baris.0.kas"] and "0.01" in short[0].message
    assert [p.field for p in domain.periksa_kas(D("1200"), [D(100)] * 11)] == ["kas"]
    negative = domain.periksa_kas(D("1200"), [D(-100), D(300)] + [D(100)] * 10)
    assert [p.field for p in negative] == ["kas.1"]


def test_a_new_version_keeps_the_plan_of_unchanged_lines_and_spreads_the_changed():
    kas = (D(0),) * 11 + (D(1200),)
    lama = [BarisDpa("1.01.02.2.01.0001", "5.1.02.01.01.0024", D(1200), kas),
            BarisDpa("1.01.02.2.01.0001", "5.2.03.01.01.0010", D(1200), kas)]
    baru = domain.kas_versi_baru(lama, [("1.01.02.2.01.0001", "5.1.02.01.01.0024", D(1200), "a"),
                                        ("1.01.02.2.01.0001", "5.2.03.01.01.0010", D(2400), "b"),
                                        ("1.01.02.2.01.0002", "5.1.02.01.01.0024", D(12), "c")])
    assert [b.kas for b in baru] == [kas, (D(200),) * 12, (D(1),) * 12]


def test_only_a_draft_changes_and_a_new_version_follows_an_authorised_one():
    d = Dpa("32.73", 2027, "1.01.0.00.0.00.01.0000", 1)
    d.periksa_draft("changed")
    with pytest.raises(Ditolak):
        domain.periksa_versi_baru(d, d.kode_skpd)  # the draft first
    d.sahkan("ppkd", "DPA/1", "h")
    assert (d.status, d.version) == ("disahkan", 2)
    with pytest.raises(Ditolak) as refused:
        d.periksa_draft("changed")
    assert refused.value.pelanggaran[0].field == "status"
    domain.periksa_versi_baru(d, d.kode_skpd)
    with pytest.raises(Ditolak) as none:
        domain.periksa_versi_baru(None, d.kode_skpd)
    assert none.value.pelanggaran[0].field == "kode_skpd"


def test_versi_1_is_the_enacted_budget_and_only_an_enacted_apbd_makes_one():
    domain.periksa_sesuai_penetapan("x", D("10.50"), D("10.5"))
    with pytest.raises(Ditolak):
        domain.periksa_sesuai_penetapan("x", D("10.50"), D("10.51"))
    domain.periksa_ditetapkan("32.73", 2027, "ditetapkan")
    for status in (None, "draft", "diajukan", "dievaluasi"):
        with pytest.raises(Ditolak) as refused:
            domain.periksa_ditetapkan("32.73", 2027, status)
        assert refused.value.pelanggaran[0].field == "status"


SUB, GEDUNG, HONOR = "1.01.02.2.01.0001", "5.2.03.01.01.0010", "5.1.02.01.01.0024"


def test_a_version_s_lines_are_the_budget_not_at_zero():
    """A position the APBD-P or a shift emptied is no line: an SKPD it emptied has a version without lines."""
    baris = [BarisAnggaran(SUB, GEDUNG, D(500), D(0)), BarisAnggaran(SUB, HONOR, D(0), D("12.5"))]
    assert domain.baris_versi(baris) == [(SUB, HONOR, D("12.5"))]
    assert domain.baris_versi(baris[:1]) == []


def test_an_skpd_the_apbd_p_budgets_first_is_one_without_murni_now_budgeted_and_without_a_dpa():
    per_skpd = {"baru": [BarisAnggaran(SUB, GEDUNG, D(0), D(250))],
                "lama": [BarisAnggaran(SUB, GEDUNG, D(100), D(250))],             # budgeted in the APBD
                "dikosongkan": [BarisAnggaran(SUB, GEDUNG, D(100), D(0))],        # emptied, not new
                "belum": [BarisAnggaran(SUB, GEDUNG, D(0), D(0))],                # a position left at 0
                "punya_dpa": [BarisAnggaran(SUB, GEDUNG, D(0), D(7))]}            # a DPA already (a shift into it)
    assert domain.pertama_di_perubahan(per_skpd, {"punya_dpa"}) == ["baru"]
    assert {s for s, b in per_skpd.items() if domain.punya_anggaran(b)} == set(per_skpd) - {"belum"}
