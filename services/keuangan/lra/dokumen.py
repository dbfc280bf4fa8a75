"""The LRA as pemda print it: one table — Kode, Uraian, Anggaran, Realisasi, %, Realisasi tahun lalu — with the SAP's
sections and totals (JUMLAH PENDAPATAN, JUMLAH BELANJA, SURPLUS/(DEFISIT), JUMLAH PENERIMAAN / PENGELUARAN
PEMBIAYAAN, PEMBIAYAAN NETTO, SILPA). Pure layout; ``cetak`` prints it (the percentage is printed as computed: 2
decimals, half-up; empty when the budget is 0)."""
from __future__ import annotations

from contracts.keuangan import BagianLraOut, LraOut, NilaiLra

from ..cetak import FORMATS, Baris, Dokumen, Kolom, Tabel

__all__ = ["FORMATS", "lra"]
NAMA_PERIODE = {"tahun": "Tahun Anggaran", "semester-1": "Semester I", "semester-2": "Semester II"}


def _nilai(n: NilaiLra) -> tuple:
    return (n.anggaran, n.realisasi, n.persen, n.realisasi_lalu)


def lra(d: LraOut) -> Dokumen:
    periode = NAMA_PERIODE.get(d.periode) or f"s.d. Bulan {d.periode.split('-')[1]}"
    judul = ["LAPORAN REALISASI ANGGARAN PENDAPATAN DAN BELANJA DAERAH",
             f"Pemerintah Daerah {d.kode_pemda} - Tahun Anggaran {d.tahun}"
             + (f" - SKPD {d.kode_skpd}" if d.kode_skpd else ""),
             f"{periode} ({d.dari.isoformat()} s.d. {d.sampai.isoformat()})"]
    t = Tabel("LRA", [Kolom("Kode Rekening", 30), Kolom("Uraian", 85), Kolom("Anggaran (Rp)", 40, angka=True),
                      Kolom("Realisasi (Rp)", 40, angka=True), Kolom("%", 18, angka=True),
                      Kolom(f"Realisasi {d.tahun - 1} (Rp)", 40, angka=True)])

    def bagian(b: BagianLraOut, judul_jumlah: str) -> None:
        for r in b.baris:
            t.baris.append(Baris((r.kode_rekening, r.nama_rekening or "", *_nilai(r)), tebal=r.tingkat <= 2))
        total(judul_jumlah, b.jumlah)

    def total(uraian: str, n: NilaiLra) -> None:
        t.baris.append(Baris(("", uraian, *_nilai(n)), tebal=True, total=True))

    bagian(d.pendapatan, "JUMLAH PENDAPATAN")
    bagian(d.belanja, "JUMLAH BELANJA")
    total("SURPLUS / (DEFISIT)", d.surplus_defisit)
    t.baris.append(Baris(("6", "PEMBIAYAAN DAERAH", None, None, None, None), tebal=True))
    bagian(d.penerimaan_pembiayaan, "JUMLAH PENERIMAAN PEMBIAYAAN")
    bagian(d.pengeluaran_pembiayaan, "JUMLAH PENGELUARAN PEMBIAYAAN")
    total("PEMBIAYAAN NETTO", d.pembiayaan_netto)
    total("SISA LEBIH PEMBIAYAAN ANGGARAN (SILPA)", d.silpa)
    return Dokumen(judul, [t], lanskap=True)
