"""The LPPD on an in-memory unit of work: its figures (plan, budget, realisation) are the sums of their sources
whatever the events' order and repetition, it shows what went stale, and once submitted it is a snapshot that
never changes."""
from __future__ import annotations

import random
import uuid
from decimal import ROUND_HALF_UP, Decimal

import pytest

from contracts.keuangan import PlafonChanged, RealisasiBerubah
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid
from services.pemerintahan.lppd import usecases
from services.pemerintahan.nasional import usecases as nasional
from services.pemerintahan.realisasi import usecases as realisasi
from services.pemerintahan.ringkasan import usecases as ringkasan

from .fakes import FakePemerintahanUnitOfWork

KOTA = Scope("1", "admin.bandung", Role.PEMDA_ADMIN, "32.73")
INSPEKTUR = Scope("2", "inspektur.bandung", Role.INSPEKTUR, "32.73")
JABAR = Scope("3", "jabar", Role.PROVINSI_ADMIN, "32")
PUSAT = Scope("4", "kemendagri", Role.PUSAT_ADMIN)
BIDANG = ("1.01", "1.02", "1.03", "2.07")
HANDLERS = {RkpdSubKegiatanSaved: ringkasan.apply_rkpd_saved, RkpdSubKegiatanDeleted: ringkasan.apply_rkpd_deleted,
            PlafonChanged: ringkasan.apply_plafon_changed, RealisasiBerubah: realisasi.apply_realisasi_berubah}
REKENING = ("5.1.02.01.01.0001", "5.2.03.01.01.0002")


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
        final[rkpd_id] = (bidang, None if deleted else pagu, total, spending(rng, events, env))
    return events, final


def spending(rng: random.Random, events: list, env: dict) -> Decimal | None:
    """Some of an item's accounts disbursed, each a few times (keuangan's events carry the account's new total):
    the item's realisation in the end, None when nothing was disbursed. It stays when the plan item goes."""
    if rng.random() < 0.4:
        return None
    realised = Decimal(0)
    for rekening in rng.sample(REKENING, rng.randint(1, 2)):
        jumlah = Decimal(0)
        for version in range(1, rng.randint(2, 4)):
            perubahan = Decimal(rng.randint(1, 10**8)) / 100
            jumlah += perubahan
            events.append(RealisasiBerubah(
                kode_pemda=env["kode_pemda"], tahun=env["tahun"], jenis="belanja", kode_skpd=env["kode_skpd"],
                kode_sub_kegiatan=env["kode_sub_kegiatan"], kode_rekening=rekening, jumlah=jumlah, perubahan=perubahan,
                aggregate_id=f"{env['kode_pemda']}:{env['tahun']}:belanja:{env['kode_skpd']}:"
                             f"{env['kode_sub_kegiatan']}:{rekening}", aggregate_version=version))
        realised += jumlah
    return realised


def persen(realisasi: Decimal, anggaran: Decimal) -> Decimal | None:
    return (realisasi * 100 / anggaran).quantize(Decimal("0.01"), ROUND_HALF_UP) if anggaran else None


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

    expected_pagu = {b: sum((p for bb, p, _, _ in final.values() if bb == b and p is not None), Decimal(0))
                     for b in BIDANG}
    expected_budget = {b: sum((t for bb, _, t, _ in final.values() if bb == b and t is not None), Decimal(0))
                       for b in BIDANG}
    # a bidang's realisation: every item's that has one, planned still or not; None where none has
    expected_spent = {b: sum((r for bb, _, _, r in final.values() if bb == b and r is not None), Decimal(0))
                      if any(bb == b and r is not None for bb, _, _, r in final.values()) else None for b in BIDANG}
    got = {b.kode_bidang_urusan: b for u in isi.urusan for b in u.bidang_urusan}
    for b in BIDANG:
        row = got.get(b)
        assert (row.total_pagu if row else 0) == expected_pagu[b], b
        assert (row.total_anggaran if row else 0) == expected_budget[b], b
        assert (row.total_realisasi if row else None) == expected_spent[b], b
        if row:
            assert row.jumlah_sub_kegiatan == sum(1 for bb, p, _, _ in final.values() if bb == b and p is not None)
            assert row.total_pagu == sum((s.pagu for s in row.sub_kegiatan), Decimal(0))
            assert row.capaian == (persen(row.total_realisasi, row.total_anggaran) if row.total_realisasi is not None
                                   else None)
            for sub in row.sub_kegiatan:
                assert sub.realisasi == final[sub.rkpd_id][3]
                assert sub.capaian == (persen(sub.realisasi, sub.anggaran) if sub.realisasi is not None else None)
    assert isi.total_pagu == sum(expected_pagu.values()) and isi.total_anggaran == sum(expected_budget.values())
    spent = [r for r in expected_spent.values() if r is not None]
    assert isi.total_realisasi == (sum(spent, Decimal(0)) if spent else None)
    for u in isi.urusan:
        assert u.total_pagu == sum((b.total_pagu for b in u.bidang_urusan), Decimal(0))
    view = nasional.get_nasional(uow, PUSAT, 2026).items
    assert [(v.total_rencana, v.total_anggaran, v.total_realisasi) for v in view] == [
        (isi.total_pagu, isi.total_anggaran, isi.total_realisasi)] or not view
    if view:
        assert {u.kode_bidang_urusan: u.total_realisasi for u in view[0].urusan if u.total_realisasi is not None} == {
            b: r for b, r in expected_spent.items() if r is not None}


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


