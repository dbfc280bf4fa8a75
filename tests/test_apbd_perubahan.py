"""The APBD-P and the pergeseran through the gateway, on the running stack: from an enacted APBD, every position
shows murni, perubahan and selisih; the PPKD shifts within a rincian objek (accepted, the total unchanged,
recorded; the DPA's new version is the budget as shifted, its months adding up, the version before kept); a shift
between objek is above the PPKD's authority (422 naming the field, nothing changed); the enacted budget's stages do
not reopen; the APBD-P is opened, changed and enacted (its Perda; ``apbd.perubahan.ditetapkan`` published; the DPA
told again) and the murni APBD stays as enacted."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import kombu
import pytest

from ops.testing import wait_until
from tests.conftest import client_for
from tests.support import SKPD_PENDIDIKAN, apbd_url, line, plan, wait_plafon

PEGAWAI, GUDANG, KANTOR, CANDI = "5.1.01.01.01.0001", "5.2.03.01.01.0002", "5.2.03.01.01.0001", "5.2.03.02.01.0001"
BAPENDA, PAJAK_HOTEL = "5.02.0.00.0.00.02.0000", "4.1.01.06.01.0001"
PENETAPAN = {"nomor_perda": "Perda Kota Bandung No. 12", "tanggal_perda": "2026-12-20",
             "nomor_perkada": "Perwal Bandung No. 88", "tanggal_perkada": "2026-12-21"}
PERUBAHAN = {"nomor_perda": "Perda Kota Bandung No. 7 (Perubahan APBD)", "tanggal_perda": "2027-09-30",
             "nomor_perkada": "Perwal Bandung No. 51", "tanggal_perkada": "2027-10-01"}


@pytest.fixture
def perubahan_events(amqp_uri):
    """A queue bound to keuangan's ``apbd.perubahan.ditetapkan.v1``: waits for the event of an aggregate."""
    with kombu.Connection(amqp_uri) as conn:
        exchange = kombu.Exchange("keuangan.events", type="topic", durable=True)
        queue = kombu.Queue(f"test-apbd-perubahan-{uuid.uuid4()}", exchange,
                            routing_key="apbd.perubahan.ditetapkan.v1")
        bound = queue(conn.channel())
        bound.declare()

        def received(aggregate_id: str) -> dict:
            def one():
                message = bound.get(no_ack=True)
                payload = json.loads(message.body) if message else None
                return payload if payload and payload["aggregate_id"] == aggregate_id else None
            return wait_until(one, 15, message=f"apbd.perubahan.ditetapkan of {aggregate_id}")

        yield received
        bound.delete()


def _positions(api, tahun: int) -> dict:
    resp = api.get(apbd_url(tahun, "perubahan/pos"), params={"per_page": 200})
    assert resp.status_code == 200, resp.text
    return {p["kode_rekening"]: tuple(Decimal(p[k]) for k in ("murni", "perubahan", "selisih"))
            for p in resp.json()["items"]}


def _ringkasan(api, tahun: int, what: str) -> tuple:
    body = api.get(apbd_url(tahun, "perubahan")).json()
    return tuple(Decimal(body["ringkasan"][what][k]) for k in ("murni", "perubahan", "selisih"))


def _shift(rkpd_id: str, ke: str, jumlah: str) -> dict:
    return {"dari": {"rkpd_id": rkpd_id, "kode_rekening": GUDANG}, "ke": {"rkpd_id": rkpd_id, "kode_rekening": ke},
            "jumlah": jumlah, "alasan": "kebutuhan gedung kantor"}


def _dpa(api, tahun: int, suffix: str = "") -> dict:
    resp = api.get(f"/api/v1/pemda/32.73/dpa/{tahun}/skpd/{SKPD_PENDIDIKAN}{suffix}")
    assert resp.status_code == 200, resp.text
    return resp.json()


