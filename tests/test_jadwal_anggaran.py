"""The budget's schedule windows over HTTP, against the real stack: an RKA line refused while the RKA stage's
window is closed (409 naming `tahap`, nothing stored), accepted once TAPD extends it; TAPD's lock keeps a
content-hashed snapshot of the stage and closes it; TAPD reopens it for a reason (recorded), its lines are written
again, and a new lock keeps a second snapshot beside the first, unchanged."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from tests.conftest import KODE_PEMDA, client_for
from tests.support import SKPD_PENDIDIKAN, apbd_url, line, plan, wait_plafon


def url(tahun: int, suffix: str = "") -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/jadwal-anggaran/{tahun}{suffix}"


def test_an_rka_line_follows_its_stage_window_and_a_lock_keeps_a_snapshot(api, accounts, stack, tahun):
    bappeda, tapd = client_for(stack, accounts("bappeda")), client_for(stack, accounts("tapd"))
    operator = client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN))
    item = plan(bappeda, tahun)
    wait_plafon(tapd, tahun, item["id"])
    assert tapd.get(url(tahun)).status_code == 404  # no budget schedule: every stage open, as before

    now, hour = datetime.now(timezone.utc), timedelta(hours=1)
    windows = [("ppas", now - 48 * hour, now - 24 * hour), ("rka", now - 24 * hour, now - hour),
               ("rapbd", now - hour, now + 24 * hour)]
    body = {"tahap": [{"kode_tahap": k, "waktu_mulai": a.isoformat(), "waktu_selesai": b.isoformat()}
                      for k, a, b in windows]}
    assert operator.post(url(tahun), json=body).status_code == 403  # TAPD's to schedule
    made = tapd.post(url(tahun), json=body)
    assert made.status_code == 201, made.text
    assert {t["kode"]: t["terbuka_sekarang"] for t in made.json()["tahap"]} == {
        "ppas": False, "rka": False, "rapbd": True}

    # the RKA window is over: a line is refused naming the stage, nothing stored
    closed = line(operator, tahun, item["id"])
    assert closed.status_code == 409, closed.text
    error = closed.json()["errors"][0]
    assert error["field"] == "tahap" and "rka" in error["message"], closed.text
    assert tapd.get(apbd_url(tahun, "rincian"), params={"per_page": 200}).json()["total"] == 0

    # extended (perpanjang): open again, the line is accepted
    short = tapd.post(url(tahun, "/tahap/rka/perpanjang"), json={"waktu_selesai": (now - hour / 2).isoformat()})
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "waktu_selesai", short.text
    extended = tapd.post(url(tahun, "/tahap/rka/perpanjang"), json={"waktu_selesai": (now + 24 * hour).isoformat()})
    assert extended.status_code == 200, extended.text
    accepted = line(operator, tahun, item["id"])
    assert accepted.status_code == 201, accepted.text

    # locked by TAPD: a snapshot of the stage's lines, content-hashed; the stage is written no more
    assert operator.post(url(tahun, "/tahap/rka/kunci")).status_code == 403
    locked = tapd.post(url(tahun, "/tahap/rka/kunci"))
    assert locked.status_code == 200, locked.text
    rka = next(t for t in locked.json()["tahap"] if t["kode"] == "rka")
    assert rka["status"] == "terkunci" and rka["snapshot_id"] and not rka["terbuka_sekarang"]
    snap = operator.get(url(tahun, f"/snapshot/{rka['snapshot_id']}"))
    assert snap.status_code == 200, snap.text
    isi = snap.json()["isi"]
    assert Decimal(isi["total_belanja"]) == Decimal(accepted.json()["jumlah"]) and len(snap.json()["hash"]) == 64
    assert [b["kode_skpd"] for b in isi["belanja"]] == [SKPD_PENDIDIKAN]
    again = tapd.post(url(tahun, "/tahap/rka/kunci"))
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "tahap", again.text
    after = line(operator, tahun, item["id"], harga_satuan="1")
    assert after.status_code == 409 and after.json()["errors"][0]["field"] == "tahap", after.text
    assert tapd.get(url(tahun, f"/snapshot/{rka['snapshot_id']}")).json() == snap.json()  # kept unchanged

    # reopened by TAPD for a reason (recorded, the snapshot kept): written again; locked again, a second snapshot
    body = {"alasan": "koreksi hasil verifikasi TAPD", "waktu_selesai": (now + 24 * hour).isoformat()}
    assert operator.post(url(tahun, "/tahap/rka/buka-kembali"), json=body).status_code == 403
    past = tapd.post(url(tahun, "/tahap/rka/buka-kembali"), json={**body, "waktu_selesai": (now - hour).isoformat()})
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "waktu_selesai", past.text
    reopened = tapd.post(url(tahun, "/tahap/rka/buka-kembali"), json=body)
    assert reopened.status_code == 200, reopened.text
    rka = next(t for t in reopened.json()["tahap"] if t["kode"] == "rka")
    assert rka["status"] == "terbuka" and rka["terbuka_sekarang"] and rka["jumlah_kunci"] == 1
    assert [(b["alasan"], b["snapshot_id"]) for b in rka["buka_kembali"]] == [(body["alasan"], snap.json()["id"])]
    more = line(operator, tahun, item["id"], harga_satuan="2")
    assert more.status_code == 201, more.text
    relocked = tapd.post(url(tahun, "/tahap/rka/kunci"))
    assert relocked.status_code == 200, relocked.text
    rka = next(t for t in relocked.json()["tahap"] if t["kode"] == "rka")
    second = operator.get(url(tahun, f"/snapshot/{rka['snapshot_id']}")).json()
    assert (second["versi"], rka["jumlah_kunci"]) == (2, 2) and second["id"] != snap.json()["id"]
    assert Decimal(second["isi"]["total_belanja"]) == Decimal(accepted.json()["jumlah"]) + Decimal(more.json()["jumlah"])
    assert tapd.get(url(tahun, f"/snapshot/{snap.json()['id']}")).json() == snap.json()  # the first, unchanged
    assert snap.json()["versi"] == 1
