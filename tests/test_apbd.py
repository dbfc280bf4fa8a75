"""The APBD through the gateway, on the running stack: revenue, financing and spending lines give the summary's
identities exactly and the legal ratios; the province of the regency evaluates it (another province may not);
enactment publishes ``apbd.ditetapkan``, closes the year's lines (409 naming ``status``) and keeps the summary as
enacted; Lampiran I prints."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import client_for
from tests.support import PENETAPAN, apbd_url, events, line, plan, wait_plafon

BAPENDA, BPKAD = "5.02.0.00.0.00.02.0000", "5.02.0.00.0.00.01.0000"
PAJAK_HOTEL, SILPA = "4.1.01.06.01.0001", "6.1.01.01.01.0001"
PEGAWAI = "5.1.01.02.01.0001"  # belanja pegawai; an ASN salary (flagged) sits only under its own sub kegiatan


def _money(body: dict, *fields: str) -> tuple:
    return tuple(Decimal(body[f]) for f in fields)


@pytest.fixture
def enacted_events(amqp_uri):
    """keuangan's ``apbd.ditetapkan.v1``, on a queue of its own (as pemerintahan's Perda register binds one)."""
    with events(amqp_uri, "apbd.ditetapkan.v1") as received:
        yield received


def test_revenue_financing_and_lines_make_an_apbd_evaluated_by_its_province_and_enacted(stack, accounts, tahun,
                                                                                      enacted_events):
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="2000000000.00")
    with client_for(stack, accounts("tapd")) as tapd:
        wait_plafon(tapd, tahun, item["id"])
        revenue = tapd.post(apbd_url(tahun, "pendapatan"), json={
            "kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL, "uraian": "Pajak hotel", "jumlah": "1500000000.10"})
        assert revenue.status_code == 201, revenue.text
        assert revenue.json()["jenis"] == "pendapatan"
        financing = tapd.post(apbd_url(tahun, "pembiayaan"), json={
            "kode_skpd": BPKAD, "kode_rekening": SILPA, "uraian": "SiLPA", "jumlah": "100000000.00"})
        assert financing.status_code == 201, financing.text
        # financing is the PPKD's: refused naming the field, nothing stored
        wrong = tapd.post(apbd_url(tahun, "pembiayaan"), json={
            "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_rekening": SILPA, "uraian": "x", "jumlah": "1"})
        assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "kode_skpd", wrong.text
        for body in ({"kode_rekening": PEGAWAI, "harga_satuan": "600000000.00"},
                     {"harga_satuan": "999999999.95"}):
            assert line(tapd, tahun, item["id"], **body).status_code == 201

        summary = tapd.get(apbd_url(tahun, "ringkasan"), params={"tingkat": 2})
        assert summary.status_code == 200, summary.text
        s = summary.json()
        assert _money(s, "pendapatan", "belanja", "surplus_defisit", "pembiayaan_netto", "silpa") == (
            Decimal("1500000000.10"), Decimal("1599999999.95"), Decimal("-99999999.85"), Decimal("100000000.00"),
            Decimal("0.15"))
        assert {a["kode"] for a in s["akun"]} == {"4", "4.1", "5", "5.1", "5.2", "6", "6.1"}
        assert Decimal(s["belanja_kelompok"]["modal"]) == Decimal("999999999.95")
        by_skpd = tapd.get(apbd_url(tahun, "ringkasan/skpd")).json()
        assert {b["kode"] for b in by_skpd["baris"]} == {"1.01.0.00.0.00.01.0000", BAPENDA}
        rasio = {r["kode"]: r for r in tapd.get(apbd_url(tahun, "rasio")).json()["rasio"]}
        pegawai = rasio["belanja_pegawai"]
        assert (pegawai["pembilang"], pegawai["penyebut"], pegawai["persen"], pegawai["lulus"]) == (
            "600000000.00", "1599999999.95", "37.50", False)
        assert pegawai["wajib"] is (tahun >= 2027)
        assert rasio["fungsi_pendidikan"]["persen"] == "100.00" and rasio["kesehatan"]["lulus"] is None

        submitted = tapd.post(apbd_url(tahun, "pengajuan"))
        assert submitted.status_code == 200 and submitted.json()["evaluator"] == "32", submitted.text
        closed = line(tapd, tahun, item["id"], harga_satuan="1")
        assert closed.status_code == 409 and closed.json()["errors"][0]["field"] == "status", closed.text

        with client_for(stack, accounts("provinsi_admin", "31")) as other_province:
            refused = other_province.post(apbd_url(tahun, "evaluasi"), json={"hasil": "sesuai"})
            assert refused.status_code == 403, refused.text
        with client_for(stack, accounts("provinsi_admin", "32")) as province:
            evaluated = province.post(apbd_url(tahun, "evaluasi"), json={"hasil": "sesuai", "temuan": []})
            assert evaluated.status_code == 200, evaluated.text
            assert evaluated.json()["evaluasi"][0]["evaluator"] == "32"

        enacted = tapd.post(apbd_url(tahun, "penetapan"), json=PENETAPAN)
        assert enacted.status_code == 200, enacted.text
        assert enacted.json()["status"] == "ditetapkan"
        kept = tapd.get(apbd_url(tahun, "penetapan")).json()
        for url in ("rincian", "pendapatan", "pembiayaan"):
            if url == "rincian":
                resp = line(tapd, tahun, item["id"], harga_satuan="1")
            else:
                resp = tapd.post(apbd_url(tahun, url), json={
                    "kode_skpd": BPKAD, "kode_rekening": SILPA if url == "pembiayaan" else PAJAK_HOTEL,
                    "uraian": "x", "jumlah": "1"})
            assert resp.status_code == 409 and resp.json()["errors"][0]["field"] == "status", (url, resp.text)
        again = tapd.get(apbd_url(tahun, "penetapan")).json()
        assert again == kept and kept["ringkasan"]["silpa"] == "0.15"
        assert tapd.get(apbd_url(tahun, "rasio"), params={"sumber": "ditetapkan"}).json() == kept["rasio"]
        xlsx = tapd.get(apbd_url(tahun, "dokumen/lampiran-i/xlsx"))
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        pdf = tapd.get(apbd_url(tahun, "dokumen/lampiran-i/pdf"))
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"

    payload = enacted_events(f"32.73:{tahun}")
    assert (payload["nomor_perda"], payload["hash"], payload["silpa"]) == (
        PENETAPAN["nomor_perda"], kept["hash"], "0.15")
