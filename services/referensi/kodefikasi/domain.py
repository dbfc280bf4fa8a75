"""The codification's own rules: what its codes are, and how its versions follow each other. Pure.

**Codes** (Permendagri 90/2019). Nomenclature codes are dotted, one segment per level, except that
the kegiatan carries two (the level digit, `1` province or `2` regency/city, and its number); the
chart of accounts has six levels, one segment each; funding sources up to six. Region codes and
organisation (SKPD) codes have rules of their own (``wilayah/domain.py``, ``skpd/domain.py``), built
on ``segments`` here.

**Versions.** Each decree is a version, and every record of every list is valid from one version
until the version that retires it. A record valid from ``F`` until ``U`` (``U`` absent while it is
current) belongs to every version ``V`` with ``order(F) <= order(V) < order(U)``. Versions are
ordered by their ``urutan``, which follows the date of the decree: a new version is always the latest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

NOMENKLATUR_TINGKAT = {1: "urusan", 2: "bidang_urusan", 3: "program", 5: "kegiatan", 6: "sub_kegiatan"}
REKENING_TINGKAT = {1: "akun", 2: "kelompok", 3: "jenis", 4: "objek", 5: "rincian_objek", 6: "sub_rincian_objek"}
AKUN = {"1": "aset", "2": "kewajiban", "3": "ekuitas", "4": "pendapatan", "5": "belanja", "6": "pembiayaan",
        "7": "pendapatan_lo", "8": "beban"}

_KODE = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)*$")

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
    if tingkat in ("kegiatan", "sub_kegiatan") and not (len(parts[3]) == 1 and parts[3] in "12345678"):
        raise KodeTidakSah(f"{kode!r}: the kegiatan level digit must be one digit from 1 to 8 (1 province, "
                           "2 regency/city, 3 to 8 as the lists number the kegiatan of regions with special status)")
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


LINGKUP = {"provinsi": "provinsi", "prov": "provinsi", "kabupaten_kota": "kabupaten_kota", "kabkot": "kabupaten_kota"}


def lingkup(word: str) -> str:
    """A lampiran as a list names it: ``provinsi`` (PROV) or ``kabupaten_kota`` (KABKOT)."""
    try:
        return LINGKUP[word.strip().lower()]
    except KeyError:
        raise KodeTidakSah(f"{word!r} is no lampiran: provinsi (PROV) or kabupaten_kota (KABKOT)") from None


UMUM, PROVINSI = "umum", "provinsi"
VARIAN = (UMUM, PROVINSI)


def varian(word: str | None) -> str:
    """Which of a code's nomenclature records: ``umum`` (blank: every pemda's) or ``provinsi`` (the provincial
    lampiran's content of a code the regency/city lampiran gives other content)."""
    value = (word or "").strip().lower() or UMUM
    if value not in VARIAN:
        raise KodeTidakSah(f"{word!r} is no variant: umum (or blank) or provinsi")
    return value


def varian_dibaca(lingkup: str | None) -> tuple[str, ...]:
    """The variants a pemda of this level (``lingkup``) reads, its own first: a province reads the provincial
    variant of a code where there is one, else its ``umum`` record; a regency/city (or a read for no level) the
    ``umum`` one."""
    return (PROVINSI, UMUM) if lingkup == PROVINSI else (UMUM,)


def level_pemerintahan(kode_kegiatan_or_sub: str) -> str:
    """'provinsi' or 'kabupaten_kota', from the kegiatan level digit (1 or 2; the digits 3 to 8 say neither:
    the lampiran that lists the record does, ``lingkup``)."""
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


def tingkat_sumber_dana(kode: str) -> int:
    """Funding source codes are dotted, one segment per level, at most six levels."""
    parts = segments(kode)
    if len(parts) > 6:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; funding sources have one to six")
    return len(parts)


def bersihkan_nama(nama: str) -> str:
    """Names as published carry stray spaces; codes are kept exactly, names are cleaned."""
    return " ".join(nama.split())


# -- versions --------------------------------------------------------------------------------------

KODE_VERSI = re.compile(r"^[a-z][a-z0-9]*(-[0-9a-z][0-9a-z.]*)+$")


class VersiTidakSah(ValueError):
    """A version that does not exist, cannot be added, or cannot be imported into."""


JENIS_VERSI = ("keputusan", "pemutakhiran", "ekspor_sipd")


@dataclass(frozen=True)
class Versi:
    """A version of the codification: a numbered regulation or decree (``keputusan``), or a list that is none:
    an update list published ahead of its decree (``pemutakhiran``), a list exported from SIPD-RI (``ekspor_sipd``)."""

    kode: str
    judul: str
    tanggal: date
    urutan: int
    jenis: str = "keputusan"


def periksa_kode_versi(kode: str) -> str:
    """``permendagri-90-2019``, ``kepmendagri-900.1.15.5-1317-2023``: lower case, dash-separated."""
    if not isinstance(kode, str) or len(kode) > 60 or not KODE_VERSI.fullmatch(kode):
        raise VersiTidakSah(f"{kode!r} is not a version code (lower case words and numbers joined by dashes, "
                            "e.g. kepmendagri-050-5889-2021)")
    return kode


def urutan(versions: list[Versi]) -> dict[str, int]:
    return {v.kode: v.urutan for v in versions}


def cari(versions: list[Versi], kode: str) -> Versi:
    for v in versions:
        if v.kode == kode:
            return v
    raise VersiTidakSah(f"no version {kode!r}; known: {', '.join(v.kode for v in sorted(versions, key=lambda v: v.urutan))}")


def terbaru(versions: list[Versi]) -> Versi | None:
    return max(versions, key=lambda v: v.urutan, default=None)


def berlaku(valid_from: str, valid_until: str | None, pada: str | None, order: dict[str, int]) -> bool:
    """Is a record with this validity part of version ``pada`` (``None``: the current codification)?"""
    if pada is None:
        return valid_until is None
    n = order[pada]
    return order[valid_from] <= n and (valid_until is None or order[valid_until] > n)


def rentang(versions: list[Versi], pada: str) -> tuple[list[str], list[str]]:
    """For a query "as of ``pada``": the versions a record may start in, and those it may end in.

    A record is part of ``pada`` when its ``valid_from`` is in the first list and its
    ``valid_until`` is absent or in the second.
    """
    n = cari(versions, pada).urutan
    return ([v.kode for v in versions if v.urutan <= n], [v.kode for v in versions if v.urutan > n])


def versi_baru(versions: list[Versi], kode: str, judul: str | None, tanggal: date | None,
               jenis: str = "keputusan") -> Versi:
    """A version to register: after every known one, never dated before the latest."""
    periksa_kode_versi(kode)
    if jenis not in JENIS_VERSI:
        raise VersiTidakSah(f"{jenis!r} is no kind of version: {', '.join(JENIS_VERSI)}")
    if any(v.kode == kode for v in versions):
        raise VersiTidakSah(f"version {kode!r} exists already")
    if not judul or not judul.strip():
        raise VersiTidakSah(f"version {kode!r} is new: give the title of its decree")
    if tanggal is None:
        raise VersiTidakSah(f"version {kode!r} is new: give the date of its decree")
    latest = terbaru(versions)
    if latest is not None and tanggal < latest.tanggal:
        raise VersiTidakSah(f"version {kode!r} is dated {tanggal}, before the latest version {latest.kode} "
                            f"({latest.tanggal}); versions are added in the order of their decrees")
    return Versi(kode, " ".join(judul.split()), tanggal, (latest.urutan + 1) if latest else 1, jenis)


def periksa_target_impor(versions: list[Versi], target: str, terakhir_dipakai: str | None) -> None:
    """An import into ``target`` may not rewrite history: no record of the list may already start
    or end in a later version (``terakhir_dipakai``: the latest version the list's records mention)."""
    order = urutan(versions)
    cari(versions, target)
    if terakhir_dipakai is not None and order[terakhir_dipakai] > order[target]:
        raise VersiTidakSah(f"this list already has records of version {terakhir_dipakai}, later than {target}; "
                            f"import into {terakhir_dipakai} or a newer version")
