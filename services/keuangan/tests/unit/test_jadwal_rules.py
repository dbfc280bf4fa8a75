"""The budget's schedule windows: a stage written only inside its window, extended, locked (reopened for a reason
until the budget is enacted); a year without a schedule is not under one."""
from datetime import datetime, timedelta, timezone

import pytest

from services.keuangan.jadwal import domain
from services.keuangan.jadwal.domain import APBD_P, PPAS, RAPBD, RKA, TERBUKA, TERKUNCI, DefinisiTahap, Tahapan

T0 = datetime(2026, 8, 1, tzinfo=timezone.utc)
DAY = timedelta(days=1)
TAHAPAN = Tahapan("v1", "uji", 2021, (DefinisiTahap(PPAS, "KUA-PPAS", 1), DefinisiTahap(RKA, "RKA", 2),
                                      DefinisiTahap(RAPBD, "RAPBD", 3), DefinisiTahap("apbd_p", "APBD-P", 4, True)))


def jadwal():
    j, errors = domain.susun_jadwal("j1", "32.73", 2027, TAHAPAN, [
        (PPAS, T0, T0 + 10 * DAY), (RKA, T0 + 10 * DAY, T0 + 20 * DAY), (RAPBD, T0 + 20 * DAY, T0 + 40 * DAY)])
    assert not errors
    return j


def test_a_year_without_a_schedule_is_open():
    assert domain.periksa_tahap(None, RKA, T0) == []


def test_a_stage_is_written_only_inside_its_window():
    j = jadwal()
    assert domain.periksa_tahap(j, RKA, T0 + 11 * DAY) == []
    before = domain.periksa_tahap(j, RKA, T0)
    after = domain.periksa_tahap(j, RKA, T0 + 20 * DAY)
    assert [e.field for e in before + after] == ["tahap", "tahap"]
    assert "rka" in before[0].message and "opens" in before[0].message
    assert "closed" in after[0].message


def test_a_stage_not_scheduled_is_not_written_once_the_year_has_a_schedule():
    errors = domain.periksa_tahap(jadwal(), "apbd_p", T0)
    assert errors and errors[0].field == "tahap" and "apbd_p" in errors[0].message


def test_every_stage_not_optional_is_scheduled_in_order_with_sound_windows():
    _, errors = domain.susun_jadwal("j", "32.73", 2027, TAHAPAN, [
        (PPAS, T0 + DAY, T0), (RKA, T0 - DAY, T0 + DAY), ("xx", T0, T0 + DAY)])
    fields = {e.field for e in errors}
    assert {"tahap.0.waktu_selesai", "tahap.2.kode_tahap", "tahap"} <= fields


def test_extending_a_window_reopens_writes():
    j = jadwal()
    now = T0 + 25 * DAY
    assert domain.periksa_tahap(j, RKA, now)
    longer, errors = domain.perpanjang(j, RKA, T0 + 30 * DAY, now)
    assert not errors and domain.periksa_tahap(longer, RKA, now) == [] and longer.version == j.version + 1
    _, shorter = domain.perpanjang(j, RKA, T0 + 15 * DAY, now)
    assert shorter[0].field == "waktu_selesai"


def test_a_locked_stage_is_written_no_more_and_cannot_be_extended_or_locked_again():
    j, errors = domain.kunci(jadwal(), RKA, "s1", "tapd")
    assert not errors and j.get(RKA).status == TERKUNCI and j.get(RKA).snapshot_id == "s1"
    assert "locked" in domain.periksa_tahap(j, RKA, T0 + 11 * DAY)[0].message
    assert domain.perpanjang(j, RKA, T0 + 90 * DAY, T0)[1][0].field == "tahap"
    assert domain.kunci(j, RKA, "s2")[1][0].field == "tahap"


def test_the_content_hash_is_of_the_content():
    a = domain.content_hash({"k": 1}, [{"jumlah": "1.50"}])
    assert a == domain.content_hash({"k": 1}, [{"jumlah": "1.50"}]) != domain.content_hash({"k": 1}, [{"jumlah": "2"}])


