"""referensi as it runs: imports over RPC into real PostgreSQL, their events through the outbox,
look-ups as of a version. Each test adds a version of its own (dated after every other), and
its rows under codes no other test uses."""
from __future__ import annotations

import base64
import io
import time

import pytest
from nameko.standalone.rpc import ClusterRpcClient
from openpyxl import Workbook
from sqlalchemy import text

from ops.testing import auth_context, wait_until
from sipd_common.errors import Invalid, NotFound

from .support import call, count_outbox, csv_bytes, import_, outbox, published


# -- a program of this file's own, under PENDIDIKAN ------------------------------------------------------

PROGRAM = "1.01.90"
KEGIATAN = "1.01.90.2.01"
TAMBAH = csv_bytes("aksi,kode,nama,kinerja,indikator,satuan",
                   f"tambah,{PROGRAM},PROGRAM UJI LAYANAN,,,",
                   f"tambah,{KEGIATAN},Kegiatan Uji Layanan,,,",
                   f"tambah,{KEGIATAN}.0001,Pengadaan Buku Sekolah Dasar Uji,Buku yang Disediakan,Jumlah Buku,Eksemplar",
                   f"tambah,{KEGIATAN}.0002,Pelatihan Guru Uji,Guru yang Dilatih,Jumlah Guru,Orang")


def test_an_import_over_rpc_applies_records_and_publishes_their_changes(referensi, db, versi, rabbit_config):
    import kombu
    import nameko

    # a consumer of the codification (an event no queue is bound for is kept, not marked sent)
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        kombu.Queue("consumer-of-nomenklatur", kombu.Exchange("referensi.events", type="topic", durable=True),
                    routing_key="referensi.nomenklatur.changed.v1", durable=True)(conn.default_channel).declare()
    report = import_(referensi, TAMBAH, versi)
    assert report["applied"] and report["versi_baru"] and report["added"] == 4 and report["errors"] == []

    got = call(referensi, "get_nomenklatur", f"{KEGIATAN}.0001")
    assert got["nama"] == "Pengadaan Buku Sekolah Dasar Uji" and got["berlaku"] and got["valid_from"] == versi["versi"]
    assert got["level_pemerintahan"] == "kabupaten_kota"

    [event] = [e for e in outbox(db, "referensi.nomenklatur.changed.v1") if e.payload["versi"] == versi["versi"]]
    assert sorted(i["kode"] for i in event.payload["perubahan"]) == [PROGRAM, KEGIATAN, f"{KEGIATAN}.0001",
                                                                     f"{KEGIATAN}.0002"]
    assert {i["aksi"] for i in event.payload["perubahan"]} == {"added"}
    # the relay of the running service publishes it to that queue and marks it sent
    wait_until(lambda: [at is not None for at in published(db, "referensi.nomenklatur.changed.v1", versi["versi"])]
               == [True], message="published")


def test_a_dry_run_reports_and_changes_nothing(referensi, db, versi):
    before = count_outbox(db)
    content = csv_bytes("aksi,kode,nama", "tambah,1.01.91,PROGRAM KERING")
    report = import_(referensi, content, versi, dry_run=True)
    assert (report["dry_run"], report["applied"], report["added"], report["examples"]["added"]) == (
        True, False, 1, ["1.01.91"])
    assert count_outbox(db) == before
    with pytest.raises(NotFound):
        call(referensi, "get_nomenklatur", "1.01.91")
    assert versi["versi"] not in [v["kode"] for v in call(referensi, "list_versi")["items"]]


def test_a_bad_row_refuses_the_whole_file_naming_the_row(referensi, db, versi):
    before = count_outbox(db)
    content = csv_bytes("aksi,kode,nama", "tambah,1.01.92,PROGRAM BAIK", "tambah,1.01.93,", "ubah,1.01.94,TIDAK ADA")
    report = import_(referensi, content, versi)  # answered with the report: its numbers stay numbers
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "nama")]
    assert not report["applied"] and report["summary"].startswith("1 problem(s) in 1 row(s), the first row 3")
    assert count_outbox(db) == before
    with pytest.raises(NotFound):
        call(referensi, "get_nomenklatur", "1.01.92")


