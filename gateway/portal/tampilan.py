"""How the portal shows numbers and writes open data: exact, in Indonesian conventions, safe in a spreadsheet."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rupiah(value: Decimal | str | int | None) -> str:
    """``1234567.5`` → ``Rp1.234.568``: whole rupiah, rounded half up (sen are not printed on the portal;
    the open data keeps them), thousands separated by dots as Indonesians write them."""
    if value is None:
        return "–"
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp{abs(whole):,}".replace(",", ".")


def angka(value: Decimal | str | None) -> str:
    """A target or quantity as written: ``2.5`` → ``2,5``, thousands with dots; exact (no rounding)."""
    if value is None:
        return "–"
    text = format(Decimal(value).normalize(), "f")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return f"{sign}{grouped}{',' + frac if frac else ''}"


def persen(bagian: Decimal, total: Decimal) -> str:
    """A share as a percentage with one decimal (half up); ``–`` when the total is zero."""
    if not total:
        return "–"
    return f"{(Decimal(bagian) * 100 / Decimal(total)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(
        ".", ",") + " %"


def aman(cell) -> str:
    """A CSV cell that a spreadsheet cannot take for a formula: text beginning with ``= + - @`` (or a tab or
    carriage return) gets a leading apostrophe. Plain numbers (a negative amount) stay numbers."""
    text = "" if cell is None else str(cell)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read the names right), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([aman(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode()


def bulan_lra(lra: dict, today: date) -> list[dict]:
    """The months of an LRA that have passed (its ``bulanan``): a past year's twelve; this year's (and a later
    one's, realised ahead of the calendar) up to the later of this month and the month last realised."""
    tahun = lra["tahun"]
    if tahun < today.year:
        return lra["bulanan"]
    terakhir = date.fromisoformat(str(lra["realisasi_terakhir"])).month if lra["realisasi_terakhir"] else 0
    return lra["bulanan"][:max(terakhir, today.month if tahun == today.year else 0)]
