"""The national codification through the gateway: public reads as of a version, the operators'
import (dry run, a bad row, the same file twice, XLSX), and a retired code reaching the plan and
the budget as records flagged for mapping — nothing rewritten.

Each test that imports does so into a version of its own, dated after every other, and touches
codes no other test uses."""
from __future__ import annotations

import io
from itertools import count

from openpyxl import Workbook

from ops.testing import wait_until
from tests.support import (
    KODE_PEMDA, SKPD_PENDIDIKAN, apbd_url, csv, line, new_versi, plafon_of, plan, rkpd_url, upload, wait_plafon,
)

R = "/api/v1/referensi"
IMPOR = f"{R}/impor"


# -- reads ----------------------------------------------------------------------------------------------

V1317, V2027 = "kepmendagri-900.1.15.5-1317-2023", "pemutakhiran-2027"


def test_search_by_words_finds_the_sub_kegiatan_that_mention_them(api):
    resp = api.get(f"{R}/nomenklatur", params={"q": "sekolah dasar", "tingkat": "sub_kegiatan", "per_page": 100,
                                               "versi": V1317})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"items", "total", "page", "per_page"} and body["per_page"] == 100
    codes = [i["kode"] for i in body["items"]]
    # Kepmendagri 900.1.15.5-1317/2023's own rows, e.g. "Penyediaan Biaya Personil Peserta Didik Sekolah Dasar"
    assert {"1.01.02.2.01.0021", "1.01.02.2.01.0026", "1.01.02.2.01.0029"} <= set(codes)
    assert all(i["tingkat"] == "sub_kegiatan" and i["sumber"] == "sesendok:subkeg900" and i["dari_daftar_resmi"]
               for i in body["items"])
    assert codes == sorted(codes) and body["total"] == len(codes)
    # words are word prefixes, in any case, in any order
    again = api.get(f"{R}/nomenklatur", params={"q": "DASAR sekol", "tingkat": "sub_kegiatan", "versi": V1317})
    assert again.json()["total"] == body["total"]
    # the current codification is the 2027 list: 0021 became 0054 there
    now = api.get(f"{R}/nomenklatur", params={"q": "sekolah dasar", "tingkat": "sub_kegiatan", "per_page": 100}).json()
    assert "1.01.02.2.01.0054" in [i["kode"] for i in now["items"]] and all(i["berlaku"] for i in now["items"])


def test_search_by_code_prefix_pages_through_the_list(api):
    first = api.get(f"{R}/rekening", params={"prefix": "5.1.02.01.01.", "per_page": 10}).json()
    second = api.get(f"{R}/rekening", params={"prefix": "5.1.02.01.01.", "per_page": 10, "page": 2}).json()
    assert first["total"] == second["total"] > 20
    assert [i["kode"] for i in first["items"]][0] == "5.1.02.01.01.0001"
    assert not {i["kode"] for i in first["items"]} & {i["kode"] for i in second["items"]}
    assert all(i["peruntukan"] == "belanja_barang_dan_jasa" and i["laporan"] == "lra" for i in first["items"])
    assert any((i["keterangan"] or "").startswith("Digunakan untuk mencatat") for i in first["items"])


def test_an_account_answers_with_its_decree_name_and_description(api):
    atk = api.get(f"{R}/rekening/5.1.02.01.01.0024").json()
    assert atk["nama"] == "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor"
    assert atk["keterangan"].startswith("Digunakan untuk mencatat") and atk["sumber"] == "sesendok:belanja6a"
    assert atk["dari_daftar_resmi"] and atk["valid_from"] == "kepmendagri-050-5889-2021"
    # an account 1317/2023 added: not there as of 050-5889/2021
    assert api.get(f"{R}/rekening/5.1.01.03.09.0001").json()["valid_from"] == V1317
    assert api.get(f"{R}/rekening/5.1.01.03.09.0001", params={"versi": "kepmendagri-050-5889-2021"}).status_code == 404
    # the other roots come at sub rincian objek level only; their roots are written by hand, and say so
    assert api.get(f"{R}/rekening/4.1.01.01.01.0001").json()["sumber"] == "aklap:saldoawal"
    root = api.get(f"{R}/rekening/4").json()
    assert (root["sumber"], root["dari_daftar_resmi"]) == ("tulisan-tangan", False)
    found = api.get(f"{R}/rekening", params={"q": "alat tulis kantor", "prefix": "5.1.02.01.01."}).json()["items"]
    assert next(i for i in found if i["kode"] == "5.1.02.01.01.0024")["keterangan"] == atk["keterangan"]


