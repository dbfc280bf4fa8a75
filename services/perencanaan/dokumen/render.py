"""The printed RKPD / Renja as files: XLSX (openpyxl) and PDF (fpdf2), from ``domain.Dokumen``.

In the XLSX amounts are numbers (exact to the sen: a cell holds the Decimal's value, formatted
``#,##0.00``); in the PDF they are text as ``domain.rupiah`` prints them. The PDF uses the standard
Helvetica font, which holds Latin-1: a character outside it is printed as ``?``."""
from __future__ import annotations

import io

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .domain import Dokumen, rupiah

HEADERS = ["Kode", "Urusan / Program / Kegiatan / Sub Kegiatan", "Indikator Kinerja", "Target", "Satuan",
           "Lokasi", "Pagu Indikatif N", "Pagu Indikatif N+1", "Sumber Dana"]
WIDTHS_XLSX = [24, 50, 40, 10, 12, 24, 20, 20, 14]
BOLD_LEVELS = {"skpd", "program", "kegiatan", "total"}
FILL = {"skpd": "D9E1F2", "program": "E2EFDA", "kegiatan": "FFF2CC", "total": "D9D9D9"}


def xlsx(doc: Dokumen) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"RKPD {doc.tahun}"[:31]
    ws.append([doc.judul])
    ws.append([f"{doc.pemda} — Tahun {doc.tahun} — {doc.tahap}"])
    ws.append([])
    ws.append(HEADERS)
    thin = Side(style="thin")
    for col, width in enumerate(WIDTHS_XLSX, start=1):
        ws.column_dimensions[ws.cell(row=4, column=col).column_letter].width = width
        cell = ws.cell(row=4, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws["A1"].font = Font(bold=True, size=13)
    for b in doc.baris:
        ws.append([b.kode, b.uraian, b.indikator, b.target, b.satuan, b.lokasi, b.pagu, b.pagu_n1, b.sumber_dana])
        row = ws.max_row
        for col in (7, 8):
            ws.cell(row=row, column=col).number_format = "#,##0.00"
        if b.level in BOLD_LEVELS:
            for col in range(1, len(HEADERS) + 1):
                cell = ws.cell(row=row, column=col)
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor=FILL[b.level])
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


WIDTHS_PDF = [34, 70, 52, 14, 16, 24, 27, 27, 13]  # mm, A4 landscape (277 mm between margins)


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
    aligns = ("L", "L", "L", "R", "L", "L", "R", "R", "L")

    def row(values, bold: bool):
        out.set_font("Helvetica", "B" if bold else "", 6.5)
        if out.get_y() + 4.5 > out.h - 10:  # the bottom margin: a new page, the headings again
            out.add_page()
            row(HEADERS, True)
            out.set_font("Helvetica", "B" if bold else "", 6.5)
        for value, width, align in zip(values, WIDTHS_PDF, aligns):
            text = _latin1(value)
            limit = int(width / 1.25)  # about 1.25 mm a character at 6.5 pt
            if len(text) > limit:
                text = text[:limit - 3] + "..."
            out.cell(width, 4.5, text, border=1, align=align)
        out.ln(4.5)

    row(HEADERS, True)
    for b in doc.baris:
        row((b.kode, b.uraian, b.indikator, b.target, b.satuan, b.lokasi, rupiah(b.pagu), rupiah(b.pagu_n1),
             b.sumber_dana), b.level in BOLD_LEVELS)
    return bytes(out.output())