def test_findings_against_what_is_current_also_refuse_the_whole_file(referensi, versi):
    content = csv_bytes("aksi,kode,nama", "tambah,1.01.95,PROGRAM BAIK", "ubah,1.01.96,TIDAK ADA",
                        "hapus,1.01,")  # bidang urusan with children
    report = import_(referensi, content, versi)
    # row 2 is good on its own, but its parent would be retired by row 4
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "kode"), (3, "kode"), (4, "kode")]
    with pytest.raises(NotFound):
        call(referensi, "get_nomenklatur", "1.01.95")


def test_the_same_file_twice_changes_nothing_the_second_time(referensi, db, versi):
    content = csv_bytes("aksi,kode,nama", "tambah,1.01.97,PROGRAM DUA KALI", "tambah,1.01.97.2.01,Kegiatan Dua Kali")
    assert import_(referensi, content, versi)["applied"]
    before = count_outbox(db)
    again = import_(referensi, content, {"versi": versi["versi"]})
    assert (again["applied"], again["added"], again["unchanged"], again["impor_id"]) == (False, 0, 2, None)
    assert count_outbox(db) == before


def test_retiring_a_code_publishes_it_with_its_replacement_and_keeps_the_past(referensi, db, versi):
    first = {**versi}
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.98,PROGRAM PENSIUN",
                                 "tambah,1.01.98.2.01,Kegiatan Pensiun", "tambah,1.01.98.2.01.0001,Sub Lama",
                                 "tambah,1.01.98.2.01.0002,Sub Baru"), first)
    later = {"versi": first["versi"] + "-b", "versi_judul": "Perubahan", "versi_tanggal": first["versi_tanggal"]}
    report = import_(referensi, csv_bytes("aksi,kode,kode_pengganti", "hapus,1.01.98.2.01.0001,1.01.98.2.01.0002"), later)
    assert report["retired"] == 1 and report["crosswalk_added"] == 1

    [retired] = [e.payload for e in outbox(db, "referensi.kode.retired.v1") if e.payload["versi"] == later["versi"]]
    assert (retired["kind"], retired["kode"], retired["tingkat"], retired["kode_pengganti"]) == (
        "nomenklatur", "1.01.98.2.01.0001", "sub_kegiatan", ["1.01.98.2.01.0002"])
    assert retired["kode_pemda"] is None

    now = call(referensi, "get_sub_kegiatan", "1.01.98.2.01.0001")
    assert (now["berlaku"], now["valid_until"], now["kode_pengganti"]) == (False, later["versi"], ["1.01.98.2.01.0002"])
    then = call(referensi, "get_sub_kegiatan", "1.01.98.2.01.0001", versi=first["versi"])
    assert then["valid_from"] == first["versi"] and then["kegiatan"]["nama"] == "Kegiatan Pensiun"
    children_now = call(referensi, "children", "nomenklatur", "1.01.98.2.01")
    children_then = call(referensi, "children", "nomenklatur", "1.01.98.2.01", versi=first["versi"])
    assert (children_now["total"], children_then["total"]) == (1, 2)
    assert call(referensi, "list_crosswalk", kode_lama="1.01.98.2.01.0001")["items"] == [
        {"kind": "nomenklatur", "kode_lama": "1.01.98.2.01.0001", "kode_baru": "1.01.98.2.01.0002", "versi": later["versi"]}]


def test_an_import_into_a_version_older_than_the_list_is_refused(referensi, versi):
    import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.99,PROGRAM BARU"), versi)
    report = import_(referensi, csv_bytes("aksi,kode,nama", "tambah,1.01.89,PROGRAM LAMA"), {"versi": "permendagri-90-2019"})
    assert report["errors"][0]["field"] == "versi" and "later than permendagri-90-2019" in report["errors"][0]["message"]


