"""Creates happen once: a POST that creates (RKPD item, budget line, user, schedule), sent again with its ``Idempotency-Key`` and the same body, answers the
first answer (and consumes no ceiling twice); with another body it is 422. A create whose reply was lost (a 504, a
redelivered RPC) and is repeated with the same key happens once too: the key is kept with the record, by its owner.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from nameko.standalone.rpc import ClusterRpcClient

from tests.conftest import PASSWORD
from tests.support import REKENING_GEDUNG_SEKOLAH, apbd_url, plan, rkpd_url, wait_plafon

SD_LAIN = "1.01.02.2.01.0006"  # Pembangunan Sarana, Prasarana dan Utilitas Sekolah (1317/2023)


def _key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _line(rkpd_id: str, volume: str = "1") -> dict:
    return {"rkpd_id": rkpd_id, "kode_rekening": REKENING_GEDUNG_SEKOLAH, "uraian": "Pembangunan gedung",
            "volume": volume, "satuan": "Paket", "harga_satuan": "400000000"}


def _lines(api, tahun, rkpd_id) -> list[dict]:
    resp = api.get(apbd_url(tahun, "rincian"), params={"rkpd_id": rkpd_id})
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_a_budget_line_sent_twice_with_its_key_is_added_once(api, tahun):
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    key = _key()
    first = api.post(apbd_url(tahun, "rincian"), json=_line(item["id"]), headers=key)
    again = api.post(apbd_url(tahun, "rincian"), json=_line(item["id"]), headers=key)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    assert [line["id"] for line in _lines(api, tahun, item["id"])] == [first.json()["id"]]
    wait_plafon(api, tahun, item["id"], lambda p: Decimal(p["total_rincian"]) == Decimal("400000000"))

    other = api.post(apbd_url(tahun, "rincian"), json=_line(item["id"], volume="2"), headers=key)
    assert other.status_code == 422 and other.json()["errors"] == [
        {"field": "Idempotency-Key", "message": "already used for another request"}]
    # without a key, each POST is a new line (as before)
    assert api.post(apbd_url(tahun, "rincian"), json=_line(item["id"])).status_code == 201
    assert len(_lines(api, tahun, item["id"])) == 2


def test_an_rkpd_item_and_a_user_sent_twice_with_their_key_are_created_once(api, tahun):
    key = _key()
    body = {"kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": SD_LAIN, "indikator": "Jumlah Sekolah",
            "target": "2", "satuan": "Unit", "pagu_indikatif": "5000000.00"}
    first = api.post(rkpd_url(tahun), json=body, headers=key)
    again = api.post(rkpd_url(tahun), json=body, headers=key)  # not 409 "already planned": the same request
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json()["id"] == first.json()["id"] and again.headers["location"] == first.headers["location"]

    user = {"username": f"idem.{uuid.uuid4().hex[:8]}", "password": PASSWORD, "role": "dprd", "kode_pemda": "32.73"}
    key = _key()
    first = api.post("/api/v1/users", json=user, headers=key)
    again = api.post("/api/v1/users", json=user, headers=key)  # not 409 "username taken"
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    other = api.post("/api/v1/users", json={**user, "role": "inspektur"}, headers=key)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_create_that_ran_but_whose_answer_was_lost_is_not_repeated(api, amqp_uri, pusat_admin, tahun):
    """The gateway passes the key on: a call that reached keuangan (its answer lost: a 504, a redelivery) and is
    repeated, over the broker or by the client's retry, finds the line made the first time."""
    item = plan(api, tahun)
    wait_plafon(api, tahun, item["id"])
    key = str(uuid.uuid4())
    with ClusterRpcClient(context_data={"auth_token": pusat_admin.token}, timeout=15, uri=amqp_uri) as rpc:
        ran = rpc.keuangan.create_rincian("32.73", tahun, _line(item["id"]), idempotency_key=key)
        redelivered = rpc.keuangan.create_rincian("32.73", tahun, _line(item["id"]), idempotency_key=key)
    assert redelivered == ran
    retried = api.post(apbd_url(tahun, "rincian"), json=_line(item["id"]), headers={"Idempotency-Key": key})
    assert retried.status_code == 201 and retried.json()["id"] == ran["id"]
    assert [line["id"] for line in _lines(api, tahun, item["id"])] == [ran["id"]]


def test_a_schedule_sent_twice_with_its_key_is_made_once(api, tahun):
    from tests.test_jadwal import STAGES

    now = datetime.now(timezone.utc)
    body = {"dokumen": "rkpd", "tahun": tahun, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in STAGES]}
    key, url = _key(), "/api/v1/pemda/32.73/jadwal"
    first = api.post(url, json=body, headers=key)
    again = api.post(url, json=body, headers=key)  # not 409 "scheduled already": the same request
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    other = api.post(url, json={**body, "tahap": body["tahap"][:-1]}, headers=key)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert api.post(url, json=body).status_code == 409  # without its key, a second schedule of the year
