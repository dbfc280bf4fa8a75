"""The permission matrix through the API, and the audit trail of the plan and the budget.

| role | reads (own pemda) | writes RKPD | writes rincian |
|---|---|---|---|
| bappeda | all | every SKPD | - |
| tapd | all | - | every SKPD |
| skpd_operator | its SKPD (reports: whole pemda) | its SKPD | its SKPD |
| pemda_admin, dprd, inspektur | all | - | - |
| provinsi_admin | its province and regencies | - | - |
"""
from __future__ import annotations

import uuid

import pytest

from tests.conftest import client_for
from tests.support import SKPD_PENDIDIKAN, apbd_url, line, plan, report_url, rkpd_url, wait_plafon

KESEHATAN = "1.02.0.00.0.00.01.0000"
SUB_KESEHATAN = "1.02.02.2.01.0001"


@pytest.fixture
def item(api, tahun):
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    return item


def _reads(client, tahun, item) -> list[int]:
    return [client.get(rkpd_url(tahun)).status_code, client.get(f"{rkpd_url(tahun)}/{item['id']}").status_code,
            client.get(apbd_url(tahun, "plafon")).status_code, client.get(apbd_url(tahun, "rincian")).status_code,
            client.get(report_url(tahun)).status_code, client.get(f"{rkpd_url(tahun)}/{item['id']}/audit").status_code]


@pytest.mark.parametrize("role, kode_pemda, rkpd, rincian", [
    ("bappeda", "32.73", 201, 403),
    ("tapd", "32.73", 403, 201),
    ("pemda_admin", "32.73", 403, 403),
    ("dprd", "32.73", 403, 403),
    ("inspektur", "32.73", 403, 403),
    ("provinsi_admin", "32", 403, 403),
])
def test_each_role_reads_its_pemda_and_writes_its_area(stack, accounts, tahun, item, role, kode_pemda, rkpd, rincian):
    with client_for(stack, accounts(role, kode_pemda)) as client:
        assert _reads(client, tahun, item) == [200] * 6
        created = client.post(rkpd_url(tahun), json={
            "kode_skpd": KESEHATAN, "kode_sub_kegiatan": SUB_KESEHATAN, "indikator": "i", "target": "1",
            "satuan": "Unit", "pagu_indikatif": "1000"})
        assert created.status_code == rkpd, created.text
        changed = client.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"target": "5"})
        assert changed.status_code == (200 if rkpd == 201 else 403), changed.text
        assert line(client, tahun, item["id"], harga_satuan="10").status_code == rincian


def test_an_skpd_operator_works_on_its_own_skpd_only(stack, api, accounts, tahun, item):
    own = accounts("skpd_operator", "32.73", SKPD_PENDIDIKAN)
    other = plan(api, tahun, kode_skpd=KESEHATAN, kode_sub_kegiatan=SUB_KESEHATAN)
    wait_plafon(api, tahun, other["id"])
    with client_for(stack, own) as client:
        listed = client.get(rkpd_url(tahun)).json()
        assert [i["id"] for i in listed["items"]] == [item["id"]] and listed["total"] == 1
        assert client.get(rkpd_url(tahun), params={"kode_skpd": KESEHATAN}).status_code == 403
        assert [p["rkpd_id"] for p in client.get(apbd_url(tahun, "plafon")).json()["items"]] == [item["id"]]
        assert client.get(f"{rkpd_url(tahun)}/{other['id']}").status_code == 403
        assert client.patch(f"{rkpd_url(tahun)}/{other['id']}", json={"target": "5"}).status_code == 403
        assert client.delete(f"{rkpd_url(tahun)}/{other['id']}").status_code == 403
        assert line(client, tahun, other["id"], harga_satuan="10").status_code == 403
        assert client.post(rkpd_url(tahun), json={"kode_skpd": KESEHATAN, "kode_sub_kegiatan": "1.02.02.2.02.0001",
                                                  "indikator": "i", "target": "1", "satuan": "Unit",
                                                  "pagu_indikatif": "1"}).status_code == 403
        # its own SKPD it plans and budgets
        assert client.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"target": "5"}).status_code == 200
        mine = line(client, tahun, item["id"], harga_satuan="10")
        assert mine.status_code == 201
        assert client.get(apbd_url(tahun, f"rincian/{mine.json()['id']}")).status_code == 200
        assert client.get(report_url(tahun)).status_code == 200  # the pemda's report it reads whole
    # the other SKPD's lines stay out of its lists
    assert line(api, tahun, other["id"], harga_satuan="10").status_code == 201
    with client_for(stack, own) as client:
        assert {r["rkpd_id"] for r in client.get(apbd_url(tahun, "rincian")).json()["items"]} == {item["id"]}
    assert api.get(apbd_url(tahun, "rincian")).json()["total"] == 2


