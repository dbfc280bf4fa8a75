"""The LPPD on an in-memory unit of work: its figures are the sums of its sources whatever the events'
order and repetition, it shows what went stale, and once submitted it is a snapshot that never changes."""
from __future__ import annotations

import random
import uuid
from decimal import Decimal

import pytest

from contracts.keuangan import PlafonChanged
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid
from services.pemerintahan.lppd import usecases
from services.pemerintahan.nasional import usecases as nasional
from services.pemerintahan.ringkasan import usecases as ringkasan

from .fakes import FakePemerintahanUnitOfWork

KOTA = Scope("1", "admin.bandung", Role.PEMDA_ADMIN, "32.73")
INSPEKTUR = Scope("2", "inspektur.bandung", Role.INSPEKTUR, "32.73")
JABAR = Scope("3", "jabar", Role.PROVINSI_ADMIN, "32")
PUSAT = Scope("4", "kemendagri", Role.PUSAT_ADMIN)
BIDANG = ("1.01", "1.02", "1.03", "2.07")
HANDLERS = {RkpdSubKegiatanSaved: ringkasan.apply_rkpd_saved, RkpdSubKegiatanDeleted: ringkasan.apply_rkpd_deleted,
            PlafonChanged: ringkasan.apply_plafon_changed}


def _kode(bidang: str, n: int) -> dict:
    return dict(kode_skpd=f"{bidang}.0.00.0.00.01.0000", kode_sub_kegiatan=f"{bidang}.02.2.01.{n:04d}",
                kode_bidang_urusan=bidang)


def history(rng: random.Random, kode_pemda: str, tahun: int, n: int):
    """Each item's events in version order, and its final state (what the LPPD must sum)."""
    events, final = [], {}
    for i in range(n):
        rkpd_id, bidang = str(uuid.uuid4()), rng.choice(BIDANG)
        env = dict(kode_pemda=kode_pemda, tahun=tahun, aggregate_id=rkpd_id, **_kode(bidang, i))
        version, pagu, total, deleted = 0, None, None, False
        for _ in range(rng.randint(1, 4)):
            version += 1
            kind = rng.choice(("saved", "saved", "plafon", "deleted") if version > 1 else ("saved",))
            if kind == "saved":
                pagu = Decimal(rng.randint(1, 10**9)) / 100
                deleted = False
                events.append(RkpdSubKegiatanSaved(**env, aggregate_version=version, nama_sub_kegiatan="x",
                                                   nama_bidang_urusan=f"BIDANG {bidang}", indikator="i",
                                                   target=str(rng.randint(1, 50)), satuan="Unit", pagu_indikatif=pagu))
            elif kind == "plafon":
                total = Decimal(rng.randint(0, 10**9)) / 1000
                events.append(PlafonChanged(**env, aggregate_version=version, pagu=pagu, total_rincian=total,
                                            status="sesuai"))
            else:
                deleted = True
                events.append(RkpdSubKegiatanDeleted(**env, aggregate_version=version, pagu_indikatif=pagu))
        final[rkpd_id] = (bidang, None if deleted else pagu, total)
    return events, final


