"""KUA-PPAS and RKA-SKPD through the gateway (issue 13): the enacted RKPD gives the provisional ceilings, TAPD
adjusts and agrees them, a later plan change is a pergeseran TAPD decides; the SKPD prices its sub kegiatan
from the standard prices under the ceilings (the item's and each funding source's) and its accounts' flags (a
salary only under the salary sub kegiatan, a land purchase with its plot), TAPD notes and the SKPD answers; an XLSX
import validated whole; two operators racing for the last rupiah: exactly one line. A line and a note sent again with
their ``Idempotency-Key`` are made once, the repeat answered with the first answer."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

from ops.testing import wait_until
from tests.conftest import client_for
from tests.support import (
    HONOR, KODE_PEMDA, SD_BARU, SKPD_PENDIDIKAN, enact_rkpd, first_rka_line, plan, ppas_url, rka_url, rka_xlsx,
    rkpd_url, standard_prices, wait_plafon, wait_ppas,
)

KOMPONEN = "9.1.1"
GAJI, TANAH = "5.1.01.01.01.0001", "5.2.01.01.01.0001"  # flagged gaji_asn, modal_tanah (tanda_rekening)
KOMPONEN_GAJI, KOMPONEN_TANAH = "9.1.2", "9.1.3"


def rka_line(rkpd_id: str, **changes) -> dict:
    return {"rkpd_id": rkpd_id, "kelompok": "Honorarium", "keterangan": "Tenaga kebersihan", "kode_rekening": HONOR,
            "kode_standar_harga": KOMPONEN, "koefisien": [{"volume": "2", "satuan": "Orang"},
                                                          {"volume": "12", "satuan": "Bulan"}],
            "harga_satuan": "2500000", "pajak": "0", "kode_sumber_dana": "1.1", **changes}


def fields(resp) -> list[str]:
    assert resp.status_code == 422, resp.text
    return [e["field"] for e in resp.json()["errors"]]


def test_ppas_agreed_then_the_rka_priced_under_it_and_the_plans_drift_decided(api, accounts, stack, tahun):
    bappeda, tapd = client_for(stack, accounts("bappeda")), client_for(stack, accounts("tapd"))
    operator = client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN))
    standard_prices(api, tahun, (KOMPONEN, "Honorarium tenaga kebersihan", "2500000", HONOR),
                    (KOMPONEN_GAJI, "Gaji pokok PNS", "5000000", GAJI), (KOMPONEN_TANAH, "Tanah per m2", "2000000", TANAH))
    item = plan(bappeda, tahun, pagu_indikatif="100000000", sumber_dana=[
        {"kode_sumber_dana": "1.1", "pagu": "70000000"}, {"kode_sumber_dana": "1.2", "pagu": "30000000"}])
    ceiling = wait_plafon(tapd, tahun, item["id"])
    assert [(s["kode_sumber_dana"], s["pagu"]) for s in ceiling["sumber_dana"]] == [("1.1", "70000000.00"),
                                                                                    ("1.2", "30000000.00")]

    # KUA-PPAS: from the enacted RKPD, adjusted by TAPD (audited), agreed with the DPRD
    assert operator.get(ppas_url(tahun)).status_code == 404  # not enacted yet
    enact_rkpd(bappeda, tahun)
    ppas = wait_ppas(operator, tahun)
    assert (ppas["status"], ppas["total"], ppas["total_rkpd"]) == ("sementara", "100000000.00", "100000000.00")
    sub = {"tingkat": "sub_kegiatan", "kode_skpd": SKPD_PENDIDIKAN, "kode": SD_BARU, "pagu": "90000000",
           "alasan": "kemampuan keuangan daerah"}
    assert operator.post(ppas_url(tahun, "penyesuaian"), json=sub).status_code == 403
    assert fields(tapd.post(ppas_url(tahun, "penyesuaian"), json={**sub, "pagu": "100000001"})) == ["pagu"]
    adjusted = tapd.post(ppas_url(tahun, "penyesuaian"), json=sub)
    assert adjusted.status_code == 200, adjusted.text
    assert (adjusted.json()["pagu"], adjusted.json()["pagu_rkpd"]) == ("90000000.00", "100000000.00")
    rows = operator.get(ppas_url(tahun, "pagu"), params={"tingkat": "sub_kegiatan"}).json()
    assert [(r["kode"], r["pagu"], r["disesuaikan"]) for r in rows["items"]] == [(SD_BARU, "90000000.00", True)]
    assert wait_plafon(tapd, tahun, item["id"])["pagu"] == "100000000.00"  # still the plan's, until agreed
    agreed = tapd.post(ppas_url(tahun, "kesepakatan"), json={"nomor": "900/77/DPRD", "tanggal": "2026-08-10"})
    assert agreed.status_code == 200, agreed.text
    assert (agreed.json()["status"], agreed.json()["nomor_kesepakatan"]) == ("disepakati", "900/77/DPRD")
    assert tapd.post(ppas_url(tahun, "penyesuaian"), json=sub).status_code == 409
    assert [e["after"].get("alasan") for e in tapd.get(ppas_url(tahun, "audit")).json()["items"]] == [
        "kemampuan keuangan daerah", None]
    ceiling = wait_plafon(tapd, tahun, item["id"], lambda p: p["disepakati"])
    assert (ceiling["pagu"], ceiling["pagu_rencana"], ceiling["pergeseran"]) == ("90000000.00", "100000000.00",
                                                                                  "menunggu")

    # RKA: priced from the standard price, under the agreed ceiling and each funding source's
    line = first_rka_line(operator, tahun, rka_line(item["id"]))
    assert (line["jumlah"], line["koefisien_teks"], line["volume"]) == ("60000000.00", "2 Orang x 12 Bulan", "24.00")
    one = [{"volume": "1", "satuan": "OB"}]
    assert fields(operator.post(rka_url(tahun, "rincian"), json=rka_line(
        item["id"], harga_satuan="2500000.01"))) == ["harga_satuan"]   # above the standard price
    assert fields(operator.post(rka_url(tahun, "rincian"), json=rka_line(
        item["id"], koefisien=[{"volume": "5", "satuan": "OB"}]))) == ["kode_sumber_dana"]  # 1.1: 10M left
    assert fields(operator.post(rka_url(tahun, "rincian"), json=rka_line(
        item["id"], kode_rekening="5.1.02.01.01.0024"))) == ["kode_rekening"]  # not allowed for the component
    assert fields(operator.post(rka_url(tahun, "rincian"), json=rka_line(
        item["id"], kode_standar_harga="1.1.7.01.01.01.001", koefisien=one))) == ["kode_standar_harga"]  # 2026's
    ok = operator.post(rka_url(tahun, "rincian"), json=rka_line(
        item["id"], kelompok="Paket B", kode_sumber_dana="1.2", koefisien=[{"volume": "10", "satuan": "OB"}],
        pajak="11"))
    assert ok.status_code == 201 and ok.json()["jumlah"] == "27750000.00", ok.text  # 25M × 1.11
    tree = operator.get(rka_url(tahun, f"sub-kegiatan/{item['id']}")).json()
    assert [(k["kelompok"], k["jumlah"]) for k in tree["kelompok"]] == [("Honorarium", "60000000.00"),
                                                                         ("Paket B", "27750000.00")]
    assert (tree["plafon"]["total_rincian"], tree["plafon"]["status"]) == ("87750000.00", "sesuai")
    assert [(s["kode_sumber_dana"], s["sisa"]) for s in tree["plafon"]["sumber_dana"]] == [
        ("1.1", "10000000.00"), ("1.2", "2250000.00")]

    # the accounts' flags: an ASN salary is not budgeted under a school building; a land purchase names its plot
    gaji = rka_line(item["id"], kelompok="Gaji", kode_rekening=GAJI, kode_standar_harga=KOMPONEN_GAJI, koefisien=one,
                    harga_satuan="5000000")
    assert fields(operator.post(rka_url(tahun, "rincian"), json=gaji)) == ["kode_rekening"]
    tanah = rka_line(item["id"], kelompok="Tanah", kode_rekening=TANAH, kode_standar_harga=KOMPONEN_TANAH,
                     koefisien=[{"volume": "1", "satuan": "m2"}], harga_satuan="2000000")
    assert fields(operator.post(rka_url(tahun, "rincian"), json=tanah)) == ["lokasi"]
    placed = operator.post(rka_url(tahun, "rincian"), json={**tanah, "lokasi": {
        "kode_wilayah": "32.73.01", "uraian": "Jl. Sukajadi, 1 m2"}})
    assert placed.status_code == 201 and placed.json()["lokasi"]["kode_wilayah"] == "32.73.01", placed.text
    assert operator.delete(rka_url(tahun, f"rincian/{placed.json()['id']}")).status_code == 204

    # TAPD's note (sent again with its key: written once), the SKPD's answer
    key = {"Idempotency-Key": str(uuid.uuid4())}
    note, again = (tapd.post(rka_url(tahun, f"sub-kegiatan/{item['id']}/verifikasi"), headers=key,
                             json={"fokus_uraian": "Honorarium", "catatan": "Sesuaikan dengan SBU"}) for _ in range(2))
    assert note.status_code == again.status_code == 201 and again.json() == note.json(), (note.text, again.text)
    notes = tapd.get(rka_url(tahun, f"sub-kegiatan/{item['id']}/verifikasi")).json()
    assert [n["id"] for n in notes["items"]] == [note.json()["id"]]
    assert operator.post(rka_url(tahun, f"sub-kegiatan/{item['id']}/verifikasi"),
                         json={"fokus_uraian": "x", "catatan": "y"}).status_code == 403
    answered = operator.post(rka_url(tahun, f"verifikasi/{note.json()['id']}/tanggapan"),
                             json={"tanggapan": "Sudah sesuai SBU 2027"})
    assert answered.status_code == 200 and answered.json()["tanggapan"] == "Sudah sesuai SBU 2027"

    # the plan changes after the agreement (a perubahan stage): the agreed ceiling does not move
    now = datetime.now(timezone.utc)
    jadwal = f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rkpd/{tahun}/tahap"
    assert bappeda.post(jadwal, json={"kode_tahap": "perubahan", "waktu_mulai": (now - timedelta(minutes=1)).isoformat(),
                                      "waktu_selesai": (now + timedelta(days=1)).isoformat()}).status_code == 200
    assert bappeda.post(f"{jadwal}/perubahan/buka").status_code == 200
    changed = bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"pagu_indikatif": "120000000", "sumber_dana": [
        {"kode_sumber_dana": "1.1", "pagu": "90000000"}, {"kode_sumber_dana": "1.2", "pagu": "30000000"}]})
    assert changed.status_code == 200, changed.text
    drift = wait_plafon(tapd, tahun, item["id"], lambda p: p["pagu_rencana"] == "120000000.00")
    assert (drift["pagu"], drift["pergeseran"]) == ("90000000.00", "menunggu")
    listed = tapd.get(ppas_url(tahun, "pergeseran")).json()
    assert [p["rkpd_id"] for p in listed["items"]] == [item["id"]]
    assert operator.post(ppas_url(tahun, f"pergeseran/{item['id']}/terima")).status_code == 403
    rejected = tapd.post(ppas_url(tahun, f"pergeseran/{item['id']}/tolak"), json={"alasan": "tetap sesuai KUA-PPAS"})
    assert rejected.status_code == 200 and rejected.json()["pergeseran"] == "ditolak", rejected.text
    assert tapd.post(ppas_url(tahun, f"pergeseran/{item['id']}/terima")).status_code == 409
    assert bappeda.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"pagu_indikatif": "110000000", "sumber_dana": [
        {"kode_sumber_dana": "1.1", "pagu": "80000000"}, {"kode_sumber_dana": "1.2", "pagu": "30000000"}]}
    ).status_code == 200
    wait_plafon(tapd, tahun, item["id"], lambda p: p["pergeseran"] == "menunggu")
    accepted = tapd.post(ppas_url(tahun, f"pergeseran/{item['id']}/terima"))
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["pagu"], accepted.json()["pergeseran"]) == ("110000000.00", None)
    # the agreed PPAS stays as agreed
    rows = tapd.get(ppas_url(tahun, "pagu"), params={"tingkat": "sub_kegiatan"}).json()["items"]
    assert rows[0]["pagu"] == "90000000.00"
    for client in (bappeda, tapd, operator):
        client.close()


def test_two_operators_racing_for_the_last_rupiah_exactly_one_line(api, accounts, stack, tahun):
    standard_prices(api, tahun, (KOMPONEN, "Honorarium tenaga kebersihan", "2500000", HONOR))
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="7500000")
    operators = [accounts.new("skpd_operator", kode_skpd=SKPD_PENDIDIKAN) for _ in range(6)]
    one = [{"volume": "1", "satuan": "OB"}]
    with client_for(stack, operators[0]) as first:
        wait_plafon(first, tahun, item["id"])
        # 5M of 7.5M, sent again with its key (a retry after a 504): the first answer, the ceiling consumed once
        body, key = rka_line(item["id"], koefisien=[{"volume": "2", "satuan": "OB"}]), str(uuid.uuid4())
        made = first_rka_line(first, tahun, body, key)
        again = first.post(rka_url(tahun, "rincian"), json=body, headers={"Idempotency-Key": key})
        assert again.status_code == 201 and again.json() == made, again.text
    barrier, answers = threading.Barrier(len(operators)), []

    def race(account):
        with client_for(stack, account) as client:
            barrier.wait()
            answers.append(client.post(rka_url(tahun, "rincian"), json=rka_line(item["id"], koefisien=one)))

    threads = [threading.Thread(target=race, args=(a,)) for a in operators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [201] + [422] * 5, [r.text for r in answers]
    assert all(r.json()["errors"][0]["field"] == "harga_satuan" for r in answers if r.status_code == 422)
    with client_for(stack, operators[0]) as client:
        ceiling = wait_plafon(client, tahun, item["id"], lambda p: p["total_rincian"] == "7500000.00")
        assert ceiling["sisa"] == "0.00"


def test_an_skpd_imports_its_rka_whole_or_not_at_all(api, accounts, stack, tahun):
    standard_prices(api, tahun, (KOMPONEN, "Honorarium tenaga kebersihan", "2500000", HONOR))
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="100000000")
    good = (SD_BARU, "Honorarium", "Tenaga", HONOR, KOMPONEN, 2, "Orang", 12, "Bulan", 2500000, 0, "1.1")
    url = rka_url(tahun, "impor")
    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)) as operator:
        wait_plafon(operator, tahun, item["id"])

        def upload(content: bytes, kode_skpd: str = SKPD_PENDIDIKAN):
            return operator.post(url, data={"kode_skpd": kode_skpd},
                                 files={"file": ("rka.xlsx", content, "application/octet-stream")})

        def imported():
            resp = upload(rka_xlsx(good, good[:9] + (1000000, 11, "1.1")))
            if resp.status_code == 422 and any(e["field"].endswith("kode_standar_harga") for e in resp.json()["errors"]):
                return None  # keuangan's replica has not the prices yet; nothing applied
            assert resp.status_code == 200, resp.text
            return resp.json()
        report = wait_until(imported, 30, message="import")
        assert (report["jumlah_rincian"], report["total"]) == (2, "86640000.00")  # 60M + 24 × 1M × 1.11
        bad = upload(rka_xlsx(good, good[:9] + (2500001, 0, "1.1"), ("1.01.02.2.01.9999",) + good[1:]))
        assert bad.status_code == 422
        assert [e["field"] for e in bad.json()["errors"]] == ["rows.3.harga_satuan", "rows.4.kode_sub_kegiatan"]
        assert upload(rka_xlsx(good), kode_skpd="1.02.0.00.0.00.01.0000").status_code == 403
        tree = operator.get(rka_url(tahun, f"sub-kegiatan/{item['id']}")).json()
        assert tree["plafon"]["total_rincian"] == "86640000.00"  # the refused file changed nothing
        assert sum(len(k["rincian"]) for g in tree["kelompok"] for k in g["keterangan"]) == 2
