"""One pemda's whole budget cycle through the gateway, on the running stack (issue 13, "Tests"): the enacted RKPD
gives the KUA-PPAS, TAPD adjusts it and the DPRD agrees it; the SKPD prices its RKA (an XLSX import, and a line);
revenue and financing make the APBD's identities, its legal ratios follow; the province evaluates it (tidak sesuai,
then sesuai) and it is enacted (``apbd.ditetapkan``); the DPA with its cash plan is authorised; the PPKD shifts
within a rincian objek (above its authority: refused, nothing changed); the APBD-P opens with its KUA-PPAS
perubahan, agreed before any change and respected by it, is evaluated by the province as the APBD is and enacted
(``apbd.perubahan.ditetapkan``), the murni APBD kept beside it, its Lampiran I printed; and the reports see each
step: pemerintahan's summary the plan and the lines, its Perda register both budgets' Perda, the LRA the budget after
perubahan. Each new DPA version (the shift's, the APBD-P's) is the budget as it then stands, its months adding up, the
versions before kept; the enacted budget's stages never reopen. The DPA's generation, the budget schedule, the shift
and the APBD-P's opening, each sent again with its ``Idempotency-Key``, happen once."""
from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ops.testing import wait_until
from tests.conftest import client_for
from tests.support import (
    HONOR, KODE_PEMDA, PENETAPAN, SD_BARU, SKPD_PENDIDIKAN, apbd_url, enact_apbd, enact_rkpd, events,
    first_rka_line, line, plan, ppas_url, rka_url, rka_xlsx, standard_prices, wait_plafon, wait_ppas, wait_report,
)

GEDUNG, KANTOR, CANDI = "5.2.03.01.01.0002", "5.2.03.01.01.0001", "5.2.03.02.01.0001"
BAPENDA, BPKAD = "5.02.0.00.0.00.02.0000", "5.02.0.00.0.00.01.0000"
PAJAK_HOTEL, SILPA = "4.1.01.06.01.0001", "6.1.01.01.01.0001"
KOMPONEN_HONOR, KOMPONEN_GEDUNG = "9.1.1", "9.1.2"
PERUBAHAN = {"nomor_perda": "Perda Kota Bandung No. 7 (Perubahan APBD)", "tanggal_perda": "2027-09-30",
             "nomor_perkada": "Perwal Bandung No. 51", "tanggal_perkada": "2027-10-01"}
M = Decimal(1_000_000)  # the amounts below in millions of rupiah


@pytest.fixture
def enacted_events(amqp_uri):
    with events(amqp_uri, "apbd.ditetapkan.v1") as received:
        yield received


@pytest.fixture
def perubahan_events(amqp_uri):
    with events(amqp_uri, "apbd.perubahan.ditetapkan.v1") as received:
        yield received


def ok(resp, status: int = 200) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


def refused(resp, status: int, field: str | None = None) -> None:
    assert resp.status_code == status, resp.text
    if field:
        assert resp.json()["errors"][0]["field"] == field, resp.text


def money(body: dict, *fields: str) -> tuple:
    return tuple(Decimal(body[f]) / M for f in fields)


def dpa_url(tahun: int, what: str = "") -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/dpa/{tahun}{what}"


def positions(api, tahun: int) -> dict:
    body = ok(api.get(apbd_url(tahun, "perubahan/pos"), params={"per_page": 200}))
    return {p["kode_rekening"]: money(p, "murni", "perubahan", "selisih") for p in body["items"]}


def ringkasan_p(api, tahun: int, what: str) -> tuple:
    return money(ok(api.get(apbd_url(tahun, "perubahan")))["ringkasan"][what], "murni", "perubahan", "selisih")


def perda(api, tahun: int) -> list[tuple]:
    body = ok(api.get(f"/api/v1/pemda/{KODE_PEMDA}/perda", params={"tahun": tahun, "per_page": 200}))
    return sorted((p["kategori"], p["jenis"], p["nomor"], p["status"]) for p in body["items"])


