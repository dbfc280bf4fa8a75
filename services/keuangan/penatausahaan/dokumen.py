"""The spending documents as pemda print them (the forms of Permendagri 77/2020, to what keuangan holds): SPD, SPP,
SPM and SP2D, each a header (pemda, number, date, SKPD, what it rests on, its state), its lines per sub kegiatan ×
account with their totals, the amount in words and the signature blocks of the officers who sign it. A block
shows the officer who took its step (``Kepala.pejabat``: the name and NIP their account carried, the day), the
user id when no name is known, dotted lines until someone has.

Pure layout; ``cetak`` prints it."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Mapping

from ..apbd.lampiran import rupiah
from ..cetak import FORMATS, Baris, Dokumen, Kolom, TandaTangan, Tabel, terbilang
from . import domain
from .domain import NOL, Kunci, Sp2d, Spd, Spm, Spp

__all__ = ["FORMATS", "Kepala", "spd", "spp", "spm", "sp2d"]

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
JENIS_LS = {domain.GAJI: "Gaji dan Tunjangan", domain.BARANG_JASA: "Barang dan Jasa",
            domain.PIHAK_KETIGA: "Pihak Ketiga Lainnya"}
NAMA_SPP = {domain.UP: "Uang Persediaan", domain.GU: "Ganti Uang Persediaan", domain.TU: "Tambahan Uang Persediaan",
            domain.LS: "Langsung"}
KEADAAN = {domain.DRAFT: "DRAFT (belum sah)", domain.OTORISASI: "diotorisasi", domain.ARSIP: "arsip (diganti)",
           domain.DIAJUKAN: "diajukan", domain.DIVERIFIKASI: "diverifikasi", domain.DITERIMA: "diterima Kuasa BUD",
           domain.DITOLAK: "ditolak Kuasa BUD", domain.TERBIT: "terbit", domain.CAIR: "cair (dibayar bank)"}


@dataclass(frozen=True)
class Pejabat:
    """The officer who took a step of a document (name and NIP if known) and the day (WIB)."""

    nama: str | None
    nip: str | None
    tanggal: date


@dataclass(frozen=True)
class Kepala:
    """What a document's header and lines need besides the document: its date (issued or authorised; else made),
    the SKPD's name, the names of its sub kegiatan and accounts (code → name), the officers of its steps (step
    ``domain.DIBUAT`` … → ``Pejabat``)."""

    tanggal: date | None
    nama_skpd: str
    nama: Mapping[str, str]
    pejabat: Mapping[str, Pejabat] = field(default_factory=dict)


def _ttd(k: Kepala, langkah: str, user_id: str | None, jabatan: str, atas: str) -> TandaTangan:
    """The block of the officer who took ``langkah`` (``user_id``: who the document says did; None: nobody yet)."""
    p = k.pejabat.get(langkah) if user_id else None
    return TandaTangan(jabatan, (p.nama if p and p.nama else user_id) or "", atas, nip=(p.nip if p else None) or "",
                       tanggal=tanggal_id(p.tanggal) if p else "")


def tanggal_id(d: date | None) -> str:
    """``2030-03-15`` → ``15 Maret 2030``."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}" if d else "-"


def _judul(title: str, doc, k: Kepala, *rest: str) -> list[str]:
    return [title, f"Pemerintah Daerah {doc.kode_pemda} - Tahun Anggaran {doc.tahun}",
            f"Nomor: {doc.nomor} - Tanggal: {tanggal_id(k.tanggal)}", f"SKPD: {doc.kode_skpd} {k.nama_skpd}".rstrip(),
            *rest, f"Status: {KEADAAN.get(doc.status, doc.status)}"]


