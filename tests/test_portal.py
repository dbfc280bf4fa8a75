"""The public portal in a real browser (Debian's Chromium, driven by Playwright) against the real stack: a
citizen finds a pemda, opens its page, sees the enacted RKPD, APBD and realisation (LRA) and their charts and the
submitted LPPD with its capaian, downloads the CSV; drafts never appear; the pages pass axe-core's accessibility
check; the open data validates as a Frictionless (Fiscal) Data Package; the pemda's events (realisation, a
regulation enacted) rebuild its page. Screenshots of the national and the pemda page are kept in
``tests/artifacts/`` (or ``SIPD_TEST_ARTIFACTS``)."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from ops.testing import wait_until
from tests.conftest import KODE_PEMDA, LINGKUNGAN, client_for
from tests.support import SD_BARU, SKPD_PENDIDIKAN, apbd_url, line, plan, wait_plafon

PERDA = f"/api/v1/pemda/{KODE_PEMDA}/perda"
BAPENDA, PAJAK_HOTEL = "5.02.0.00.0.00.02.0000", "4.1.01.06.01.0001"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2048 + b"\n%%EOF\n"
STAGES = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "gateway" / "portal" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("SIPD_TEST_ARTIFACTS") or ROOT / "tests" / "artifacts")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# as the machine allows it: no sandbox as root, no network but loopback (no background connections)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _stages(api, tahun: int) -> None:
    """Schedule the year's RKPD: every stage's window open from an hour ago for a week."""
    now = datetime.now(timezone.utc)
    body = {"dokumen": "rkpd", "tahun": tahun, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in STAGES]}
    assert api.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal", json=body).status_code == 201


def _step(api, tahun: int, kode: str, action: str) -> None:
    resp = api.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rkpd/{tahun}/tahap/{kode}/{action}")
    assert resp.status_code == 200, resp.text


def _setor(stack, accounts, tahun: int, tanggal: str, nilai: str) -> None:
    """Hotel tax received (TBP), deposited (STS) and validated by the BUD: revenue realised on ``tanggal``."""
    url = f"/api/v1/pemda/{KODE_PEMDA}/penatausahaan/{tahun}"
    with client_for(stack, accounts("bendahara_penerimaan", kode_skpd=BAPENDA)) as bendahara, \
            client_for(stack, accounts("bud")) as bud:
        tbp = bendahara.post(f"{url}/tbp", json={"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL, "tanggal": tanggal,
                                                 "uraian": "Pajak hotel", "penyetor": "Hotel Savoy", "nilai": nilai})
        assert tbp.status_code == 201, tbp.text
        sts = bendahara.post(f"{url}/sts", json={"kode_skpd": BAPENDA, "tanggal": tanggal,
                                                 "tbp_ids": [tbp.json()["id"]]})
        assert sts.status_code == 201, sts.text
        assert bud.post(f"{url}/sts/{sts.json()['id']}/validasi").status_code == 200


@pytest.fixture(scope="module")
def world(stack, pusat_admin, accounts):
    """In 32.73: year ``enacted`` whose RKPD went through penetapan (two items, one whose indikator a
    spreadsheet would take for a formula) with its APBD enacted, revenue realised and the LPPD submitted, year
    ``locked`` whose first stage only is locked (a snapshot, not enacted), and year ``draft`` with a live draft item,
    no schedule and a drafted LPPD."""
    enacted, locked, draft = (LINGKUNGAN.tahun(KODE_PEMDA) for _ in range(3))
    with client_for(stack, pusat_admin) as api:
        _stages(api, enacted)
        _step(api, enacted, "rancangan_awal", "buka")
        plan(api, enacted, pagu_indikatif="1500000000.25", target="3")
        plan(api, enacted, kode_sub_kegiatan="1.01.02.2.01.0006", indikator="=HYPERLINK(\"http://x\")",
             pagu_indikatif="250000000")
        _step(api, enacted, "rancangan_awal", "kunci")
        for kode in STAGES[1:]:
            _step(api, enacted, kode, "buka")
            _step(api, enacted, kode, "kunci")

        _stages(api, locked)
        _step(api, locked, "rancangan_awal", "buka")
        plan(api, locked, indikator="RANCANGAN TERKUNCI BELUM DITETAPKAN")
        _step(api, locked, "rancangan_awal", "kunci")

        draft_item = plan(api, draft, indikator="DRAF YANG TIDAK BOLEH TAMPIL")
        wait_plafon(api, draft, draft_item["id"])
        assert line(api, draft, draft_item["id"], uraian="ANGGARAN RANCANGAN").status_code == 201

        # the enacted year's APBD: a budget line under the enacted item, submitted, evaluated by the province,
        # enacted; the draft year's APBD has a line too, never enacted
        item = next(i for i in api.get(f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{enacted}/sub-kegiatan").json()["items"]
                    if i["kode_sub_kegiatan"] == SD_BARU)
        wait_plafon(api, enacted, item["id"])
        assert line(api, enacted, item["id"]).status_code == 201
        assert api.post(apbd_url(enacted, "pendapatan"), json={
            "kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL, "uraian": "Pajak hotel",
            "jumlah": "800000000"}).status_code == 201
        assert api.post(apbd_url(enacted, "pengajuan")).status_code == 200
    with client_for(stack, accounts("provinsi_admin", "32")) as province:
        assert province.post(apbd_url(enacted, "evaluasi"), json={"hasil": "sesuai"}).status_code == 200
    with client_for(stack, pusat_admin) as api:
        enacted_apbd = api.post(apbd_url(enacted, "penetapan"), json={
            "nomor_perda": f"Perda Kota Bandung Nomor 9 Tahun {enacted - 1}", "tanggal_perda": f"{enacted - 1}-12-20",
            "nomor_perkada": f"Perwal Nomor 90 Tahun {enacted - 1}", "tanggal_perkada": f"{enacted - 1}-12-21"})
        assert enacted_apbd.status_code == 200, enacted_apbd.text
    # its realisation: hotel tax in February and March (the draft year's budget has none: never enacted)
    _setor(stack, accounts, enacted, f"{enacted}-02-10", "125000000")
    _setor(stack, accounts, enacted, f"{enacted}-03-05", "80000000.50")

    # its LPPD submitted (public: drafted once pemerintahan holds the budget, verified by the inspektur); the draft
    # year's LPPD only drafted (never public)
    with client_for(stack, accounts("pemda_admin")) as admin, client_for(stack, accounts("inspektur")) as inspektur:
        lppd = f"/api/v1/pemda/{KODE_PEMDA}/lppd"
        assert admin.post(f"{lppd}/{enacted}").status_code == 201
        wait_until(lambda: admin.post(f"{lppd}/{enacted}/bangun-ulang").json()["isi"]["total_anggaran"]
                   == "400000000.00", 30, message="the LPPD with the enacted budget")
        assert inspektur.post(f"{lppd}/{enacted}/langkah", json={"aksi": "verifikasi"}).status_code == 200
        assert admin.post(f"{lppd}/{enacted}/langkah", json={"aksi": "ajukan"}).status_code == 200
        assert admin.post(f"{lppd}/{draft}").status_code == 201

    # a Perkada through its path (harmonisasi, ditetapkan, diundangkan) with its signed PDF; a draft Perda beside it
    with client_for(stack, accounts("pemda_admin")) as admin:
        perkada = admin.post(PERDA, json={"jenis": "perkada", "tahun": enacted, "judul": "Tarif Parkir Terbuka"}).json()
        url = f"{PERDA}/{perkada['id']}"
        assert admin.post(f"{url}/lampiran", files={"file": ("perwal.pdf", PDF, "application/pdf")}).status_code == 200
        for tahap, extra in (("harmonisasi", {}), ("ditetapkan", {"nomor": "Perwal Nomor 7", "tanggal": f"{enacted}-02-01"}),
                             ("diundangkan", {"nomor": "Berita Daerah Nomor 7", "tanggal": f"{enacted}-02-02"})):
            assert admin.post(f"{url}/tahap", json={"tahap": tahap, **extra}).status_code == 200
        admin.post(PERDA, json={"jenis": "perda", "tahun": enacted, "judul": "RANCANGAN PERDA RAHASIA"})
    return {"enacted": enacted, "locked": locked, "draft": draft, "perkada": perkada}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(base_url=stack.base_url, accept_downloads=True, locale="id-ID")
    p = context.new_page()
    yield p
    context.close()


def _axe(page) -> list[dict]:
    """axe-core's violations on the page as it is (WCAG 2.1 A/AA rules and best practices)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_a_citizen_finds_the_pemda_reads_its_enacted_rkpd_and_downloads_it(world, page):
    tahun = world["enacted"]
    page.goto(f"/?tahun={tahun}")
    assert page.title().startswith("Beranda")
    # the national totals count this pemda's enacted RKPD (the other years hold only drafts)
    nasional = page.locator("section", has=page.locator("#judul-nasional")).inner_text()
    assert "1.01" in nasional and "belum ada pemda" not in nasional.lower()
    page.get_by_label("Nama provinsi, kabupaten atau kota").fill("kota bandung")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/?q=kota+bandung*")
    link = page.locator("#hasil-cari").get_by_role("link", name="Kota Bandung", exact=True)
    link.wait_for()
    assert _axe(page) == []
    _shot(page, "portal-nasional.png")

    link.click()
    page.wait_for_url(f"**/pemda/{KODE_PEMDA}")
    assert page.get_by_role("heading", level=1).inner_text() == "Kota Bandung"
    # the latest enacted year is shown by default; the years in between hold only drafts
    assert f"RKPD) {tahun}" in page.locator("#judul-rkpd").inner_text()
    ringkas = page.locator("#rkpd-ringkas").inner_text()
    assert "2 sub kegiatan" in ringkas and "Rp1.750.000.000" in ringkas
    assert page.locator(f"text={SD_BARU}").count() >= 1
    # the charts are drawn (Chart.js, served by the gateway) over the table that says the same
    page.wait_for_selector("#grafik-urusan[data-digambar='1']")
    assert "Rp1.750.000.000" in page.locator("#tabel-urusan").inner_text()
    # the enacted APBD: its structure, its charts, the legal ratios; the regulations with their PDFs
    assert "Rp400.000.000" in page.locator("#tabel-apbd").inner_text()
    page.wait_for_selector("#grafik-apbd[data-digambar='1']")
    page.wait_for_selector("#grafik-rencana-anggaran[data-digambar='1']")
    # the realisation against the enacted budget, per group and month by month, charted over the table
    lra = page.locator("#tabel-lra").inner_text()
    assert "Rp800.000.000" in lra and "Rp205.000.001" in lra and "25,63 %" in lra and "Rp400.000.000" in lra
    page.wait_for_selector("#grafik-lra[data-digambar='1']")
    bulanan = page.locator("#tabel-lra-bulanan").inner_text()
    assert "Februari" in bulanan and "Rp125.000.000" in bulanan and "Rp205.000.001" in bulanan
    rasio = page.locator("#tabel-rasio").inner_text()
    assert "pegawai" in rasio.lower() and "memenuhi" in rasio
    perda = page.locator("#daftar-perda").inner_text()
    assert "Tarif Parkir Terbuka" in perda and "perwal.pdf" in perda and "RAHASIA" not in page.content()
    # the submitted LPPD: plan, budget, realisation and capaian per bidang urusan (no spending realised yet: none)
    lppd = page.locator("#tabel-lppd")
    assert lppd.locator("thead th").all_inner_texts()[-1] == "Capaian"
    assert lppd.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "2", "Rp1.750.000.000", "Rp400.000.000", "–", "–"]
    assert _axe(page) == []
    _shot(page, "portal-pemda.png")

    with page.expect_download() as download:
        page.locator("#unduh-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["pagu_indikatif"] for r in rows) == ["1500000000.25", "250000000.00"]
    assert {r["kode_skpd"] for r in rows} == {SKPD_PENDIDIKAN} and {r["tahun"] for r in rows} == {str(tahun)}
    # a cell a spreadsheet would run as a formula is neutralised
    assert "'=HYPERLINK(\"http://x\")" in {r["indikator"] for r in rows}


def test_drafts_and_stages_before_penetapan_are_never_published(world, anonymous, page):
    for tahun in (world["locked"], world["draft"]):
        page.goto(f"/pemda/{KODE_PEMDA}?tahun={tahun}")
        assert page.locator("#rkpd-belum").is_visible() and page.locator("#apbd-belum").is_visible()
        assert page.locator("#lra-belum").is_visible() and page.locator("#lppd-belum").is_visible()
        body = page.content()
        assert "BELUM DITETAPKAN" not in body and "TIDAK BOLEH TAMPIL" not in body and "RANCANGAN" not in body
        for path in (f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}/rkpd.csv",
                     f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}/apbd.csv",
                     f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}/rkpd.json",
                     f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}/lra.csv",
                     f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}/lra-bulanan.json",
                     f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}/datapackage.json"):
            resp = anonymous.get(path)
            assert resp.status_code == 404 and resp.headers["content-type"] == "application/problem+json", path
        national = anonymous.get(f"/api/v1/data/nasional/{tahun}/rkpd-urusan.json").json()
        assert [r for r in national["data"] if r["kode_pemda"] == KODE_PEMDA] == []
    # the enacted year's years list offers only enacted years
    page.goto(f"/pemda/{KODE_PEMDA}")
    years = page.get_by_role("navigation", name="Tahun RKPD yang ditetapkan").inner_text()
    assert str(world["enacted"]) in years and str(world["locked"]) not in years and str(world["draft"]) not in years


