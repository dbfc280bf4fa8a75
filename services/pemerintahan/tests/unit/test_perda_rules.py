"""The regulations' paths: which step follows which, who takes it, what an attachment must be."""
from __future__ import annotations

from datetime import date

import pytest

from sipd_common.access import Role, Scope
from services.pemerintahan.perda.domain import (
    Ditolak, Jenis, Pelaku, Perda, Status, alur, pelaku_atas, periksa_lampiran,
)

KOTA = Scope("u1", "hukum.bandung", Role.PEMDA_ADMIN, "32.73")
JABAR = Scope("u2", "jabar", Role.PROVINSI_ADMIN, "32")
DKI = Scope("u3", "dki", Role.PROVINSI_ADMIN, "31")
PUSAT = Scope("u4", "kemendagri", Role.PUSAT_ADMIN)


def path(jenis, kategori="umum"):
    return [str(s.ke) for s in alur(Jenis(jenis), kategori)]


def test_a_perda_is_facilitated_before_approval_and_evaluated_after_it_only_when_the_law_says():
    assert path("perda") == ["pembahasan_dprd", "fasilitasi", "persetujuan_bersama", "noreg", "ditetapkan",
                             "diundangkan"]
    assert path("perda", "apbd") == ["pembahasan_dprd", "fasilitasi", "persetujuan_bersama", "evaluasi", "noreg",
                                     "ditetapkan", "diundangkan"]


def test_a_perkada_has_no_noreg_and_no_dprd():
    assert path("perkada") == ["harmonisasi", "ditetapkan", "diundangkan"]


def test_the_level_above_a_regency_is_its_province_and_above_a_province_the_ministry():
    assert pelaku_atas("32.73") == (Role.PROVINSI_ADMIN, "32")
    assert pelaku_atas("32") == (Role.PUSAT_ADMIN, None)
    assert [s.pelaku for s in alur(Jenis.PERDA, "pajak") if s.ke in (Status.FASILITASI, Status.EVALUASI,
                                                                        Status.NOREG)] == [Pelaku.ATASAN] * 3


def draft(kode_pemda="32.73", jenis="perda") -> Perda:
    return Perda(id="p", kode_pemda=kode_pemda, tahun=2027, jenis=Jenis(jenis), kategori="umum", judul="x")


def test_a_step_out_of_order_is_refused_naming_tahap():
    with pytest.raises(Ditolak) as refused:
        draft().lanjut(Status.PERSETUJUAN_BERSAMA, KOTA, "t")
    assert (refused.value.field, refused.value.konflik) == ("tahap", True)


@pytest.mark.parametrize("kode_pemda, caller, allowed", [
    ("32.73", JABAR, True), ("32.73", DKI, False), ("32.73", PUSAT, False), ("32.73", KOTA, False),
    ("32", PUSAT, True), ("32", JABAR, False),
])
def test_facilitation_is_the_level_above_s(kode_pemda, caller, allowed):
    own = Scope("u", "hukum", Role.PROVINSI_ADMIN if kode_pemda == "32" else Role.PEMDA_ADMIN, kode_pemda)
    discussed = draft(kode_pemda).lanjut(Status.PEMBAHASAN_DPRD, own, "t")
    if allowed:
        assert discussed.lanjut(Status.FASILITASI, caller, "t").status is Status.FASILITASI
    else:
        with pytest.raises(Ditolak) as refused:
            discussed.lanjut(Status.FASILITASI, caller, "t")
        assert (refused.value.field, refused.value.terlarang) == ("tahap", True)


def test_a_province_does_not_take_its_regency_s_own_steps():
    with pytest.raises(Ditolak):
        draft().lanjut(Status.PEMBAHASAN_DPRD, JABAR, "t")


def test_enactment_records_number_and_date_and_promulgation_not_before_it():
    item = draft(jenis="perkada").lanjut(Status.HARMONISASI, KOTA, "t")
    with pytest.raises(Ditolak) as refused:
        item.lanjut(Status.DITETAPKAN, KOTA, "t")
    assert refused.value.field == "nomor"
    item = item.lanjut(Status.DITETAPKAN, KOTA, "t", nomor="Perwal 1/2027", tanggal=date(2027, 3, 1))
    assert item.publik and item.tanggal_penetapan == date(2027, 3, 1)
    with pytest.raises(Ditolak) as refused:
        item.lanjut(Status.DIUNDANGKAN, KOTA, "t", nomor="BD 1", tanggal=date(2027, 2, 1))
    assert refused.value.field == "tanggal"
    done = item.lanjut(Status.DIUNDANGKAN, KOTA, "t", nomor="BD 1", tanggal=date(2027, 3, 2))
    assert done.berikut is None and len(done.riwayat) == 3 and done.version == 4


def test_an_attachment_is_a_pdf_within_the_limit():
    assert len(periksa_lampiran(b"%PDF-1.7 ...", 100)) == 64
    for isi, batas in ((b"PK\x03\x04 not a pdf", 100), (b"%PDF-" + b"x" * 200, 100)):
        with pytest.raises(Ditolak) as refused:
            periksa_lampiran(isi, batas)
        assert refused.value.field == "file"
