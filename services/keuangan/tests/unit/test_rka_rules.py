"""The RKA-SKPD rules, pure: coefficient, amount and its rounding, component, funding source (the account flags'
rules, a recipient among them: ``test_tanda_rules.py``); the
funding sources' ceilings and the agreed ceiling's pergeseran; PPAS hierarchy; the import's cells."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.keuangan.plafon.domain import Ditolak, Plafon, TidakAdaPergeseran
from services.keuangan.ppas.domain import PaguPpas, Ppas, SudahDisepakati, bertingkat, induk
from services.keuangan.replika.domain import StandarHarga, SumberDana
from services.keuangan.rincian.domain import (
    jumlah_rka, koefisien_teks, periksa_komponen, periksa_sumber_dana, volume,
)
from services.keuangan.rka.domain import baris_impor, kelompokkan, kolom_of, teks

D = Decimal


def test_volume_is_the_product_of_the_factors_and_must_fit():
    assert volume([(D(2), "Orang"), (D(12), "Bulan")]) == (D(24), [])
    assert volume([(D("2.5"), "m"), (D("1.25"), "m")])[0] == D("3.125")
    assert volume([(D("0.0001"), "a"), (D("0.5"), "b")])[1][0].field == "koefisien"
    assert volume([(D(10) ** 6, "a"), (D(10) ** 6, "b")])[1][0].field == "koefisien"
    assert koefisien_teks([(D("2.50"), "Orang"), (D(12), "Bulan")]) == "2.5 Orang x 12 Bulan"


@pytest.mark.parametrize("vol, harga, pajak, expected", [
    ("24", "2500000.00", "0", "60000000"),
    ("1", "0.50", "0", "1"),          # half a rupiah: up
    ("1", "0.49", "0", "0"),
    ("3", "33333.33", "11", "111000"),  # 99,999.99 × 1.11 = 110,999.9889 → 111,000
    ("1", "100", "12.5", "113"),        # 112.5 → 113 (half up, not to even)
    ("1", "102", "12.5", "115"),        # 114.75 → 115
])
def test_the_amount_is_rounded_to_the_rupiah_half_up(vol, harga, pajak, expected):
    assert jumlah_rka(D(vol), D(harga), D(pajak)) == D(expected)


def _komponen(**changes) -> StandarHarga:
    return StandarHarga(**{"kode_pemda": "32.73", "tahun": 2026, "kode": "K", "jenis": "SSH", "uraian": "Kertas",
                           "satuan": "rim", "harga": D("55000"), "kode_rekening": ("5.1.02.01.01.0024",), **changes})


def test_the_component_rules():
    args = ("K", "32.73", 2026, "5.1.02.01.01.0024")
    assert periksa_komponen(_komponen(), *args, D("55000")) == []
    assert [p.field for p in periksa_komponen(_komponen(), *args, D("55000.01"))] == ["harga_satuan"]
    assert [p.field for p in periksa_komponen(_komponen(), "K", "32.73", 2026, "5.1.02.01.01.0025", D(1))] == [
        "kode_rekening"]
    assert [p.field for p in periksa_komponen(None, *args, D(1))] == ["kode_standar_harga"]
    assert [p.field for p in periksa_komponen(_komponen(berlaku=False, valid_until="v2"), *args, D(1))] == [
        "kode_standar_harga"]


def test_funding_source_rules():
    assert periksa_sumber_dana(SumberDana(kode="1.1", tingkat=2, nama="PAD"), "1.1") == []
    assert periksa_sumber_dana(None, "7")[0].field == "kode_sumber_dana"


def _plafon(pagu="100", sumber_dana=None) -> Plafon:
    p = Plafon("id", "32.73", 2026, "S", "1.01.02.2.01.0001", "1.01")
    p.terapkan_rencana(1, D(pagu), {k: D(v) for k, v in (sumber_dana or {}).items()})
    return p


def test_each_funding_source_has_its_ceiling():
    p = _plafon("100", {"1.1": "70", "2.1": "30"})
    p.tambah_rincian(D(70), "1.1")
    with pytest.raises(Ditolak) as refused:
        p.tambah_rincian(D(1), "1.1")
    assert [x.field for x in refused.value.pelanggaran] == ["kode_sumber_dana"]
    with pytest.raises(Ditolak):
        p.tambah_rincian(D(1), "3.1")  # not one of the item's sources
    p.tambah_rincian(D(30), "2.1")
    assert (p.total_rincian, p.total_sumber_dana) == (D(100), {"1.1": D(70), "2.1": D(30)})
    p.hapus_rincian(D(30), "2.1")
    assert p.total_sumber_dana == {"1.1": D(70)}
    _plafon("100").tambah_rincian(D(100), "9.9")  # a plan naming no source: the total only


def test_an_agreed_ceiling_does_not_follow_the_plan():
    p = _plafon("100", {"1.1": "100"})
    p.sepakati(D(90))
    assert (p.pagu, p.pergeseran) == (D(90), "menunggu")  # the plan says 100
    p.terapkan_rencana(2, D(90), {"1.1": D(100)})  # the sources stay as the plan split them when agreed
    assert p.pergeseran is None and p.pagu == D(90)
    p.terapkan_rencana(3, D(120), {"1.1": D(120)})
    assert (p.pagu, p.pagu_rencana, p.pergeseran) == (D(90), D(120), "menunggu")
    p.tolak_pergeseran()
    assert p.pergeseran == "ditolak"
    with pytest.raises(TidakAdaPergeseran):
        p.tolak_pergeseran()
    p.terapkan_rencana(4, D(130), {"1.1": D(130)})
    assert p.pergeseran == "menunggu"
    p.terima_pergeseran()
    assert (p.pagu, p.sumber_dana, p.pergeseran) == (D(130), {"1.1": D(130)}, None)


def test_ppas_hierarchy_and_agreement():
    assert induk(("sub_kegiatan", "S", "1.01.02.2.01.0001")) == ("kegiatan", "S", "1.01.02.2.01")
    assert induk(("kegiatan", "S", "1.01.02.2.01")) == ("program", "S", "1.01.02")
    assert induk(("program", "S", "1.01.02")) == ("skpd", "S", "S")
    assert induk(("skpd", "S", "S")) is None
    rows = [PaguPpas("skpd", "S", "S", D(10), D(10)), PaguPpas("program", "S", "1.01.02", D(10), D(10)),
            PaguPpas("kegiatan", "S", "1.01.02.2.01", D(10), D(10)),
            PaguPpas("sub_kegiatan", "S", "1.01.02.2.01.0001", D(6), D(6)),
            PaguPpas("sub_kegiatan", "S", "1.01.02.2.01.0002", D(4), D(4))]
    p = Ppas("32.73", 2026)
    assert p.terapkan_rkpd(1, "snap", rows)[0]
    with pytest.raises(Ditolak):
        p.sesuaikan("sub_kegiatan", "S", "1.01.02.2.01.0001", D(7))
    assert p.sesuaikan("sub_kegiatan", "S", "1.01.02.2.01.0001", D(5)).disesuaikan
    p.sepakati("1", None)
    with pytest.raises(SudahDisepakati):
        p.sesuaikan("sub_kegiatan", "S", "1.01.02.2.01.0001", D(4))
    assert p.pagu_sub_kegiatan("S", "1.01.02.2.01.0001") == D(5) and p.pagu_sub_kegiatan("S", "x") == D(0)
    # an enactment after the agreement moves no agreed figure; a ceiling it drops stays with RKPD 0
    assert p.terapkan_rkpd(2, "snap2", rows[:4])[0]
    assert p.pagu[("sub_kegiatan", "S", "1.01.02.2.01.0002")].pagu == D(4)
    assert p.pagu[("sub_kegiatan", "S", "1.01.02.2.01.0002")].pagu_rkpd == D(0)


def test_the_imports_cells():
    assert (teks(2.0), teks(1000000.5), teks(" x "), teks(""), teks(None)) == ("2", "1000000.5", "x", None, None)
    body = baris_impor({"kelompok": "A", "volume_1": 2, "satuan_1": "Orang", "volume_3": 3, "satuan_3": "Hari",
                        "penerima_nama": "Yayasan"})
    assert body["koefisien"] == [{"volume": "2", "satuan": "Orang"}, {"volume": "3", "satuan": "Hari"}]
    assert body["penerima"]["nama"] == "Yayasan" and body["pajak"] == "0"
    assert (kolom_of("koefisien.1.volume"), kolom_of("koefisien"), kolom_of("penerima.nama"),
            kolom_of("harga_satuan")) == ("volume_2", "volume_1", "penerima_nama", "harga_satuan")
    tree = kelompokkan([{"kelompok": "A", "keterangan": "x", "jumlah": D(1)},
                        {"kelompok": "A", "keterangan": "y", "jumlah": D(2)},
                        {"kelompok": "B", "keterangan": "x", "jumlah": D(4)}])
    assert [(k["kelompok"], k["jumlah"], len(k["keterangan"])) for k in tree] == [("A", D(3), 2), ("B", D(4), 1)]


def test_the_kua_ppas_perubahan_sums_its_sub_kegiatan_up_to_every_level():
    rows = bertingkat([("S1", "1.01.02.2.01.0001", Decimal(100)), ("S1", "1.01.02.2.01.0002", Decimal(50)),
                       ("S1", "1.01.03.2.01.0001", Decimal(7)), ("S2", "1.02.02.2.01.0001", Decimal(1))])
    pagu = {r.kunci: (r.pagu_rkpd, r.pagu, r.disesuaikan) for r in rows}
    assert pagu[("kegiatan", "S1", "1.01.02.2.01")] == (Decimal(150), Decimal(150), False)
    assert pagu[("program", "S1", "1.01.03")][1] == Decimal(7)
    assert pagu[("skpd", "S1", "S1")][1] == Decimal(157) and pagu[("skpd", "S2", "S2")][1] == Decimal(1)
    assert len(rows) == 4 + 3 + 3 + 2
    p = Ppas("32.73", 2027, pagu={r.kunci: r for r in rows})
    with pytest.raises(Ditolak):  # as the murni KUA-PPAS: raised only under a parent that holds it
        p.sesuaikan("sub_kegiatan", "S1", "1.01.03.2.01.0001", Decimal(8))
    assert p.sesuaikan("sub_kegiatan", "S1", "1.01.03.2.01.0001", Decimal(6)).disesuaikan
