"""The RKA-SKPD as pemda print it (rincian belanja): per sub kegiatan, per account, the lines under their kelompok
and keterangan with coefficient, unit, price, tax and amount; every level summed. Pure layout; ``cetak`` prints it."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..cetak import FORMATS, Baris, Dokumen, Kolom, Tabel

__all__ = ["FORMATS", "rka"]
NOL = Decimal(0)


def rka(kode_pemda: str, tahun: int, kode_skpd: str, nama_skpd: str, lines: list[dict[str, Any]],
        keadaan: str) -> Dokumen:
    """``lines`` as ``RincianRepository.of_skpd`` gives them (sub kegiatan, account, kelompok, keterangan order)."""
    judul = ["RENCANA KERJA DAN ANGGARAN SATUAN KERJA PERANGKAT DAERAH (RKA-SKPD) - RINCIAN BELANJA",
             f"Pemerintah Daerah {kode_pemda} - Tahun Anggaran {tahun}",
             f"SKPD: {kode_skpd} {nama_skpd}".rstrip(), f"Keadaan: {keadaan}"]
    t = Tabel("Rincian Belanja", [Kolom("Kode Rekening", 32), Kolom("Uraian", 88), Kolom("Koefisien", 34),
                                  Kolom("Satuan", 20), Kolom("Harga (Rp)", 30, angka=True), Kolom("PPN (%)", 14),
                                  Kolom("Jumlah (Rp)", 36, angka=True)])
    per_sub: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for line in lines:
        per_sub[line["kode_sub_kegiatan"]][line["kode_rekening"]].append(line)
    total = NOL
    for sub, accounts in per_sub.items():
        sub_total = sum((line["jumlah"] for ls in accounts.values() for line in ls), NOL)
        total += sub_total
        t.baris.append(Baris((sub, "Sub Kegiatan", "", "", None, "", sub_total), tebal=True))
        for kode, ls in accounts.items():
            t.baris.append(Baris((kode, ls[0]["nama_rekening"], "", "", None, "",
                                  sum((line["jumlah"] for line in ls), NOL)), tebal=True))
            heading = None
            for line in ls:
                group = (line.get("kelompok") or "", line.get("keterangan") or "")
                if any(group) and group != heading:
                    heading = group
                    t.baris.append(Baris(("", f"[#] {group[0]}  [-] {group[1]}".strip(), "", "", None, "", None)))
                uraian = line["uraian"] + (f" - {line['spesifikasi']}" if line.get("spesifikasi") else "")
                koefisien = line.get("koefisien_teks") or f"{line['volume']:f} {line['satuan']}"
                t.baris.append(Baris(("", uraian, koefisien, line["satuan"], line["harga_satuan"],
                                      f"{line.get('pajak') or 0:f}", line["jumlah"])))
    t.baris.append(Baris(("", "JUMLAH", "", "", None, "", total), tebal=True, total=True))
    return Dokumen(judul, [t], lanskap=True)