def test_the_tree_children_of_a_code(api):
    body = api.get(f"{R}/nomenklatur/1.01.02/anak", params={"per_page": 200}).json()
    assert "1.01.02.2.01" in [i["kode"] for i in body["items"]] and all(i["tingkat"] == "kegiatan" for i in body["items"])
    assert api.get(f"{R}/rekening/5.2/anak").json()["total"] == 6
    assert api.get(f"{R}/wilayah/32.73/anak", params={"per_page": 1}).json()["total"] == 30
    assert api.get(f"{R}/nomenklatur/9.99.99/anak").status_code == 404


def test_a_fresh_stack_holds_the_decrees_lists_with_the_counts_of_their_provenance(api):
    """Counts per level as ``data/sumber/PROVENANCE.md`` gives them, read through the gateway."""
    def total(kind: str, **params) -> int:
        return api.get(f"{R}/{kind}", params={**params, "per_page": 1}).json()["total"]

    levels = ("urusan", "bidang_urusan", "program", "kegiatan", "sub_kegiatan")
    assert [total("nomenklatur", tingkat=t, versi=V1317) for t in levels] == [10, 45, 188, 729, 3395]
    # the 2027 list: each lampiran whole, as a pemda of its level reads it (the ten urusan head both)
    assert [total("nomenklatur", tingkat=t, versi=V2027, lingkup="provinsi") for t in levels] == [
        10, 50, 217, 912, 4031]
    assert [total("nomenklatur", tingkat=t, versi=V2027, lingkup="kabupaten_kota") for t in levels] == [
        10, 45, 189, 713, 3550]
    # both: a record per code and, of the 599 codes the lampiran give different content, the provincial variant
    assert [total("nomenklatur", tingkat=t, versi=V2027) for t in levels] == [10, 51, 244, 1557, 7559]
    rekening = ("akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek")
    assert [total("rekening", prefix="5", tingkat=t, versi=V1317) for t in rekening] == [1, 4, 15, 98, 324, 3836]
    # the other roots at sub rincian objek level: 1 = 16,744; 2 = 10,562; 3 = 9; 4 = 622; 6 = 343; 7 = 9,951; 8 = 14,411
    assert [total("rekening", prefix=root, tingkat="sub_rincian_objek", versi=V1317) for root in "1234678"] == [
        16744, 10562, 9, 622, 343, 9951, 14411]
    assert total("rekening", versi=V1317) == 56920 + 32  # and the 32 hand-written roots, kelompok and jenis
    assert total("sumber-dana", versi="kepmendagri-050-5889-2021") == 300 + 1  # and 1.2.02, SIPD-RI's
    assert total("sumber-dana", versi="sipd-ri-2025") == 390


