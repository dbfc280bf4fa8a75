"""The DPA-SKPD as pemda print it: the spending per sub kegiatan and account (DPA rincian belanja) and the cash
plan per month (anggaran kas / rencana penarikan dana), each with its totals. Pure layout; ``cetak`` prints it."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from contracts.keuangan import DpaRingkasOut

from ..cetak import FORMATS, Baris, Dokumen, Kolom, Tabel
from .domain import BULAN, NOL, BarisDpa

__all__ = ["FORMATS", "dpa"]
NAMA_BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def dpa(d: DpaRingkasOut, baris: list[BarisDpa], nama_skpd: str = "") -> Dokumen:
    keadaan = {"draft": "rancangan (draft)", "disahkan": "disahkan", "diganti": "disahkan, telah diganti versi berikutnya"}
    judul = ["DOKUMEN PELAKSANAAN ANGGARAN SATUAN KERJA PERANGKAT DAERAH (DPA-SKPD)",
             f"Pemerintah Daerah {d.kode_pemda} - Tahun Anggaran {d.tahun}",
             f"SKPD: {d.kode_skpd} {nama_skpd}".rstrip(),
             f"Versi {d.versi} - {keadaan[d.status]} - {d.sebab}"
             + (f" - Nomor {d.nomor}" if d.nomor else "") + (f" - sha256 {d.hash[:12]}" if d.hash else "")]
    per_sub: dict[str, list[BarisDpa]] = defaultdict(list)
    for b in baris:
        per_sub[b.kode_sub_kegiatan].append(b)

    rincian = Tabel("Rincian Belanja", [Kolom("Kode Sub Kegiatan", 34), Kolom("Kode Rekening", 34),
                                        Kolom("Uraian", 86), Kolom("Jumlah (Rp)", 36, angka=True)])
    kas = Tabel("Anggaran Kas", [Kolom("Kode Sub Kegiatan", 25), Kolom("Kode Rekening", 25),
                                 *(Kolom(m, 16.5, angka=True) for m in NAMA_BULAN), Kolom("Jumlah (Rp)", 25, angka=True)])
    bulan_total = [NOL] * BULAN
    for sub, lines in per_sub.items():
        rincian.baris.append(Baris((sub, "", "Sub Kegiatan", sum((b.jumlah for b in lines), NOL)), tebal=True))
        bulan_sub = [NOL] * BULAN
        for b in lines:
            rincian.baris.append(Baris(("", b.kode_rekening, b.nama_rekening, b.jumlah)))
            kas.baris.append(Baris((sub, b.kode_rekening, *b.kas, b.jumlah)))
            bulan_sub = [x + y for x, y in zip(bulan_sub, b.kas)]
        kas.baris.append(Baris((sub, "Jumlah", *bulan_sub, sum(bulan_sub, NOL)), tebal=True))
        bulan_total = [x + y for x, y in zip(bulan_total, bulan_sub)]
    total: Decimal = sum((b.jumlah for b in baris), NOL)
    rincian.baris.append(Baris(("", "", "JUMLAH", total), tebal=True, total=True))
    kas.baris.append(Baris(("", "JUMLAH", *bulan_total, sum(bulan_total, NOL)), tebal=True, total=True))
    return Dokumen(judul, [rincian, kas], lanskap=True)
