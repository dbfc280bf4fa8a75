"""The printed RKPD / Renja: its rows per SKPD, program, kegiatan and sub kegiatan with exact subtotals, and
the files it makes."""
from __future__ import annotations

import io
import zlib
from decimal import Decimal

from openpyxl import load_workbook

from services.perencanaan.dokumen import domain, render

DISDIK, DINKES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"


def item(skpd, kode, pagu, n1=None, **over):
    return {"kode_skpd": skpd, "kode_sub_kegiatan": kode, "nama_sub_kegiatan": f"Sub {kode}", "pagu_indikatif": pagu,
            "pagu_indikatif_n1": n1, "indikator": "Jumlah", "target": "2.00", "satuan": "Unit",
            "lokasi": ["32.73.01", "32.73.02"], "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": pagu}], **over}


ITEMS = [item(DINKES, "1.02.02.2.01.0001", "5.00"),
         item(DISDIK, "1.01.02.2.01.0002", "0.10", "1.00"),
         item(DISDIK, "1.01.02.2.01.0001", Decimal("0.20"), "2.00"),
         item(DISDIK, "1.01.03.2.01.0001", "7.00", dihapus=True)]  # gone in a perubahan: not printed
NAMES = {"nomenklatur": {"1.01.02": "PROGRAM PENGELOLAAN PENDIDIKAN"}, "skpd": {DISDIK: "Dinas Pendidikan"},
         "pemda": {"32.73": "Kota Bandung"}}


def test_rows_per_skpd_program_kegiatan_and_sub_kegiatan_with_exact_subtotals():
    doc = domain.susun(ITEMS, NAMES, kode_pemda="32.73", tahun=2027, tahap="penetapan")
    assert [(b.level, b.kode) for b in doc.baris] == [
        ("skpd", DISDIK), ("program", "1.01.02"), ("kegiatan", "1.01.02.2.01"),
        ("sub_kegiatan", "1.01.02.2.01.0001"), ("sub_kegiatan", "1.01.02.2.01.0002"),
        ("skpd", DINKES), ("program", "1.02.02"), ("kegiatan", "1.02.02.2.01"), ("sub_kegiatan", "1.02.02.2.01.0001"),
        ("total", "")]
    assert (doc.baris[0].uraian, doc.baris[0].pagu, doc.baris[0].pagu_n1) == ("Dinas Pendidikan", Decimal("0.30"),
                                                                             Decimal("3.00"))
    assert doc.baris[1].uraian == "PROGRAM PENGELOLAAN PENDIDIKAN"
    assert doc.baris[5].uraian == DINKES  # no name in the replica: its code
    assert doc.baris[3].lokasi == "32.73.01, 32.73.02" and doc.baris[3].sumber_dana == "1.1"
    assert (doc.baris[-1].pagu, doc.baris[-1].pagu_n1) == (Decimal("5.30"), Decimal("3.00"))
    assert doc.judul.startswith("RENCANA KERJA PEMERINTAH DAERAH") and doc.pemda == "Kota Bandung"


def test_a_renja_is_one_skpd_s_part():
    doc = domain.susun(ITEMS, NAMES, kode_pemda="32.73", tahun=2027, tahap="draft", kode_skpd=DISDIK)
    assert {b.kode for b in doc.baris if b.level == "skpd"} == {DISDIK}
    assert doc.baris[-1].pagu == Decimal("0.30") and "Dinas Pendidikan" in doc.judul


def test_rupiah_is_printed_in_full_with_sen():
    assert domain.rupiah(Decimal("1234567.5")) == "1.234.567,50"
    assert domain.rupiah(Decimal("999")) == "999,00"
    assert domain.rupiah(Decimal("999999999999999.99")) == "999.999.999.999.999,99"


def test_the_xlsx_holds_the_rows_and_the_exact_amounts():
    doc = domain.susun(ITEMS, NAMES, kode_pemda="32.73", tahun=2027, tahap="penetapan")
    ws = load_workbook(io.BytesIO(render.xlsx(doc))).active
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert rows[0][:2] == (DISDIK, "Dinas Pendidikan") and rows[-1][1] == "JUMLAH"
    assert Decimal(str(rows[-1][6])) == Decimal("5.30") and ws.cell(row=5, column=7).number_format == "#,##0.00"
    assert ws["A4"].value == "Kode" and "RKPD" in ws["A1"].value