def test_an_xlsx_file_over_rpc(referensi, versi):
    book = Workbook()
    for row in (["Kode", "Nama", "Kinerja", "Indikator", "Satuan"], ["1.01.88", "PROGRAM DARI XLSX", None, None, None]):
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    refused = call(referensi, "import_file", {"kind": "nomenklatur", "mode": "diff", **versi},
                   base64.b64encode(buf.getvalue()).decode(), "daftar.xlsx")  # a diff needs its aksi column
    assert refused["errors"] == [{"row": 1, "field": "aksi", "path": "rows.1.aksi",
                                  "message": "the header has no such column"}]
    book.active.insert_cols(1)
    book.active["A1"], book.active["A2"] = "aksi", "tambah"
    buf = io.BytesIO()
    book.save(buf)
    report = call(referensi, "import_file", {"kind": "nomenklatur", "mode": "diff", **versi},
                  base64.b64encode(buf.getvalue()).decode(), "daftar.xlsx")
    assert report["added"] == 1 and call(referensi, "get_nomenklatur", "1.01.88")["nama"] == "PROGRAM DARI XLSX"


def test_skpd_and_standard_prices_of_one_pemda(referensi, versi):
    skpd = csv_bytes("kode,nama", "1.01.0.00.0.00.01.0000,Dinas Pendidikan", "2.12.0.00.0.00.01.0000,Disdukcapil")
    assert import_(referensi, skpd, versi, kind="skpd", mode="full", kode_pemda="11.01")["added"] == 2
    listed = call(referensi, "list_skpd", "11.01", bidang_urusan="2.12")
    assert [s["nama"] for s in listed["items"]] == ["Disdukcapil"]

    harga = csv_bytes("kode,jenis,uraian,spesifikasi,satuan,harga,kode_rekening",
                      "H.1,SSH,Kertas HVS,A4 70 gram,Rim,52000,5.1.02.01.01.0025",
                      "H.2,SSH,Pensil,2B,Buah,3500.50,5.1.02.01.01.0024 5.1.02.01.01.0025")
    report = import_(referensi, harga, {"versi": versi["versi"]}, kind="standar_harga", mode="full",
                     kode_pemda="11.01", tahun=2099)
    assert report["added"] == 2
    by_account = call(referensi, "list_standar_harga", "11.01", 2099, kode_rekening="5.1.02.01.01.0024")
    assert [(h["kode"], h["harga"]) for h in by_account["items"]] == [("H.2", "3500.50")]
    # a full list of the year: what is absent is retired, in this pemda and year only
    report = import_(referensi, csv_bytes("kode,jenis,uraian,spesifikasi,satuan,harga,kode_rekening",
                                          "H.1,SSH,Kertas HVS,A4 70 gram,Rim,53000,5.1.02.01.01.0025"),
                     {"versi": versi["versi"]}, kind="standar_harga", mode="full", kode_pemda="11.01", tahun=2099)
    assert (report["changed"], report["retired"]) == (1, 1)
    assert call(referensi, "list_standar_harga", "32.73", 2026)["total"] > 0


def test_search_by_words_and_prefix_as_of_a_version(referensi):
    found = call(referensi, "search", "nomenklatur", q="sekolah dasar", tingkat="sub_kegiatan",
                 versi="kepmendagri-900.1.15.5-1317-2023")
    assert found["total"] >= 5
    assert "1.01.02.2.01.0021" in [i["kode"] for i in found["items"]]  # Penyediaan Biaya Personil … Sekolah Dasar
    assert all(i["tingkat"] == "sub_kegiatan" for i in found["items"])
    in_2023 = call(referensi, "search", "nomenklatur", prefix="1.01.02.2.01.", versi="kepmendagri-900.1.15.5-1317-2023")
    assert in_2023["total"] == 42 and in_2023["items"][0]["kode"] == "1.01.02.2.01.0001"
    assert all(i["lingkup"] == ["kabupaten_kota"] and i["sumber"] == "sesendok:subkeg900" for i in in_2023["items"])
    assert call(referensi, "search", "nomenklatur", prefix="1.01.02.2.01.", versi="pemutakhiran-2027")["total"] == 44
    assert call(referensi, "search", "nomenklatur", q="!!!")["total"] == 0
    with pytest.raises(Invalid):
        call(referensi, "search", "rekening", versi="tidak-ada-1")


