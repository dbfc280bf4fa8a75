"""A budget line (rincian belanja): an amount on an account, under the ceiling of an RKPD item.

Why was a line refused? Its account (``periksa_rekening``), its component and price (``periksa_komponen``),
its coefficient (``volume``), its funding source (``periksa_sumber_dana``), its account's flags — a salary account
outside the salary sub kegiatan, a hibah or bansos line without recipient, a land purchase without location
(``tanda/domain.periksa_tanda``: a rule table) —, its ceiling (``tanpa_plafon`` here;
above the ceiling or its funding source's, or under a deleted plan item: ``Plafon.tambah_rincian`` in
``plafon/domain.py``). The amount's rounding rule: ``jumlah_rka``.

Pure: no broker, no database.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext

from ..plafon.domain import Pelanggaran
from ..replika.domain import Rekening, StandarHarga, SumberDana, dipensiunkan


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


# == the RKA-SKPD line (issue 13) ===========================================================================
# A line prices a standard-price component: volume (the product of up to four factors) × unit price, plus tax.

SATU_RUPIAH = Decimal(1)
VOLUME_MAKS = Decimal(10) ** 12  # the column keeps 12 integer digits and 4 decimals


def volume(koefisien: list[tuple[Decimal, str]]) -> tuple[Decimal | None, list[Pelanggaran]]:
    """The product of the factors (SIPD: ``volume = Π vol_i``), exact; refused when it needs more than 4 decimals
    or 12 integer digits (the factors of one line never do in practice)."""
    with localcontext() as ctx:
        ctx.prec = 64
        ctx.traps[Inexact] = True
        product = Decimal(1)
        for factor, _ in koefisien:
            product *= factor
    if product >= VOLUME_MAKS or product != product.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP):
        return None, [Pelanggaran("koefisien", f"the volume {product} needs more than 12 digits or 4 decimals")]
    return product, []


def koefisien_teks(koefisien: list[tuple[Decimal, str]]) -> str:
    """The coefficient as SIPD prints it: ``2 Orang x 12 Bulan``."""
    return " x ".join(f"{to_plain(v)} {s}" for v, s in koefisien)


def to_plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def jumlah_rka(vol: Decimal, harga_satuan: Decimal, pajak: Decimal) -> Decimal:
    """The line's amount: volume × harga satuan × (1 + pajak/100), computed exactly, then rounded to the whole
    rupiah with ROUND_HALF_UP (half a rupiah and more goes up). One rounding per line; totals add rounded lines."""
    with localcontext() as ctx:
        ctx.prec = 64
        ctx.traps[Inexact] = True
        exact = vol * harga_satuan * (100 + pajak) / 100
    return exact.quantize(SATU_RUPIAH, rounding=ROUND_HALF_UP)


def periksa_komponen(komponen: StandarHarga | None, kode_standar_harga: str, kode_pemda: str, tahun: int,
                     kode_rekening: str, harga_satuan: Decimal) -> list[Pelanggaran]:
    """The component is one of this pemda's standard prices for this year (the replica is keyed so: another
    pemda's or year's is not found), current, allows the line's account, and its price is not exceeded."""
    if komponen is None:
        return [Pelanggaran("kode_standar_harga",
                            f"no standard price {kode_standar_harga} of pemda {kode_pemda} for {tahun}")]
    if not komponen.berlaku:
        return [Pelanggaran("kode_standar_harga", dipensiunkan("standard price", komponen))]
    found = []
    if kode_rekening not in komponen.kode_rekening:
        found.append(Pelanggaran("kode_rekening", f"account {kode_rekening} is not allowed for component "
                                                  f"{komponen.kode} (allowed: {', '.join(komponen.kode_rekening) or 'none'})"))
    if harga_satuan > komponen.harga:
        found.append(Pelanggaran("harga_satuan", f"the unit price {harga_satuan} is above the standard price "
                                                 f"{komponen.harga} of {komponen.kode}"))
    return found


def periksa_sumber_dana(sumber_dana: SumberDana | None, kode: str) -> list[Pelanggaran]:
    if sumber_dana is None:
        return [Pelanggaran("kode_sumber_dana", f"no funding source {kode} in the national list")]
    if not sumber_dana.berlaku:
        return [Pelanggaran("kode_sumber_dana", dipensiunkan("funding source", sumber_dana))]
    return []
