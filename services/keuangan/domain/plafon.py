"""Budget rules: a ceiling (plafon) per RKPD item, and the lines (rincian) priced under it.

Pure: no broker, no database. Versions order the plan's changes: an event older
than the one already applied is ignored, so consumers may see them out of order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, Inexact, localcontext


SESUAI, MELEBIHI_PLAFON, TANPA_RENCANA = "sesuai", "melebihi_plafon", "tanpa_rencana"


@dataclass(frozen=True)
class Pelanggaran:
    field: str
    message: str


@dataclass
class Plafon:
    rkpd_id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu: Decimal = Decimal(0)
    total_rincian: Decimal = Decimal(0)
    rencana_dihapus: bool = False
    source_version: int = 0  # the plan item's version this ceiling reflects
    version: int = 0  # this ceiling's own version, for the events keuangan publishes
    # a code it uses (sub kegiatan, SKPD) was retired: it needs mapping, nothing is rewritten
    perlu_pemetaan: bool = False
    pemetaan: list[dict] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.rencana_dihapus:
            return TANPA_RENCANA
        if self.total_rincian > self.pagu:
            return MELEBIHI_PLAFON
        return SESUAI

    @property
    def sisa(self) -> Decimal:
        return self.pagu - self.total_rincian

    def terapkan_rencana(self, source_version: int, pagu: Decimal, **kode: str) -> bool:
        """Apply the plan item's state at ``source_version``; False if it is not newer."""
        if source_version <= self.source_version:
            return False
        self.source_version = source_version
        self.pagu = pagu
        for name, value in kode.items():
            setattr(self, name, value)
        self.version += 1
        return True

    def terapkan_hapus(self, source_version: int, pagu: Decimal | None = None) -> bool:
        """The plan item is gone: its lines stay, flagged as without plan (``pagu``: its last one)."""
        if source_version <= self.source_version:
            return False
        self.source_version = source_version
        self.rencana_dihapus = True
        if pagu is not None:
            self.pagu = pagu
        self.version += 1
        return True

    def tandai_pemetaan(self, pemetaan: dict) -> bool:
        """A code the ceiling uses was retired: flag it; False if it was flagged for it already."""
        flagged = tambah_pemetaan(self.pemetaan, pemetaan)
        if flagged == self.pemetaan:
            return False
        self.perlu_pemetaan, self.pemetaan = True, flagged
        return True

    def periksa_rincian(self, jumlah: Decimal) -> list[Pelanggaran]:
        if self.rencana_dihapus:
            return [Pelanggaran("rkpd_id", f"RKPD item {self.rkpd_id} was deleted from the plan")]
        if self.total_rincian + jumlah > self.pagu:
            return [Pelanggaran(
                "harga_satuan",
                f"the line's amount {jumlah} would bring the total to {self.total_rincian + jumlah}, above the "
                f"plafon {self.pagu} (room left: {max(self.sisa, Decimal(0))})")]
        return []

    def tambah_rincian(self, jumlah: Decimal) -> None:
        errors = self.periksa_rincian(jumlah)
        if errors:
            raise ValueError(errors[0].message)
        self.total_rincian += jumlah
        self.version += 1


def jumlah(volume: Decimal, harga_satuan: Decimal) -> Decimal:
    """volume × harga satuan, exact.

    The default context keeps 28 digits, fewer than a large volume times a large
    price can need; this one has room for both and raises rather than round.
    """
    with localcontext() as ctx:
        ctx.prec = 64
        ctx.traps[Inexact] = True
        return volume * harga_satuan


def periksa_rekening(rekening: dict | None) -> list[Pelanggaran]:
    """A budget line of belanja must sit on a belanja account at its lowest level."""
    if rekening is None:
        return [Pelanggaran("kode_rekening", "no such account in the national chart of accounts")]
    if not rekening.get("berlaku", True):
        return [Pelanggaran("kode_rekening", dipensiunkan("account", rekening))]
    if rekening["akun"] != "belanja":
        return [Pelanggaran("kode_rekening", f"account {rekening['kode']} is {rekening['akun']}, not belanja")]
    if rekening["tingkat"] != "sub_rincian_objek":
        return [Pelanggaran("kode_rekening",
                            f"account {rekening['kode']} is a {rekening['tingkat']}; a line needs a sub rincian objek")]
    return []


def tambah_pemetaan(existing: list[dict], pemetaan: dict) -> list[dict]:
    """The retired codes a record uses, with one more unless it is there already (same code and version)."""
    same = ("kind", "kode", "versi")
    if any(all(e.get(k) == pemetaan.get(k) for k in same) for e in existing):
        return list(existing)
    return [*existing, pemetaan]


def dipensiunkan(what: str, record: dict) -> str:
    """Why a retired code (``berlaku`` false) cannot be used, and what replaces it."""
    message = f"{what} {record['kode']} was retired in version {record.get('valid_until')}"
    if record.get("kode_pengganti"):
        message += f"; use {' or '.join(record['kode_pengganti'])}"
    return message
