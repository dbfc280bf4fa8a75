"""A regency's Perda through its whole register path over HTTP, each step by its level (the city, its
province, the DPRD), a signed PDF attached and downloaded, and what the public, another province and
the pemda see on the way."""
from __future__ import annotations

import hashlib
import uuid

from tests.conftest import LINGKUNGAN, client_for

BASE = "/api/v1/pemda/32.73/perda"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 4096 + b"\n%%EOF\n"


def test_a_perda_from_draft_to_promulgation_each_step_by_its_level(stack, accounts):
    tahun = LINGKUNGAN.tahun("32.73")
    kota, jabar, dki = accounts("pemda_admin"), accounts("provinsi_admin", "32"), accounts("provinsi_admin", "31")
    dprd = accounts("dprd")
    with client_for(stack, kota) as api, client_for(stack, jabar) as province, client_for(stack, dki) as other, \
            client_for(stack, dprd) as council, client_for(stack, None) as public:
        body, key = {"jenis": "perda", "kategori": "pajak", "tahun": tahun, "judul": "Pajak Daerah"}, {
            "Idempotency-Key": str(uuid.uuid4())}
        created = api.post(BASE, json=body, headers=key)
        assert created.status_code == 201, created.text
        item = created.json()
        # sent again with its key (a retry after a lost answer): the first answer, no second regulation (the
        # province counts one below); with another body, 422
        again = api.post(BASE, json=body, headers=key)
        assert again.status_code == 201 and again.json() == item and again.headers["location"] == created.headers[
            "location"], again.text
        reused = api.post(BASE, json={**body, "judul": "Retribusi Daerah"}, headers=key)
        assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "Idempotency-Key", reused.text
        url = f"{BASE}/{item['id']}"
        assert (item["status"], item["tahap_berikut"], item["pelaku_berikut"]) == ("draft", "pembahasan_dprd", "pemda")

        def take(client, tahap, **data):
            resp = client.post(f"{url}/tahap", json={"tahap": tahap, **data})
            return resp

        assert take(api, "pembahasan_dprd").status_code == 200
        # the city does not facilitate its own Perda, nor does another province: 403 naming `tahap`
        refused = take(api, "fasilitasi")
        assert refused.status_code == 403 and refused.json()["errors"][0]["field"] == "tahap"
        assert take(other, "fasilitasi").status_code == 403
        # out of order: 409 naming `tahap`, nothing changed
        early = take(api, "persetujuan_bersama")
        assert early.status_code == 409 and early.json()["errors"][0]["field"] == "tahap"
        assert api.get(url).json()["version"] == 2
        assert take(province, "fasilitasi", catatan="Sesuai").status_code == 200
        assert take(council, "persetujuan_bersama").status_code == 200
        assert take(province, "evaluasi").status_code == 200  # a tax Perda is evaluated
        noreg = take(province, "noreg")
        assert noreg.status_code == 200 and noreg.json()["noreg"].startswith("NOREG PERDA 32.73 (")
        assert public.get(f"/api/v1/publik/perda/{item['id']}").status_code == 404  # not enacted yet

        # attachments: a PDF within the limit, stored with its checksum; anything else refused naming `file`
        not_pdf = api.post(f"{url}/lampiran", files={"file": ("perda.docx", b"PK\x03\x04word", "application/pdf")})
        assert not_pdf.status_code == 422 and not_pdf.json()["errors"][0]["field"] == "file"
        key = {"Idempotency-Key": str(uuid.uuid4())}
        attached = api.post(f"{url}/lampiran", files={"file": ("perda.pdf", PDF, "application/pdf")}, headers=key)
        assert attached.status_code == 200, attached.text
        # sent again with its key (a retry): attached once, the first answer
        again = api.post(f"{url}/lampiran", files={"file": ("perda.pdf", PDF, "application/pdf")}, headers=key)
        assert again.status_code == 200 and again.json() == attached.json(), again.text
        [lampiran] = attached.json()["lampiran"]
        assert lampiran["sha256"] == hashlib.sha256(PDF).hexdigest()

        enacted = take(api, "ditetapkan", nomor=f"Peraturan Daerah Nomor 1 Tahun {tahun}", tanggal=f"{tahun}-03-01")
        assert enacted.status_code == 200, enacted.text
        done = take(api, "diundangkan", nomor=f"Lembaran Daerah Tahun {tahun} Nomor 1", tanggal=f"{tahun}-03-02")
        assert done.status_code == 200 and done.json()["tahap_berikut"] is None
        assert take(api, "diundangkan").status_code == 409  # the path is complete

        # the public reads the enacted Perda and its signed PDF; another province reads none of the register
        seen = public.get("/api/v1/publik/perda", params={"kode_pemda": "32.73", "tahun": tahun})
        assert [p["id"] for p in seen.json()["items"]] == [item["id"]]
        pdf = public.get(f"/api/v1/publik/perda/{item['id']}/lampiran/{lampiran['id']}")
        assert pdf.status_code == 200 and pdf.content == PDF and pdf.headers["content-type"] == "application/pdf"
        assert other.get(BASE).status_code == 403
        assert province.get(BASE, params={"tahun": tahun}).json()["total"] == 1
        trail = api.get(f"{url}/audit").json()
        assert trail["total"] == 9 and trail["items"][0]["action"] == "create"


def test_an_attachment_over_the_limit_is_refused_before_it_is_read(stack, accounts):
    from gateway.limits import LAMPIRAN_MAX_BYTES

    with client_for(stack, accounts("pemda_admin")) as api:
        item = api.post(BASE, json={"jenis": "perkada", "tahun": LINGKUNGAN.tahun("32.73"), "judul": "Perwal"}).json()
        big = b"%PDF-" + b"0" * (LAMPIRAN_MAX_BYTES + 1)
        resp = api.post(f"{BASE}/{item['id']}/lampiran", files={"file": ("big.pdf", big, "application/pdf")})
        assert resp.status_code == 413, resp.text
        assert resp.json()["errors"][0]["field"] in ("file", "body")
        assert api.get(f"{BASE}/{item['id']}").json()["lampiran"] == []
