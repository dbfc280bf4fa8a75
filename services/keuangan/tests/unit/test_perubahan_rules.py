"""The APBD-P and pergeseran rules, pure: a shift's authority from the rule table (PPKD within a rincian objek,
Sekda within a jenis, nobody beyond: the APBD-P), the amount it may move, the states (the APBD's evaluation), the
KUA-PPAS perubahan's ceilings, murni / perubahan / selisih."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.keuangan.apbd.domain import Ditolak as DitolakApbd
from services.keuangan.perubahan.domain import (
    DIBUKA, DITETAPKAN, Ditolak, Kewenangan, Perubahan, Pos, kewenangan_berlaku, melebihi_pagu, per_akun,
    periksa_buka, periksa_pagu, periksa_pergeseran, periksa_pergeseran_boleh, pos_murni, ringkasan, tingkat_sama,
)

ATURAN = [
    Kewenangan("antar_sub_rincian_objek", 2000, "sub rincian objek", 5, True, ("ppkd", "sekda")),
    Kewenangan("antar_objek", 2000, "objek", 3, True, ("sekda",)),
]
RKPD = "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90"
SKPD = "1.01.0.00.0.00.01.0000"


def pos(kode_rekening="5.1.02.01.01.0024", jumlah="1000", murni="1000", rkpd_id=RKPD) -> Pos:
    return Pos("p", "32.73", 2026, SKPD, rkpd_id, "1.01.02.2.01.0001", kode_rekening, Decimal(murni),
               Decimal(jumlah))


def geser(ke: str, peran: str, jumlah="100", ke_rkpd=RKPD, aturan=ATURAN, tahun=2026, **kw):
    return periksa_pergeseran(aturan, tahun, pos(), ke_rkpd, SKPD, ke, Decimal(jumlah), peran, **kw)


def field_of(call) -> str:
    with pytest.raises(Ditolak) as raised:
        call()
    return raised.value.pelanggaran[0].field


def test_levels_shared_by_two_accounts():
    assert tingkat_sama("5.1.02.01.01.0024", "5.1.02.01.01.0026") == 5
    assert tingkat_sama("5.1.02.01.01.0024", "5.1.02.02.01.0026") == 3
    assert tingkat_sama("5.1.02.01.01.0024", "5.2.03.01.01.0001") == 1


def test_within_a_rincian_objek_the_ppkd_may_shift_and_the_sekda_too():
    assert geser("5.1.02.01.01.0026", "ppkd").kode == "antar_sub_rincian_objek"
    assert geser("5.1.02.01.01.0026", "sekda").kode == "antar_sub_rincian_objek"


def test_between_objek_of_one_jenis_only_the_sekda():
    assert geser("5.1.02.02.01.0026", "sekda").kode == "antar_objek"
    with pytest.raises(Ditolak) as raised:
        geser("5.1.02.02.01.0026", "ppkd")
    assert raised.value.pelanggaran[0].field == "ke.kode_rekening" and "sekda" in str(raised.value)
    assert not raised.value.konflik


def test_beyond_a_jenis_or_to_another_sub_kegiatan_only_the_apbd_p_even_for_the_pusat():
    assert field_of(lambda: geser("5.2.03.01.01.0001", "sekda", semua_wewenang=True)) == "ke.kode_rekening"
    other = "11111111-2222-3333-4444-555555555555"
    assert field_of(lambda: geser("5.1.02.01.01.0026", "sekda", ke_rkpd=other)) == "ke.rkpd_id"


def test_the_pusat_administrator_has_every_authority_the_table_gives():
    assert geser("5.1.02.02.01.0026", "pusat_admin", semua_wewenang=True).kode == "antar_objek"


@pytest.mark.parametrize("jumlah", ["0", "1000.01"])
def test_the_amount_is_above_zero_and_not_above_what_the_source_holds(jumlah):
    assert field_of(lambda: geser("5.1.02.01.01.0026", "ppkd", jumlah)) == "jumlah"
    assert geser("5.1.02.01.01.0026", "ppkd", "1000").kode  # all of it may go


def test_a_decree_s_new_authority_is_a_row_with_a_later_year():
    later = [*ATURAN, Kewenangan("antar_objek", 2027, "objek", 3, True, ("sekda", "ppkd"))]
    assert geser("5.1.02.02.01.0026", "ppkd", aturan=later, tahun=2027).kode == "antar_objek"
    assert field_of(lambda: geser("5.1.02.02.01.0026", "ppkd", aturan=later, tahun=2026)) == "ke.kode_rekening"
    assert [a.tahun_dari for a in kewenangan_berlaku(later, 2027)] == [2000, 2027]


def test_shifts_open_on_an_enacted_budget_and_not_while_its_apbd_p_is_under_way():
    periksa_pergeseran_boleh(DITETAPKAN, None, "32.73", 2026)
    periksa_pergeseran_boleh(DITETAPKAN, Perubahan("32.73", 2026, DITETAPKAN), "32.73", 2026)
    for status, p in (("draft", None), (DITETAPKAN, Perubahan("32.73", 2026, DIBUKA)),
                      (DITETAPKAN, Perubahan("32.73", 2026, "diajukan")),
                      (DITETAPKAN, Perubahan("32.73", 2026, "dievaluasi", "sesuai"))):
        with pytest.raises(Ditolak) as raised:
            periksa_pergeseran_boleh(status, p, "32.73", 2026)
        assert raised.value.konflik and raised.value.pelanggaran[0].field == "status"


def test_an_apbd_p_opens_once_from_an_enacted_budget():
    periksa_buka(DITETAPKAN, None, "32.73", 2026)
    for status, p in (("dievaluasi", None), (DITETAPKAN, Perubahan("32.73", 2026))):
        with pytest.raises(Ditolak):
            periksa_buka(status, p, "32.73", 2026)


def test_the_apbd_p_is_evaluated_as_the_apbd_and_changes_only_while_open_or_corrected():
    p = Perubahan("32.73", 2026, version=1)
    p.periksa_ubah()
    with pytest.raises(DitolakApbd, match="the APBD-P 32.73/2026 is dibuka: it cannot be enacted"):
        p.tetapkan()
    p.ajukan()
    assert field_of(p.periksa_ubah) == "status"
    p.evaluasi_dicatat("tidak_sesuai", {"temuan": [{"uraian": "SiLPA"}]})
    p.periksa_ubah()  # its corrections
    p.ajukan()
    p.evaluasi_dicatat("sesuai", {})
    assert field_of(p.periksa_ubah) == "status"
    p.tetapkan()
    assert (p.status, p.terbuka, len(p.evaluasi), p.version) == (DITETAPKAN, False, 2, 6)
    for step in (p.ajukan, p.tetapkan):
        with pytest.raises(DitolakApbd):
            step()
    assert field_of(p.periksa_ubah) == "status"


def test_a_change_may_not_raise_a_sub_kegiatan_above_its_ceiling_but_may_always_lower_it():
    assert periksa_pagu("x", Decimal(90), Decimal(100), Decimal(100)) == []
    assert [e.field for e in periksa_pagu("x", Decimal(90), Decimal("100.01"), Decimal(100))] == ["jumlah"]
    assert periksa_pagu("x", Decimal(150), Decimal(120), Decimal(100)) == []  # toward its ceiling
    found = melebihi_pagu({(SKPD, "a"): Decimal(100), (SKPD, "b"): Decimal(1), (SKPD, "c"): Decimal(5)},
                          {(SKPD, "a"): Decimal(100), (SKPD, "c"): Decimal(4)})
    assert [(e.field, e.message.split()[5]) for e in found] == [("pagu", "b"), ("pagu", "c")]  # b: none held, so 0


def test_lampiran_i_sums_murni_and_perubahan_per_account_to_jenis():
    rows = [("5.1.02.01.01.0024", Decimal(100), Decimal(80)), ("5.1.02.02.01.0026", Decimal(0), Decimal(30)),
            ("4.1.01.06.01.0001", Decimal(50), Decimal(50))]
    assert per_akun(rows) == [("4", 1, 50, 50), ("4.1", 2, 50, 50), ("4.1.01", 3, 50, 50), ("5", 1, 100, 110),
                              ("5.1", 2, 100, 110), ("5.1.02", 3, 100, 110)]


def test_murni_perubahan_and_selisih_of_the_identities_are_exact():
    ps = [pos("5.1.02.01.01.0024", "900.10", "1000"), pos("5.1.02.01.01.0026", "99.90", "0"),
          pos("4.1.01.06.01.0001", "1500", "1200", rkpd_id=""), pos("6.1.01.01.01.0001", "50", "0", rkpd_id="")]
    r = ringkasan(ps)
    assert r["belanja"] == {"murni": Decimal(1000), "perubahan": Decimal("1000.00"), "selisih": Decimal(0)}
    assert r["pendapatan"]["selisih"] == Decimal(300)
    assert r["silpa"] == {"murni": Decimal(200), "perubahan": Decimal(550), "selisih": Decimal(350)}


def test_the_enacted_lines_sum_to_positions():
    out = pos_murni([{"kode_skpd": SKPD, "rkpd_id": RKPD, "kode_sub_kegiatan": "x", "kode_rekening": "5.1", "jumlah": 2},
                     {"kode_skpd": SKPD, "rkpd_id": RKPD, "kode_sub_kegiatan": "x", "kode_rekening": "5.1", "jumlah": 3}],
                    [{"kode_skpd": SKPD, "kode_rekening": "4.1", "jumlah": Decimal(7)}])
    assert {k: v["jumlah"] for k, v in out.items()} == {(SKPD, RKPD, "5.1"): 5, (SKPD, "", "4.1"): 7}
