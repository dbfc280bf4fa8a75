"""RKA-SKPD: an SKPD's sub kegiatan priced in lines, grouped as SIPD groups them (sub kegiatan → kelompok/paket
→ keterangan → line); the rows of its XLSX import; TAPD's verification notes.

The rules of one line are ``rincian/domain.py`` (account, component, price, coefficient, tax, funding source),
``tanda/domain.py`` (what the account's flags ask: recipient, location, the salary sub kegiatan) and ``plafon/domain.py`` (its ceilings); here: how lines group and how an import row reads.

Pure: no broker, no database.
"""
from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from typing import Any

# the import's columns: the header row names them (any order, case and spaces ignored)
KOLOM_WAJIB = ("kode_sub_kegiatan", "kelompok", "keterangan", "kode_rekening", "kode_standar_harga", "volume_1",
               "satuan_1", "harga_satuan", "kode_sumber_dana")
KOLOM = (*KOLOM_WAJIB, "uraian", "volume_2", "satuan_2", "volume_3", "satuan_3", "volume_4", "satuan_4", "pajak",
         "penerima_nama", "penerima_alamat", "penerima_kode_wilayah", "lokasi_kode_wilayah", "lokasi_uraian")
# a refused field of a line, as the column of the import that carries it
KOLOM_FIELD = {"koefisien": "volume_1", "penerima": "penerima_nama", "lokasi": "lokasi_kode_wilayah",
               "rkpd_id": "kode_sub_kegiatan"}


def kelompokkan(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines (ordered by kelompok, keterangan) as SIPD's tree, each level with its sum."""
    tree = []
    for kelompok, in_kelompok in groupby(lines, key=lambda r: r["kelompok"]):
        in_kelompok = list(in_kelompok)
        keterangan = [{"keterangan": k, "rincian": list(rows), "jumlah": Decimal(0)}
                      for k, rows in groupby(in_kelompok, key=lambda r: r["keterangan"])]
        for k in keterangan:
            k["jumlah"] = sum((r["jumlah"] for r in k["rincian"]), Decimal(0))
        tree.append({"kelompok": kelompok, "keterangan": keterangan,
                     "jumlah": sum((k["jumlah"] for k in keterangan), Decimal(0))})
    return tree


def nama_kolom(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_")


def teks(value: Any) -> str | None:
    """A cell as text (a number as its decimal text, never a float's repr); None when empty."""
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    if isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value).strip()
    return text or None


def baris_impor(cells: dict[str, Any]) -> dict[str, Any]:
    """A row of the import (column → cell) as the body of an RKA line (``contracts.keuangan.RkaRincianBaru``),
    without ``rkpd_id`` (found from ``kode_sub_kegiatan``)."""
    t = {k: teks(cells.get(k)) for k in KOLOM}
    koefisien = [{"volume": t[f"volume_{i}"], "satuan": t[f"satuan_{i}"]} for i in range(1, 5)
                 if t[f"volume_{i}"] is not None or t[f"satuan_{i}"] is not None]
    body = {"kelompok": t["kelompok"], "keterangan": t["keterangan"], "kode_rekening": t["kode_rekening"],
            "kode_standar_harga": t["kode_standar_harga"], "koefisien": koefisien, "harga_satuan": t["harga_satuan"],
            "pajak": t["pajak"] or "0", "kode_sumber_dana": t["kode_sumber_dana"]}
    if t["uraian"]:
        body["uraian"] = t["uraian"]
    if t["penerima_nama"] or t["penerima_alamat"] or t["penerima_kode_wilayah"]:
        body["penerima"] = {"nama": t["penerima_nama"], "alamat": t["penerima_alamat"],
                            "kode_wilayah": t["penerima_kode_wilayah"]}
    if t["lokasi_kode_wilayah"] or t["lokasi_uraian"]:
        body["lokasi"] = {"kode_wilayah": t["lokasi_kode_wilayah"], "uraian": t["lokasi_uraian"]}
    return body


def kolom_of(field: str) -> str:
    """The import column that carries a line's field (``koefisien.1.volume`` → ``volume_2``)."""
    parts = field.split(".")
    if parts[0] == "koefisien" and len(parts) >= 3 and parts[1].isdigit():
        return f"{parts[2]}_{int(parts[1]) + 1}"
    if parts[0] in ("penerima", "lokasi") and len(parts) >= 2:
        return f"{parts[0]}_{parts[1]}"
    return KOLOM_FIELD.get(parts[0], parts[0])
