"""Files as operators receive them: CSV (comma, semicolon or tab; UTF-8, with or without the BOM
Excel writes, or Windows-1252) and XLSX (the first sheet). The header is row 1; each data row
keeps its spreadsheet row number so that a finding can name it.

Shared by every import (referensi's codification, perencanaan's Renja, keuangan's RKA): the limits an XLSX is held to
before a byte of it is unpacked are the same everywhere."""
from __future__ import annotations

import csv
import io
import os
import zipfile
from typing import Any, Iterator

XLSX_MAGIC = b"PK\x03\x04"
# What an XLSX may claim before a byte of it is unpacked: a zip bomb (a small file unpacking to gigabytes) or a
# sheet declaring A1:XFD1048576 (read-only openpyxl pads every row to the declared width) is refused first.
XLSX_MAX_UNPACKED_BYTES = int(os.environ.get("SIPD_IMPORT_XLSX_MAX_UNPACKED_BYTES") or 256 * 1024 * 1024)
XLSX_MAX_ENTRIES = 1000
MAX_ROWS = int(os.environ.get("SIPD_IMPORT_MAX_ROWS") or 500_000)
MAX_COLUMNS = 100


class BerkasTidakTerbaca(ValueError):
    """The file is neither a readable CSV nor a readable XLSX."""


def format_of(content: bytes, file_name: str = "") -> str:
    if content.startswith(XLSX_MAGIC) or file_name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def baca(content: bytes, file_name: str = "") -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header and an iterator of (row number, cells)."""
    if not content:
        raise BerkasTidakTerbaca("the file is empty")
    return _xlsx(content) if format_of(content, file_name) == "xlsx" else _csv(content)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BerkasTidakTerbaca("the file is not text in UTF-8 or Windows-1252")


def _csv(content: bytes):
    text = _decode(content)
    if "\x00" in text:
        raise BerkasTidakTerbaca("the file is binary, not CSV; send a CSV or an XLSX file")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise BerkasTidakTerbaca(f"no header row: {exc}") from None

    def rows():
        try:
            for number, values in enumerate(reader, 2):
                yield number, values
        except csv.Error as exc:
            raise BerkasTidakTerbaca(f"row {reader.line_num}: {exc}") from None

    return header, rows()


def periksa_zip(content: bytes) -> None:
    """Refuse an XLSX whose entries would unpack beyond the limit, as its own directory declares them."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BerkasTidakTerbaca(f"not a readable XLSX file: {exc}") from None
    if len(entries) > XLSX_MAX_ENTRIES:
        raise BerkasTidakTerbaca(f"the XLSX file holds {len(entries)} parts, more than {XLSX_MAX_ENTRIES}")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise BerkasTidakTerbaca(f"the XLSX file would unpack to {unpacked} bytes, more than "
                                 f"{XLSX_MAX_UNPACKED_BYTES}; split it")


def periksa_ukuran(rows: int | None, columns: int | None) -> None:
    """Refuse a sheet that declares (or has) more rows or columns than any list of the codification."""
    if columns is not None and columns > MAX_COLUMNS:
        raise BerkasTidakTerbaca(f"the sheet has {columns} columns, more than {MAX_COLUMNS}")
    if rows is not None and rows > MAX_ROWS:
        raise BerkasTidakTerbaca(f"the sheet has {rows} rows, more than {MAX_ROWS}; split it")


def _xlsx(content: bytes):
    from openpyxl import load_workbook

    periksa_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BerkasTidakTerbaca(f"not a readable XLSX file: {exc}") from None
    sheet = book.worksheets[0]
    try:  # as the sheet's <dimension> declares it (None when it declares none)
        periksa_ukuran(sheet.max_row, sheet.max_column)
    except BerkasTidakTerbaca:
        book.close()
        raise
    cells = sheet.iter_rows(values_only=True)
    try:
        header = list(next(cells))
    except StopIteration:
        book.close()
        raise BerkasTidakTerbaca("the first sheet is empty") from None

    def rows():
        try:
            for number, values in enumerate(cells, 2):
                periksa_ukuran(number, None)  # a sheet that declared less than it has
                yield number, list(values)
        finally:
            book.close()

    return header, rows()
