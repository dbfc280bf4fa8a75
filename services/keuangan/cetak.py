"""The printed budget documents' tables (RKA-SKPD, DPA-SKPD) as XLSX (openpyxl) and PDF (fpdf2), as the APBD's
Lampiran I is printed (``apbd/lampiran.py``): a document is title lines and one or more tables; each table a sheet
in the XLSX, a section in the PDF.

In the XLSX amounts are numbers, exact (``#,##0.00``); in the PDF text as Indonesian documents print rupiah
(``1.234.567,50``, ``apbd.lampiran.rupiah``), never rounded nor cut: an amount too wide for its column is printed
in a smaller type. A text too wide is cut with ``...``. Helvetica holds Latin-1: another character prints as ``?``.

A document may end, after its last table, with closing lines (``penutup``: the amount in words, ``terbilang``) and
the signature blocks of the officers who sign it (``tanda_tangan``), side by side as pemda print them."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .apbd.lampiran import rupiah


@dataclass(frozen=True)
class Kolom:
    judul: str
    lebar: float  # the PDF's width in mm (the XLSX's is derived from it)
    angka: bool = False  # an amount: a number in the XLSX, rupiah text on the right in the PDF


@dataclass(frozen=True)
class Baris:
    nilai: tuple
    tebal: bool = False  # a heading or a total
    total: bool = False  # a total: shaded


@dataclass
class Tabel:
    nama: str  # the sheet's name (≤ 31 characters) and the PDF section's heading
    kolom: list[Kolom]
    baris: list[Baris] = field(default_factory=list)


@dataclass(frozen=True)
class TandaTangan:
    """A signature block: ``atas`` (e.g. "Diverifikasi oleh,"), the day it was signed, the office, space to sign,
    who signed and their NIP (each a dotted line until known)."""

    jabatan: str
    nama: str = ""
    atas: str = ""
    nip: str = ""
    tanggal: str = ""  # as printed: ``15 Maret 2030``


@dataclass
class Dokumen:
    judul: list[str]  # the first is the title, bold
    tabel: list[Tabel]
    lanskap: bool = False
    penutup: list[str] = field(default_factory=list)  # after the last table
    tanda_tangan: list[TandaTangan] = field(default_factory=list)


TTD_NAMA = 6  # the line of a block that names the signer (bold)


def _ttd_baris(t: TandaTangan) -> list[str]:
    """A block's lines, top to bottom: three blank lines to sign in, the name, the NIP."""
    return [t.atas, f"Tanggal {t.tanggal}" if t.tanggal else "", f"{t.jabatan},", "", "", "",
            f"( {t.nama or '.' * 30} )", f"NIP. {t.nip or '.' * 24}"]


# -- the amount in words (terbilang), as every payment document prints it ------------------------------------
_SATUAN = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")
_BESAR = ((10 ** 12, "triliun"), (10 ** 9, "miliar"), (10 ** 6, "juta"), (10 ** 3, "ribu"))


def _kata(n: int) -> str:
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{_kata(n - 10)} belas"
    if n < 100:
        return f"{_kata(n // 10)} puluh {_kata(n % 10)}".strip()
    if n < 1000:
        return f"{'seratus' if n < 200 else _kata(n // 100) + ' ratus'} {_kata(n % 100)}".strip()
    if n < 2000:
        return f"seribu {_kata(n - 1000)}".strip()
    besar, nama = next((b, x) for b, x in _BESAR if n >= b)
    return f"{_kata(n // besar)} {nama} {_kata(n % besar)}".strip()