def test_levels_and_look_ups_of_every_list(api):
    assert api.get(f"{R}/nomenklatur", params={"tingkat": "urusan", "versi": V1317}).json()["total"] == 10
    assert api.get(f"{R}/nomenklatur", params={"tingkat": "bidang_urusan", "versi": V1317}).json()["total"] == 45
    assert api.get(f"{R}/nomenklatur", params={"tingkat": "sub_kegiatan", "versi": V1317}).json()["total"] == 3395
    assert api.get(f"{R}/nomenklatur", params={"tingkat": "bidang_urusan", "per_page": 100,
                                                "lingkup": "provinsi"}).json()["total"] == 50
    assert api.get(f"{R}/rekening", params={"prefix": "5.", "tingkat": "sub_rincian_objek"}).json()["total"] == 3836
    assert api.get(f"{R}/nomenklatur/1.01.02.2.01").json()["level_pemerintahan"] == "kabupaten_kota"
    assert api.get(f"{R}/sumber-dana/2.2.01.06").json()["nama"] == "Insentif Fiskal"
    # SIPD-RI's list of 2025 splits the lampiran's Insentif Fiskal (2.2.01.06.01) by the year of the kinerja rewarded
    fiskal = "2.2.01.06.02"
    assert api.get(f"{R}/sumber-dana/{fiskal}").json()["nama"] == (
        "Insentif Fiskal Untuk Penghargaan Kinerja Tahun Sebelumnya")
    assert api.get(f"{R}/sumber-dana/{fiskal}", params={"versi": "kepmendagri-050-5889-2021"}).status_code == 404
    assert api.get(f"{R}/sumber-dana/2.2.01.06.01").json()["berlaku"] is False
    assert api.get(f"{R}/wilayah/32.73.01").json()["tingkat"] == "kecamatan"
    assert api.get(f"{R}/wilayah", params={"q": "bandung", "tingkat": "kabupaten_kota"}).json()["total"] == 3
    # names are cleaned on import (the published file has a trailing space here), codes kept exactly
    assert api.get(f"{R}/pemda/31.72").json()["nama"] == "Kota Administrasi Jakarta Utara"


def test_pemda_by_province_skpd_of_a_pemda_and_standard_prices_by_account(api):
    pemda = api.get(f"{R}/pemda", params={"provinsi": "32", "per_page": 100}).json()
    assert pemda["total"] == 28 and pemda["items"][0] == {**pemda["items"][0], "kode": "32", "jenis": "provinsi"}
    kota = api.get(f"{R}/pemda", params={"provinsi": "32", "jenis": "kota", "per_page": 100}).json()
    assert "32.73" in [p["kode"] for p in kota["items"]] and all(p["jenis"] == "kota" for p in kota["items"])
    assert api.get(f"{R}/pemda", params={"per_page": 1}).json()["total"] == 552

    # the sample SKPD and prices of 32.73 are marked as samples
    skpd = api.get(f"{R}/pemda/{KODE_PEMDA}/skpd", params={"per_page": 100}).json()["items"]
    assert {"kode_pemda": KODE_PEMDA, "kode": SKPD_PENDIDIKAN, "nama": "Dinas Pendidikan", "bidang_urusan": ["1.01"],
            "sumber": "contoh", "dari_daftar_resmi": False}.items() \
        <= next(s for s in skpd if s["kode"] == SKPD_PENDIDIKAN).items()
    bappeda = api.get(f"{R}/pemda/{KODE_PEMDA}/skpd", params={"bidang_urusan": "5.05"}).json()["items"]
    assert [s["bidang_urusan"] for s in bappeda] == [["5.01", "5.05"]]
    assert api.get(f"{R}/pemda/{KODE_PEMDA}/skpd/{SKPD_PENDIDIKAN}").json()["nama"] == "Dinas Pendidikan"

    prices = api.get(f"{R}/pemda/{KODE_PEMDA}/standar-harga/2026",
                     params={"kode_rekening": "5.1.02.01.01.0024", "per_page": 100}).json()["items"]
    assert prices and all("5.1.02.01.01.0024" in p["kode_rekening"] for p in prices)
    pensil = next(p for p in prices if p["uraian"] == "Pensil")
    assert (pensil["jenis"], pensil["harga"], pensil["sumber"]) == ("SSH", "3500.00", "contoh")
    assert api.get(f"{R}/pemda/{KODE_PEMDA}/standar-harga/2026", params={"jenis": "ASB"}).json()["total"] == 2


