"""Versions of the codification: each decree is a version, and every record is valid from one
version until the version that retires it. Pure: versions arrive as plain values.

A record valid from ``F`` until ``U`` (``U`` absent while it is current) belongs to every version
``V`` with ``order(F) <= order(V) < order(U)``. Versions are ordered by their ``urutan``, which
follows the date of the decree: a new version is always the latest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KODE_VERSI = re.compile(r"^[a-z][a-z0-9]*(-[0-9a-z][0-9a-z.]*)+$")


class VersiTidakSah(ValueError):
    """A version that does not exist, cannot be added, or cannot be imported into."""


@dataclass(frozen=True)
class Versi:
    kode: str
    judul: str
    tanggal: date
    urutan: int


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


def versi_baru(versions: list[Versi], kode: str, judul: str | None, tanggal: date | None) -> Versi:
    """A version to register: after every known one, never dated before the latest."""
    periksa_kode_versi(kode)
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
    return Versi(kode, " ".join(judul.split()), tanggal, (latest.urutan + 1) if latest else 1)


def periksa_target_impor(versions: list[Versi], target: str, terakhir_dipakai: str | None) -> None:
    """An import into ``target`` may not rewrite history: no record of the list may already start
    or end in a later version (``terakhir_dipakai``: the latest version the list's records mention)."""
    order = urutan(versions)
    cari(versions, target)
    if terakhir_dipakai is not None and order[terakhir_dipakai] > order[target]:
        raise VersiTidakSah(f"this list already has records of version {terakhir_dipakai}, later than {target}; "
                            f"import into {terakhir_dipakai} or a newer version")