def test_a_province_reads_its_regencies_but_not_another_province_s(stack, accounts, tahun, item):
    with client_for(stack, accounts("provinsi_admin", "32")) as client:
        assert client.get(rkpd_url(tahun)).json()["total"] == 1
    with client_for(stack, accounts("provinsi_admin", "31")) as client:
        resp = client.get(rkpd_url(tahun))
        assert resp.status_code == 403 and resp.json()["type"] == "urn:sipd:problem:forbidden"
        assert "Traceback" not in resp.text


def test_the_public_reads_the_reference_and_nothing_else(anonymous, tahun):
    assert anonymous.get("/api/v1/referensi/pemda/32.73").status_code == 200
    assert anonymous.get("/api/v1/health").status_code == 200
    for url in (rkpd_url(tahun), apbd_url(tahun, "plafon"), report_url(tahun), "/api/v1/users"):
        resp = anonymous.get(url)
        assert resp.status_code == 401 and resp.headers["www-authenticate"].startswith("Bearer")


# --- the audit trail ---------------------------------------------------------------------------------------

def test_every_write_to_a_plan_item_is_in_its_trail(stack, accounts, tahun):
    bappeda = accounts("bappeda")
    with client_for(stack, bappeda) as client:
        created = client.post(rkpd_url(tahun), headers={"X-Request-ID": "audit-create-1"}, json={
            "kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": "1.01.02.2.01.0001", "indikator": "i",
            "target": "1", "satuan": "Unit", "pagu_indikatif": "1000.00"}).json()
        url = f"{rkpd_url(tahun)}/{created['id']}"
        client.patch(url, json={"pagu_indikatif": "900.00"}, headers={"X-Request-ID": "audit-update-1"})
        client.patch(url, json={"pagu_indikatif": "900.00"})  # no change: no entry
        assert client.delete(url).status_code == 204
        trail = client.get(f"{url}/audit").json()  # still readable: the item is gone, its history is not
    assert trail["total"] == 3 and [e["action"] for e in trail["items"]] == ["create", "update", "delete"]
    create, update, delete = trail["items"]
    assert create["before"] is None and create["after"]["pagu_indikatif"] == "1000.00"
    assert create["request_id"] == "audit-create-1" and update["request_id"] == "audit-update-1"
    assert update["changed"] == ["pagu_indikatif", "version"]
    assert (update["before"]["pagu_indikatif"], update["after"]["pagu_indikatif"]) == ("1000.00", "900.00")
    assert delete["after"] is None and delete["before"]["version"] == 2
    assert all(e["actor"] == {"id": bappeda.id, "username": bappeda.username, "role": "bappeda"}
               for e in trail["items"])
    assert create["occurred_at"] <= update["occurred_at"] <= delete["occurred_at"]

    # read by whoever may read the item, paginated; by no one else
    with client_for(stack, accounts("inspektur")) as client:
        page = client.get(f"{url}/audit", params={"per_page": 1, "page": 3}).json()
        assert page["total"] == 3 and [e["action"] for e in page["items"]] == ["delete"]
    with client_for(stack, accounts("skpd_operator", "32.73", KESEHATAN)) as client:
        assert client.get(f"{url}/audit").status_code == 403
    with client_for(stack, accounts("inspektur", "32.74")) as client:
        assert client.get(f"{url}/audit").status_code == 403
    with client_for(stack, bappeda) as client:
        assert client.get(f"{rkpd_url(tahun)}/{uuid.uuid4()}/audit").status_code == 404


def test_a_budget_line_s_creation_is_in_its_trail(stack, accounts, tahun, item):
    tapd = accounts("tapd")
    with client_for(stack, tapd) as client:
        created = line(client, tahun, item["id"], harga_satuan="1234.50", volume="2")
        assert created.status_code == 201
        url = apbd_url(tahun, f"rincian/{created.json()['id']}")
        assert client.get(url).json() == created.json()
        trail = client.get(f"{url}/audit").json()
    assert trail["total"] == 1
    entry = trail["items"][0]
    assert entry["action"] == "create" and entry["record_type"] == "rincian"
    assert entry["after"]["jumlah"] == "2469.00" and entry["actor"]["username"] == tapd.username
    with client_for(stack, accounts("skpd_operator", "32.73", KESEHATAN)) as client:
        assert client.get(url).status_code == 403 and client.get(f"{url}/audit").status_code == 403


def test_a_refused_write_leaves_no_trail(stack, accounts, tahun, item, admin_db):
    count = lambda: admin_db.execute("SELECT count(*) FROM perencanaan.audit WHERE record_id = %s",  # noqa: E731
                                     (item["id"],)).fetchone()[0]
    before = count()
    with client_for(stack, accounts("dprd")) as client:
        assert client.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"target": "7"}).status_code == 403
    assert count() == before
