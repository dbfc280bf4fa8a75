"""What a consumer's replica is filled from: a list's records in the shape of its change items, and the
snapshot's questions (which page, which levels). Pure.

A record's *latest state* is its current state, or the last state of a retired record; it is sent as
a change item: ``aksi`` ``added`` when current, ``retired`` (with ``kode_pengganti``) when retired.
"""
from __future__ import annotations

from typing import Any

from ..impor.domain import ADDED, KINDS, RETIRED
from ..kodefikasi.domain import NOMENKLATUR_TINGKAT, REKENING_TINGKAT
from ..wilayah import domain as wilayah

INT_KEYS = {"tahun"}  # key columns that are numbers


class PermintaanTidakSah(ValueError):
    """A snapshot request that cannot be answered: the field at fault and why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def bentuk_publik(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """A stored record in its published shape: a region's level by its name."""
    return wilayah.publik(record) if kind == "wilayah" else record


def item(kind: str, record: dict[str, Any], aksi: str, kode_pengganti: list[str] | None = None) -> dict[str, Any]:
    """A record's state as a change item: what happened to it, and for a retired one what replaces it."""
    return {**bentuk_publik(kind, record), "aksi": aksi,
            "kode_pengganti": list(kode_pengganti or []) if aksi == RETIRED else []}


def aksi_terakhir(record: dict[str, Any]) -> str:
    """The latest state of a record, as an item: ``added`` while current, ``retired`` once retired."""
    return ADDED if record["valid_until"] is None else RETIRED


def kunci(kind: str, record: dict[str, Any]) -> list:
    """The record's key, as ``after`` names it."""
    return [record[c] for c in KINDS[kind].key]


def setelah(kind: str, after: list | None) -> tuple | None:
    """``after`` (the key of the last record of the previous page) as the list's key."""
    if after is None:
        return None
    key = KINDS[kind].key
    if len(after) != len(key):
        raise PermintaanTidakSah("after", f"the key of a {kind} record has {len(key)} part(s): {', '.join(key)}")
    values = []
    for column, value in zip(key, after):
        if column in INT_KEYS:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise PermintaanTidakSah("after", f"{column} is a number, not {value!r}") from None
        elif not isinstance(value, str):
            raise PermintaanTidakSah("after", f"{column} is text, not {value!r}")
        values.append(value)
    return tuple(values)


def tingkat_tersimpan(kind: str, tingkat: list[str] | None) -> list | None:
    """The levels asked for, as the list stores them (a region's level by its number)."""
    if tingkat is None:
        return None
    if kind == "wilayah":
        try:
            return [wilayah.nomor_tingkat(t) for t in tingkat]
        except ValueError as exc:
            raise PermintaanTidakSah("tingkat", str(exc)) from None
    names = {"nomenklatur": NOMENKLATUR_TINGKAT.values(), "rekening": REKENING_TINGKAT.values(),
             "sumber_dana": [str(n) for n in range(1, 7)]}.get(kind)
    if names is None:
        raise PermintaanTidakSah("tingkat", f"{kind} has no levels")
    wrong = [t for t in tingkat if t not in names]
    if wrong:
        raise PermintaanTidakSah("tingkat", f"one of {', '.join(names)} (not {', '.join(wrong)})")
    return [int(t) for t in tingkat] if kind == "sumber_dana" else list(tingkat)