def test_the_pdf_is_a_pdf_and_survives_text_outside_latin_1():
    doc = domain.susun([item(DISDIK, "1.01.02.2.01.0001", "1.00", nama_sub_kegiatan="Sekolah – “baru” ✓")], NAMES,
                       kode_pemda="32.73", tahun=2027, tahap="penetapan")
    data = render.pdf(doc)
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_a_long_pdf_breaks_into_pages_each_with_the_headings():
    many = [item(DISDIK, f"1.01.02.2.01.{n:04d}", "1.00") for n in range(1, 200)]
    data = render.pdf(domain.susun(many, NAMES, kode_pemda="32.73", tahun=2027, tahap="draft"))
    pages = int(data.split(b"/Count ")[1].split(b"\n")[0])
    assert pages > 3


# a perubahan: each item beside its enacted (murni) figure, a removed one at 0 (``jadwal.domain.dengan_murni``)
PERUBAHAN = [item(DISDIK, "1.01.02.2.01.0001", "80.00", "9.00", pagu_indikatif_murni="100.00"),
             item(DISDIK, "1.01.02.2.01.0002", "30.50", pagu_indikatif_murni=Decimal(0)),      # new in it
             item(DISDIK, "1.01.03.2.01.0001", "0", "7.00", pagu_indikatif_murni="7.00", dihapus=True),
             item(DINKES, "1.02.02.2.01.0001", "5.00", pagu_indikatif_murni="5.00")]


def test_a_perubahan_prints_pagu_murni_beside_the_revised_pagu_and_the_difference_at_every_level():
    doc = domain.susun(PERUBAHAN, NAMES, kode_pemda="32.73", tahun=2027, tahap="perubahan")
    assert doc.perubahan and doc.judul.startswith("PERUBAHAN RENCANA KERJA PEMERINTAH DAERAH")
    rows = {(b.level, b.kode): b for b in doc.baris}
    disdik = rows[("skpd", DISDIK)]
    assert (disdik.pagu_murni, disdik.pagu, disdik.selisih) == (Decimal("107.00"), Decimal("110.50"), Decimal("3.50"))
    assert (rows[("program", "1.01.02")].pagu_murni, rows[("program", "1.01.02")].selisih) == (Decimal(100),
                                                                                           Decimal("10.50"))
    removed = rows[("sub_kegiatan", "1.01.03.2.01.0001")]  # printed, at 0, so that the columns add up
    assert (removed.pagu_murni, removed.pagu, removed.selisih, removed.pagu_n1) == (Decimal("7.00"), 0, Decimal(-7), 0)
    assert "dihapus" in removed.uraian
    assert rows[("sub_kegiatan", "1.01.02.2.01.0002")].selisih == Decimal("30.50")
    total = doc.baris[-1]
    assert (total.pagu_murni, total.pagu, total.selisih) == (Decimal("112.00"), Decimal("115.50"), Decimal("3.50"))
    # a document that is no perubahan has no murni
    assert all(b.pagu_murni is None for b in domain.susun(ITEMS, NAMES, kode_pemda="32.73", tahun=2027,
                                                           tahap="penetapan").baris)


def test_the_perubahan_xlsx_and_pdf_have_the_murni_and_difference_columns():
    doc = domain.susun(PERUBAHAN, NAMES, kode_pemda="32.73", tahun=2027, tahap="perubahan", kode_skpd=DISDIK)
    ws = load_workbook(io.BytesIO(render.xlsx(doc))).active
    headers = [c.value for c in ws[4]]
    assert headers[6:10] == ["Pagu N Murni", "Pagu N Perubahan", "Bertambah/(Kurang)", "Pagu Indikatif N+1"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert rows[-1][1] == "JUMLAH"
    assert [Decimal(str(v)) for v in rows[-1][6:10]] == [Decimal("107.00"), Decimal("110.50"), Decimal("3.50"),
                                                         Decimal("9.00")]
    removed = next(r for r in rows if r[0] == "1.01.03.2.01.0001")
    assert [Decimal(str(v)) for v in removed[6:9]] == [Decimal(7), 0, Decimal(-7)]
    assert ws.cell(row=5, column=9).number_format == "#,##0.00"
    # the PDF: the murni figure and the difference as printed text (in its compressed page streams)
    data = render.pdf(doc)
    assert data.startswith(b"%PDF")
    text = b"".join(zlib.decompress(part.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0])
                    for part in data.split(b"endobj") if b"/FlateDecode" in part and b"stream\n" in part)
    for printed in (b"107,00", b"110,50", b"3,50", b"-7,00", b"Pagu N Murni", b"Bertambah/"):
        assert printed in text, printed
