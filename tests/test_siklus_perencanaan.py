"""One pemda's whole planning cycle through the gateway, against the real stack (issue 12): Bappeda makes and
enacts the RPJMD; Dinas Pendidikan makes its Renstra serving the RPJMD's sasaran, Bappeda verifies it; the year's
RKPD goes through its stages inside the schedule's windows (rancangan awal → rancangan → musrenbang → rancangan
akhir → penetapan), with a desa's musrenbang proposal and a DPRD member's pokir verified level by level and
linked to the items answering them, and the SKPD's Renja entered from a spreadsheet, submitted and verified
(and returned, once rancangan akhir will not lock while an item of it names no Renstra sasaran);
penetapan's event reaches keuangan, whose KUA-PPAS appears from the enacted snapshot. The consistency reports
(the RPJMD's and the RKPD's) see every step.

Its years are its own in both pools (``reserve_siklus``): an RPJMD period no other test's overlaps, whose first
year is an RKPD year no other test writes in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from tests.conftest import KODE_PEMDA, reserve_siklus
from tests.support import (
    RKPD_STAGES, SD_BARU, SKPD_KESEHATAN, SKPD_PENDIDIKAN, make_renstra, make_rpjmd, plan, ppas_url, rkpd_url, rpjmd_url, wait_ppas,
)

# the same users' clients (as fixtures) and helpers as the tests of each part
from tests.test_renja import _xlsx as xlsx
from tests.test_rpjmd_renstra import bappeda, disdik  # noqa: F401
from tests.test_usulan import DESA, dprd, ok, refused  # noqa: F401

RUANG_GURU = "1.01.02.2.01.0010"  # in no sasaran of the Renstra below: the report lists it
PUSKESMAS = "1.02.02.2.01.0001"  # of Dinas Kesehatan, which has no Renstra


def kinds(report: dict) -> list[tuple]:
    """A report's findings as (jenis, what it is about), in order."""
    return [(t["jenis"], t.get("rkpd_id") or t.get("usulan_id") or t.get("renstra_id") or t.get("kode_sasaran"))
            for t in report["temuan"]]


