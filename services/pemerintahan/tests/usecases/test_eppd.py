"""EPPD rounds on an in-memory unit of work: who scores whom, when scores stop changing, who sees what."""
from __future__ import annotations

from decimal import Decimal

import pytest

from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound
from services.pemerintahan.eppd import usecases

from .fakes import FakePemerintahanUnitOfWork

PUSAT = Scope("1", "kemendagri", Role.PUSAT_ADMIN)
JABAR = Scope("2", "jabar", Role.PROVINSI_ADMIN, "32")
DKI = Scope("3", "dki", Role.PROVINSI_ADMIN, "31")
KOTA = Scope("4", "bappeda.bandung", Role.BAPPEDA, "32.73")


def scored(uow, caller, kode, a, b="0"):
    return usecases.score_pemda(uow, caller, 2026, kode, {"nilai": [{"kode_indikator": "A", "skor": a},
                                                                    {"kode_indikator": "B", "skor": b}]})


@pytest.fixture
def uow():
    uow = FakePemerintahanUnitOfWork()
    usecases.open_ronde(uow, PUSAT, 2026, {})
    return uow


def test_a_round_scored_closed_and_announced(uow):
    scored(uow, PUSAT, "32", "3", "4")                       # (3·3 + 1·4) / 4 = 3.25
    scored(uow, JABAR, "32.73", "4", "4")
    out = scored(uow, JABAR, "32.77", "2.5", "1")             # 8.5 / 4 = 2.125
    assert (out.hasil.indeks, out.hasil.status, out.hasil.peringkat) == (Decimal("2.125"), "sedang", 2)
    with pytest.raises(NotFound):
        usecases.get_ronde_publik(uow, 2026)
    usecases.advance_ronde(uow, PUSAT, 2026, "ditutup")
    usecases.advance_ronde(uow, PUSAT, 2026, "diumumkan")
    public = usecases.get_ronde_publik(uow, 2026)
    assert [(h.kode_pemda, h.klaster, h.peringkat, h.status) for h in public.hasil] == [
        ("32", "provinsi", 1, "tinggi"), ("32.73", "kota", 1, "sangat_tinggi"), ("32.77", "kota", 2, "sedang")]


@pytest.mark.parametrize("caller, kode", [(DKI, "32.73"), (PUSAT, "32.73"), (JABAR, "32"), (KOTA, "32.73")])
def test_a_score_by_a_team_outside_its_scope_is_refused_naming_the_pemda(uow, caller, kode):
    with pytest.raises(Forbidden) as refused:
        scored(uow, caller, kode, "4")
    assert refused.value.errors[0]["field"] == "kode_pemda"
    assert uow.eppd.nilai_rows == {} and uow.audited[-1]["record_type"] == "eppd_ronde"


def test_a_score_after_the_round_is_closed_or_on_an_unknown_indicator_changes_nothing(uow):
    scored(uow, JABAR, "32.73", "3")
    with pytest.raises(Invalid) as refused:
        usecases.score_pemda(uow, JABAR, 2026, "32.73", {"nilai": [{"kode_indikator": "Z", "skor": "4"}]})
    assert refused.value.errors[0]["field"] == "nilai.0.kode_indikator"
    with pytest.raises(Invalid) as refused:
        usecases.score_pemda(uow, JABAR, 2026, "32.73", {"nilai": [{"kode_indikator": "A", "skor": "4.5"}]})
    assert refused.value.errors[0]["field"] == "nilai.0.skor"
    usecases.advance_ronde(uow, PUSAT, 2026, "ditutup")
    with pytest.raises(Conflict) as refused:
        scored(uow, JABAR, "32.73", "4")
    assert refused.value.errors[0]["field"] == "tahun"
    assert usecases.get_penilaian(uow, KOTA, 2026, "32.73").nilai == {"A": "3", "B": "0"}


def test_only_the_ministry_runs_the_round_and_steps_go_in_order(uow):
    with pytest.raises(Forbidden):
        usecases.advance_ronde(uow, JABAR, 2026, "ditutup")
    with pytest.raises(Conflict):
        usecases.advance_ronde(uow, PUSAT, 2026, "diumumkan")
    with pytest.raises(Conflict):
        usecases.open_ronde(uow, PUSAT, 2026, {})
    with pytest.raises(Invalid) as refused:
        usecases.open_ronde(uow, PUSAT, 2027, {"versi_indikator": "tidak-ada"})
    assert refused.value.errors[0]["field"] == "versi_indikator"


def test_flags_replace_the_status_and_the_rank(uow):
    scored(uow, JABAR, "32.73", "4", "4")
    with pytest.raises(Invalid):
        usecases.flag_pemda(uow, JABAR, 2026, "32.73", {"status": "tidak_dinilai"})
    out = usecases.flag_pemda(uow, JABAR, 2026, "32.73", {"status": "tidak_dinilai", "alasan": "KDH tersangka"})
    assert (out.hasil.status, out.hasil.indeks, out.hasil.peringkat) == ("tidak_dinilai", None, None)
    assert usecases.flag_pemda(uow, JABAR, 2026, "32.73", {"status": None}).hasil.peringkat == 1


def test_results_are_read_within_the_caller_s_scope(uow):
    for caller, kode in ((PUSAT, "32"), (PUSAT, "31"), (JABAR, "32.73"), (DKI, "31.71")):
        scored(uow, caller, kode, "3")
    seen = {c.username: [h.kode_pemda for h in usecases.get_ronde(uow, c, 2026).hasil] for c in (PUSAT, JABAR, KOTA)}
    assert seen == {"kemendagri": ["31", "32", "31.71", "32.73"], "jabar": ["32", "32.73"], "bappeda.bandung": ["32.73"]}
    with pytest.raises(Forbidden):
        usecases.get_penilaian(uow, DKI, 2026, "32.73")


def test_the_announcement_publishes_each_pemda_s_result_once(uow):
    scored(uow, PUSAT, "32", "3", "4")
    scored(uow, JABAR, "32.73", "4", "4")
    usecases.flag_pemda(uow, JABAR, 2026, "32.77", {"status": "nihil", "alasan": "tidak mengirim data"})
    usecases.advance_ronde(uow, PUSAT, 2026, "ditutup")
    assert uow.events == []  # closed is not public yet
    usecases.advance_ronde(uow, PUSAT, 2026, "diumumkan")
    assert {e.event_type() for e in uow.events} == {"eppd.hasil.diumumkan.v1"}
    assert [(e.kode_pemda, e.tahun, e.klaster, e.indeks, e.status, e.peringkat) for e in uow.events] == [
        ("32", 2026, "provinsi", Decimal("3.25"), "tinggi", 1), ("32.73", 2026, "kota", Decimal(4), "sangat_tinggi", 1),
        ("32.77", 2026, "kota", None, "nihil", None)]
    assert {(e.aggregate_id.split(":")[0], e.aggregate_version) for e in uow.events} == {("2026", 3)}
    with pytest.raises(Conflict):  # announced once: nothing more to publish
        usecases.advance_ronde(uow, PUSAT, 2026, "diumumkan")
    assert len(uow.events) == 3