# -- reopening a locked stage (buka kembali) ------------------------------------------------------------------

def _reopen(j, kode=RKA, alasan="koreksi TAPD", selesai=T0 + 30 * DAY, now=T0 + 21 * DAY, apbd=None, perubahan=None):
    return domain.buka_kembali(j, kode, alasan, selesai, now, "tapd.bandung", apbd, perubahan)


def test_a_locked_stage_reopens_for_a_reason_recorded_and_its_lock_counted():
    locked, _ = domain.kunci(jadwal(), RKA, "s1", "tapd")
    assert locked.get(RKA).jumlah_kunci == 1
    j, errors = _reopen(locked)
    stage = j.get(RKA)
    assert not errors and stage.status == TERBUKA and stage.waktu_selesai == T0 + 30 * DAY
    assert stage.buka_kembali == ({"oleh": "tapd.bandung", "pada": (T0 + 21 * DAY).isoformat(),
                                   "alasan": "koreksi TAPD", "snapshot_id": "s1"},)
    assert domain.periksa_tahap(j, RKA, T0 + 21 * DAY) == []  # written again inside its window
    assert j.version == locked.version + 1
    again, _ = domain.kunci(j, RKA, "s2", "tapd")
    assert (again.get(RKA).snapshot_id, again.get(RKA).jumlah_kunci) == ("s2", 2)  # a new version of its snapshot


def test_an_enacted_budget_never_reopens_its_stages_but_the_apbd_p_until_it_is_enacted():
    j = jadwal()
    for kode in (PPAS, RKA, RAPBD):
        j, _ = domain.kunci(j, kode, f"s-{kode}", "tapd")
    _, errors = _reopen(j, RAPBD, apbd="ditetapkan")
    assert [e.field for e in errors] == ["tahap"] and "APBD-P" in errors[0].message
    assert _reopen(j, RAPBD, apbd="diajukan")[1] == []  # not enacted yet: TAPD may correct it
    with_p, _ = domain.susun_jadwal("j2", "32.73", 2027, TAHAPAN, [
        (PPAS, T0, T0 + 10 * DAY), (RKA, T0 + 10 * DAY, T0 + 20 * DAY), (RAPBD, T0 + 20 * DAY, T0 + 40 * DAY),
        (APBD_P, T0 + 200 * DAY, T0 + 250 * DAY)])
    with_p, _ = domain.kunci(with_p, APBD_P, "sp", "tapd")
    now = T0 + 220 * DAY
    assert _reopen(with_p, APBD_P, selesai=T0 + 260 * DAY, now=now, apbd="ditetapkan", perubahan="dibuka")[1] == []
    _, enacted = _reopen(with_p, APBD_P, selesai=T0 + 260 * DAY, now=now, apbd="ditetapkan", perubahan="ditetapkan")
    assert [e.field for e in enacted] == ["tahap"]


@pytest.mark.parametrize("kode, changes, field", [
    (RKA, {}, "tahap"),                                        # not locked: it is open
    ("apbd_p", {}, "kode_tahap"),                              # not scheduled
    (RKA, {"alasan": "  "}, "alasan"),
    (RKA, {"selesai": T0 + 20 * DAY}, "waktu_selesai"),        # not in the future
    (RKA, {"selesai": (T0 + 30 * DAY).replace(tzinfo=None)}, "waktu_selesai"),
])
def test_a_reopening_is_refused_naming_the_field(kode, changes, field):
    j = jadwal()
    if changes:
        j, _ = domain.kunci(j, RKA, "s1", "tapd")
    assert [e.field for e in _reopen(j, kode, **changes)[1]] == [field]


def test_a_stage_under_a_later_locked_one_does_not_reopen():
    j, _ = domain.kunci(jadwal(), RKA, "s1", "tapd")
    j, _ = domain.kunci(j, RAPBD, "s2", "tapd")
    errors = _reopen(j)[1]
    assert [e.field for e in errors] == ["tahap"] and "rapbd" in errors[0].message
