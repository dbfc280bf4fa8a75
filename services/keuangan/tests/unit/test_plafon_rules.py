"""The ceiling (plafon) of an RKPD item: kept from the plan, filled by the lines under it. Pure, no database."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.keuangan.plafon.domain import (
    MELEBIHI_PLAFON,
    SESUAI,
    TANPA_RENCANA,
    Ditolak,
    Pelanggaran,
    Plafon,
)
from services.keuangan.rincian.domain import jumlah

KODE = dict(kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001", kode_bidang_urusan="1.01")


def plafon(pagu="1000000.00", total="0", **over) -> Plafon:
    values = dict(rkpd_id="6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", kode_pemda="32.73", tahun=2026, **KODE,
                  pagu=Decimal(pagu), total_rincian=Decimal(total), source_version=1, version=1)
    values.update(over)
    return Plafon(**values)


# --- status and sisa -----------------------------------------------------------------------------

@pytest.mark.parametrize("pagu, total, status", [
    ("1000000.00", "0", SESUAI),
    ("1000000.00", "999999.99", SESUAI),
    ("1000000.00", "1000000.00", SESUAI),        # exactly at the ceiling
    ("1000000.00", "1000000.01", MELEBIHI_PLAFON),  # one sen above
    ("0", "0", SESUAI),
    ("0", "0.01", MELEBIHI_PLAFON),
])
def test_status(pagu, total, status):
    assert plafon(pagu, total).status == status


def test_the_status_values_are_the_published_ones():
    assert (SESUAI, MELEBIHI_PLAFON, TANPA_RENCANA) == ("sesuai", "melebihi_plafon", "tanpa_rencana")


@pytest.mark.parametrize("total", ["0", "1000000.00", "5000000.00"])
def test_a_deleted_plan_item_is_tanpa_rencana_whatever_its_lines(total):
    assert plafon(total=total, rencana_dihapus=True).status == TANPA_RENCANA


def test_sisa_is_exact_and_negative_when_over():
    assert plafon("1000000.00", "999999.99").sisa == Decimal("0.01")
    assert plafon("1000000.00", "1000000.00").sisa == 0
    assert plafon("1000000.00", "1250000.50").sisa == Decimal("-250000.50")


# --- terapkan_rencana / terapkan_hapus: versions order the plan's changes ------------------------

def test_a_fresh_plafon_takes_the_first_plan_version():
    p = Plafon(rkpd_id="r", kode_pemda="32.73", tahun=2026, kode_skpd="", kode_sub_kegiatan="", kode_bidang_urusan="")
    assert (p.pagu, p.source_version, p.version) == (0, 0, 0)
    assert p.terapkan_rencana(1, Decimal("3500000000.00"), **KODE) is True
    assert (p.pagu, p.source_version, p.version) == (Decimal("3500000000.00"), 1, 1)
    assert (p.kode_skpd, p.kode_sub_kegiatan, p.kode_bidang_urusan) == (
        KODE["kode_skpd"], KODE["kode_sub_kegiatan"], KODE["kode_bidang_urusan"])


def test_a_newer_version_is_applied():
    p = plafon()
    assert p.terapkan_rencana(2, Decimal("750000.00")) is True
    assert (p.pagu, p.source_version, p.version) == (Decimal("750000.00"), 2, 2)


def test_a_version_jumping_implausibly_far_ahead_is_refused_and_changes_nothing():
    from sipd_common.events import MAX_VERSION_STEP, ImplausibleVersion

    p = plafon()
    held = (p.pagu, p.source_version, p.version)
    for forged in (2**31 - 1, p.source_version + MAX_VERSION_STEP + 1):
        with pytest.raises(ImplausibleVersion):
            p.terapkan_rencana(forged, Decimal("1"))
        with pytest.raises(ImplausibleVersion):
            p.terapkan_hapus(forged)
    assert (p.pagu, p.source_version, p.version) == held
    assert p.terapkan_rencana(p.source_version + MAX_VERSION_STEP, Decimal("2")) is True  # a long gap, believed


@pytest.mark.parametrize("stale", [1, 0, -1])
def test_an_equal_or_older_version_is_ignored_and_changes_nothing(stale):
    p = plafon()
    before = (p.pagu, p.source_version, p.version, p.kode_skpd)
    assert p.terapkan_rencana(stale, Decimal("1.00"), kode_skpd="9.99.0.00.0.00.01.0000") is False
    assert (p.pagu, p.source_version, p.version, p.kode_skpd) == before


def test_out_of_order_versions_end_at_the_newest():
    p = plafon()
    assert p.terapkan_rencana(4, Decimal("400.00")) is True   # 4 arrives first (2 and 3 still in flight)
    assert p.terapkan_rencana(2, Decimal("200.00")) is False
    assert p.terapkan_rencana(3, Decimal("300.00")) is False
    assert p.terapkan_rencana(4, Decimal("400.00")) is False  # redelivered
    assert (p.pagu, p.source_version, p.version) == (Decimal("400.00"), 4, 2)
    assert p.terapkan_rencana(5, Decimal("500.00")) is True
    assert (p.pagu, p.source_version, p.version) == (Decimal("500.00"), 5, 3)


def test_a_newer_plan_may_lower_the_ceiling_below_the_lines():
    p = plafon("1000000.00", "900000.00")
    p.terapkan_rencana(2, Decimal("800000.00"))
    assert p.status == MELEBIHI_PLAFON
    assert p.sisa == Decimal("-100000.00")
    p.terapkan_rencana(3, Decimal("900000.00"))
    assert p.status == SESUAI


def test_hapus_flags_the_ceiling_and_keeps_its_lines():
    p = plafon("1000000.00", "400000.00")
    assert p.terapkan_hapus(2) is True
    assert p.rencana_dihapus is True
    assert p.status == TANPA_RENCANA
    assert (p.total_rincian, p.pagu, p.source_version, p.version) == (Decimal("400000.00"), Decimal("1000000.00"), 2, 2)


@pytest.mark.parametrize("stale", [1, 0])
def test_a_stale_hapus_is_ignored(stale):
    p = plafon()
    p.terapkan_rencana(3, Decimal("5.00"))
    assert p.terapkan_hapus(stale) is False
    assert p.terapkan_hapus(3) is False
    assert p.rencana_dihapus is False and p.status == SESUAI and p.version == 2


def test_a_save_older_than_the_delete_does_not_resurrect_the_ceiling():
    p = plafon()
    p.terapkan_hapus(3)
    assert p.terapkan_rencana(2, Decimal("1.00")) is False
    assert p.status == TANPA_RENCANA and p.pagu == Decimal("1000000.00")


# --- tambah_rincian: the one rule that refuses a line above its ceiling -----------------------------

def refused(p: Plafon, amount: str) -> list[Pelanggaran]:
    """What ``tambah_rincian`` refuses a line of ``amount`` for; the ceiling must be left as it was."""
    before = (p.total_rincian, p.version)
    with pytest.raises(Ditolak) as raised:
        p.tambah_rincian(Decimal(amount))
    assert (p.total_rincian, p.version) == before
    return raised.value.pelanggaran


def test_a_line_that_fills_the_ceiling_exactly_is_allowed():
    p = plafon("1000000.00", "400000.00")
    p.tambah_rincian(Decimal("600000.00"))
    assert p.total_rincian == p.pagu and p.sisa == 0


def test_a_line_one_sen_above_the_ceiling_is_refused_naming_the_price():
    p = plafon("1000000.00", "400000.00")
    errors = refused(p, "600000.01")
    assert [e.field for e in errors] == ["harga_satuan"]
    assert "1000000.01" in errors[0].message       # the total it would reach
    assert "600000.00" in errors[0].message         # the room left


def test_a_line_a_millionth_of_a_rupiah_above_the_ceiling_is_refused():
    # a computed amount may carry 6 decimals: the comparison is exact, not at sen precision
    assert refused(plafon("1000000.00", "0"), "1000000.000001") != []


def test_the_room_left_is_never_reported_negative():
    p = plafon("1000000.00", "1200000.00")
    errors = refused(p, "1.00")
    assert "room left: 0)" in errors[0].message
    assert "-" not in errors[0].message


def test_when_already_over_even_a_zero_line_is_refused():
    assert refused(plafon("100.00", "100.01"), "0") != []


def test_a_zero_line_at_the_ceiling_is_allowed():
    p = plafon("100.00", "100.00")
    p.tambah_rincian(Decimal("0"))
    assert (p.total_rincian, p.version) == (Decimal("100.00"), 2)


def test_no_line_under_a_deleted_plan_item_even_within_the_ceiling():
    p = plafon("1000000.00", "0", rencana_dihapus=True)
    errors = refused(p, "1.00")
    assert errors == [Pelanggaran("rkpd_id", f"RKPD item {p.rkpd_id} was deleted from the plan")]


def test_the_refusal_says_every_rule_broken_in_its_message():
    with pytest.raises(Ditolak) as raised:
        plafon("1.00", "0").tambah_rincian(Decimal("2.00"))
    assert str(raised.value) == raised.value.pelanggaran[0].message


def test_tambah_rincian_adds_exactly_and_bumps_the_version():
    p = plafon("0.03", "0")
    for _ in range(3):
        p.tambah_rincian(Decimal("0.01"))
    assert p.total_rincian == Decimal("0.03")
    assert p.version == 4
    assert p.status == SESUAI
    with pytest.raises(ValueError):
        p.tambah_rincian(Decimal("0.01"))


def test_a_refused_line_changes_nothing():
    p = plafon("1000000.00", "999999.99")
    with pytest.raises(ValueError, match="above the plafon"):
        p.tambah_rincian(Decimal("0.02"))
    assert (p.total_rincian, p.version) == (Decimal("999999.99"), 1)


def test_tambah_rincian_under_a_deleted_plan_item_raises():
    p = plafon(rencana_dihapus=True)
    with pytest.raises(ValueError, match="deleted"):
        p.tambah_rincian(Decimal("1.00"))
    assert p.total_rincian == 0


def test_the_largest_ceiling_is_filled_to_the_sen():
    p = plafon("999999999999999.99", "0")
    p.tambah_rincian(jumlah(Decimal("3"), Decimal("333333333333333.33")))
    assert p.total_rincian == Decimal("999999999999999.99")
    assert p.sisa == 0 and p.status == SESUAI
    assert refused(p, "0.01") != []


def test_a_deletion_seen_before_the_last_change_carries_that_change_s_pagu():
    from decimal import Decimal as D

    p = Plafon("id", "32.73", 2027, "skpd", "sub", "1.01")
    p.terapkan_rencana(1, D("100"))
    assert p.terapkan_hapus(3, D("300")) is True  # v3 (deletion, last pagu 300) before v2
    assert p.terapkan_rencana(2, D("300")) is False
    assert (p.pagu, p.status) == (D("300"), "tanpa_rencana")


def test_a_ceiling_is_flagged_once_per_retired_code_and_version():
    p = plafon()
    entry = {"kind": "nomenklatur", "kode": "1.01.02.2.01.0001", "versi": "v-2", "kode_pengganti": []}
    assert p.tandai_pemetaan(entry) is True
    assert p.perlu_pemetaan and p.pemetaan == [entry] and p.kode_sub_kegiatan == "1.01.02.2.01.0001"
    assert p.tandai_pemetaan(dict(entry)) is False
    assert p.tandai_pemetaan({**entry, "versi": "v-3"}) is True and len(p.pemetaan) == 2


def test_a_ceiling_the_plan_never_reached_is_not_there():
    assert not Plafon("r", "32.73", 2026, "", "", "").ada
    assert plafon().ada


# --- a plan item mapped to a current code (berita acara) ----------------------------------------

def test_a_mapped_plan_item_moves_its_ceiling_to_the_new_code_and_clears_the_flag_of_the_old_one():
    retired = {"kind": "nomenklatur", "kode": KODE["kode_sub_kegiatan"], "versi": "v2", "kode_pengganti": ["x"]}
    skpd_retired = {"kind": "skpd", "kode": KODE["kode_skpd"], "versi": "v2", "kode_pengganti": []}
    p = plafon(perlu_pemetaan=True, pemetaan=[retired, skpd_retired])
    assert p.terapkan_rencana(2, p.pagu, **{**KODE, "kode_sub_kegiatan": "1.01.02.2.01.0026"}) is True
    # the sub kegiatan was mapped, the SKPD not yet: only its flag stays
    assert (p.kode_sub_kegiatan, p.perlu_pemetaan, p.pemetaan) == ("1.01.02.2.01.0026", True, [skpd_retired])
    assert p.terapkan_rencana(3, p.pagu, **{**KODE, "kode_sub_kegiatan": "1.01.02.2.01.0026",
                                            "kode_skpd": "1.01.0.00.0.00.02.0000"}) is True
    assert (p.perlu_pemetaan, p.pemetaan) == (False, [])


def test_a_plan_change_keeping_the_retired_code_keeps_the_flag():
    retired = {"kind": "nomenklatur", "kode": KODE["kode_sub_kegiatan"], "versi": "v2", "kode_pengganti": []}
    p = plafon(perlu_pemetaan=True, pemetaan=[retired])
    assert p.terapkan_rencana(2, Decimal("5.00"), **KODE) is True
    assert (p.perlu_pemetaan, p.pemetaan) == (True, [retired])
