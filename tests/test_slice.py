"""The walking skeleton end to end: a plan change reaches the budget and the report by itself."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import LAMA, tahun_lama
from tests.support import (
    KODE_PEMDA, SKPD_PENDIDIKAN, apbd_url, bidang, line, plafon_of, plan, report, rkpd_url, wait_plafon, wait_report,
)


@pytest.fixture
def tahun() -> int:
    """These tests use no schedule: each its own year before the schedules (``tahun_lama``)."""
    return tahun_lama()


def test_create_makes_a_plafon_and_a_report_row(api, tahun):
    item = plan(api, tahun, pagu_indikatif="750000000.50")
    assert item["version"] == 1 and item["nama_bidang_urusan"] == "URUSAN PEMERINTAHAN BIDANG PENDIDIKAN"

    plafon = wait_plafon(api, tahun, item["id"])
    assert plafon["pagu"] == "750000000.50" and plafon["status"] == "sesuai" and plafon["total_rincian"] == "0.00"

    body = wait_report(api, tahun, lambda r: bidang(r, "1.01") is not None)
    row = bidang(body, "1.01")
    assert row["jumlah_sub_kegiatan"] == 1 and row["total_pagu_indikatif"] == "750000000.50"


def test_crud_of_rkpd_items(api, tahun):
    item = plan(api, tahun)
    url = f"{rkpd_url(tahun)}/{item['id']}"
    got = api.get(url)
    assert got.status_code == 200 and got.json() == item and got.headers["etag"] == '"1"'

    changed = api.patch(url, json={"target": "3", "indikator": "Unit baru"})
    assert changed.status_code == 200
    assert changed.json()["version"] == 2 and changed.json()["target"] == "3.00"

    listed = api.get(rkpd_url(tahun), params={"per_page": 1})
    assert listed.json()["total"] == 1 and listed.json()["items"][0]["id"] == item["id"]

    stale = api.patch(url, json={"target": "4"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.headers["etag"] == '"2"'
    assert api.get(url).json()["target"] == "3.00"

    assert api.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert api.get(url).status_code == 404
    assert api.delete(url).status_code == 404


def test_budget_lines_are_exact_and_held_under_the_ceiling(api, tahun):
    item = plan(api, tahun, pagu_indikatif="1000000.00")
    wait_plafon(api, tahun, item["id"])

    ok = line(api, tahun, item["id"], volume="3.5", harga_satuan="100000.10")
    assert ok.status_code == 201, ok.text
    assert ok.json()["jumlah"] == "350000.35"  # exact: no float ever touched it

    too_much = line(api, tahun, item["id"], volume="1", harga_satuan="649999.66")
    assert too_much.status_code == 422
    assert too_much.headers["content-type"] == "application/problem+json"
    assert too_much.json()["errors"][0]["field"] == "harga_satuan"

    exactly = line(api, tahun, item["id"], volume="1", harga_satuan="649999.65")
    assert exactly.status_code == 201, exactly.text
    plafon = wait_plafon(api, tahun, item["id"], lambda p: p["total_rincian"] == "1000000.00")
    assert plafon["sisa"] == "0.00" and plafon["status"] == "sesuai"

    lines = api.get(apbd_url(tahun, "rincian"), params={"rkpd_id": item["id"]}).json()
    assert lines["total"] == 2
    assert sum(Decimal(x["jumlah"]) for x in lines["items"]) == Decimal("1000000.00")


def test_a_line_needs_a_belanja_sub_rincian_objek(api, tahun):
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    for kode, reason in (("4.1.01.09.01.0001", "pendapatan"), ("5.2.03.01.01", "rincian_objek"),
                         ("5.9.99.99.99.9999", "no such account")):
        resp = line(api, tahun, item["id"], kode_rekening=kode)
        assert resp.status_code == 422, (kode, resp.text)
        assert resp.json()["errors"][0]["field"] == "kode_rekening"
        assert reason in resp.json()["detail"]
    assert api.get(apbd_url(tahun, "rincian")).json()["total"] == 0


def test_lowering_the_pagu_flags_lines_in_keuangan_and_in_the_report(api, tahun):
    item = plan(api, tahun, pagu_indikatif="1000000000")
    wait_plafon(api, tahun, item["id"])
    assert line(api, tahun, item["id"], harga_satuan="800000000").status_code == 201

    resp = api.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"pagu_indikatif": "500000000"})
    assert resp.status_code == 200

    plafon = wait_plafon(api, tahun, item["id"], lambda p: p["status"] == "melebihi_plafon")
    assert plafon["pagu"] == "500000000.00" and plafon["sisa"] == "-300000000.00"
    lines = api.get(apbd_url(tahun, "rincian")).json()["items"]
    assert [x["status"] for x in lines] == ["melebihi_plafon"]  # kept, flagged

    row = bidang(wait_report(api, tahun, lambda r: (b := bidang(r, "1.01")) and b["jumlah_bermasalah"] == 1), "1.01")
    assert row["total_anggaran"] == "800000000.00" and row["total_pagu_indikatif"] == "500000000.00"
    assert row["bermasalah"] == [{"rkpd_id": item["id"], "kode_sub_kegiatan": item["kode_sub_kegiatan"],
                                  "status": "melebihi_plafon"}]

    # a new line on an over-ceiling item is refused; raising the pagu again clears the flag
    assert line(api, tahun, item["id"], harga_satuan="1").status_code == 422
    api.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"pagu_indikatif": "900000000"})
    wait_plafon(api, tahun, item["id"], lambda p: p["status"] == "sesuai")
    wait_report(api, tahun, lambda r: bidang(r, "1.01")["jumlah_bermasalah"] == 0)


def test_deleting_the_plan_item_keeps_its_lines_flagged_without_plan(api, tahun):
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    assert line(api, tahun, item["id"]).status_code == 201

    assert api.delete(f"{rkpd_url(tahun)}/{item['id']}").status_code == 204

    plafon = wait_plafon(api, tahun, item["id"], lambda p: p["status"] == "tanpa_rencana")
    assert plafon["total_rincian"] == "400000000.00"
    lines = api.get(apbd_url(tahun, "rincian")).json()
    assert lines["total"] == 1 and lines["items"][0]["status"] == "tanpa_rencana"

    row = bidang(wait_report(api, tahun, lambda r: (b := bidang(r, "1.01")) and b["jumlah_bermasalah"] == 1), "1.01")
    assert row["jumlah_sub_kegiatan"] == 0 and row["total_anggaran"] == "400000000.00"
    assert row["bermasalah"][0]["status"] == "tanpa_rencana"

    refused = line(api, tahun, item["id"])
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "rkpd_id"


def test_unknown_codes_are_refused_naming_the_field(api, tahun):
    cases = [
        ({"kode_sub_kegiatan": "1.01.02.2.01.9999"}, "kode_sub_kegiatan"),
        ({"kode_skpd": "9.99.0.00.0.00.01.0000"}, "kode_skpd"),
        # a province-level sub kegiatan in a city
        ({"kode_skpd": "1.02.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.02.02.1.01.0001"}, "kode_sub_kegiatan"),
        # Dinas Pendidikan does not serve KESEHATAN
        ({"kode_sub_kegiatan": "1.02.02.2.01.0001"}, "kode_sub_kegiatan"),
        ({"pagu_indikatif": 1.5}, "pagu_indikatif"),
        ({"pagu_indikatif": ""}, "pagu_indikatif"),
        ({"target": "-1"}, "target"),
        ({"unexpected": "x"}, "unexpected"),
    ]
    base = {"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": "1.01.02.2.01.0004", "indikator": "i",
            "target": "1", "satuan": "Unit", "pagu_indikatif": "1"}
    for change, field in cases:
        resp = api.post(rkpd_url(tahun), json={**base, **change})
        assert resp.status_code == 422, (change, resp.text)
        body = resp.json()
        assert resp.headers["content-type"] == "application/problem+json"
        assert body["type"] == "urn:sipd:problem:validation"
        assert field in [e["field"] for e in body["errors"]], (change, body)
    assert api.get(rkpd_url(tahun)).json()["total"] == 0  # nothing changed


def test_unknown_pemda_and_bad_paths(api, tahun):
    body = {"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": "1.01.02.2.01.0001", "indikator": "i",
            "target": "1", "satuan": "Unit", "pagu_indikatif": "1"}
    assert api.post(rkpd_url(tahun, "99.99"), json=body).status_code == 404
    resp = api.get(rkpd_url(1999))
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "path.tahun"
    assert api.get(f"{rkpd_url(tahun)}/not-a-uuid").status_code == 422
    assert api.get("/api/v1/referensi/pemda/32.73").json()["nama"] == "Kota Bandung"
    assert api.get("/api/v1/referensi/pemda/11").json()["jenis"] == "provinsi"
    assert api.get("/api/v1/referensi/pemda/32.73.01").status_code == 422
    assert api.get("/api/v1/referensi/sub-kegiatan/1.01.02.2.01.0001").json()["bidang_urusan"]["kode"] == "1.01"
    assert api.get("/api/v1/referensi/rekening/5.1.02.01.01.0024").json()["tingkat"] == "sub_rincian_objek"


def test_reference_reads_are_cacheable(api):
    first = api.get("/api/v1/referensi/rekening/5.1.02.01.01.0024")
    assert first.status_code == 200 and first.headers["etag"]
    again = api.get("/api/v1/referensi/rekening/5.1.02.01.01.0024", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_duplicate_plan_items_conflict(api, tahun):
    plan(api, tahun)
    resp = api.post(rkpd_url(tahun), json={"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": "1.01.02.2.01.0001",
                                           "indikator": "i", "target": "1", "satuan": "Unit", "pagu_indikatif": "1"})
    assert resp.status_code == 409 and resp.json()["type"] == "urn:sipd:problem:conflict"


def test_scope_one_pemda_year_never_sees_another(api, tahun):
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    other_year = LAMA.tahun(KODE_PEMDA)  # a year of its own, where nothing is planned
    assert api.get(f"{rkpd_url(other_year)}/{item['id']}").status_code == 404
    assert api.patch(f"{rkpd_url(other_year)}/{item['id']}", json={"target": "9"}).status_code == 404
    assert api.get(rkpd_url(tahun, "32")).json()["total"] == 0
    assert plafon_of(api, other_year, item["id"]) is None
    refused = line(api, other_year, item["id"])  # a line in another year cannot use this ceiling
    assert refused.status_code == 422
    assert report(api, other_year)["bidang_urusan"] == []


def test_reference_cache_is_dropped_when_referensi_publishes_a_change(api, admin_db, amqp_uri):
    import kombu

    from ops.testing import wait_until

    url = "/api/v1/referensi/rekening/5.1.02.02.01.0003"
    original = api.get(url).json()["nama"]
    admin_db.execute("UPDATE referensi.rekening SET nama = 'Honorarium (diubah)' WHERE kode = '5.1.02.02.01.0003'")
    try:
        assert api.get(url).json()["nama"] == original  # served from the gateway's cache
        exchange = kombu.Exchange("referensi.events", type="topic", durable=True)
        with kombu.Connection(amqp_uri) as conn:  # what referensi's outbox does after an import
            conn.Producer().publish({"kode": "5.1.02.02.01.0003"}, routing_key="rekening.changed.v1",
                                    exchange=exchange, declare=[exchange], serializer="json")
        wait_until(lambda: api.get(url).json()["nama"] == "Honorarium (diubah)", timeout=10,
                   message="the cache was dropped on the event")
    finally:
        admin_db.execute("UPDATE referensi.rekening SET nama = %s WHERE kode = '5.1.02.02.01.0003'", (original,))
