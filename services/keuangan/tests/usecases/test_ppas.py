"""KUA-PPAS on an in-memory unit of work: from the enacted RKPD, adjusted by TAPD, fixed by the nota
kesepakatan; after it the plan's changes are a pergeseran TAPD accepts or rejects, and nothing is lost."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from contracts.perencanaan import RkpdDitetapkan
from services.keuangan.plafon.usecases import apply_rkpd_saved
from services.keuangan.ppas import usecases as ppas
from services.keuangan.rincian import usecases as rincian
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .fakes import KODE, PEMDA, TAHUN, FakeKeuanganUnitOfWork, apply, rka_line, saved, with_rka

TAPD = Scope("u1", "tapd.bandung", Role.TAPD, PEMDA)
BAPPEDA = Scope("u4", "bappeda.bandung", Role.BAPPEDA, PEMDA)
SKPD, SUB = KODE["kode_skpd"], KODE["kode_sub_kegiatan"]
SUB2 = "1.01.02.2.01.0002"


def ditetapkan(version: int = 1, sub: str = "100000000.00", sub2: str = "50000000.00") -> RkpdDitetapkan:
    total = str(Decimal(sub) + Decimal(sub2))
    return RkpdDitetapkan(
        kode_pemda=PEMDA, tahun=TAHUN, aggregate_id=str(uuid.UUID(int=7)), aggregate_version=version,
        snapshot_id=str(uuid.UUID(int=version)), hash="0" * 64, kode_tahap="penetapan", perubahan=version > 1,
        murni_snapshot_id=None, jumlah_sub_kegiatan=2, total_pagu_indikatif=total,
        skpd=[{"kode_skpd": SKPD, "pagu_indikatif": total}],
        program=[{"kode_skpd": SKPD, "kode_program": "1.01.02", "pagu_indikatif": total}],
        kegiatan=[{"kode_skpd": SKPD, "kode_kegiatan": "1.01.02.2.01", "pagu_indikatif": total}],
        sub_kegiatan=[{"kode_skpd": SKPD, "kode_sub_kegiatan": SUB, "pagu_indikatif": sub},
                      {"kode_skpd": SKPD, "kode_sub_kegiatan": SUB2, "pagu_indikatif": sub2}])


def enacted() -> tuple[FakeKeuanganUnitOfWork, str, str]:
    uow = with_rka(FakeKeuanganUnitOfWork(TAPD))
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(a, "100000000.00", sumber_dana={"1.1": "100000000.00"}),
          saved(b, "50000000.00", kode_sub_kegiatan=SUB2))
    apply(uow, ppas.apply_rkpd_ditetapkan, ditetapkan())
    return uow, a, b


def rows(uow, tingkat=None) -> dict:
    items = ppas.list_pagu_ppas(uow, TAPD, PEMDA, TAHUN, 0, 200, tingkat)["items"]
    return {(r.tingkat, r.kode): (r.pagu, r.pagu_rkpd, r.disesuaikan) for r in items}


def test_the_enacted_rkpd_gives_provisional_ceilings_at_every_level_once():
    uow, _, _ = enacted()
    got = ppas.get_ppas(uow, BAPPEDA, PEMDA, TAHUN)
    assert (got.status, got.total, got.total_rkpd, got.rkpd_versi) == ("sementara", Decimal(150000000),
                                                                       Decimal(150000000), 1)
    assert rows(uow)[("sub_kegiatan", SUB)] == (Decimal(100000000), Decimal(100000000), False)
    assert len(rows(uow)) == 5
    apply(uow, ppas.apply_rkpd_ditetapkan, ditetapkan(sub="1"))  # the same enactment again (older/equal): ignored
    assert rows(uow)[("sub_kegiatan", SUB)][0] == Decimal(100000000)


def test_tapd_adjusts_within_the_parent_and_every_adjustment_is_audited():
    uow, _, _ = enacted()
    out = ppas.adjust_ppas(uow, TAPD, PEMDA, TAHUN, {"tingkat": "sub_kegiatan", "kode_skpd": SKPD, "kode": SUB,
                                                     "pagu": "90000000", "alasan": "kemampuan keuangan"})
    assert (out.pagu, out.pagu_rkpd, out.disesuaikan) == (Decimal(90000000), Decimal(100000000), True)
    before = rows(uow)
    with pytest.raises(Invalid) as raised:  # 90M + 50M ≤ 150M; 100.000001M + 50M is not
        ppas.adjust_ppas(uow, TAPD, PEMDA, TAHUN, {"tingkat": "sub_kegiatan", "kode_skpd": SKPD, "kode": SUB2,
                                                   "pagu": "60000001", "alasan": "x"})
    assert raised.value.errors[0]["field"] == "pagu" and rows(uow) == before
    with pytest.raises(Invalid):  # a parent below what is under it
        ppas.adjust_ppas(uow, TAPD, PEMDA, TAHUN, {"tingkat": "skpd", "kode_skpd": SKPD, "kode": SKPD,
                                                   "pagu": "100000000", "alasan": "x"})
    with pytest.raises(Forbidden):
        ppas.adjust_ppas(uow, BAPPEDA, PEMDA, TAHUN, {"tingkat": "skpd", "kode_skpd": SKPD, "kode": SKPD,
                                                      "pagu": "1", "alasan": "x"})
    assert [a["after"]["alasan"] for a in uow.audited if a["record_type"] == "ppas"] == ["kemampuan keuangan"]
    # a perubahan of the RKPD before the agreement: what TAPD adjusted stays, the rest follows
    apply(uow, ppas.apply_rkpd_ditetapkan, ditetapkan(2, sub="110000000.00", sub2="40000000.00"))
    assert rows(uow)[("sub_kegiatan", SUB)] == (Decimal(90000000), Decimal(110000000), True)
    assert rows(uow)[("sub_kegiatan", SUB2)] == (Decimal(40000000), Decimal(40000000), False)


def test_before_the_agreement_ceilings_follow_the_plan_after_it_the_plan_drifts():
    uow, a, b = enacted()
    ppas.adjust_ppas(uow, TAPD, PEMDA, TAHUN, {"tingkat": "sub_kegiatan", "kode_skpd": SKPD, "kode": SUB,
                                               "pagu": "80000000", "alasan": "x"})
    apply(uow, apply_rkpd_saved, saved(b, "55000000.00", version=2, kode_sub_kegiatan=SUB2))
    assert uow.plafon.rows[b].pagu == Decimal(55000000)  # not agreed yet: the plan moves the ceiling

    agreed = ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, {"nomor": "900/1/DPRD", "tanggal": "2026-08-10"})
    assert (agreed.status, agreed.nomor_kesepakatan) == ("disepakati", "900/1/DPRD")
    assert (uow.plafon.rows[a].pagu, uow.plafon.rows[a].disepakati) == (Decimal(80000000), True)
    assert uow.plafon.rows[b].pagu == Decimal(50000000)  # the agreed PPAS figure, not the plan's 55M
    assert ppas.list_pergeseran(uow, TAPD, PEMDA, TAHUN)["total"] == 2  # the plan says 100M and 55M
    with pytest.raises(Conflict):
        ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, {"nomor": "lagi", "tanggal": "2026-08-11"})
    with pytest.raises(Conflict):
        ppas.adjust_ppas(uow, TAPD, PEMDA, TAHUN, {"tingkat": "sub_kegiatan", "kode_skpd": SKPD, "kode": SUB,
                                                   "pagu": "1", "alasan": "x"})

    # the plan changes: the agreed ceiling does not move, the line ceiling is the agreed one
    apply(uow, apply_rkpd_saved, saved(a, "200000000.00", version=2, sumber_dana={"1.1": "200000000.00"}))
    p = uow.plafon.rows[a]
    assert (p.pagu, p.pagu_rencana, p.pergeseran) == (Decimal(80000000), Decimal(200000000), "menunggu")
    with pytest.raises(Invalid):
        rincian.create_rka_rincian(uow, TAPD, PEMDA, TAHUN, rka_line(a, koefisien=[{"volume": "33", "satuan": "OB"}]))

    rejected = ppas.decide_pergeseran(uow, TAPD, PEMDA, TAHUN, a, False, {"alasan": "tetap"})
    assert (rejected.pagu, rejected.pagu_rencana, rejected.pergeseran) == (Decimal(80000000), Decimal(200000000),
                                                                           "ditolak")
    with pytest.raises(Conflict):  # decided already
        ppas.decide_pergeseran(uow, TAPD, PEMDA, TAHUN, a, True)
    apply(uow, apply_rkpd_saved, saved(a, "120000000.00", version=3, sumber_dana={"1.1": "120000000.00"}))
    accepted = ppas.decide_pergeseran(uow, TAPD, PEMDA, TAHUN, a, True)
    assert (accepted.pagu, accepted.pergeseran, accepted.disepakati) == (Decimal(120000000), None, True)
    assert [a_["after"]["keputusan"] for a_ in uow.audited if a_["record_type"] == "plafon"] == ["tolak", "terima"]
    # the agreed PPAS itself never changed
    assert rows(uow)[("sub_kegiatan", SUB)][0] == Decimal(80000000)


def test_an_item_new_to_the_plan_after_the_agreement_waits_for_tapd():
    uow, _, _ = enacted()
    ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, {"nomor": "900/1/DPRD", "tanggal": "2026-08-10"})
    c = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(c, "5000000.00", kode_sub_kegiatan="1.01.02.2.01.0003"))
    p = uow.plafon.rows[c]
    assert (p.pagu, p.pagu_rencana, p.pergeseran) == (Decimal(0), Decimal(5000000), "menunggu")
    assert ppas.decide_pergeseran(uow, TAPD, PEMDA, TAHUN, c, True).pagu == Decimal(5000000)


def test_no_ppas_before_the_rkpd_is_enacted():
    uow = with_rka(FakeKeuanganUnitOfWork(TAPD))
    with pytest.raises(NotFound):
        ppas.get_ppas(uow, TAPD, PEMDA, TAHUN)
    with pytest.raises(NotFound):
        ppas.agree_ppas(uow, TAPD, PEMDA, TAHUN, {"nomor": "x", "tanggal": "2026-08-10"})
