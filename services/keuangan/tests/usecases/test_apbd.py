"""The APBD on an in-memory unit of work: revenue and financing lines (who, which account, which SKPD), the
summary's identities and ratios from the lines, evaluation by the level above only, enactment (snapshot kept,
event published, writes closed), and nothing changed by a refusal."""
from __future__ import annotations

import base64
import uuid
from decimal import Decimal

import pytest

from contracts.keuangan import ApbdDitetapkan
from services.keuangan.apbd import usecases as apbd
from services.keuangan.pendapatan import usecases as pendapatan
from services.keuangan.plafon.usecases import apply_rkpd_saved
from services.keuangan.replika.domain import terbaru
from services.keuangan.rincian import usecases as rincian
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .fakes import CHART, PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN, FakeKeuanganUnitOfWork, apply, rekening_item, saved, with_chart

TAPD = Scope("u1", "tapd.bandung", Role.TAPD, PEMDA)
PROVINSI = Scope("u2", "admin.jabar", Role.PROVINSI_ADMIN, "32")
PROVINSI_LAIN = Scope("u3", "admin.dki", Role.PROVINSI_ADMIN, "31")
TAPD_PROVINSI = Scope("u4", "tapd.jabar", Role.TAPD, "32")
PUSAT = Scope("u5", "pusat", Role.PUSAT_ADMIN)
DIKBUD, BAPENDA, BPKAD = "1.01.0.00.0.00.01.0000", "5.02.0.00.0.00.02.0000", "5.02.0.00.0.00.01.0000"
OPERATOR = Scope("u6", "op.dikbud", Role.SKPD_OPERATOR, PEMDA, DIKBUD)
PAJAK_HOTEL, DANA_UMUM, SILPA, PENYERTAAN = "4.1.01.06.01.0001", "4.2.01.01.01.0001", "6.1.01.01.01.0001", "6.2.02.01.01.0001"
# belanja pegawai not flagged (tanda_rekening): an ASN salary (5.1.01.01) sits only under its own sub kegiatan
PEGAWAI = "5.1.01.02.01.0001"
PENETAPAN = {"nomor_perda": "Perda Kota Bandung No. 12 Tahun 2026", "tanggal_perda": "2026-12-20",
             "nomor_perkada": "Perwal Bandung No. 88 Tahun 2026", "tanggal_perkada": "2026-12-21"}


def skpd_row(kode: str, nama: str, bidang: str) -> dict:
    return {"kode_pemda": PEMDA, "kode": kode, "nama": nama, "bidang_urusan": [bidang], "valid_from": "v-1",
            "valid_until": None, "revisi": 1, "kode_pengganti": [], "berlaku": True}


def budget() -> tuple[FakeKeuanganUnitOfWork, str]:
    """The chart of accounts (with revenue and financing leaves), the pemda's SKPD, one ceiling."""
    uow = with_chart(FakeKeuanganUnitOfWork(TAPD), *CHART, *(
        rekening_item(k, n, akun=akun, revisi=20 + i) for i, (k, n, akun) in enumerate([
            (PAJAK_HOTEL, "Pajak Hotel Bintang Lima", "pendapatan"), ("4", "PENDAPATAN DAERAH", "pendapatan"),
            (DANA_UMUM, "DAU", "pendapatan"), (SILPA, "Pelampauan Penerimaan Pajak Daerah", "pembiayaan"),
            (PENYERTAAN, "Penyertaan Modal", "pembiayaan"),
            (PEGAWAI, "Tambahan Penghasilan berdasarkan Beban Kerja PNS", "belanja")])))
    uow.replika.isi("skpd", [skpd_row(DIKBUD, "Dinas Pendidikan", "1.01"),
                             skpd_row(BAPENDA, "Badan Pendapatan Daerah", "5.02"),
                             skpd_row(BPKAD, "Badan Keuangan dan Aset Daerah", "5.02")], urutan=1)
    uow.commit()
    rkpd_id = str(uuid.uuid4())
    apply(uow, apply_rkpd_saved, saved(rkpd_id, "10000000.00"))
    return uow, rkpd_id


def target(kode_rekening=PAJAK_HOTEL, jumlah="1000000.00", kode_skpd=BAPENDA) -> dict:
    return {"kode_skpd": kode_skpd, "kode_rekening": kode_rekening, "uraian": "target", "jumlah": jumlah}