def _validates(anonymous, tmp_path: Path, base: str, descriptor: str, data: str) -> None:
    """The Fiscal Data Package at ``base``/``descriptor``, with the CSV it describes beside it, is valid (the
    standard's own validator)."""
    from frictionless import validate

    folder = tmp_path / descriptor.removesuffix(".json")
    folder.mkdir()
    package = anonymous.get(f"{base}/{descriptor}")
    assert package.status_code == 200, package.text
    (folder / "datapackage.json").write_bytes(package.content)
    (folder / data).write_bytes(anonymous.get(f"{base}/{data}").content)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_open_data_validates_and_says_what_each_column_means(world, anonymous, tmp_path):
    from frictionless import validate

    tahun = world["enacted"]
    base = f"/api/v1/data/pemda/{KODE_PEMDA}/{tahun}"
    package = anonymous.get(f"{base}/datapackage.json")
    assert package.status_code == 200, package.text
    descriptor = package.json()
    (tmp_path / "datapackage.json").write_bytes(package.content)
    (tmp_path / "rkpd.csv").write_bytes(anonymous.get(f"{base}/rkpd.csv").content)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # the fiscal model maps onto columns that exist, the amount in rupiah
    fields = {f["name"] for f in descriptor["resources"][0]["schema"]["fields"]}
    model = descriptor["model"]
    assert model["measures"]["pagu_indikatif"]["currency"] == "IDR"
    assert {a["source"] for d in model["dimensions"].values() for a in d["attributes"].values()} <= fields
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"

    as_json = anonymous.get(f"{base}/rkpd.json").json()
    assert as_json["lisensi"]["name"] == "CC-BY-4.0" and as_json["tanggal_data"]
    assert {k["kolom"] for k in as_json["kamus"]} == set(as_json["data"][0])
    assert sorted(r["pagu_indikatif"] for r in as_json["data"]) == ["1500000000.25", "250000000.00"]

    national = anonymous.get(f"/api/v1/data/nasional/{tahun}/rkpd-urusan.csv")
    assert national.status_code == 200 and national.headers["content-type"].startswith("text/csv")
    rows = [r for r in csv.DictReader(io.StringIO(national.content.decode("utf-8-sig")))
            if r["kode_pemda"] == KODE_PEMDA]
    assert [(r["kode_bidang_urusan"], r["pagu_indikatif"]) for r in rows] == [("1.01", "1750000000.25")]

    kamus = anonymous.get("/api/v1/data/kamus").json()
    assert {d["nama"] for d in kamus["dataset"]} == {"rkpd", "rkpd-urusan", "apbd", "lra", "lra-bulanan"}

    # the enacted APBD as a Fiscal Data Package too: each rupiah once, at the deepest level enacted
    _validates(anonymous, tmp_path, base, "apbd-datapackage.json", "apbd.csv")
    rows = anonymous.get(f"{base}/apbd.json").json()["data"]
    assert sum(Decimal(r["jumlah"]) for r in rows if r["kode_akun"] == "5") == Decimal("400000000")
    assert all(k["arti"] for d in kamus["dataset"] for k in d["kolom"])

    # the realisation too: budget and realisation per account, each rupiah once; the months passed
    _validates(anonymous, tmp_path, base, "lra-datapackage.json", "lra.csv")
    rows = anonymous.get(f"{base}/lra.json").json()["data"]
    revenue = [(r["kode_rekening"], r["anggaran"], r["realisasi"], r["persen"]) for r in rows if r["kode_akun"] == "4"]
    assert revenue == [(PAJAK_HOTEL, "800000000.00", "205000000.50", "25.63")]
    assert sum(Decimal(r["anggaran"]) for r in rows if r["kode_akun"] == "5") == Decimal("400000000")
    months = anonymous.get(f"{base}/lra-bulanan.json").json()
    assert [(m["bulan"], m["pendapatan_kumulatif"]) for m in months["data"][1:3]] == [
        (2, "125000000.00"), (3, "205000000.50")] and months["tanggal_data"] == f"{tahun}-03-05"


