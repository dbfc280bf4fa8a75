"""What is published of the plan, on an in-memory unit of work: the enacted RKPD and nothing before it; a
perubahan in its place once enacted; the national totals per bidang urusan."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.perencanaan.jadwal import usecases as jadwal
from services.perencanaan.publikasi import usecases
from sipd_common.errors import Invalid, NotFound

from .kodefikasi import DINAS_KESEHATAN, KOTA, PUSKESMAS
from .test_jadwal import STAGES, TAHUN, act, at, plan, scheduled
from .test_rkpd import BAPPEDA


def _enacted(uow):
    act(uow, "open", "rancangan_awal")
    plan(uow, now=at("rancangan_awal"), pagu_indikatif="1500000000.25")
    plan(uow, now=at("rancangan_awal"), kode_skpd=DINAS_KESEHATAN, kode_sub_kegiatan=PUSKESMAS,
         pagu_indikatif="250000000")
    for kode in STAGES:
        if kode != "rancangan_awal":
            act(uow, "open", kode)
        act(uow, "lock", kode)
    return uow


def test_nothing_is_published_before_penetapan_is_locked():
    uow = scheduled()
    act(uow, "open", "rancangan_awal")
    plan(uow, now=at("rancangan_awal"))
    act(uow, "lock", "rancangan_awal")  # a snapshot, but a working paper
    with pytest.raises(NotFound):
        usecases.get_rkpd_terbit(uow, KOTA, TAHUN)
    assert usecases.list_rkpd_terbit(uow, TAHUN) == [] and usecases.list_tahun_terbit(uow, KOTA) == []


def test_the_enacted_rkpd_is_published_with_its_totals_per_urusan():
    uow = _enacted(scheduled())
    r = usecases.get_rkpd_terbit(uow, KOTA, TAHUN)
    assert (r.kode_tahap, r.jumlah_sub_kegiatan, r.total_pagu_indikatif) == ("penetapan", 2, Decimal("1750000000.25"))
    assert [(u.kode_bidang_urusan, u.pagu_indikatif) for u in r.urusan] == [
        ("1.01", Decimal("1500000000.25")), ("1.02", Decimal("250000000"))]
    assert {s.kode_program for s in r.sub_kegiatan} == {"1.01.02", "1.02.02"}
    [national] = usecases.list_rkpd_terbit(uow, TAHUN)
    assert (national.kode_pemda, national.snapshot_id, national.total_pagu_indikatif) == (
        KOTA, r.snapshot_id, Decimal("1750000000.25"))
    assert usecases.list_tahun_terbit(uow, KOTA) == [TAHUN]


def test_an_enacted_perubahan_is_published_in_place_of_the_murni_but_not_while_open():
    uow = _enacted(scheduled())
    enacted = usecases.get_rkpd_terbit(uow, KOTA, TAHUN)
    start = at("penetapan") + timedelta(days=30)
    jadwal.add_tahap(uow, BAPPEDA, KOTA, "rkpd", TAHUN, {
        "kode_tahap": "perubahan", "waktu_mulai": start.isoformat(),
        "waktu_selesai": (start + timedelta(days=10)).isoformat()}, now=start)
    jadwal.open_tahap(uow, BAPPEDA, KOTA, "rkpd", TAHUN, "perubahan", now=start + timedelta(days=1))
    assert usecases.get_rkpd_terbit(uow, KOTA, TAHUN).snapshot_id == enacted.snapshot_id  # open: a draft
    jadwal.lock_tahap(uow, BAPPEDA, KOTA, "rkpd", TAHUN, "perubahan", now=start + timedelta(days=2))
    revised = usecases.get_rkpd_terbit(uow, KOTA, TAHUN)
    assert revised.kode_tahap == "perubahan" and revised.snapshot_id != enacted.snapshot_id
    assert [s.pagu_indikatif_murni for s in revised.sub_kegiatan] == [s.pagu_indikatif for s in enacted.sub_kegiatan]


def test_a_year_out_of_range_is_refused_naming_it():
    for call in (lambda uow: usecases.list_rkpd_terbit(uow, 1999), lambda uow: usecases.get_rkpd_terbit(uow, KOTA, 2101)):
        with pytest.raises(Invalid) as refused:
            call(scheduled())
        assert refused.value.errors[0]["field"] == "tahun"