def line(rkpd_id: str, harga: str, kode_rekening: str = REKENING_GEDUNG_SEKOLAH) -> dict:
    return dict(rkpd_id=rkpd_id, kode_rekening=kode_rekening, uraian="x", volume="1", satuan="Paket",
                harga_satuan=harga)


def state(uow) -> tuple:
    return (dict(uow.pendapatan.lines), dict(uow.rincian.lines), dict(uow.apbd.rows), dict(uow.apbd.enacted),
            len(uow.events), len(uow.audited))


def refused(uow, call, error, *args):
    before = state(uow)
    with pytest.raises(error) as raised:
        call(uow, *args)
    assert state(uow) == before
    return raised.value


def filled() -> tuple[FakeKeuanganUnitOfWork, str]:
    """Revenue 950,000 + financing 100,000 − 40,000; spending 600,000 (pegawai) + 400,000 (gedung sekolah)."""
    uow, rkpd_id = budget()
    pendapatan.create_pendapatan(uow, TAPD, PEMDA, TAHUN, target(jumlah="700000.00"))
    pendapatan.create_pendapatan(uow, TAPD, PEMDA, TAHUN, target(DANA_UMUM, "250000.00", BPKAD))
    pendapatan.create_pembiayaan(uow, TAPD, PEMDA, TAHUN, target(SILPA, "100000.00", BPKAD))
    pendapatan.create_pembiayaan(uow, TAPD, PEMDA, TAHUN, target(PENYERTAAN, "40000.00", BPKAD))
    rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, "600000.00", PEGAWAI))
    rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, "400000.00"))
    return uow, rkpd_id


# -- revenue and financing lines --------------------------------------------------------------------------------

def test_a_revenue_target_is_stored_audited_and_listed():
    uow, _ = budget()
    out = pendapatan.create_pendapatan(uow, TAPD, PEMDA, TAHUN, target())
    assert (out.jenis, out.nama_rekening, out.jumlah) == ("pendapatan", "Pajak Hotel Bintang Lima", Decimal("1000000.00"))
    assert uow.audited[-1]["record_id"] == out.id
    assert pendapatan.list_pendapatan(uow, TAPD, PEMDA, TAHUN)["total"] == 1
    assert pendapatan.list_pembiayaan(uow, TAPD, PEMDA, TAHUN)["total"] == 0


def test_a_repeated_create_with_its_key_happens_once():
    uow, _ = budget()
    first = pendapatan.create_pendapatan(uow, TAPD, PEMDA, TAHUN, target(), idempotency_key="k1")
    again = pendapatan.create_pendapatan(uow, TAPD, PEMDA, TAHUN, target(), idempotency_key="k1")
    assert first == again and len(uow.pendapatan.lines) == 1


@pytest.mark.parametrize("call, data, field", [
    (pendapatan.create_pendapatan, target(SILPA, kode_skpd=BPKAD), "kode_rekening"),
    (pendapatan.create_pembiayaan, target(PAJAK_HOTEL), "kode_rekening"),
    (pendapatan.create_pendapatan, target(DANA_UMUM, kode_skpd=DIKBUD), "kode_skpd"),
    (pendapatan.create_pembiayaan, target(SILPA, kode_skpd=DIKBUD), "kode_skpd"),
    (pendapatan.create_pendapatan, target(kode_skpd="9.99.0.00.0.00.01.0000"), "kode_skpd"),
    (pendapatan.create_pendapatan, target(jumlah="12.345"), "jumlah"),
    (pendapatan.create_pendapatan, {**target(), "extra": 1}, "extra"),
])
def test_a_bad_line_is_refused_naming_the_field_and_changes_nothing(call, data, field):
    uow, _ = budget()
    error = refused(uow, call, Invalid, TAPD, PEMDA, TAHUN, data)
    assert field in [e["field"] for e in error.errors]


