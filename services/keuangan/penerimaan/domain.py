"""Revenue received (penatausahaan pendapatan): the bendahara penerimaan's receipts (TBP) and their deposit to
the regional cash account (STS), which the BUD validates: then it is realised revenue per account.

Where is the rule that refuses …
- a receipt on an account that is not a current 4.x sub rincian objek, or of an SKPD not of the pemda?
  ``periksa_tbp`` (the account and SKPD rules are the revenue targets', ``pendapatan.domain.periksa``);
- a deposit of a receipt of another SKPD, one deposited already, or one named twice? ``periksa_sts``;
- a deposit validated twice, or by its maker? ``validasi``.

Pure: no broker, no database.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..penatausahaan.domain import Pelanggaran, dari, pemeriksa
from ..pendapatan.domain import PENDAPATAN, periksa
from ..replika.domain import Rekening, Skpd

NOL = Decimal(0)
DIAJUKAN, DIVALIDASI = "diajukan", "divalidasi"


@dataclass
class Tbp:
    """A receipt (tanda bukti penerimaan): money received by the SKPD's bendahara penerimaan on one account."""

    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_rekening: str
    nama_rekening: str
    tanggal: date
    uraian: str
    penyetor: str
    nilai: Decimal
    dibuat_oleh: str
    nomor: str = ""
    sts_id: str | None = None


@dataclass
class Sts:
    """A deposit (surat tanda setoran) of receipts into the RKUD; validated by the BUD it is realised revenue."""

    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    tanggal: date
    tbp_ids: list[str]
    nilai: Decimal
    dibuat_oleh: str
    nomor: str = ""
    status: str = DIAJUKAN
    divalidasi_oleh: str | None = None
    version: int = 1


def periksa_tbp(tbp: Tbp, rekening: Rekening | None, skpd: Skpd | None) -> list[Pelanggaran]:
    errors = periksa(rekening, skpd, kode_rekening=tbp.kode_rekening, kode_skpd=tbp.kode_skpd,
                     kode_pemda=tbp.kode_pemda, boleh=(PENDAPATAN,))
    if tbp.tanggal.year != tbp.tahun:
        errors.append(Pelanggaran("tanggal", f"a receipt of {tbp.tahun} is dated in {tbp.tahun}, not {tbp.tanggal}"))
    if tbp.nilai <= 0:
        errors.append(Pelanggaran("nilai", "a receipt is above zero"))
    return errors


def periksa_sts(sts: Sts, tbps: dict[str, Tbp]) -> list[Pelanggaran]:
    """``tbps``: the receipts found of those the STS names (by id). Each is the SKPD's, of the year, and not in
    another deposit; none named twice; at least one."""
    errors = []
    if not sts.tbp_ids:
        errors.append(Pelanggaran("tbp_ids", "a deposit holds at least one receipt"))
    if sts.tanggal.year != sts.tahun:
        errors.append(Pelanggaran("tanggal", f"a deposit of {sts.tahun} is dated in {sts.tahun}, not {sts.tanggal}"))
    seen = set()
    for i, id in enumerate(sts.tbp_ids):
        tbp = tbps.get(id)
        if id in seen:
            errors.append(Pelanggaran(f"tbp_ids.{i}", "named twice"))
        elif tbp is None or tbp.kode_skpd != sts.kode_skpd:
            errors.append(Pelanggaran(f"tbp_ids.{i}", f"no receipt {id} of SKPD {sts.kode_skpd} in {sts.tahun}"))
        elif tbp.sts_id is not None:
            errors.append(Pelanggaran(f"tbp_ids.{i}", f"receipt {tbp.nomor} is deposited already"))
        elif tbp.tanggal > sts.tanggal:
            errors.append(Pelanggaran(f"tbp_ids.{i}", f"receipt {tbp.nomor} is dated after the deposit"))
        seen.add(id)
    return errors


def validasi(sts: Sts, by: str) -> None:
    """The BUD (or kuasa BUD) confirms the deposit reached the RKUD: another user than its maker."""
    dari(sts.status, DIAJUKAN, what="STS")
    pemeriksa(by, sts.dibuat_oleh, what="STS")
    sts.status, sts.divalidasi_oleh = DIVALIDASI, by
    sts.version += 1


def per_akun(tbps: list[Tbp]) -> dict[str, Decimal]:
    """Σ per account of the receipts a validated deposit realises."""
    sums: dict[str, Decimal] = defaultdict(lambda: NOL)
    for t in tbps:
        sums[t.kode_rekening] += t.nilai
    return dict(sorted(sums.items()))
