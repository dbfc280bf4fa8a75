"""Cells of a file as operators write them: text, codes, lists of codes, rupiah. Pure.

Each reader takes the cell's value (a string from a CSV, a string, number or None from an XLSX) and
the column it is in, and answers the value or raises ``BarisSalah`` naming the column and why.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from ..kodefikasi.domain import KodeTidakSah, bersihkan_nama

HARGA_MAX = Decimal(10) ** 15
_HARGA = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
_LIST_SEPARATORS = re.compile(r"[\s,;]+")


class BarisSalah(ValueError):
    """A cell (or a row) that breaks a rule: the column at fault and why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def blank(value: Any) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def teks(value: Any, column: str, required: bool = False, max_length: int = 2000) -> str | None:
    """A text cell, with stray spaces cleaned (names as published carry them)."""
    if blank(value):
        if required:
            raise BarisSalah(column, "is required")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = bersihkan_nama(str(value))
    if len(text) > max_length:
        raise BarisSalah(column, f"is longer than {max_length} characters")
    return text


def naskah(value: Any, column: str, max_length: int = 20000) -> str | None:
    """A long text cell (a definisi operasional): stray spaces cleaned in each line, its line breaks kept."""
    if blank(value):
        return None
    lines = [bersihkan_nama(line) for line in str(value).splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > max_length:
        raise BarisSalah(column, f"is longer than {max_length} characters")
    return text


def ya_tidak(value: Any, column: str, ya: tuple[str, ...], tidak: tuple[str, ...]) -> bool | None:
    """A yes/no cell written as its list writes it (``SPM``/``NON-SPM``, ``Ya``/``Tidak``); None when empty."""
    if blank(value):
        return None
    word = str(value).strip().lower()
    if word in ya:
        return True
    if word in tidak:
        return False
    raise BarisSalah(column, f"{value!r} is neither of {', '.join(ya[:1] + tidak[:1])}")


def daftar_teks(value: Any, column: str) -> list[str]:
    """Several words in one cell: a JSON array (``["GEOPARK", "KESPRO"]``, as the 2027 list writes its tags)
    or separated by semicolons."""
    if blank(value):
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            raise BarisSalah(column, "is not a JSON array of texts") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise BarisSalah(column, "is not a JSON array of texts")
    else:
        items = text.split(";")
    return [t for t in (bersihkan_nama(i) for i in items) if t]


def kode_teks(value: Any, column: str = "kode") -> str:
    """A code cell, kept exactly (outer spaces aside). A spreadsheet number is refused: 1.10 typed
    as a number arrives as 1.1, and no rule can tell it back."""
    if blank(value):
        raise BarisSalah(column, "is required")
    if isinstance(value, bool) or isinstance(value, float):
        raise BarisSalah(column, f"{value!r} is a number in the spreadsheet; format the column as text so "
                                 "that a code like 1.10 keeps its digits")
    text = str(value).strip()
    if len(text) > 60:
        raise BarisSalah(column, "is longer than 60 characters")
    return text


def daftar_kode(value: Any, column: str, check: Callable[[str], Any]) -> list[str]:
    """Several codes in one cell, separated by spaces, commas or semicolons; each checked."""
    if blank(value):
        return []
    codes = []
    for part in _LIST_SEPARATORS.split(kode_teks(value, column) if not isinstance(value, str) else value.strip()):
        if part and part not in codes:
            bentuk(check, part, column)
            codes.append(part)
    return codes


def uang(value: Any, column: str) -> Decimal:
    """Rupiah, exact: a plain decimal with at most two decimals (1500000 or 1500000.50)."""
    if blank(value):
        raise BarisSalah(column, "is required")
    if isinstance(value, bool):
        raise BarisSalah(column, "is not an amount")
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # the shortest text that is this float: what was typed
    else:
        text = str(value).strip()
        if not _HARGA.fullmatch(text):
            raise BarisSalah(column, f"{text!r} is not an amount; write it plain, e.g. 1500000 or 1500000.50 "
                                     "(no thousands separators)")
        amount = Decimal(text)
    try:
        exponent = amount.as_tuple().exponent
    except (InvalidOperation, AttributeError):
        raise BarisSalah(column, "is not an amount") from None
    if amount.is_nan() or amount.is_infinite() or amount < 0 or amount >= HARGA_MAX or exponent < -2:
        raise BarisSalah(column, f"{value} is not an amount in rupiah with at most two decimals, 0 or more")
    return amount.quantize(Decimal("0.01"))


def bentuk(check: Callable[[str], Any], kode: str, column: str = "kode") -> Any:
    """A code checked for the shape of its kind (``check`` raises ``KodeTidakSah``): what ``check`` answers."""
    try:
        return check(kode)
    except KodeTidakSah as exc:
        raise BarisSalah(column, str(exc)) from None
