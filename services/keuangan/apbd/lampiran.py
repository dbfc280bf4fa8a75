"""Lampiran I of the Perda APBD: the summary by kelompok and jenis of revenue, spending and financing, with
the totals and identities between them (JUMLAH PENDAPATAN, JUMLAH BELANJA, SURPLUS/(DEFISIT), JUMLAH
PENERIMAAN / PENGELUARAN PEMBIAYAAN, PEMBIAYAAN NETTO, SILPA), as XLSX (openpyxl) and PDF (fpdf2).

``susun`` lays out the rows (pure); ``xlsx`` and ``pdf`` print them. In the XLSX amounts are numbers exact
to the sen (``#,##0.00``); in the PDF text as Indonesian documents print rupiah (``1.234.567,50``), never
rounded. The PDF's Helvetica holds Latin-1: another character prints as ``?``."""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from contracts.keuangan import RingkasanApbdOut


@dataclass(frozen=True)
class Baris:
    kode: str
    uraian: str
    jumlah: Decimal | None  # None: a heading without an amount
    tebal: bool = False  # a heading (akun, kelompok) or a total


@dataclass(frozen=True)
class Lampiran:
    judul: str
    keterangan: str
    baris: list[Baris]


def susun(r: RingkasanApbdOut, keadaan: str) -> Lampiran:
    """The rows of Lampiran I from the summary (accounts to level 3) and the state it is printed in."""
    rows: list[Baris] = []

    def akun_under(prefix: str) -> None:
        for a in r.akun:
            if a.kode.startswith(prefix + ".") or (a.kode == prefix and prefix != "6"):
                rows.append(Baris(a.kode, a.nama or "", a.jumlah, tebal=a.tingkat <= 2))

    def total(uraian: str, jumlah: Decimal) -> None:
        rows.append(Baris("", uraian, jumlah, tebal=True))

    akun_under("4")
    total("JUMLAH PENDAPATAN", r.pendapatan)
    akun_under("5")
    total("JUMLAH BELANJA", r.belanja)
    total("SURPLUS / (DEFISIT)", r.surplus_defisit)
    # the root 6 is a heading: its receipts and payments are not added together
    rows.append(Baris("6", next((a.nama for a in r.akun if a.kode == "6" and a.nama), "PEMBIAYAAN DAERAH"), None, True))
    akun_under("6.1")
    total("JUMLAH PENERIMAAN PEMBIAYAAN", r.penerimaan_pembiayaan)
    akun_under("6.2")
    total("JUMLAH PENGELUARAN PEMBIAYAAN", r.pengeluaran_pembiayaan)
    total("PEMBIAYAAN NETTO", r.pembiayaan_netto)
    total("SISA LEBIH PEMBIAYAAN ANGGARAN TAHUN BERKENAAN", r.silpa)
    return Lampiran(judul=f"RINGKASAN APBD YANG DIKLASIFIKASIKAN MENURUT KELOMPOK DAN JENIS PENDAPATAN, BELANJA, "
                          f"DAN PEMBIAYAAN - TAHUN ANGGARAN {r.tahun}",
                    keterangan=f"Pemda {r.kode_pemda} - Lampiran I - {keadaan}", baris=rows)


def rupiah(value: Decimal | None) -> str:
    """``1234567.5`` → ``1.234.567,50``; a negative amount in parentheses, as the Perda prints a deficit."""
    if value is None:
        return ""
    whole, _, sen = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = f"{'.'.join(groups) or '0'},{sen}"
    return f"({text})" if value < 0 else text


HEADERS = ["Kode Rekening", "Uraian", "Jumlah (Rp)"]


def xlsx(doc: Lampiran) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lampiran I"
    ws.append([doc.judul])
    ws.append([doc.keterangan])
    ws.append([])
    ws.append(HEADERS)
    thin = Side(style="thin")
    for col, width in enumerate((16, 70, 24), start=1):
        cell = ws.cell(row=4, column=col)
        ws.column_dimensions[cell.column_letter].width = width
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws["A1"].font = Font(bold=True, size=12)
    for b in doc.baris:
        ws.append([b.kode, b.uraian, b.jumlah])
        ws.cell(row=ws.max_row, column=3).number_format = "#,##0.00;(#,##0.00)"
        if b.tebal:
            for col in (1, 2, 3):
                cell = ws.cell(row=ws.max_row, column=col)
                cell.font = Font(bold=True)
                if not b.kode:
                    cell.fill = PatternFill("solid", fgColor="D9D9D9")
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf(doc: Lampiran) -> bytes:
    out = FPDF(orientation="P", unit="mm", format="A4")
    out.set_auto_page_break(auto=False)
    out.set_margins(12, 12, 12)
    out.add_page()
    out.set_font("Helvetica", "B", 10)
    out.multi_cell(0, 5, _latin1(doc.judul), new_x="LMARGIN", new_y="NEXT")
    out.set_font("Helvetica", "", 8)
    out.cell(0, 6, _latin1(doc.keterangan), new_x="LMARGIN", new_y="NEXT")
    out.ln(2)
    widths, aligns = (28, 118, 40), ("L", "L", "R")

    def row(values, bold: bool):
        if out.get_y() + 5 > out.h - 12:
            out.add_page()
            row(HEADERS, True)
        out.set_font("Helvetica", "B" if bold else "", 7.5)
        for value, width, align in zip(values, widths, aligns):
            text = _latin1(value)
            limit = int(width / 1.45)
            if len(text) > limit:
                text = text[:limit - 3] + "..."
            out.cell(width, 5, text, border=1, align=align)
        out.ln(5)

    row(HEADERS, True)
    for b in doc.baris:
        row((b.kode, b.uraian, rupiah(b.jumlah)), b.tebal)
    return bytes(out.output())


FORMATS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx),
           "pdf": ("application/pdf", pdf)}
