"""The Renja through the gateway: the SKPD submits its part of the year's RKPD, its items then no longer change;
Bappeda returns it with a note (the SKPD changes it again) and then verifies it. The SKPD enters its Renja in
bulk from a spreadsheet: whole or not at all, every bad cell named."""
from __future__ import annotations

import io
import uuid

from tests.conftest import client_for
from tests.support import SKPD_PENDIDIKAN, plan, rkpd_url


def test_the_skpd_submits_its_renja_bappeda_returns_then_verifies_it(stack, accounts, tahun):
    url = f"/api/v1/pemda/32.73/rkpd/{tahun}/renja/{SKPD_PENDIDIKAN}"
    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)) as operator, \
            client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(operator, tahun)
        draft = operator.get(url)
        assert draft.status_code == 200, draft.text
        assert (draft.json()["status"], draft.json()["jumlah_sub_kegiatan"], draft.json()["version"]) == ("draft", 1, 0)
        assert bappeda.post(f"{url}/ajukan").status_code == 403  # the SKPD's to submit

        submitted = operator.post(f"{url}/ajukan", headers={"If-Match": '"0"'})
        assert submitted.status_code == 200 and submitted.json()["status"] == "diajukan", submitted.text
        frozen = operator.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"target": "3"})
        assert frozen.status_code == 409 and frozen.json()["errors"][0]["field"] == "status", frozen.text

        no_note = bappeda.post(f"{url}/verifikasi", json={"setuju": False})
        assert no_note.status_code == 422 and no_note.json()["errors"][0]["field"] == "catatan"
        returned = bappeda.post(f"{url}/verifikasi", json={"setuju": False, "catatan": "Lengkapi lokasi"})
        assert (returned.json()["status"], returned.json()["catatan"]) == ("dikembalikan", "Lengkapi lokasi")
        changed = operator.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"lokasi": ["32.73.01"]})
        assert changed.status_code == 200, changed.text

        assert operator.post(f"{url}/ajukan").status_code == 200
        verified = bappeda.post(f"{url}/verifikasi", json={"setuju": True})
        assert verified.status_code == 200 and verified.json()["status"] == "terverifikasi", verified.text
        assert operator.patch(f"{rkpd_url(tahun)}/{item['id']}", json={"target": "3"}).status_code == 409
        listed = bappeda.get(f"/api/v1/pemda/32.73/rkpd/{tahun}/renja").json()
        assert [(r["kode_skpd"], r["status"]) for r in listed["items"]] == [(SKPD_PENDIDIKAN, "terverifikasi")]


def _xlsx(*rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Kode Sub Kegiatan", "Indikator", "Target", "Satuan", "Pagu Indikatif", "Lokasi"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_skpd_enters_its_renja_from_a_spreadsheet_whole_or_not_at_all(stack, accounts, tahun):
    url = f"/api/v1/pemda/32.73/rkpd/{tahun}/renja/{SKPD_PENDIDIKAN}/impor"
    with client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN)) as operator:
        bad = _xlsx(["1.01.02.2.01.0010", "Jumlah ruang guru", 2, "Unit", "750000000.50", "32.73.01"],
                    ["1.01.02.2.01.0011", "Jumlah ruang UKS", "dua", "Unit", 1.5, None],
                    ["1.02.02.2.01.0002", "Puskesmas", 1, "Unit", 100, None],
                    ["1.01.02.2.01.0013", "Jumlah rumah dinas", 1, "Unit", 100, "31.71"])
        refused = operator.post(url, files={"file": ("renja.xlsx", bad, "application/octet-stream")})
        assert refused.status_code == 422, refused.text
        fields = [e["field"] for e in refused.json()["errors"]]
        assert fields == ["rows.3.target", "rows.4.kode_sub_kegiatan", "rows.5.lokasi.0"], fields
        assert operator.get(rkpd_url(tahun)).json()["total"] == 0  # nothing written

        good = _xlsx(["1.01.02.2.01.0010", "Jumlah ruang guru", 2, "Unit", "750000000.50", "32.73.01"],
                     ["1.01.02.2.01.0011", "Jumlah ruang UKS", 1, "Unit", 1.5, None])
        key = {"Idempotency-Key": str(uuid.uuid4())}
        done = operator.post(url, files={"file": ("renja.xlsx", good, "application/octet-stream")}, headers=key)
        assert done.status_code == 201, done.text
        # sent again with its key (a retry after a lost answer): the first answer, not 422 "already plans"
        again = operator.post(url, files={"file": ("renja.xlsx", good, "application/octet-stream")}, headers=key)
        assert again.status_code == 201 and again.json() == done.json(), again.text
        assert (done.json()["dibuat"], done.json()["total_pagu_indikatif"]) == (2, "750000002.00")
        items = operator.get(rkpd_url(tahun)).json()["items"]
        assert sorted((i["kode_sub_kegiatan"], i["pagu_indikatif"]) for i in items) == [
            ("1.01.02.2.01.0010", "750000000.50"), ("1.01.02.2.01.0011", "1.50")]
        csv_again = operator.post(url, files={"file": ("renja.csv", b"kode_sub_kegiatan,target,pagu_indikatif\n"
                                                                   b"1.01.02.2.01.0010,1,1\n", "text/csv")})
        assert csv_again.status_code == 422 and csv_again.json()["errors"][0]["field"] == "rows.2.kode_sub_kegiatan"
        assert operator.post(url, files={"file": ("x.png", b"\x89PNG", "image/png")}).status_code == 415
