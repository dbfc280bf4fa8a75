"""Code mapping: when the codification retires or renumbers a code RKPD items use, Bappeda maps each flagged
item to current codes, and the mapping is recorded as a berita acara — numbered and dated, listing every
old→new pair and who agreed, immutable once signed. Signing is what rewrites the items (``..rkpd``):
until then they stay flagged (``perlu_pemetaan``).

Where is the rule that refuses a replacement code? Here: ``periksa_pasangan`` (the SKPD's bidang urusan
and the pemda's level, via the RKPD's own ``periksa_kode``). Pure: no broker, no database.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from contracts.perencanaan import StatusBeritaAcara

from ..rkpd.domain import Pelanggaran, SubKegiatanRkpd, periksa_kode


class SudahDitandatangani(ValueError):
    """A signed berita acara never changes, and is signed once."""


@dataclass(frozen=True)
class PasanganKode:
    """One flagged item: its codes now, and those it takes when the berita acara is signed (None: undecided)."""

    rkpd_id: str
    kode_skpd: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kode_skpd_baru: str | None
    kode_sub_kegiatan_baru: str | None
    nama_sub_kegiatan_baru: str | None = None
    usulan_skpd: tuple[str, ...] = ()
    usulan_sub_kegiatan: tuple[str, ...] = ()

    @property
    def lengkap(self) -> bool:
        return self.kode_skpd_baru is not None and self.kode_sub_kegiatan_baru is not None


def _pengganti(item: SubKegiatanRkpd, kind: str, kode: str) -> tuple[bool, tuple[str, ...]]:
    """Whether ``kode`` (of ``kind``) is flagged as retired on the item, and the crosswalk's replacements."""
    for p in item.pemetaan:
        if p["kind"] == kind and p["kode"] == kode:
            return True, tuple(p.get("kode_pengganti") or ())
    return False, ()


def _usulan(retired: bool, kode: str, pengganti: tuple[str, ...]) -> str | None:
    """A current code stays; a retired one is proposed its replacement when the crosswalk gives exactly one."""
    if not retired:
        return kode
    return pengganti[0] if len(pengganti) == 1 else None


def usulkan(item: SubKegiatanRkpd) -> PasanganKode:
    """The pair a flagged item is proposed: the crosswalk's replacement where there is exactly one."""
    skpd_retired, usulan_skpd = _pengganti(item, "skpd", item.kode_skpd)
    sub_retired, usulan_sub = _pengganti(item, "nomenklatur", item.kode_sub_kegiatan)
    return PasanganKode(
        rkpd_id=item.id, kode_skpd=item.kode_skpd, kode_sub_kegiatan=item.kode_sub_kegiatan,
        nama_sub_kegiatan=item.nama_sub_kegiatan, kode_skpd_baru=_usulan(skpd_retired, item.kode_skpd, usulan_skpd),
        kode_sub_kegiatan_baru=_usulan(sub_retired, item.kode_sub_kegiatan, usulan_sub),
        usulan_skpd=usulan_skpd, usulan_sub_kegiatan=usulan_sub)


def pilih(usulan: PasanganKode, kode_skpd_baru: str | None, kode_sub_kegiatan_baru: str | None) -> PasanganKode:
    """Bappeda's choice for an item; a code left out keeps the proposal."""
    return replace(usulan, kode_skpd_baru=kode_skpd_baru or usulan.kode_skpd_baru,
                   kode_sub_kegiatan_baru=kode_sub_kegiatan_baru or usulan.kode_sub_kegiatan_baru,
                   nama_sub_kegiatan_baru=None)


def periksa_pasangan(at: str, pasangan: PasanganKode, pemda: dict, skpd: dict | None,
                     sub_kegiatan: dict | None) -> list[Pelanggaran]:
    """The new codes of a pair against the codification: current, the sub kegiatan for the pemda's level and of
    a bidang urusan the (new) SKPD serves. Each finding names the pair's field (``pasangan.<i>.kode_…_baru``)."""
    fields = {"kode_skpd": f"{at}.kode_skpd_baru", "kode_sub_kegiatan": f"{at}.kode_sub_kegiatan_baru"}
    return [Pelanggaran(fields.get(e.field, e.field), e.message) for e in periksa_kode(pemda, skpd, sub_kegiatan)]


