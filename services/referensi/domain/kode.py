"""Rules of the national codification that follow from the codes themselves.

Permendagri 90/2019: nomenclature codes are dotted, one segment per level,
except that the kegiatan carries two (the level digit, `1` province or `2`
regency/city, and its number); the chart of accounts has six levels, one
segment each; a region code has one segment for a province, two for a
regency/city, three for a district and four for a village; an organisation
(SKPD) code names up to three bidang urusan, then the unit and sub unit.
"""
from __future__ import annotations

import re

NOMENKLATUR_TINGKAT = {1: "urusan", 2: "bidang_urusan", 3: "program", 5: "kegiatan", 6: "sub_kegiatan"}
REKENING_TINGKAT = {1: "akun", 2: "kelompok", 3: "jenis", 4: "objek", 5: "rincian_objek", 6: "sub_rincian_objek"}
WILAYAH_TINGKAT = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa"}
AKUN = {"1": "aset", "2": "kewajiban", "3": "ekuitas", "4": "pendapatan", "5": "belanja", "6": "pembiayaan",
        "7": "pendapatan_lo", "8": "beban"}

_KODE = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)*$")
_DIGITS = re.compile(r"^[0-9]+$")
WILAYAH_LEBAR = (2, 2, 2, 4)  # digits per segment: province, regency/city, district, village
_WILAYAH = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")

# What an account is for, by the longest code prefix that names it (Permendagri 90/2019, lampiran II).
PERUNTUKAN = {
    "1": "aset", "2": "kewajiban", "3": "ekuitas",
    "4": "pendapatan", "4.1": "pendapatan_asli_daerah", "4.2": "pendapatan_transfer",
    "4.3": "lain_lain_pendapatan_daerah_yang_sah",
    "5": "belanja", "5.1": "belanja_operasi", "5.1.01": "belanja_pegawai", "5.1.02": "belanja_barang_dan_jasa",
    "5.1.03": "belanja_bunga", "5.1.04": "belanja_subsidi", "5.1.05": "belanja_hibah",
    "5.1.06": "belanja_bantuan_sosial", "5.2": "belanja_modal", "5.3": "belanja_tidak_terduga",
    "5.4": "belanja_transfer",
    "6": "pembiayaan", "6.1": "penerimaan_pembiayaan", "6.2": "pengeluaran_pembiayaan",
    "7": "pendapatan_lo", "8": "beban",
}
# Which report an account belongs to: the balance sheet, the budget (LRA) or the operational report (LO).
LAPORAN = {"1": "neraca", "2": "neraca", "3": "neraca", "4": "lra", "5": "lra", "6": "lra", "7": "lo", "8": "lo"}


class KodeTidakSah(ValueError):
    """A code that does not have the shape of its kind."""


def segments(kode: str) -> list[str]:
    if not _KODE.fullmatch(kode or ""):
        raise KodeTidakSah(f"{kode!r} is not a dotted code")
    return kode.split(".")


def tingkat_nomenklatur(kode: str) -> str:
    parts = segments(kode)
    try:
        tingkat = NOMENKLATUR_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; no nomenclature level has that many") from None
    if tingkat in ("kegiatan", "sub_kegiatan") and parts[3] not in ("1", "2"):
        raise KodeTidakSah(f"{kode!r}: the kegiatan level digit must be 1 (province) or 2 (regency/city)")
    return tingkat


def induk_nomenklatur(kode: str) -> str | None:
    parts = segments(kode)
    if len(parts) == 1:
        return None
    # the kegiatan's parent is the program: drop its level digit and number together
    return ".".join(parts[:3] if len(parts) == 5 else parts[:-1])


def kode_bidang_urusan(kode: str) -> str:
    parts = segments(kode)
    if len(parts) < 2:
        raise KodeTidakSah(f"{kode!r} is above the bidang urusan level")
    return ".".join(parts[:2])


def level_pemerintahan(kode_kegiatan_or_sub: str) -> str:
    """'provinsi' or 'kabupaten_kota', from the kegiatan level digit."""
    parts = segments(kode_kegiatan_or_sub)
    if len(parts) < 5 or parts[3] not in ("1", "2"):
        raise KodeTidakSah(f"{kode_kegiatan_or_sub!r} has no kegiatan level digit (1 or 2)")
    return "provinsi" if parts[3] == "1" else "kabupaten_kota"