def test_kabupaten_pasangkayu_is_a_real_pemda_to_budget(api):
    skpd = api.get(f"{R}/pemda/76.01/skpd", params={"per_page": 100}).json()
    assert skpd["total"] == 32
    koperasi = api.get(f"{R}/pemda/76.01/skpd/2.11.1.00.0.00.01.0000").json()
    assert (koperasi["nama"], koperasi["bidang_urusan"], koperasi["sumber"]) == (
        "Dinas Koperasi, UMKM dan Perdagangan", ["2.17", "3.30"], "sesendok:opd4")
    # its code and name are the source's; its bidang urusan were named by hand, and say so
    assert (koperasi["dari_daftar_resmi"], koperasi["sumber_bidang_urusan"], koperasi["bidang_urusan_dari_daftar_resmi"]) \
        == (True, "tulisan-tangan", False)
    ssh = api.get(f"{R}/pemda/76.01/standar-harga/2024", params={"per_page": 1}).json()
    assert ssh["total"] == 14532
    atk = api.get(f"{R}/pemda/76.01/standar-harga/2024",
                  params={"kode_rekening": "5.1.02.01.01.0024", "per_page": 200}).json()
    assert atk["total"] == 713 and all("5.1.02.01.01.0024" in p["kode_rekening"] for p in atk["items"])
    ballpoint = next(p for p in atk["items"] if p["kode"] == "1.1.12.01.03.0001.00179")
    assert (ballpoint["uraian"], ballpoint["harga"], ballpoint["sumber"], ballpoint["kode_kelompok"]) == (
        "BALLPOINT", "4500.00", "sesendok:ssh2024", "1.1.12.01.03.0001")


