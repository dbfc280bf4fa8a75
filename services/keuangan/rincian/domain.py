"""A budget line (rincian belanja): an amount on an account, under the ceiling of an RKPD item.

Why was a line refused? Its account (``periksa_rekening``), its ceiling (``tanpa_plafon`` here;
above the ceiling or under a deleted plan item: ``Plafon.tambah_rincian`` in ``plafon/domain.py``).

Pure: no broker, no database.
"""
from __future__ import annotations

from decimal import Decimal, Inexact, localcontext

from ..plafon.domain import Pelanggaran
from ..replika.domain import Rekening, dipensiunkan


def jumlah(volume: Decimal, harga_satuan: Decimal) -> Decimal:
    """volume × harga satuan, exact.

    The default context keeps 28 digits, fewer than a large volume times a large
    price can need; this one has room for both and raises rather than round.
    """
    with localcontext() as ctx:
        ctx.prec = 64
        ctx.traps[Inexact] = True
        return volume * harga_satuan


def periksa_rekening(rekening: Rekening | None) -> list[Pelanggaran]:
    """A budget line of belanja must sit on a current belanja account at its lowest level."""
    if rekening is None:
        return [Pelanggaran("kode_rekening", "no such account in the national chart of accounts")]
    if not rekening.berlaku:
        return [Pelanggaran("kode_rekening", dipensiunkan("account", rekening))]
    if rekening.akun != "belanja":
        return [Pelanggaran("kode_rekening", f"account {rekening.kode} is {rekening.akun}, not belanja")]
    if rekening.tingkat != "sub_rincian_objek":
        return [Pelanggaran("kode_rekening",
                            f"account {rekening.kode} is a {rekening.tingkat}; a line needs a sub rincian objek")]
    return []


def tanpa_plafon(rkpd_id: str, kode_pemda: str, tahun: int) -> Pelanggaran:
    """A line needs the ceiling of an RKPD item of its pemda and year that the plan has reached."""
    return Pelanggaran("rkpd_id", f"no RKPD item {rkpd_id} with a ceiling in {kode_pemda}/{tahun}")