def tingkat_rekening(kode: str) -> str:
    parts = segments(kode)
    try:
        return REKENING_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; accounts have one to six") from None


def induk(kode: str) -> str | None:
    parts = segments(kode)
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def akun(kode: str) -> str:
    return AKUN.get(segments(kode)[0], "lainnya")


def peruntukan_rekening(kode: str) -> str:
    """What the account is for: the most specific purpose its code prefix names, e.g. ``belanja_modal``."""
    parts = segments(kode)
    for n in range(len(parts), 0, -1):
        purpose = PERUNTUKAN.get(".".join(parts[:n]))
        if purpose:
            return purpose
    return "lainnya"


def laporan_rekening(kode: str) -> str:
    """``neraca`` (balance sheet), ``lra`` (budget: pendapatan, belanja, pembiayaan) or ``lo`` (operational)."""
    return LAPORAN.get(segments(kode)[0], "lainnya")


def tingkat_wilayah(kode: str) -> str:
    parts = segments(kode)
    try:
        return WILAYAH_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} is not a region code") from None


def periksa_kode_wilayah(kode: str) -> int:
    """The level (1-4) of a region code whose segments have the published widths (2, 2, 2, 4 digits)."""
    if not isinstance(kode, str) or not _WILAYAH.fullmatch(kode):
        tingkat_wilayah(kode)  # the same message as for any code of the wrong shape
        raise KodeTidakSah(f"{kode!r}: region codes have segments of {', '.join(map(str, WILAYAH_LEBAR))} digits")
    return kode.count(".") + 1


def tingkat_sumber_dana(kode: str) -> int:
    """Funding source codes are dotted, one segment per level, at most six levels."""
    parts = segments(kode)
    if len(parts) > 6:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; funding sources have one to six")
    return len(parts)


def bidang_urusan_skpd(kode: str) -> list[str]:
    """The bidang urusan an organisation code names: ``1.01.0.00.0.00.01.0000`` serves 1.01 only.

    Eight segments: three (urusan, bidang) pairs, the first required, the others ``0.00`` when
    unused; then the unit (two digits) and sub unit (four digits).
    """
    parts = segments(kode)
    if len(parts) != 8:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; an organisation code has 8 "
                           "(three urusan.bidang pairs, unit, sub unit)")
    pairs = [(parts[i], parts[i + 1]) for i in (0, 2, 4)]
    for urusan, bidang in pairs:
        if not (len(urusan) == 1 and len(bidang) == 2 and _DIGITS.fullmatch(urusan + bidang)):
            raise KodeTidakSah(f"{kode!r}: each affair is one digit and two digits, e.g. 1.01 (or 0.00 when unused)")
    if pairs[0] == ("0", "00"):
        raise KodeTidakSah(f"{kode!r}: the first bidang urusan is required")
    unit, sub_unit = parts[6], parts[7]
    if not (len(unit) == 2 and len(sub_unit) == 4 and _DIGITS.fullmatch(unit + sub_unit)):
        raise KodeTidakSah(f"{kode!r}: the unit has two digits and the sub unit four")
    bidang = [f"{u}.{b}" for u, b in pairs if (u, b) != ("0", "00")]
    if len(set(bidang)) != len(bidang):
        raise KodeTidakSah(f"{kode!r} names the same bidang urusan twice")
    return bidang


def jenis_pemda(kode: str, nama: str) -> str:
    """'provinsi', 'kabupaten' or 'kota' for a pemda; the name says which for a regency/city."""
    if tingkat_wilayah(kode) == "provinsi":
        return "provinsi"
    if tingkat_wilayah(kode) != "kabupaten_kota":
        raise KodeTidakSah(f"{kode!r} is a district or village, not a pemda")
    return "kota" if nama.lower().startswith("kota") else "kabupaten"


def bersihkan_nama(nama: str) -> str:
    """Names as published carry stray spaces; codes are kept exactly, names are cleaned."""
    return " ".join(nama.split())
