"""From the DPA and its cash plan to the LRA through the gateway, on the running stack (issue 14): the BUD's SPD,
the bendahara's SPP sent back to draft once and resubmitted, an SPM rejected by the BUD and made again, the SP2D
issued and disbursed; Bapenda's receipts (TBP) deposited (STS) and validated. The LRA's realisation, for the pemda
and at sub rincian objek, is the sum of the SP2D and STS that made it; each document prints as XLSX and PDF. And
two SPPs racing for the last rupiah of an SPD line: exactly one is accepted.

One (pemda, year) for the whole module: the pool of test years is nearly exhausted."""
from __future__ import annotations

import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from nameko.standalone.rpc import ClusterRpcClient
from openpyxl import load_workbook

from tests.conftest import KODE_PEMDA, LINGKUNGAN, client_for
from tests.support import (
    REKENING_GEDUNG_SEKOLAH as GEDUNG, SD_BARU, SKPD_KESEHATAN, SKPD_PENDIDIKAN, dpa_authorised, pu, refused,
)

BAPENDA, PAJAK_HOTEL = "5.02.0.00.0.00.02.0000", "4.1.01.06.01.0001"
ANGGARAN_PAJAK = Decimal(500000000)
# the printed column holding each document's own amount
PA_KPA = {"nama": "Drs. Budi Santoso, M.Si.", "nip": "197001011995031001"}  # the officer who signs the SPM
KOLOM_NILAI = {"spd": "SPD Ini (Rp)", "spp": "Jumlah (Rp)", "spm": "Jumlah (Rp)", "sp2d": "Jumlah (Rp)"}


def made(resp, status: int = 201) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


