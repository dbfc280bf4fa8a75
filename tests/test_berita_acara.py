"""Code mapping through the gateway: a code the codification retires flags the RKPD item using it; Bappeda drafts
a berita acara (the crosswalk's replacement proposed), a replacement the SKPD or the pemda's level does not allow
is refused naming the pair, and signing it numbers it, clears the flag and gives the item its new code — which
reaches keuangan's ceiling and pemerintahan's report. Signed, it never changes (409; the database refuses too).

It retires a code no other test uses (a sub kegiatan of bidang 1.03), in a version of its own."""
from __future__ import annotations

import uuid

import psycopg
import pytest

from ops.testing import wait_until
from tests.conftest import client_for
from tests.support import (
    bidang, csv, new_versi, plafon_of, plan, rkpd_url, upload, wait_plafon, wait_report,
)

CIPTA_KARYA = "1.03.1.04.0.00.01.0000"  # serves bidang urusan 1.03 and 1.04
# "renumbered" from 1.03 into 1.04 (Pembangunan Stasiun Pompa Banjir → Identifikasi Lahan Relokasi Perumahan)
LAMA, BARU = "1.03.02.2.01.0013", "1.04.02.2.01.0002"
KESEHATAN = "1.02.02.2.01.0003"    # a bidang urusan Cipta Karya does not serve
PROVINSI = "1.04.02.1.01.0002"     # the province's level
PIHAK = [{"nama": "Ir. Siti Rahma", "jabatan": "Kepala Bappeda"},
         {"nama": "Drs. Budi Santoso", "jabatan": "Kepala Dinas Cipta Karya", "nip": "19700101 199003 1 001"}]


def ba_url(suffix: str = "") -> str:
    return f"/api/v1/pemda/32.73/berita-acara{suffix}"


