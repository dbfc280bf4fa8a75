"""The spending documents' rules and state machines (penatausahaan/domain.py), revenue's (penerimaan/domain.py),
the document number's text (penomoran/domain.py) and the amount in words they print (cetak.terbilang): pure, no
I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest

from services.keuangan.cetak import terbilang
from services.keuangan.penatausahaan import domain as d
from services.keuangan.penatausahaan.domain import Baris, BukanPemeriksa, Ditolak, SalahUrutan
from services.keuangan.penerimaan import domain as r
from services.keuangan.penomoran.domain import nomor
from services.keuangan.replika.domain import Rekening, Skpd

SUB, REK, REK2 = "1.01.02.2.01.0001", "5.2.03.01.01.0002", "5.1.02.01.01.0024"
K = (SUB, REK)


@dataclass(frozen=True)
class Dpa:
    jumlah: D
    kas: tuple
    versi: int = 1


def dpa(jumlah="1200", kas=("100",) * 12, versi=1) -> Dpa:
    return Dpa(D(jumlah), tuple(D(k) for k in kas), versi)


def spd(nilai="300", mulai=1, sampai=3, status=d.DRAFT, id="s1", versi=1, by="maker") -> d.Spd:
    return d.Spd(id, "32.73", 2026, "SKPD", mulai, sampai, [Baris(SUB, REK, D(nilai), versi)], by, nomor=id,
                 status=status)


def fields(errors) -> list[str]:
    return [e.field for e in errors]


# -- SPD ---------------------------------------------------------------------------------------------------
def test_an_spd_within_the_cash_plan_passes_and_one_rupiah_more_names_its_line():
    assert d.periksa_spd(spd("300"), [], {K: dpa()}) == []
    errors = d.periksa_spd(spd("300.01"), [], {K: dpa()})
    assert fields(errors) == ["baris.0.nilai"] and "cash plan up to month 3 (300)" in errors[0].message


def test_sum_of_spd_up_to_each_month_counts_authorised_spds_only():
    earlier = spd("250", 1, 3, d.OTORISASI, "a")
    draft = spd("250", 1, 3, d.DRAFT, "b")
    assert d.periksa_spd(spd("150", 4, 4, id="c"), [earlier, draft], {K: dpa()}) == []  # 400 ≤ 400
    assert fields(d.periksa_spd(spd("150.01", 4, 4, id="c"), [earlier, draft], {K: dpa()})) == ["baris.0.nilai"]


def test_an_earlier_spd_may_not_break_a_later_month_already_issued():
    later = spd("350", 4, 4, d.OTORISASI, "a")  # up to April: 350 of 400
    errors = d.periksa_spd(spd("100", 1, 1, id="b"), [later], {K: dpa()})  # Jan alone fine; to April 450 > 400
    assert fields(errors) == ["baris.0.nilai"] and "month 4" in errors[0].message


def test_sum_of_spd_never_above_the_dpa_line_even_when_the_cash_plan_is_larger():
    assert fields(d.periksa_spd(spd("600", 1, 12), [], {K: dpa("500")})) == ["baris.0.nilai"]


def test_an_spd_line_without_an_authorised_dpa_line_and_bad_periods_are_refused():
    assert fields(d.periksa_spd(spd(), [], {K: None})) == ["baris.0.kode_rekening"]
    assert fields(d.periksa_spd(spd(mulai=5, sampai=3), [], {K: dpa()})) == ["bulan_sampai"]
    twice = spd()
    twice.baris.append(Baris(SUB, REK, D(1)))
    assert "baris.1" in fields(d.periksa_spd(twice, [], {K: dpa()}))


def test_spd_state_machine_draft_authorised_archived():
    s = spd()
    with pytest.raises(BukanPemeriksa):
        d.otorisasi(s, "maker")
    d.otorisasi(s, "bud")
    assert (s.status, s.diotorisasi_oleh, s.version) == (d.OTORISASI, "bud", 2)
    with pytest.raises(SalahUrutan):
        d.otorisasi(s, "bud")
    assert not d.usang(s, {K: dpa()}) and d.usang(s, {K: dpa(versi=2)}) and d.usang(s, {K: None})
    d.arsipkan(s)
    assert s.status == d.ARSIP
    with pytest.raises(SalahUrutan):
        d.arsipkan(s)


# -- SPP ---------------------------------------------------------------------------------------------------
def spp(jenis="LS", nilai="100", jenis_ls="gaji", **kw) -> d.Spp:
    baris = [] if jenis == d.UP else [Baris(SUB, REK, D(nilai))]
    return d.Spp("p1", "32.73", 2026, "SKPD", jenis, D(nilai), "maker", baris, jenis_ls=jenis_ls if jenis == d.LS else None,
                 spd_id=None if jenis == d.UP else "s1", **kw)


def check(s: d.Spp, spd_=None, terpakai=None, ada_up=False, besaran=None, pengesahan=None, dipakai="0"):
    return d.periksa_spp(s, spd=spd_ if spd_ is not None else spd(status=d.OTORISASI), terpakai=terpakai or {},
                         ada_up=ada_up, besaran_up=besaran, pengesahan=pengesahan, terpakai_pengesahan=D(dipakai))


def test_an_spp_line_never_exceeds_what_remains_of_its_spd_line():
    assert check(spp(nilai="300")) == []
    errors = check(spp(nilai="100.01"), terpakai={K: D("200")})
    assert fields(errors) == ["baris.0.nilai"] and "(100)" in errors[0].message


def test_the_last_rupiah_of_an_spd_line_goes_to_one_spp_only():
    """Two SPPs for the last rupiah: the first is stored, so the second sees it taken (the use case holds the SPD's
    lock between the two looks)."""
    assert check(spp(nilai="1"), terpakai={K: D("299")}) == []
    assert fields(check(spp(nilai="1"), terpakai={K: D("300")})) == ["baris.0.nilai"]


def test_an_spp_draws_on_an_authorised_spd_line_of_its_own():
    assert fields(check(spp(), spd_=spd(status=d.DRAFT))) == ["spd_id"]
    assert fields(check(spp(), spd_=spd(status=d.ARSIP))) == ["spd_id"]
    other = spp()
    other.baris = [Baris(SUB, REK2, D(100))]
    assert fields(check(other)) == ["baris.0.kode_rekening"]
    assert fields(d.periksa_spp(spp(), spd=None, terpakai={}, ada_up=False, besaran_up=None,
                                pengesahan=None)) == ["spd_id"]


def test_up_one_per_skpd_within_its_size_and_without_lines():
    assert check(spp(d.UP, "5000"), besaran=D("5000")) == []
    assert fields(check(spp(d.UP, "5000"), besaran=D("5000"), ada_up=True)) == ["jenis"]
    assert fields(check(spp(d.UP, "5000.01"), besaran=D("5000"))) == ["nilai"]
    assert fields(check(spp(d.UP, "1"))) == ["nilai"]  # no size set


def pengesahan(jenis=d.SPJ, nilai="150", status=d.DISETUJUI, skpd="SKPD") -> d.Pengesahan:
    return d.Pengesahan("g1", "32.73", 2026, skpd, jenis, D(nilai), "u", "bendahara", status=status)


def test_gu_needs_an_approved_spj_and_stays_within_it():
    assert check(spp(d.GU, "100", pengesahan_id="g1"), pengesahan=pengesahan()) == []
    assert fields(check(spp(d.GU, "100", pengesahan_id="g1"), pengesahan=pengesahan(), dipakai="50.01")) == ["nilai"]
    assert fields(check(spp(d.GU, "100"))) == ["pengesahan_id"]
    assert fields(check(spp(d.GU, "100", pengesahan_id="g1"), pengesahan=pengesahan(status=d.DIAJUKAN))) == [
        "pengesahan_id"]
    assert fields(check(spp(d.GU, "100", pengesahan_id="g1"), pengesahan=pengesahan(d.PENGAJUAN_TU))) == [
        "pengesahan_id"]
    assert fields(check(spp(d.GU, "100", pengesahan_id="g1"), pengesahan=pengesahan(skpd="OTHER"))) == [
        "pengesahan_id"]


def test_tu_needs_an_approved_request():
    assert check(spp(d.TU, "100", pengesahan_id="g1"), pengesahan=pengesahan(d.PENGAJUAN_TU)) == []
    assert fields(check(spp(d.TU, "100"))) == ["pengesahan_id"]
    assert fields(check(spp(d.TU, "100", pengesahan_id="g1"), pengesahan=pengesahan(d.SPJ))) == ["pengesahan_id"]


def test_ls_goods_and_services_need_contract_and_handover():
    kontrak, bast = {"nomor": "k", "tanggal": "2026-02-01", "nilai": "100"}, {"nomor": "b", "tanggal": "2026-03-01"}
    assert check(spp(jenis_ls=d.BARANG_JASA, kontrak=kontrak, bast=bast)) == []
    assert fields(check(spp(jenis_ls=d.BARANG_JASA))) == ["kontrak", "bast"]
    assert fields(check(spp(jenis_ls=d.BARANG_JASA, kontrak=kontrak))) == ["bast"]
    assert fields(check(spp(nilai="100.01", jenis_ls=d.BARANG_JASA, kontrak=kontrak, bast=bast))) == ["nilai"]
    assert check(spp(jenis_ls=d.GAJI)) == []  # salary: no contract
    assert fields(check(spp(jenis_ls=None))) == ["jenis_ls"]


def test_spp_state_machine_with_rejection_back_to_draft():
    s = spp()
    with pytest.raises(SalahUrutan):
        d.verifikasi(s, "ppk", True)  # not submitted
    d.ajukan(s)
    with pytest.raises(SalahUrutan):
        d.ajukan(s)
    with pytest.raises(BukanPemeriksa) as refused:
        d.verifikasi(s, "maker", True)
    assert fields(refused.value.pelanggaran) == ["pemeriksa"]
    with pytest.raises(Ditolak) as refused:
        d.verifikasi(s, "ppk", False, " ")
    assert fields(refused.value.pelanggaran) == ["alasan"] and s.status == d.DIAJUKAN
    d.verifikasi(s, "ppk", False, "kuitansi kurang")
    assert (s.status, s.alasan_tolak) == (d.DRAFT, "kuitansi kurang")
    d.ajukan(s)
    d.verifikasi(s, "ppk", True)
    assert (s.status, s.diverifikasi_oleh, s.alasan_tolak, s.version) == (d.DIVERIFIKASI, "ppk", None, 5)


def test_the_unused_part_of_a_tu_returns_once_disbursed():
    s = spp(d.TU, "100", pengesahan_id="g1")
    with pytest.raises(SalahUrutan):
        d.kembalikan_tu(s, D(10), cair=False)
    d.kembalikan_tu(s, D("30"), cair=True)
    with pytest.raises(Ditolak):
        d.kembalikan_tu(s, D("70.01"), cair=True)
    d.kembalikan_tu(s, D("70"), cair=True)
    assert s.dikembalikan == D(100)
    with pytest.raises(Ditolak):
        d.kembalikan_tu(spp(), D(1), cair=True)  # not a TU


# -- SPM and SP2D ------------------------------------------------------------------------------------------
def test_spm_from_a_verified_spp_signed_then_decided_by_three_users():
    s = spp()
    with pytest.raises(SalahUrutan):
        d.periksa_spm(s, [])
    s.status = d.DIVERIFIKASI
    assert d.periksa_spm(s, []) == []
    m = d.Spm("m1", "32.73", 2026, "SKPD", s.id, s.jenis, s.nilai, "ppk")
    with pytest.raises(SalahUrutan):
        d.periksa_spm(s, [m])  # one live SPM per SPP
    with pytest.raises(SalahUrutan):
        d.putuskan(m, "bud", True)  # not signed
    with pytest.raises(BukanPemeriksa):
        d.tandatangani(m, "ppk")
    d.tandatangani(m, "pa")
    for own in ("ppk", "pa"):
        with pytest.raises(BukanPemeriksa):
            d.putuskan(m, own, True)
    with pytest.raises(Ditolak):
        d.putuskan(m, "bud", False)
    d.putuskan(m, "bud", False, "salah rekening")
    assert (m.status, m.alasan_tolak) == (d.DITOLAK, "salah rekening")
    assert d.periksa_spm(s, [m]) == []  # a rejected SPM may be redone
    with pytest.raises(SalahUrutan):
        d.tandatangani(m, "pa")


def test_sp2d_for_exactly_its_accepted_spm_then_issued_and_disbursed_within_the_dpa():
    m = d.Spm("m1", "32.73", 2026, "SKPD", "p1", "LS", D("100"), "ppk", status=d.OTORISASI)
    with pytest.raises(SalahUrutan):
        d.periksa_sp2d(m, D(100), [])
    m.status = d.DITERIMA
    assert fields(d.periksa_sp2d(m, D("99.99"), [])) == ["nilai"]
    assert d.periksa_sp2d(m, D("100.00"), []) == []
    assert fields(d.periksa_sp2d(None, D(1), [])) == ["spm_id"]
    x = d.Sp2d("x1", "32.73", 2026, "SKPD", "m1", "LS", D(100), "kuasa", [Baris(SUB, REK, D(100))])
    with pytest.raises(SalahUrutan):
        d.periksa_sp2d(m, D(100), [x])
    with pytest.raises(SalahUrutan):
        d.cairkan(x, "bud", date(2026, 3, 2))
    with pytest.raises(BukanPemeriksa):
        d.terbitkan(x, "kuasa")
    d.terbitkan(x, "bud")
    assert d.periksa_pencairan(x, {K: D(1100)}, {K: dpa()}) == []  # 1100 + 100 = 1200
    assert fields(d.periksa_pencairan(x, {K: D("1100.01")}, {K: dpa()})) == ["baris.0.nilai"]
    assert fields(d.periksa_pencairan(x, {}, {K: None})) == ["baris.0.kode_rekening"]
    with pytest.raises(Ditolak) as refused:  # a day of another year than the budget's
        d.cairkan(x, "bud", date(2027, 1, 2))
    assert fields(refused.value.pelanggaran) == ["tanggal"] and x.status == d.TERBIT
    d.cairkan(x, "bud", date(2026, 3, 2))
    assert (x.status, x.dicairkan_oleh, x.tanggal_cair) == (d.CAIR, "bud", date(2026, 3, 2))
    with pytest.raises(SalahUrutan):
        d.cairkan(x, "bud", date(2026, 3, 2))


# -- revenue -----------------------------------------------------------------------------------------------
REVENUE = Rekening(kode="4.1.02.01.01.0001", tingkat="sub_rincian_objek", akun="pendapatan", peruntukan="pendapatan",
                   nama="Retribusi", valid_from="v-1", valid_until=None, revisi=1)
SKPD = Skpd(kode_pemda="32.73", kode="SKPD", nama="Dinas", valid_from="v-1", valid_until=None, revisi=1,
            bidang_urusan=("1.01",))


def tbp(id="t1", nilai="100", tanggal=date(2026, 3, 1), rek="4.1.02.01.01.0001", skpd="SKPD", sts_id=None) -> r.Tbp:
    return r.Tbp(id, "32.73", 2026, skpd, rek, "x", tanggal, "u", "p", D(nilai), "bp", nomor=id, sts_id=sts_id)


def test_a_receipt_is_on_a_revenue_leaf_of_the_pemdas_skpd_dated_in_its_year():
    assert r.periksa_tbp(tbp(), REVENUE, SKPD) == []
    assert fields(r.periksa_tbp(tbp(tanggal=date(2025, 12, 31)), REVENUE, SKPD)) == ["tanggal"]
    assert fields(r.periksa_tbp(tbp(rek="4.9"), None, SKPD)) == ["kode_rekening"]
    assert fields(r.periksa_tbp(tbp(), REVENUE, None)) == ["kode_skpd"]


def test_a_deposit_takes_each_receipt_of_its_skpd_once():
    sts = r.Sts("s1", "32.73", 2026, "SKPD", date(2026, 3, 2), ["t1", "t2"], D(0), "bp")
    assert r.periksa_sts(sts, {"t1": tbp("t1"), "t2": tbp("t2")}) == []
    assert fields(r.periksa_sts(sts, {"t1": tbp("t1")})) == ["tbp_ids.1"]
    assert fields(r.periksa_sts(sts, {"t1": tbp("t1"), "t2": tbp("t2", skpd="OTHER")})) == ["tbp_ids.1"]
    assert fields(r.periksa_sts(sts, {"t1": tbp("t1", sts_id="s0"), "t2": tbp("t2")})) == ["tbp_ids.0"]
    assert fields(r.periksa_sts(sts, {"t1": tbp("t1"), "t2": tbp("t2", tanggal=date(2026, 3, 3))})) == ["tbp_ids.1"]
    twice = r.Sts("s1", "32.73", 2026, "SKPD", date(2026, 3, 2), ["t1", "t1"], D(0), "bp")
    assert fields(r.periksa_sts(twice, {"t1": tbp("t1")})) == ["tbp_ids.1"]


def test_a_deposit_is_validated_once_by_another_user_and_sums_per_account():
    sts = r.Sts("s1", "32.73", 2026, "SKPD", date(2026, 3, 2), ["t1"], D(0), "bp")
    with pytest.raises(BukanPemeriksa):
        r.validasi(sts, "bp")
    r.validasi(sts, "bud")
    with pytest.raises(SalahUrutan):
        r.validasi(sts, "bud")
    assert r.per_akun([tbp("a", "1.10"), tbp("b", "2.05"), tbp("c", "3", rek="4.1.01.01.01.0001")]) == {
        "4.1.01.01.01.0001": D(3), "4.1.02.01.01.0001": D("3.15")}


def test_a_document_number_names_its_sequence_type_skpd_and_year():
    assert nomor("spp", 12, "1.01.0.00.0.00.01.0000", 2026, "LS") == "00012/SPP-LS/1.01.0.00.0.00.01.0000/2026"
    assert nomor("sts", 123456, "X", 2026) == "123456/STS/X/2026"
    with pytest.raises(ValueError):
        nomor("kuitansi", 1, "X", 2026)
    with pytest.raises(ValueError):
        nomor("spd", 0, "X", 2026)


@pytest.mark.parametrize("nilai, kata", [
    ("0", "Nol Rupiah"), ("11", "Sebelas Rupiah"), ("19", "Sembilan Belas Rupiah"), ("100", "Seratus Rupiah"),
    ("111", "Seratus Sebelas Rupiah"), ("1000", "Seribu Rupiah"), ("1001000", "Satu Juta Seribu Rupiah"),
    ("2500", "Dua Ribu Lima Ratus Rupiah"), ("0.05", "Nol Rupiah Lima Sen"),
    ("150000000.25", "Seratus Lima Puluh Juta Rupiah Dua Puluh Lima Sen"),
    ("1200000000", "Satu Miliar Dua Ratus Juta Rupiah"),
    ("999999999999999.99", "Sembilan Ratus Sembilan Puluh Sembilan Triliun Sembilan Ratus Sembilan Puluh Sembilan "
                           "Miliar Sembilan Ratus Sembilan Puluh Sembilan Juta Sembilan Ratus Sembilan Puluh Sembilan "
                           "Ribu Sembilan Ratus Sembilan Puluh Sembilan Rupiah Sembilan Puluh Sembilan Sen"),
    ("-5", "Minus Lima Rupiah")])
def test_an_amount_in_words_as_payment_documents_print_it(nilai, kata):
    assert terbilang(D(nilai)) == kata
