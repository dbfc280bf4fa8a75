"""The schedule's rules, pure: the order of the stages, their windows, lock and reopen, the snapshot's hash
and totals."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.perencanaan.jadwal import domain
from services.perencanaan.jadwal.domain import DRAFT, TERBUKA, TERKUNCI
from services.perencanaan.tests.usecases.fakes import RKPD_86_2017

T0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
DAY = timedelta(days=1)
STAGES = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]


def windows(*kodes):
    return [(k, T0 + i * 10 * DAY, T0 + (i + 1) * 10 * DAY) for i, k in enumerate(kodes or STAGES)]


def jadwal():
    j, errors = domain.susun_jadwal("j1", "32.73", 2027, RKPD_86_2017, windows())
    assert errors == []
    return j


def ok(result):
    j, errors = result
    assert errors == [], errors
    return j


def refused(result, field):
    j, errors = result
    assert j is None and errors and errors[0].field == field, errors
    return errors[0].message


def test_every_stage_that_is_not_optional_must_be_scheduled_in_order():
    message = refused(domain.susun_jadwal("j", "32.73", 2027, RKPD_86_2017, windows(*STAGES[:-1])), "tahap")
    assert "penetapan" in message
    assert "perubahan" not in message  # optional
    refused(domain.susun_jadwal("j", "32.73", 2027, RKPD_86_2017, windows(*STAGES, "rapat")), "tahap.5.kode_tahap")
    backwards = windows()
    backwards[1] = ("rancangan", T0 - DAY, T0 + DAY)
    refused(domain.susun_jadwal("j", "32.73", 2027, RKPD_86_2017, backwards), "tahap.1.waktu_mulai")
    empty = windows()
    empty[2] = ("musrenbang", T0, T0)
    refused(domain.susun_jadwal("j", "32.73", 2027, RKPD_86_2017, empty), "tahap.2.waktu_selesai")


def test_the_decree_s_deadline_is_data():
    j = jadwal()
    assert j.get("penetapan").batas == date(2026, 6, 30)  # end of June of N-1
    assert j.get("rancangan").batas is None


def test_the_version_in_force_is_the_newest_valid_for_the_year():
    later = domain.Tahapan("kepmendagri-2030", "rkpd", "x", 2031, RKPD_86_2017.tahap[:2])
    assert domain.tahapan_berlaku([RKPD_86_2017, later], "rkpd", 2030) is RKPD_86_2017
    assert domain.tahapan_berlaku([RKPD_86_2017, later], "rkpd", 2031) is later
    assert domain.tahapan_berlaku([RKPD_86_2017], "rkpd", 2017) is None
    assert domain.tahapan_berlaku([RKPD_86_2017], "renja", 2027) is None


def test_stages_open_in_order_one_at_a_time_each_from_the_snapshot_before():
    j = jadwal()
    refused(domain.buka(j, "rancangan", T0), "kode_tahap")  # rancangan_awal is not locked
    j = ok(domain.buka(j, "rancangan_awal", T0))
    assert j.get("rancangan_awal").status == TERBUKA and j.version == 2
    assert "open" in refused(domain.buka(j, "rancangan_awal", T0), "kode_tahap")
    assert "rancangan_awal is open" in refused(domain.buka(j, "penetapan", T0), "kode_tahap")
    j = ok(domain.kunci(j, "rancangan_awal", "s1"))
    assert refused(domain.kunci(j, "rancangan_awal", "s2"), "kode_tahap").endswith("(snapshot s1)")
    j = ok(domain.buka(j, "rancangan", T0 + 10 * DAY))
    assert j.get("rancangan").dari_snapshot_id == "s1"


def test_a_window_that_has_ended_must_be_extended_before_it_opens():
    j = jadwal()
    refused(domain.buka(j, "rancangan_awal", T0 + 10 * DAY), "waktu_selesai")
    j = ok(domain.perpanjang(j, "rancangan_awal", T0 + 12 * DAY, T0 + 10 * DAY))
    assert ok(domain.buka(j, "rancangan_awal", T0 + 11 * DAY)).get("rancangan_awal").status == TERBUKA
    refused(domain.perpanjang(j, "rancangan_awal", T0 + 11 * DAY, T0), "waktu_selesai")  # shorter


def test_writes_only_while_a_stage_is_open_inside_its_window():
    assert domain.boleh_menulis(None, T0) == (None, [])  # a year without a schedule
    j = jadwal()
    assert "no stage is open" in domain.boleh_menulis(j, T0)[1][0].message
    j = ok(domain.buka(j, "rancangan_awal", T0 - DAY))
    assert "opens at" in domain.boleh_menulis(j, T0 - DAY)[1][0].message
    stage, errors = domain.boleh_menulis(j, T0)
    assert stage.kode == "rancangan_awal" and errors == []
    assert "closed at" in domain.boleh_menulis(j, T0 + 10 * DAY)[1][0].message  # the end is exclusive
    j = ok(domain.kunci(j, "rancangan_awal", "s1"))
    stage, errors = domain.boleh_menulis(j, T0 + DAY)
    assert stage is None and errors[0].field == "tahun" and "rancangan_awal is locked" in errors[0].message


def _through(j, *kodes):
    for i, kode in enumerate(kodes):
        j = ok(domain.buka(j, kode, T0 + i * 10 * DAY))
        j = ok(domain.kunci(j, kode, f"s-{kode}"))
    return j


def test_reopening_needs_a_reason_and_only_the_latest_locked_stage_before_the_next_begins():
    j = _through(jadwal(), "rancangan_awal", "rancangan")
    refused(domain.buka_kembali(j, "rancangan", "  ", T0 + 30 * DAY, T0), "alasan")
    refused(domain.buka_kembali(j, "rancangan_awal", "salah", T0 + 30 * DAY, T0), "kode_tahap")  # rancangan began
    refused(domain.buka_kembali(j, "musrenbang", "x", T0 + 30 * DAY, T0), "kode_tahap")  # not locked
    refused(domain.buka_kembali(j, "rancangan", "x", T0, T0), "waktu_selesai")
    again = ok(domain.buka_kembali(j, "rancangan", " koreksi pagu ", T0 + 30 * DAY, T0))
    stage = again.get("rancangan")
    assert (stage.status, stage.alasan_buka_kembali, stage.snapshot_id) == (TERBUKA, "koreksi pagu", "s-rancangan")
    locked = ok(domain.kunci(again, "rancangan", "s-rancangan-2")).get("rancangan")
    assert (locked.jumlah_kunci, locked.snapshot_id) == (2, "s-rancangan-2")


def test_the_enacted_stage_never_reopens_a_perubahan_starts_from_it():
    j = _through(jadwal(), *STAGES)
    assert "perubahan" in refused(domain.buka_kembali(j, "penetapan", "x", T0 + 90 * DAY, T0), "kode_tahap")
    refused(domain.buka(j, "perubahan", T0), "kode_tahap")  # not scheduled
    j = ok(domain.tambah_tahap(j, RKPD_86_2017, "perubahan", T0 + 60 * DAY, T0 + 70 * DAY))
    refused(domain.tambah_tahap(j, RKPD_86_2017, "perubahan", T0, T0 + DAY), "kode_tahap")
    j = ok(domain.buka(j, "perubahan", T0 + 60 * DAY))
    assert j.get("perubahan").dari_snapshot_id == "s-penetapan"


def test_a_perubahan_cannot_open_before_the_document_is_enacted():
    j = ok(domain.tambah_tahap(_through(jadwal(), "rancangan_awal"), RKPD_86_2017, "perubahan",
                               T0, T0 + 100 * DAY))
    assert "penetapan" in refused(domain.buka(j, "perubahan", T0), "kode_tahap")
    assert j.get("perubahan").status == DRAFT and j.get("rancangan_awal").status == TERKUNCI


ITEMS = [
    {"id": "b", "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0002",
     "pagu_indikatif": Decimal("0.10")},
    {"id": "a", "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
     "pagu_indikatif": Decimal("0.20")},
    {"id": "c", "kode_skpd": "1.02.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.02.02.2.01.0001",
     "pagu_indikatif": Decimal("1000000000000.05")},
]


def test_totals_per_skpd_program_kegiatan_and_sub_kegiatan_are_exact():
    r = domain.ringkasan(ITEMS)
    assert r["total"] == {"pagu_indikatif": Decimal("1000000000000.35")}
    assert r["jumlah_sub_kegiatan"] == 3
    assert r["skpd"][0] == {"kode_skpd": "1.01.0.00.0.00.01.0000", "pagu_indikatif": Decimal("0.30")}
    assert r["program"][0]["kode_program"] == "1.01.02" and r["program"][0]["pagu_indikatif"] == Decimal("0.30")
    assert r["kegiatan"][1] == {"kode_skpd": "1.02.0.00.0.00.01.0000", "kode_kegiatan": "1.02.02.2.01",
                                "pagu_indikatif": Decimal("1000000000000.05")}
    assert [s["kode_sub_kegiatan"] for s in r["sub_kegiatan"]] == ["1.01.02.2.01.0001", "1.01.02.2.01.0002",
                                                                    "1.02.02.2.01.0001"]


def test_a_perubahan_keeps_the_murni_figures_beside_the_revised_ones():
    murni = ITEMS
    revised = [{**ITEMS[1], "pagu_indikatif": Decimal("0.50")}, ITEMS[2],
               {"id": "d", "kode_skpd": "1.02.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.02.02.2.01.0002",
                "pagu_indikatif": Decimal("7")}]
    items = domain.dengan_murni(revised, murni)
    by_id = {i["id"]: i for i in items}
    assert (by_id["a"]["pagu_indikatif_murni"], by_id["a"]["pagu_indikatif"]) == (Decimal("0.20"), Decimal("0.50"))
    assert by_id["d"]["pagu_indikatif_murni"] == 0
    assert by_id["b"]["dihapus"] and by_id["b"]["pagu_indikatif"] == 0 and by_id["b"]["pagu_indikatif_murni"] == Decimal("0.10")
    r = domain.ringkasan(items)
    assert r["total"] == {"pagu_indikatif": Decimal("1000000000007.55"),
                          "pagu_indikatif_murni": Decimal("1000000000000.35")}
    assert r["jumlah_sub_kegiatan"] == 3  # the deleted one is shown, not counted


def test_the_hash_is_of_the_canonical_content_and_changes_with_it():
    header = domain.snapshot_header("32.73", "rkpd", 2027, "rancangan", 1, None, None)
    stored = domain.as_json(domain.urutkan(ITEMS))
    assert [i["id"] for i in stored] == ["a", "b", "c"] and stored[0]["pagu_indikatif"] == "0.20"
    h = domain.content_hash(header, stored)
    assert len(h) == 64 and h == domain.content_hash(dict(reversed(header.items())), domain.as_json(domain.urutkan(ITEMS)))
    assert h != domain.content_hash(header, domain.as_json([{**stored[0], "pagu_indikatif": "0.21"}, *stored[1:]]))
    assert h != domain.content_hash({**header, "kunci_ke": 2}, stored)


def test_which_stages_require_an_items_sasaran_is_the_decree_s_data_copied_onto_the_schedule():
    j = jadwal()
    assert {t.kode: t.wajib_sasaran for t in j.tahap} == {
        "rancangan_awal": False, "rancangan": False, "musrenbang": False, "rancangan_akhir": True, "penetapan": True}
    later = ok(domain.tambah_tahap(j, RKPD_86_2017, "perubahan", T0 + 60 * DAY, T0 + 70 * DAY))
    assert later.get("perubahan").wajib_sasaran is True
