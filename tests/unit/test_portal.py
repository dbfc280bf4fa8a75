"""The portal's pure parts: how it shows rupiah and targets (exact, Indonesian conventions), and CSV cells a
spreadsheet cannot run as formulas."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from gateway.portal.data import KAMUS, fiscal_data_package, rows_rkpd
from gateway.portal.tampilan import aman, angka, csv_bytes, persen, rupiah


@pytest.mark.parametrize("value, shown", [
    ("1750000000.25", "Rp1.750.000.000"), ("0.50", "Rp1"), ("0.49", "Rp0"), (Decimal("999.5"), "Rp1.000"),
    ("-2500.5", "-Rp2.501"), (None, "–"), (0, "Rp0")])
def test_rupiah_is_whole_rupiah_rounded_half_up_with_dots(value, shown):
    assert rupiah(value) == shown


@pytest.mark.parametrize("value, shown", [("2.5000", "2,5"), ("1000000", "1.000.000"), ("0.0001", "0,0001"),
                                          ("12", "12"), (None, "–")])
def test_targets_are_shown_exactly(value, shown):
    assert angka(value) == shown


def test_a_share_is_a_percentage_with_one_decimal_and_none_of_nothing():
    assert persen(Decimal(1), Decimal(3)) == "33,3 %" and persen(Decimal(1), Decimal(8)) == "12,5 %"
    assert persen(Decimal(1), Decimal(0)) == "–"


@pytest.mark.parametrize("cell, written", [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+62 811", "'+62 811"), ("-x", "'-x"), ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"), ("-12.5", "-12.5"), ("12", "12"), ("Sekolah = baik", "Sekolah = baik"), (None, "")])
def test_csv_cells_that_would_be_formulas_are_neutralised(cell, written):
    assert aman(cell) == written


def test_csv_is_utf8_with_a_bom_and_neutralised():
    text = csv_bytes(["a", "b"], [["=1+1", "Rp"], ["ok", "-5"]]).decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["a", "b"], ["'=1+1", "Rp"], ["ok", "-5"]]


RKPD = {"kode_pemda": "32.73", "nama_pemda": "Kota Bandung", "tahun": 2031, "kode_tahap": "penetapan",
        "ditetapkan_at": "2030-06-30T10:00:00+00:00", "snapshot_id": "s1", "sub_kegiatan": [{
            "kode_skpd": "1.01.0.00.0.00.01.0000", "nama_skpd": "Dinas Pendidikan", "kode_bidang_urusan": "1.01",
            "nama_bidang_urusan": "PENDIDIKAN", "kode_program": "1.01.02", "nama_program": "PROGRAM PENGELOLAAN",
            "kode_sub_kegiatan": "1.01.02.2.01.0001", "nama_sub_kegiatan": "USB", "kinerja": None,
            "indikator": "Jumlah", "target": "2", "satuan": "Unit", "lokasi": ["32.73.01", "32.73.02"],
            "pagu_indikatif": "1000.00", "pagu_indikatif_n1": None, "pagu_indikatif_murni": None}]}


def test_every_column_of_a_dataset_is_in_its_dictionary_and_its_rows():
    [row] = rows_rkpd(RKPD)
    assert set(row) == {k[0] for k in KAMUS["rkpd"]["kolom"]}
    assert row["lokasi"] == "32.73.01;32.73.02" and row["pagu_indikatif"] == "1000.00"


def test_the_fiscal_model_names_only_columns_of_its_resource():
    package = fiscal_data_package(RKPD)
    fields = {f["name"] for f in package["resources"][0]["schema"]["fields"]}
    sources = {a["source"] for d in package["model"]["dimensions"].values() for a in d["attributes"].values()}
    assert sources <= fields and package["model"]["measures"]["pagu_indikatif"]["source"] in fields
    assert package["name"] == "sipd-rkpd-32-73-2031" and package["fiscalPeriod"]["start"] == "2031-01-01"


def test_readers_of_a_page_being_built_wait_for_that_one_build():
    import asyncio
    from types import SimpleNamespace

    from gateway.cache import ResponseCache
    from gateway.portal.cache import cached

    builds = []

    async def build():
        builds.append(1)
        await asyncio.sleep(0.05)
        return b"<html>halaman</html>"

    async def main():
        state = SimpleNamespace(portal_cache=ResponseCache(), portal_building={})
        request = SimpleNamespace(app=SimpleNamespace(state=state), headers={})
        answers = await asyncio.gather(*(cached(request, ("page", 1), build, "text/html") for _ in range(20)))
        return answers, state

    answers, state = asyncio.run(main())
    assert len(builds) == 1 and {a.body for a in answers} == {b"<html>halaman</html>"}
    assert state.portal_building == {} and state.portal_cache.get(("page", 1)) is not None


def test_readers_that_find_a_piece_of_a_page_missing_together_fetch_it_once():
    """After a pemda's event every reader of its page finds its pieces (the regulations, say) out of date at once:
    one RPC for all of them, not one each."""
    import asyncio
    from types import SimpleNamespace

    from gateway.cache import ResponseCache
    from gateway.portal.cache import fragment

    fetches = []

    async def fetch():
        fetches.append(1)
        await asyncio.sleep(0.05)
        return [{"nomor": "Perda Nomor 9"}]

    async def main():
        state = SimpleNamespace(portal_cache=ResponseCache(), portal_building={}, portal_fragments={})
        request = SimpleNamespace(app=SimpleNamespace(state=state))
        first = await asyncio.gather(*(fragment(request, ("perda", "32.73"), fetch, 1) for _ in range(20)))
        again = await fragment(request, ("perda", "32.73"), fetch, 1)  # kept for its version
        moved = await asyncio.gather(*(fragment(request, ("perda", "32.73"), fetch, 2) for _ in range(20)))
        return first, again, moved, state

    first, again, moved, state = asyncio.run(main())
    assert len(fetches) == 2 and all(f == again == [{"nomor": "Perda Nomor 9"}] for f in first + moved)
    assert state.portal_building == {}


def test_a_failed_build_fails_its_waiters_and_is_not_kept():
    import asyncio
    from types import SimpleNamespace

    from gateway.cache import ResponseCache
    from gateway.portal.cache import cached

    async def build():
        await asyncio.sleep(0.01)
        raise RuntimeError("perencanaan tidak menjawab")

    async def main():
        state = SimpleNamespace(portal_cache=ResponseCache(), portal_building={})
        request = SimpleNamespace(app=SimpleNamespace(state=state), headers={})
        results = await asyncio.gather(*(cached(request, ("page", 2), build, "text/html") for _ in range(3)),
                                       return_exceptions=True)
        return results, state

    results, state = asyncio.run(main())
    assert all(isinstance(r, RuntimeError) for r in results)
    assert state.portal_building == {} and state.portal_cache.get(("page", 2)) is None


def test_the_apbd_dataset_counts_every_rupiah_once_at_the_deepest_level():
    from gateway.portal.data import apbd_data_package, rows_apbd

    a = {"kode_pemda": "32.73", "tahun": 2031, "nomor_perda": "Perda 1", "tanggal_perda": "2030-12-20",
         "ringkasan": {"akun": [
             {"kode": "5", "nama": "BELANJA DAERAH", "tingkat": 1, "jumlah": "1000.00"},
             {"kode": "5.1", "nama": "BELANJA OPERASI", "tingkat": 2, "jumlah": "1000.00"},
             {"kode": "5.1.02", "nama": "Belanja Barang dan Jasa", "tingkat": 3, "jumlah": "600.00"},
             {"kode": "5.1.01", "nama": "Belanja Pegawai", "tingkat": 3, "jumlah": "400.00"}]}}
    rows = rows_apbd(a, "Kota Bandung")
    assert [(r["kode_rekening"], r["kode_kelompok"], r["kode_akun"], r["jumlah"]) for r in rows] == [
        ("5.1.02", "5.1", "5", "600.00"), ("5.1.01", "5.1", "5", "400.00")]
    assert set(rows[0]) == {k[0] for k in KAMUS["apbd"]["kolom"]}
    package = apbd_data_package(a, "Kota Bandung")
    fields = {f["name"] for f in package["resources"][0]["schema"]["fields"]}
    sources = {x["source"] for d in package["model"]["dimensions"].values() for x in d["attributes"].values()}
    assert sources <= fields and package["model"]["measures"]["jumlah"]["phase"] == "approved"


# -- the pages over a fake RPC: each part from its service, a part missing shown as such ----------------------------

PEMDA = {"kode": "32.73", "nama": "Kota Bandung", "jenis": "kota", "kode_provinsi": "32"}
PROVINSI = {"kode": "32", "nama": "Jawa Barat", "jenis": "provinsi", "kode_provinsi": "32"}
URUSAN = [{"kode_bidang_urusan": "1.01", "nama_bidang_urusan": "PENDIDIKAN", "jumlah_sub_kegiatan": 1,
           "pagu_indikatif": "1000.00"}]
RKPD_TERBIT = {**RKPD, "jumlah_sub_kegiatan": 1, "total_pagu_indikatif": "1000.00", "urusan": URUSAN,
               "sub_kegiatan": [{**RKPD["sub_kegiatan"][0], "kode_program": "1.01.02"}]}
PERDA_TERBIT = {"items": [{"id": "p1", "jenis": "perda", "nomor": "Perda Nomor 9", "judul": "APBD 2031",
                           "tanggal_penetapan": "2030-12-20", "lampiran": []}], "total": 1}

LPPD_TERBIT = {"kode_pemda": "32.73", "tahun": 2031, "status": "diajukan", "diajukan_pada": "2032-03-01",
               "batas_waktu": "2032-03-31", "terlambat": False, "hash": "ab" * 32, "total_pagu": "1000.00",
               "total_anggaran": "900.00", "total_realisasi": None, "capaian": None, "urusan": [
                   {"kode_urusan": "1", "total_pagu": "1000.00", "total_anggaran": "900.00", "total_realisasi": None,
                    "capaian": None, "bidang_urusan": [{
                        "kode_bidang_urusan": "1.01", "nama_bidang_urusan": "PENDIDIKAN", "jumlah_sub_kegiatan": 1,
                        "total_pagu": "1000.00", "total_anggaran": "900.00", "total_realisasi": None, "capaian": None}]}],
               "indikator": [{"kode": "IPM", "nama": "Indeks Pembangunan Manusia", "jenis": "makro", "kode_urusan": None,
                              "satuan": "indeks", "polaritas": "positif", "target": "75", "realisasi": "76.5",
                              "capaian": "102.00", "catatan": None}]}


class FakeRpc:
    """Answers per (service, method); a service in ``hang`` never answers, one in ``down`` cannot be reached."""

    def __init__(self):
        from gateway.rpc import RemoteError

        self.calls: list[tuple[str, str]] = []
        self.hang: set[str] = set()
        self.down: set[str] = set()
        not_found = RemoteError("NotFound", [], "none enacted")
        self.answers = {
            ("referensi", "get_pemda"): lambda kode, *_: {"32.73": PEMDA, "32": PROVINSI}.get(kode) or not_found,
            ("referensi", "list_pemda"): lambda *_, **__: {"items": [PROVINSI]},
            ("perencanaan", "list_tahun_terbit"): lambda *_: [2031],
            ("perencanaan", "get_rkpd_terbit"): lambda *_: RKPD_TERBIT,
            ("perencanaan", "list_rkpd_terbit"): lambda *_: [{**RKPD_TERBIT, "sub_kegiatan": None}],
            ("keuangan", "get_apbd_terbit"): lambda *_: not_found,
            ("keuangan", "get_lra_publik"): lambda *_, **__: not_found,
            ("pemerintahan", "list_perda_publik"): lambda *_, **__: PERDA_TERBIT,
            ("pemerintahan", "get_eppd_publik"): lambda *_: not_found,
            ("pemerintahan", "get_lppd_publik"): lambda *_: LPPD_TERBIT,
        }

    async def call(self, service, method, *args, **kwargs):
        import asyncio

        from gateway.rpc import ServiceUnavailable

        self.calls.append((service, method))
        if service in self.down:
            raise ServiceUnavailable(f"service {service} has no queue")
        if service in self.hang:
            await asyncio.Event().wait()
        answer = self.answers[(service, method)](*args, **kwargs)
        if isinstance(answer, Exception):
            raise answer
        return answer


class _Client:
    """Requests to an ASGI app on an event loop of their own (no thread: eventlet, patched in by other unit tests'
    imports, breaks the test client's)."""

    def __init__(self, app):
        self.app = app

    def get(self, url: str):
        import asyncio

        import httpx

        async def go():
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://portal") as c:
                return await c.get(url)
        return asyncio.run(go())


@pytest.fixture
def portal(monkeypatch):
    """The portal's routes on an app whose RPC is a FakeRpc; a part waits 0.05 s at most."""
    from fastapi import FastAPI

    from gateway.cache import ResponseCache
    from gateway.portal import cache, pages

    monkeypatch.setattr(cache, "PART_SECONDS", 0.05)
    app = FastAPI()
    app.include_router(pages.router)
    app.state.rpc = FakeRpc()
    app.state.portal_cache = ResponseCache()
    app.state.portal_building, app.state.portal_fragments, app.state.portal_down = {}, {}, {}
    app.state.portal_versi = {}
    return _Client(app), app.state


def test_a_pemda_page_is_whole_once_each_section_once_and_kept(portal):
    import re

    client, state = portal
    resp = client.get("/pemda/32.73")
    assert resp.status_code == 200 and resp.headers["cache-control"].startswith("public")
    html = resp.text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert html.count("<html") == 1 and len(ids) == len(set(ids)), "a section of the page is repeated"
    assert "Rp1.000" in html and "Perda Nomor 9" in html and 'id="apbd-belum"' in html
    assert "Indeks Pembangunan Manusia" in html and "Rp900" in html  # the submitted LPPD's summary
    assert "tidak-tersedia" not in html and len(state.portal_cache) == 1


def test_a_part_whose_service_does_not_answer_is_shown_unavailable_and_the_page_is_not_held(portal):
    client, state = portal
    state.rpc.hang.add("pemerintahan")
    resp = client.get("/pemda/32.73")
    # served without the regulations and the EPPD status, which say so; the rest of the page is there
    assert resp.status_code == 200 and "Rp1.000" in resp.text
    assert all(f'id="{part}-tidak-tersedia"' in resp.text for part in ("perda", "eppd", "lppd"))
    assert "Belum ada peraturan" not in resp.text and "belum diumumkan" not in resp.text
    # such a page is not kept (here, nor by the browser), and pemerintahan is left alone for a while
    assert resp.headers["cache-control"] == "no-store" and len(state.portal_cache) == 0
    asked = state.rpc.calls.count(("pemerintahan", "list_perda_publik"))
    assert 'id="perda-tidak-tersedia"' in client.get("/pemda/32.73").text
    assert state.rpc.calls.count(("pemerintahan", "list_perda_publik")) == asked

    # back: the next reader gets the whole page, and it is kept
    state.rpc.hang.clear()
    state.portal_down.clear()
    whole = client.get("/pemda/32.73")
    assert "Perda Nomor 9" in whole.text and "tidak-tersedia" not in whole.text and len(state.portal_cache) == 1


def test_an_unreachable_budget_is_unavailable_not_said_to_be_unenacted(portal):
    client, state = portal
    state.rpc.down.add("keuangan")
    resp = client.get("/pemda/32.73")
    assert resp.status_code == 200 and 'id="apbd-tidak-tersedia"' in resp.text and 'id="apbd-belum"' not in resp.text
    assert "Rp1.000" in resp.text and "Perda Nomor 9" in resp.text


def test_the_national_page_goes_on_without_the_plans_of_a_slow_service(portal):
    client, state = portal
    state.rpc.hang.add("perencanaan")
    resp = client.get("/?q=bandung")
    assert resp.status_code == 200 and 'id="nasional-tidak-tersedia"' in resp.text and "Jawa Barat" in resp.text
    assert resp.headers["cache-control"] == "no-store"


def test_without_the_codification_a_pemda_page_cannot_say_whose_it_is(portal):
    """The pemda itself is the page: referensi away is a 503 (problem details from the gateway's handlers)."""
    from gateway.rpc import ServiceUnavailable

    client, state = portal
    state.rpc.down.add("referensi")
    with pytest.raises(ServiceUnavailable):
        client.get("/pemda/32.73")


def _nilai(anggaran: str, realisasi: str, persen: str | None, lalu: str = "0.00") -> dict:
    return {"anggaran": anggaran, "realisasi": realisasi, "persen": persen, "realisasi_lalu": lalu}


def _bagian(*baris: tuple[str, str, int, dict], jumlah: dict) -> dict:
    return {"baris": [{"kode_rekening": k, "nama_rekening": n, "tingkat": t, **v} for k, n, t, v in baris],
            "jumlah": jumlah}


def _bulan(b: int, pendapatan: str, belanja: str, pk: str, bk: str) -> dict:
    return {"bulan": b, "pendapatan": pendapatan, "belanja": belanja, "pendapatan_kumulatif": pk,
            "belanja_kumulatif": bk}


NOL = _nilai("0.00", "0.00", None)
LRA = {"kode_pemda": "32.73", "tahun": 2031, "kode_skpd": None, "periode": "tahun", "dari": "2031-01-01",
       "sampai": "2031-12-31", "tingkat": 6, "dasar_anggaran": "apbd", "nomor_perda": "Perda Nomor 9",
       "tanggal_perda": "2030-12-20", "realisasi_terakhir": "2031-02-10",
       "pendapatan": _bagian(("4", "PENDAPATAN DAERAH", 1, _nilai("500.00", "50.25", "10.05")),
                             ("4.1", "PENDAPATAN ASLI DAERAH (PAD)", 2, _nilai("500.00", "50.25", "10.05")),
                             ("4.1.01.06.01.0001", "Pajak Hotel", 6, _nilai("500.00", "50.25", "10.05")),
                             jumlah=_nilai("500.00", "50.25", "10.05")),
       "belanja": _bagian(("5", "BELANJA DAERAH", 1, _nilai("1000.00", "300.50", "30.05", "40.00")),
                          ("5.2", "BELANJA MODAL", 2, _nilai("1000.00", "300.50", "30.05", "40.00")),
                          ("5.2.03.01.01.0002", "Gedung Sekolah", 6, _nilai("1000.00", "300.50", "30.05", "40.00")),
                          jumlah=_nilai("1000.00", "300.50", "30.05", "40.00")),
       "surplus_defisit": _nilai("-500.00", "-250.25", "50.05"),
       "penerimaan_pembiayaan": _bagian(jumlah=NOL), "pengeluaran_pembiayaan": _bagian(jumlah=NOL),
       "pembiayaan_netto": NOL, "silpa": _nilai("-500.00", "-250.25", "50.05"),
       "bulanan": [_bulan(1, "0.00", "100.50", "0.00", "100.50"), _bulan(2, "50.25", "200.00", "50.25", "300.50")]
       + [_bulan(b, "0.00", "0.00", "50.25", "300.50") for b in range(3, 13)]}


def test_the_lra_is_a_table_per_group_and_a_chart_of_the_months_passed(portal):
    import json
    import re

    client, state = portal
    state.rpc.answers[("keuangan", "get_lra_publik")] = lambda *_, **__: LRA
    html = client.get("/pemda/32.73").text
    tabel = html[html.index('id="tabel-lra"'):html.index("</table>", html.index('id="tabel-lra"'))]
    assert "4.1 PENDAPATAN ASLI DAERAH (PAD)" in tabel and "5.2 BELANJA MODAL" in tabel and "Pajak Hotel" not in tabel
    assert "Rp301" in tabel and "30,05 %" in tabel and "Jumlah belanja" in tabel and "SiLPA" in tabel
    # a future year realised ahead of the calendar: the months up to the last realised, no further
    bulanan = html[html.index('id="tabel-lra-bulanan"'):]
    assert "Februari" in bulanan and "Maret" not in bulanan[:bulanan.index("</table>")]
    charts = json.loads(re.search(r'id="data-grafik">(.*?)</script>', html, re.S).group(1))
    grafik = next(c for c in charts if c["id"] == "grafik-lra")
    assert grafik["jenis"] == "line" and len(grafik["labels"]) == 12
    realised = next(s for s in grafik["series"] if s["label"] == "Realisasi belanja (kumulatif)")
    assert realised["data"] == ["100.50", "300.50"] + [None] * 10
    assert next(s for s in grafik["series"] if s["label"] == "Anggaran belanja")["data"] == ["1000.00"] * 12
    assert 'href="/api/v1/data/pemda/32.73/2031/lra.csv"' in html


def test_without_an_enacted_apbd_the_lra_says_so_and_an_unreachable_keuangan_says_that(portal):
    client, state = portal
    assert 'id="lra-belum"' in client.get("/pemda/32.73").text
    state.rpc.down.add("keuangan")
    state.portal_cache.clear()
    html = client.get("/pemda/32.73").text
    assert 'id="lra-tidak-tersedia"' in html and 'id="lra-belum"' not in html


def test_an_event_of_a_pemda_rebuilds_that_pemda_s_page_and_an_eppd_result_the_ranking(portal):
    from types import SimpleNamespace

    from gateway.portal.cache import NASIONAL, on_pemda_event

    client, state = portal
    changed = on_pemda_event(state)

    def event(routing_key: str, kode_pemda: str):
        body = ('{"kode_pemda": "%s", "tahun": 2031}' % kode_pemda).encode()
        return SimpleNamespace(routing_key=routing_key, body=body)

    first = client.get("/pemda/32.73")
    asked = state.rpc.calls.count(("keuangan", "get_lra_publik"))
    assert client.get("/pemda/32.73").headers["etag"] == first.headers["etag"]
    assert state.rpc.calls.count(("keuangan", "get_lra_publik")) == asked  # kept
    changed(event("realisasi.berubah.v1", "32.01"))  # another pemda's: this page stays
    client.get("/pemda/32.73")
    assert state.rpc.calls.count(("keuangan", "get_lra_publik")) == asked
    state.rpc.answers[("keuangan", "get_lra_publik")] = lambda *_, **__: LRA
    changed(event("realisasi.berubah.v1", "32.73"))
    assert 'id="tabel-lra"' in client.get("/pemda/32.73").text
    perda = state.rpc.calls.count(("pemerintahan", "list_perda_publik"))
    changed(event("perda.ditetapkan.v1", "32.73"))  # the register is asked again at once, not after 30 s
    client.get("/pemda/32.73")
    assert state.rpc.calls.count(("pemerintahan", "list_perda_publik")) == perda + 1
    eppd = state.rpc.calls.count(("pemerintahan", "get_eppd_publik"))
    changed(event("eppd.hasil.diumumkan.v1", "32.01"))
    assert state.portal_versi[NASIONAL] == 1
    client.get("/pemda/32.73")  # the ranking is national: asked again for this pemda's page too
    assert state.rpc.calls.count(("pemerintahan", "get_eppd_publik")) == eppd + 1
    generation = state.portal_cache.generation
    changed(None)  # reconnected: whatever was missed, everything goes
    assert state.portal_cache.generation == generation + 1


def test_the_lra_dataset_counts_every_rupiah_once_and_the_months_passed():
    from datetime import date

    from gateway.portal.data import lra_data_package, rows_lra, rows_lra_bulanan

    rows = rows_lra(LRA, "Kota Bandung")
    assert [(r["kode_rekening"], r["kode_kelompok"], r["anggaran"], r["realisasi"]) for r in rows] == [
        ("4.1.01.06.01.0001", "4.1", "500.00", "50.25"), ("5.2.03.01.01.0002", "5.2", "1000.00", "300.50")]
    assert set(rows[0]) == {k[0] for k in KAMUS["lra"]["kolom"]}
    months = rows_lra_bulanan(LRA, "Kota Bandung", date(2031, 6, 1))
    assert [m["bulan"] for m in months] == [1, 2, 3, 4, 5, 6] and set(months[0]) == {
        k[0] for k in KAMUS["lra-bulanan"]["kolom"]}
    assert len(rows_lra_bulanan(LRA, None, date(2032, 1, 1))) == 12  # a past year: every month
    package = lra_data_package(LRA, "Kota Bandung")
    fields = {f["name"] for f in package["resources"][0]["schema"]["fields"]}
    sources = {x["source"] for d in package["model"]["dimensions"].values() for x in d["attributes"].values()}
    assert sources <= fields and {m["phase"] for m in package["model"]["measures"].values()} == {"approved", "executed"}


def _bidang_lppd(kode: str, nama: str, n: int, pagu: str, anggaran: str, realisasi: str | None,
                 capaian: str | None) -> dict:
    return {"kode_bidang_urusan": kode, "nama_bidang_urusan": nama, "jumlah_sub_kegiatan": n, "total_pagu": pagu,
            "total_anggaran": anggaran, "total_realisasi": realisasi, "capaian": capaian}


# a submitted LPPD with realisation: capaian (realisation ÷ budget) per bidang urusan, urusan and in all; a bidang
# urusan not yet spent in has none
LPPD_REALISASI = {**LPPD_TERBIT, "total_pagu": "3000.00", "total_anggaran": "2400.00", "total_realisasi": "600.00",
                  "capaian": "25.00", "urusan": [
                      {"kode_urusan": "1", "total_pagu": "3000.00", "total_anggaran": "2400.00",
                       "total_realisasi": "600.00", "capaian": "25.00", "bidang_urusan": [
                           _bidang_lppd("1.01", "PENDIDIKAN", 2, "2000.00", "1600.00", "600.00", "37.50"),
                           _bidang_lppd("1.02", "KESEHATAN", 1, "1000.00", "800.00", None, None)]}]}


def test_the_lppd_summary_rows_carry_what_the_lppd_states_and_count_its_sub_kegiatan():
    from gateway.portal.pages import baris_lppd

    rows = baris_lppd(LPPD_REALISASI)
    assert [(r["uraian"], r["jumlah"], r["jumlah_sub_kegiatan"], r["total_realisasi"], r["capaian"]) for r in rows] == [
        ("1.01 PENDIDIKAN", False, 2, "600.00", "37.50"), ("1.02 KESEHATAN", False, 1, None, None),
        ("Jumlah urusan 1", True, 3, "600.00", "25.00"), ("Jumlah", True, 3, "600.00", "25.00")]
    # submitted before the realisation was kept (the fields absent): none shown, none computed
    old = {**LPPD_TERBIT, "urusan": [{k: v for k, v in u.items() if k != "capaian"} for u in LPPD_TERBIT["urusan"]]}
    [bidang, urusan, jumlah] = baris_lppd({k: v for k, v in old.items() if k != "capaian"})
    assert (bidang["capaian"], urusan["capaian"], jumlah["capaian"]) == (None, None, None)


def test_the_submitted_lppd_shows_capaian_beside_plan_and_budget_and_a_draft_shows_nothing(portal):
    import re

    client, state = portal
    state.rpc.answers[("pemerintahan", "get_lppd_publik")] = lambda *_: LPPD_REALISASI
    html = client.get("/pemda/32.73").text
    tabel = html[html.index('id="tabel-lppd"'):html.index("</table>", html.index('id="tabel-lppd"'))]
    head = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', tabel)
    assert head == ["Bidang urusan", "Sub kegiatan", "Pagu", "Anggaran", "Realisasi", "Capaian"]
    rows = {re.search(r'<th scope="row">([^<]+)</th>', r).group(1): re.findall(r'<td class="angka">([^<]*)</td>', r)
            for r in re.findall(r"<tr[^>]*>.*?</tr>", tabel[tabel.index("<tbody>"):], re.S)}
    assert rows == {"1.01 PENDIDIKAN": ["2", "Rp2.000", "Rp1.600", "Rp600", "37,5 %"],
                    "1.02 KESEHATAN": ["1", "Rp1.000", "Rp800", "–", "–"],
                    "Jumlah urusan 1": ["3", "Rp3.000", "Rp2.400", "Rp600", "25 %"],
                    "Jumlah": ["3", "Rp3.000", "Rp2.400", "Rp600", "25 %"]}
    ringkas = html[html.index('id="lppd-ringkas"'):html.index("</p>", html.index('id="lppd-ringkas"'))]
    assert "Realisasi: <strong>Rp600</strong>" in ringkas and "Capaian: <strong>25 %</strong>" in ringkas

    # not submitted (the public read answers NotFound for a draft): no summary, no figure of it
    from gateway.rpc import RemoteError

    def draft(*_):
        raise RemoteError("NotFound", [], "no submitted LPPD")
    state.rpc.answers[("pemerintahan", "get_lppd_publik")] = draft
    state.portal_cache.clear()
    state.portal_fragments.clear()
    html = client.get("/pemda/32.73").text
    assert 'id="lppd-belum"' in html and 'id="tabel-lppd"' not in html and "Capaian: " not in html