def test_an_skpd_operator_adds_its_own_skpd_s_revenue_only_and_no_financing():
    uow, _ = budget()
    pendapatan.create_pendapatan(uow, OPERATOR, PEMDA, TAHUN, target(kode_skpd=DIKBUD))
    refused(uow, pendapatan.create_pendapatan, Forbidden, OPERATOR, PEMDA, TAHUN, target(kode_skpd=BAPENDA))
    refused(uow, pendapatan.create_pembiayaan, Forbidden, OPERATOR, PEMDA, TAHUN, target(SILPA, kode_skpd=BPKAD))
    refused(uow, pendapatan.create_pendapatan, Forbidden, TAPD_PROVINSI, PEMDA, TAHUN, target())
    assert pendapatan.list_pendapatan(uow, OPERATOR, PEMDA, TAHUN)["total"] == 1


# -- the summary and the ratios --------------------------------------------------------------------------------

def test_the_summary_s_identities_are_exact_from_the_lines():
    uow, _ = filled()
    r = apbd.ringkasan(uow, TAPD, PEMDA, TAHUN, tingkat=1)
    assert (r.pendapatan, r.belanja, r.surplus_defisit) == (Decimal("950000.00"), Decimal("1000000.00"),
                                                            Decimal("-50000.00"))
    assert (r.penerimaan_pembiayaan, r.pengeluaran_pembiayaan, r.pembiayaan_netto, r.silpa) == (
        Decimal(100000), Decimal(40000), Decimal(60000), Decimal(10000))
    assert r.belanja_kelompok.operasi == 600000 and r.belanja_kelompok.modal == 400000
    assert [(a.kode, a.nama) for a in r.akun] == [("4", "PENDAPATAN DAERAH"), ("5", None), ("6", None)]
    skpd = apbd.ringkasan_menurut(uow, OPERATOR, PEMDA, TAHUN, "skpd")  # pemda-wide: every role reads it
    assert {b.kode: b.nama for b in skpd.baris}[BAPENDA] == "Badan Pendapatan Daerah"


def test_the_ratios_from_the_lines():
    uow, _ = filled()
    rasio = {r.kode: r for r in apbd.rasio(uow, TAPD, PEMDA, TAHUN).rasio}
    assert list(rasio) == ["belanja_pegawai", "infrastruktur_pelayanan_publik", "fungsi_pendidikan", "kesehatan"]
    p = rasio["belanja_pegawai"]
    assert (p.pembilang, p.penyebut, p.persen, p.lulus, p.wajib) == (Decimal(600000), Decimal(1000000),
                                                                      Decimal("60.00"), False, False)
    assert rasio["fungsi_pendidikan"].lulus is True and rasio["kesehatan"].lulus is None


def test_the_ratios_count_by_the_account_flags():
    """Teacher allowances funded by TKD (flag ``tunjangan_guru_tkd``) are not belanja pegawai; the flagged capital
    accounts are infrastructure (``tanda_rekening``, as the migration seeds it)."""
    uow, rkpd_id = filled()
    tpg = "5.1.01.03.03.0001"
    uow.replika.simpan("rekening", terbaru("rekening", [rekening_item(tpg, "Belanja TPG PNSD", revisi=50)]))
    uow.commit()
    rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, "200000.00", tpg))
    rasio = {r.kode: r for r in apbd.rasio(uow, TAPD, PEMDA, TAHUN).rasio}
    p, infra = rasio["belanja_pegawai"], rasio["infrastruktur_pelayanan_publik"]
    assert (p.pembilang, p.penyebut, p.persen) == (Decimal(600000), Decimal(1200000), Decimal("50.00"))
    assert (infra.pembilang, infra.penyebut) == (Decimal(400000), Decimal(1200000))


def test_bad_summary_parameters_are_refused_naming_them():
    uow, _ = budget()
    assert refused(uow, apbd.ringkasan, Invalid, TAPD, PEMDA, TAHUN, 7).errors[0]["field"] == "tingkat"
    assert refused(uow, apbd.rasio, Invalid, TAPD, PEMDA, TAHUN, "x").errors[0]["field"] == "sumber"
    assert refused(uow, apbd.ringkasan_menurut, Invalid, TAPD, PEMDA, TAHUN, "x").errors[0]["field"] == "menurut"
    refused(uow, apbd.rasio, NotFound, TAPD, PEMDA, TAHUN, "ditetapkan")
    refused(uow, apbd.rasio, Forbidden, PROVINSI_LAIN, PEMDA, TAHUN)


# -- evaluation and enactment ---------------------------------------------------------------------------------