def test_a_signed_berita_acara_maps_the_flagged_item_and_the_new_code_reaches_the_budget_and_the_report(
        api, admin_headers, admin_db, tahun):
    item = plan(api, tahun, kode_skpd=CIPTA_KARYA, kode_sub_kegiatan=LAMA, indikator="Jumlah Stasiun Pompa",
                satuan="Unit", pagu_indikatif="250000000.00")
    wait_plafon(api, tahun, item["id"])
    wait_report(api, tahun, lambda r: (b := bidang(r, "1.03")) and b["jumlah_sub_kegiatan"] == 1)

    resp = upload(api, admin_headers, csv("aksi,kode,kode_pengganti", f"hapus,{LAMA},{BARU}"), kind="nomenklatur",
                  mode="diff", **new_versi())
    assert resp.status_code == 200 and resp.json()["retired"] == 1, resp.text
    url = f"{rkpd_url(tahun)}/{item['id']}"
    wait_until(lambda: api.get(url).json()["perlu_pemetaan"], 15, message="plan item flagged")
    wait_plafon(api, tahun, item["id"], lambda p: p["perlu_pemetaan"])

    # what needs mapping, with the crosswalk's proposal
    needed = api.get(ba_url(f"/perlu-pemetaan/{tahun}"))
    assert needed.status_code == 200, needed.text
    assert [(p["rkpd_id"], p["kode_sub_kegiatan"], p["kode_sub_kegiatan_baru"], p["kode_skpd_baru"])
            for p in needed.json()["items"]] == [(item["id"], LAMA, BARU, CIPTA_KARYA)]

    created = api.post(ba_url(), json={"tahun": tahun, "perihal": "Pemetaan kode akibat Kepmendagri uji"})
    assert created.status_code == 201, created.text
    draft = created.json()
    assert created.headers["location"].endswith(draft["id"])
    assert (draft["status"], draft["nomor"], draft["tahun"]) == ("draft", None, tahun)
    [pair] = draft["pasangan"]
    assert (pair["kode_sub_kegiatan_baru"], pair["usulan_sub_kegiatan"]) == (BARU, [BARU])

    # a replacement the SKPD's bidang urusan or the pemda's level does not allow: 422 naming the pair, nothing changes
    for kode, words in ((KESEHATAN, "does not serve"), (PROVINSI, "provinsi")):
        refused = api.put(ba_url(f"/{draft['id']}"), json={"pasangan": [
            {"rkpd_id": item["id"], "kode_sub_kegiatan_baru": kode}]})
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "pasangan.0.kode_sub_kegiatan_baru" and words in error["message"]
    assert api.get(ba_url(f"/{draft['id']}")).json() == draft

    signed = api.post(ba_url(f"/{draft['id']}/penandatanganan"), headers={"If-Match": f'"{draft["version"]}"'},
                      json={"tanggal": f"{tahun - 1}-12-20", "pihak": PIHAK})
    assert signed.status_code == 200, signed.text
    ba = signed.json()
    assert (ba["status"], ba["nomor"], ba["nomor_surat"], ba["tanggal"]) == (
        "ditandatangani", 1, f"001/BA-PEMETAAN/32.73/{tahun}", f"{tahun - 1}-12-20")
    assert [p["jabatan"] for p in ba["pihak"]] == ["Kepala Bappeda", "Kepala Dinas Cipta Karya"]
    assert len(ba["hash"]) == 64 and ba["ditandatangani_oleh"] and ba["ditandatangani_pada"]

    # the item took its new code: flag cleared, a new version
    mapped = api.get(url).json()
    assert (mapped["kode_sub_kegiatan"], mapped["kode_bidang_urusan"], mapped["perlu_pemetaan"], mapped["pemetaan"]) == (
        BARU, "1.04", False, [])
    assert mapped["version"] == item["version"] + 1 and mapped["pagu_indikatif"] == "250000000.00"
    assert api.get(ba_url(f"/perlu-pemetaan/{tahun}")).json()["total"] == 0

    # keuangan's ceiling moved to the new code, its flag cleared; pemerintahan's report counts it under 1.04
    ceiling = wait_plafon(api, tahun, item["id"], lambda p: p["kode_sub_kegiatan"] == BARU)
    assert (ceiling["perlu_pemetaan"], ceiling["pagu"]) == (False, "250000000.00")
    report = wait_report(api, tahun, lambda r: (b := bidang(r, "1.04")) and b["jumlah_sub_kegiatan"] == 1)
    assert bidang(report, "1.04")["total_pagu_indikatif"] == "250000000.00"
    assert not (bidang(report, "1.03") or {}).get("jumlah_sub_kegiatan")

    # signed: it never changes — signed twice or edited is 409 naming the status; the database refuses too
    twice = api.post(ba_url(f"/{draft['id']}/penandatanganan"), json={"pihak": PIHAK})
    assert twice.status_code == 409 and twice.json()["errors"][0]["field"] == "status", twice.text
    edited = api.put(ba_url(f"/{draft['id']}"), json={"pasangan": [{"rkpd_id": item["id"]}]})
    assert edited.status_code == 409 and edited.json()["errors"][0]["field"] == "status", edited.text
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="a signed berita acara never changes"):
        admin_db.execute("UPDATE perencanaan.berita_acara SET perihal = 'diubah' WHERE id = %s", (draft["id"],))
    assert api.get(ba_url(f"/{draft['id']}")).json() == ba
    listed = api.get(ba_url(), params={"tahun": tahun}).json()
    assert [(b["id"], b["nomor"], b["jumlah_pasangan"]) for b in listed["items"]] == [(draft["id"], 1, 1)]
    # nothing left to map this year
    nothing = api.post(ba_url(), json={"tahun": tahun})
    assert nothing.status_code == 422 and nothing.json()["errors"][0]["field"] == "tahun"


# -- the year's RKPD consistency report (issue 12 part 9) ---------------------------------------------------

