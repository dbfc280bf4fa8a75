"""Revenue targets (pendapatan, accounts 4.x) and financing lines (pembiayaan: receipts 6.1, payments 6.2),
the RKA-PPKD's part of the APBD beside the SKPD's spending.

Why was a revenue or financing line refused? ``periksa``: its account (a current sub rincian objek under 4,
or under 6.1 / 6.2 for financing) and its SKPD (of the pemda; the PPKD for transfers and financing).
Whether the budget is still open to change: ``apbd/domain.periksa_terbuka``.

Pure: no broker, no database.
"""
from __future__ import annotations

from ..apbd.domain import di_bawah
from ..plafon.domain import Pelanggaran
from ..replika.domain import Rekening, Skpd, dipensiunkan

PENDAPATAN, PENERIMAAN, PENGELUARAN = "pendapatan", "penerimaan_pembiayaan", "pengeluaran_pembiayaan"
# the account each kind sits under
INDUK = {PENDAPATAN: "4", PENERIMAAN: "6.1", PENGELUARAN: "6.2"}
# Transfers and financing are budgeted by the PPKD (the regional treasurer, in the financial management
# agency): an SKPD serving bidang urusan 5.02 (keuangan). PAD and other revenue are each SKPD's own.
BIDANG_PPKD = "5.02"
MILIK_PPKD = ("4.2", "6")


def jenis(kode_rekening: str) -> str | None:
    """``pendapatan``, ``penerimaan_pembiayaan`` or ``pengeluaran_pembiayaan`` by the account's code; None for
    any other."""
    return next((j for j, prefix in INDUK.items() if di_bawah(kode_rekening, prefix)), None)


def periksa(rekening: Rekening | None, skpd: Skpd | None, *, kode_rekening: str, kode_skpd: str, kode_pemda: str,
            boleh: tuple[str, ...]) -> list[Pelanggaran]:
    """What is wrong with a line on ``kode_rekening`` of ``kode_skpd``, where the route takes the kinds ``boleh``."""
    errors = []
    if rekening is None:
        errors.append(Pelanggaran("kode_rekening", "no such account in the national chart of accounts"))
    elif not rekening.berlaku:
        errors.append(Pelanggaran("kode_rekening", dipensiunkan("account", rekening)))
    elif jenis(rekening.kode) not in boleh:
        under = " or ".join(INDUK[j] for j in boleh)
        errors.append(Pelanggaran("kode_rekening", f"account {rekening.kode} is not under {under}"))
    elif rekening.tingkat != "sub_rincian_objek":
        errors.append(Pelanggaran(
            "kode_rekening", f"account {rekening.kode} is a {rekening.tingkat}; a line needs a sub rincian objek"))
    if skpd is None:
        errors.append(Pelanggaran("kode_skpd", f"no SKPD {kode_skpd} in pemda {kode_pemda}"))
    elif not skpd.berlaku:
        errors.append(Pelanggaran("kode_skpd", dipensiunkan("SKPD", skpd)))
    elif (any(di_bawah(kode_rekening, p) for p in MILIK_PPKD) and BIDANG_PPKD not in skpd.bidang_urusan
          and not di_bawah(kode_skpd, BIDANG_PPKD)):
        errors.append(Pelanggaran(
            "kode_skpd", f"transfers and financing are the PPKD's: an SKPD of bidang urusan {BIDANG_PPKD} (keuangan), "
                         f"not {kode_skpd}"))
    return errors