def test_only_the_province_of_a_regency_evaluates_it():
    uow, _ = filled()
    assert apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN).evaluator == "32"
    hasil = {"hasil": "sesuai"}
    for outsider in (PROVINSI_LAIN, TAPD, TAPD_PROVINSI, OPERATOR):
        refused(uow, apbd.evaluasi_apbd, Forbidden, outsider, PEMDA, TAHUN, hasil)
    assert apbd.evaluasi_apbd(uow, PROVINSI, PEMDA, TAHUN, hasil).hasil_evaluasi == "sesuai"


def test_a_province_is_evaluated_by_the_pusat_not_by_itself():
    uow = FakeKeuanganUnitOfWork(TAPD)
    apbd.ajukan_apbd(uow, Scope("u7", "tapd.jabar", Role.TAPD, "32"), "32", TAHUN)
    refused(uow, apbd.evaluasi_apbd, Forbidden, PROVINSI, "32", TAHUN, {"hasil": "sesuai"})
    assert apbd.evaluasi_apbd(uow, PUSAT, "32", TAHUN, {"hasil": "sesuai"}).evaluator == "pusat"


def test_tidak_sesuai_needs_findings_and_reopens_the_draft_for_corrections():
    uow, rkpd_id = filled()
    apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN)
    assert refused(uow, rincian.create_rincian, Conflict, TAPD, PEMDA, TAHUN, line(rkpd_id, "1")).errors[0][
        "field"] == "status"
    assert refused(uow, apbd.evaluasi_apbd, Invalid, PROVINSI, PEMDA, TAHUN,
                   {"hasil": "tidak_sesuai"}).errors[0]["field"] == "temuan"
    out = apbd.evaluasi_apbd(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "tidak_sesuai", "temuan": [
        {"uraian": "Belanja pegawai 60%", "rekomendasi": "Turunkan"}]})
    assert (out.status, out.terbuka, out.evaluasi[0].oleh, out.evaluasi[0].temuan[0].uraian) == (
        "dievaluasi", True, "admin.jabar", "Belanja pegawai 60%")
    refused(uow, apbd.tetapkan_apbd, Conflict, TAPD, PEMDA, TAHUN, PENETAPAN)
    rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, "1000.00"))  # the correction
    apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN)
    assert apbd.evaluasi_apbd(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"}).terbuka is False


def enacted() -> tuple[FakeKeuanganUnitOfWork, str]:
    uow, rkpd_id = filled()
    apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN)
    apbd.evaluasi_apbd(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"})
    apbd.tetapkan_apbd(uow, TAPD, PEMDA, TAHUN, PENETAPAN)
    return uow, rkpd_id


def test_enactment_keeps_the_budget_as_enacted_and_publishes_it():
    uow, _ = enacted()
    event = uow.events[-1]
    assert isinstance(event, ApbdDitetapkan)
    assert (event.aggregate_id, event.nomor_perda, event.pendapatan, event.silpa) == (
        f"{PEMDA}:{TAHUN}", PENETAPAN["nomor_perda"], Decimal("950000.00"), Decimal(10000))
    kept = apbd.get_penetapan(uow, OPERATOR, PEMDA, TAHUN)
    assert kept.hash == event.hash and kept.ringkasan.sumber == "ditetapkan"
    assert kept.ringkasan.belanja == Decimal(1000000) and len(kept.rasio.rasio) == 4
    assert apbd.get_apbd(uow, TAPD, PEMDA, TAHUN).penetapan.nomor_perkada == PENETAPAN["nomor_perkada"]
    assert apbd.rasio(uow, TAPD, PEMDA, TAHUN, "ditetapkan") == kept.rasio
    assert [a.tingkat for a in apbd.ringkasan(uow, TAPD, PEMDA, TAHUN, 2, "ditetapkan").akun] == [1, 2, 2, 1, 2, 2, 1, 2, 2]


def test_after_enactment_every_write_is_refused_naming_the_status():
    uow, rkpd_id = enacted()
    for call, data in ((rincian.create_rincian, line(rkpd_id, "1")), (pendapatan.create_pendapatan, target()),
                       (pendapatan.create_pembiayaan, target(SILPA, kode_skpd=BPKAD))):
        error = refused(uow, call, Conflict, TAPD, PEMDA, TAHUN, data)
        assert error.errors[0]["field"] == "status" and "APBD-P" in error.errors[0]["message"]
    for call, args in ((apbd.tetapkan_apbd, (PENETAPAN,)), (apbd.ajukan_apbd, ())):
        refused(uow, call, Conflict, TAPD, PEMDA, TAHUN, *args)
    # another year of the same pemda is its own budget
    pendapatan.create_pendapatan(uow, TAPD, PEMDA, TAHUN + 1, target())


def test_lampiran_i_is_printed_as_xlsx_and_pdf():
    uow, _ = filled()
    xlsx = apbd.dokumen_lampiran(uow, TAPD, PEMDA, TAHUN, "xlsx")
    assert xlsx["filename"] == f"apbd-{PEMDA}-{TAHUN}-lampiran-i.xlsx"
    assert base64.b64decode(xlsx["content"])[:2] == b"PK"
    assert base64.b64decode(apbd.dokumen_lampiran(uow, TAPD, PEMDA, TAHUN, "pdf")["content"])[:5] == b"%PDF-"
    assert refused(uow, apbd.dokumen_lampiran, Invalid, TAPD, PEMDA, TAHUN, "doc").errors[0]["field"] == "format"


def test_only_the_enacted_apbd_is_published_to_everyone():
    uow, _ = filled()
    refused(uow, apbd.get_apbd_terbit, NotFound, PEMDA, TAHUN)  # a draft
    apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN)
    apbd.evaluasi_apbd(uow, PROVINSI, PEMDA, TAHUN, {"hasil": "sesuai"})
    refused(uow, apbd.get_apbd_terbit, NotFound, PEMDA, TAHUN)  # evaluated, not yet enacted
    apbd.tetapkan_apbd(uow, TAPD, PEMDA, TAHUN, PENETAPAN)
    published = apbd.get_apbd_terbit(uow, PEMDA, TAHUN)
    assert published == apbd.get_penetapan(uow, OPERATOR, PEMDA, TAHUN)


