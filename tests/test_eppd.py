"""An EPPD round over HTTP: the ministry opens it, each province's team scores its regencies/cities and
the ministry the provinces, a team outside its scope and a score after closing are refused, and the
announced ranking per cluster is public."""
from __future__ import annotations

import uuid

from nameko.standalone.rpc import ClusterRpcClient

from tests.conftest import LINGKUNGAN, client_for


def test_a_round_from_opening_to_the_public_ranking(stack, accounts, pusat_admin):
    tahun = LINGKUNGAN.tahun("32.73")
    url = f"/api/v1/eppd/{tahun}"
    jabar, dki, kota = accounts("provinsi_admin", "32"), accounts("provinsi_admin", "31"), accounts("bappeda")

    def nilai(**skor):
        return {"nilai": [{"kode_indikator": k, "skor": v} for k, v in skor.items()]}

    with client_for(stack, pusat_admin) as pusat, client_for(stack, jabar) as a, client_for(stack, dki) as b, \
            client_for(stack, kota) as bandung, client_for(stack, None) as public:
        assert a.post(url, json={}).status_code == 403
        key = {"Idempotency-Key": str(uuid.uuid4())}
        opened = pusat.post(url, json={}, headers=key)
        assert opened.status_code == 201, opened.text
        # sent again with its key (a retry after a lost answer): the first answer, not 409; without it, 409
        again = pusat.post(url, json={}, headers=key)
        assert again.status_code == 201 and again.json() == opened.json(), again.text
        assert pusat.post(url, json={}).status_code == 409
        assert opened.json()["status"] == "dibuka" and len(opened.json()["indikator"]) == 5
        full = {k: "4" for k in ("MAKRO", "WAJIB_DASAR", "WAJIB_NON_DASAR", "PILIHAN", "PENUNJANG")}
        for client, kode, skor in ((a, "32.73", full), (a, "32.77", {**full, "MAKRO": "2"}), (a, "32.04", full),
                                   (b, "31.71", {**full, "MAKRO": "3"}), (pusat, "32", full), (pusat, "31", {"MAKRO": "1"})):
            resp = client.put(f"{url}/pemda/{kode}/nilai", json=nilai(**skor))
            assert resp.status_code == 200, (kode, resp.text)
        refused = b.put(f"{url}/pemda/32.73/nilai", json=nilai(MAKRO="0"))
        assert refused.status_code == 403
        assert pusat.put(f"{url}/pemda/32.73/nilai", json=nilai(MAKRO="0")).json()["errors"][0]["field"] == "kode_pemda"
        bad = a.put(f"{url}/pemda/32.73/nilai", json=nilai(MAKRO="5"))
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"].endswith("skor")

        # within the round, each sees its scope: province A its own and its regencies', the city itself
        assert {h["kode_pemda"] for h in a.get(url).json()["hasil"]} == {"32", "32.73", "32.77", "32.04"}
        assert [h["kode_pemda"] for h in bandung.get(url).json()["hasil"]] == ["32.73"]
        assert public.get(f"/api/v1/publik/eppd/{tahun}").status_code == 404

        assert pusat.post(f"{url}/umumkan").status_code == 409  # not closed yet
        assert pusat.post(f"{url}/tutup").status_code == 200
        late = a.put(f"{url}/pemda/32.73/nilai", json=nilai(MAKRO="0"))
        assert late.status_code == 409 and late.json()["errors"][0]["field"] == "tahun"
        assert pusat.post(f"{url}/umumkan").status_code == 200

        result = public.get(f"/api/v1/publik/eppd/{tahun}")
        assert result.status_code == 200, result.text
        ranks = {h["kode_pemda"]: (h["klaster"], h["peringkat"], h["status"], h["indeks"]) for h in result.json()["hasil"]}
        assert ranks == {
            "32": ("provinsi", 1, "sangat_tinggi", "4.00"), "31": ("provinsi", 2, "sangat_rendah", "0.30"),
            "32.04": ("kabupaten", 1, "sangat_tinggi", "4.00"),
            "32.73": ("kota", 1, "sangat_tinggi", "4.00"), "31.71": ("kota", 2, "tinggi", "3.70"),
            "32.77": ("kota", 3, "tinggi", "3.40"),
        }


def test_a_binwas_finding_recorded_by_the_province_answered_by_the_city_and_closed(stack, accounts, amqp_uri):
    tahun = LINGKUNGAN.tahun("32.73")
    url = "/api/v1/pemda/32.73/binwas"
    with client_for(stack, accounts("provinsi_admin", "32")) as province, \
            client_for(stack, accounts("provinsi_admin", "31")) as other, \
            client_for(stack, accounts("inspektur")) as inspektur:
        body = {"tahun": tahun, "objek": "rasio_anggaran", "uraian": "Belanja pegawai 34%", "rekomendasi": "≤ 30%"}
        key = {"Idempotency-Key": str(uuid.uuid4())}
        assert other.post(url, json=body, headers=key).status_code == 403
        assert inspektur.post(url, json=body, headers=key).status_code == 403
        item = province.post(url, json=body, headers=key)
        assert item.status_code == 201, item.text
        # sent again with its key (a retry after a lost answer): the first answer, one finding; another body: 422
        again = province.post(url, json=body, headers=key)
        assert again.status_code == 201 and again.json() == item.json(), again.text
        assert again.headers["location"] == item.headers["location"]
        other_body = province.post(url, json={**body, "uraian": "Belanja pegawai 35%"}, headers=key)
        assert other_body.status_code == 422 and other_body.json()["errors"][0]["field"] == "Idempotency-Key"
        assert [t["id"] for t in province.get(url, params={"tahun": tahun}).json()["items"]] == [item.json()["id"]]
        # a call that reached pemerintahan (its answer lost, redelivered) is made once too, and the client's retry
        # with the same key through the gateway finds it
        rpc_key, rpc_body = str(uuid.uuid4()), {**body, "objek": "lainnya", "uraian": "Aset belum dicatat"}
        with ClusterRpcClient(context_data={"auth_token": accounts("provinsi_admin", "32").token}, timeout=15,
                              uri=amqp_uri) as rpc:
            ran = rpc.pemerintahan.create_temuan("32.73", rpc_body, idempotency_key=rpc_key)
            redelivered = rpc.pemerintahan.create_temuan("32.73", rpc_body, idempotency_key=rpc_key)
        assert redelivered == ran
        retried = province.post(url, json=rpc_body, headers={"Idempotency-Key": rpc_key})
        assert retried.status_code == 201 and retried.json()["id"] == ran["id"], retried.text
        assert province.get(url, params={"tahun": tahun}).json()["total"] == 2
        item_url = f"{url}/{item.json()['id']}"
        assert province.post(f"{item_url}/putusan", json={"diterima": True}).status_code == 409  # not answered
        assert inspektur.post(f"{item_url}/tanggapan", json={"isi": "Moratorium"}).json()["status"] == "ditanggapi"
        done = province.post(f"{item_url}/putusan", json={"diterima": True})
        assert done.status_code == 200 and done.json()["status"] == "selesai"
        assert [t["jenis"] for t in inspektur.get(item_url).json()["tindak_lanjut"]] == ["tanggapan", "diterima"]
