"""The register of regional regulations (Perda, Perkada) and their lifecycle (Permendagri 80/2015 as
amended by 120/2018; DOMAIN-DETAIL D).

A Perda goes draft → pembahasan with the DPRD → fasilitasi by the level above (before approval) →
persetujuan bersama → evaluasi by the level above (only the kinds the law evaluates: APBD, its
change and accountability, pajak, retribusi, RTRW, RPJPD, RPJMD) → noreg (given by the level above,
numbered per province and year) → penetapan (the head of region signs) → pengundangan in the Lembaran
Daerah. A Perkada goes draft → harmonisasi → penetapan → pengundangan in the Berita Daerah: no noreg.
Each step is taken by one level: the pemda itself, or the level above it (the province for a
regency/city, the ministry for a province). Pure: no I/O.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from sipd_common.access import Role, Scope, is_province, province_of


class Jenis(StrEnum):
    PERDA = "perda"
    PERKADA = "perkada"


class Status(StrEnum):
    DRAFT = "draft"
    PEMBAHASAN_DPRD = "pembahasan_dprd"
    FASILITASI = "fasilitasi"
    HARMONISASI = "harmonisasi"
    PERSETUJUAN_BERSAMA = "persetujuan_bersama"
    EVALUASI = "evaluasi"
    NOREG = "noreg"
    DITETAPKAN = "ditetapkan"
    DIUNDANGKAN = "diundangkan"


# The kinds of Perda the level above evaluates after the joint approval (UU 23/2014 art. 245, 249);
# every other Perda goes from the approval straight to its noreg.
DIEVALUASI = frozenset({"apbd", "perubahan_apbd", "pertanggungjawaban_apbd", "pajak", "retribusi", "rtrw",
                        "rpjpd", "rpjmd"})
KATEGORI = DIEVALUASI | {"umum"}


class Pelaku(StrEnum):
    """Who takes a step: the pemda itself, or the level above it."""

    PEMDA = "pemda"
    ATASAN = "atasan"


@dataclass(frozen=True)
class Langkah:
    ke: Status
    pelaku: Pelaku


def alur(jenis: Jenis, kategori: str) -> list[Langkah]:
    """The steps after the draft, in order."""
    if jenis is Jenis.PERKADA:
        return [Langkah(Status.HARMONISASI, Pelaku.PEMDA), Langkah(Status.DITETAPKAN, Pelaku.PEMDA),
                Langkah(Status.DIUNDANGKAN, Pelaku.PEMDA)]
    steps = [Langkah(Status.PEMBAHASAN_DPRD, Pelaku.PEMDA), Langkah(Status.FASILITASI, Pelaku.ATASAN),
             Langkah(Status.PERSETUJUAN_BERSAMA, Pelaku.PEMDA)]
    if kategori in DIEVALUASI:
        steps.append(Langkah(Status.EVALUASI, Pelaku.ATASAN))
    return steps + [Langkah(Status.NOREG, Pelaku.ATASAN), Langkah(Status.DITETAPKAN, Pelaku.PEMDA),
                    Langkah(Status.DIUNDANGKAN, Pelaku.PEMDA)]


def pelaku_atas(kode_pemda: str) -> tuple[Role, str | None]:
    """The level above a pemda: a regency/city's province (its administrator), a province's ministry."""
    if is_province(kode_pemda):
        return Role.PUSAT_ADMIN, None
    return Role.PROVINSI_ADMIN, province_of(kode_pemda)


def adalah_atasan(caller: Scope, kode_pemda: str) -> bool:
    role, kode = pelaku_atas(kode_pemda)
    return caller.role is role and caller.kode_pemda == kode


class Ditolak(Exception):
    """A step refused: ``field`` names what is wrong; ``konflik``: out of order (409), not bad input."""

    def __init__(self, field: str, message: str, konflik: bool = False, terlarang: bool = False):
        super().__init__(message)
        self.field, self.message, self.konflik, self.terlarang = field, message, konflik, terlarang


@dataclass(frozen=True)
class Perda:
    id: str
    kode_pemda: str
    tahun: int
    jenis: Jenis
    kategori: str
    judul: str
    status: Status = Status.DRAFT
    noreg: str | None = None
    nomor: str | None = None
    tanggal_penetapan: date | None = None
    nomor_pengundangan: str | None = None
    tanggal_pengundangan: date | None = None
    riwayat: tuple = field(default_factory=tuple)
    sumber: str = "register"
    version: int = 1

    @property
    def berikut(self) -> Langkah | None:
        steps = alur(self.jenis, self.kategori)
        if self.status is Status.DRAFT:
            return steps[0]
        done = [s.ke for s in steps]
        i = done.index(self.status)
        return steps[i + 1] if i + 1 < len(steps) else None

    @property
    def publik(self) -> bool:
        """Enacted (and then promulgated): everyone may read it."""
        return self.status in (Status.DITETAPKAN, Status.DIUNDANGKAN)

    def lanjut(self, ke: Status, oleh: Scope | None, pada: str, catatan: str | None = None, nomor: str | None = None,
               tanggal: date | None = None, noreg: str | None = None) -> "Perda":
        """The next step, by the level that takes it; anything else refused, naming the field."""
        step = self.berikut
        if step is None:
            raise Ditolak("tahap", f"this {self.jenis} is {self.status}: its lifecycle is complete", konflik=True)
        if ke is not step.ke:
            raise Ditolak("tahap", f"this {self.jenis} is {self.status}: the next step is {step.ke}, not {ke}",
                          konflik=True)
        if oleh is not None and not _boleh(oleh, step.pelaku, self.kode_pemda):
            who = "the pemda itself" if step.pelaku is Pelaku.PEMDA else "the level above the pemda (%s)" % (
                "the ministry" if is_province(self.kode_pemda) else f"province {province_of(self.kode_pemda)}")
            raise Ditolak("tahap", f"{ke} is taken by {who}, not by a {oleh.role} of {oleh.kode_pemda or 'pusat'}",
                          terlarang=True)
        changes: dict = {"status": ke}
        if ke is Status.NOREG:
            changes["noreg"] = noreg
        if ke is Status.DITETAPKAN:
            changes |= _nomor_tanggal("nomor", nomor, tanggal)
            changes["nomor"], changes["tanggal_penetapan"] = changes.pop("nomor"), changes.pop("tanggal")
        if ke is Status.DIUNDANGKAN:
            changes |= _nomor_tanggal("nomor", nomor, tanggal)
            if self.tanggal_penetapan and changes["tanggal"] < self.tanggal_penetapan:
                raise Ditolak("tanggal", "a regulation is promulgated on or after its enactment "
                                         f"({self.tanggal_penetapan.isoformat()})")
            changes["nomor_pengundangan"], changes["tanggal_pengundangan"] = changes.pop("nomor"), changes.pop("tanggal")
        entry = {"tahap": str(ke), "pada": pada, "oleh": oleh.username if oleh else "system",
                 "peran": str(oleh.role) if oleh else None, "catatan": catatan}
        return replace(self, **changes, riwayat=self.riwayat + (entry,), version=self.version + 1)


def _boleh(caller: Scope, pelaku: Pelaku, kode_pemda: str) -> bool:
    if pelaku is Pelaku.ATASAN:
        return adalah_atasan(caller, kode_pemda)
    return caller.kode_pemda == kode_pemda or caller.is_national


def _nomor_tanggal(field_: str, nomor: str | None, tanggal: date | None) -> dict:
    if not nomor:
        raise Ditolak(field_, "this step records the regulation's number")
    if tanggal is None:
        raise Ditolak("tanggal", "this step records its date")
    return {"nomor": nomor, "tanggal": tanggal}


def format_noreg(kode_pemda: str, nomor: int, tahun: int) -> str:
    """A register number as the province (or the ministry) gives it: ``NOREG PERDA 32.73 (12/2026)``: the
    pemda, the running number in its province's year (gap-free), and the year."""
    return f"NOREG PERDA {kode_pemda} ({nomor}/{tahun})"


# -- attachments -----------------------------------------------------------------------------------------------
PDF_MAGIC = b"%PDF-"


def periksa_lampiran(isi: bytes, batas: int) -> str:
    """The SHA-256 of a signed PDF that may be stored; a refusal naming ``file`` otherwise."""
    if len(isi) > batas:
        raise Ditolak("file", f"the attachment is {len(isi)} bytes; at most {batas} are accepted")
    if not isi.startswith(PDF_MAGIC):
        raise Ditolak("file", "the attachment is not a PDF (it does not start with %PDF-)")
    return hashlib.sha256(isi).hexdigest()
