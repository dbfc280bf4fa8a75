"""The governance summary per bidang urusan, from the plan's and the budget's rows. Pure, no database."""
from __future__ import annotations

from collections import namedtuple
from decimal import Decimal
from types import SimpleNamespace

from services.pemerintahan.ringkasan.domain import BarisRingkasan, ringkas

Rencana = namedtuple("Rencana", "rkpd_id kode_bidang_urusan nama_bidang_urusan pagu dihapus")


def rencana(rkpd_id, bidang, pagu, dihapus=False, nama="auto"):
    nama = {"1.01": "PENDIDIKAN", "1.02": "KESEHATAN", "1.03": "PEKERJAAN UMUM", "5.02": "KEUANGAN"}.get(bidang) \
        if nama == "auto" else nama
    return Rencana(rkpd_id, bidang, nama, Decimal(pagu), dihapus)


def anggaran(rkpd_id, bidang, total, status="sesuai", sub="1.01.02.2.01.0001"):
    # SimpleNamespace on purpose: ringkas only needs attributes
    return SimpleNamespace(rkpd_id=rkpd_id, kode_bidang_urusan=bidang, kode_sub_kegiatan=sub,
                           total_rincian=Decimal(total), status=status)


def by_kode(rows):
    return {r.kode_bidang_urusan: r for r in rows}


def test_nothing_reported_gives_an_empty_summary():
    assert ringkas([], []) == []


def test_one_row_per_bidang_urusan_with_counts_and_exact_sums():
    rows = ringkas(
        [rencana("a", "1.01", "3500000000.00"), rencana("b", "1.01", "0.01"), rencana("c", "1.02", "750000000.00")],
        [anggaran("a", "1.01", "1750000000.00"), anggaran("b", "1.01", "0.01"), anggaran("c", "1.02", "1.10")],
    )
    assert [r.kode_bidang_urusan for r in rows] == ["1.01", "1.02"]
    pendidikan, kesehatan = rows
    assert pendidikan == BarisRingkasan("1.01", "PENDIDIKAN", 2, Decimal("3500000000.01"), Decimal("1750000000.01"), 0, [])
    assert kesehatan == BarisRingkasan("1.02", "KESEHATAN", 1, Decimal("750000000.00"), Decimal("1.10"), 0, [])


def test_sums_are_exact_over_many_sen():
    rows = ringkas([rencana(str(i), "1.01", "0.10") for i in range(10)],
                   [anggaran(str(i), "1.01", "0.10") for i in range(10)])
    assert rows[0].total_pagu_indikatif == Decimal("1.00")
    assert rows[0].total_anggaran == Decimal("1.00")
    assert rows[0].jumlah_sub_kegiatan == 10


def test_a_deleted_plan_item_is_not_counted_but_its_budget_still_is():
    rows = ringkas(
        [rencana("a", "1.01", "1000.00"), rencana("gone", "1.01", "5000.00", dihapus=True)],
        [anggaran("a", "1.01", "900.00"), anggaran("gone", "1.01", "4000.00", status="tanpa_rencana")],
    )
    (row,) = rows
    assert row.jumlah_sub_kegiatan == 1
    assert row.total_pagu_indikatif == Decimal("1000.00")
    assert row.total_anggaran == Decimal("4900.00")
    assert row.jumlah_bermasalah == 1
    assert row.bermasalah == [{"rkpd_id": "gone", "kode_sub_kegiatan": "1.01.02.2.01.0001", "status": "tanpa_rencana"}]


def test_a_bidang_with_only_deleted_items_still_appears_with_its_name():
    (row,) = ringkas([rencana("gone", "1.03", "5.00", dihapus=True)], [])
    assert (row.kode_bidang_urusan, row.nama_bidang_urusan) == ("1.03", "PEKERJAAN UMUM")
    assert (row.jumlah_sub_kegiatan, row.total_pagu_indikatif, row.total_anggaran) == (0, 0, 0)


def test_flagged_budget_items_are_listed_in_order_with_their_status():
    rows = ringkas([], [
        anggaran("a", "1.01", "10.00", "melebihi_plafon", "1.01.02.2.01.0001"),
        anggaran("b", "1.01", "20.00", "sesuai", "1.01.02.2.01.0002"),
        anggaran("c", "1.01", "30.00", "tanpa_rencana", "1.01.02.2.02.0001"),
    ])
    (row,) = rows
    assert row.jumlah_bermasalah == 2 == len(row.bermasalah)
    assert row.bermasalah == [
        {"rkpd_id": "a", "kode_sub_kegiatan": "1.01.02.2.01.0001", "status": "melebihi_plafon"},
        {"rkpd_id": "c", "kode_sub_kegiatan": "1.01.02.2.02.0001", "status": "tanpa_rencana"},
    ]
    assert row.total_anggaran == Decimal("60.00")  # flagged lines are still budget


def test_a_bidang_known_only_from_the_budget_has_no_name_and_no_plan():
    (row,) = ringkas([], [anggaran("x", "5.02", "1.00")])
    assert row.nama_bidang_urusan is None
    assert (row.jumlah_sub_kegiatan, row.total_pagu_indikatif, row.total_anggaran) == (0, 0, Decimal("1.00"))


def test_the_first_non_empty_name_wins():
    (row,) = ringkas([rencana("a", "1.01", "1", nama=None), rencana("b", "1.01", "1", nama=""),
                      rencana("c", "1.01", "1", nama="PENDIDIKAN"), rencana("d", "1.01", "1", nama="LAIN")], [])
    assert row.nama_bidang_urusan == "PENDIDIKAN"


def test_output_is_sorted_by_code_whatever_the_input_order():
    rows = ringkas(
        [rencana("a", "5.02", "1"), rencana("b", "1.02", "1")],
        [anggaran("c", "1.03", "1"), anggaran("d", "1.01", "1"), anggaran("e", "5.02", "1")],
    )
    assert [r.kode_bidang_urusan for r in rows] == ["1.01", "1.02", "1.03", "5.02"]


def test_rows_do_not_share_their_flag_lists():
    rows = ringkas([], [anggaran("a", "1.01", "1", "melebihi_plafon"), anggaran("b", "1.02", "1")])
    assert by_kode(rows)["1.02"].bermasalah == []
    assert BarisRingkasan("x").bermasalah is not BarisRingkasan("y").bermasalah


def test_the_input_rows_are_not_modified():
    plan = [rencana("a", "1.01", "1.00")]
    budget = [anggaran("a", "1.01", "2.00", "melebihi_plafon")]
    ringkas(plan, budget)
    assert plan == [rencana("a", "1.01", "1.00")]
    assert budget[0].total_rincian == Decimal("2.00") and budget[0].status == "melebihi_plafon"