def dpa_of(api, tahun: int, suffix: str = "") -> dict:
    return ok(api.get(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}{suffix}")))


def dpa_matches_the_budget(api, tahun: int, versi: int) -> dict:
    """The SKPD's latest DPA is version ``versi``, its lines the spending positions as they are now, each line's
    months adding up to it."""
    dpa = dpa_of(api, tahun)
    assert dpa["versi"] == versi, dpa
    pos = {k: v[1] * M for k, v in positions(api, tahun).items() if k.startswith("5.")}
    assert {b["kode_rekening"]: Decimal(b["jumlah"]) for b in dpa["baris"]} == pos
    assert Decimal(dpa["jumlah"]) == sum(pos.values())
    assert all(sum(Decimal(k) for k in b["kas"]) == Decimal(b["jumlah"]) for b in dpa["baris"])
    return dpa


def twice(client, url: str, body: dict | None = None, status: int = 200, key: dict | None = None) -> dict:
    """A POST sent again with its ``Idempotency-Key`` (a retry after a lost answer): the first answer, again."""
    key = key or {"Idempotency-Key": str(uuid.uuid4())}
    first = ok(client.post(url, json=body, headers=key), status)
    assert ok(client.post(url, json=body, headers=key), status) == first
    return first


def shift(rkpd_id: str, ke: str, jumlah: str) -> dict:
    return {"dari": {"rkpd_id": rkpd_id, "kode_rekening": GEDUNG}, "ke": {"rkpd_id": rkpd_id, "kode_rekening": ke},
            "jumlah": jumlah, "alasan": "kebutuhan gedung kantor"}


def test_one_pemda_s_budget_from_its_enacted_plan_to_its_enacted_apbd_p(
        api, stack, accounts, tahun, enacted_events, perubahan_events):
    bappeda, tapd = client_for(stack, accounts("bappeda")), client_for(stack, accounts("tapd"))
    operator = client_for(stack, accounts("skpd_operator", kode_skpd=SKPD_PENDIDIKAN))
    province, other_province = (client_for(stack, accounts("provinsi_admin", kode)) for kode in ("32", "31"))
    ppkd = client_for(stack, accounts("ppkd"))
    standard_prices(api, tahun, (KOMPONEN_HONOR, "Honorarium tenaga kebersihan", "2500000", HONOR),
                    (KOMPONEN_GEDUNG, "Ruang kelas baru", "400000000", GEDUNG))

    # the enacted RKPD gives the KUA-PPAS; TAPD adjusts it, the DPRD agrees it
    item = plan(bappeda, tahun, pagu_indikatif="2000000000",
                sumber_dana=[{"kode_sumber_dana": "1.1", "pagu": "2000000000"}])
    wait_report(tapd, tahun, lambda r: Decimal(r["total_pagu_indikatif"]) == 2000 * M)  # the report sees the plan
    enact_rkpd(bappeda, tahun)
    assert money(wait_ppas(tapd, tahun), "total", "total_rkpd") == (2000, 2000)
    ok(tapd.post(ppas_url(tahun, "penyesuaian"), json={"tingkat": "sub_kegiatan", "kode_skpd": SKPD_PENDIDIKAN,
                                                       "kode": SD_BARU, "pagu": "1900000000",
                                                       "alasan": "kemampuan keuangan daerah"}))
    agreed = ok(tapd.post(ppas_url(tahun, "kesepakatan"), json={"nomor": "900/77/DPRD", "tanggal": "2026-08-10"}))
    assert agreed["status"] == "disepakati"
    assert wait_plafon(tapd, tahun, item["id"], lambda p: p["disepakati"])["pagu"] == "1900000000.00"

    # the RKA: an XLSX import (honorarium 2 × 12 × 2.5M, classrooms 2 × 400M), then one line more (4 × 2.5M)
    def imported():
        resp = operator.post(rka_url(tahun, "impor"), data={"kode_skpd": SKPD_PENDIDIKAN}, files={"file": (
            "rka.xlsx", rka_xlsx(
                (SD_BARU, "Honorarium", "Tenaga kebersihan", HONOR, KOMPONEN_HONOR, 2, "Orang", 12, "Bulan", 2500000,
                 0, "1.1"),
                (SD_BARU, "Gedung", "Ruang kelas baru", GEDUNG, KOMPONEN_GEDUNG, 2, "Unit", 1, "Paket", 400000000, 0,
                 "1.1")), "application/octet-stream")})
        if resp.status_code == 422 and any(e["field"].endswith("kode_standar_harga") for e in resp.json()["errors"]):
            return None  # keuangan's replica has not the prices yet; nothing applied
        return ok(resp)
    assert money(wait_until(imported, 30, message="the RKA import"), "total") == (860,)
    first_rka_line(operator, tahun, {
        "rkpd_id": item["id"], "kelompok": "Honorarium", "keterangan": "Narasumber", "kode_rekening": HONOR,
        "kode_standar_harga": KOMPONEN_HONOR, "koefisien": [{"volume": "4", "satuan": "OB"}],
        "harga_satuan": "2500000", "pajak": "0", "kode_sumber_dana": "1.1"})
    wait_report(tapd, tahun, lambda r: Decimal(r["total_anggaran"]) == 870 * M)  # the report sees the lines

    # revenue and financing: the APBD's identities, exact; its legal ratios
    ok(tapd.post(apbd_url(tahun, "pendapatan"), json={"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL,
                                                      "uraian": "Pajak hotel", "jumlah": "800000000.00"}), 201)
    ok(tapd.post(apbd_url(tahun, "pembiayaan"), json={"kode_skpd": BPKAD, "kode_rekening": SILPA, "uraian": "SiLPA",
                                                      "jumlah": "70000000.00"}), 201)
    summary = ok(tapd.get(apbd_url(tahun, "ringkasan")))
    assert money(summary, "pendapatan", "belanja", "surplus_defisit", "pembiayaan_netto", "silpa") == (
        800, 870, -70, 70, 0)
    rasio = {r["kode"]: r for r in ok(tapd.get(apbd_url(tahun, "rasio")))["rasio"]}
    assert (rasio["infrastruktur_pelayanan_publik"]["persen"], rasio["infrastruktur_pelayanan_publik"]["lulus"]) == (
        "91.95", True)  # 800 / 870
    assert (rasio["belanja_pegawai"]["persen"], rasio["fungsi_pendidikan"]["persen"]) == ("0.00", "100.00")

    # evaluated by its province (another province may not): tidak sesuai, then sesuai after the corrections; enacted
    ok(tapd.post(apbd_url(tahun, "pengajuan")))
    refused(other_province.post(apbd_url(tahun, "evaluasi"), json={"hasil": "sesuai"}), 403)
    found = ok(province.post(apbd_url(tahun, "evaluasi"), json={"hasil": "tidak_sesuai", "temuan": [
        {"uraian": "Honorarium narasumber tanpa dasar", "rekomendasi": "Lampirkan SK"}]}))
    assert (found["hasil_evaluasi"], found["terbuka"]) == ("tidak_sesuai", True)
    murni = enact_apbd(tapd, province, tahun)
    assert (murni["nomor_perda"], Decimal(murni["ringkasan"]["belanja"])) == (PENETAPAN["nomor_perda"], 870 * M)
    refused(line(tapd, tahun, item["id"], harga_satuan="1"), 409, "status")  # its lines are closed for good
    assert enacted_events(f"{KODE_PEMDA}:{tahun}")["hash"] == murni["hash"]

    # the DPA from the enacted APBD, its cash plan (the months add up), authorised
    [versi1] = twice(tapd, dpa_url(tahun))["dibuat"]  # the repeat: the first answer, not "sudah_ada"
    assert (versi1["kode_skpd"], Decimal(versi1["jumlah"])) == (SKPD_PENDIDIKAN, 870 * M)
    months = ["0", "0"] + ["200000000"] * 4 + ["0"] * 6
    ok(operator.put(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/kas"), json={"versi": 1, "baris": [
        {"kode_sub_kegiatan": SD_BARU, "kode_rekening": GEDUNG, "kas": months}]}))
    ok(tapd.post(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/pengesahan"), json={"versi": 1}))
    v1 = dpa_matches_the_budget(tapd, tahun, 1)

    # the enacted budget's stages never reopen (a change is the APBD-P's): scheduled now, rapbd locked
    now, jadwal = datetime.now(timezone.utc), f"/api/v1/pemda/{KODE_PEMDA}/jadwal-anggaran/{tahun}"
    twice(tapd, jadwal, {"tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1) + timedelta(minutes=i)).isoformat(),
         "waktu_selesai": (now + timedelta(days=1)).isoformat()}
        for i, k in enumerate(("ppas", "rka", "rapbd", "apbd_p"))]}, 201)  # the repeat: not "scheduled already"
    ok(tapd.post(f"{jadwal}/tahap/rapbd/kunci"))
    refused(tapd.post(f"{jadwal}/tahap/rapbd/buka-kembali", json={
        "alasan": "koreksi", "waktu_selesai": (now + timedelta(days=2)).isoformat()}), 409, "tahap")

    # a pergeseran within a rincian objek (the PPKD's), sent again with its key: shifted once; one between objek is
    # above its authority: nothing changed
    assert positions(tapd, tahun)[GEDUNG] == (800, 800, 0)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    accepted = twice(ppkd, apbd_url(tahun, "pergeseran"), shift(item["id"], KANTOR, "100000000.00"), 201, key)
    assert (accepted["kewenangan"], accepted["peran"]) == ("antar_sub_rincian_objek", "ppkd")
    refused(ppkd.post(apbd_url(tahun, "pergeseran"), json=shift(item["id"], KANTOR, "1.00"), headers=key), 422,
            "Idempotency-Key")  # the same key, another body: nothing shifted
    before = (positions(tapd, tahun), ok(tapd.get(apbd_url(tahun, "pergeseran"))))
    assert [p["id"] for p in before[1]["items"]] == [accepted["id"]]
    refused(ppkd.post(apbd_url(tahun, "pergeseran"), json=shift(item["id"], CANDI, "1.00")), 422, "ke.kode_rekening")
    assert (positions(tapd, tahun), ok(tapd.get(apbd_url(tahun, "pergeseran")))) == before
    assert before[0][GEDUNG] == (800, 700, -100) and before[0][KANTOR] == (0, 100, 100)
    # the shift's DPA: the budget as shifted, the version before as it was
    v2 = dpa_matches_the_budget(tapd, tahun, 2)
    assert (v2["status"], v2["sebab"], v2["jumlah"]) == ("draft", "pergeseran", v1["jumlah"])
    assert dpa_of(tapd, tahun, "/versi/1") == v1
    ok(tapd.post(dpa_url(tahun, f"/skpd/{SKPD_PENDIDIKAN}/pengesahan"), json={"versi": 2}))

    # the APBD-P opens with its KUA-PPAS perubahan: nothing changes before its nota kesepakatan
    opened = twice(tapd, apbd_url(tahun, "perubahan"))  # the repeat: the first answer, not "opened already"
    assert (opened["status"], opened["evaluator"]) == ("dibuka", "32")
    kua = ok(tapd.get(ppas_url(tahun, "perubahan")))
    assert (kua["status"], Decimal(kua["total_rkpd"])) == ("sementara", 2000 * M)  # what the plan says
    honor = {"rkpd_id": item["id"], "kode_rekening": HONOR, "jumlah": "100000000.00", "alasan": "tambahan tenaga"}
    refused(tapd.put(apbd_url(tahun, "perubahan/pos"), json=honor), 409, "status")
    ok(tapd.post(ppas_url(tahun, "perubahan/penyesuaian"), json={
        "tingkat": "sub_kegiatan", "kode_skpd": SKPD_PENDIDIKAN, "kode": SD_BARU, "pagu": "900000000",
        "alasan": "KUA perubahan"}))
    kua = ok(tapd.post(ppas_url(tahun, "perubahan/kesepakatan"), json={"nomor": "900/45/DPRD", "tanggal": "2027-08-20"}))
    assert (kua["status"], kua["nomor_kesepakatan"]) == ("disepakati", "900/45/DPRD")
    assert ok(tapd.get(ppas_url(tahun)))["nomor_kesepakatan"] == "900/77/DPRD"  # the murni KUA-PPAS as agreed

    # its changes within the agreed ceilings (900: the sub kegiatan's 870 + 30); above them refused, nothing changed
    assert money(ok(tapd.put(apbd_url(tahun, "perubahan/pos"), json=honor)), "murni", "perubahan") == (70, 100)
    refused(tapd.put(apbd_url(tahun, "perubahan/pos"), json={**honor, "kode_rekening": KANTOR,
                                                             "jumlah": "100000000.01"}), 422, "jumlah")
    ok(tapd.put(apbd_url(tahun, "perubahan/pos"), json={"kode_skpd": BAPENDA, "kode_rekening": PAJAK_HOTEL,
                                                        "jumlah": "830000000.00", "alasan": "realisasi semester I"}))
    refused(line(tapd, tahun, item["id"], harga_satuan="1"), 409, "status")  # a change is the APBD-P's

    # evaluated by the province as the APBD is, then enacted
    refused(tapd.post(apbd_url(tahun, "perubahan/penetapan"), json=PERUBAHAN), 409, "status")
    assert ok(tapd.post(apbd_url(tahun, "perubahan/pengajuan")))["status"] == "diajukan"
    refused(tapd.put(apbd_url(tahun, "perubahan/pos"), json=honor), 409, "status")  # with its evaluator
    refused(other_province.post(apbd_url(tahun, "perubahan/evaluasi"), json={"hasil": "sesuai"}), 403)
    evaluated = ok(province.post(apbd_url(tahun, "perubahan/evaluasi"), json={"hasil": "sesuai"}))
    assert (evaluated["status"], evaluated["evaluasi"][0]["evaluator"]) == ("dievaluasi", "32")
    done = ok(tapd.post(apbd_url(tahun, "perubahan/penetapan"), json=PERUBAHAN))
    assert (done["status"], done["penetapan"]["nomor_perda"]) == ("ditetapkan", PERUBAHAN["nomor_perda"])
    assert ringkasan_p(tapd, tahun, "belanja") == (870, 900, 30)
    assert ringkasan_p(tapd, tahun, "pendapatan") == (800, 830, 30) and ringkasan_p(tapd, tahun, "silpa")[1] == 0
    refused(tapd.put(apbd_url(tahun, "perubahan/pos"), json=honor), 409, "status")
    # murni kept: the enacted APBD as it was, each position's murni beside its perubahan
    assert ok(tapd.get(apbd_url(tahun, "penetapan"))) == murni
    assert positions(tapd, tahun)[GEDUNG] == (800, 700, -100)
    versions = {v["versi"]: (v["status"], v["sebab"]) for v in ok(tapd.get(dpa_url(
        tahun, f"/skpd/{SKPD_PENDIDIKAN}/versi")))["items"]}
    assert (versions[2], versions[3]) == (("disahkan", "pergeseran"), ("draft", "apbd_perubahan"))  # the DPA told
    dpa_matches_the_budget(tapd, tahun, 3)
    payload = perubahan_events(f"{KODE_PEMDA}:{tahun}")
    assert (payload["belanja_murni"], payload["belanja"], payload["hash"]) == (
        "870000000.00", "900000000.00", done["penetapan"]["hash"])

    # its Lampiran I: murni, perubahan, bertambah / (berkurang) and %
    book = load_workbook(io.BytesIO(tapd.get(apbd_url(tahun, "perubahan/dokumen/lampiran-i/xlsx")).content))
    rows = {r[1]: tuple(None if x is None else Decimal(str(x)) for x in r[2:]) for r in book.active.values
            if r[2:] and isinstance(r[2], (int, float))}  # the rows with amounts
    assert rows["JUMLAH BELANJA"] == (870 * M, 900 * M, 30 * M, Decimal("3.45"))  # 30 / 870
    pdf = tapd.get(apbd_url(tahun, "perubahan/dokumen/lampiran-i/pdf"))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"

    # the reports see each step: the Perda register both budgets' Perda and Perkada, the LRA the budget after it
    wanted = [("apbd", "perda", PENETAPAN["nomor_perda"], "ditetapkan"),
              ("apbd", "perkada", PENETAPAN["nomor_perkada"], "ditetapkan"),
              ("perubahan_apbd", "perda", PERUBAHAN["nomor_perda"], "ditetapkan"),
              ("perubahan_apbd", "perkada", PERUBAHAN["nomor_perkada"], "ditetapkan")]
    wait_until(lambda: perda(tapd, tahun) == wanted, 30, message="both budgets' Perda in the register")
    lra = ok(tapd.get(f"/api/v1/pemda/{KODE_PEMDA}/lra/{tahun}", params={"tingkat": 1}))
    assert money(lra["belanja"]["jumlah"], "anggaran") == (900,) and money(lra["silpa"], "anggaran") == (0,)
    for client in (bappeda, tapd, operator, province, other_province, ppkd):
        client.close()
