"""The RKPD's consistency rules on their own: items no sasaran of their SKPD's Renstra plans, SKPD over their
ceiling. Pure: the plan, the ceilings and the Renstra arrive as values (the proposals' findings come from the
usulan sub-domain: tests/usecases/test_usulan.py)."""
from __future__ import annotations

from decimal import Decimal

from contracts.perencanaan import IsiRenstra, JenisTemuanRkpd
from services.perencanaan.konsistensi.domain import jumlah_rkpd, periksa_rkpd
from services.perencanaan.renstra.domain import Renstra
from services.perencanaan.rkpd.domain import SubKegiatanRkpd

PDK, KES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"
USB, RUANG_KELAS, PUSKESMAS = "1.01.02.2.01.0001", "1.01.02.2.01.0002", "1.02.02.2.01.0001"


def _item(id: str, kode_skpd: str, kode_sub: str, pagu: str) -> SubKegiatanRkpd:
    return SubKegiatanRkpd(id=id, kode_pemda="32.73", tahun=2027, kode_skpd=kode_skpd, kode_sub_kegiatan=kode_sub,
                           nama_sub_kegiatan="n", kode_bidang_urusan=kode_sub[:4], nama_bidang_urusan="b",
                           indikator="i", target=Decimal(1), satuan="Unit", pagu_indikatif=Decimal(pagu))


RENSTRA_PDK = Renstra("r1", "32.73", PDK, "rpjmd-1", 2026, 2030, IsiRenstra.model_validate({"tujuan": [{
    "kode": "T1", "uraian": "t", "sasaran": [{"kode": "S1", "uraian": "s", "sasaran_rpjmd": "1.1.1", "program": [{
        "kode_program": "1.01.02", "kegiatan": [{"kode_kegiatan": "1.01.02.2.01", "sub_kegiatan": [
            {"kode_sub_kegiatan": USB}]}]}]}]}]}))


def test_the_rkpd_s_findings_in_a_stable_order():
    items = [_item("a", PDK, USB, "600.00"), _item("b", PDK, RUANG_KELAS, "400.01"), _item("c", KES, PUSKESMAS, "5")]
    found = periksa_rkpd(2027, items, {PDK: RENSTRA_PDK, KES: None}, {PDK: Decimal("1000.00"), KES: Decimal("5")})
    assert [(t.jenis, t.kode_skpd, t.rkpd_id) for t in found] == [
        (JenisTemuanRkpd.TANPA_SASARAN, PDK, "b"),        # its Renstra does not plan it
        (JenisTemuanRkpd.TANPA_SASARAN, KES, "c"),        # no Renstra covering the year
        (JenisTemuanRkpd.MELEBIHI_PAGU_SKPD, PDK, None),  # 1000.01 > 1000.00, exactly
    ]
    assert "no Renstra covering 2027" in found[1].pesan and "1000.01" in found[2].pesan
    assert jumlah_rkpd(found) == {JenisTemuanRkpd.TANPA_SASARAN: 2, JenisTemuanRkpd.TARGET_BERBEDA: 0,
                                  JenisTemuanRkpd.MELEBIHI_PAGU_SKPD: 1, JenisTemuanRkpd.USULAN_TIDAK_TERTAUT: 0}


def test_a_consistent_rkpd_has_no_findings_and_lists_every_kind_at_zero():
    found = periksa_rkpd(2027, [_item("a", PDK, USB, "1000.00")], {PDK: RENSTRA_PDK}, {PDK: Decimal("1000.00")})
    assert found == [] and set(jumlah_rkpd(found).values()) == {0} and len(jumlah_rkpd(found)) == 4


def test_the_sasaran_an_item_records_is_used_instead_of_inferring_it():
    import dataclasses

    # RUANG_KELAS is planned under no sasaran of the Renstra: inferred, it serves none; linked to S1, it serves S1
    linked = dataclasses.replace(_item("b", PDK, RUANG_KELAS, "1"), kode_sasaran_renstra="S1")
    assert periksa_rkpd(2027, [linked], {PDK: RENSTRA_PDK}, {}) == []
    # a link to a sasaran the Renstra does not hold is listed, naming it, even where the sub kegiatan is planned
    elsewhere = dataclasses.replace(_item("a", PDK, USB, "1"), kode_sasaran_renstra="S9")
    [finding] = periksa_rkpd(2027, [elsewhere], {PDK: RENSTRA_PDK}, {})
    assert (finding.jenis, finding.rkpd_id, finding.renstra_id) == (JenisTemuanRkpd.TANPA_SASARAN, "a", "r1")
    assert "names sasaran S9" in finding.pesan
