"""Code mapping on an in-memory unit of work: a berita acara drafted from the flagged items (the crosswalk's
replacement proposed), edited, signed (numbered without gaps, immutable), and the items taking their new
codes, published."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from contracts.perencanaan import RkpdSubKegiatanSaved
from services.perencanaan.pemetaan import usecases as pemetaan
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid

from .kodefikasi import DINAS_PENDIDIKAN, KOTA, PUSKESMAS, SUB_LAMA, USB, USB_BARU, USB_PROVINSI, V2, changed, nomenklatur
from .test_replika import BAPPEDA, TAHUN, apply, filled, item, plan

SIGN = {"tanggal": "2026-02-01", "pihak": [{"nama": "Ir. Siti", "jabatan": "Kepala Bappeda"}]}
NOW = datetime(2026, 2, 1, 9, tzinfo=timezone.utc)


def retire(uow, kode=USB, pengganti=(USB_BARU,), revisi=70):
    apply(uow, changed("nomenklatur", [nomenklatur(kode, "sub_kegiatan", "Pembangunan USB", revisi, retired=True,
                                                   pengganti=list(pengganti))]))


def flagged_world():
    uow = filled()
    id = plan(uow)
    retire(uow)
    assert item(uow, id).perlu_pemetaan
    return uow, id


def fields(exc) -> list[str]:
    return [e["field"] for e in exc.value.errors]


def test_the_draft_proposes_the_crosswalks_single_replacement_and_signing_maps_the_item():
    uow, id = flagged_world()
    before = item(uow, id)
    listed = pemetaan.list_perlu_pemetaan(uow, BAPPEDA, KOTA, TAHUN)
    assert listed["total"] == 1 and listed["items"][0].kode_sub_kegiatan_baru == USB_BARU
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    [pair] = draft.pasangan
    assert (pair.rkpd_id, pair.kode_sub_kegiatan, pair.kode_sub_kegiatan_baru, pair.kode_skpd_baru) == (
        id, USB, USB_BARU, DINAS_PENDIDIKAN)
    assert pair.usulan_sub_kegiatan == [USB_BARU] and pair.nama_sub_kegiatan_baru == "Penambahan Ruang Kelas Baru"
    assert draft.status == "draft" and draft.nomor is None and draft.hash is None
    uow.events.clear()

    signed = pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, draft.id, SIGN, now=NOW)
    assert (signed.status, signed.nomor, signed.nomor_surat, signed.tanggal) == (
        "ditandatangani", 1, f"001/BA-PEMETAAN/{KOTA}/{TAHUN}", date(2026, 2, 1))
    assert signed.ditandatangani_oleh == BAPPEDA.username and len(signed.hash) == 64
    assert signed.pihak[0].jabatan == "Kepala Bappeda"
    after = item(uow, id)
    assert (after.kode_sub_kegiatan, after.nama_sub_kegiatan, after.perlu_pemetaan, after.pemetaan) == (
        USB_BARU, "Penambahan Ruang Kelas Baru", False, [])
    assert after.version == before.version + 1 and after.pagu_indikatif == before.pagu_indikatif
    [event] = [e for e in uow.events if isinstance(e, RkpdSubKegiatanSaved)]
    assert (event.aggregate_id, event.aggregate_version, event.kode_sub_kegiatan) == (id, after.version, USB_BARU)
    assert pemetaan.list_perlu_pemetaan(uow, BAPPEDA, KOTA, TAHUN)["total"] == 0


def test_numbers_run_per_pemda_and_year_without_gaps():
    uow = filled()
    plan(uow)
    b = plan(uow, tahun=TAHUN + 1)
    plan(uow, USB_BARU, tahun=TAHUN + 1)  # the crosswalk's replacement, already planned by that SKPD in that year
    retire(uow)
    first = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    second = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN + 1})
    with pytest.raises(Invalid) as refused:
        pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, second.id, SIGN)
    assert fields(refused) == ["pasangan.0.kode_sub_kegiatan_baru"] and "already plans" in str(refused.value)
    assert pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, first.id, SIGN).nomor == 1
    # a refused signing gave no number away; each year counts on its own
    lain = "1.01.02.2.01.0077"
    apply(uow, changed("nomenklatur", [nomenklatur(lain, "sub_kegiatan", "Sub Lain", 90, valid_from=V2)]))
    pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, second.id,
                                 {"pasangan": [{"rkpd_id": b, "kode_sub_kegiatan_baru": lain}]})
    assert pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, second.id, SIGN).nomor_surat == f"001/BA-PEMETAAN/{KOTA}/{TAHUN + 1}"
    assert uow.pemetaan.nomor == {(KOTA, TAHUN): 1, (KOTA, TAHUN + 1): 1}


def test_signed_twice_or_edited_after_signing_is_409_naming_status_and_changes_nothing():
    uow, id = flagged_world()
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    signed = pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, draft.id, SIGN)
    with pytest.raises(Conflict) as twice:
        pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, draft.id, SIGN)
    assert fields(twice) == ["status"]
    with pytest.raises(Conflict) as edited:
        pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, draft.id, {"pasangan": [{"rkpd_id": id}]})
    assert fields(edited) == ["status"]
    assert pemetaan.get_berita_acara(uow, BAPPEDA, KOTA, draft.id) == signed
    assert uow.pemetaan.nomor == {(KOTA, TAHUN): 1}


@pytest.mark.parametrize("kode, why", [(PUSKESMAS, "does not serve bidang urusan 1.02"),
                                       (USB_PROVINSI, "is for provinsi government"),
                                       (SUB_LAMA, "was retired"),
                                       ("1.01.02.2.01.0999", "no such sub kegiatan")])
def test_a_replacement_the_skpd_or_the_pemdas_level_does_not_allow_is_refused_naming_the_pair(kode, why):
    uow, id = flagged_world()
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    with pytest.raises(Invalid) as refused:
        pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, draft.id,
                                     {"pasangan": [{"rkpd_id": id, "kode_sub_kegiatan_baru": kode}]})
    assert fields(refused) == ["pasangan.0.kode_sub_kegiatan_baru"] and why in refused.value.errors[0]["message"]
    assert pemetaan.get_berita_acara(uow, BAPPEDA, KOTA, draft.id) == draft  # nothing changed


def test_an_undecided_pair_cannot_be_signed():
    uow = filled()
    id = plan(uow)
    retire(uow, pengganti=(USB_BARU, "1.01.02.2.01.0003"))  # two replacements: Bappeda chooses
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    assert draft.pasangan[0].kode_sub_kegiatan_baru is None
    with pytest.raises(Invalid) as refused:
        pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, draft.id, SIGN)
    assert fields(refused) == ["pasangan.0.kode_sub_kegiatan_baru"]
    assert item(uow, id).perlu_pemetaan and not uow.pemetaan.nomor
    chosen = pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, draft.id,
                                          {"pasangan": [{"rkpd_id": id, "kode_sub_kegiatan_baru": USB_BARU}]})
    assert chosen.version == draft.version + 1
    pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, draft.id, SIGN)
    assert item(uow, id).kode_sub_kegiatan == USB_BARU


def test_pairs_must_be_flagged_items_of_the_year_listed_once():
    uow, id = flagged_world()
    other = plan(uow, PUSKESMAS, "1.02.0.00.0.00.01.0000")
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    with pytest.raises(Invalid) as refused:
        pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, draft.id,
                                     {"pasangan": [{"rkpd_id": id}, {"rkpd_id": id}, {"rkpd_id": other}]})
    assert fields(refused) == ["pasangan.1.rkpd_id", "pasangan.2.rkpd_id"]


def test_an_item_mapped_by_another_berita_acara_makes_a_stale_draft_409():
    uow, id = flagged_world()
    first = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    second = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, first.id, SIGN)
    with pytest.raises(Conflict) as stale:
        pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, second.id, SIGN)
    assert fields(stale) == ["pasangan.0.rkpd_id"]


def test_a_year_without_flagged_items_has_nothing_to_map():
    uow = filled()
    plan(uow)
    with pytest.raises(Invalid) as refused:
        pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    assert fields(refused) == ["tahun"]


def test_only_bappeda_of_the_pemda_or_the_pusat_administrator_maps():
    uow, _ = flagged_world()
    operator = Scope("u2", "operator.pendidikan", Role.SKPD_OPERATOR, KOTA, DINAS_PENDIDIKAN)
    other_bappeda = Scope("u3", "bappeda.lain", Role.BAPPEDA, "32.04")
    for caller in (operator, other_bappeda):
        with pytest.raises(Forbidden):
            pemetaan.create_berita_acara(uow, caller, KOTA, {"tahun": TAHUN})
    assert pemetaan.list_perlu_pemetaan(uow, operator, KOTA, TAHUN)["total"] == 1  # but reads its SKPD's


# -- codes exchanged within one SKPD (issue 12: a swap answered 500 from the database's unique index) ------------

def _flag(uow, id: str) -> None:
    """The item flagged as a retirement of its sub kegiatan (with no replacement) would flag it."""
    i = item(uow, id)
    uow.rkpd.items[id] = replace(i, perlu_pemetaan=True, pemetaan=[
        {"kind": "nomenklatur", "kode": i.kode_sub_kegiatan, "versi": V2, "kode_pengganti": []}])


@pytest.mark.parametrize("chain", [False, True], ids=["swap", "chain"])
def test_items_of_one_skpd_exchanging_their_codes_are_mapped_together(chain):
    """A→B while B→A (or A→B, B→C): every pair leads somewhere no other item holds once all are mapped, so the
    berita acara is signed and each item takes its new code (the unit of work saves them together)."""
    uow = filled()
    a, b = plan(uow, USB), plan(uow, USB_BARU)
    for id in (a, b):
        _flag(uow, id)
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    target_b = "1.01.02.2.01.0003" if chain else USB
    if chain:
        apply(uow, changed("nomenklatur", [nomenklatur(target_b, "sub_kegiatan", "Rehabilitasi Sekolah", 80)]))
    pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, draft.id, {"pasangan": [
        {"rkpd_id": a, "kode_sub_kegiatan_baru": USB_BARU}, {"rkpd_id": b, "kode_sub_kegiatan_baru": target_b}]})
    uow.events.clear()
    signed = pemetaan.sign_berita_acara(uow, BAPPEDA, KOTA, draft.id, SIGN, now=NOW)
    assert signed.status == "ditandatangani"
    assert [(item(uow, i).kode_sub_kegiatan, item(uow, i).perlu_pemetaan) for i in (a, b)] == [
        (USB_BARU, False), (target_b, False)]
    assert sorted(e.aggregate_id for e in uow.events if isinstance(e, RkpdSubKegiatanSaved)) == sorted([a, b])


def test_a_swap_onto_an_item_not_in_the_berita_acara_is_422_naming_the_pair():
    uow = filled()
    a, b = plan(uow, USB), plan(uow, USB_BARU)
    _flag(uow, a)                                    # b is not flagged: it keeps its code
    draft = pemetaan.create_berita_acara(uow, BAPPEDA, KOTA, {"tahun": TAHUN})
    with pytest.raises(Invalid) as refused:
        pemetaan.update_berita_acara(uow, BAPPEDA, KOTA, draft.id, {"pasangan": [
            {"rkpd_id": a, "kode_sub_kegiatan_baru": USB_BARU}]})
    assert fields(refused) == ["pasangan.0.kode_sub_kegiatan_baru"]
    assert item(uow, b).kode_sub_kegiatan == USB_BARU and item(uow, a).kode_sub_kegiatan == USB
