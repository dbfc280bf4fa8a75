"""The Renja through the gateway: the SKPD submits its part of the year's RKPD, its items then no longer change;
Bappeda returns it with a note (the SKPD changes it again) and then verifies it."""
from __future__ import annotations

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
