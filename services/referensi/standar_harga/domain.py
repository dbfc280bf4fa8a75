"""Standard prices of a pemda and year (SSH, SBU, HSPK, ASB). Pure.

A standard price is an item with its unit price in rupiah (exact, at most two decimals) and the
belanja accounts (sub rincian objek) on which it may be spent; those must be current.
"""
from __future__ import annotations

from ..kodefikasi.domain import segments

JENIS_STANDAR_HARGA = ("SSH", "SBU", "HSPK", "ASB")


def periksa_kode(kode: str) -> None:
    """A standard price's code is any dotted code (each pemda numbers its own items)."""
    segments(kode)


def jenis_tidak_sah(jenis: str) -> str | None:
    """Why a kind of standard price is refused, or None."""
    return None if jenis in JENIS_STANDAR_HARGA else f"must be one of {', '.join(JENIS_STANDAR_HARGA)}"


def rekening_tidak_berlaku(kode_rekening: list[str], belanja_berlaku: set[str]) -> list[str]:
    """A price may be spent on current belanja sub rincian objek only: why each other account is refused."""
    return [f"account {r} is not a current belanja sub rincian objek" for r in kode_rekening
            if r not in belanja_berlaku]
