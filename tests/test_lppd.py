"""A city's LPPD over HTTP: drafted from its plan and budget (the events), its indicators entered, stale
when the plan changes and rebuilt, verified by its inspektur, submitted, forwarded by its province and
received by the ministry; once submitted it never changes."""
from __future__ import annotations

import uuid
from decimal import Decimal

from ops.testing import wait_until
from tests.conftest import LINGKUNGAN, client_for
from tests.support import line, plan, rkpd_url, wait_plafon, wait_report


def test_an_lppd_from_draft_to_the_ministry(stack, accounts, pusat_admin):
    tahun = LINGKUNGAN.tahun("32.73")
    url = f"/api/v1/pemda/32.73/lppd/{tahun}"
    with client_for(stack, accounts("bappeda")) as bappeda, client_for(stack, accounts("tapd")) as tapd, \
            client_for(stack, accounts("pemda_admin")) as admin, client_for(stack, accounts("inspektur")) as inspektur, \
            client_for(stack, accounts("provinsi_admin", "32")) as province, \
            client_for(stack, accounts("provinsi_admin", "31")) as other, client_for(stack, pusat_admin) as pusat:
        item = plan(bappeda, tahun, target="4", pagu_indikatif="1500000.00")
        wait_plafon(tapd, tahun, item["id"])
        assert line(tapd, tahun, item["id"], harga_satuan="700000.50").status_code == 201
        summary = wait_report(tapd, tahun, lambda r: Decimal(r["total_anggaran"]) > 0)

        key = {"Idempotency-Key": str(uuid.uuid4())}
        drafted = admin.post(url, headers=key)
        assert drafted.status_code == 201, drafted.text
        lppd = drafted.json()
        # sent again with its key (a retry after a lost answer): the first answer, not 409; without it, 409
        again = admin.post(url, headers=key)
        assert again.status_code == 201 and again.json() == lppd, again.text
        assert admin.post(url).status_code == 409
        assert lppd["isi"]["total_pagu"] == summary["total_pagu_indikatif"]
        assert lppd["isi"]["total_anggaran"] == summary["total_anggaran"]
        [sub] = lppd["isi"]["urusan"][0]["bidang_urusan"][0]["sub_kegiatan"]
        assert (sub["target"], sub["realisasi"], sub["capaian"]) == ("4.00", None, None)
        assert other.get(url).status_code == 403

        filled = admin.put(f"{url}/indikator", json={"indikator": [{"kode": "IPM", "target": "75", "realisasi": "75.3"}]})
        assert filled.status_code == 200 and filled.json()["indikator"][0]["capaian"] == "100.40"

        # the plan changes: the draft shows it is stale, and is rebuilt
        changed = bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"pagu_indikatif": "1600000.00"})
        assert changed.status_code == 200, changed.text
        stale = wait_until(lambda: (r := admin.get(url).json())["basi"] and r, 15, message="stale LPPD")
        assert stale["berubah"] == [item["kode_sub_kegiatan"][:4]]
        assert admin.post(f"{url}/bangun-ulang").json()["isi"]["total_pagu"] == "1600000.00"

        def step(client, aksi):
            return client.post(f"{url}/langkah", json={"aksi": aksi})

        assert step(admin, "verifikasi").status_code == 403  # the inspektur's
        assert step(inspektur, "verifikasi").status_code == 200
        submitted = step(admin, "ajukan")
        assert submitted.status_code == 200 and len(submitted.json()["hash"]) == 64
        refused = admin.put(f"{url}/indikator", json={"indikator": [{"kode": "IPM", "realisasi": "99"}]})
        assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "status"
        assert admin.post(f"{url}/bangun-ulang").status_code == 409
        assert step(pusat, "terima").status_code == 409   # a city's comes through its province
        assert step(other, "teruskan").status_code == 403
        assert step(province, "teruskan").status_code == 200
        received = step(pusat, "terima")
        assert received.status_code == 200 and received.json()["status"] == "diterima"
        assert received.json()["isi"] == submitted.json()["isi"] and received.json()["hash"] == submitted.json()["hash"]
        view = pusat.get(f"/api/v1/nasional/{tahun}/pemda", params={"provinsi": "32", "jenis": "kota"}).json()
        assert next(p for p in view["items"] if p["kode_pemda"] == "32.73")["lppd_status"] == "diterima"
