"""Proposals to the RKPD through the gateway, against the real stack: a desa's musrenbang proposal entered by
Bappeda, submitted, recommended level by level, returned with a reason and corrected, accepted by the SKPD
concerned, linked to the RKPD item that answers it (which lists it); a DPRD member's pokir; and the
refusals — a wrong verifier, another pemda, a DPRD member entering a musrenbang proposal, a step out of
order, a write outside the stages of the schedule — each changing nothing."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import KODE_PEMDA, client_for
from tests.support import SD_BARU, SKPD_PENDIDIKAN, plan
from tests.test_rpjmd_renstra import bappeda, dinkes, disdik  # noqa: F401 (the same users' clients, as fixtures)

DESA = "32.73.01.1001"


def usulan_url(tahun: int, suffix: str = "", kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/usulan/{tahun}{suffix}"


def isi(**over) -> dict:
    return {"masalah": "Daya tampung SD di Sukasari kurang", "uraian": "Pembangunan SD baru",
            "kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU, "lokasi": [DESA], "volume": "1",
            "satuan": "Unit", "anggaran": "3500000000.00", **over}


@pytest.fixture
def dprd(stack, accounts):
    with client_for(stack, accounts("dprd")) as client:
        yield client


def refused(resp, status: int, *fields: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    body = resp.json()
    if fields:
        assert [e["field"] for e in body["errors"]] == list(fields), body
    return body


def ok(resp, status: int = 200) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


def not_linked(report: dict) -> list[str]:
    return [t["usulan_id"] for t in report["temuan"] if t["jenis"] == "usulan_tidak_tertaut"]


def decide(client, tahun: int, u: dict, keputusan: str = "setuju", alasan: str | None = None):
    return client.post(usulan_url(tahun, f"/{u['id']}/verifikasi"),
                       json={"keputusan": keputusan, **({"alasan": alasan} if alasan else {})})


def test_a_musrenbang_proposal_from_desa_to_the_rkpd_item_that_answers_it(bappeda, disdik, dinkes, dprd, anonymous,
                                                                          stack, accounts, tahun):
    body = {"jenis": "musrenbang", "kode_desa": DESA, **isi()}
    refused(bappeda.post(usulan_url(tahun), json={**body, "kode_desa": "32.74.01.1001"}), 422, "kode_desa")
    refused(bappeda.post(usulan_url(tahun), json={**body, "anggaran": 3500000000.5}), 422, "anggaran")
    refused(dprd.post(usulan_url(tahun), json=body), 403)      # a musrenbang proposal is not the DPRD's to enter
    assert ok(bappeda.get(usulan_url(tahun)))["total"] == 0

    created = bappeda.post(usulan_url(tahun), json=body)
    u = ok(created, 201)
    assert created.headers["location"].endswith(f"/usulan/{tahun}/{u['id']}") and created.headers["etag"] == '"1"'
    assert (u["status"], u["pengusul"], u["anggaran"], [t["kode"] for t in u["alur"]]) == (
        "draft", DESA, "3500000000.00", ["kecamatan", "kabupaten_kota", "skpd"])
    url = usulan_url(tahun, f"/{u['id']}")

    # out of order: no level awaits a draft
    refused(decide(bappeda, tahun, u), 409, "status")
    u = ok(bappeda.post(f"{url}/ajukan"))
    assert (u["status"], u["tingkat"]) == ("diajukan", "kecamatan")

    # the kecamatan level is Bappeda's (no kecamatan role): an SKPD operator is not its verifier
    refused(decide(disdik, tahun, u), 403, "tingkat")
    u = ok(decide(bappeda, tahun, u))
    refused(decide(bappeda, tahun, u, "kembalikan"), 422, "alasan")
    u = ok(decide(bappeda, tahun, u, "kembalikan", "Lokasi belum tepat"))
    assert (u["status"], u["alasan"], u["tingkat"]) == ("dikembalikan", "Lokasi belum tepat", None)

    # corrected by its proposer, submitted again from the first level
    u = ok(bappeda.put(url, json=isi(lokasi=["32.73.01.1002"]), headers={"If-Match": '"4"'}))
    assert u["lokasi"] == ["32.73.01.1002"] and u["version"] == 5
    u = ok(bappeda.post(f"{url}/ajukan"))
    u = ok(decide(bappeda, tahun, u))           # kecamatan
    u = ok(decide(bappeda, tahun, u))           # the regency/city forum
    assert (u["status"], u["tingkat"]) == ("diverifikasi", "skpd")
    before = ok(bappeda.get(url))
    refused(decide(bappeda, tahun, u), 403, "tingkat")           # the SKPD concerned decides here, not Bappeda
    refused(decide(dinkes, tahun, u), 403)                       # nor another SKPD's operator
    assert ok(bappeda.get(url)) == before
    u = ok(decide(disdik, tahun, u))
    assert (u["status"], u["tingkat"]) == ("diterima", None)
    assert [(s["aksi"], s["tingkat"]) for s in u["riwayat"]] == [
        ("ajukan", None), ("setuju", "kecamatan"), ("kembalikan", "kabupaten_kota"), ("ajukan", None),
        ("setuju", "kecamatan"), ("setuju", "kabupaten_kota"), ("setuju", "skpd")]
    refused(decide(disdik, tahun, u, "tolak", "terlambat"), 409, "status")   # accepted is final

    # accepted, not yet answered: the RKPD's consistency report lists it (to the SKPD concerned, not another)
    konsistensi = f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/konsistensi"
    assert not_linked(ok(bappeda.get(konsistensi))) == [u["id"]]
    assert ok(dinkes.get(konsistensi))["temuan"] == []

    # linked to the RKPD item that answers it, which lists it
    item = plan(bappeda, tahun)
    refused(disdik.put(f"{url}/rkpd", json={"rkpd_id": "00000000-0000-0000-0000-000000000000"}), 422, "rkpd_id")
    u = ok(disdik.put(f"{url}/rkpd", json={"rkpd_id": item["id"]}))
    assert u["rkpd_id"] == item["id"]
    answered = ok(disdik.get(f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/sub-kegiatan/{item['id']}"))
    assert [(a["id"], a["jenis"], a["status"]) for a in answered["usulan"]] == [(u["id"], "musrenbang", "diterima")]
    report = ok(disdik.get(konsistensi))
    assert not_linked(report) == [] and report["jumlah"]["usulan_tidak_tertaut"] == 0
    assert ok(bappeda.get(usulan_url(tahun), params={"rkpd_id": item["id"]}))["total"] == 1

    # readers: every role of the pemda (an SKPD operator: its own SKPD's), never the public nor another pemda
    assert ok(dprd.get(url))["id"] == u["id"]
    assert ok(dinkes.get(usulan_url(tahun)))["total"] == 0
    refused(dinkes.get(url), 403)
    assert anonymous.get(usulan_url(tahun)).status_code == 401
    with client_for(stack, accounts("bappeda", "32.74")) as other:
        refused(other.get(url), 403)
        refused(other.post(f"{url}/verifikasi", json={"keputusan": "setuju"}), 403)
        refused(other.put(f"{url}/rkpd", json={"rkpd_id": item["id"]}), 403)
    audit = ok(bappeda.get(f"{url}/audit", params={"per_page": 50}))
    assert audit["total"] == u["version"] and audit["items"][0]["action"] == "create"

    # unlinked, before the RKPD is enacted
    u = ok(bappeda.delete(f"{url}/rkpd"))
    assert u["rkpd_id"] is None
    assert ok(bappeda.get(f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/sub-kegiatan/{item['id']}"))["usulan"] == []


def test_a_dprd_member_enters_and_submits_its_own_pokir_which_bappeda_and_the_skpd_verify(
        bappeda, disdik, dprd, stack, accounts, tahun):
    body = {"jenis": "pokir", "fraksi": "Fraksi Contoh", "dapil": "Bandung 1", **isi(kode_sub_kegiatan=None)}
    del body["kode_sub_kegiatan"]
    refused(bappeda.post(usulan_url(tahun), json=body), 403)     # a pokir is a member's own
    key = {"Idempotency-Key": str(uuid.uuid4())}
    p = ok(dprd.post(usulan_url(tahun), json=body, headers=key), 201)
    # sent again with its key (a retry after a lost answer): the first answer, one proposal; another body: 422
    assert ok(dprd.post(usulan_url(tahun), json=body, headers=key), 201) == p
    refused(dprd.post(usulan_url(tahun), json={**body, "volume": "2"}, headers=key), 422, "Idempotency-Key")
    assert [u["id"] for u in ok(dprd.get(usulan_url(tahun)))["items"]] == [p["id"]]
    assert (p["jenis"], p["pengusul"], p["fraksi"], [t["kode"] for t in p["alur"]]) == (
        "pokir", accounts("dprd").username, "Fraksi Contoh", ["bappeda", "skpd"])
    url = usulan_url(tahun, f"/{p['id']}")
    with client_for(stack, accounts.new("dprd")) as another_member:
        refused(another_member.post(f"{url}/ajukan"), 403)
        refused(another_member.put(url, json=isi()), 403)
    assert ok(dprd.get(url))["version"] == 1
    p = ok(dprd.post(f"{url}/ajukan"))
    refused(decide(dprd, tahun, p), 403, "tingkat")               # a member does not verify
    p = ok(decide(bappeda, tahun, p))
    p = ok(decide(disdik, tahun, p, "tolak", "Sudah dianggarkan tahun berjalan"))
    assert (p["status"], p["alasan"]) == ("ditolak", "Sudah dianggarkan tahun berjalan")
    assert ok(dprd.get(usulan_url(tahun), params={"jenis": "pokir", "status": "ditolak"}))["total"] == 1


def test_proposals_are_written_only_in_the_stages_of_the_schedule(bappeda, tahun):
    now = datetime.now(timezone.utc)
    stages = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
    resp = bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal", json={"dokumen": "rkpd", "tahun": tahun, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in stages]})
    assert resp.status_code == 201, resp.text
    body = {"jenis": "musrenbang", "kode_desa": DESA, **isi()}
    refused(bappeda.post(usulan_url(tahun), json=body), 409, "tahun")   # no stage open yet
    assert ok(bappeda.get(usulan_url(tahun)))["total"] == 0
    ok(bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rkpd/{tahun}/tahap/rancangan_awal/buka"))
    ok(bappeda.post(usulan_url(tahun), json=body), 201)