def _authorise(api, tahun: int, versi: int) -> None:
    resp = api.post(f"/api/v1/pemda/32.73/dpa/{tahun}/skpd/{SKPD_PENDIDIKAN}/pengesahan", json={"versi": versi})
    assert resp.status_code == 200, resp.text


def _dpa_matches_the_budget(api, tahun: int, versi: int) -> dict:
    """The SKPD's latest DPA is version ``versi``, its lines the positions as they are now, each line's months
    adding up to it."""
    dpa = _dpa(api, tahun)
    assert dpa["versi"] == versi, dpa
    pos = {k: v[1] for k, v in _positions(api, tahun).items() if k.startswith("5.")}
    assert {b["kode_rekening"]: Decimal(b["jumlah"]) for b in dpa["baris"]} == pos
    assert Decimal(dpa["jumlah"]) == sum(pos.values())
    assert all(sum(Decimal(k) for k in b["kas"]) == Decimal(b["jumlah"]) for b in dpa["baris"])
    return dpa


def test_an_enacted_apbd_is_shifted_within_authority_and_revised_by_its_apbd_p_keeping_murni(
        stack, accounts, tahun, perubahan_events):
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="2000000000.00")
    with client_for(stack, accounts("tapd")) as tapd, client_for(stack, accounts("ppkd")) as ppkd:
        wait_plafon(tapd, tahun, item["id"])
        assert line(tapd, tahun, item["id"], kode_rekening=PEGAWAI, harga_satuan="600000000.00").status_code == 201
        assert line(tapd, tahun, item["id"]).status_code == 201  # 400,000,000 on the warehouse
        assert tapd.post(apbd_url(tahun, "pendapatan"), json={
            "kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL, "uraian": "Pajak hotel",
            "jumlah": "1000000000.00"}).status_code == 201
        # before enactment there is nothing to shift or revise
        early = ppkd.post(apbd_url(tahun, "pergeseran"), json=_shift(item["id"], KANTOR, "1"))
        assert early.status_code == 409 and early.json()["errors"][0]["field"] == "status", early.text
        assert tapd.post(apbd_url(tahun, "pengajuan")).status_code == 200
        with client_for(stack, accounts("provinsi_admin", "32")) as province:
            assert province.post(apbd_url(tahun, "evaluasi"), json={"hasil": "sesuai"}).status_code == 200
        enacted = tapd.post(apbd_url(tahun, "penetapan"), json=PENETAPAN)
        assert enacted.status_code == 200, enacted.text
        murni_apbd = tapd.get(apbd_url(tahun, "penetapan")).json()
        # its DPA, versi 1 authorised
        assert tapd.post(f"/api/v1/pemda/32.73/dpa/{tahun}").status_code == 200
        _authorise(tapd, tahun, 1)
        v1 = _dpa_matches_the_budget(tapd, tahun, 1)

        # the enacted budget's stages never reopen (a change is the APBD-P's): scheduled now, rapbd locked
        now, jadwal = datetime.now(timezone.utc), f"/api/v1/pemda/32.73/jadwal-anggaran/{tahun}"
        assert tapd.post(jadwal, json={"tahap": [
            {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1) + timedelta(minutes=i)).isoformat(),
             "waktu_selesai": (now + timedelta(days=1)).isoformat()}
            for i, k in enumerate(("ppas", "rka", "rapbd", "apbd_p"))]}).status_code == 201
        assert tapd.post(f"{jadwal}/tahap/rapbd/kunci").status_code == 200
        reopened = tapd.post(f"{jadwal}/tahap/rapbd/buka-kembali", json={
            "alasan": "koreksi", "waktu_selesai": (now + timedelta(days=2)).isoformat()})
        assert reopened.status_code == 409 and reopened.json()["errors"][0]["field"] == "tahap", reopened.text

        pos = _positions(tapd, tahun)
        assert pos[GUDANG] == (Decimal(400000000), Decimal(400000000), Decimal(0))
        assert _ringkasan(tapd, tahun, "belanja") == (Decimal(1000000000),) * 2 + (Decimal(0),)

        # within one rincian objek: the PPKD's authority
        accepted = ppkd.post(apbd_url(tahun, "pergeseran"), json=_shift(item["id"], KANTOR, "100000000.00"))
        assert accepted.status_code == 201, accepted.text
        assert (accepted.json()["kewenangan"], accepted.json()["peran"]) == ("antar_sub_rincian_objek", "ppkd")
        pos = _positions(tapd, tahun)
        assert pos[GUDANG] == (Decimal(400000000), Decimal(300000000), Decimal(-100000000))
        assert pos[KANTOR] == (Decimal(0), Decimal(100000000), Decimal(100000000))
        assert _ringkasan(tapd, tahun, "belanja")[2] == 0  # the total is unchanged
        # the DPA's new version is the budget as shifted; the version before is as it was
        v2 = _dpa_matches_the_budget(tapd, tahun, 2)
        assert (v2["status"], v2["sebab"], v2["jumlah"]) == ("draft", "pergeseran", v1["jumlah"])
        assert _dpa(tapd, tahun, "/versi/1") == v1
        _authorise(tapd, tahun, 2)

        # between objek of one jenis: the Sekda's, above the PPKD's authority — refused, nothing changed
        before = (_positions(tapd, tahun), tapd.get(apbd_url(tahun, "pergeseran")).json())
        above = ppkd.post(apbd_url(tahun, "pergeseran"), json=_shift(item["id"], CANDI, "1.00"))
        assert above.status_code == 422 and above.json()["errors"][0]["field"] == "ke.kode_rekening", above.text
        assert (_positions(tapd, tahun), tapd.get(apbd_url(tahun, "pergeseran")).json()) == before
        assert before[1]["total"] == 1 and before[1]["items"][0]["alasan"] == "kebutuhan gedung kantor"

        # the APBD-P: opened from the enacted budget, changed, enacted
        opened = tapd.post(apbd_url(tahun, "perubahan"))
        assert opened.status_code == 200 and opened.json()["status"] == "dibuka", opened.text
        changed = tapd.put(apbd_url(tahun, "perubahan/pos"), json={
            "rkpd_id": item["id"], "kode_rekening": PEGAWAI, "jumlah": "650000000.00", "alasan": "gaji ke-13"})
        assert changed.status_code == 200, changed.text
        assert (changed.json()["murni"], changed.json()["selisih"]) == ("600000000.00", "50000000.00")
        # a budget line of the enacted APBD is still closed: a change is the APBD-P's
        closed = line(tapd, tahun, item["id"], harga_satuan="1")
        assert closed.status_code == 409 and closed.json()["errors"][0]["field"] == "status", closed.text
        done = tapd.post(apbd_url(tahun, "perubahan/penetapan"), json=PERUBAHAN)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "ditetapkan" and done.json()["penetapan"]["nomor_perda"] == PERUBAHAN["nomor_perda"]
        assert _ringkasan(tapd, tahun, "belanja") == (Decimal(1000000000), Decimal(1050000000), Decimal(50000000))
        assert _dpa_matches_the_budget(tapd, tahun, 3)["sebab"] == "apbd_perubahan"
        again = tapd.put(apbd_url(tahun, "perubahan/pos"), json={
            "rkpd_id": item["id"], "kode_rekening": PEGAWAI, "jumlah": "1.00", "alasan": "x"})
        assert again.status_code == 409 and again.json()["errors"][0]["field"] == "status", again.text
        # murni is kept: the enacted APBD is as it was
        assert tapd.get(apbd_url(tahun, "penetapan")).json() == murni_apbd
        assert _positions(tapd, tahun)[GUDANG][0] == Decimal(400000000)

    payload = perubahan_events(f"32.73:{tahun}")
    assert (payload["nomor_perda"], payload["belanja_murni"], payload["belanja"], payload["hash"]) == (
        PERUBAHAN["nomor_perda"], "1000000000.00", "1050000000.00", done.json()["penetapan"]["hash"])