def _rincian(nama: str, kolom: list[Kolom], baris: list[domain.Baris], k: Kepala,
             nilai_of, uraian_up: str | None = None) -> Tabel:
    """The lines per sub kegiatan (a heading with its subtotal) and account, then JUMLAH. ``nilai_of(line)`` gives
    a line's amount columns; a document without lines (a UP) is one line, ``uraian_up``, of the document's
    amount."""
    t = Tabel(nama, kolom)
    per_sub: dict[str, list[domain.Baris]] = defaultdict(list)
    for b in baris:
        per_sub[b.kode_sub_kegiatan].append(b)

    def jumlah(lines) -> tuple:  # a column with a blank (a line no longer in the DPA) has no total
        return tuple(None if None in col else sum(col, NOL) for col in zip(*(nilai_of(b) for b in lines)))

    for sub, lines in per_sub.items():
        t.baris.append(Baris((sub, "", k.nama.get(sub, "Sub Kegiatan"), *jumlah(lines)), tebal=True))
        for b in lines:
            t.baris.append(Baris(("", b.kode_rekening, k.nama.get(b.kode_rekening, ""), *nilai_of(b))))
    if uraian_up is not None:
        t.baris.append(Baris(("", "", uraian_up, *nilai_of(None))))
    total = jumlah(baris) if baris else nilai_of(None)
    t.baris.append(Baris(("", "", "JUMLAH", *total), tebal=True, total=True))
    return t


def _garis(kolom_nilai: list[str], lebar: float) -> list[Kolom]:
    """Sub kegiatan, account, description, then the amounts: ``lebar`` mm in all."""
    wide = 30 * 2 + 32 * len(kolom_nilai)
    return [Kolom("Kode Sub Kegiatan", 30), Kolom("Kode Rekening", 30), Kolom("Uraian", lebar - wide),
            *(Kolom(n, 32, angka=True) for n in kolom_nilai)]


def _penutup(label: str, nilai: Decimal) -> list[str]:
    return [f"{label}: Rp {rupiah(nilai)}", f"Terbilang: {terbilang(nilai)}"]


# == SPD ======================================================================================================
def spd(s: Spd, k: Kepala, dpa: Mapping[Kunci, Decimal | None], sebelumnya: Mapping[Kunci, Decimal]) -> Dokumen:
    """``dpa``: each line's authorised DPA amount (None: no longer in the DPA); ``sebelumnya``: Σ the SKPD's
    authorised SPD numbered before this one, per line."""
    periode = f"{BULAN[s.bulan_mulai - 1]} s.d. {BULAN[s.bulan_sampai - 1]} {s.tahun}"
    judul = _judul("SURAT PENYEDIAAN DANA (SPD) ANGGARAN BELANJA DAERAH", s, k, f"Untuk kebutuhan: {periode}")

    def nilai(b: domain.Baris) -> tuple:
        pagu, lalu = dpa.get(b.kunci), sebelumnya.get(b.kunci, NOL)
        return (pagu, lalu, b.nilai, lalu + b.nilai, None if pagu is None else pagu - lalu - b.nilai)

    t = _rincian("Rincian SPD", _garis(["Anggaran DPA (Rp)", "SPD Sebelumnya (Rp)", "SPD Ini (Rp)",
                                         "Jumlah s.d. SPD Ini (Rp)", "Sisa DPA (Rp)"], 277), s.baris, k, nilai)
    return Dokumen(judul, [t], lanskap=True, penutup=_penutup("Jumlah dana yang di-SPD-kan", s.nilai),
                   tanda_tangan=[_ttd(k, domain.DIBUAT, s.dibuat_oleh, "BUD / Kuasa BUD", "Disiapkan oleh,"),
                                 _ttd(k, domain.DIOTORISASI, s.diotorisasi_oleh, "PPKD selaku BUD",
                                      "Diotorisasi oleh,")])


# == SPP, SPM, SP2D: lines of one amount each ==================================================================
def _nama_jenis(jenis: str, jenis_ls: str | None = None) -> str:
    return NAMA_SPP.get(jenis, jenis) + (f" - {JENIS_LS[jenis_ls]}" if jenis_ls in JENIS_LS else "")


def _satu_kolom(nama: str, judul_nilai: str, baris: list[domain.Baris], nilai: Decimal, jenis: str,
                k: Kepala) -> Tabel:
    return _rincian(nama, _garis([judul_nilai], 190), baris, k, lambda b: (nilai if b is None else b.nilai,),
                    uraian_up=NAMA_SPP[domain.UP] if jenis == domain.UP else None)


