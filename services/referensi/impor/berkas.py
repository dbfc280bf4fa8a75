"""Files as operators receive them: CSV (comma, semicolon or tab; UTF-8, with or without the BOM
Excel writes, or Windows-1252) and XLSX (the first sheet). The header is row 1; each data row
keeps its spreadsheet row number so that a finding can name it."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterator

XLSX_MAGIC = b"PK\x03\x04"


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


def _xlsx(content: bytes):
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BerkasTidakTerbaca(f"not a readable XLSX file: {exc}") from None
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        header = list(next(cells))
    except StopIteration:
        book.close()
        raise BerkasTidakTerbaca("the first sheet is empty") from None

    def rows():
        try:
            for number, values in enumerate(cells, 2):
                yield number, list(values)
        finally:
            book.close()

    return header, rows()
