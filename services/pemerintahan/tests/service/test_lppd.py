"""The LPPD as it runs: built from the read models in PostgreSQL, filled in, submitted as a snapshot."""
from __future__ import annotations

import pytest
from nameko.testing.services import entrypoint_hook

from sipd_common.errors import NotFound
from services.pemerintahan.service import PemerintahanService
from services.pemerintahan.tests.service.test_perda import call
from services.pemerintahan.tests.service.test_service import Scope, deliver, new_id


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


def test_an_lppd_built_from_the_events_filled_in_and_submitted(pemerintahan, scope):
    kode_pemda, tahun = scope
    s, a, b = Scope(*scope), new_id(), new_id()
    deliver(pemerintahan, s.saved(a, "1.01", "1000.50"), s.saved(b, "1.02", "200.00"),
            s.plafon(a, "1.01", "1000.50", "900.25", "sesuai", version=2))
    lppd = call(pemerintahan, "draft_lppd", kode_pemda, tahun, kode_pemda=kode_pemda)
    assert (lppd["isi"]["total_pagu"], lppd["isi"]["total_anggaran"], lppd["basi"]) == ("1200.50", "900.25", False)
    assert [u["kode_urusan"] for u in lppd["isi"]["urusan"]] == ["1"]
    filled = call(pemerintahan, "enter_lppd_indikator", kode_pemda, tahun,
                  {"indikator": [{"kode": "KEMISKINAN", "target": "10", "realisasi": "9", "catatan": "BPS"}]},
                  kode_pemda=kode_pemda)
    assert next(i for i in filled["indikator"] if i["kode"] == "KEMISKINAN")["capaian"] == "110.00"
    deliver(pemerintahan, s.saved(b, "1.02", "300.00", version=2))
    assert call(pemerintahan, "get_lppd", kode_pemda, tahun, kode_pemda=kode_pemda)["berubah"] == ["1.02"]
    call(pemerintahan, "rebuild_lppd", kode_pemda, tahun, kode_pemda=kode_pemda)
    call(pemerintahan, "step_lppd", kode_pemda, tahun, {"aksi": "verifikasi"}, role="inspektur", kode_pemda=kode_pemda)
    with entrypoint_hook(pemerintahan, "get_lppd_publik") as public:  # no caller: the portal's read
        with pytest.raises(NotFound):
            public(kode_pemda, tahun)
    done = call(pemerintahan, "step_lppd", kode_pemda, tahun, {"aksi": "ajukan"}, kode_pemda=kode_pemda)
    assert (done["status"], done["isi"]["total_pagu"], len(done["hash"])) == ("diajukan", "1300.50", 64)
    with entrypoint_hook(pemerintahan, "get_lppd_publik") as public:
        published = public(kode_pemda, tahun)
    assert (published["total_pagu"], published["hash"], published["status"]) == ("1300.50", done["hash"], "diajukan")
    assert "riwayat" not in published and "sub_kegiatan" not in published["urusan"][0]["bidang_urusan"][0]
    trail = call(pemerintahan, "get_lppd_audit", kode_pemda, tahun, kode_pemda=kode_pemda)
    assert [e["action"] for e in trail["items"]] == ["create", "update", "update", "update", "update"]
