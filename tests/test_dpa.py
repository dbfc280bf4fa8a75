"""DPA-SKPD through the gateway, on the running stack: from an enacted APBD, TAPD generates every SKPD's DPA
(versi 1, each line's cash plan spread by default), the SKPD plans its months (refused naming the field unless
they add up), PPKD authorises it (``dpa.disahkan.v1`` published; locked after), and the RKA-SKPD, DPA-SKPD and
the APBD's Lampiran I print as XLSX (totals checked) and PDF."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.conftest import client_for
from tests.support import SD_BARU, SKPD_PENDIDIKAN, apbd_url, enact_apbd, events, line, plan, rka_url, wait_plafon

PEGAWAI, GEDUNG = "5.1.01.02.01.0001", "5.2.03.01.01.0002"  # PEGAWAI: belanja pegawai, no ASN salary (flagged)


def dpa_url(tahun: int, what: str = "") -> str:
    return f"/api/v1/pemda/32.73/dpa/{tahun}{what}"


@pytest.fixture
def disahkan_events(amqp_uri):
    """keuangan's ``dpa.disahkan.v1``, on a queue of its own (as the spending sub-domain binds one)."""
    with events(amqp_uri, "dpa.disahkan.v1") as received:
        yield received


def _xlsx(resp):
    assert resp.status_code == 200, resp.text
    return load_workbook(io.BytesIO(resp.content))


def test_an_enacted_apbd_becomes_dpa_with_a_cash_plan_authorised_and_printed(stack, accounts, tahun, disahkan_events):
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="2000000000.00")
    with client_for(stack, accounts("tapd")) as tapd:
        wait_plafon(tapd, tahun, item["id"])
        for body in ({"kode_rekening": PEGAWAI, "harga_satuan": "600000000.50"}, {"harga_satuan": "1000000000"}):
            assert line(tapd, tahun, item["id"], **body).status_code == 201
        early = tapd.post(dpa_url(tahun))
        assert early.status_code == 409 and early.json()["errors"][0]["field"] == "status", early.text
        with client_for(stack, accounts("provinsi_admin", "32")) as province:
            enact_apbd(tapd, province, tahun)

        made = tapd.post(dpa_url(tahun))
        assert made.status_code == 200, made.text
        [versi1] = made.json()["dibuat"]
        assert (versi1["kode_skpd"], versi1["versi"], versi1["status"], Decimal(versi1["jumlah"])) == (
            SKPD_PENDIDIKAN, 1, "draft", Decimal("1600000000.50"))
        assert tapd.post(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}")).status_code == 409

    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)) as skpd:
        got = skpd.get(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}"))
        assert got.status_code == 200, got.text
        lines = {b["kode_rekening"]: b for b in got.json()["baris"]}
        assert [Decimal(k) for k in lines[GEDUNG]["kas"]] == [Decimal(83333333)] * 11 + [Decimal(83333337)]
        assert sum(Decimal(k) for k in lines[PEGAWAI]["kas"]) == Decimal("600000000.50")
        months = ["0", "0", "200000000", "200000000", "200000000", "200000000", "0", "0", "0", "0", "0", "200000000"]
        bad = skpd.put(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/kas"), json={"baris": [
            {"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "kas": months[:-1] + ["199999999.99"]}]})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "baris.0.kas", bad.text
        assert skpd.get(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}")).json() == got.json()  # nothing changed
        ok = skpd.put(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/kas"), json={"versi": 1, "baris": [
            {"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "kas": months}]})
        assert ok.status_code == 200, ok.text
        assert next(b for b in ok.json()["baris"] if b["kode_rekening"] == GEDUNG)["kas"][2] == "200000000.00"
        assert skpd.post(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/pengesahan"), json={"versi": 1}).status_code == 403

    with client_for(stack, accounts("tapd")) as tapd:
        authorised = tapd.post(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/pengesahan"),
                               json={"versi": 1, "nomor": "DPA/1.01/1"})
        assert authorised.status_code == 200, authorised.text
        a = authorised.json()
        assert (a["status"], a["nomor"], len(a["hash"])) == ("disahkan", "DPA/1.01/1", 64)
        locked = tapd.put(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/kas"), json={"baris": [
            {"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "kas": ["1000000000"] + ["0"] * 11}]})
        assert locked.status_code == 409 and locked.json()["errors"][0]["field"] == "status", locked.text
        versions = tapd.get(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/versi")).json()
        assert [(v["versi"], v["status"]) for v in versions["items"]] == [(1, "disahkan")]
        assert tapd.get(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/versi/1")).json() == a

        dpa_book = _xlsx(tapd.get(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/dokumen/xlsx")))
        assert list(dpa_book["Rincian Belanja"].values)[-1][2:] == ("JUMLAH", Decimal("1600000000.50"))
        kas_total = list(dpa_book["Anggaran Kas"].values)[-1]
        assert Decimal(str(kas_total[4])) == Decimal("200000000") + Decimal(50000000)  # March: gedung + pegawai
        assert sum(Decimal(str(x)) for x in kas_total[2:14]) == Decimal(str(kas_total[14])) == Decimal("1600000000.5")
        rka_book = _xlsx(tapd.get(rka_url(tahun, f"skpd/{SKPD_PENDIDIKAN}/dokumen/xlsx")))
        assert list(rka_book.active.values)[-1][1::5] == ("JUMLAH", Decimal("1600000000.5"))
        lampiran = _xlsx(tapd.get(apbd_url(tahun, "dokumen/lampiran-i/xlsx")))
        assert any(r[1] == "JUMLAH BELANJA" and Decimal(str(r[2])) == Decimal("1600000000.5")
                   for r in lampiran.active.values)
        for url in (dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/dokumen/pdf"),
                    rka_url(tahun, f"skpd/{SKPD_PENDIDIKAN}/dokumen/pdf"), apbd_url(tahun, "dokumen/lampiran-i/pdf")):
            pdf = tapd.get(url)
            assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-", url

    payload = disahkan_events(f"32.73:{tahun}:{SKPD_PENDIDIKAN}")
    assert (payload["versi"], payload["jumlah"], payload["hash"]) == (1, "1600000000.50", a["hash"])
