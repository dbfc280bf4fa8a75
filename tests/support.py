"""Small helpers for the system tests: plan an item, wait for what the events bring, enact a budget."""
from __future__ import annotations

import io
import json
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import kombu
from openpyxl import Workbook

from ops.testing import wait_until
from tests.conftest import client_for

KODE_PEMDA = "32.73"
SKPD_PENDIDIKAN = "1.01.0.00.0.00.01.0000"
SD_BARU = "1.01.02.2.01.0001"
REKENING_GEDUNG_SEKOLAH = "5.2.03.01.01.0002"


def rkpd_url(tahun: int, kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/rkpd/{tahun}/sub-kegiatan"


def apbd_url(tahun: int, what: str, kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/apbd/{tahun}/{what}"


def report_url(tahun: int, kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/laporan/{tahun}/ringkasan"


def plan(api, tahun: int, **overrides) -> dict:
    body = {"kode_skpd": SKPD_PENDIDIKAN, "kode_sub_kegiatan": SD_BARU, "indikator": "Jumlah Unit Sekolah Baru",
            "target": "2", "satuan": "Unit", "pagu_indikatif": "1000000000.00", **overrides}
    resp = api.post(rkpd_url(tahun), json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


def line(api, tahun: int, rkpd_id: str, **overrides):
    body = {"rkpd_id": rkpd_id, "kode_rekening": REKENING_GEDUNG_SEKOLAH, "uraian": "Pembangunan gedung",
            "volume": "1", "satuan": "Paket", "harga_satuan": "400000000", **overrides}
    return api.post(apbd_url(tahun, "rincian"), json=body)


def plafon_of(api, tahun: int, rkpd_id: str) -> dict | None:
    resp = api.get(apbd_url(tahun, "plafon"), params={"per_page": 200})
    assert resp.status_code == 200, resp.text
    return next((p for p in resp.json()["items"] if p["rkpd_id"] == rkpd_id), None)


def wait_plafon(api, tahun: int, rkpd_id: str, check=lambda p: True, timeout: float = 60) -> dict:
    return wait_until(lambda: (p := plafon_of(api, tahun, rkpd_id)) is not None and check(p) and p,
                      timeout, message=f"plafon of {rkpd_id}")


def report(api, tahun: int) -> dict:
    resp = api.get(report_url(tahun))
    assert resp.status_code == 200, resp.text
    return resp.json()


def wait_report(api, tahun: int, check, timeout: float = 60) -> dict:
    return wait_until(lambda: (r := report(api, tahun)) and check(r) and r, timeout, message="report")


def bidang(report_body: dict, kode: str) -> dict | None:
    return next((b for b in report_body["bidang_urusan"] if b["kode_bidang_urusan"] == kode), None)


# -- the five-year plans ------------------------------------------------------------------------------------
SKPD_KESEHATAN = "1.02.0.00.0.00.01.0000"


def rpjmd_url(kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/rpjmd"


def renstra_url(kode_skpd: str = SKPD_PENDIDIKAN, kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/renstra/{kode_skpd}"


def indikator(awal: int, **over) -> dict:
    return {"uraian": "Angka Partisipasi Murni SD", "satuan": "%", "polaritas": "positif", "baseline": "95.2",
            "target": {str(awal + i): str(96 + i) for i in range(5)}, **over}


def isi_rpjmd(awal: int, **over) -> dict:
    return {"visi": "Bandung yang unggul", "misi": [{"kode": "1", "uraian": "SDM berkualitas", "tujuan": [{
        "kode": "1.1", "uraian": "Meningkatnya kualitas pendidikan", "sasaran": [{
            "kode": "1.1.1", "uraian": "Meningkatnya akses pendidikan dasar", "indikator": [indikator(awal)],
            "program": [{"kode_program": "1.01.02", "kode_skpd": SKPD_PENDIDIKAN, "indikator": [indikator(awal)],
                         "pagu": {str(awal): "150000000000.00", str(awal + 1): "160000000000.00"}}]}]}]}], **over}


def isi_renstra(awal: int, program: dict | None = None, **sasaran) -> dict:
    program = program or {"kode_program": "1.01.02", "pagu": {str(awal): "50000000000.00"}, "kegiatan": [{
        "kode_kegiatan": "1.01.02.2.01", "sub_kegiatan": [{
            "kode_sub_kegiatan": SD_BARU, "pagu": {str(awal): "3500000000.00"},
            "indikator": [indikator(awal, uraian="Jumlah sekolah baru", satuan="Unit", polaritas="kumulatif",
                                    target={str(awal): "2", str(awal + 1): "3"})]}]}]}
    return {"tujuan": [{"kode": "T1", "uraian": "Meningkatnya mutu pendidikan dasar", "sasaran": [{
        "kode": "S1", "uraian": "Meningkatnya daya tampung SD", "sasaran_rpjmd": "1.1.1",
        "indikator": [indikator(awal)], "program": [program], **sasaran}]}]}


def make_rpjmd(api, awal: int, kode_pemda: str = KODE_PEMDA, **over) -> dict:
    resp = api.post(rpjmd_url(kode_pemda), json={"tahun_awal": awal, "tahun_akhir": awal + 4, **isi_rpjmd(awal, **over)})
    assert resp.status_code == 201, resp.text
    return resp.json()


def make_renstra(api, rpjmd: dict, kode_skpd: str = SKPD_PENDIDIKAN) -> dict:
    resp = api.post(renstra_url(kode_skpd), json={"rpjmd_id": rpjmd["id"], **isi_renstra(rpjmd["tahun_awal"])})
    assert resp.status_code == 201, resp.text
    return resp.json()


# -- the codification's import (referensi): a version of its own per call, dated after every other ----------
IMPOR = "/api/v1/referensi/impor"
_versions = count(1)


def new_versi() -> dict:
    """A new version of the codification, dated after every other one made by a test (one counter for all)."""
    n = next(_versions)
    return {"versi": f"uji-sistem-{n}", "versi_judul": f"Keputusan Menteri Dalam Negeri uji {n}",
            "versi_tanggal": (date(2080, 1, 1) + timedelta(days=n)).isoformat()}


def upload(api, headers, content: bytes, name: str = "daftar.csv", **form):
    return api.post(IMPOR, headers=headers, data={k: str(v) for k, v in form.items()},
                    files={"file": (name, content, "application/octet-stream")})


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()
# -- KUA-PPAS and RKA-SKPD (issue 13) ------------------------------------------------------------------------
RKPD_STAGES = ("rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan")
HONOR = "5.1.02.02.01.0026"  # Belanja Jasa Tenaga Administrasi


def ppas_url(tahun: int, what: str = "", kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/ppas/{tahun}{'/' + what if what else ''}"


def rka_url(tahun: int, what: str, kode_pemda: str = KODE_PEMDA) -> str:
    return f"/api/v1/pemda/{kode_pemda}/rka/{tahun}/{what}"


def enact_rkpd(bappeda, tahun: int) -> None:
    """The year's RKPD through every stage to penetapan (each window open for a week)."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    resp = bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal", json={"dokumen": "rkpd", "tahun": tahun, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in RKPD_STAGES]})
    assert resp.status_code == 201, resp.text
    for kode in RKPD_STAGES:
        for action in ("buka", "kunci"):
            resp = bappeda.post(f"/api/v1/pemda/{KODE_PEMDA}/jadwal/rkpd/{tahun}/tahap/{kode}/{action}")
            assert resp.status_code == 200, resp.text


def wait_ppas(api, tahun: int, check=lambda p: True, timeout: float = 30) -> dict:
    def ready():
        resp = api.get(ppas_url(tahun))
        return resp.status_code == 200 and check(resp.json()) and resp.json()
    return wait_until(ready, timeout, message=f"PPAS of {tahun}")


def standard_prices(api, tahun: int, *rows: tuple[str, str, str, str]) -> None:
    """The pemda's standard prices for the year (kode, uraian, harga, kode_rekening), imported into referensi as
    an operator would (the latest version); the caller waits for keuangan's replica."""
    lines = ["kode,jenis,uraian,spesifikasi,satuan,harga,kode_rekening",
             *(f"{kode},SBU,{uraian},-,OB,{harga},{rekening}" for kode, uraian, harga, rekening in rows)]
    resp = api.post("/api/v1/referensi/impor", data={"kind": "standar_harga", "kode_pemda": KODE_PEMDA,
                                                      "tahun": str(tahun), "mode": "full"},
                    files={"file": ("ssh.csv", ("\n".join(lines) + "\n").encode(), "text/csv")})
    assert resp.status_code == 200, resp.text


# -- DPA and penatausahaan (issues 13, 14) -------------------------------------------------------------------
PENETAPAN_BELANJA = {"nomor_perda": "Perda Belanja No. 1", "tanggal_perda": "2026-12-20",
                     "nomor_perkada": "Perwal Belanja No. 1", "tanggal_perkada": "2026-12-21"}


def pu(tahun: int, what: str, kode_pemda: str = KODE_PEMDA) -> str:
    """A penatausahaan route of the year."""
    return f"/api/v1/pemda/{kode_pemda}/penatausahaan/{tahun}/{what}"


def refused(resp, status: int, field: str | None = None) -> None:
    """A problem details answer of ``status``, naming ``field`` if given."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    if field is not None:
        assert field in [e["field"] for e in resp.json()["errors"]], resp.text


def dpa_authorised(stack, accounts, tahun: int, pendapatan: tuple[dict, ...] = ()) -> None:
    """An enacted APBD of one spending line (SD_BARU × building, 1,200,000,000) and the revenue lines
    ``pendapatan`` (bodies of ``apbd/pendapatan``), and the DPA of SKPD Pendidikan authorised: the cash plan spread
    by default, 100,000,000 a month."""
    with client_for(stack, accounts("bappeda")) as bappeda:
        item = plan(bappeda, tahun, pagu_indikatif="2000000000.00")
    with client_for(stack, accounts("tapd")) as tapd, client_for(stack, accounts("provinsi_admin", "32")) as province:
        wait_plafon(tapd, tahun, item["id"])
        assert line(tapd, tahun, item["id"], harga_satuan="1200000000").status_code == 201
        for body in pendapatan:
            revenue = tapd.post(apbd_url(tahun, "pendapatan"), json=body)
            assert revenue.status_code == 201, revenue.text
        enact_apbd(tapd, province, tahun, PENETAPAN_BELANJA)
        assert tapd.post(f"/api/v1/pemda/{KODE_PEMDA}/dpa/{tahun}").status_code == 200
        authorised = tapd.post(f"/api/v1/pemda/{KODE_PEMDA}/dpa/{tahun}/skpd/{SKPD_PENDIDIKAN}/pengesahan",
                               json={"versi": 1, "nomor": "DPA/1"})
        assert authorised.status_code == 200, authorised.text
        [baris] = authorised.json()["baris"]
        assert (baris["kode_sub_kegiatan"], baris["kode_rekening"], Decimal(baris["jumlah"])) == (
            SD_BARU, REKENING_GEDUNG_SEKOLAH, Decimal(1200000000))
        assert [Decimal(k) for k in baris["kas"]] == [Decimal(100000000)] * 12
# -- the APBD: enacted after its evaluation, and the events of its cycle ----------------------------------------
PENETAPAN = {"nomor_perda": "Perda Kota Bandung No. 12", "tanggal_perda": "2026-12-20",
             "nomor_perkada": "Perwal Bandung No. 88", "tanggal_perkada": "2026-12-21"}


def enact_apbd(tapd, province, tahun: int, penetapan: dict = PENETAPAN) -> dict:
    """The year's draft APBD (or its corrections) submitted by TAPD, found sesuai by its evaluator (``province``:
    a client of the province's administrator), enacted: the APBD as enacted (its Perda, summary, ratios, hash)."""
    submitted = tapd.post(apbd_url(tahun, "pengajuan"))
    assert submitted.status_code == 200, submitted.text
    evaluated = province.post(apbd_url(tahun, "evaluasi"), json={"hasil": "sesuai"})
    assert evaluated.status_code == 200, evaluated.text
    enacted = tapd.post(apbd_url(tahun, "penetapan"), json=penetapan)
    assert enacted.status_code == 200 and enacted.json()["status"] == "ditetapkan", enacted.text
    kept = tapd.get(apbd_url(tahun, "penetapan"))
    assert kept.status_code == 200, kept.text
    return kept.json()


@contextmanager
def events(amqp_uri: str, routing_key: str, source: str = "keuangan"):
    """A queue of its own bound to ``source``'s ``routing_key`` (as a consuming service binds one): yields a
    function that waits for the event of an aggregate and returns its payload (others are skipped)."""
    with kombu.Connection(amqp_uri) as conn:
        exchange = kombu.Exchange(f"{source}.events", type="topic", durable=True)
        bound = kombu.Queue(f"test-{routing_key}-{uuid.uuid4()}", exchange, routing_key=routing_key)(conn.channel())
        bound.declare()

        def received(aggregate_id: str) -> dict:
            def one():
                message = bound.get(no_ack=True)
                payload = json.loads(message.body) if message else None
                return payload if payload and payload["aggregate_id"] == aggregate_id else None
            return wait_until(one, 15, message=f"{routing_key} of {aggregate_id}")

        try:
            yield received
        finally:
            bound.delete()


def first_rka_line(client, tahun: int, body: dict, idempotency_key: str | None = None) -> dict:
    """The first RKA line of a year whose standard prices were just imported: refused as unknown until keuangan's
    replica has them (then nothing changed), created once it has (with ``idempotency_key``, its key)."""
    def create():
        resp = client.post(rka_url(tahun, "rincian"), json=body,
                           headers={"Idempotency-Key": idempotency_key} if idempotency_key else None)
        if resp.status_code == 422 and resp.json()["errors"][0]["field"] == "kode_standar_harga":
            return None
        assert resp.status_code == 201, resp.text
        return resp.json()
    return wait_until(create, 30, message="the standard prices in keuangan's replica")


RKA_KOLOM = ["kode_sub_kegiatan", "kelompok", "keterangan", "kode_rekening", "kode_standar_harga", "volume_1",
             "satuan_1", "volume_2", "satuan_2", "harga_satuan", "pajak", "kode_sumber_dana"]


def rka_xlsx(*rows) -> bytes:
    """An RKA import workbook as an SKPD fills it: the columns, then ``rows``."""
    book = Workbook()
    sheet = book.active
    sheet.append(RKA_KOLOM)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
