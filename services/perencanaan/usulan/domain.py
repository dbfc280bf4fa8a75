"""Proposals (usulan): what the people ask through the musrenbang of their desa/kelurahan, and what a DPRD
member asks (pokok-pokok pikiran, pokir), on their way to the RKPD (Permendagri 86/2017 Art. 78; PP 12/2018
Art. 54).

A proposal is made and submitted by its proposer, then recommended level by level along its kind's chain;
the last level accepts it. Any level may reject it (final) or return it for correction; both need a reason.
The chain of each kind is data with a version (``AlurUsulan``, table ``alur_usulan``), not code: a new
decree is a new version, and a proposal keeps the chain it was made under. Which roles act at a level is
the policy's (``..policy.VERIFIKATOR_USULAN``)::

    draft ─ajukan─▶ diajukan ─setuju─▶ diverifikasi ─setuju─▶ … ─setuju (last level)─▶ diterima (final;
                                                                                      linked to an RKPD item)
    diajukan | diverifikasi ─tolak (alasan)─▶ ditolak (final)
    diajukan | diverifikasi ─kembalikan (alasan)─▶ dikembalikan (changed like a draft) ─ajukan─▶ diajukan

Pure: time arrives as a value, the schedule as a ``Jadwal``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Iterable

from contracts.perencanaan import JenisUsulan, KeputusanUsulan, StatusUsulan, UsulanRingkasOut

from ..jadwal.domain import TERKUNCI, Jadwal, boleh_menulis
from ..rkpd.domain import Pelanggaran
from ..rpjmd.domain import StatusTidakSesuai

DAPAT_DIUBAH = frozenset({StatusUsulan.DRAFT, StatusUsulan.DIKEMBALIKAN})
MENUNGGU = frozenset({StatusUsulan.DIAJUKAN, StatusUsulan.DIVERIFIKASI})
ISI = ("masalah", "uraian", "kode_sub_kegiatan", "kode_skpd", "lokasi", "volume", "satuan", "anggaran",
       "fraksi", "dapil")


# -- the chains: data with a version ------------------------------------------------------------------------

@dataclass(frozen=True)
class Tingkat:
    """One level of a chain: its code (the policy names who acts there) and its name."""

    kode: str
    nama: str


@dataclass(frozen=True)
class AlurUsulan:
    """The chain of one kind of proposal under one version, valid from fiscal year ``berlaku_mulai``;
    ``tahap``: the RKPD stages in which such proposals are written (empty: whenever the RKPD is)."""

    jenis: str
    versi: str
    dasar_hukum: str
    berlaku_mulai: int
    tingkat: tuple[Tingkat, ...]
    tahap: tuple[str, ...] = ()


def alur_berlaku(versions: Iterable[AlurUsulan], jenis: str, tahun: int) -> AlurUsulan | None:
    """The chain of ``jenis`` in force for fiscal year ``tahun``: the newest valid from it or before."""
    valid = [v for v in versions if v.jenis == jenis and v.berlaku_mulai <= tahun]
    return max(valid, key=lambda v: (v.berlaku_mulai, v.versi), default=None)


# -- a proposal ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Usulan:
    id: str
    kode_pemda: str
    tahun: int
    jenis: JenisUsulan
    pengusul: str            # musrenbang: the desa/kelurahan code; pokir: the member's username
    dibuat_oleh: str         # the user id of who made it (a pokir is written by its member only)
    masalah: str
    uraian: str
    kode_skpd: str
    volume: Decimal
    satuan: str
    anggaran: Decimal
    versi_alur: str
    alur: tuple[Tingkat, ...]
    kode_desa: str | None = None
    kode_sub_kegiatan: str | None = None
    lokasi: tuple[str, ...] = ()
    fraksi: str | None = None
    dapil: str | None = None
    status: StatusUsulan = StatusUsulan.DRAFT
    tingkat: str | None = None       # the level it awaits
    alasan: str | None = None        # of the last return, or of the rejection
    rkpd_id: str | None = None
    riwayat: tuple[dict, ...] = ()   # each step: aksi, tingkat, oleh, role, alasan, pada
    version: int = 1

    def _next(self, langkah: dict, **changes) -> "Usulan":
        return replace(self, riwayat=(*self.riwayat, langkah), version=self.version + 1, **changes)

    def ubah(self, **isi) -> "Usulan":
        """New content, while the proposer holds it (draft, or returned for correction)."""
        if self.status not in DAPAT_DIUBAH:
            raise StatusTidakSesuai(f"the proposal is {self.status}: it changes only as a draft or once returned")
        unknown = set(isi) - set(ISI)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        effective = {k: v for k, v in isi.items() if getattr(self, k) != v}
        return replace(self, version=self.version + 1, **effective) if effective else self

    def ajukan(self, langkah: dict) -> "Usulan":
        """The proposer submits it to the first level of its chain (again from the first, once returned)."""
        if self.status not in DAPAT_DIUBAH:
            raise StatusTidakSesuai(f"the proposal is {self.status}; only a draft or a returned one is submitted")
        return self._next({**langkah, "aksi": "ajukan", "tingkat": None}, status=StatusUsulan.DIAJUKAN,
                          tingkat=self.alur[0].kode, alasan=None)

    def putuskan(self, keputusan: KeputusanUsulan, alasan: str | None, langkah: dict) -> "Usulan":
        """The level it awaits decides: recommend it to the next level (accept it, at the last), reject it
        (final), or return it to the proposer. The caller's right to act at that level is the policy's."""
        if self.status not in MENUNGGU:
            raise StatusTidakSesuai(f"the proposal is {self.status}; a level decides only on a submitted one")
        step = {**langkah, "aksi": str(keputusan), "tingkat": self.tingkat, "alasan": alasan}
        if keputusan is KeputusanUsulan.TOLAK:
            return self._next(step, status=StatusUsulan.DITOLAK, tingkat=None, alasan=alasan)
        if keputusan is KeputusanUsulan.KEMBALIKAN:
            return self._next(step, status=StatusUsulan.DIKEMBALIKAN, tingkat=None, alasan=alasan)
        kodes = [t.kode for t in self.alur]
        at = kodes.index(self.tingkat)
        if at == len(kodes) - 1:
            return self._next(step, status=StatusUsulan.DITERIMA, tingkat=None)
        return self._next(step, status=StatusUsulan.DIVERIFIKASI, tingkat=kodes[at + 1])

    def tautkan(self, rkpd_id: str, langkah: dict) -> "Usulan":
        """Link an accepted proposal to the RKPD item that answers it (another item replaces the link)."""
        if self.status is not StatusUsulan.DITERIMA:
            raise StatusTidakSesuai(f"the proposal is {self.status}; only an accepted one is answered by the RKPD")
        if self.rkpd_id == rkpd_id:
            return self
        return self._next({**langkah, "aksi": "tautkan", "tingkat": None, "rkpd_id": rkpd_id}, rkpd_id=rkpd_id)

    def lepaskan(self, langkah: dict) -> "Usulan":
        if self.rkpd_id is None:
            raise StatusTidakSesuai("the proposal is linked to no RKPD item")
        return self._next({**langkah, "aksi": "lepaskan", "tingkat": None, "rkpd_id": self.rkpd_id}, rkpd_id=None)

    def nama_tingkat(self, kode: str | None) -> str | None:
        return next((t.nama for t in self.alur if t.kode == kode), None)


def ringkas(u: Usulan) -> UsulanRingkasOut:
    """What an RKPD item shows of a proposal it answers."""
    return UsulanRingkasOut(id=u.id, jenis=u.jenis, kode_skpd=u.kode_skpd, uraian=u.uraian, anggaran=u.anggaran,
                            status=u.status)


def langkah(oleh: str, role: str, pada: datetime) -> dict:
    """Who acts, and when (the transition adds what was done)."""
    return {"oleh": oleh, "role": role, "alasan": None, "pada": pada.isoformat()}


# -- the rules a write must pass ------------------------------------------------------------------------------

def periksa_pengusul(jenis: JenisUsulan, kode_pemda: str, kode_desa: str | None, fraksi: str | None = None,
                     dapil: str | None = None) -> list[Pelanggaran]:
    """A musrenbang proposal comes from a desa/kelurahan inside the pemda, which is a regency/city (a
    desa's musrenbang goes up to its own regency/city), and names no fraksi or dapil; a pokir names no desa
    (its proposer is the member)."""
    if jenis is JenisUsulan.MUSRENBANG:
        named = [Pelanggaran(f, "only a pokir (a DPRD member's) names a fraksi or dapil")
                 for f, v in (("fraksi", fraksi), ("dapil", dapil)) if v is not None]
        if named:
            return named
    if jenis is JenisUsulan.POKIR:
        if kode_desa is not None:
            return [Pelanggaran("kode_desa", "a pokir is proposed by a DPRD member, not by a desa/kelurahan")]
        return []
    if "." not in kode_pemda:
        return [Pelanggaran("jenis", f"pemda {kode_pemda} is a province: a desa/kelurahan's musrenbang goes up to "
                                     "its regency/city")]
    if kode_desa is None:
        return [Pelanggaran("kode_desa", "a musrenbang proposal names the desa/kelurahan that proposes it")]
    if not kode_desa.startswith(kode_pemda + "."):
        return [Pelanggaran("kode_desa", f"desa/kelurahan {kode_desa} is not in pemda {kode_pemda}")]
    return []


def periksa_lokasi(kode_pemda: str, lokasi: Iterable[str]) -> list[Pelanggaran]:
    lokasi = list(lokasi)
    errors = [Pelanggaran(f"lokasi.{i}", f"region {kode} is not in pemda {kode_pemda}")
              for i, kode in enumerate(lokasi) if kode != kode_pemda and not kode.startswith(kode_pemda + ".")]
    if len(set(lokasi)) != len(lokasi):
        errors.append(Pelanggaran("lokasi", "each region is named once"))
    return errors


def periksa_keputusan(keputusan: KeputusanUsulan, alasan: str | None) -> list[Pelanggaran]:
    """Rejecting and returning need a reason (the proposer must know what to correct, or why not)."""
    if keputusan is not KeputusanUsulan.SETUJU and not (alasan or "").strip():
        what = "rejecting" if keputusan is KeputusanUsulan.TOLAK else "returning"
        return [Pelanggaran("alasan", f"{what} a proposal needs a reason")]
    return []


def periksa_jendela(jadwal: Jadwal | None, alur: AlurUsulan, now: datetime) -> list[Pelanggaran]:
    """May proposals of this kind be written now: the RKPD of their year open (inside a stage's window), in
    one of the stages the chain names. A year without a schedule is written freely."""
    stage, errors = boleh_menulis(jadwal, now)
    if errors or stage is None or not alur.tahap or stage.kode in alur.tahap:
        return errors
    return [Pelanggaran("tahun", f"{alur.jenis} proposals of {jadwal.tahun} are written in the RKPD stages "
                                 f"{', '.join(alur.tahap)}; the stage open now is {stage.kode}")]


def periksa_tautan(jadwal: Jadwal | None) -> list[Pelanggaran]:
    """Links change only before the RKPD is enacted (or while its perubahan is open): the enacted RKPD never
    changes."""
    if jadwal is None:
        return []
    penetapan = jadwal.penetapan()
    if penetapan is None or penetapan.status != TERKUNCI:
        return []
    open_ = jadwal.terbuka()
    if open_ is not None and open_.perubahan:
        return []
    return [Pelanggaran("rkpd_id", f"the RKPD {jadwal.tahun} of pemda {jadwal.kode_pemda} is enacted: which item "
                                   "answers a proposal no longer changes (until a perubahan opens)")]


def diterima_tanpa_tautan(usulan: Iterable[Usulan], rkpd_hidup: set[str]) -> list[Usulan]:
    """The consistency report's finding: accepted proposals no live RKPD item answers (never linked, or
    linked to an item deleted since)."""
    return [u for u in usulan if u.status is StatusUsulan.DITERIMA and u.rkpd_id not in rkpd_hidup]
