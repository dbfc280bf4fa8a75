"""Lampiran I of the Perda perubahan APBD as pemda print it: the APBD's Lampiran I (``apbd/lampiran.py``: revenue,
spending and financing by kelompok and jenis, with the totals and identities between them) with the amount before
the change (murni), after it, and the difference, bertambah / (berkurang), in rupiah and in percent of the murni.
Pure layout; ``cetak`` prints it (XLSX, PDF)."""
from __future__ import annotations

from decimal import Decimal

from ..apbd.domain import persen
from ..cetak import FORMATS, Baris, Dokumen, Kolom, Tabel

__all__ = ["FORMATS", "lampiran_i"]

# the identities between the accounts, as Lampiran I prints them (``domain.ringkasan``'s keys)
JUMLAH = {"4": [("JUMLAH PENDAPATAN", "pendapatan")],
          "5": [("JUMLAH BELANJA", "belanja"), ("SURPLUS / (DEFISIT)", "surplus_defisit")],
          "6.1": [("JUMLAH PENERIMAAN PEMBIAYAAN", "penerimaan_pembiayaan")],
          "6.2": [("JUMLAH PENGELUARAN PEMBIAYAAN", "pengeluaran_pembiayaan"), ("PEMBIAYAAN NETTO", "pembiayaan_netto"),
                  ("SISA LEBIH PEMBIAYAAN ANGGARAN TAHUN BERKENAAN", "silpa")]}


def _nilai(murni: Decimal, perubahan: Decimal) -> tuple:
    """murni, perubahan, bertambah / (berkurang), and its percent of murni (2 decimals, ROUND_HALF_UP; none of 0)."""
    selisih = perubahan - murni
    return murni, perubahan, selisih, persen(selisih, murni) if murni else None


def lampiran_i(kode_pemda: str, tahun: int, akun: list[tuple[str, int, Decimal, Decimal]],
               ringkasan: dict[str, dict], nama: dict[str, str], keadaan: str) -> Dokumen:
    """``akun``: (kode, tingkat, murni, perubahan) of levels 1–3 in the chart's order; ``ringkasan``: murni and
    perubahan of each identity; ``keadaan``: the state it is printed in (its Perda, or a draft)."""
    tabel = Tabel("Lampiran I", [Kolom("Kode Rekening", 24), Kolom("Uraian", 86),
                                 Kolom("Sebelum Perubahan (Rp)", 36, angka=True),
                                 Kolom("Setelah Perubahan (Rp)", 36, angka=True),
                                 Kolom("Bertambah / (Berkurang) (Rp)", 36, angka=True), Kolom("%", 16, angka=True)])

    def total(bagian: str) -> None:
        for uraian, key in JUMLAH.get(bagian, ()):
            nilai = ringkasan[key]
            tabel.baris.append(Baris(("", uraian, *_nilai(Decimal(str(nilai["murni"])),
                                                            Decimal(str(nilai["perubahan"])))), tebal=True, total=True))

    def rows_under(prefix: str) -> None:
        for kode, tingkat, murni, perubahan in akun:
            if kode == prefix or kode.startswith(prefix + "."):
                tabel.baris.append(Baris((kode, nama.get(kode, ""), *_nilai(murni, perubahan)), tebal=tingkat <= 2))
        total(prefix)

    rows_under("4")
    rows_under("5")
    # the root 6 is a heading: its receipts and payments are not added together
    tabel.baris.append(Baris(("6", nama.get("6") or "PEMBIAYAAN DAERAH", None, None, None, None), tebal=True))
    rows_under("6.1")
    rows_under("6.2")
    judul = [f"RINGKASAN PERUBAHAN APBD YANG DIKLASIFIKASIKAN MENURUT KELOMPOK DAN JENIS PENDAPATAN, BELANJA, DAN "
             f"PEMBIAYAAN - TAHUN ANGGARAN {tahun}", f"Pemda {kode_pemda} - Lampiran I Perubahan APBD - {keadaan}"]
    return Dokumen(judul, [tabel], lanskap=True)
