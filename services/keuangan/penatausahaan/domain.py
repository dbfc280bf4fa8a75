"""Spending (penatausahaan belanja, Permendagri 77/2020): SPD → SPP → SPM → SP2D, each approved by someone
other than its maker, never beyond what the DPA and its cash plan allow.

Where is the rule that refuses …
- an SPD above the cash plan or the DPA? ``periksa_spd`` (Σ SPD up to a month ≤ the cash plan up to that month
  ≤ the DPA line, per sub kegiatan × account);
- an SPP line above what remains of its SPD line, a second UP, a GU above its SPJ, a TU without an approved
  request, an LS goods/services SPP without contract and handover? ``periksa_spp``;
- an SP2D that differs from its SPM? ``periksa_sp2d``; a disbursement above the DPA line? ``periksa_pencairan``;
- a step out of order, or a checker approving their own document? each document's transition
  (``ajukan``, ``verifikasi``, ``tandatangani``, ``putuskan``, ``terbitkan``, ``cairkan``, ``otorisasi``),
  through ``pemeriksa`` (maker ≠ checker) and ``dari`` (the state a step starts from).

A refusal is ``Ditolak`` naming each field at fault; ``SalahUrutan`` (a step out of order: 409) and
``BukanPemeriksa`` (maker and checker the same user: 403) are its kinds the use cases answer differently.
Amounts are Decimal rupiah; nothing is rounded (amounts arrive with at most 2 decimals and are only added).

Pure: no broker, no database. The DPA line is what ``uow.dpa.pagu_baris`` returns (``BarisDpa``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Mapping, Protocol

from ..plafon.domain import Ditolak, Pelanggaran

__all__ = ["Ditolak", "Pelanggaran"]  # and everything below

NOL = Decimal(0)

# -- states ------------------------------------------------------------------------------------------------
DRAFT = "draft"
# SPD: draft → otorisasi → arsip (the DPA it was issued under was amended; reissued as a new SPD)
OTORISASI, ARSIP = "otorisasi", "arsip"
# SPP: draft → diajukan → diverifikasi | back to draft with the reason (ditolak)
DIAJUKAN, DIVERIFIKASI = "diajukan", "diverifikasi"
# SPM: draft → otorisasi (signed by the PA/KPA) → diterima | ditolak (by the BUD)
DITERIMA, DITOLAK = "diterima", "ditolak"
# SP2D: draft → terbit (issued by the BUD) → cair (disbursed: the realisation)
TERBIT, CAIR = "terbit", "cair"
# an approval an SPP needs: an SPJ (GU) or a TU request: diajukan → disetujui
DISETUJUI = "disetujui"

UP, GU, TU, LS = "UP", "GU", "TU", "LS"
JENIS_SPP = (UP, GU, TU, LS)
GAJI, BARANG_JASA, PIHAK_KETIGA = "gaji", "barang_jasa", "pihak_ketiga"
JENIS_LS = (GAJI, BARANG_JASA, PIHAK_KETIGA)
SPJ, PENGAJUAN_TU = "spj", "tu"
# which approval each SPP type needs (none for UP and LS)
PENGESAHAN_UNTUK = {GU: SPJ, TU: PENGAJUAN_TU}


# the steps of a document whose officer and time are kept (``Langkah``) and print in its signature blocks
DIBUAT = "dibuat"                                   # every document: made (drafted)
DIOTORISASI = "diotorisasi"                         # SPD: authorised by the BUD
DIAJUKAN_OLEH, DIVERIFIKASI_OLEH, DIKEMBALIKAN = "diajukan", "diverifikasi", "dikembalikan"  # SPP
DITANDATANGANI, DIPUTUS = "ditandatangani", "diputus"  # SPM: signed by the PA/KPA, accepted or rejected by the BUD
DITERBITKAN, DICAIRKAN = "diterbitkan", "dicairkan"     # SP2D


@dataclass(frozen=True)
class Langkah:
    """Who took a step of a document, and when: the user, and the officer's name and NIP when the caller carried
    them (the gateway's user record)."""

    pada: datetime
    user_id: str
    nama: str | None = None
    nip: str | None = None


class SalahUrutan(Ditolak):
    """A step the document's state does not allow (out of order): nothing changed."""


class BukanPemeriksa(Ditolak):
    """The checker is the maker (or the signer approving what they signed): nothing changed."""


Kunci = tuple[str, str]  # (kode_sub_kegiatan, kode_rekening)


class BarisDpa(Protocol):
    """The current authorised DPA line of a sub kegiatan × account (``uow.dpa.pagu_baris``)."""

    jumlah: Decimal
    kas: tuple[Decimal, ...]  # the cash plan (anggaran kas), one amount per month, January first
    versi: int


@dataclass(frozen=True)
class Baris:
    """A line of an SPD, an SPP or an SP2D: an amount on one sub kegiatan × account."""

    kode_sub_kegiatan: str
    kode_rekening: str
    nilai: Decimal
    versi_dpa: int | None = None  # an SPD line: the DPA version it was issued under

    @property
    def kunci(self) -> Kunci:
        return self.kode_sub_kegiatan, self.kode_rekening


def dari(status: str, *boleh: str, field_: str = "status", what: str = "document") -> None:
    """Refuse (``SalahUrutan``) a step from ``status`` unless it is one of ``boleh``."""
    if status not in boleh:
        raise SalahUrutan(Pelanggaran(field_, f"the {what} is {status}; this step needs it {' or '.join(boleh)}"))


def pemeriksa(checker: str, *makers: str | None, what: str = "document") -> None:
    """Refuse (``BukanPemeriksa``) a checker who made (or signed) the document: maker and checker are two users."""
    if checker in [m for m in makers if m]:
        raise BukanPemeriksa(Pelanggaran(
            "pemeriksa", f"the {what} was made or signed by this user; another user must check it (maker ≠ checker)"))


def _baris_unik(baris: list[Baris]) -> list[Pelanggaran]:
    errors, seen = [], set()
    if not baris:
        errors.append(Pelanggaran("baris", "at least one line (sub kegiatan × account) is needed"))
    for i, b in enumerate(baris):
        if b.kunci in seen:
            errors.append(Pelanggaran(f"baris.{i}", f"sub kegiatan {b.kode_sub_kegiatan} × account {b.kode_rekening} "
                                                    "appears twice; one line per sub kegiatan × account"))
        seen.add(b.kunci)
        if b.nilai <= 0:
            errors.append(Pelanggaran(f"baris.{i}.nilai", "a line's amount is above zero"))
    return errors


# == SPD (surat penyediaan dana) =============================================================================
@dataclass
class Spd:
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    bulan_mulai: int
    bulan_sampai: int
    baris: list[Baris]
    dibuat_oleh: str
    nomor: str = ""
    status: str = DRAFT
    diotorisasi_oleh: str | None = None
    version: int = 1

    @property
    def nilai(self) -> Decimal:
        return sum((b.nilai for b in self.baris), NOL)

    def baris_of(self, kunci: Kunci) -> Baris | None:
        return next((b for b in self.baris if b.kunci == kunci), None)


def kas_sampai(dpa: BarisDpa, bulan: int) -> Decimal:
    """The cash plan of a DPA line up to and including ``bulan`` (1 = January)."""
    return sum(dpa.kas[:bulan], NOL)


def periksa_spd(spd: Spd, lain: Iterable[Spd], dpa: Mapping[Kunci, BarisDpa | None]) -> list[Pelanggaran]:
    """What is wrong with ``spd`` beside the SKPD's other SPDs ``lain`` (only the authorised ones count), against
    the DPA lines ``dpa``: for every month q from the SPD's end on, Σ SPD up to q ≤ the cash plan up to q; and
    Σ SPD ≤ the DPA line."""
    errors = []
    if not 1 <= spd.bulan_mulai <= spd.bulan_sampai <= 12:
        errors.append(Pelanggaran("bulan_sampai", f"the period runs from month {spd.bulan_mulai} to "
                                                  f"{spd.bulan_sampai}: 1 ≤ bulan_mulai ≤ bulan_sampai ≤ 12"))
        return errors
    errors += _baris_unik(spd.baris)
    berlaku = [s for s in lain if s.status == OTORISASI and s.id != spd.id]
    for i, b in enumerate(spd.baris):
        line = dpa.get(b.kunci)
        if line is None:
            errors.append(Pelanggaran(f"baris.{i}.kode_rekening", f"no authorised DPA line for sub kegiatan "
                                                                  f"{b.kode_sub_kegiatan} × account {b.kode_rekening}"))
            continue
        semua = [(s.bulan_sampai, x.nilai) for s in berlaku for x in s.baris if x.kunci == b.kunci]
        semua.append((spd.bulan_sampai, b.nilai))
        for q in sorted({m for m, _ in semua if m >= spd.bulan_sampai}):
            total, kas = sum((n for m, n in semua if m <= q), NOL), kas_sampai(line, q)
            if total > kas:
                errors.append(Pelanggaran(f"baris.{i}.nilai", f"Σ SPD up to month {q} would be {total}, above the "
                                                              f"cash plan up to month {q} ({kas})"))
                break
        total = sum((n for _, n in semua), NOL)
        if total > line.jumlah:
            errors.append(Pelanggaran(f"baris.{i}.nilai", f"Σ SPD would be {total}, above the DPA line ({line.jumlah})"))
    return errors


def otorisasi(spd: Spd, by: str) -> None:
    """The BUD authorises a draft SPD (another user than its maker); the amounts are checked again by the caller
    (``periksa_spd``) under the SKPD's lock."""
    dari(spd.status, DRAFT, what="SPD")
    pemeriksa(by, spd.dibuat_oleh, what="SPD")
    spd.status, spd.diotorisasi_oleh = OTORISASI, by
    spd.version += 1


def usang(spd: Spd, dpa: Mapping[Kunci, BarisDpa | None]) -> bool:
    """An authorised SPD issued under a DPA since amended (a line's version moved, or the line is gone)."""
    return spd.status == OTORISASI and any(
        (d := dpa.get(b.kunci)) is None or d.versi != b.versi_dpa for b in spd.baris)


def arsipkan(spd: Spd) -> None:
    """Superseded: the DPA was amended; the SPD is reissued as a new one (SIPD's ``arsip_pergeseran``)."""
    dari(spd.status, OTORISASI, what="SPD")
    spd.status = ARSIP
    spd.version += 1


# == approvals an SPP needs: an SPJ (for GU), a TU request ====================================================
@dataclass
class Pengesahan:
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    jenis: str  # spj | tu
    nilai: Decimal
    uraian: str
    dibuat_oleh: str
    status: str = DIAJUKAN
    disetujui_oleh: str | None = None
    version: int = 1


def setujui(p: Pengesahan, by: str) -> None:
    dari(p.status, DIAJUKAN, what="SPJ" if p.jenis == SPJ else "TU request")
    pemeriksa(by, p.dibuat_oleh, what="SPJ" if p.jenis == SPJ else "TU request")
    p.status, p.disetujui_oleh = DISETUJUI, by
    p.version += 1


# == SPP (surat permintaan pembayaran) ========================================================================
@dataclass
class Spp:
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    jenis: str
    nilai: Decimal
    dibuat_oleh: str
    baris: list[Baris] = field(default_factory=list)
    jenis_ls: str | None = None
    spd_id: str | None = None
    pengesahan_id: str | None = None  # GU: the approved SPJ; TU: the approved request
    kontrak: dict | None = None       # LS barang/jasa: {nomor, tanggal, nilai}
    bast: dict | None = None          # LS barang/jasa: the handover record {nomor, tanggal}
    nomor: str = ""
    status: str = DRAFT
    alasan_tolak: str | None = None
    diverifikasi_oleh: str | None = None
    dikembalikan: Decimal = NOL       # TU: the unused part returned
    version: int = 1


def periksa_spp(spp: Spp, *, spd: Spd | None, terpakai: Mapping[Kunci, Decimal], ada_up: bool,
                besaran_up: Decimal | None, pengesahan: Pengesahan | None,
                terpakai_pengesahan: Decimal = NOL) -> list[Pelanggaran]:
    """What is wrong with a new SPP. ``terpakai``: Σ the lines of the other SPPs on each line of its SPD;
    ``ada_up``: the SKPD has its UP of the year already; ``besaran_up``: the UP size set for the SKPD (None: not
    set); ``pengesahan``: the SPJ (GU) or TU request it names, with ``terpakai_pengesahan`` asked on it already."""
    errors = []
    if spp.jenis not in JENIS_SPP:
        return [Pelanggaran("jenis", f"one of {', '.join(JENIS_SPP)}")]
    if spp.jenis == LS and spp.jenis_ls not in JENIS_LS:
        errors.append(Pelanggaran("jenis_ls", f"an LS SPP is one of {', '.join(JENIS_LS)}"))
    if spp.jenis != LS and spp.jenis_ls is not None:
        errors.append(Pelanggaran("jenis_ls", "only an LS SPP has jenis_ls"))
    if spp.jenis == UP:
        if spp.baris:
            errors.append(Pelanggaran("baris", "a UP has no account detail"))
        if ada_up:
            errors.append(Pelanggaran("jenis", f"SKPD {spp.kode_skpd} has its UP for {spp.tahun} already (one per SKPD)"))
        if besaran_up is None:
            errors.append(Pelanggaran("nilai", f"no UP size is set for SKPD {spp.kode_skpd} in {spp.tahun}"))
        elif spp.nilai > besaran_up:
            errors.append(Pelanggaran("nilai", f"the UP {spp.nilai} is above the size set for the SKPD ({besaran_up})"))
        if spp.nilai <= 0:
            errors.append(Pelanggaran("nilai", "a UP is above zero"))
        return errors
    # GU, TU, LS: lines on the lines of an authorised SPD of the SKPD
    errors += _baris_unik(spp.baris)
    if spd is None:
        errors.append(Pelanggaran("spd_id", "no such SPD of the SKPD"))
    elif spd.status != OTORISASI:
        errors.append(Pelanggaran("spd_id", f"the SPD is {spd.status}; an SPP draws on an authorised one"))
    else:
        for i, b in enumerate(spp.baris):
            line = spd.baris_of(b.kunci)
            if line is None:
                errors.append(Pelanggaran(f"baris.{i}.kode_rekening", f"SPD {spd.nomor} has no line for sub kegiatan "
                                                                      f"{b.kode_sub_kegiatan} × account {b.kode_rekening}"))
                continue
            sisa = line.nilai - terpakai.get(b.kunci, NOL)
            if b.nilai > sisa:
                errors.append(Pelanggaran(f"baris.{i}.nilai", f"{b.nilai} is above what remains of its SPD line ({sisa})"))
    perlu = PENGESAHAN_UNTUK.get(spp.jenis)
    if perlu is not None:
        what = "an approved SPJ" if perlu == SPJ else "an approved TU request"
        if pengesahan is None or pengesahan.jenis != perlu or pengesahan.kode_skpd != spp.kode_skpd:
            errors.append(Pelanggaran("pengesahan_id", f"a {spp.jenis} SPP needs {what} of the SKPD"))
        elif pengesahan.status != DISETUJUI:
            errors.append(Pelanggaran("pengesahan_id", f"the {'SPJ' if perlu == SPJ else 'TU request'} is "
                                                       f"{pengesahan.status}, not approved"))
        elif spp.nilai > (sisa := pengesahan.nilai - terpakai_pengesahan):
            errors.append(Pelanggaran("nilai", f"{spp.nilai} is above what remains of {what} ({sisa})"))
    elif spp.pengesahan_id is not None:
        errors.append(Pelanggaran("pengesahan_id", f"a {spp.jenis} SPP names no SPJ or TU request"))
    if spp.jenis == LS and spp.jenis_ls == BARANG_JASA:
        if not spp.kontrak:
            errors.append(Pelanggaran("kontrak", "an LS goods/services SPP needs its contract"))
        elif spp.nilai > Decimal(str(spp.kontrak.get("nilai", "0"))):
            errors.append(Pelanggaran("nilai", f"{spp.nilai} is above the contract ({spp.kontrak.get('nilai')})"))
        if not spp.bast:
            errors.append(Pelanggaran("bast", "an LS goods/services SPP needs the handover record (BA serah terima)"))
    return errors


def ajukan(spp: Spp) -> None:
    dari(spp.status, DRAFT, what="SPP")
    spp.status = DIAJUKAN
    spp.version += 1


def verifikasi(spp: Spp, by: str, setuju: bool, alasan: str | None = None) -> None:
    """The PPK-SKPD verifies a submitted SPP (another user than its maker): verified, or back to draft with the
    reason."""
    dari(spp.status, DIAJUKAN, what="SPP")
    pemeriksa(by, spp.dibuat_oleh, what="SPP")
    if setuju:
        spp.status, spp.diverifikasi_oleh, spp.alasan_tolak = DIVERIFIKASI, by, None
    else:
        if not (alasan or "").strip():
            raise Ditolak(Pelanggaran("alasan", "a rejection gives its reason"))
        spp.status, spp.alasan_tolak = DRAFT, alasan
    spp.version += 1


def kembalikan_tu(spp: Spp, nilai: Decimal, cair: bool) -> None:
    """The unused part of a disbursed TU returns (by STS): at most what was paid out and not yet returned."""
    if spp.jenis != TU:
        raise Ditolak(Pelanggaran("jenis", f"only a TU returns its unused part; this is {spp.jenis}"))
    if not cair:
        raise SalahUrutan(Pelanggaran("status", "the TU is not disbursed yet; nothing to return"))
    sisa = spp.nilai - spp.dikembalikan
    if not NOL < nilai <= sisa:
        raise Ditolak(Pelanggaran("nilai", f"a return is above zero and at most what is not returned yet ({sisa})"))
    spp.dikembalikan += nilai
    spp.version += 1


# == SPM (surat perintah membayar) ============================================================================
@dataclass
class Spm:
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    spp_id: str
    jenis: str
    nilai: Decimal
    dibuat_oleh: str
    nomor: str = ""
    status: str = DRAFT
    ditandatangani_oleh: str | None = None
    diputus_oleh: str | None = None
    alasan_tolak: str | None = None
    version: int = 1


def periksa_spm(spp: Spp | None, lain: Iterable[Spm]) -> list[Pelanggaran]:
    """An SPM is made from a verified SPP with no other SPM still alive (a rejected one may be redone)."""
    if spp is None:
        return [Pelanggaran("spp_id", "no such SPP of the SKPD")]
    if spp.status != DIVERIFIKASI:
        raise SalahUrutan(Pelanggaran("spp_id", f"the SPP is {spp.status}; an SPM is made from a verified SPP"))
    if any(s.status != DITOLAK for s in lain):
        raise SalahUrutan(Pelanggaran("spp_id", "the SPP has its SPM already"))
    return []


def tandatangani(spm: Spm, by: str) -> None:
    """The PA/KPA signs (another user than the SPM's maker)."""
    dari(spm.status, DRAFT, what="SPM")
    pemeriksa(by, spm.dibuat_oleh, what="SPM")
    spm.status, spm.ditandatangani_oleh = OTORISASI, by
    spm.version += 1


def putuskan(spm: Spm, by: str, terima: bool, alasan: str | None = None) -> None:
    """The BUD accepts or rejects a signed SPM (neither its maker nor its signer)."""
    dari(spm.status, OTORISASI, what="SPM")
    pemeriksa(by, spm.dibuat_oleh, spm.ditandatangani_oleh, what="SPM")
    if not terima and not (alasan or "").strip():
        raise Ditolak(Pelanggaran("alasan", "a rejection gives its reason"))
    spm.status, spm.diputus_oleh, spm.alasan_tolak = (DITERIMA, by, None) if terima else (DITOLAK, by, alasan)
    spm.version += 1


# == SP2D (surat perintah pencairan dana) =====================================================================
@dataclass
class Sp2d:
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    spm_id: str
    jenis: str
    nilai: Decimal
    dibuat_oleh: str
    baris: list[Baris] = field(default_factory=list)
    nomor: str = ""
    status: str = DRAFT
    diterbitkan_oleh: str | None = None
    dicairkan_oleh: str | None = None
    version: int = 1
    tanggal_cair: date | None = None  # the day the bank paid: the realisation's date (the LRA's period)


def periksa_sp2d(spm: Spm | None, nilai: Decimal, lain: Iterable[Sp2d]) -> list[Pelanggaran]:
    """An SP2D is issued from an accepted SPM, once, for exactly its amount."""
    if spm is None:
        return [Pelanggaran("spm_id", "no such SPM of the pemda")]
    if spm.status != DITERIMA:
        raise SalahUrutan(Pelanggaran("spm_id", f"the SPM is {spm.status}; an SP2D is issued from an accepted SPM"))
    if any(True for _ in lain):
        raise SalahUrutan(Pelanggaran("spm_id", "the SPM has its SP2D already"))
    if nilai != spm.nilai:
        return [Pelanggaran("nilai", f"an SP2D is for its SPM's amount ({spm.nilai}), not {nilai}")]
    return []


def terbitkan(sp2d: Sp2d, by: str) -> None:
    dari(sp2d.status, DRAFT, what="SP2D")
    pemeriksa(by, sp2d.dibuat_oleh, what="SP2D")
    sp2d.status, sp2d.diterbitkan_oleh = TERBIT, by
    sp2d.version += 1


def periksa_pencairan(sp2d: Sp2d, realisasi: Mapping[Kunci, Decimal],
                      dpa: Mapping[Kunci, BarisDpa | None]) -> list[Pelanggaran]:
    """Disbursing makes each line realisation of its sub kegiatan × account: never above the DPA line.
    (A UP is an advance, not realisation: it has no lines.)"""
    errors = []
    for i, b in enumerate(sp2d.baris):
        line = dpa.get(b.kunci)
        total = realisasi.get(b.kunci, NOL) + b.nilai
        if line is None:
            errors.append(Pelanggaran(f"baris.{i}.kode_rekening", f"no authorised DPA line for sub kegiatan "
                                                                  f"{b.kode_sub_kegiatan} × account {b.kode_rekening}"))
        elif total > line.jumlah:
            errors.append(Pelanggaran(f"baris.{i}.nilai", f"the realisation would be {total}, above the DPA line "
                                                          f"({line.jumlah})"))
    return errors


def cairkan(sp2d: Sp2d, by: str, tanggal: date) -> None:
    """Disbursed (the bank paid) on ``tanggal``, a day of the SP2D's year: recorded by another user than the SP2D's
    maker; the amounts are checked by the caller (``periksa_pencairan``) under the lines' lock."""
    dari(sp2d.status, TERBIT, what="SP2D")
    pemeriksa(by, sp2d.dibuat_oleh, what="SP2D")
    if tanggal.year != sp2d.tahun:
        raise Ditolak(Pelanggaran("tanggal", f"a disbursement of the {sp2d.tahun} budget is dated in {sp2d.tahun}, "
                                             f"not {tanggal.isoformat()}"))
    sp2d.status, sp2d.dicairkan_oleh, sp2d.tanggal_cair = CAIR, by, tanggal
    sp2d.version += 1