def terbilang(nilai: Decimal) -> str:
    """``150000000.25`` → ``Seratus Lima Puluh Juta Rupiah Dua Puluh Lima Sen`` (2 decimals: the sen)."""
    whole, sen = divmod(abs(nilai).quantize(Decimal("0.01")) * 100, 100)
    words = f"{_kata(int(whole)) or 'nol'} rupiah" + (f" {_kata(int(sen))} sen" if sen else "")
    return ("minus " if nilai < 0 else "").title() + words.title()


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def xlsx(doc: Dokumen) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    for t in doc.tabel:
        ws = wb.create_sheet(t.nama[:31])
        for line in doc.judul:
            ws.append([line])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([])
        ws.append([k.judul for k in t.kolom])
        head = ws.max_row
        for col, k in enumerate(t.kolom, start=1):
            cell = ws.cell(row=head, column=col)
            ws.column_dimensions[cell.column_letter].width = max(8.0, k.lebar * 0.6)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        for b in t.baris:
            ws.append(list(b.nilai))
            row = ws.max_row
            for col, k in enumerate(t.kolom, start=1):
                cell = ws.cell(row=row, column=col)
                if k.angka:
                    cell.number_format = "#,##0.00;(#,##0.00)"
                if b.tebal:
                    cell.font = Font(bold=True)
                if b.total:
                    cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
    if doc.tabel:
        _xlsx_penutup(ws, doc, len(doc.tabel[-1].kolom))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_penutup(ws, doc: Dokumen, width: int) -> None:
    """The closing lines, then the signature blocks side by side (each over ``width`` / n columns), under the last
    table."""
    if doc.penutup:
        ws.append([])
        for line in doc.penutup:
            ws.append([line])
    if doc.tanda_tangan:
        ws.append([])
        top, span = ws.max_row + 1, max(1, width // len(doc.tanda_tangan))
        for i, t in enumerate(doc.tanda_tangan):
            for j, line in enumerate(_ttd_baris(t)):
                cell = ws.cell(row=top + j, column=1 + i * span, value=line or None)
                cell.font = Font(bold=j == TTD_NAMA)


def pdf(doc: Dokumen) -> bytes:
    out = FPDF(orientation="L" if doc.lanskap else "P", unit="mm", format="A4")
    out.set_auto_page_break(auto=False)
    out.set_margins(10, 10, 10)
    size, height = 7.0, 4.6

    def title():
        out.set_font("Helvetica", "B", 10)
        out.multi_cell(0, 5, _latin1(doc.judul[0]), new_x="LMARGIN", new_y="NEXT")
        out.set_font("Helvetica", "", 8)
        for line in doc.judul[1:]:
            out.multi_cell(0, 4.2, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        out.ln(2)

    def cell(text: str, width: float, angka: bool, bold: bool, fill: bool):
        style = "B" if bold else ""
        out.set_font("Helvetica", style, size)
        text = _latin1(text)
        if angka:  # never cut: smaller type until it fits
            points = size
            while out.get_string_width(text) > width - 1 and points > 3:
                points -= 0.25
                out.set_font("Helvetica", style, points)
        else:
            while text and out.get_string_width(text) > width - 1:
                text = text[:-4] + "..." if len(text) > 4 else text[:-1]
        out.cell(width, height, text, border=1, align="R" if angka else "L", fill=fill)

    def row(t: Tabel, values, bold: bool, fill: bool = False, header: bool = False):
        if out.get_y() + height > out.h - 10:
            out.add_page()
            if not header:
                row(t, [k.judul for k in t.kolom], True, header=True)
        out.set_fill_color(217, 217, 217)
        for value, k in zip(values, t.kolom):
            text = (rupiah(value) if isinstance(value, Decimal) else ("" if value is None else str(value)))
            cell(text, k.lebar, k.angka and not header, bold, fill)
        out.ln(height)

    def penutup():
        """The closing lines and the signature blocks, on a new page when this one has no room for them."""
        out.set_font("Helvetica", "", 8)
        out.ln(2)
        for line in doc.penutup:
            out.multi_cell(0, 4.2, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        if not doc.tanda_tangan:
            return
        if out.get_y() + 4 + len(_ttd_baris(doc.tanda_tangan[0])) * 4.2 > out.h - 10:
            out.add_page()
        top, width = out.get_y() + 4, (out.w - 20) / len(doc.tanda_tangan)
        for i, t in enumerate(doc.tanda_tangan):
            for j, line in enumerate(_ttd_baris(t)):
                out.set_xy(10 + i * width, top + j * 4.2)
                out.set_font("Helvetica", "B" if j == TTD_NAMA else "", 8)
                out.cell(width, 4.2, _latin1(line), align="C")

    for i, t in enumerate(doc.tabel):
        out.add_page()
        if i == 0:
            title()
        out.set_font("Helvetica", "B", 9)
        out.cell(0, 6, _latin1(t.nama), new_x="LMARGIN", new_y="NEXT")
        row(t, [k.judul for k in t.kolom], True, header=True)
        for b in t.baris:
            row(t, b.nilai, b.tebal, b.total)
    penutup()
    return bytes(out.output())


FORMATS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx),
           "pdf": ("application/pdf", pdf)}
