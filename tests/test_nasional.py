"""The national view over HTTP across two provinces: the plan and budget of a city of province A (from the
events), a Perda of a city of province B; the ministry sees both, each province's administrator its own
only, and the figures are the pemda's own summary's."""
from __future__ import annotations

from decimal import Decimal

from ops.testing import wait_until
from tests.conftest import LINGKUNGAN, client_for
from tests.support import line, plan, wait_plafon, wait_report


def test_the_national_view_in_the_scopes_of_the_ministry_and_of_two_provinces(stack, accounts, pusat_admin):
    tahun = LINGKUNGAN.tahun("32.73")
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="2500000.50")
    with client_for(stack, accounts("tapd")) as tapd:
        wait_plafon(tapd, tahun, item["id"])
        assert line(tapd, tahun, item["id"], harga_satuan="1000000.25").status_code == 201
        summary = wait_report(tapd, tahun, lambda r: Decimal(r["total_anggaran"]) > 0)
    with client_for(stack, accounts("pemda_admin", "31.71")) as jakpus:
        assert jakpus.post("/api/v1/pemda/31.71/perda", json={"jenis": "perkada", "tahun": tahun,
                                                             "judul": "Pergub"}).status_code == 201
    url = f"/api/v1/nasional/{tahun}/pemda"
    with client_for(stack, pusat_admin) as pusat, client_for(stack, accounts("provinsi_admin", "32")) as a, \
            client_for(stack, accounts("provinsi_admin", "31")) as b, client_for(stack, accounts("bappeda")) as kota, \
            client_for(stack, None) as public:
        everyone = wait_until(lambda: (r := pusat.get(url, params={"per_page": 200}).json()) and
                              {"32.73", "31.71"} <= {p["kode_pemda"] for p in r["items"]} and r, 15, message="view")
        bandung = next(p for p in everyone["items"] if p["kode_pemda"] == "32.73")
        assert (bandung["jenis"], bandung["kode_provinsi"]) == ("kota", "32")
        assert bandung["total_rencana"] == summary["total_pagu_indikatif"]
        assert bandung["total_anggaran"] == summary["total_anggaran"]
        assert [(u["kode_bidang_urusan"], u["total_anggaran"]) for u in bandung["urusan"]] == [
            (b_["kode_bidang_urusan"], b_["total_anggaran"]) for b_ in summary["bidang_urusan"]]
        assert next(p for p in everyone["items"] if p["kode_pemda"] == "31.71")["perda"] == {"draft": 1}

        seen_a = {p["kode_pemda"] for p in a.get(url, params={"per_page": 200}).json()["items"]}
        seen_b = {p["kode_pemda"] for p in b.get(url, params={"per_page": 200}).json()["items"]}
        assert "32.73" in seen_a and all(k.split(".")[0] == "32" for k in seen_a)
        assert "31.71" in seen_b and all(k.split(".")[0] == "31" for k in seen_b)
        assert b.get(url, params={"provinsi": "32"}).json()["items"] == []
        assert [p["kode_pemda"] for p in kota.get(url).json()["items"]] == ["32.73"]
        assert public.get(url).status_code == 401

        kota_only = pusat.get(url, params={"jenis": "kota", "provinsi": "32", "sort": "total_anggaran", "order": "desc"})
        assert kota_only.status_code == 200 and all(p["jenis"] == "kota" for p in kota_only.json()["items"])
        paged = pusat.get(url, params={"per_page": 1, "page": 2}).json()
        assert len(paged["items"]) == 1 and paged["total"] == everyone["total"]