def test_the_rkpd_consistency_report_lists_an_item_serving_no_sasaran_and_an_operator_sees_only_its_skpds(
        api, stack, accounts, tahun):
    item = plan(api, tahun, kode_skpd=CIPTA_KARYA, kode_sub_kegiatan="1.03.02.2.01.0015", indikator="Jumlah Sabo",
                satuan="Unit", pagu_indikatif="900000000.00")  # no test writes a Renstra of Cipta Karya
    resp = api.get(f"/api/v1/pemda/32.73/rkpd/{tahun}/konsistensi")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [(t["jenis"], t["rkpd_id"], t["kode_skpd"]) for t in body["temuan"]] == [
        ("tanpa_sasaran", item["id"], CIPTA_KARYA)]
    assert body["jumlah"] == {"tanpa_sasaran": 1, "target_berbeda": 0, "melebihi_pagu_skpd": 0,
                              "usulan_tidak_tertaut": 0}
    with client_for(stack, accounts("skpd_operator", kode_skpd="1.02.0.00.0.00.01.0000")) as operator:
        own = operator.get(f"/api/v1/pemda/32.73/rkpd/{tahun}/konsistensi")
    assert own.status_code == 200 and own.json()["temuan"] == []


# -- two items of one SKPD exchanging their codes (a swap answered 500: the unique index, row by row) ---------

def test_a_berita_acara_swapping_two_items_codes_within_one_skpd_is_signed_and_both_take_their_new_codes(
        api, admin_db, tahun):
    """A→B while B→A, both current codes Cipta Karya serves. The two items are flagged here as a retirement of
    each code (since restored) would have flagged them; what is tested is the berita acara over HTTP."""
    a_kode, b_kode = "1.03.02.2.01.0026", "1.03.02.2.01.0028"
    a = plan(api, tahun, kode_skpd=CIPTA_KARYA, kode_sub_kegiatan=a_kode, pagu_indikatif="100000000.00")
    b = plan(api, tahun, kode_skpd=CIPTA_KARYA, kode_sub_kegiatan=b_kode, pagu_indikatif="200000000.00")
    for item in (a, b):
        admin_db.execute("UPDATE perencanaan.rkpd_sub_kegiatan SET perlu_pemetaan = true, pemetaan = "
                         "jsonb_build_array(jsonb_build_object('kind', 'nomenklatur', 'kode', kode_sub_kegiatan::text, "
                         "'versi', 'uji', 'kode_pengganti', '[]'::jsonb)) WHERE id = %s", (item["id"],))
    # drafted with an Idempotency-Key, sent twice (a retry after a lost answer): one draft, the first answer twice
    key, body = {"Idempotency-Key": str(uuid.uuid4())}, {"tahun": tahun, "perihal": "Pertukaran kode"}
    made, again = (api.post(ba_url(), json=body, headers=key) for _ in range(2))
    assert made.status_code == again.status_code == 201, (made.text, again.text)
    assert again.json() == made.json() and again.headers["location"] == made.headers["location"]
    other = api.post(ba_url(), json={**body, "perihal": "Lain"}, headers=key)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key", other.text
    assert [b["id"] for b in api.get(ba_url(), params={"tahun": tahun}).json()["items"]] == [made.json()["id"]]
    draft = made.json()
    swapped = api.put(ba_url(f"/{draft['id']}"), json={"pasangan": [
        {"rkpd_id": a["id"], "kode_sub_kegiatan_baru": b_kode}, {"rkpd_id": b["id"], "kode_sub_kegiatan_baru": a_kode}]})
    assert swapped.status_code == 200, swapped.text
    signed = api.post(ba_url(f"/{draft['id']}/penandatanganan"), json={"pihak": PIHAK})
    assert signed.status_code == 200, signed.text
    after = {i["id"]: i for i in api.get(rkpd_url(tahun), params={"per_page": 200}).json()["items"]}
    assert [(after[i["id"]]["kode_sub_kegiatan"], after[i["id"]]["pagu_indikatif"], after[i["id"]]["perlu_pemetaan"])
            for i in (a, b)] == [(b_kode, "100000000.00", False), (a_kode, "200000000.00", False)]
    # keuangan's ceilings follow, each item's to its new code
    assert wait_plafon(api, tahun, a["id"], lambda p: p["kode_sub_kegiatan"] == b_kode)["pagu"] == "100000000.00"
    assert wait_plafon(api, tahun, b["id"], lambda p: p["kode_sub_kegiatan"] == a_kode)["pagu"] == "200000000.00"