V2027 = "pemutakhiran-2027"
LEVELS = ("bidang_urusan", "program", "kegiatan", "sub_kegiatan")
BEDA = "1.01.02.3.05.0001"  # a code the two lampiran of 2027 give different content (digit 3: numbered apart)


def test_each_lampiran_of_the_2027_list_is_held_whole_with_the_counts_of_its_provenance(referensi):
    """PROVENANCE.md: PROV 50 bidang, 217 program, 912 kegiatan, 4,031 sub kegiatan; KABKOT 45, 189, 713, 3,550."""
    def total(**params) -> list[int]:
        return [call(referensi, "search", "nomenklatur", tingkat=t, versi=V2027, limit=1, **params)["total"]
                for t in LEVELS]

    assert total(lingkup="provinsi") == [50, 217, 912, 4031]
    assert total(lingkup="kabupaten_kota") == [45, 189, 713, 3550]
    # the ten urusan head both; the 599 codes the lampiran give different content are a record and its variant
    for lingkup in ("provinsi", "kabupaten_kota"):
        assert call(referensi, "search", "nomenklatur", tingkat="urusan", versi=V2027, lingkup=lingkup)["total"] == 10
    varian = call(referensi, "search", "nomenklatur", prefix="1.01.02.3.05.", versi=V2027, lingkup="provinsi",
                  limit=200)["items"]
    assert all("provinsi" in i["lingkup"] for i in varian) and {i["kode"] for i in varian if i["varian"] == "provinsi"}
    assert [(i["varian"], i["nama"]) for i in varian if i["kode"] == BEDA] == [
        ("provinsi", "Penyediaan Beasiswa Status Mahasiswa Jenjang Diploma/ Akademi Komunitas")]
    with pytest.raises(Invalid) as refused:
        call(referensi, "search", "rekening", lingkup="provinsi")
    assert refused.value.errors[0]["field"] == "lingkup"


def test_a_code_the_lampiran_give_different_content_answers_each_level_with_its_own(referensi):
    prov = call(referensi, "get_sub_kegiatan", BEDA, versi=V2027, lingkup="provinsi")
    kab = call(referensi, "get_sub_kegiatan", BEDA, versi=V2027, lingkup="kabupaten_kota")
    assert (prov["varian"], prov["nama"], prov["level_pemerintahan"]) == (
        "provinsi", "Penyediaan Beasiswa Status Mahasiswa Jenjang Diploma/ Akademi Komunitas", "provinsi")
    assert (kab["varian"], kab["nama"], kab["level_pemerintahan"]) == (
        "umum", "Pembangunan USB (Unit Sekolah Baru)", "kabupaten_kota")
    # each with its lampiran's kegiatan, tag, jenis, pelaksana and SPM flag
    assert prov["kegiatan"]["nama"] == "Peningkatan Mutu Akademi Komunitas"
    assert kab["kegiatan"]["nama"] == "Pengelolaan Pendidikan Sekolah Menengah Atas"
    assert (prov["tag"], prov["jenis"], prov["pelaksana"], prov["spm"]) == (
        ["ANGGARAN RESPONSIF GENDER (ASTACITA)", "KESPRO"], "Layanan", "peningkatan mutu akademi komunitas", False)
    assert (kab["tag"], kab["jenis"], kab["spm"]) == (None, "Layanan", True)
    assert kab["pelaksana"].startswith("pengelola pendidikan sekolah menengah at")
    # a read for no level answers the code's record; of a code without a variant, a province reads that record
    assert call(referensi, "get_nomenklatur", BEDA, versi=V2027)["nama"] == kab["nama"]
    assert call(referensi, "get_nomenklatur", "7.01", versi=V2027, lingkup="provinsi")["nama"] == "KECAMATAN ADMINISTRASI"
    assert call(referensi, "get_nomenklatur", "7.01", versi=V2027)["nama"] == "KECAMATAN"
    tanpa_varian = call(referensi, "get_nomenklatur", "1.01.02.1.01.0040", versi=V2027, lingkup="provinsi")
    assert tanpa_varian["varian"] == "umum" and tanpa_varian["tag"] == ["ANGGARAN RESPONSIF GENDER (ASTACITA)"]
    assert (tanpa_varian["jenis"], tanpa_varian["pelaksana"]) == ("Layanan", "bidang yang mengurusi pengelolaan SMA")
    with pytest.raises(Invalid) as refused:
        call(referensi, "get_sub_kegiatan", BEDA, lingkup="kecamatan")
    assert refused.value.errors[0]["field"] == "lingkup"


