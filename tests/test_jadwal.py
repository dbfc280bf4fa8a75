"""One pemda's RKPD through its stages, over HTTP, against the real stack: scheduled windows, writes only
while a stage is open, locks that keep content-hashed snapshots (two Bappeda users racing: one lock, one
snapshot), a reopening for a reason, penetapan's event as a consumer receives it, and the perubahan that
keeps the enacted (murni) figures."""
from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import kombu
import psycopg
import pytest
from openpyxl import load_workbook

from ops.testing import wait_until
from tests.conftest import KODE_PEMDA, client_for
from tests.support import SKPD_PENDIDIKAN, SD_BARU, plan, rkpd_url

STAGES = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
KESEHATAN = "1.02.0.00.0.00.01.0000"
PUSKESMAS = "1.02.02.2.01.0001"


def jadwal_url(tahun: int, suffix: str = "") -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rkpd/{tahun}{suffix}"


def tahap_url(tahun: int, kode: str, action: str) -> str:
    return jadwal_url(tahun, f"/tahap/{kode}/{action}")


def schedule(api, tahun: int) -> dict:
    """Every stage's window open from an hour ago for a week (stages open one after another)."""
    now = datetime.now(timezone.utc)
    body = {"dokumen": "rkpd", "tahun": tahun, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in STAGES]}
    resp = api.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal", json=body)
    assert resp.status_code == 201, resp.text
    assert resp.headers["location"].endswith(f"/jadwal/rkpd/{tahun}")
    return resp.json()


def step(api, tahun: int, kode: str, action: str, **body) -> dict:
    resp = api.post(tahap_url(tahun, kode, action), **({"json": body} if body else {}))
    assert resp.status_code == 200, resp.text
    return resp.json()


def stage(j: dict, kode: str) -> dict:
    return next(t for t in j["tahap"] if t["kode"] == kode)


def snapshot(api, id: str, **params) -> dict:
    resp = api.get(f"/api/v1/pemda/{KODE_PEMDA}/snapshot/{id}", params={"per_page": 200, **params})
    assert resp.status_code == 200, resp.text
    return resp.json()