def test_a_page_is_served_from_cache_until_an_enactment_changes_it(world, api, anonymous):
    """The page is built once (ETag stable, 304 for a client that has it) and rebuilt when the RKPD event
    arrives: a perubahan enacted changes the figures shown."""
    tahun = world["enacted"]
    url = f"/pemda/{KODE_PEMDA}?tahun={tahun}"
    first = anonymous.get(url)
    assert first.status_code == 200 and "Rp1.750.000.000" in first.text
    assert anonymous.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304

    now = datetime.now(timezone.utc)
    resp = api.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rkpd/{tahun}/tahap", json={
        "kode_tahap": "perubahan", "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
        "waktu_selesai": (now + timedelta(days=7)).isoformat()})
    assert resp.status_code == 200, resp.text
    _step(api, tahun, "perubahan", "buka")
    items = api.get(f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/sub-kegiatan").json()["items"]
    big = next(i for i in items if i["pagu_indikatif"] == "1500000000.25")
    assert api.patch(f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/sub-kegiatan/{big['id']}",
                     json={"pagu_indikatif": "2000000000"}).status_code == 200
    # an open perubahan is a draft: the page still shows what was enacted
    assert "Rp1.750.000.000" in anonymous.get(url).text
    _step(api, tahun, "perubahan", "kunci")
    changed = wait_until(lambda: (r := anonymous.get(url)) and "Rp2.250.000.000" in r.text and r, 15,
                         message="the portal page after the perubahan")
    assert "(perubahan)" in changed.text and changed.headers["etag"] != first.headers["etag"]


def test_an_unknown_pemda_is_a_page_that_says_so(anonymous):
    resp = anonymous.get("/pemda/99.99")
    assert resp.status_code == 404 and "Pemda tidak ditemukan" in resp.text
    assert anonymous.get("/static/tidak-ada.js").status_code == 404
    assert anonymous.get("/static/chart.umd.min.js").status_code == 200


def test_a_phone_reads_the_page_without_scrolling_sideways_and_a_keyboard_reaches_everything(world, browser, stack):
    context = browser.new_context(base_url=stack.base_url, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"/pemda/{KODE_PEMDA}?tahun={world['enacted']}")
        page.wait_for_selector("#grafik-urusan[data-digambar='1']")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _shot(page, "portal-pemda-ponsel.png")

        # by keyboard alone: the first Tab reaches "skip to content", the search is a labelled field and Enter
        # submits it
        page.goto("/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Lewati ke isi utama"
        page.focus("#q")
        page.keyboard.type("jakarta utara")
        page.keyboard.press("Enter")
        page.wait_for_url("**/?q=jakarta+utara*")
        assert page.locator("#hasil-cari").get_by_role("link").count() >= 1
        assert "Jakarta Utara" in page.locator("#hasil-cari").inner_text()
    finally:
        context.close()


def test_the_pemda_s_events_rebuild_its_page_at_once(world, stack, accounts, anonymous):
    """The page is kept until an event of its pemda arrives: revenue validated (keuangan's realisasi.berubah), a
    regulation enacted (pemerintahan's perda.ditetapkan) — shown within seconds, with no poll of either."""
    tahun = world["enacted"]
    url = f"/pemda/{KODE_PEMDA}?tahun={tahun}"
    first = anonymous.get(url)
    assert "Rp205.000.001" in first.text and anonymous.get(url).headers["etag"] == first.headers["etag"]

    _setor(stack, accounts, tahun, f"{tahun}-04-01", "1000000")
    wait_until(lambda: "Rp206.000.001" in anonymous.get(url).text, 15, message="the page after the realisation")
    with client_for(stack, accounts("pemda_admin")) as admin:
        perda = admin.post(PERDA, json={"jenis": "perkada", "tahun": tahun, "judul": "Retribusi Pasar Malam"}).json()
        for tahap, extra in (("harmonisasi", {}),
                             ("ditetapkan", {"nomor": "Perwal Nomor 8", "tanggal": f"{tahun}-04-02"})):
            assert admin.post(f"{PERDA}/{perda['id']}/tahap", json={"tahap": tahap, **extra}).status_code == 200
    wait_until(lambda: "Retribusi Pasar Malam" in anonymous.get(url).text, 15, message="the page after the Perda")
