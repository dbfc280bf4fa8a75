"""Revenue received on the fake unit of work: receipts (TBP) by the bendahara penerimaan, their deposit (STS),
validated by the BUD → realised revenue per account and ``realisasi.berubah``; refusals name the field and
change nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.keuangan import RealisasiBerubah
from services.keuangan.penerimaan import usecases as pn
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid

from .fakes import CHART, PEMDA, TAHUN, FakeKeuanganUnitOfWork, rekening_item, with_chart
from .test_apbd import skpd_row
from .test_penatausahaan import BUD, DIKBUD, DINKES, unchanged

RETRIBUSI, PAJAK = "4.1.02.01.01.0001", "4.1.01.06.01.0001"
PENERIMA = Scope("r1", "bendahara.penerimaan", Role.BENDAHARA_PENERIMAAN, PEMDA, DIKBUD)
PENERIMA_DINKES = Scope("r2", "bendahara.penerimaan.dinkes", Role.BENDAHARA_PENERIMAAN, PEMDA, DINKES)
PENERIMA_LAIN = Scope("r3", "bendahara.penerimaan.cimahi", Role.BENDAHARA_PENERIMAAN, "32.77", DIKBUD)


@pytest.fixture
def uow() -> FakeKeuanganUnitOfWork:
    uow = with_chart(FakeKeuanganUnitOfWork(), *CHART, rekening_item(RETRIBUSI, "Retribusi Pelayanan", akun="pendapatan",
                                                                      revisi=30),
                     rekening_item(PAJAK, "Pajak Hotel", akun="pendapatan", revisi=31))
    uow.replika.isi("skpd", [skpd_row(DIKBUD, "Dinas Pendidikan", "1.01"),
                             skpd_row(DINKES, "Dinas Kesehatan", "1.02")], urutan=1)
    uow.commit()
    return uow


def tbp(nilai: str = "1500000.50", rek: str = RETRIBUSI, tanggal: str = f"{TAHUN}-03-02", skpd: str = DIKBUD) -> dict:
    return {"kode_skpd": skpd, "kode_rekening": rek, "tanggal": tanggal, "uraian": "Retribusi", "penyetor": "CV Maju",
            "nilai": nilai}


def test_receipts_deposited_and_validated_are_realised_revenue_per_account(uow):
    a = pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp("1500000.50"))
    b = pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp("0.50"))
    c = pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp("7", PAJAK))
    assert (a.nomor, c.nomor, a.nama_rekening) == (f"00001/TBP/{DIKBUD}/{TAHUN}", f"00003/TBP/{DIKBUD}/{TAHUN}",
                                                   "Retribusi Pelayanan")
    sts = pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "tanggal": f"{TAHUN}-03-03",
                                                     "tbp_ids": [a.id, b.id, c.id]})
    assert (sts.nilai, sts.status, sts.nomor) == (Decimal("1500008.00"), "diajukan", f"00001/STS/{DIKBUD}/{TAHUN}")
    assert pn.list_realisasi_pendapatan(uow, BUD, PEMDA, TAHUN)["total"] == 0  # not validated yet
    unchanged(uow, lambda: pn.validasi_sts(uow, PENERIMA, PEMDA, TAHUN, sts.id), Forbidden)  # not the BUD's role
    done = pn.validasi_sts(uow, BUD, PEMDA, TAHUN, sts.id)
    assert (done.status, done.divalidasi_oleh) == ("divalidasi", BUD.user_id)
    unchanged(uow, lambda: pn.validasi_sts(uow, BUD, PEMDA, TAHUN, sts.id), Conflict, "status")
    realised = {r.kode_rekening: r.jumlah for r in pn.list_realisasi_pendapatan(uow, BUD, PEMDA, TAHUN)["items"]}
    assert realised == {PAJAK: Decimal(7), RETRIBUSI: Decimal("1500001.00")}
    events = sorted((e.kode_rekening, e.jumlah, e.jenis) for e in uow.events if isinstance(e, RealisasiBerubah))
    assert events == [(PAJAK, Decimal(7), "pendapatan"), (RETRIBUSI, Decimal("1500001.00"), "pendapatan")]


def test_a_receipt_on_a_wrong_account_date_or_skpd_is_refused(uow):
    unchanged(uow, lambda: pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp(rek="5.2.03.01.01.0010")), Invalid,
              "kode_rekening")
    unchanged(uow, lambda: pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp(tanggal=f"{TAHUN - 1}-12-31")), Invalid,
              "tanggal")
    unchanged(uow, lambda: pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp(nilai="1.001")), Invalid, "nilai")
    unchanged(uow, lambda: pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp(skpd=DINKES)), Forbidden)
    unchanged(uow, lambda: pn.buat_tbp(uow, PENERIMA_LAIN, PEMDA, TAHUN, tbp()), Forbidden)
    unchanged(uow, lambda: pn.buat_tbp(uow, BUD, PEMDA, TAHUN, tbp()), Forbidden)


def test_a_receipt_is_deposited_once_and_by_its_own_skpd(uow):
    a = pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp())
    other = pn.buat_tbp(uow, PENERIMA_DINKES, PEMDA, TAHUN, tbp(skpd=DINKES))
    body = {"kode_skpd": DIKBUD, "tanggal": f"{TAHUN}-03-03", "tbp_ids": [a.id]}
    unchanged(uow, lambda: pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, {**body, "tbp_ids": [a.id, other.id]}), Invalid,
              "tbp_ids.1")
    unchanged(uow, lambda: pn.buat_sts(uow, PENERIMA_DINKES, PEMDA, TAHUN, body), Forbidden)
    unchanged(uow, lambda: pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, {**body, "tanggal": f"{TAHUN}-03-01"}), Invalid,
              "tbp_ids.0")
    pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, body)
    unchanged(uow, lambda: pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, body), Invalid, "tbp_ids.0")
    assert [t.id for t in pn.list_tbp(uow, PENERIMA_DINKES, PEMDA, TAHUN)["items"]] == [other.id]
    assert pn.list_tbp(uow, BUD, PEMDA, TAHUN, belum_disetor=True)["total"] == 1


def test_a_receipt_and_a_deposit_repeated_with_their_key_are_made_once(uow):
    """A retry or a redelivered RPC with the same key: the first answer again (not "deposited already"), one
    receipt, one deposit, one number used; the same key with another body is refused naming the header."""
    a = pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp(), idempotency_key="t-1")
    assert pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp(), idempotency_key="t-1") == a
    unchanged(uow, lambda: pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp("1"), idempotency_key="t-1"), Invalid,
              "Idempotency-Key")
    body = {"kode_skpd": DIKBUD, "tanggal": f"{TAHUN}-03-03", "tbp_ids": [a.id]}
    sts = pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, body, idempotency_key="s-1")
    assert pn.buat_sts(uow, PENERIMA, PEMDA, TAHUN, body, idempotency_key="s-1") == sts
    assert [t.id for t in pn.list_tbp(uow, BUD, PEMDA, TAHUN)["items"]] == [a.id]
    assert [s.id for s in pn.list_sts(uow, BUD, PEMDA, TAHUN)["items"]] == [sts.id]
    assert pn.buat_tbp(uow, PENERIMA, PEMDA, TAHUN, tbp()).nomor == f"00002/TBP/{DIKBUD}/{TAHUN}"


def test_the_depositor_validating_their_own_deposit_is_refused(uow):
    pusat = Scope("p1", "pusat", Role.PUSAT_ADMIN)
    a = pn.buat_tbp(uow, pusat, PEMDA, TAHUN, tbp())
    sts = pn.buat_sts(uow, pusat, PEMDA, TAHUN, {"kode_skpd": DIKBUD, "tanggal": f"{TAHUN}-03-03", "tbp_ids": [a.id]})
    unchanged(uow, lambda: pn.validasi_sts(uow, pusat, PEMDA, TAHUN, sts.id), Forbidden, "pemeriksa")
