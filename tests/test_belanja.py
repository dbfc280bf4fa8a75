"""Spending through the gateway, on the running stack: from an enacted APBD and its authorised DPA, the BUD's SPD,
the bendahara's SPP LS for goods (contract and handover), verified by the PPK-SKPD after one rejection, the SPM
signed by the PA/KPA and accepted by the BUD, the SP2D issued for the same amount and disbursed: the realisation of
its sub kegiatan × account is the SP2D, and pemerintahan follows (``realisasi.berubah``): the LPPD drafted before
shows it is stale, and rebuilt shows the realisation and its capaian, as the national view does. Each refusal on
the way names its field and changes nothing."""
from __future__ import annotations

from decimal import Decimal

from ops.testing import wait_until
from tests.conftest import client_for
from tests.support import (
    REKENING_GEDUNG_SEKOLAH, SD_BARU, SKPD_KESEHATAN, SKPD_PENDIDIKAN, dpa_authorised, pu, refused, wait_report,
)

GEDUNG = REKENING_GEDUNG_SEKOLAH


def test_from_dpa_through_spd_spp_spm_sp2d_to_realisation_with_refusals_that_change_nothing(stack, accounts, admin_db,
                                                                                            tahun):
    dpa_authorised(stack, accounts, tahun)
    bud, kuasa_bud = accounts("bud"), accounts("kuasa_bud")
    bendahara = accounts("bendahara_pengeluaran", kode_skpd=SKPD_PENDIDIKAN)
    ppk = accounts("ppk_skpd", kode_skpd=SKPD_PENDIDIKAN)
    pa = accounts("pa_kpa", kode_skpd=SKPD_PENDIDIKAN)
    outsiders = [accounts("bendahara_pengeluaran", kode_skpd=SKPD_KESEHATAN),
                 accounts("ppk_skpd", kode_skpd=SKPD_KESEHATAN), accounts("bud", "32.74")]

    # SPD: the kuasa BUD drafts for January to March (cash plan 300,000,000), the BUD authorises, not its maker
    with client_for(stack, kuasa_bud) as api:
        over = api.post(pu(tahun, "spd"), json={"kode_skpd": SKPD_PENDIDIKAN, "bulan_mulai": 1, "bulan_sampai": 3,
                                                 "baris": [{"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG,
                                                            "nilai": "300000000.01"}]})
        refused(over, 422)
        made = api.post(pu(tahun, "spd"), json={"kode_skpd": SKPD_PENDIDIKAN, "bulan_mulai": 1, "bulan_sampai": 3,
                                                 "baris": [{"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG,
                                                            "nilai": "250000000"}]})
        assert made.status_code == 201, made.text
        spd = made.json()
        assert (spd["status"], spd["nilai"]) == ("draft", "250000000.00")
        assert api.get(pu(tahun, "spd")).json()["total"] == 1  # the refused one left nothing
        # the maker authorising its own SPD: 403 naming the checker, nothing changed
        refused(api.post(pu(tahun, f"spd/{spd['id']}/otorisasi")), 403, "pemeriksa")
        assert api.get(pu(tahun, f"spd/{spd['id']}")).json() == spd
    with client_for(stack, bud) as api:
        authorised = api.post(pu(tahun, f"spd/{spd['id']}/otorisasi"))
        assert authorised.status_code == 200 and authorised.json()["status"] == "otorisasi", authorised.text
        refused(api.post(pu(tahun, f"spd/{spd['id']}/otorisasi")), 409, "status")  # once only
        spd = authorised.json()

    # SPP LS goods: refused without contract and handover, above what remains of the SPD line; then made
    ls = {"kode_skpd": SKPD_PENDIDIKAN, "jenis": "LS", "jenis_ls": "barang_jasa", "spd_id": spd["id"],
          "baris": [{"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "nilai": "150000000"}]}
    kontrak = {"kontrak": {"nomor": "027/PPK/2026", "tanggal": f"{tahun}-02-01", "nilai": "300000000"},
               "bast": {"nomor": "027/BAST/2026", "tanggal": f"{tahun}-03-01"}}
    with client_for(stack, bendahara) as api:
        bare = api.post(pu(tahun, "spp"), json=ls)
        refused(bare, 422, "kontrak")
        refused(bare, 422, "bast")
        above = api.post(pu(tahun, "spp"), json={**ls, **kontrak, "baris": [
            {"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "nilai": "250000000.01"}]})
        refused(above, 422, "baris.0.nilai")
        assert api.get(pu(tahun, "spp")).json()["total"] == 0
        made = api.post(pu(tahun, "spp"), json={**ls, **kontrak})
        assert made.status_code == 201, made.text
        spp = made.json()
        assert (spp["status"], spp["nilai"], spp["kontrak"]["nomor"]) == ("draft", "150000000.00", "027/PPK/2026")
        # what remains of the SPD line is 100,000,000 now: one rupiah more is refused
        refused(api.post(pu(tahun, "spp"), json={**ls, **kontrak, "baris": [
            {"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "nilai": "100000000.01"}]}), 422, "baris.0.nilai")
        # a step out of order: an SPM of an SPP not verified (by the PPK-SKPD, further down) — submit first
        submitted = api.post(pu(tahun, f"spp/{spp['id']}/ajukan"))
        assert submitted.status_code == 200 and submitted.json()["status"] == "diajukan", submitted.text
        refused(api.post(pu(tahun, f"spp/{spp['id']}/ajukan")), 409, "status")
        spp = submitted.json()

    # a document of another SKPD or pemda: refused, nothing changed
    for outsider in outsiders:
        with client_for(stack, outsider) as api:
            refused(api.get(pu(tahun, f"spp/{spp['id']}")), 403)
            refused(api.post(pu(tahun, f"spp/{spp['id']}/verifikasi"), json={"setuju": True}), 403)
            refused(api.get(pu(tahun, f"spd/{spd['id']}")), 403)

    # the PPK-SKPD: an SPM before verifying is out of order; rejects once (the reason is needed), then verifies
    with client_for(stack, ppk) as api:
        refused(api.post(pu(tahun, "spm"), json={"spp_id": spp["id"]}), 409, "spp_id")
        refused(api.post(pu(tahun, f"spp/{spp['id']}/verifikasi"), json={"setuju": False}), 422, "alasan")
        assert api.get(pu(tahun, f"spp/{spp['id']}")).json() == spp
        rejected = api.post(pu(tahun, f"spp/{spp['id']}/verifikasi"),
                            json={"setuju": False, "alasan": "BAST belum ditandatangani"})
        assert rejected.status_code == 200, rejected.text
        assert (rejected.json()["status"], rejected.json()["alasan_tolak"]) == ("draft", "BAST belum ditandatangani")
    with client_for(stack, bendahara) as api:
        assert api.post(pu(tahun, f"spp/{spp['id']}/ajukan")).status_code == 200
    with client_for(stack, ppk) as api:
        verified = api.post(pu(tahun, f"spp/{spp['id']}/verifikasi"), json={"setuju": True})
        assert verified.status_code == 200, verified.text
        assert (verified.json()["status"], verified.json()["diverifikasi_oleh"]) == ("diverifikasi", ppk.id)
        made = api.post(pu(tahun, "spm"), json={"spp_id": spp["id"]})
        assert made.status_code == 201, made.text
        spm = made.json()
        assert (spm["status"], spm["nilai"], spm["jenis"]) == ("draft", "150000000.00", "LS")

    # the SPM: the BUD may not decide an unsigned one; the PA/KPA signs, the BUD accepts
    with client_for(stack, bud) as api:
        refused(api.post(pu(tahun, f"spm/{spm['id']}/keputusan"), json={"setuju": True}), 409, "status")
    with client_for(stack, pa) as api:
        signed = api.post(pu(tahun, f"spm/{spm['id']}/tandatangan"))
        assert signed.status_code == 200 and signed.json()["status"] == "otorisasi", signed.text
    with client_for(stack, bud) as api:
        accepted = api.post(pu(tahun, f"spm/{spm['id']}/keputusan"), json={"setuju": True})
        assert accepted.status_code == 200 and accepted.json()["status"] == "diterima", accepted.text

    # the LPPD, drafted before any money moved: the budget, no realisation
    lppd_url = f"/api/v1/pemda/32.73/lppd/{tahun}"
    with client_for(stack, accounts("pemda_admin")) as admin, client_for(stack, accounts("tapd")) as tapd:
        wait_report(tapd, tahun, lambda r: Decimal(r["total_anggaran"]) == Decimal(1200000000))
        drafted = admin.post(lppd_url)
        assert drafted.status_code == 201, drafted.text
        assert (drafted.json()["isi"]["total_realisasi"], drafted.json()["basi"]) == (None, False)

    # the SP2D: for exactly the SPM's amount; drafted by the kuasa BUD, issued by the BUD, then disbursed
    with client_for(stack, kuasa_bud) as api:
        refused(api.post(pu(tahun, "sp2d"), json={"spm_id": spm["id"], "nilai": "149999999.99"}), 422, "nilai")
        assert api.get(pu(tahun, "sp2d")).json()["total"] == 0
        made = api.post(pu(tahun, "sp2d"), json={"spm_id": spm["id"], "nilai": "150000000.00"})
        assert made.status_code == 201, made.text
        sp2d = made.json()
        refused(api.post(pu(tahun, f"sp2d/{sp2d['id']}/terbit")), 403, "pemeriksa")
    with client_for(stack, bud) as api:
        refused(api.post(pu(tahun, f"sp2d/{sp2d['id']}/cair")), 409, "status")  # not issued yet
        assert api.get(pu(tahun, "realisasi-belanja")).json()["total"] == 0
        issued = api.post(pu(tahun, f"sp2d/{sp2d['id']}/terbit"))
        assert issued.status_code == 200 and issued.json()["status"] == "terbit", issued.text
        # the bank's day dates the realisation (the LRA's periods): one outside the budget year is refused
        refused(api.post(pu(tahun, f"sp2d/{sp2d['id']}/cair"), json={"tanggal": f"{tahun - 1}-12-31"}), 422, "tanggal")
        paid = api.post(pu(tahun, f"sp2d/{sp2d['id']}/cair"), json={"tanggal": f"{tahun}-03-15"})
        assert paid.status_code == 200 and paid.json()["status"] == "cair", paid.text
        refused(api.post(pu(tahun, f"sp2d/{sp2d['id']}/cair")), 409, "status")  # once only
        sp2d = paid.json()
        assert [(b["kode_sub_kegiatan"], b["kode_rekening"], b["nilai"]) for b in sp2d["baris"]] == [
            (SD_BARU, GEDUNG, "150000000.00")]

    # the realisation is the SP2D, exactly; the SKPD's own officers read it, another SKPD's see none of it
    with client_for(stack, pa) as api:
        realised = api.get(pu(tahun, "realisasi-belanja"))
        assert realised.status_code == 200, realised.text
        [row] = realised.json()["items"]
        assert (row["kode_skpd"], row["kode_sub_kegiatan"], row["kode_rekening"], Decimal(row["jumlah"])) == (
            SKPD_PENDIDIKAN, SD_BARU, GEDUNG, Decimal(sp2d["nilai"]))
        for doc, id_ in (("spd", spd["id"]), ("spp", spp["id"]), ("spm", spm["id"]), ("sp2d", sp2d["id"])):
            listed = api.get(pu(tahun, doc)).json()["items"]
            assert [d["id"] for d in listed] == [id_], doc
    with client_for(stack, outsiders[0]) as api:
        assert api.get(pu(tahun, "realisasi-belanja")).json()["total"] == 0
        assert api.get(pu(tahun, "sp2d")).json()["total"] == 0
        refused(api.get(pu(tahun, "sp2d"), params={"kode_skpd": SKPD_PENDIDIKAN}), 403)

    # pemerintahan follows: the draft is stale in the bidang urusan spent in, and rebuilt shows the realisation
    with client_for(stack, accounts("pemda_admin")) as admin:
        stale = wait_until(lambda: (r := admin.get(lppd_url).json())["basi"] and r, 30, message="LPPD stale")
        assert stale["berubah"] == [SD_BARU[:4]]
        rebuilt = admin.post(f"{lppd_url}/bangun-ulang")
        assert rebuilt.status_code == 200, rebuilt.text
        [bidang] = rebuilt.json()["isi"]["urusan"][0]["bidang_urusan"]
        [sub] = bidang["sub_kegiatan"]
        assert (sub["kode_sub_kegiatan"], sub["anggaran"], sub["realisasi"], sub["capaian"]) == (
            SD_BARU, "1200000000.00", sp2d["nilai"], "12.50")
        assert (bidang["total_realisasi"], bidang["capaian"], rebuilt.json()["basi"]) == (sp2d["nilai"], "12.50", False)
        [own] = admin.get(f"/api/v1/nasional/{tahun}/pemda").json()["items"]
        assert (own["kode_pemda"], own["total_realisasi"]) == ("32.73", sp2d["nilai"])
    # and no queue was missing: keuangan's realisation events were routed, none returned unroutable
    assert admin_db.execute(
        "SELECT count(*) FROM keuangan.outbox WHERE routing_key = 'realisasi.berubah.v1' AND payload->>'tahun' = %s "
        "AND (published_at IS NULL OR unroutable > 0)", (str(tahun),)).fetchone()[0] == 0