def spp(s: Spp, k: Kepala, spd_: Spd | None) -> Dokumen:
    """``spd_``: the SPD it draws on (None for a UP)."""
    rest = [f"Jenis: SPP-{s.jenis} ({_nama_jenis(s.jenis, s.jenis_ls)})"]
    if spd_ is not None:
        rest.append(f"Dasar: SPD Nomor {spd_.nomor}")
    for label, doc in (("Kontrak", s.kontrak), ("BA Serah Terima", s.bast)):
        if doc:
            rest.append(f"{label}: Nomor {doc.get('nomor')} tanggal {doc.get('tanggal')}"
                        + (f" senilai Rp {rupiah(Decimal(str(doc['nilai'])))}" if doc.get("nilai") else ""))
    if s.alasan_tolak and s.status == domain.DRAFT:
        rest.append(f"Dikembalikan PPK-SKPD: {s.alasan_tolak}")
    if s.dikembalikan:
        rest.append(f"Sisa TU dikembalikan: Rp {rupiah(s.dikembalikan)}")
    judul = _judul(f"SURAT PERMINTAAN PEMBAYARAN {NAMA_SPP.get(s.jenis, s.jenis).upper()} (SPP-{s.jenis})", s, k,
                   *rest)
    t = _satu_kolom("Rincian SPP", "Jumlah (Rp)", s.baris, s.nilai, s.jenis, k)
    return Dokumen(judul, [t], penutup=_penutup("Jumlah SPP", s.nilai), tanda_tangan=[
        _ttd(k, domain.DIBUAT, s.dibuat_oleh, "Bendahara Pengeluaran / PPTK", "Yang mengajukan,"),
        _ttd(k, domain.DIVERIFIKASI_OLEH, s.diverifikasi_oleh, "PPK-SKPD", "Diverifikasi oleh,")])


def spm(s: Spm, k: Kepala, spp_: Spp) -> Dokumen:
    """``spp_``: the verified SPP it orders paid (its lines are the SPM's)."""
    rest = [f"Jenis: SPM-{s.jenis} ({_nama_jenis(s.jenis, spp_.jenis_ls)})", f"Dasar: SPP Nomor {spp_.nomor}"]
    if s.alasan_tolak and s.status == domain.DITOLAK:
        rest.append(f"Alasan penolakan: {s.alasan_tolak}")
    judul = _judul(f"SURAT PERINTAH MEMBAYAR (SPM-{s.jenis})", s, k, *rest)
    t = _satu_kolom("Rincian SPM", "Jumlah (Rp)", spp_.baris, s.nilai, s.jenis, k)
    keputusan = "Ditolak oleh," if s.status == domain.DITOLAK else "Diterima oleh,"
    return Dokumen(judul, [t], penutup=_penutup("Jumlah yang diminta dibayarkan", s.nilai), tanda_tangan=[
        _ttd(k, domain.DIBUAT, s.dibuat_oleh, "PPK-SKPD", "Disiapkan oleh,"),
        _ttd(k, domain.DITANDATANGANI, s.ditandatangani_oleh, "Pengguna Anggaran / Kuasa Pengguna Anggaran",
             "Ditandatangani oleh,"),
        _ttd(k, domain.DIPUTUS, s.diputus_oleh, "BUD / Kuasa BUD", keputusan)])


def sp2d(s: Sp2d, k: Kepala, spm_: Spm) -> Dokumen:
    """``spm_``: the accepted SPM it pays."""
    rest = [f"Jenis: SP2D-{s.jenis} ({_nama_jenis(s.jenis)})", f"Dasar: SPM Nomor {spm_.nomor}"]
    if s.tanggal_cair:
        rest.append(f"Dicairkan (dibayar bank): {tanggal_id(s.tanggal_cair)}")
    judul = _judul("SURAT PERINTAH PENCAIRAN DANA (SP2D)", s, k, *rest)
    t = _satu_kolom("Rincian SP2D", "Jumlah (Rp)", s.baris, s.nilai, s.jenis, k)
    return Dokumen(judul, [t], penutup=_penutup("Jumlah yang dibayarkan", s.nilai), tanda_tangan=[
        _ttd(k, domain.DIBUAT, s.dibuat_oleh, "BUD / Kuasa BUD", "Disiapkan oleh,"),
        _ttd(k, domain.DITERBITKAN, s.diterbitkan_oleh, "Kuasa Bendahara Umum Daerah", "Diterbitkan oleh,")])
