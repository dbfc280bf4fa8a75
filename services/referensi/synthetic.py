"""A full-size synthetic codification, with the real shapes and counts, for scale tests and benchmarks.

    python -m services.referensi.synthetic --out DIR [--seed 1] [--scale 1.0] [--next]

Writes ``DIR/nomenklatur.csv`` (about 24,000 rows at scale 1: the real 8 urusan and 42 bidang
urusan, about 400 programs, 3,600 kegiatan at both levels and 20,000 sub kegiatan with kinerja,
indikator and satuan) and ``DIR/rekening.csv`` (about 11,000 accounts, six levels under the real
akun and kelompok), in the importer's columns. ``--next`` also writes ``nomenklatur-next.csv``,
the same list as a later decree would have it: about 3% renamed, 1% retired (each with a
replacement in ``kode_lama`` of a new row) and 2% added. The same seed gives the same files.

The names are made of real nomenclature words, so that searches behave as on the real list;
they are not the decree's.
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from . import seed

VERBS = ["Pembangunan", "Rehabilitasi", "Pengadaan", "Penyusunan", "Pengelolaan", "Koordinasi", "Pemeliharaan",
         "Peningkatan", "Penyediaan", "Fasilitasi", "Pembinaan", "Pengembangan", "Pelaksanaan", "Pengendalian",
         "Penyelenggaraan", "Pendataan", "Evaluasi", "Sosialisasi", "Penataan", "Perencanaan"]
OBJECTS = ["Sekolah Dasar", "Sekolah Menengah Pertama", "Ruang Kelas", "Perpustakaan Sekolah", "Puskesmas",
           "Rumah Sakit", "Jalan Kabupaten", "Jembatan", "Jaringan Irigasi", "Sistem Penyediaan Air Minum",
           "Drainase Perkotaan", "Pasar Rakyat", "Gedung Kantor", "Sarana Olahraga", "Taman Kota",
           "Data Kependudukan", "Dokumen Perencanaan", "Laporan Keuangan", "Barang Milik Daerah", "Pajak Daerah",
           "Retribusi Daerah", "Usaha Mikro", "Koperasi", "Kawasan Permukiman", "Rumah Tidak Layak Huni",
           "Lahan Pertanian", "Benih Unggul", "Ternak", "Perikanan Budidaya", "Destinasi Pariwisata",
           "Cagar Budaya", "Arsip Daerah", "Jaringan Komunikasi", "Sistem Informasi", "Tenaga Kesehatan",
           "Pendidik dan Tenaga Kependidikan", "Anak Usia Dini", "Penyandang Disabilitas", "Lansia", "Perempuan",
           "Pemuda", "Bencana Alam", "Ketertiban Umum", "Limbah Domestik", "Sampah", "Hutan Rakyat",
           "Energi Terbarukan", "Transportasi Umum", "Terminal", "Desa"]
QUALIFIERS = ["Kewenangan Daerah", "Tingkat Kabupaten/Kota", "Tingkat Provinsi", "Lintas Sektor", "Berbasis Masyarakat",
              "Sesuai Standar", "Terpadu", "di Kawasan Perdesaan", "di Kawasan Perkotaan", "Skala Kecil"]
UNITS = ["Dokumen", "Laporan", "Unit", "Paket", "Orang", "Kilometer", "Meter", "Hektar", "Kegiatan", "Lembaga"]
PAST = {"Pembangunan": "yang Dibangun", "Rehabilitasi": "yang Direhabilitasi", "Pengadaan": "yang Disediakan",
        "Penyusunan": "yang Disusun", "Pemeliharaan": "yang Dipelihara", "Peningkatan": "yang Ditingkatkan",
        "Penyediaan": "yang Disediakan", "Pengembangan": "yang Dikembangkan"}
HEADER = ["kode", "nama", "kinerja", "indikator", "satuan"]


def _top_levels() -> list[tuple[str, str]]:
    """The real urusan and bidang urusan, from the shipped list (Kepmendagri 900.1.15.5-1317/2023)."""
    _, rows = seed.nomenklatur()[0]
    return [(r["kode"], r["nama"]) for r in rows if r["kode"].count(".") <= 1]


def _name(rng: random.Random) -> tuple[str, str, str, str]:
    verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
    name = f"{verb} {obj}" + (f" {rng.choice(QUALIFIERS)}" if rng.random() < 0.5 else "")
    kinerja = f"{obj} {PAST.get(verb, 'yang Ditangani')}"
    return name, kinerja, f"Jumlah {kinerja}", rng.choice(UNITS)


def nomenklatur(rng: random.Random, scale: float = 1.0) -> list[list[str]]:
    rows = []
    for kode, nama in _top_levels():
        rows.append([kode, nama, "", "", ""])
        if kode.count(".") == 0:
            continue
        for p in range(1, max(2, round(rng.randint(6, 13) * scale)) + 1):
            program = f"{kode}.{p:02d}"
            rows.append([program, f"PROGRAM {rng.choice(VERBS).upper()} {rng.choice(OBJECTS).upper()}", "", "", ""])
            for level in ("1", "2"):
                for g in range(1, rng.randint(3, 6) + 1):
                    kegiatan = f"{program}.{level}.{g:02d}"
                    rows.append([kegiatan, _name(rng)[0], "", "", ""])
                    for s in range(1, rng.randint(3, 8) + 1):
                        rows.append([f"{kegiatan}.{s:04d}", *_name(rng)])
    return rows


def rekening(rng: random.Random, scale: float = 1.0) -> list[list[str]]:
    _, shipped = seed.rekening()[-1]
    real = sorted((r["kode"], r["nama"]) for r in shipped if r["kode"].count(".") <= 1)
    rows = [[kode, nama] for kode, nama in real]
    for kode, _ in real:
        if kode.count(".") != 1:
            continue
        for j in range(1, rng.randint(2, 8) + 1):
            jenis = f"{kode}.{j:02d}"
            rows.append([jenis, f"Belanja {rng.choice(OBJECTS)}"])
            for o in range(1, max(1, round(rng.randint(4, 12) * scale)) + 1):
                objek = f"{jenis}.{o:02d}"
                rows.append([objek, f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"])
                for r in range(1, rng.randint(2, 5) + 1):
                    rincian = f"{objek}.{r:02d}"
                    rows.append([rincian, f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"])
                    for s in range(1, rng.randint(1, 6) + 1):
                        rows.append([f"{rincian}.{s:04d}", f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"])
    return rows


def next_version(rng: random.Random, rows: list[list[str]]) -> list[list[str]]:
    """The list as a later decree would have it: renames, retirements with replacements, additions."""
    out = [list(r) + [""] for r in rows]
    subs = [r for r in out if r[0].count(".") == 5]
    for r in rng.sample(subs, len(subs) * 3 // 100):
        r[1] = r[1] + " (Perubahan)"
    retired = set()
    for r in rng.sample(subs, len(subs) // 100):
        retired.add(r[0])
        parent, number = r[0].rsplit(".", 1)
        r[0], r[5] = f"{parent}.9{number[1:]}", r[0]  # replaced by a new code, the old one in kode_lama
    kegiatan = [r[0] for r in out if r[0].count(".") == 4]
    for i in range(len(subs) * 2 // 100):
        out.append([f"{rng.choice(kegiatan)}.8{i % 1000:03d}", *_name(rng), ""])
    unique = {r[0]: r for r in out}
    return list(unique.values())


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path, seed: int = 1, scale: float = 1.0, with_next: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    nomen, rek = nomenklatur(rng, scale), rekening(rng, scale)
    _write(out / "nomenklatur.csv", HEADER, nomen)
    _write(out / "rekening.csv", ["kode", "nama"], rek)
    counts = {"nomenklatur": len(nomen), "rekening": len(rek)}
    if with_next:
        nxt = next_version(rng, nomen)
        _write(out / "nomenklatur-next.csv", HEADER + ["kode_lama"], nxt)
        counts["nomenklatur-next"] = len(nxt)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="programs and objek per parent, relative")
    parser.add_argument("--next", action="store_true", help="also write nomenklatur-next.csv, a later version")
    args = parser.parse_args()
    counts = generate(args.out, args.seed, args.scale, args.next)
    print(", ".join(f"{name}: {n} rows" for name, n in counts.items()) + f" in {args.out}")


if __name__ == "__main__":
    main()