def test_as_of_a_version(api):
    every = api.get(f"{R}/versi").json()["items"]
    assert sum(v["terbaru"] for v in every) == 1 and every[-1]["terbaru"]
    versions = [v for v in every if not v["kode"].startswith("uji-sistem-")]  # other tests' imports (new_versi)
    assert [v["kode"] for v in versions][3:] == [V1317, "sipd-ri-2025", "kepmendagri-300.2.2-2138-2025", V2027]
    assert [v["jenis"] for v in versions][3:] == ["keputusan", "ekspor_sipd", "keputusan", "pemutakhiran"]

    # 1317/2023's sub kegiatan the 2027 list renumbers: retired there, with its new code from the crosswalk
    now = api.get(f"{R}/nomenklatur/1.02.02.2.02.0021").json()
    assert (now["berlaku"], now["valid_until"], now["kode_pengganti"]) == (False, V2027, ["1.02.02.2.02.0055"])
    then = api.get(f"{R}/sub-kegiatan/1.02.02.2.02.0021", params={"versi": V1317})
    assert then.status_code == 200 and then.json()["nama"] == (
        "Pengelolaan Pelayanan Kesehatan Orang dengan Masalah Kesehatan Jiwa (ODMK)")
    assert api.get(f"{R}/sub-kegiatan/1.02.02.2.02.0055", params={"versi": V1317}).status_code == 404
    new = api.get(f"{R}/sub-kegiatan/1.02.02.2.02.0055", params={"versi": V2027}).json()
    assert new["valid_from"] == V2027 and new["lingkup"] == ["kabupaten_kota"] and new["spm"] is not None
    crosswalk = api.get(f"{R}/crosswalk", params={"kode_lama": "1.02.02.2.02.0021"}).json()["items"]
    assert crosswalk == [{"kind": "nomenklatur", "kode_lama": "1.02.02.2.02.0021", "kode_baru": "1.02.02.2.02.0055",
                          "versi": V2027}]
    # the 2027 list holds the provincial lampiran too, with its SPM flag, tag and definisi operasional
    prov = api.get(f"{R}/nomenklatur/1.01.02.1.01.0001").json()
    assert prov["level_pemerintahan"] == "provinsi" and prov["lingkup"] == ["provinsi"] and prov["spm"] is True
    assert prov["definisi_operasional"] and prov["sumber"] == "sesendok:pemutakhiran2027"
    # a code the two lampiran give different content: a province reads the provincial lampiran's
    beda = "1.01.02.3.05.0001"
    assert api.get(f"{R}/sub-kegiatan/{beda}", params={"lingkup": "provinsi"}).json()["nama"] == (
        "Penyediaan Beasiswa Status Mahasiswa Jenjang Diploma/ Akademi Komunitas")
    assert api.get(f"{R}/sub-kegiatan/{beda}", params={"lingkup": "kabupaten_kota"}).json()["nama"] == (
        "Pembangunan USB (Unit Sekolah Baru)")
    assert api.get(f"{R}/nomenklatur/{beda}", params={"lingkup": "kota"}).status_code == 422

    unknown = api.get(f"{R}/rekening/5.1", params={"versi": "tidak-ada-9"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "versi"


def test_lists_are_cacheable(api):
    first = api.get(f"{R}/nomenklatur", params={"q": "puskesmas"})
    assert first.status_code == 200 and first.headers["cache-control"].startswith("public")
    again = api.get(f"{R}/nomenklatur", params={"q": "puskesmas"}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


# -- import -------------------------------------------------------------------------------------------------

def test_the_import_is_a_pusat_administrators(api, anonymous, accounts):
    content = csv("aksi,kode,nama", "tambah,1.01.80,PROGRAM TANPA IZIN")
    assert upload(anonymous, {}, content, kind="nomenklatur", mode="diff", **new_versi()).status_code == 401
    assert upload(anonymous, {"Authorization": "Bearer salah"}, content, kind="nomenklatur").status_code == 401
    for role in ("pemda_admin", "bappeda"):
        refused = upload(anonymous, accounts(role).headers, content, kind="nomenklatur", mode="diff", **new_versi())
        assert refused.status_code == 403, (role, refused.text)
    assert api.get(f"{R}/nomenklatur/1.01.80").status_code == 404


def test_a_dry_run_reports_what_would_be_added_changed_and_retired(api, admin_headers):
    versi = new_versi()
    content = csv("aksi,kode,nama,kinerja,indikator,satuan,kode_pengganti",
                  "tambah,1.01.81,PROGRAM UJI KERING,,,,",
                  "ubah,1.01.02.2.01.0005,Pembangunan Perpustakaan Sekolah Baru,Perpustakaan,Jumlah Perpustakaan,Unit,",
                  "hapus,1.01.02.2.01.0006,,,,,1.01.02.2.01.0005")
    resp = upload(api, admin_headers, content, kind="nomenklatur", mode="diff", dry_run="true", **versi)
    assert resp.status_code == 200, resp.text
    report = resp.json()
    assert (report["dry_run"], report["applied"], report["versi_baru"]) == (True, False, True)
    assert (report["added"], report["changed"], report["retired"], report["crosswalk_added"]) == (1, 1, 1, 1)
    assert report["examples"] == {"added": ["1.01.81"], "changed": ["1.01.02.2.01.0005"],
                                  "retired": ["1.01.02.2.01.0006"]}
    # nothing changed
    assert api.get(f"{R}/nomenklatur/1.01.81").status_code == 404
    assert api.get(f"{R}/nomenklatur/1.01.02.2.01.0006").json()["berlaku"] is True
    assert versi["versi"] not in [v["kode"] for v in api.get(f"{R}/versi").json()["items"]]


def test_a_bad_row_is_reported_with_its_row_number_and_nothing_of_the_file_is_applied(api, admin_headers):
    content = csv("aksi,kode,nama", "tambah,1.01.82,PROGRAM BAIK", "tambah,1.01.83,", "tambah,1.01.84.9.01,Tingkat 9")
    resp = upload(api, admin_headers, content, kind="nomenklatur", mode="diff", **new_versi())
    assert resp.status_code == 422 and resp.headers["content-type"] == "application/problem+json"
    body = resp.json()
    assert [e["field"] for e in body["errors"]] == ["rows.3.nama", "rows.4.kode"]
    assert "nothing was applied" in body["detail"]
    assert [(e["row"], e["field"]) for e in body["report"]["errors"]] == [(3, "nama"), (4, "kode")]
    assert api.get(f"{R}/nomenklatur/1.01.82").status_code == 404


def test_the_same_file_twice_changes_nothing_the_second_time(api, admin_headers):
    versi = new_versi()
    content = csv("aksi,kode,nama", "tambah,1.01.85,PROGRAM DUA KALI", "tambah,1.01.85.2.01,Kegiatan Dua Kali")
    first = upload(api, admin_headers, content, kind="nomenklatur", mode="diff", **versi).json()
    assert first["applied"] and first["added"] == 2 and first["impor_id"]
    before = api.get(f"{R}/nomenklatur/1.01.85.2.01").json()
    again = upload(api, admin_headers, content, kind="nomenklatur", mode="diff", versi=versi["versi"]).json()
    assert (again["applied"], again["added"], again["unchanged"], again["impor_id"]) == (False, 0, 2, None)
    assert api.get(f"{R}/nomenklatur/1.01.85.2.01").json() == before


def test_a_full_list_of_a_pemdas_skpd_twice(api, admin_headers):
    content = csv("kode,nama", "1.01.0.00.0.00.01.0000,Dinas Pendidikan", "1.02.0.00.0.00.01.0000,Dinas Kesehatan")
    first = upload(api, admin_headers, content, kind="skpd", mode="full", kode_pemda="11.02").json()
    assert (first["added"], first["versi"]) == (2, api.get(f"{R}/versi").json()["items"][-1]["kode"])
    again = upload(api, admin_headers, content, kind="skpd", mode="full", kode_pemda="11.02").json()
    assert (again["applied"], again["unchanged"]) == (False, 2)
    fewer = upload(api, admin_headers, csv("kode,nama", "1.01.0.00.0.00.01.0000,Dinas Pendidikan dan Kebudayaan"),
                   kind="skpd", mode="full", kode_pemda="11.02").json()
    assert (fewer["changed"], fewer["retired"]) == (1, 1)
    assert [s["nama"] for s in api.get(f"{R}/pemda/11.02/skpd").json()["items"]] == ["Dinas Pendidikan dan Kebudayaan"]
    # added and retired within one version: it was never part of any version
    assert api.get(f"{R}/pemda/11.02/skpd/1.02.0.00.0.00.01.0000").status_code == 404


def test_an_xlsx_file_as_operators_receive_it(api, admin_headers):
    book = Workbook()
    for row in (["Aksi", "Kode", "Nama", "Kinerja", "Indikator", "Satuan"],
                ["tambah", "1.01.86", "PROGRAM DARI XLSX", None, None, None],
                ["tambah", "1.01.86.2.01", "Kegiatan dari XLSX", None, None, None],
                ["tambah", "1.01.86.2.01.0001", "Sub dari XLSX", "Buku", "Jumlah Buku", "Eksemplar"]):
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    resp = upload(api, admin_headers, buf.getvalue(), "daftar.xlsx", kind="nomenklatur", mode="diff", **new_versi())
    assert resp.status_code == 200, resp.text
    assert resp.json()["added"] == 3
    assert api.get(f"{R}/sub-kegiatan/1.01.86.2.01.0001").json()["program"]["nama"] == "PROGRAM DARI XLSX"


def test_a_file_that_is_not_csv_or_xlsx(api, admin_headers):
    resp = upload(api, admin_headers, b"\x89PNG\r\n", "gambar.png", kind="nomenklatur", **new_versi())
    assert resp.status_code == 415 and resp.json()["errors"][0]["field"] == "file"


# -- a retired code reaches the plan and the budget ------------------------------------------------------------

SUB_PENSIUN, SUB_PENGGANTI = "1.01.02.2.01.0003", "1.01.02.2.01.0005"
REKENING_PENSIUN, REKENING_PENGGANTI = "5.2.03.01.01.0003", "5.2.03.01.01.0002"


def test_retired_codes_flag_the_plan_items_ceilings_and_budget_lines_that_use_them(api, admin_headers, tahun):
    item = plan(api, tahun, kode_sub_kegiatan=SUB_PENSIUN)
    wait_plafon(api, tahun, item["id"])
    budget = line(api, tahun, item["id"], kode_rekening=REKENING_PENSIUN)
    assert budget.status_code == 201, budget.text

    versi = new_versi()
    for kind, kode, pengganti in (("nomenklatur", SUB_PENSIUN, SUB_PENGGANTI),
                                  ("rekening", REKENING_PENSIUN, REKENING_PENGGANTI)):
        resp = upload(api, admin_headers, csv("aksi,kode,kode_pengganti", f"hapus,{kode},{pengganti}"),
                      kind=kind, mode="diff", **versi)
        assert resp.status_code == 200 and resp.json()["retired"] == 1, resp.text
        versi = {"versi": versi["versi"]}

    url = f"{rkpd_url(tahun)}/{item['id']}"
    flagged = wait_until(lambda: (r := api.get(url).json())["perlu_pemetaan"] and r, 15, message="plan item flagged")
    assert flagged["pemetaan"] == [{"kind": "nomenklatur", "kode": SUB_PENSIUN, "versi": versi["versi"],
                                    "kode_pengganti": [SUB_PENGGANTI]}]
    assert flagged["kode_sub_kegiatan"] == SUB_PENSIUN and flagged["version"] == item["version"]  # nothing rewritten
    assert [i["id"] for i in api.get(rkpd_url(tahun), params={"perlu_pemetaan": "true"}).json()["items"]] == [item["id"]]
    assert api.get(rkpd_url(tahun), params={"perlu_pemetaan": "false"}).json()["total"] == 0

    plafon = wait_until(lambda: (p := plafon_of(api, tahun, item["id"])) and p["perlu_pemetaan"] and p, 15,
                        message="ceiling flagged")
    assert plafon["pemetaan"][0]["kode"] == SUB_PENSIUN and plafon["status"] == "sesuai"

    def flagged_line():
        lines = api.get(apbd_url(tahun, "rincian")).json()["items"]
        return lines and lines[0]["perlu_pemetaan"] and lines[0]

    got = wait_until(flagged_line, 15, message="budget line flagged")
    assert got["kode_rekening"] == REKENING_PENSIUN
    assert got["pemetaan"] == [{"kind": "rekening", "kode": REKENING_PENSIUN, "versi": versi["versi"],
                                "kode_pengganti": [REKENING_PENGGANTI]}]

    # and the retired codes cannot be used again
    refused = api.post(rkpd_url(tahun), json={"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SUB_PENSIUN,
                                              "indikator": "i", "target": "1", "satuan": "Unit", "pagu_indikatif": "1"})
    assert refused.status_code == 422 and "retired" in refused.json()["errors"][0]["message"]
    refused = line(api, tahun, item["id"], kode_rekening=REKENING_PENSIUN)
    assert refused.status_code == 422 and REKENING_PENGGANTI in refused.json()["detail"]


def test_a_renamed_sub_kegiatan_reaches_the_plan_as_a_new_version(api, admin_headers, tahun):
    kode = "1.01.02.2.01.0004"
    item = plan(api, tahun, kode_sub_kegiatan=kode)
    resp = upload(api, admin_headers, csv("aksi,kode,nama,kinerja,indikator,satuan",
                                          f"ubah,{kode},Pembangunan Ruang UKS,Ruang UKS yang Dibangun,"
                                          "Jumlah Ruang UKS yang Dibangun,Unit"), kind="nomenklatur", mode="diff",
                  **new_versi())
    assert resp.status_code == 200 and resp.json()["changed"] == 1, resp.text
    url = f"{rkpd_url(tahun)}/{item['id']}"
    renamed = wait_until(lambda: (r := api.get(url).json())["nama_sub_kegiatan"] == "Pembangunan Ruang UKS" and r, 15,
                         message="rename reached the plan")
    assert renamed["version"] == item["version"] + 1 and not renamed["perlu_pemetaan"]
    assert api.get(f"{R}/sub-kegiatan/{kode}").json()["nama"] == "Pembangunan Ruang UKS"