def periksa_lengkap(pasangan: list[PasanganKode]) -> list[Pelanggaran]:
    """A berita acara is signed with every pair decided."""
    errors = []
    for i, p in enumerate(pasangan):
        for name in ("kode_skpd_baru", "kode_sub_kegiatan_baru"):
            if getattr(p, name) is None:
                errors.append(Pelanggaran(f"pasangan.{i}.{name}", f"no replacement chosen for RKPD item {p.rkpd_id} "
                                                                  "(the crosswalk gives none or several)"))
    return errors


def periksa_bentrok(pasangan: list[PasanganKode], lain: set[tuple[str, str]]) -> list[Pelanggaran]:
    """An SKPD plans a sub kegiatan once a year: no pair may lead to what another item of the year (``lain``:
    the (SKPD, sub kegiatan) of the items not mapped) or another pair already has."""
    errors, seen = [], set(lain)
    for i, p in enumerate(pasangan):
        key = (p.kode_skpd_baru, p.kode_sub_kegiatan_baru)
        if p.lengkap and key in seen:
            errors.append(Pelanggaran(f"pasangan.{i}.kode_sub_kegiatan_baru",
                                      f"SKPD {key[0]} already plans sub kegiatan {key[1]} this year"))
        seen.add(key)
    return errors


@dataclass(frozen=True)
class BeritaAcara:
    id: str
    kode_pemda: str
    tahun: int
    pasangan: tuple[PasanganKode, ...]
    dibuat_oleh: str
    perihal: str | None = None
    status: StatusBeritaAcara = StatusBeritaAcara.DRAFT
    nomor: int | None = None
    tanggal: date | None = None
    pihak: tuple[dict, ...] = ()
    ditandatangani_oleh: str | None = None
    ditandatangani_pada: datetime | None = None
    hash: str | None = None
    version: int = 1
    changes: dict = field(default_factory=dict, compare=False)

    def _draft(self) -> None:
        if self.status != StatusBeritaAcara.DRAFT:
            raise SudahDitandatangani(f"berita acara {self.nomor_surat} is signed: it never changes")

    @property
    def nomor_surat(self) -> str | None:
        return nomor_surat(self.nomor, self.kode_pemda, self.tahun) if self.nomor is not None else None

    def ubah(self, pasangan: list[PasanganKode], perihal: str | None) -> "BeritaAcara":
        self._draft()
        return replace(self, pasangan=tuple(pasangan), perihal=perihal or self.perihal, version=self.version + 1)

    def tandatangani(self, nomor: int, tanggal: date, pihak: list[dict], oleh: str,
                     pada: datetime) -> "BeritaAcara":
        """Signed: numbered, dated, who agreed, content-hashed; ``SudahDitandatangani`` the second time."""
        self._draft()
        signed = replace(self, status=StatusBeritaAcara.DITANDATANGANI, nomor=nomor, tanggal=tanggal,
                         pihak=tuple(pihak), ditandatangani_oleh=oleh, ditandatangani_pada=pada,
                         version=self.version + 1)
        return replace(signed, hash=hash_isi(signed))


def nomor_surat(nomor: int, kode_pemda: str, tahun: int) -> str:
    """As written on the document: ``007/BA-PEMETAAN/32.73/2027``."""
    return f"{nomor:03d}/BA-PEMETAAN/{kode_pemda}/{tahun}"


def isi(ba: BeritaAcara) -> dict:
    """What is signed, as JSON (the pairs old→new, who agreed, number and date)."""
    return {"kode_pemda": ba.kode_pemda, "tahun": ba.tahun, "nomor": ba.nomor,
            "tanggal": ba.tanggal.isoformat() if ba.tanggal else None, "perihal": ba.perihal,
            "pasangan": [{"rkpd_id": p.rkpd_id, "kode_skpd": p.kode_skpd, "kode_sub_kegiatan": p.kode_sub_kegiatan,
                          "kode_skpd_baru": p.kode_skpd_baru, "kode_sub_kegiatan_baru": p.kode_sub_kegiatan_baru}
                         for p in ba.pasangan],
            "pihak": list(ba.pihak), "ditandatangani_oleh": ba.ditandatangani_oleh}


def hash_isi(ba: BeritaAcara) -> str:
    """SHA-256 of the signed content as canonical JSON (sorted keys): the same text, the same hash."""
    text = json.dumps(isi(ba), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