def test_the_rka_import_is_refused_once_the_budget_is_enacted():
    import base64 as b64
    from services.keuangan.rka import usecases as rka

    uow, _ = enacted()
    content = b64.b64encode(b"kode_sub_kegiatan,kelompok\n").decode()
    error = refused(uow, rka.import_rka, Conflict, TAPD, PEMDA, TAHUN, DIKBUD, content, "rka.csv")
    assert error.errors[0]["field"] == "status"


def test_a_single_line_is_neither_changed_nor_deleted_once_the_budget_is_closed():
    from services.keuangan.tests.usecases.fakes import rka_line, with_rka
    uow, rkpd_id = budget()
    with_rka(uow)
    out = rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, "1000.00"))
    apbd.ajukan_apbd(uow, TAPD, PEMDA, TAHUN)
    for call, args in ((rincian.update_rka_rincian, (out.id, rka_line(rkpd_id))), (rincian.delete_rincian, (out.id,))):
        error = refused(uow, call, Conflict, TAPD, PEMDA, TAHUN, *args)
        assert error.errors[0]["field"] == "status"


def test_the_summaries_by_urusan_and_program_name_them_from_the_replica():
    uow, _ = filled()
    uow.replika.isi("nomenklatur", [
        {"kode": k, "varian": "umum", "nama": n, "kode_bidang_urusan": ".".join(k.split(".")[:2]), "tingkat": t,
         "valid_from": "v-1",
         "valid_until": None, "revisi": i, "kode_pengganti": [], "berlaku": True}
        for i, (k, n, t) in enumerate([("1", "URUSAN WAJIB PELAYANAN DASAR", "urusan"),
                                       ("1.01", "PENDIDIKAN", "bidang_urusan"),
                                       ("1.01.02", "PROGRAM PENGELOLAAN PENDIDIKAN", "program")], 1)], urutan=1)
    uow.commit()
    by_urusan = {b.kode: b.nama for b in apbd.ringkasan_menurut(uow, TAPD, PEMDA, TAHUN, "urusan").baris}
    assert by_urusan["1"] == "URUSAN WAJIB PELAYANAN DASAR" and by_urusan["1.01"] == "PENDIDIKAN"
    by_program = apbd.ringkasan_menurut(uow, TAPD, PEMDA, TAHUN, "program").baris
    assert [(b.kode, b.nama) for b in by_program] == [("1.01.02", "PROGRAM PENGELOLAAN PENDIDIKAN")]