def disbursed(jumlah: str, version: int, bidang: str = "1.01") -> RealisasiBerubah:
    kode = _kode(bidang, 1)
    return RealisasiBerubah(kode_pemda="32.73", tahun=2026, jenis="belanja", kode_skpd=kode["kode_skpd"],
                            kode_sub_kegiatan=kode["kode_sub_kegiatan"], kode_rekening=REKENING[0], jumlah=jumlah,
                            perubahan=jumlah, aggregate_id=f"{bidang}:{REKENING[0]}", aggregate_version=version)


def test_spending_after_the_draft_makes_it_stale_and_a_submitted_lppd_keeps_what_it_showed(uow):
    ringkasan.apply_plafon_changed(uow, PlafonChanged(
        kode_pemda="32.73", tahun=2026, aggregate_id="a" * 8 + "-0000-0000-0000-000000000001", aggregate_version=2,
        **_kode("1.01", 1), pagu="1000", total_rincian="800", status="sesuai"))
    realisasi.apply_realisasi_berubah(uow, disbursed("200", 1))
    uow.commit()
    draft = usecases.draft_lppd(uow, KOTA, "32.73", 2026)
    [sub] = draft.isi.urusan[0].bidang_urusan[0].sub_kegiatan
    assert (sub.anggaran, sub.realisasi, sub.capaian, draft.isi.capaian) == (
        800, 200, Decimal("25.00"), Decimal("25.00"))

    realisasi.apply_realisasi_berubah(uow, disbursed("300", 2))
    realisasi.apply_realisasi_berubah(uow, disbursed("200", 1))  # late: the newer total stands
    uow.commit()
    stale = usecases.get_lppd(uow, KOTA, "32.73", 2026)
    assert (stale.basi, stale.berubah, stale.isi.total_realisasi) == (True, ["1.01"], 200)
    rebuilt = usecases.rebuild_lppd(uow, KOTA, "32.73", 2026)
    assert (rebuilt.basi, rebuilt.isi.total_realisasi, rebuilt.isi.capaian) == (False, 300, Decimal("37.50"))

    usecases.step_lppd(uow, INSPEKTUR, "32.73", 2026, {"aksi": "verifikasi"})
    submitted = usecases.step_lppd(uow, KOTA, "32.73", 2026, {"aksi": "ajukan"})
    realisasi.apply_realisasi_berubah(uow, disbursed("700", 3))
    realisasi.apply_realisasi_berubah(uow, disbursed("5", 1, bidang="1.02"))  # a bidang the plan has not
    uow.commit()
    held = usecases.get_lppd(uow, KOTA, "32.73", 2026)
    assert (held.basi, held.berubah) == (True, ["1.01", "1.02"])
    assert (held.isi, held.hash) == (submitted.isi, submitted.hash)
    assert usecases.get_lppd_publik(uow, "32.73", 2026).capaian == Decimal("37.50")
    with pytest.raises(Conflict):
        usecases.rebuild_lppd(uow, KOTA, "32.73", 2026)
    assert nasional.get_nasional(uow, PUSAT, 2026).items[0].total_realisasi == 705  # the view is live


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
