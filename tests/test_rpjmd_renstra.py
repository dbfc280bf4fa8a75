"""The five-year plans through the gateway: Bappeda makes the RPJMD, an SKPD its Renstra serving the RPJMD's
sasaran, Bappeda returns and then verifies it. Every refusal names the field and changes nothing."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import kombu
import pytest

from ops.testing import wait_until
from tests.conftest import client_for, reserve_periode
from tests.support import (
    SKPD_KESEHATAN, SKPD_PENDIDIKAN, indikator, isi_renstra, isi_rpjmd, make_renstra, make_rpjmd, renstra_url,
    rpjmd_url,
)


@pytest.fixture
def bappeda(stack, accounts):
    with client_for(stack, accounts("bappeda")) as client:
        yield client


@pytest.fixture
def disdik(stack, accounts):
    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)) as client:
        yield client


@pytest.fixture
def dinkes(stack, accounts):
    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_KESEHATAN)) as client:
        yield client


def refused(resp, status: int, *fields: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    body = resp.json()
    assert [e["field"] for e in body["errors"]] == list(fields), body
    return body


def test_rpjmd_then_renstra_with_every_refusal_changing_nothing(api, bappeda, disdik, dinkes, periode):
    awal = periode

    # -- the RPJMD, by Bappeda -----------------------------------------------------------------------------
    before = bappeda.get(rpjmd_url(), params={"per_page": 200}).json()["total"]
    body = {"tahun_awal": awal, "tahun_akhir": awal + 4, **isi_rpjmd(awal)}
    refused(bappeda.post(rpjmd_url(), json={**body, "tahun_akhir": awal + 5}), 422, "tahun_akhir")
    outside = isi_rpjmd(awal)
    outside["misi"][0]["tujuan"][0]["sasaran"][0]["indikator"] = [indikator(awal, target={str(awal + 5): "1"})]
    refused(bappeda.post(rpjmd_url(), json={**body, **outside}), 422,
            f"misi.0.tujuan.0.sasaran.0.indikator.0.target.{awal + 5}")
    not_served = isi_rpjmd(awal)
    not_served["misi"][0]["tujuan"][0]["sasaran"][0]["program"][0]["kode_skpd"] = SKPD_KESEHATAN
    refused(bappeda.post(rpjmd_url(), json={**body, **not_served}), 422,
            "misi.0.tujuan.0.sasaran.0.program.0.kode_program")
    assert disdik.post(rpjmd_url(), json=body).status_code == 403  # an SKPD does not make the RPJMD
    assert bappeda.get(rpjmd_url(), params={"per_page": 200}).json()["total"] == before

    rpjmd = make_rpjmd(bappeda, awal)
    program = rpjmd["misi"][0]["tujuan"][0]["sasaran"][0]["program"][0]
    assert program["nama_program"] == "PROGRAM PENGELOLAAN PENDIDIKAN"
    assert program["indikator"][0]["target_akhir"] == "100.00"  # positif: the last year's target
    assert rpjmd["pagu_indikatif"] == {str(awal): "150000000000.00", str(awal + 1): "160000000000.00"}
    got = disdik.get(f"{rpjmd_url()}/{rpjmd['id']}")  # every role of the pemda reads the RPJMD
    assert got.status_code == 200 and got.json() == rpjmd and got.headers["etag"] == '"1"'
    overlapping = {"tahun_awal": awal + 1, "tahun_akhir": awal + 5, "visi": "x", "misi": []}
    refused(bappeda.post(rpjmd_url(), json=overlapping), 409, "tahun_awal")

    # another pemda's RPJMD, for the same years
    provinsi = make_rpjmd(api, awal, kode_pemda="32", misi=[])

    # -- the Renstra, by the SKPD --------------------------------------------------------------------------
    url = renstra_url()
    renstra = {"rpjmd_id": rpjmd["id"], **isi_renstra(awal)}
    body = refused(disdik.post(url, json={**renstra, "rpjmd_id": provinsi["id"]}), 422, "rpjmd_id")
    assert "is not an RPJMD of pemda 32.73" in body["detail"]
    refused(disdik.post(url, json={**renstra, **isi_renstra(awal, sasaran_rpjmd="9.9")}), 422,
            "tujuan.0.sasaran.0.sasaran_rpjmd")
    kesehatan = {"kode_program": "1.02.02", "kegiatan": [{"kode_kegiatan": "1.02.02.2.01"}]}
    body = refused(disdik.post(url, json={**renstra, **isi_renstra(awal, program=kesehatan)}), 422,
                   "tujuan.0.sasaran.0.program.0.kode_program")
    assert "does not serve bidang urusan 1.02" in body["detail"]
    province_level = {"kode_program": "1.01.02", "kegiatan": [{"kode_kegiatan": "1.01.02.1.01"}]}
    body = refused(disdik.post(url, json={**renstra, **isi_renstra(awal, program=province_level)}), 422,
                   "tujuan.0.sasaran.0.program.0.kegiatan.0.kode_kegiatan")
    assert "is for provinsi government" in body["detail"]
    late = {"kode_program": "1.01.02", "pagu": {str(awal + 5): "1.00"}}
    refused(disdik.post(url, json={**renstra, **isi_renstra(awal, program=late)}), 422,
            f"tujuan.0.sasaran.0.program.0.pagu.{awal + 5}")
    assert dinkes.post(url, json=renstra).status_code == 403  # another SKPD's operator
    assert bappeda.post(url, json=renstra).status_code == 403  # Bappeda verifies, it does not write
    # nothing was made for this RPJMD (other tests' Renstra of the SKPD follow other RPJMD)
    assert disdik.get(url.rsplit("/", 1)[0], params={"rpjmd_id": rpjmd["id"]}).json()["total"] == 0

    made = make_renstra(disdik, rpjmd)
    assert (made["status"], made["tahun_awal"], made["tahun_akhir"]) == ("draft", awal, awal + 4)
    sub = made["tujuan"][0]["sasaran"][0]["program"][0]["kegiatan"][0]["sub_kegiatan"][0]
    assert sub["nama_sub_kegiatan"] == "Pembangunan Unit Sekolah Baru (USB)"  # as 1317/2023 names it
    assert sub["indikator"][0]["target_akhir"] == "5.00"
    one = f"{url}/{made['id']}"
    assert dinkes.get(one).status_code == 403
    assert [r["id"] for r in bappeda.get(renstra_url().rsplit("/", 1)[0], params={"rpjmd_id": rpjmd["id"]})
            .json()["items"]] == [made["id"]]
    refused(disdik.post(url, json=renstra), 409, "rpjmd_id")  # one per SKPD and RPJMD

    # the RPJMD keeps the sasaran the Renstra serves
    drop = isi_rpjmd(awal)
    drop["misi"][0]["tujuan"][0]["sasaran"][0]["kode"] = "1.1.2"
    assert bappeda.put(f"{rpjmd_url()}/{rpjmd['id']}", json=drop).status_code == 409
    stale = bappeda.put(f"{rpjmd_url()}/{rpjmd['id']}", json={**isi_rpjmd(awal), "visi": "Baru"},
                        headers={"If-Match": '"7"'})
    assert stale.status_code == 412 and stale.headers["etag"] == '"1"'
    assert bappeda.get(f"{rpjmd_url()}/{rpjmd['id']}").json() == rpjmd

    # -- submitted, returned, corrected, verified ----------------------------------------------------------
    submitted = disdik.post(f"{one}/ajukan", headers={"If-Match": '"1"'})
    assert submitted.status_code == 200 and submitted.json()["status"] == "diajukan", submitted.text
    refused(disdik.put(one, json=isi_renstra(awal)), 409, "status")
    assert disdik.post(f"{one}/verifikasi", json={"setuju": True}).status_code == 403
    refused(bappeda.post(f"{one}/verifikasi", json={"setuju": False}), 422, "catatan")
    returned = bappeda.post(f"{one}/verifikasi", json={"setuju": False, "catatan": "Pagu belum sesuai"})
    assert returned.json()["status"] == "dikembalikan" and returned.json()["catatan"] == "Pagu belum sesuai"
    corrected = disdik.put(one, json=isi_renstra(awal, program={"kode_program": "1.01.02",
                                                                "pagu": {str(awal): "60000000000.00"}}))
    assert corrected.status_code == 200 and corrected.json()["pagu_indikatif"] == {str(awal): "60000000000.00"}
    assert disdik.post(f"{one}/ajukan").status_code == 200
    verified = bappeda.post(f"{one}/verifikasi", json={"setuju": True})
    assert verified.json()["status"] == "terverifikasi"
    refused(disdik.put(one, json=isi_renstra(awal)), 409, "status")  # verified: it no longer changes
    trail = disdik.get(f"{one}/audit").json()
    assert [e["after"]["status"] for e in trail["items"]] == [
        "draft", "diajukan", "dikembalikan", "dikembalikan", "diajukan", "terverifikasi"]
    assert disdik.get(one).json() == verified.json()


def test_the_consistency_report_lists_what_the_plans_still_disagree_on(bappeda, disdik, dinkes, periode):
    awal = periode
    rpjmd = make_rpjmd(bappeda, awal)
    report = f"{rpjmd_url()}/{rpjmd['id']}/konsistensi"
    first = bappeda.get(report)
    assert first.status_code == 200, first.text
    kinds = [t["jenis"] for t in first.json()["temuan"]]
    assert kinds == ["sasaran_tanpa_renstra", "skpd_tanpa_renstra"]
    made = make_renstra(disdik, rpjmd)
    after = bappeda.get(report).json()
    assert [(t["jenis"], t["renstra_id"]) for t in after["temuan"]] == [
        ("target_belum_lengkap", made["id"]), ("renstra_belum_terverifikasi", made["id"])]
    assert after["jumlah"]["sasaran_tanpa_renstra"] == 0 and after["jumlah"]["renstra_belum_terverifikasi"] == 1
    # another SKPD's operator sees none of Dinas Pendidikan's findings
    assert dinkes.get(report).json()["temuan"] == []


def test_every_write_is_published_on_the_broker(bappeda, disdik, amqp_uri, periode):
    exchange = kombu.Exchange("perencanaan.events", type="topic", durable=True)
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(f"test.lima-tahun.{uuid.uuid4().hex}", exclusive=True, auto_delete=True, bindings=[
            kombu.binding(exchange, routing_key=key) for key in ("rpjmd.saved.v1", "renstra.saved.v1")])(conn)
        queue.declare()
        rpjmd = make_rpjmd(bappeda, periode)
        renstra = make_renstra(disdik, rpjmd)
        assert disdik.post(f"{renstra_url()}/{renstra['id']}/ajukan").status_code == 200
        seen: list[dict] = []

        def received():
            while (message := queue.get(no_ack=True)) is not None:
                seen.append({**message.payload, "routing_key": message.delivery_info["routing_key"]})
            return len([p for p in seen if p["aggregate_id"] in (rpjmd["id"], renstra["id"])]) >= 3

        wait_until(received, timeout=15, message="the RPJMD's and the Renstra's events")
    mine = [(p["routing_key"], p["aggregate_version"], p.get("status")) for p in seen
            if p["aggregate_id"] in (rpjmd["id"], renstra["id"])]
    assert mine == [("rpjmd.saved.v1", 1, "rancangan"), ("renstra.saved.v1", 1, "draft"), ("renstra.saved.v1", 2, "diajukan")]
    first = next(p for p in seen if p["aggregate_id"] == rpjmd["id"])
    assert (first["kode_pemda"], first["tahun"], first["misi"]) == ("32.73", periode, rpjmd["misi"])


def test_overlapping_periods_made_at_once_give_one_rpjmd(stack, accounts):
    """Four Bappeda requests at once, each a period overlapping the others (none the same first year, so no
    unique key can settle it): one is made, three are refused 409."""
    awal = reserve_periode(years=8)
    account = accounts("bappeda")

    def make(start: int):
        with client_for(stack, account) as client:
            return client.post(rpjmd_url(), json={"tahun_awal": start, "tahun_akhir": start + 4, "visi": "v",
                                                  "misi": []})

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(make, [awal, awal + 1, awal + 2, awal + 3]))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    with client_for(stack, account) as client:
        made = [r for r in client.get(rpjmd_url(), params={"per_page": 200}).json()["items"]
                if awal <= r["tahun_awal"] <= awal + 3]
    assert len(made) == 1


def test_creates_repeated_with_their_key_happen_once(bappeda, disdik, periode):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"tahun_awal": periode, "tahun_akhir": periode + 4, **isi_rpjmd(periode)}
    first, again = (bappeda.post(rpjmd_url(), json=body, headers=key) for _ in range(2))
    assert first.status_code == again.status_code == 201, (first.text, again.text)  # not 409 "overlaps"
    assert again.json() == first.json()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"rpjmd_id": first.json()["id"], **isi_renstra(periode)}
    made, repeated = (disdik.post(renstra_url(), json=body, headers=key) for _ in range(2))
    assert made.status_code == repeated.status_code == 201, (made.text, repeated.text)
    assert repeated.json()["id"] == made.json()["id"]
    listed = disdik.get(renstra_url().rsplit("/", 1)[0], params={"rpjmd_id": first.json()["id"]}).json()
    assert [r["id"] for r in listed["items"]] == [made.json()["id"]]


def test_an_enacted_rpjmd_is_kept_as_enacted_through_its_revision(bappeda, disdik, admin_db, periode):
    rpjmd = make_rpjmd(bappeda, periode)
    url = f"{rpjmd_url()}/{rpjmd['id']}"
    perda = {"nomor_perda": "Perda Kota Bandung No. 3", "tanggal_perda": f"{periode}-06-30"}
    assert disdik.post(f"{url}/penetapan", json=perda).status_code == 403
    enacted = bappeda.post(f"{url}/penetapan", json=perda, headers={"If-Match": '"1"'})
    assert enacted.status_code == 200 and enacted.json()["status"] == "ditetapkan", enacted.text
    refused(bappeda.put(url, json={**isi_rpjmd(periode), "visi": "Baru"}), 409, "status")
    assert bappeda.post(f"{url}/perubahan", json={"alasan": "RPJMN baru"}).json()["status"] == "perubahan"
    assert bappeda.put(url, json={**isi_rpjmd(periode), "visi": "Baru"}).status_code == 200
    first = disdik.get(f"{url}/penetapan/1")
    assert first.status_code == 200 and first.json()["visi"] == rpjmd["visi"] and len(first.json()["hash"]) == 64
    assert disdik.get(f"{url}/penetapan").json()["total"] == 1
    with pytest.raises(Exception, match="never changes"):
        admin_db.execute("UPDATE perencanaan.rpjmd_ditetapkan SET nomor_perda = 'x' WHERE rpjmd_id = %s",
                         (rpjmd["id"],))
    assert disdik.get(f"{url}/penetapan/1").json() == first.json()


def test_an_rpjmd_under_its_periods_schedule_is_written_only_while_a_stage_is_open(bappeda, periode):
    from datetime import datetime, timedelta, timezone

    from tests.support import KODE_PEMDA
    rpjmd = make_rpjmd(bappeda, periode)  # not yet scheduled: written freely
    now, day = datetime.now(timezone.utc), timedelta(days=1)
    stages = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
    schedule = {"dokumen": "rpjmd", "tahun": periode, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - day + i * 10 * day).isoformat(),
         "waktu_selesai": (now + (i + 1) * 10 * day).isoformat()} for i, k in enumerate(stages)]}
    refused(bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal", json={**schedule, "tahap": schedule["tahap"][:4]}),
            422, "tahap")  # the RPJMD's own list: penetapan is missing
    made = bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal", json=schedule)
    assert made.status_code == 201, made.text
    assert made.headers["location"].endswith(f"/jadwal/rpjmd/{periode}")
    url = f"{rpjmd_url()}/{rpjmd['id']}"
    changed = {**isi_rpjmd(periode), "visi": "Kota yang terjadwal"}
    body = refused(bappeda.put(url, json=changed), 409, "tahun")  # scheduled, no stage open
    assert f"RPJMD {periode}" in body["detail"]
    assert bappeda.get(url).json()["version"] == 1
    opened = bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rpjmd/{periode}/tahap/rancangan_awal/buka")
    assert opened.status_code == 200, opened.text
    written = bappeda.put(url, json=changed)
    assert written.status_code == 200, written.text
    assert written.json()["version"] == 2