def rehash(s: dict) -> str:
    """The hash as the API documents it, computed here independently of the service."""
    header = {k: s[k] for k in ("kode_pemda", "dokumen", "tahun", "kode_tahap", "kunci_ke", "dari_snapshot_id",
                                "murni_snapshot_id")}
    text = json.dumps({"header": header, "items": s["items"]}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class Consumer:
    """A queue of our own bound to ``rkpd.ditetapkan.v1``, as keuangan's KUA-PPAS would bind one."""

    def __init__(self, amqp_uri: str):
        self.conn = kombu.Connection(amqp_uri)
        exchange = kombu.Exchange("perencanaan.events", type="topic", durable=True)
        self.queue = kombu.Queue(f"test-rkpd-ditetapkan-{uuid.uuid4()}", exchange=exchange, exclusive=True,
                                 routing_key="rkpd.ditetapkan.v1")
        self.received: list[dict] = []
        self.consumer = kombu.Consumer(self.conn, [self.queue], callbacks=[self._on], accept=["json"])
        self.consumer.consume()

    def _on(self, body, message):
        self.received.append(body)
        message.ack()

    def wait(self, check, timeout: float = 15) -> dict:
        def poll():
            try:
                self.conn.drain_events(timeout=0.2)
            except socket.timeout:
                pass
            return next((e for e in self.received if check(e)), None)
        return wait_until(poll, timeout, interval=0, message="rkpd.ditetapkan.v1")

    def close(self):
        self.conn.release()


@pytest.fixture
def consumer(amqp_uri):
    c = Consumer(amqp_uri)
    yield c
    c.close()


@pytest.fixture
def bappeda(stack, accounts):
    with client_for(stack, accounts("bappeda")) as client:
        yield client


def test_the_rkpd_goes_through_its_stages_to_penetapan_and_the_event(bappeda, stack, accounts, tahun, consumer,
                                                                     admin_db):
    j = schedule(bappeda, tahun)
    assert [t["status"] for t in j["tahap"]] == ["draft"] * 5 and j["tahap_terbuka"] is None

    # no stage open: the RKPD of that year is not written, and nothing changes
    refused = bappeda.post(rkpd_url(tahun), json={"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU,
                                                  "indikator": "i", "target": "1", "satuan": "Unit",
                                                  "pagu_indikatif": "1"})
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "tahun"
    assert bappeda.get(rkpd_url(tahun)).json()["total"] == 0
    assert bappeda.post(tahap_url(tahun, "rancangan", "buka")).status_code == 409  # rancangan_awal first

    opened = step(bappeda, tahun, "rancangan_awal", "buka")
    assert opened["tahap_terbuka"] == "rancangan_awal"
    item = plan(bappeda, tahun, pagu_indikatif="1500000000.25")
    with client_for(stack, accounts("skpd_operator", KODE_PEMDA, KESEHATAN)) as dinkes:
        other = plan(dinkes, tahun, kode_skpd=KESEHATAN, kode_sub_kegiatan=PUSKESMAS, pagu_indikatif="250000000")
        # an SKPD operator reads the schedule, but does not lock it
        assert dinkes.get(jadwal_url(tahun)).status_code == 200
        assert dinkes.post(tahap_url(tahun, "rancangan_awal", "kunci")).status_code == 403

    # two Bappeda users lock at once: one lock, one snapshot
    second = accounts.new("bappeda")
    results = []
    barrier = threading.Barrier(2)

    def lock(account):
        with client_for(stack, account) as client:
            barrier.wait()
            results.append(client.post(tahap_url(tahun, "rancangan_awal", "kunci")))

    threads = [threading.Thread(target=lock, args=(a,)) for a in (accounts("bappeda"), second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    locked = next(r.json() for r in results if r.status_code == 200)
    first = stage(locked, "rancangan_awal")
    listed = bappeda.get(jadwal_url(tahun, "/snapshot")).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == first["snapshot_id"]

    s = snapshot(bappeda, first["snapshot_id"])
    assert s["hash"] == rehash(s) and s["total"] == 2
    assert {i["id"] for i in s["items"]} == {item["id"], other["id"]}
    assert s["ringkasan"]["total"]["pagu_indikatif"] == "1750000000.25"
    assert bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"target": "5"}).status_code == 409

    # the database itself keeps the snapshot as it was
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
        admin_db.execute("UPDATE perencanaan.jadwal_snapshot SET hash = 'x' WHERE id = %s", (first["snapshot_id"],))

    # the next stage starts from the snapshot; a reopening needs a reason and is in the audit trail
    assert stage(step(bappeda, tahun, "rancangan", "buka"), "rancangan")["dari_snapshot_id"] == first["snapshot_id"]
    step(bappeda, tahun, "rancangan", "kunci")
    until = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    no_reason = bappeda.post(tahap_url(tahun, "rancangan", "buka-kembali"), json={"waktu_selesai": until})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "alasan"
    reopened = step(bappeda, tahun, "rancangan", "buka-kembali", alasan="pagu Dinkes belum final", waktu_selesai=until)
    assert stage(reopened, "rancangan")["status"] == "terbuka"
    changed = bappeda.patch(f"{rkpd_url(tahun)}/{other['id']}", json={"pagu_indikatif": "300000000"})
    assert changed.status_code == 200, changed.text
    assert stage(step(bappeda, tahun, "rancangan", "kunci"), "rancangan")["jumlah_kunci"] == 2
    trail = bappeda.get(jadwal_url(tahun, "/audit"), params={"per_page": 200}).json()["items"]
    assert any(e["after"].get("alasan") == "pagu Dinkes belum final" for e in trail)

    for kode in STAGES[2:-1]:
        step(bappeda, tahun, kode, "buka")
        step(bappeda, tahun, kode, "kunci")
    step(bappeda, tahun, "penetapan", "buka")
    enacted = stage(step(bappeda, tahun, "penetapan", "kunci"), "penetapan")

    event = consumer.wait(lambda e: e["snapshot_id"] == enacted["snapshot_id"])
    assert (event["kode_pemda"], event["tahun"], event["kode_tahap"], event["perubahan"]) == (
        KODE_PEMDA, tahun, "penetapan", False)
    assert event["total_pagu_indikatif"] == "1800000000.25" and event["jumlah_sub_kegiatan"] == 2
    assert {(r["kode_skpd"], r["pagu_indikatif"]) for r in event["skpd"]} == {
        (SKPD_PENDIDIKAN, "1500000000.25"), (KESEHATAN, "300000000.00")}
    assert {r["kode_program"] for r in event["program"]} == {"1.01.02", "1.02.02"}
    assert {r["kode_kegiatan"] for r in event["kegiatan"]} == {"1.01.02.2.01", "1.02.02.2.01"}
    assert {r["kode_sub_kegiatan"] for r in event["sub_kegiatan"]} == {SD_BARU, PUSKESMAS}
    enacted_snapshot = snapshot(bappeda, enacted["snapshot_id"])
    assert event["hash"] == enacted_snapshot["hash"] == rehash(enacted_snapshot)
    assert bappeda.post(tahap_url(tahun, "penetapan", "buka-kembali"),
                        json={"alasan": "x", "waktu_selesai": until}).status_code == 409

    # perubahan: from the enacted snapshot, which stays as enacted beside the revised figures
    now = datetime.now(timezone.utc)
    added = bappeda.post(jadwal_url(tahun, "/tahap"), json={
        "kode_tahap": "perubahan", "waktu_mulai": (now - timedelta(minutes=1)).isoformat(),
        "waktu_selesai": (now + timedelta(days=1)).isoformat()})
    assert added.status_code == 200, added.text
    step(bappeda, tahun, "perubahan", "buka")
    assert bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"pagu_indikatif": "1000000000"}).status_code == 200
    revised = stage(step(bappeda, tahun, "perubahan", "kunci"), "perubahan")
    event = consumer.wait(lambda e: e["snapshot_id"] == revised["snapshot_id"])
    assert (event["perubahan"], event["murni_snapshot_id"]) == (True, enacted["snapshot_id"])
    assert (event["total_pagu_indikatif"], event["total_pagu_indikatif_murni"]) == ("1300000000.00", "1800000000.25")
    assert snapshot(bappeda, enacted["snapshot_id"]) == enacted_snapshot
    pendidikan = snapshot(bappeda, revised["snapshot_id"], kode_skpd=SKPD_PENDIDIKAN)["items"]
    assert [(i["pagu_indikatif"], i["pagu_indikatif_murni"]) for i in pendidikan] == [("1000000000.00",
                                                                                      "1500000000.25")]
    assert sum(Decimal(r["pagu_indikatif"]) for r in event["sub_kegiatan"]) == Decimal("1300000000.00")

    # the enacted RKPD printed, as enacted (the perubahan changed the live figures since)
    doc_url = f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/dokumen"
    xlsx = bappeda.get(f"{doc_url}/xlsx", params={"snapshot_id": enacted["snapshot_id"]})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), xlsx.text
    assert f'rkpd-{KODE_PEMDA}-{tahun}.xlsx' in xlsx.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=5, values_only=True))
    assert rows[-1][1] == "JUMLAH" and Decimal(str(rows[-1][6])) == Decimal("1800000000.25")
    assert {r[0] for r in rows} >= {SKPD_PENDIDIKAN, KESEHATAN, "1.01.02", "1.01.02.2.01", SD_BARU, PUSKESMAS}
    # the perubahan printed: pagu murni beside the revised pagu and the difference
    book = load_workbook(io.BytesIO(bappeda.get(f"{doc_url}/xlsx", params={
        "snapshot_id": revised["snapshot_id"]}).content)).active
    assert [c.value for c in book[4]][6:9] == ["Pagu N Murni", "Pagu N Perubahan", "Bertambah/(Kurang)"]
    total = list(book.iter_rows(min_row=5, values_only=True))[-1]
    assert total[1] == "JUMLAH" and [Decimal(str(v)) for v in total[6:9]] == [
        Decimal("1800000000.25"), Decimal("1300000000.00"), Decimal("-500000000.25")]
    pdf = bappeda.get(f"{doc_url}/pdf", params={"kode_skpd": KESEHATAN})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_an_item_records_its_details_and_its_skpd_stays_under_the_ceiling(bappeda, stack, accounts, tahun):
    url = f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/pagu-skpd/{SKPD_PENDIDIKAN}"
    set_ = bappeda.put(url, json={"pagu": "1000000.00"})
    assert set_.status_code == 200 and set_.headers["etag"] == '"1"', set_.text
    item = plan(bappeda, tahun, pagu_indikatif="600000.00", pagu_indikatif_n1="650000", lokasi=["32.73.01"],
                bulan_mulai=2, bulan_selesai=10, label_prioritas=["SPM"],
                sumber_dana=[{"kode_sumber_dana": "1.1", "pagu": "600000"}])
    assert (item["pagu_indikatif_n1"], item["lokasi"], item["sumber_dana"]) == (
        "650000.00", ["32.73.01"], [{"kode_sumber_dana": "1.1", "pagu": "600000.00"}])
    # a location is a region the codification holds, down to the desa/kelurahan
    nowhere = bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"lokasi": ["32.73.01.1001", "32.73.01.9999"]})
    assert nowhere.status_code == 422 and [e["field"] for e in nowhere.json()["errors"]] == ["lokasi.1"], nowhere.text
    assert bappeda.get(f"{rkpd_url(tahun)}/{item['id']}").json()["lokasi"] == ["32.73.01"]
    over = bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={
        "pagu_indikatif": "1000000.01", "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": "1000000.01"}]})
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "pagu_indikatif", over.text
    assert bappeda.get(f"{rkpd_url(tahun)}/{item['id']}").json()["pagu_indikatif"] == "600000.00"
    assert bappeda.put(url, json={"pagu": "599999.99"}).json()["errors"][0]["field"] == "pagu"
    with client_for(stack, accounts("skpd_operator", KODE_PEMDA, SKPD_PENDIDIKAN)) as disdik:
        assert disdik.put(url, json={"pagu": "9000000"}).status_code == 403
        [row] = disdik.get(f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/pagu-skpd").json()["items"]
    assert (row["pagu"], row["terpakai"], row["sisa"]) == ("1000000.00", "600000.00", "400000.00")
    assert bappeda.put(url, json={"pagu": "2000000"}, headers={"If-Match": '"0"'}).status_code == 412
