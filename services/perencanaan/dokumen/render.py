"""The printed RKPD / Renja as files: XLSX (openpyxl) and PDF (fpdf2), from ``domain.Dokumen``.

In the XLSX amounts are numbers (exact to the sen: a cell holds the Decimal's value, formatted
``#,##0.00``); in the PDF they are text as ``domain.rupiah`` prints them. The PDF uses the standard
Helvetica font, which holds Latin-1: a character outside it is printed as ``?``. A perubahan's document
(``Dokumen.perubahan``) has the pagu murni, the revised pagu and their difference where the others have pagu N."""
from __future__ import annotations

import io

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .domain import Baris, Dokumen, rupiah

HEADERS = ["Kode", "Urusan / Program / Kegiatan / Sub Kegiatan", "Indikator Kinerja", "Target", "Satuan",
           "Lokasi", "Pagu Indikatif N", "Pagu Indikatif N+1", "Sumber Dana"]
WIDTHS_XLSX = [24, 50, 40, 10, 12, 24, 20, 20, 14]
# a perubahan's: the enacted (murni) pagu N, the revised one and their difference, then N+1
HEADERS_PERUBAHAN = ["Kode", "Urusan / Program / Kegiatan / Sub Kegiatan", "Indikator Kinerja", "Target", "Satuan",
                     "Lokasi", "Pagu N Murni", "Pagu N Perubahan", "Bertambah/(Kurang)", "Pagu Indikatif N+1",
                     "Sumber Dana"]
WIDTHS_XLSX_PERUBAHAN = [24, 50, 40, 10, 12, 24, 20, 20, 20, 20, 14]
BOLD_LEVELS = {"skpd", "program", "kegiatan", "total"}
FILL = {"skpd": "D9E1F2", "program": "E2EFDA", "kegiatan": "FFF2CC", "total": "D9D9D9"}


def _headers(doc: Dokumen) -> list[str]:
    return HEADERS_PERUBAHAN if doc.perubahan else HEADERS


def _amounts(doc: Dokumen, b: Baris) -> list:
    """The amount columns of a row, as Decimals: N and N+1, or of a perubahan murni, perubahan, ± and N+1."""
    if doc.perubahan:
        return [b.pagu_murni, b.pagu, b.selisih, b.pagu_n1]
    return [b.pagu, b.pagu_n1]


def _values(doc: Dokumen, b: Baris) -> list:
    return [b.kode, b.uraian, b.indikator, b.target, b.satuan, b.lokasi, *_amounts(doc, b), b.sumber_dana]


def xlsx(doc: Dokumen) -> bytes:
    headers = _headers(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = f"RKPD {doc.tahun}"[:31]
    ws.append([doc.judul])
    ws.append([f"{doc.pemda} — Tahun {doc.tahun} — {doc.tahap}"])
    ws.append([])
    ws.append(headers)
    thin = Side(style="thin")
    for col, width in enumerate(WIDTHS_XLSX_PERUBAHAN if doc.perubahan else WIDTHS_XLSX, start=1):
        ws.column_dimensions[ws.cell(row=4, column=col).column_letter].width = width
        cell = ws.cell(row=4, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws["A1"].font = Font(bold=True, size=13)
    for b in doc.baris:
        ws.append(_values(doc, b))
        row = ws.max_row
        for col in range(7, 7 + len(_amounts(doc, b))):
            ws.cell(row=row, column=col).number_format = "#,##0.00"
        if b.level in BOLD_LEVELS:
            for col in range(1, len(headers) + 1):
                cell = ws.cell(row=row, column=col)
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor=FILL[b.level])
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


WIDTHS_PDF = [34, 70, 52, 14, 16, 24, 27, 27, 13]  # mm, A4 landscape (277 mm between margins)
WIDTHS_PDF_PERUBAHAN = [30, 50, 36, 12, 14, 18, 26, 26, 26, 26, 13]


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf(doc: Dokumen) -> bytes:
    out = FPDF(orientation="L", unit="mm", format="A4")
    out.set_auto_page_break(auto=False)
    out.set_margins(10, 10, 10)
    out.add_page()
    out.set_font("Helvetica", "B", 12)
    out.cell(0, 7, _latin1(doc.judul), new_x="LMARGIN", new_y="NEXT")
    out.set_font("Helvetica", "", 9)
    out.cell(0, 6, _latin1(f"{doc.pemda} - Tahun {doc.tahun} - {doc.tahap}"), new_x="LMARGIN", new_y="NEXT")
    out.ln(2)
    # plain cells, one line per row (long text is cut to its column, with "..."): fpdf2's table(),
    # which wraps every cell, took 8 s for 2,000 sub kegiatan (bench/jadwal.py); this takes a fraction
    headers = _headers(doc)
    widths = WIDTHS_PDF_PERUBAHAN if doc.perubahan else WIDTHS_PDF
    aligns = ("L", "L", "L", "R", "L", "L", *("R" * (len(headers) - 7)), "L")

    def row(values, bold: bool):
        out.set_font("Helvetica", "B" if bold else "", 6.5)
        if out.get_y() + 4.5 > out.h - 10:  # the bottom margin: a new page, the headings again
            out.add_page()
            row(headers, True)
            out.set_font("Helvetica", "B" if bold else "", 6.5)
        for value, width, align in zip(values, widths, aligns):
            text = _latin1(value)
            limit = int(width / 1.25)  # about 1.25 mm a character at 6.5 pt
            if len(text) > limit:
                text = text[:limit - 3] + "..."
            out.cell(width, 4.5, text, border=1, align=align)
        out.ln(4.5)

    row(headers, True)
    for b in doc.baris:
        values = _values(doc, b)
        row([rupiah(v) if 6 <= n < 6 + len(_amounts(doc, b)) else v for n, v in enumerate(values)],
            b.level in BOLD_LEVELS)
    return bytes(out.output())
