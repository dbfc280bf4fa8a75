"""Files as operators send them: CSV in its common dialects, and XLSX. No database."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from sipd_common import berkas


def read(content: bytes, name: str = "f.csv"):
    header, rows = berkas.baca(content, name)
    return header, list(rows)


def test_csv_with_commas():
    assert read(b"kode,nama\n1,URUSAN\n") == (["kode", "nama"], [(2, ["1", "URUSAN"])])


def test_csv_from_excel_with_semicolons_bom_and_crlf():
    header, rows = read("\ufeffkode;nama\r\n1.01;PENDIDIKAN, KEBUDAYAAN\r\n".encode("utf-8"))
    assert header == ["kode", "nama"] and rows == [(2, ["1.01", "PENDIDIKAN, KEBUDAYAAN"])]


def test_csv_in_windows_1252():
    header, rows = read("kode,nama\n1,Caf\xe9\n".encode("cp1252"))
    assert rows == [(2, ["1", "Caf\xe9"])]


def test_tab_separated():
    assert read(b"kode\tnama\n1\tA\n")[1] == [(2, ["1", "A"])]


def test_quoted_fields_with_newlines_keep_the_record_numbering():
    header, rows = read(b'kode,nama\n1,"A\nB"\n2,C\n')
    assert [n for n, _ in rows] == [2, 3]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_first_sheet_with_typed_cells():
    header, rows = read(xlsx([["kode", "nama", "harga"], ["1.01", "A", 1500.5], [None, None, None], [32, "B", 7]]),
                        "daftar.xlsx")
    assert header == ["kode", "nama", "harga"]
    assert rows == [(2, ["1.01", "A", 1500.5]), (3, [None, None, None]), (4, [32, "B", 7])]


def test_xlsx_is_recognised_by_its_content_whatever_its_name():
    assert read(xlsx([["kode"], ["1"]]), "upload")[1] == [(2, ["1"])]


@pytest.mark.parametrize("content, name", [(b"", "f.csv"), (b"PK\x03\x04garbage", "f.xlsx"), (b"\x00\x01\x02", "f.csv")])
def test_unreadable_files(content, name):
    with pytest.raises(berkas.BerkasTidakTerbaca):
        read(content, name)
