"""Revenue received through the gateway (issue 14): the bendahara penerimaan of an SKPD records receipts (TBP)
and deposits them (STS); the BUD validates the deposit; the realised revenue per account is their sum, and
``realisasi.berubah`` left keuangan's outbox. Refusals on the way name the field and change nothing."""
from __future__ import annotations

from decimal import Decimal

from tests.conftest import client_for
from tests.support import SKPD_KESEHATAN, SKPD_PENDIDIKAN

PAJAK_HOTEL, BUILDING = "4.1.01.06.01.0001", "5.2.03.01.01.0002"


def url(tahun: int, what: str) -> str:
    return f"/api/v1/pemda/32.73/penatausahaan/{tahun}/{what}"


def fields(resp) -> list[str]:
    assert resp.headers["content-type"] == "application/problem+json", resp.text
    return [e["field"] for e in resp.json()["errors"]]


def test_receipts_deposited_and_validated_are_the_realised_revenue(stack, accounts, admin_db, tahun):
    bendahara = accounts("bendahara_penerimaan", kode_skpd=SKPD_PENDIDIKAN)
    with client_for(stack, bendahara) as api, client_for(stack, accounts("bud")) as bud, \
            client_for(stack, accounts("bendahara_penerimaan", kode_skpd=SKPD_KESEHATAN)) as other:
        body = {"kode_skpd": SKPD_PENDIDIKAN, "kode_rekening": PAJAK_HOTEL, "tanggal": f"{tahun}-03-01",
                "uraian": "Pajak hotel Maret", "penyetor": "Hotel Savoy"}
        made = [api.post(url(tahun, "tbp"), json={**body, "nilai": n}) for n in ("1250000.25", "0.75")]
        assert [r.status_code for r in made] == [201, 201], [r.text for r in made]
        assert made[0].json()["nomor"].startswith("0000") and made[0].json()["nomor"] != made[1].json()["nomor"]
        # refused: a spending account, a date of another year, another SKPD's receipt
        assert fields(api.post(url(tahun, "tbp"), json={**body, "kode_rekening": BUILDING, "nilai": "1"})) == [
            "kode_rekening"]
        assert fields(api.post(url(tahun, "tbp"), json={**body, "tanggal": f"{tahun + 1}-01-01", "nilai": "1"})) == [
            "tanggal"]
        assert api.post(url(tahun, "tbp"), json={**body, "kode_skpd": SKPD_KESEHATAN, "nilai": "1"}).status_code == 403
        ids = [r.json()["id"] for r in made]
        assert other.post(url(tahun, "sts"), json={"kode_skpd": SKPD_KESEHATAN, "tanggal": f"{tahun}-03-02",
                                                   "tbp_ids": ids}).status_code == 422
        sts = api.post(url(tahun, "sts"), json={"kode_skpd": SKPD_PENDIDIKAN, "tanggal": f"{tahun}-03-02",
                                                "tbp_ids": ids})
        assert sts.status_code == 201, sts.text
        assert (sts.json()["nilai"], sts.json()["status"]) == ("1250001.00", "diajukan")
        again = api.post(url(tahun, "sts"), json={"kode_skpd": SKPD_PENDIDIKAN, "tanggal": f"{tahun}-03-02",
                                                  "tbp_ids": ids[:1]})
        assert fields(again) == ["tbp_ids.0"]
        assert api.post(url(tahun, f"sts/{sts.json()['id']}/validasi")).status_code == 403  # not the BUD
        assert bud.get(url(tahun, "realisasi-pendapatan")).json()["total"] == 0
        done = bud.post(url(tahun, f"sts/{sts.json()['id']}/validasi"))
        assert done.status_code == 200, done.text
        assert fields(bud.post(url(tahun, f"sts/{sts.json()['id']}/validasi"))) == ["status"]
        realised = bud.get(url(tahun, "realisasi-pendapatan")).json()["items"]
        assert [(r["kode_skpd"], r["kode_rekening"], r["jumlah"]) for r in realised] == [
            (SKPD_PENDIDIKAN, PAJAK_HOTEL, "1250001.00")]
        # the realisation is the sum of the deposits that made it; the other SKPD's officer sees none of it
        deposited = sum(Decimal(s["nilai"]) for s in bud.get(url(tahun, "sts")).json()["items"]
                        if s["status"] == "divalidasi")
        assert Decimal(realised[0]["jumlah"]) == deposited
        assert other.get(url(tahun, "realisasi-pendapatan")).json()["total"] == 0
        assert other.get(url(tahun, "tbp")).json()["total"] == 0
    event = admin_db.execute(
        "SELECT payload FROM keuangan.outbox WHERE routing_key = 'realisasi.berubah.v1' AND payload->>'tahun' = %s",
        (str(tahun),)).fetchall()
    assert [(e[0]["jenis"], e[0]["kode_rekening"], e[0]["jumlah"]) for e in event] == [
        ("pendapatan", PAJAK_HOTEL, "1250001.00")]
