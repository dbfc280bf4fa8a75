"""Code mapping's rules: what a flagged item is proposed, which replacements are allowed, what signing
does and refuses. Pure, no database."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from services.perencanaan.pemetaan.domain import (
    BeritaAcara, SudahDitandatangani, hash_isi, periksa_bentrok, periksa_lengkap, periksa_pasangan, pilih, usulkan,
)
from services.perencanaan.rkpd.domain import SubKegiatanRkpd, pemetaan

SKPD, SKPD_BARU = "1.01.0.00.0.00.01.0000", "1.01.0.00.0.00.02.0000"
LAMA, BARU = "1.01.02.2.01.0002", "1.01.02.2.01.0026"
PEMDA = {"kode": "32.73", "jenis": "kota"}


def item(*flags: dict, **over) -> SubKegiatanRkpd:
    values = dict(id="i1", kode_pemda="32.73", tahun=2027, kode_skpd=SKPD, kode_sub_kegiatan=LAMA,
                  nama_sub_kegiatan="Lama", kode_bidang_urusan="1.01", nama_bidang_urusan="Pendidikan",
                  indikator="i", target=Decimal(1), satuan="Unit", pagu_indikatif=Decimal("100.00"), version=3,
                  perlu_pemetaan=bool(flags), pemetaan=list(flags))
    return SubKegiatanRkpd(**{**values, **over})


def sub(kode=BARU, bidang="1.01", level="kabupaten_kota", berlaku=True) -> dict:
    return {"kode": kode, "nama": "Baru", "level_pemerintahan": level, "berlaku": berlaku, "revisi": 9,
            "valid_until": None, "kode_pengganti": [], "bidang_urusan": {"kode": bidang, "nama": "B", "revisi": 4}}


def skpd(kode=SKPD, bidang=("1.01",), berlaku=True) -> dict:
    return {"kode": kode, "bidang_urusan": list(bidang), "berlaku": berlaku, "kode_pengganti": []}


@pytest.mark.parametrize("pengganti, proposed", [([BARU], BARU), ([BARU, "1.01.02.2.01.0003"], None), ([], None)])
def test_the_crosswalks_replacement_is_proposed_only_when_it_is_the_only_one(pengganti, proposed):
    p = usulkan(item(pemetaan("nomenklatur", LAMA, "v2", pengganti)))
    assert (p.kode_sub_kegiatan_baru, p.usulan_sub_kegiatan, p.kode_skpd_baru) == (proposed, tuple(pengganti), SKPD)


def test_a_retired_skpd_is_proposed_its_replacement_and_the_current_sub_kegiatan_stays():
    p = usulkan(item(pemetaan("skpd", SKPD, "v2", [SKPD_BARU])))
    assert (p.kode_skpd_baru, p.kode_sub_kegiatan_baru, p.usulan_skpd) == (SKPD_BARU, LAMA, (SKPD_BARU,))


def test_a_choice_overrides_the_proposal_and_a_code_left_out_keeps_it():
    proposed = usulkan(item(pemetaan("nomenklatur", LAMA, "v2", [BARU])))
    assert pilih(proposed, None, "1.01.02.2.01.0003").kode_sub_kegiatan_baru == "1.01.02.2.01.0003"
    assert pilih(proposed, None, None).kode_sub_kegiatan_baru == BARU


@pytest.mark.parametrize("s, k, field, words", [
    (sub(bidang="1.02"), skpd(), "kode_sub_kegiatan_baru", "does not serve bidang urusan 1.02"),
    (sub(level="provinsi"), skpd(), "kode_sub_kegiatan_baru", "is for provinsi government"),
    (sub(berlaku=False), skpd(), "kode_sub_kegiatan_baru", "was retired"),
    (None, skpd(), "kode_sub_kegiatan_baru", "no such sub kegiatan"),
    (sub(), skpd(berlaku=False), "kode_skpd_baru", "was retired"),
])
def test_a_replacement_is_current_for_the_pemdas_level_and_the_skpds_bidang_urusan(s, k, field, words):
    p = usulkan(item(pemetaan("nomenklatur", LAMA, "v2", [BARU])))
    [error] = periksa_pasangan("pasangan.4", p, PEMDA, k, s)
    assert error.field == f"pasangan.4.{field}" and words in error.message
    assert periksa_pasangan("pasangan.4", p, PEMDA, skpd(), sub()) == []


def test_every_pair_is_decided_before_signing():
    p = usulkan(item(pemetaan("nomenklatur", LAMA, "v2", [])))
    assert [e.field for e in periksa_lengkap([p])] == ["pasangan.0.kode_sub_kegiatan_baru"]


def test_no_pair_leads_to_what_the_skpd_already_plans_or_to_another_pairs_codes():
    a = pilih(usulkan(item(pemetaan("nomenklatur", LAMA, "v2", [BARU]))), None, None)
    b = replace(a, rkpd_id="i2", kode_sub_kegiatan="1.01.02.2.01.0004")
    assert [e.field for e in periksa_bentrok([a], {(SKPD, BARU)})] == ["pasangan.0.kode_sub_kegiatan_baru"]
    assert [e.field for e in periksa_bentrok([a, b], set())] == ["pasangan.1.kode_sub_kegiatan_baru"]
    assert periksa_bentrok([a], {(SKPD, LAMA)}) == []  # its own old code is no obstacle


def test_mapping_an_item_gives_it_the_new_codes_as_a_new_version_and_clears_only_the_mapped_flags():
    flags = [pemetaan("nomenklatur", LAMA, "v2", [BARU]), pemetaan("skpd", SKPD, "v2", [])]
    mapped = item(*flags).petakan(SKPD, sub())
    assert (mapped.kode_sub_kegiatan, mapped.nama_sub_kegiatan, mapped.version) == (BARU, "Baru", 4)
    assert (mapped.revisi_sub_kegiatan, mapped.revisi_bidang_urusan) == (9, 4)
    assert (mapped.perlu_pemetaan, mapped.pemetaan) == (True, [flags[1]])  # the SKPD is still retired
    assert item(*flags).petakan(SKPD_BARU, sub()).perlu_pemetaan is False
    assert mapped.pagu_indikatif == Decimal("100.00") and mapped.changes == {
        "kode_sub_kegiatan": BARU, "nama_sub_kegiatan": "Baru", "nama_bidang_urusan": "B"}


def draft() -> BeritaAcara:
    return BeritaAcara(id="b1", kode_pemda="32.73", tahun=2027, dibuat_oleh="bappeda",
                       pasangan=(pilih(usulkan(item(pemetaan("nomenklatur", LAMA, "v2", [BARU]))), None, None),))


WHEN = datetime(2027, 2, 1, 9, tzinfo=timezone.utc)
PIHAK = [{"nama": "Siti", "jabatan": "Kepala Bappeda"}]


def test_signing_numbers_dates_and_hashes_and_a_signed_one_never_changes():
    signed = draft().tandatangani(7, date(2027, 2, 1), PIHAK, "bappeda", WHEN)
    assert (signed.status, signed.nomor_surat, signed.version) == ("ditandatangani", "007/BA-PEMETAAN/32.73/2027", 2)
    assert signed.hash == hash_isi(signed) and len(signed.hash) == 64
    with pytest.raises(SudahDitandatangani):
        signed.tandatangani(8, date(2027, 2, 2), PIHAK, "bappeda", WHEN)
    with pytest.raises(SudahDitandatangani):
        signed.ubah(list(signed.pasangan), None)


def test_the_hash_is_of_the_content_the_same_text_the_same_hash():
    one = draft().tandatangani(1, date(2027, 2, 1), PIHAK, "bappeda", WHEN)
    again = draft().tandatangani(1, date(2027, 2, 1), PIHAK, "bappeda", datetime(2027, 3, 1, tzinfo=timezone.utc))
    other = draft().tandatangani(1, date(2027, 2, 1), [{"nama": "Budi", "jabatan": "Sekda"}], "bappeda", WHEN)
    assert one.hash == again.hash != other.hash
