"""The flags of the chart of accounts (tanda rekening) and what a budget line on a flagged account needs.

SIPD-RI marks its accounts with flags (``is_gaji_asn``, ``is_modal_tanah``, ``is_hibah_*``, ``is_sosial_*``, …;
DOMAIN-DETAIL B: "account flags must fit the context"). The lists referensi publishes carry none, so keuangan keeps
them as a rule table (``tanda_rekening``, seeded by migration ``aturan_anggaran``): one row per flag and version, the
account prefixes it marks and what a line on such an account needs. A decree's change is a row with a later
``tahun_dari``, not code.

Where is ...
- which flags an account carries in a year? ``TandaRekening.of`` over the rules in force (``tanda_berlaku``);
- the rule a line breaks? ``periksa_tanda``: a flag's ``sub_kegiatan`` (the sub kegiatan a line on it may sit
  under: an ASN salary only under "Penyediaan Gaji dan Tunjangan ASN") and ``wajib`` (the fields a line on it gives:
  a hibah or bansos line its recipient, a land purchase its location). Each refusal names the field. Asked by every
  way a line is made (an RKA line, its change and import; the deprecated ``/apbd/{tahun}/rincian``);
- the same rule for money put on a budget position (an APBD-P change, a pergeseran's destination)?
  ``periksa_tanda_pos``;
- the legal ratios' use of them? ``apbd/domain.Selektor`` (``tanda``, ``kecuali_tanda``).

Pure: no broker, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from ..apbd.domain import aturan_berlaku, di_bawah
from ..plafon.domain import Pelanggaran

# the fields a flag may require of a line, and how a refusal names what is missing
WAJIB = {"penerima": "its recipient (penerima)", "lokasi": "its location (lokasi)"}


def cocok_pola(kode: str, pola: str) -> bool:
    """A sub kegiatan code against a pattern as the decree writes one: a segment of ``X`` only (``X.XX``) is any
    urusan or bidang urusan, so ``X.XX.01.2.02.0001`` is ``1.01.01.2.02.0001`` and every SKPD's instance of it."""
    parts, want = kode.split("."), pola.split(".")
    return len(parts) == len(want) and all(w == p or set(w) == {"X"} for p, w in zip(parts, want))


@dataclass(frozen=True)
class Tanda:
    """One version of a flag (a row of ``tanda_rekening``): the accounts under any of ``akun`` and none of
    ``kecuali_akun`` carry it from fiscal year ``tahun_dari``. A line on such an account sits only under a sub kegiatan
    matching one of ``sub_kegiatan`` (empty: any) and gives every field of ``wajib``."""

    kode: str
    tahun_dari: int
    nama: str
    akun: tuple[str, ...]
    kecuali_akun: tuple[str, ...] = ()
    sub_kegiatan: tuple[str, ...] = ()
    wajib: tuple[str, ...] = ()
    dasar_hukum: str = ""
    urutan: int = 0

    def menandai(self, kode_rekening: str) -> bool:
        return (any(di_bawah(kode_rekening, p) for p in self.akun)
                and not any(di_bawah(kode_rekening, p) for p in self.kecuali_akun))


def tanda_berlaku(aturan: Iterable[Tanda], tahun: int) -> list[Tanda]:
    """Per flag, the version in force for ``tahun``: the latest ``tahun_dari`` not after it (as a ratio's)."""
    return aturan_berlaku(aturan, tahun)


@dataclass(frozen=True)
class TandaRekening:
    """The flags in force for one fiscal year."""

    tahun: int
    aturan: tuple[Tanda, ...]
    # an account's flags, worked out once per account (an import asks for each of its rows, a ratio for each
    # account of the budget)
    _held: dict[str, tuple[Tanda, ...]] = field(default_factory=dict, compare=False, repr=False)
    _kode: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def untuk(cls, aturan: Iterable[Tanda], tahun: int) -> "TandaRekening":
        return cls(tahun, tuple(tanda_berlaku(aturan, tahun)))

    def pada(self, kode_rekening: str) -> tuple[Tanda, ...]:
        if kode_rekening not in self._held:
            self._held[kode_rekening] = tuple(t for t in self.aturan if t.menandai(kode_rekening))
        return self._held[kode_rekening]

    def of(self, kode_rekening: str) -> frozenset[str]:
        """The codes of the flags the account carries (``gaji_asn``, ``hibah``, …)."""
        if kode_rekening not in self._kode:
            self._kode[kode_rekening] = frozenset(t.kode for t in self.pada(kode_rekening))
        return self._kode[kode_rekening]


def isian_tanda(baru) -> dict:
    """What a flag may ask (``WAJIB``) as a request gives it — a line, or the change that puts money on a budget
    position: each field's value as stored (JSON), None when not given."""
    return {name: getattr(baru, name).model_dump(mode="json") if getattr(baru, name, None) else None
            for name in WAJIB}


def yang_diisi(isian: dict) -> list[str]:
    """The fields of ``isian_tanda`` given."""
    return [name for name, value in isian.items() if value is not None]


def periksa_tanda(tanda: TandaRekening, kode_rekening: str, kode_sub_kegiatan: str,
                  diisi: Iterable[str]) -> list[Pelanggaran]:
    """A line on ``kode_rekening`` under ``kode_sub_kegiatan``, with the optional fields ``diisi`` given: what its
    account's flags refuse. The sub kegiatan a flag allows names ``kode_rekening`` (the account is what does not
    fit there); a missing field names that field."""
    given, errors = set(diisi), []
    for t in tanda.pada(kode_rekening):
        if t.sub_kegiatan and not any(cocok_pola(kode_sub_kegiatan, p) for p in t.sub_kegiatan):
            errors.append(Pelanggaran("kode_rekening", (
                f"account {kode_rekening} is {t.nama} ({t.kode}): it is budgeted only under sub kegiatan "
                f"{' or '.join(t.sub_kegiatan)}, not under {kode_sub_kegiatan}")))
        for wajib in t.wajib:
            if wajib not in given:
                errors.append(Pelanggaran(wajib, f"a line on account {kode_rekening} ({t.nama}) names "
                                                 f"{WAJIB.get(wajib, wajib)}"))
    return errors


def periksa_tanda_pos(tanda: TandaRekening, kode_rekening: str, kode_sub_kegiatan: str, diisi: Iterable[str],
                      sebelum: Decimal, sesudah: Decimal, awalan: str = "") -> list[Pelanggaran]:
    """Money put on a budget position (``sebelum`` → ``sesudah``: an APBD-P change, a pergeseran's destination) on
    ``kode_rekening`` under ``kode_sub_kegiatan``: what ``periksa_tanda`` refuses of a line there, each field named
    under ``awalan`` (``ke.`` for a pergeseran's destination). A position holds no recipient or location of its
    own: the change that adds the money gives them (``diisi``). Taking money off is never refused: it moves the
    budget away from an account its flags may forbid there (one a line made before these rules)."""
    if sesudah <= sebelum:
        return []
    return [Pelanggaran(awalan + p.field, p.message)
            for p in periksa_tanda(tanda, kode_rekening, kode_sub_kegiatan, diisi)]