@pytest.mark.parametrize("seed", range(8))
def test_the_lppd_figures_are_the_sums_of_their_sources_whatever_the_order_and_redelivery(seed):
    rng = random.Random(seed)
    events, final = history(rng, "32.73", 2026, rng.randint(5, 40))
    delivered = events + rng.sample(events, len(events) // 3)  # a third redelivered
    rng.shuffle(delivered)                                       # and all out of order
    uow = FakePemerintahanUnitOfWork()
    for event in delivered:
        HANDLERS[type(event)](uow, event)
        uow.commit()
    isi = usecases.draft_lppd(uow, KOTA, "32.73", 2026).isi

    expected_pagu = {b: sum((p for bb, p, _ in final.values() if bb == b and p is not None), Decimal(0)) for b in BIDANG}
    expected_budget = {b: sum((t for bb, _, t in final.values() if bb == b and t is not None), Decimal(0))
                       for b in BIDANG}
    got = {b.kode_bidang_urusan: b for u in isi.urusan for b in u.bidang_urusan}
    for b in BIDANG:
        row = got.get(b)
        assert (row.total_pagu if row else 0) == expected_pagu[b], b
        assert (row.total_anggaran if row else 0) == expected_budget[b], b
        if row:
            assert row.jumlah_sub_kegiatan == sum(1 for bb, p, _ in final.values() if bb == b and p is not None)
            assert row.total_pagu == sum((s.pagu for s in row.sub_kegiatan), Decimal(0))
            assert row.total_realisasi is None  # no spending events yet
    assert isi.total_pagu == sum(expected_pagu.values()) and isi.total_anggaran == sum(expected_budget.values())
    for u in isi.urusan:
        assert u.total_pagu == sum((b.total_pagu for b in u.bidang_urusan), Decimal(0))
    view = nasional.get_nasional(uow, PUSAT, 2026).items
    assert [(v.total_rencana, v.total_anggaran) for v in view] == [(isi.total_pagu, isi.total_anggaran)] or not view


def saved(rkpd_id: str, pagu: str, version: int = 1, bidang: str = "1.01") -> RkpdSubKegiatanSaved:
    return RkpdSubKegiatanSaved(kode_pemda="32.73", tahun=2026, aggregate_id=rkpd_id, aggregate_version=version,
                                **_kode(bidang, 1), nama_sub_kegiatan="USB", nama_bidang_urusan="PENDIDIKAN",
                                indikator="Jumlah sekolah", target="4", satuan="Unit", pagu_indikatif=pagu)


@pytest.fixture
def uow():
    uow = FakePemerintahanUnitOfWork()
    ringkasan.apply_rkpd_saved(uow, saved("a" * 8 + "-0000-0000-0000-000000000001", "1000"))
    uow.commit()
    return uow


def test_a_changed_source_makes_the_draft_stale_and_a_rebuild_brings_it_up_to_date(uow):
    draft = usecases.draft_lppd(uow, KOTA, "32.73", 2026)
    assert not draft.basi and draft.isi.total_pagu == 1000
    ringkasan.apply_rkpd_saved(uow, saved("b" * 8 + "-0000-0000-0000-000000000002", "50", bidang="1.02"))
    uow.commit()
    stale = usecases.get_lppd(uow, KOTA, "32.73", 2026)
    assert (stale.basi, stale.berubah, stale.isi.total_pagu) == (True, ["1.02"], 1000)
    rebuilt = usecases.rebuild_lppd(uow, KOTA, "32.73", 2026)
    assert (rebuilt.basi, rebuilt.isi.total_pagu) == (False, Decimal(1050))


def test_a_report_not_submitted_by_its_due_date_is_late(uow):
    assert usecases.draft_lppd(uow, KOTA, "32.73", 2020).terlambat  # due 31 March 2021


def test_indicators_are_entered_from_the_list_with_their_capaian(uow):
    usecases.draft_lppd(uow, KOTA, "32.73", 2026)
    out = usecases.enter_indikator(uow, KOTA, "32.73", 2026, {"indikator": [
        {"kode": "IPM", "target": "75", "realisasi": "76.5", "catatan": "BPS"},
        {"kode": "KEMISKINAN", "target": "8", "realisasi": "7"}]})
    assert [(i.kode, i.capaian) for i in out.indikator] == [("IPM", Decimal("102.00")), ("KEMISKINAN", Decimal("112.50"))]
    with pytest.raises(Invalid) as refused:
        usecases.enter_indikator(uow, KOTA, "32.73", 2026, {"indikator": [{"kode": "TIDAK_ADA", "target": "1"}]})
    assert refused.value.errors[0]["field"] == "indikator.0.kode"


def test_the_flow_and_a_submitted_lppd_stays_as_submitted(uow):
    usecases.draft_lppd(uow, KOTA, "32.73", 2026)
    step = lambda caller, aksi: usecases.step_lppd(uow, caller, "32.73", 2026, {"aksi": aksi})  # noqa: E731
    with pytest.raises(Forbidden):
        step(KOTA, "verifikasi")
    step(INSPEKTUR, "verifikasi")
    submitted = step(KOTA, "ajukan")
    assert submitted.status == "diajukan" and len(submitted.hash) == 64 and submitted.diajukan_pada is not None
    assert submitted.batas_waktu.isoformat() == "2027-03-31"
    assert submitted.terlambat == (submitted.diajukan_pada > submitted.batas_waktu)
    ringkasan.apply_rkpd_saved(uow, saved("a" * 8 + "-0000-0000-0000-000000000001", "9999", version=2))
    uow.commit()
    before = len(uow.audited)
    for change in (lambda: usecases.rebuild_lppd(uow, KOTA, "32.73", 2026),
                   lambda: usecases.enter_indikator(uow, KOTA, "32.73", 2026, {"indikator": [{"kode": "IPM"}]})):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.errors[0]["field"] == "status"
    held = usecases.get_lppd(uow, JABAR, "32.73", 2026)
    assert (held.isi.total_pagu, held.hash, held.basi) == (Decimal(1000), submitted.hash, True)
    assert len(uow.audited) == before
    step(JABAR, "teruskan")
    assert step(PUSAT, "terima").status == "diterima"
    assert nasional.get_nasional(uow, JABAR, 2026).items[0].lppd_status == "diterima"


def test_the_public_reads_an_lppd_once_submitted_as_submitted_and_never_a_draft(uow):
    from sipd_common.errors import NotFound

    step = lambda caller, aksi: usecases.step_lppd(uow, caller, "32.73", 2026, {"aksi": aksi})  # noqa: E731
    with pytest.raises(NotFound):
        usecases.get_lppd_publik(uow, "32.73", 2026)  # none
    usecases.draft_lppd(uow, KOTA, "32.73", 2026)
    usecases.enter_indikator(uow, KOTA, "32.73", 2026, {"indikator": [{"kode": "IPM", "target": "75", "realisasi": "76.5"}]})
    with pytest.raises(NotFound):
        usecases.get_lppd_publik(uow, "32.73", 2026)  # a draft
    step(INSPEKTUR, "verifikasi")
    with pytest.raises(NotFound):
        usecases.get_lppd_publik(uow, "32.73", 2026)  # verified, not submitted
    submitted = step(KOTA, "ajukan")
    # a source changes after the submission: the public still reads the snapshot
    ringkasan.apply_rkpd_saved(uow, saved("a" * 8 + "-0000-0000-0000-000000000001", "9999", version=2))
    uow.commit()
    published = usecases.get_lppd_publik(uow, "32.73", 2026)
    assert (published.status, published.hash, published.total_pagu) == ("diajukan", submitted.hash, Decimal(1000))
    assert [b.total_pagu for u in published.urusan for b in u.bidang_urusan] == [Decimal(1000)]
    assert "sub_kegiatan" not in published.model_dump()["urusan"][0]["bidang_urusan"][0]
    assert "riwayat" not in published.model_dump()  # who did what stays inside
    assert [(i.kode, i.capaian) for i in published.indikator if i.realisasi] == [("IPM", Decimal("102.00"))]
    with pytest.raises(NotFound):
        usecases.get_lppd_publik(uow, "32.73", 2027)  # another year
    with pytest.raises(NotFound):
        usecases.get_lppd_publik(uow, "32.74", 2026)  # another pemda