def baris(nilai: str) -> list[dict]:
    return [{"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "nilai": nilai}]


def lra_url(tahun: int) -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/lra/{tahun}"


@pytest.fixture(scope="module")
def tahun_lra(stack, accounts) -> int:
    """The module's year: its APBD enacted with Bapenda's hotel tax (500,000,000) beside the building line, and SKPD
    Pendidikan's DPA authorised (cash plan 100,000,000 a month)."""
    tahun = LINGKUNGAN.tahun(KODE_PEMDA)
    dpa_authorised(stack, accounts, tahun, pendapatan=({"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL,
                                                        "uraian": "Pajak hotel", "jumlah": str(ANGGARAN_PAJAK)},))
    return tahun


def authorised_spd(stack, accounts, tahun: int, bulan: tuple[int, int], nilai: str) -> dict:
    with client_for(stack, accounts("kuasa_bud")) as api:
        spd = made(api.post(pu(tahun, "spd"), json={"kode_skpd": SKPD_PENDIDIKAN, "bulan_mulai": bulan[0],
                                                     "bulan_sampai": bulan[1], "baris": baris(nilai)}))
    with client_for(stack, accounts("bud")) as api:
        return made(api.post(pu(tahun, f"spd/{spd['id']}/otorisasi")), 200)


def bayar(stack, accounts, tahun: int, spd: dict, nilai: str, tanggal: str, tolak: bool = False) -> dict:
    """An SPP LS for goods on ``spd``'s line through its SPM and SP2D to disbursed on ``tanggal``. With ``tolak`` the
    PPK-SKPD sends the SPP back to draft once (resubmitted), and the BUD rejects the first SPM (made again)."""
    bendahara = accounts("bendahara_pengeluaran", kode_skpd=SKPD_PENDIDIKAN)
    ppk, pa = accounts("ppk_skpd", kode_skpd=SKPD_PENDIDIKAN), accounts("pa_kpa", kode_skpd=SKPD_PENDIDIKAN, **PA_KPA)
    body = {"kode_skpd": SKPD_PENDIDIKAN, "jenis": "LS", "jenis_ls": "barang_jasa", "spd_id": spd["id"],
            "baris": baris(nilai), "kontrak": {"nomor": "027/PPK", "tanggal": f"{tahun}-02-01", "nilai": "300000000"},
            "bast": {"nomor": "027/BAST", "tanggal": f"{tahun}-03-01"}}
    with client_for(stack, bendahara) as api:
        spp = made(api.post(pu(tahun, "spp"), json=body))
        made(api.post(pu(tahun, f"spp/{spp['id']}/ajukan")), 200)
        if tolak:
            with client_for(stack, ppk) as checker:
                back = made(checker.post(pu(tahun, f"spp/{spp['id']}/verifikasi"),
                                         json={"setuju": False, "alasan": "BAST belum lengkap"}), 200)
            assert (back["status"], back["alasan_tolak"]) == ("draft", "BAST belum lengkap")
            made(api.post(pu(tahun, f"spp/{spp['id']}/ajukan")), 200)
    with client_for(stack, ppk) as ppk_api, client_for(stack, pa) as pa_api, \
            client_for(stack, accounts("bud")) as bud_api:
        spp = made(ppk_api.post(pu(tahun, f"spp/{spp['id']}/verifikasi"), json={"setuju": True}), 200)
        rejected = [{"setuju": False, "alasan": "Rekening penerima salah"}] if tolak else []
        for keputusan in rejected + [{"setuju": True}]:
            spm = made(ppk_api.post(pu(tahun, "spm"), json={"spp_id": spp["id"]}))
            made(pa_api.post(pu(tahun, f"spm/{spm['id']}/tandatangan")), 200)
            spm = made(bud_api.post(pu(tahun, f"spm/{spm['id']}/keputusan"), json=keputusan), 200)
        assert spm["status"] == "diterima"
    with client_for(stack, accounts("kuasa_bud")) as kuasa_bud, client_for(stack, accounts("bud")) as bud_api:
        sp2d = made(kuasa_bud.post(pu(tahun, "sp2d"), json={"spm_id": spm["id"], "nilai": spm["nilai"]}))
        made(bud_api.post(pu(tahun, f"sp2d/{sp2d['id']}/terbit")), 200)
        sp2d = made(bud_api.post(pu(tahun, f"sp2d/{sp2d['id']}/cair"), json={"tanggal": tanggal}), 200)
    return {"spd": spd, "spp": spp, "spm": spm, "sp2d": sp2d}


def rows_of(resp) -> list[tuple]:
    assert resp.status_code == 200, resp.text
    return list(load_workbook(io.BytesIO(resp.content)).active.values)


def test_from_dpa_and_cash_plan_to_the_lra_whose_totals_are_the_sp2d_and_sts_that_made_them(stack, accounts,
                                                                                          tahun_lra):
    tahun = tahun_lra
    spd = authorised_spd(stack, accounts, tahun, (1, 3), "250000000")  # within January–March's 300,000,000
    docs = [bayar(stack, accounts, tahun, spd, "150000000", f"{tahun}-03-15", tolak=True),
            bayar(stack, accounts, tahun, spd, "40000000.55", f"{tahun}-08-20")]

    # revenue: three receipts, two deposited and validated by the BUD, one deposited and not validated yet
    with client_for(stack, accounts("bendahara_penerimaan", kode_skpd=BAPENDA)) as api, \
            client_for(stack, accounts("bud")) as bud:
        body = {"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL, "tanggal": f"{tahun}-03-01",
                "uraian": "Pajak hotel Maret", "penyetor": "Hotel Savoy"}
        tbp = [made(api.post(pu(tahun, "tbp"), json={**body, "nilai": n})) for n in ("1250000.25", "0.75", "300000")]
        sts = made(api.post(pu(tahun, "sts"), json={"kode_skpd": BAPENDA, "tanggal": f"{tahun}-03-02",
                                                     "tbp_ids": [t["id"] for t in tbp[:2]]}))
        made(api.post(pu(tahun, "sts"), json={"kode_skpd": BAPENDA, "tanggal": f"{tahun}-03-03",
                                               "tbp_ids": [tbp[2]["id"]]}))
        made(bud.post(pu(tahun, f"sts/{sts['id']}/validasi")), 200)

    with client_for(stack, accounts("tapd")) as tapd:
        paid = [s for s in made(tapd.get(pu(tahun, "sp2d"), params={"per_page": 200}), 200)["items"]
                if s["status"] == "cair"]
        validated = [s for s in made(tapd.get(pu(tahun, "sts"), params={"per_page": 200}), 200)["items"]
                     if s["status"] == "divalidasi"]
        assert sorted(s["id"] for s in paid) == sorted(d["sp2d"]["id"] for d in docs)
        assert [s["id"] for s in validated] == [sts["id"]]
        belanja = sum((Decimal(s["nilai"]) for s in paid), Decimal(0))
        belanja_gedung = sum((Decimal(b["nilai"]) for s in paid for b in s["baris"] if b["kode_rekening"] == GEDUNG),
                             Decimal(0))
        pendapatan = sum((Decimal(s["nilai"]) for s in validated), Decimal(0))
        assert (belanja, belanja_gedung, pendapatan) == (Decimal("190000000.55"),) * 2 + (Decimal("1250001.00"),)

        lra = made(tapd.get(lra_url(tahun)), 200)  # the pemda's, the year, to sub rincian objek
        assert Decimal(lra["belanja"]["jumlah"]["realisasi"]) == belanja
        assert Decimal(lra["pendapatan"]["jumlah"]["realisasi"]) == pendapatan
        assert Decimal(lra["surplus_defisit"]["realisasi"]) == pendapatan - belanja
        rekening = {r["kode_rekening"]: r for r in lra["belanja"]["baris"] + lra["pendapatan"]["baris"]}
        assert (rekening[GEDUNG]["tingkat"], Decimal(rekening[GEDUNG]["anggaran"]),
                Decimal(rekening[GEDUNG]["realisasi"])) == (6, Decimal(1200000000), belanja_gedung)
        assert (rekening[PAJAK_HOTEL]["tingkat"], Decimal(rekening[PAJAK_HOTEL]["anggaran"]),
                Decimal(rekening[PAJAK_HOTEL]["realisasi"]), rekening[PAJAK_HOTEL]["persen"]) == (
            6, ANGGARAN_PAJAK, pendapatan, "0.25")
        # SKPD Pendidikan's: its spending, none of Bapenda's revenue; the first semester: the March SP2D only
        skpd = made(tapd.get(lra_url(tahun), params={"kode_skpd": SKPD_PENDIDIKAN}), 200)
        assert (Decimal(skpd["belanja"]["jumlah"]["realisasi"]), Decimal(skpd["pendapatan"]["jumlah"]["realisasi"])) \
            == (belanja, 0)
        semester = made(tapd.get(lra_url(tahun), params={"periode": "semester-1"}), 200)
        assert Decimal(semester["belanja"]["jumlah"]["realisasi"]) == Decimal(docs[0]["sp2d"]["nilai"])
        printed = rows_of(tapd.get(f"{lra_url(tahun)}/dokumen/xlsx"))
        assert [Decimal(str(r[3])) for r in printed if r[1] == "JUMLAH BELANJA"] == [belanja]
        assert tapd.get(f"{lra_url(tahun)}/dokumen/pdf").content[:5] == b"%PDF-"

    # the documents of the first payment as printed, read by the SKPD's own PA/KPA: number, total, amount in words
    first = docs[0]
    with client_for(stack, accounts("pa_kpa", kode_skpd=SKPD_PENDIDIKAN, **PA_KPA)) as api:
        for doc in ("spd", "spp", "spm", "sp2d"):
            url = pu(tahun, f"{doc}/{first[doc]['id']}/dokumen")
            rows = rows_of(api.get(f"{url}/xlsx"))
            assert any(f"Nomor: {first[doc]['nomor']}" in (r[0] or "") for r in rows[:8]), doc
            header = next(r for r in rows if "Uraian" in r)
            [total] = [r for r in rows if "JUMLAH" in r]
            assert Decimal(str(total[header.index(KOLOM_NILAI[doc])])) == Decimal(first[doc]["nilai"]), doc
            assert any((r[0] or "").startswith("Terbilang: ") for r in rows), doc
            if doc == "spm":  # signed by the PA/KPA: their name and NIP, as their account carries them
                assert any(f"( {PA_KPA['nama']} )" in r for r in rows), rows[-8:]
                assert any(f"NIP. {PA_KPA['nip']}" in r for r in rows), rows[-8:]
            pdf = api.get(f"{url}/pdf")
            assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-", doc
            assert pdf.headers["content-type"] == "application/pdf"
        refused(api.get(pu(tahun, f"spd/{first['sp2d']['id']}/dokumen/pdf")), 404)  # not an SPD
    # another SKPD's officer, another pemda's BUD: refused
    for outsider in (accounts("bendahara_pengeluaran", kode_skpd=SKPD_KESEHATAN), accounts("bud", "32.74")):
        with client_for(stack, outsider) as api:
            for doc in ("spd", "sp2d"):
                refused(api.get(pu(tahun, f"{doc}/{first[doc]['id']}/dokumen/xlsx")), 403)


def test_two_spps_racing_for_the_last_rupiah_of_an_spd_line_exactly_one_is_accepted(stack, accounts, tahun_lra):
    """Three rounds, each on an SPD line of 1,000,000 of its own (April, May, June) of which 999,999 is asked
    already: the bendahara pengeluaran and the PPTK ask for the last rupiah at once, over two connections."""
    tahun = tahun_lra
    racers = [accounts("bendahara_pengeluaran", kode_skpd=SKPD_PENDIDIKAN), accounts("pptk", kode_skpd=SKPD_PENDIDIKAN)]
    for bulan in (4, 5, 6):
        spd = authorised_spd(stack, accounts, tahun, (bulan, bulan), "1000000")
        body = {"kode_skpd": SKPD_PENDIDIKAN, "jenis": "LS", "jenis_ls": "gaji", "spd_id": spd["id"]}
        with client_for(stack, racers[0]) as api:
            made(api.post(pu(tahun, "spp"), json={**body, "baris": baris("999999")}))
        start = threading.Barrier(len(racers))

        def race(account):
            with client_for(stack, account) as api:
                assert api.get("/api/v1/auth/me").status_code == 200  # connected before the start
                start.wait(timeout=30)
                return api.post(pu(tahun, "spp"), json={**body, "baris": baris("1")})

        with ThreadPoolExecutor(len(racers)) as pool:
            answers = list(pool.map(race, racers))
        assert sorted(r.status_code for r in answers) == [201, 422], [r.text for r in answers]
        refused(next(r for r in answers if r.status_code == 422), 422, "baris.0.nilai")
        with client_for(stack, accounts("bud")) as api:
            stored = [s for s in made(api.get(pu(tahun, "spp"), params={"per_page": 200}), 200)["items"]
                      if s["spd_id"] == spd["id"]]
        assert len(stored) == 2  # the refused one left nothing
        assert sum(Decimal(b["nilai"]) for s in stored for b in s["baris"]) == Decimal(spd["nilai"])


def sent_twice(api, url: str, body: dict) -> dict:
    """``body`` POSTed to ``url`` twice with one ``Idempotency-Key`` (a retry after a lost answer): both answered
    201 with the same body, the first answer."""
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first, again = api.post(url, json=body, headers=key), api.post(url, json=body, headers=key)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    return first.json()


def stored(api, tahun: int, doc: str, **where) -> list[str]:
    """The ids of the year's ``doc`` whose fields are ``where``."""
    items = made(api.get(pu(tahun, doc), params={"per_page": 200}), 200)["items"]
    return [d["id"] for d in items if all(d[k] == v for k, v in where.items())]


def test_each_document_sent_again_with_its_key_is_made_once_and_answered_as_the_first_time(stack, accounts,
                                                                                          amqp_uri, tahun_lra):
    """A receipt, a deposit, an SPJ/TU request, an SPD, SPP, SPM and SP2D each POSTed twice with its
    ``Idempotency-Key`` (a retry after a 504): made once, the repeat answered with the first answer; the same key
    with another body is 422 naming the header, nothing made. A receipt whose RPC is redelivered (its answer lost)
    and then retried over HTTP with the same key: made once."""
    tahun = tahun_lra
    penerima = accounts("bendahara_penerimaan", kode_skpd=BAPENDA)
    with client_for(stack, penerima) as api:
        body = {"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL, "tanggal": f"{tahun}-09-01",
                "uraian": "Pajak hotel September (idempotent)", "penyetor": "Hotel Preanger", "nilai": "1000"}
        tbp = sent_twice(api, pu(tahun, "tbp"), body)
        assert stored(api, tahun, "tbp", uraian=body["uraian"]) == [tbp["id"]]
        key = {"Idempotency-Key": str(uuid.uuid4())}
        assert made(api.post(pu(tahun, "tbp"), json={**body, "uraian": "Pajak hotel (kunci)"}, headers=key))
        other = api.post(pu(tahun, "tbp"), json={**body, "uraian": "Pajak hotel (kunci)", "nilai": "2000"},
                         headers=key)
        refused(other, 422, "Idempotency-Key")
        assert len(stored(api, tahun, "tbp", uraian="Pajak hotel (kunci)")) == 1  # the other body made nothing
        # deposited once: the repeat is the first answer, not "deposited already"
        sts = sent_twice(api, pu(tahun, "sts"), {"kode_skpd": BAPENDA, "tanggal": f"{tahun}-09-02",
                                                  "tbp_ids": [tbp["id"]]})
        assert stored(api, tahun, "sts", tbp_ids=[tbp["id"]]) == [sts["id"]]
        # the gateway passes the key on: a redelivered RPC, then the client's retry, find the receipt made first
        key, lost = str(uuid.uuid4()), {**body, "uraian": "Pajak hotel (jawaban hilang)"}
        with ClusterRpcClient(context_data={"auth_token": penerima.token}, timeout=15, uri=amqp_uri) as rpc:
            ran = rpc.keuangan.buat_tbp(KODE_PEMDA, tahun, lost, idempotency_key=key)
            assert rpc.keuangan.buat_tbp(KODE_PEMDA, tahun, lost, idempotency_key=key) == ran
        assert made(api.post(pu(tahun, "tbp"), json=lost, headers={"Idempotency-Key": key}))["id"] == ran["id"]
        assert stored(api, tahun, "tbp", uraian=lost["uraian"]) == [ran["id"]]

    with client_for(stack, accounts("kuasa_bud")) as api:
        spd = sent_twice(api, pu(tahun, "spd"), {"kode_skpd": SKPD_PENDIDIKAN, "bulan_mulai": 9, "bulan_sampai": 9,
                                                  "baris": baris("1000000")})
        assert stored(api, tahun, "spd", bulan_mulai=9) == [spd["id"]]
    with client_for(stack, accounts("bud")) as api:
        made(api.post(pu(tahun, f"spd/{spd['id']}/otorisasi")), 200)
    bendahara = accounts("bendahara_pengeluaran", kode_skpd=SKPD_PENDIDIKAN)
    with client_for(stack, bendahara) as api:
        tu = sent_twice(api, pu(tahun, "pengesahan"), {"kode_skpd": SKPD_PENDIDIKAN, "jenis": "tu", "nilai": "5000",
                                                        "uraian": "TU September"})
        assert made(api.get(pu(tahun, f"pengesahan/{tu['id']}")), 200)["nilai"] == tu["nilai"]
        spp = sent_twice(api, pu(tahun, "spp"), {"kode_skpd": SKPD_PENDIDIKAN, "jenis": "LS", "jenis_ls": "gaji",
                                                  "spd_id": spd["id"], "baris": baris("1000000")})
        assert stored(api, tahun, "spp", spd_id=spd["id"]) == [spp["id"]]
        made(api.post(pu(tahun, f"spp/{spp['id']}/ajukan")), 200)
    ppk, pa = accounts("ppk_skpd", kode_skpd=SKPD_PENDIDIKAN), accounts("pa_kpa", kode_skpd=SKPD_PENDIDIKAN, **PA_KPA)
    with client_for(stack, ppk) as ppk_api, client_for(stack, pa) as pa_api, \
            client_for(stack, accounts("bud")) as bud_api:
        made(ppk_api.post(pu(tahun, f"spp/{spp['id']}/verifikasi"), json={"setuju": True}), 200)
        spm = sent_twice(ppk_api, pu(tahun, "spm"), {"spp_id": spp["id"]})  # not "one live SPM per SPP"
        assert stored(ppk_api, tahun, "spm", spp_id=spp["id"]) == [spm["id"]]
        made(pa_api.post(pu(tahun, f"spm/{spm['id']}/tandatangan")), 200)
        made(bud_api.post(pu(tahun, f"spm/{spm['id']}/keputusan"), json={"setuju": True}), 200)
    with client_for(stack, accounts("kuasa_bud")) as api:
        sp2d = sent_twice(api, pu(tahun, "sp2d"), {"spm_id": spm["id"], "nilai": spm["nilai"]})  # not "one per SPM"
        assert stored(api, tahun, "sp2d", spm_id=spm["id"]) == [sp2d["id"]]