def test_one_pemdas_planning_cycle_from_the_rpjmd_to_the_ppas(bappeda, disdik, dprd):
    awal = reserve_siklus()
    tahun = awal  # the RKPD of the RPJMD's first year
    pemda = f"/api/v1/pemda/{KODE_PEMDA}"
    jadwal = f"{pemda}/jadwal/rkpd/{tahun}"
    usulan = f"{pemda}/usulan/{tahun}"
    renja = f"{pemda}/rkpd/{tahun}/renja/{SKPD_PENDIDIKAN}"
    konsistensi_rkpd = f"{pemda}/rkpd/{tahun}/konsistensi"

    def rkpd_report() -> dict:
        return ok(bappeda.get(konsistensi_rkpd))

    def step(kode: str, action: str) -> dict:
        return ok(bappeda.post(f"{jadwal}/tahap/{kode}/{action}"))

    def stage(j: dict, kode: str) -> dict:
        return next(t for t in j["tahap"] if t["kode"] == kode)

    # -- RPJMD, by Bappeda: the report sees a sasaran and an SKPD without a Renstra -----------------------------
    rpjmd = make_rpjmd(bappeda, awal)
    konsistensi_rpjmd = f"{rpjmd_url()}/{rpjmd['id']}/konsistensi"
    assert [t["jenis"] for t in ok(bappeda.get(konsistensi_rpjmd))["temuan"]] == [
        "sasaran_tanpa_renstra", "skpd_tanpa_renstra"]
    enacted_rpjmd = ok(bappeda.post(f"{rpjmd_url()}/{rpjmd['id']}/penetapan",
                                    json={"nomor_perda": "Perda Kota Bandung No. 1", "tanggal_perda": f"{awal}-01-31"}))
    assert enacted_rpjmd["status"] == "ditetapkan"

    # -- Renstra, by the SKPD, verified by Bappeda: the report follows it --------------------------------------
    renstra = make_renstra(disdik, rpjmd)
    report = ok(bappeda.get(konsistensi_rpjmd))
    assert [t["jenis"] for t in report["temuan"]] == ["target_belum_lengkap", "renstra_belum_terverifikasi"]
    assert report["jumlah"]["sasaran_tanpa_renstra"] == report["jumlah"]["skpd_tanpa_renstra"] == 0
    one = f"{pemda}/renstra/{SKPD_PENDIDIKAN}/{renstra['id']}"
    assert ok(disdik.post(f"{one}/ajukan"))["status"] == "diajukan"
    assert disdik.post(f"{one}/verifikasi", json={"setuju": True}).status_code == 403  # Bappeda's to verify
    assert ok(bappeda.post(f"{one}/verifikasi", json={"setuju": True}))["status"] == "terverifikasi"
    report = ok(bappeda.get(konsistensi_rpjmd))
    assert report["jumlah"]["renstra_belum_terverifikasi"] == 0
    assert [t["jenis"] for t in report["temuan"]] == ["target_belum_lengkap"]  # targets for two of five years

    # -- the RKPD's schedule: nothing is written before its first stage opens ----------------------------------
    now = datetime.now(timezone.utc)
    ok(bappeda.post(f"{pemda}/jadwal", json={"dokumen": "rkpd", "tahun": tahun, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in RKPD_STAGES]}), 201)
    item_body = {"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU, "indikator": "Jumlah sekolah baru",
                 "target": "3", "satuan": "Unit", "pagu_indikatif": "3500000000.00", "lokasi": [DESA]}
    refused(bappeda.post(rkpd_url(tahun), json=item_body), 409, "tahun")
    musrenbang = {"jenis": "musrenbang", "kode_desa": DESA, "masalah": "Daya tampung SD kurang",
                  "uraian": "Pembangunan SD baru", "kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU,
                  "lokasi": [DESA], "volume": "1", "satuan": "Unit", "anggaran": "3500000000.00"}
    refused(bappeda.post(usulan, json=musrenbang), 409, "tahun")
    refused(disdik.post(f"{renja}/ajukan"), 409, "tahun")  # a Renja's step is a write of the year's RKPD too
    assert rkpd_report()["temuan"] == []

    # -- rancangan awal: Bappeda drafts; the proposals are entered and submitted -------------------------------
    step("rancangan_awal", "buka")
    # the item names the sasaran of the verified Renstra it serves (optional yet; a sasaran the Renstra lacks is not)
    refused(bappeda.post(rkpd_url(tahun), json={**item_body, "kode_sasaran_renstra": "S9"}), 422,
            "kode_sasaran_renstra")
    sd = plan(bappeda, tahun, **item_body, kode_sasaran_renstra="S1")
    assert sd["kode_sasaran_renstra"] == "S1"
    # the Renstra's target for the year is 2: a different one without a note is a finding
    assert kinds(rkpd_report()) == [("target_berbeda", sd["id"])]
    u = ok(bappeda.post(usulan, json=musrenbang), 201)
    u = ok(bappeda.post(f"{usulan}/{u['id']}/ajukan"))
    pokir_body = {k: v for k, v in musrenbang.items() if k not in ("jenis", "kode_desa", "kode_sub_kegiatan")}
    p = ok(dprd.post(usulan, json={**pokir_body, "jenis": "pokir", "fraksi": "Fraksi Contoh", "dapil": "Bandung 1",
                                   "uraian": "Ruang guru SD", "anggaran": "750000000.00"}), 201)
    p = ok(dprd.post(f"{usulan}/{p['id']}/ajukan"))
    first = stage(step("rancangan_awal", "kunci"), "rancangan_awal")
    refused(bappeda.patch(f"{rkpd_url(tahun)}/{sd['id']}", json={"target": "2"}), 409, "tahun")  # between stages

    # -- rancangan: the SKPD enters its Renja from a spreadsheet, explains its target ---------------------------
    step("rancangan", "buka")
    imported = ok(disdik.post(f"{renja}/impor", files={"file": ("renja.xlsx", xlsx(
        [RUANG_GURU, "Jumlah ruang guru", 2, "Unit", "750000000.00", "32.73.01"]), "application/octet-stream")}), 201)
    assert imported["dibuat"] == 1
    [guru] = [i for i in ok(disdik.get(rkpd_url(tahun)))["items"] if i["kode_sub_kegiatan"] == RUANG_GURU]
    assert kinds(rkpd_report()) == [("target_berbeda", sd["id"]), ("tanpa_sasaran", guru["id"])]
    ok(disdik.patch(f"{rkpd_url(tahun)}/{sd['id']}", json={"catatan": "Dua SD dan satu SD filial"}))
    assert kinds(rkpd_report()) == [("tanpa_sasaran", guru["id"])]
    step("rancangan", "kunci")

    # -- musrenbang: each proposal verified level by level, accepted, linked to the item answering it ----------
    step("musrenbang", "buka")
    u = ok(bappeda.post(f"{usulan}/{u['id']}/verifikasi", json={"keputusan": "setuju"}))       # kecamatan
    u = ok(bappeda.post(f"{usulan}/{u['id']}/verifikasi", json={"keputusan": "setuju"}))       # the city's forum
    refused(dprd.post(f"{usulan}/{u['id']}/verifikasi", json={"keputusan": "setuju"}), 403, "tingkat")
    u = ok(disdik.post(f"{usulan}/{u['id']}/verifikasi", json={"keputusan": "setuju"}))        # the SKPD concerned
    p = ok(bappeda.post(f"{usulan}/{p['id']}/verifikasi", json={"keputusan": "setuju"}))
    p = ok(disdik.post(f"{usulan}/{p['id']}/verifikasi", json={"keputusan": "setuju"}))
    assert (u["status"], p["status"]) == ("diterima", "diterima")
    assert sorted(kinds(rkpd_report())) == sorted([("tanpa_sasaran", guru["id"]), ("usulan_tidak_tertaut", u["id"]),
                                                   ("usulan_tidak_tertaut", p["id"])])
    ok(disdik.put(f"{usulan}/{u['id']}/rkpd", json={"rkpd_id": sd["id"]}))
    ok(disdik.put(f"{usulan}/{p['id']}/rkpd", json={"rkpd_id": guru["id"]}))
    report = rkpd_report()
    assert kinds(report) == [("tanpa_sasaran", guru["id"])] and report["jumlah"]["usulan_tidak_tertaut"] == 0
    answered = ok(disdik.get(f"{rkpd_url(tahun)}/{sd['id']}"))["usulan"]
    assert [(a["id"], a["jenis"]) for a in answered] == [(u["id"], "musrenbang")]

    # the Renja: submitted by the SKPD, verified by Bappeda; its items then no longer change
    assert ok(disdik.post(f"{renja}/ajukan"))["status"] == "diajukan"
    assert ok(bappeda.post(f"{renja}/verifikasi", json={"setuju": True}))["status"] == "terverifikasi"
    refused(disdik.patch(f"{rkpd_url(tahun)}/{sd['id']}", json={"target": "4"}), 409, "status")
    step("musrenbang", "kunci")

    # -- rancangan akhir, penetapan: the enacted snapshot holds both items -------------------------------------
    step("rancangan_akhir", "buka")
    # from the rancangan akhir on an item written names its Renstra sasaran: refused without one, nothing written
    kesehatan = {"kode_skpd": SKPD_KESEHATAN, "kode_sub_kegiatan": PUSKESMAS, "indikator": "Jumlah puskesmas",
                 "target": "1", "satuan": "Unit", "pagu_indikatif": "100000000.00"}
    assert stage(ok(bappeda.get(jadwal)), "rancangan_akhir")["wajib_sasaran"] is True
    body = refused(bappeda.post(rkpd_url(tahun), json=kesehatan), 422, "kode_sasaran_renstra")
    assert "rancangan_akhir" in body["errors"][0]["message"]
    # and with one, it must be a sasaran of the SKPD's Renstra (Dinas Kesehatan has none)
    body = refused(bappeda.post(rkpd_url(tahun), json={**kesehatan, "kode_sasaran_renstra": "S1"}), 422,
                   "kode_sasaran_renstra")
    assert "no Renstra covering" in body["errors"][0]["message"]
    # nor is the stage locked while an item of the year has none: the ruang guru, planned earlier without one
    body = refused(bappeda.post(f"{jadwal}/tahap/rancangan_akhir/kunci"), 422, "kode_sasaran_renstra")
    assert len(body["errors"]) == 1 and guru["id"] in body["errors"][0]["message"]
    assert stage(ok(bappeda.get(jadwal)), "rancangan_akhir")["status"] == "terbuka"
    assert ok(bappeda.get(f"{jadwal}/snapshot"))["total"] == 3  # nothing taken
    # its Renja is verified: Bappeda returns it, the SKPD links the item and submits again, Bappeda verifies
    refused(disdik.patch(f"{rkpd_url(tahun)}/{guru['id']}", json={"kode_sasaran_renstra": "S1"}), 409, "status")
    returned = ok(bappeda.post(f"{renja}/verifikasi", json={"setuju": False, "catatan": "Tautkan sasaran ruang guru"}))
    assert returned["status"] == "dikembalikan"
    assert ok(disdik.patch(f"{rkpd_url(tahun)}/{guru['id']}", json={"kode_sasaran_renstra": "S1"}))[
        "kode_sasaran_renstra"] == "S1"
    assert kinds(rkpd_report()) == []
    assert ok(disdik.post(f"{renja}/ajukan"))["status"] == "diajukan"
    assert ok(bappeda.post(f"{renja}/verifikasi", json={"setuju": True}))["status"] == "terverifikasi"
    step("rancangan_akhir", "kunci")
    step("penetapan", "buka")
    enacted = stage(step("penetapan", "kunci"), "penetapan")
    assert enacted["snapshot_id"] and enacted["snapshot_id"] != first["snapshot_id"]
    snapshot = ok(bappeda.get(f"{pemda}/snapshot/{enacted['snapshot_id']}", params={"per_page": 200}))
    assert sorted((i["kode_sub_kegiatan"], i["pagu_indikatif"], i["kode_sasaran_renstra"]) for i in snapshot["items"]) == [
        (SD_BARU, "3500000000.00", "S1"), (RUANG_GURU, "750000000.00", "S1")]  # every item traced to its sasaran
    total = sum(Decimal(i["pagu_indikatif"]) for i in snapshot["items"])
    assert Decimal(snapshot["ringkasan"]["total"]["pagu_indikatif"]) == total
    refused(disdik.put(f"{usulan}/{u['id']}/rkpd", json={"rkpd_id": guru["id"]}), 409, "rkpd_id")  # enacted

    # -- keuangan received rkpd.ditetapkan.v1: the KUA-PPAS starts from the enacted snapshot -------------------
    ppas = wait_ppas(bappeda, tahun, lambda p: p["snapshot_id"] == enacted["snapshot_id"])
    assert (ppas["status"], Decimal(ppas["total"]), Decimal(ppas["total_rkpd"])) == ("sementara", total, total)
    rows = ok(bappeda.get(ppas_url(tahun, "pagu"), params={"tingkat": "sub_kegiatan", "per_page": 200}))["items"]
    assert sorted((r["kode"], r["pagu"]) for r in rows) == [(SD_BARU, "3500000000.00"), (RUANG_GURU, "750000000.00")]

    # the reports keep telling the enacted year as it is
    assert kinds(rkpd_report()) == []
    assert [t["jenis"] for t in ok(bappeda.get(konsistensi_rpjmd))["temuan"]] == ["target_belum_lengkap"]