def test_pasangkayus_bidang_urusan_say_they_were_named_by_hand(referensi):
    koperasi = call(referensi, "get_skpd", "76.01", "2.11.1.00.0.00.01.0000")
    assert (koperasi["sumber"], koperasi["dari_daftar_resmi"]) == ("sesendok:opd4", True)
    assert (koperasi["sumber_bidang_urusan"], koperasi["bidang_urusan_dari_daftar_resmi"]) == ("tulisan-tangan", False)
    listed = call(referensi, "list_skpd", "76.01", limit=100)["items"]
    assert len(listed) == 32 and not any(s["bidang_urusan_dari_daftar_resmi"] for s in listed)
    sample = call(referensi, "get_skpd", "32.73", "1.01.0.00.0.00.01.0000")  # from its code (and sample data)
    assert sample["sumber_bidang_urusan"] is None and sample["bidang_urusan_dari_daftar_resmi"] is False


def importing(db, kind: str) -> bool:
    """An import of the national list ``kind`` is in its transaction: it holds the list's lock (the import
    takes it once the file is read, and keeps it until its changes and events are committed)."""
    with db.connect() as conn:
        free = conn.execute(text("SELECT pg_try_advisory_xact_lock(hashtext(:name))"),
                            {"name": f"referensi.impor.{kind}"}).scalar()
        conn.rollback()  # and let go of it at once, if it was free
    return not free


def test_look_ups_keep_answering_while_a_large_import_runs(referensi, db, versi):
    # under an urusan of its own (U: the decrees number theirs X and 1 to 9)
    lines = ["aksi,kode,nama,kinerja,indikator,satuan", "tambah,U,URUSAN UJI BESAR,,,", "tambah,U.99,BIDANG UJI,,,"]
    for p in range(1, 61):
        lines.append(f"tambah,U.99.{p:02d},PROGRAM UJI {p},,,")
        for g in range(1, 11):
            lines.append(f"tambah,U.99.{p:02d}.2.{g:02d},Kegiatan Uji {p} {g},,,")
            lines += [f"tambah,U.99.{p:02d}.2.{g:02d}.{s:04d},Sub Uji {p} {g} {s},Kinerja,Jumlah,Unit" for s in range(1, 13)]
    content = csv_bytes(*lines)  # 7,862 rows: a second or more of writing, against ten look-ups of milliseconds
    with ClusterRpcClient(context_data=auth_context(), timeout=120) as client:
        client.referensi.get_rekening("5.1.02.01.01.0024")  # warm
        pending = client.referensi.import_file.call_async(
            {"kind": "nomenklatur", "mode": "diff", **versi}, content, "besar.csv")
        # the import has read its file and holds its list: it is writing now
        wait_until(lambda: importing(db, "nomenklatur"), timeout=60, interval=0.01, message="the import is applying")
        slowest = 0.0
        for _ in range(10):
            started = time.monotonic()
            client.referensi.get_rekening("5.1.02.01.01.0024")
            slowest = max(slowest, time.monotonic() - started)
        still_running = importing(db, "nomenklatur")
        report = pending.result()
    assert still_running, "the import ended before the last look-up was answered: the look-ups proved nothing"
    assert report["added"] == len(lines) - 1
    assert slowest < 1.0, f"a look-up waited {slowest:.2f} s behind the import"
