"""Versions of the codification and the validity of records across them. Pure, no database."""
from __future__ import annotations

from datetime import date

import pytest

from services.referensi.kodefikasi import domain as dv

V = [dv.Versi("permendagri-90-2019", "Permendagri 90/2019", date(2019, 12, 12), 1),
     dv.Versi("kepmendagri-050-3708-2020", "Kepmendagri 050-3708/2020", date(2020, 8, 28), 2),
     dv.Versi("kepmendagri-050-5889-2021", "Kepmendagri 050-5889/2021", date(2021, 10, 14), 3),
     dv.Versi("kepmendagri-900.1.15.5-1317-2023", "Kepmendagri 900.1.15.5-1317/2023", date(2023, 5, 29), 4)]
ORDER = dv.urutan(V)


@pytest.mark.parametrize("kode", ["permendagri-90-2019", "kepmendagri-050-5889-2021", "kepmendagri-900.1.15.5-1317-2023",
                                  "uji-1"])
def test_version_codes(kode):
    assert dv.periksa_kode_versi(kode) == kode


@pytest.mark.parametrize("kode", ["", "Permendagri-90-2019", "permendagri", "90-2019", "permendagri 90 2019",
                                  "permendagri-90-2019-", "a-" + "1" * 60, None, "kepmendagri--050"])
def test_malformed_version_codes_are_refused(kode):
    with pytest.raises(dv.VersiTidakSah):
        dv.periksa_kode_versi(kode)


# --- validity -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("valid_from, valid_until, pada, expected", [
    ("permendagri-90-2019", None, None, True),                       # current
    ("permendagri-90-2019", "kepmendagri-050-5889-2021", None, False),  # retired
    ("permendagri-90-2019", "kepmendagri-050-5889-2021", "permendagri-90-2019", True),
    ("permendagri-90-2019", "kepmendagri-050-5889-2021", "kepmendagri-050-3708-2020", True),
    ("permendagri-90-2019", "kepmendagri-050-5889-2021", "kepmendagri-050-5889-2021", False),  # ends where the next begins
    ("kepmendagri-050-5889-2021", None, "kepmendagri-050-3708-2020", False),  # not yet
    ("kepmendagri-050-5889-2021", None, "kepmendagri-050-5889-2021", True),
    ("kepmendagri-050-5889-2021", None, "kepmendagri-900.1.15.5-1317-2023", True),
])
def test_berlaku(valid_from, valid_until, pada, expected):
    assert dv.berlaku(valid_from, valid_until, pada, ORDER) is expected


def test_a_change_leaves_exactly_one_state_valid_in_every_version():
    # one record, changed in 2021 and again in 2023: three states
    states = [("permendagri-90-2019", "kepmendagri-050-5889-2021"), ("kepmendagri-050-5889-2021",
              "kepmendagri-900.1.15.5-1317-2023"), ("kepmendagri-900.1.15.5-1317-2023", None)]
    for v in V:
        assert sum(dv.berlaku(f, u, v.kode, ORDER) for f, u in states) == 1, v.kode
    assert sum(dv.berlaku(f, u, None, ORDER) for f, u in states) == 1


def test_rentang_lists_the_versions_a_valid_record_starts_and_ends_in():
    dari, sampai = dv.rentang(V, "kepmendagri-050-3708-2020")
    assert dari == ["permendagri-90-2019", "kepmendagri-050-3708-2020"]
    assert sampai == ["kepmendagri-050-5889-2021", "kepmendagri-900.1.15.5-1317-2023"]
    dari, sampai = dv.rentang(V, "kepmendagri-900.1.15.5-1317-2023")
    assert len(dari) == 4 and sampai == []


def test_rentang_of_an_unknown_version_names_the_known_ones():
    with pytest.raises(dv.VersiTidakSah, match="known: permendagri-90-2019"):
        dv.rentang(V, "permendagri-1-1999")


def test_terbaru():
    assert dv.terbaru(V).kode == "kepmendagri-900.1.15.5-1317-2023"
    assert dv.terbaru([]) is None


# --- registering a version -------------------------------------------------------------------------------

def test_a_new_version_comes_after_the_latest():
    v = dv.versi_baru(V, "kepmendagri-900-2026", "  Keputusan   baru ", date(2026, 1, 2))
    assert v == dv.Versi("kepmendagri-900-2026", "Keputusan baru", date(2026, 1, 2), 5)
    assert dv.versi_baru([], "uji-1", "Uji", date(2000, 1, 1)).urutan == 1


def test_a_version_on_the_same_day_as_the_latest_is_accepted():
    assert dv.versi_baru(V, "uji-2023", "Uji", date(2023, 5, 29)).urutan == 5


@pytest.mark.parametrize("kode, judul, tanggal, message", [
    ("kepmendagri-050-5889-2021", "x", date(2030, 1, 1), "exists already"),
    ("uji-2022", "x", date(2022, 1, 1), "before the latest"),
    ("uji-2030", None, date(2030, 1, 1), "title"),
    ("uji-2030", "  ", date(2030, 1, 1), "title"),
    ("uji-2030", "x", None, "date"),
    ("Uji 2030", "x", date(2030, 1, 1), "not a version code"),
])
def test_a_version_that_cannot_be_registered(kode, judul, tanggal, message):
    with pytest.raises(dv.VersiTidakSah, match=message):
        dv.versi_baru(V, kode, judul, tanggal)


def test_an_import_may_not_go_back_before_what_the_list_already_holds():
    dv.periksa_target_impor(V, "kepmendagri-050-5889-2021", None)
    dv.periksa_target_impor(V, "kepmendagri-050-5889-2021", "kepmendagri-050-5889-2021")
    dv.periksa_target_impor(V, "kepmendagri-900.1.15.5-1317-2023", "kepmendagri-050-5889-2021")
    with pytest.raises(dv.VersiTidakSah, match="later than permendagri-90-2019"):
        dv.periksa_target_impor(V, "permendagri-90-2019", "kepmendagri-050-5889-2021")
    with pytest.raises(dv.VersiTidakSah, match="no version"):
        dv.periksa_target_impor(V, "uji-9", None)
