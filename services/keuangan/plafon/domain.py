"""The ceiling (plafon) of an RKPD item: kept from the plan's events, filled by the budget lines under it.

Where is the rule that refuses a budget line above its ceiling? Here: ``Plafon.tambah_rincian``.

Pure: no broker, no database. Versions order the plan's changes: an event older than the one
already applied is ignored, so the plan's events may arrive out of order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sipd_common.events import check_version_step

from ..replika.domain import tambah_pemetaan

SESUAI, MELEBIHI_PLAFON, TANPA_RENCANA = "sesuai", "melebihi_plafon", "tanpa_rencana"


def status(pagu: Decimal, total_rincian: Decimal, rencana_dihapus: bool) -> str:
    """The state of a ceiling, and of every line under it."""
    if rencana_dihapus:
        return TANPA_RENCANA
    if total_rincian > pagu:
        return MELEBIHI_PLAFON
    return SESUAI


@dataclass(frozen=True)
class Pelanggaran:
    """A rule a write breaks: the field at fault and why."""

    field: str
    message: str


class Ditolak(ValueError):
    """A write refused by a rule; nothing was changed. ``pelanggaran``: each rule it breaks."""

    def __init__(self, *pelanggaran: Pelanggaran):
        self.pelanggaran = list(pelanggaran)
        super().__init__("; ".join(p.message for p in pelanggaran))


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
        return status(self.pagu, self.total_rincian, self.rencana_dihapus)

    @property
    def sisa(self) -> Decimal:
        return self.pagu - self.total_rincian

    @property
    def ada(self) -> bool:
        """The plan has reached it (version 0 is a ceiling locked but never applied: a rolled back race)."""
        return self.version > 0

    def terapkan_rencana(self, source_version: int, pagu: Decimal, **kode: str) -> bool:
        """Apply the plan item's state at ``source_version``; False if it is not newer, ``ImplausibleVersion``
        if it is too far ahead of the one held."""
        check_version_step(source_version, self.source_version)
        if source_version <= self.source_version:
            return False
        self.source_version = source_version
        self.pagu = pagu
        for name, value in kode.items():
            setattr(self, name, value)
        self.lepas_pemetaan()
        self.version += 1
        return True

    def lepas_pemetaan(self) -> None:
        """The plan mapped the item to current codes (a berita acara): the flags of the codes it no longer uses
        are cleared, the ceiling moving with its item to the new code."""
        used = {"nomenklatur": self.kode_sub_kegiatan, "skpd": self.kode_skpd}
        self.pemetaan = [p for p in self.pemetaan if used.get(p["kind"], p["kode"]) == p["kode"]]
        self.perlu_pemetaan = bool(self.pemetaan)

    def terapkan_hapus(self, source_version: int, pagu: Decimal | None = None) -> bool:
        """The plan item is gone: its lines stay, flagged as without plan (``pagu``: its last one)."""
        check_version_step(source_version, self.source_version)
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

    def tambah_rincian(self, jumlah: Decimal) -> None:
        """A budget line of ``jumlah`` under this ceiling: added to its total, or ``Ditolak`` (nothing changed)
        when the plan item was deleted or the total would go above the ceiling (exactly: to the millionth)."""
        if self.rencana_dihapus:
            raise Ditolak(Pelanggaran("rkpd_id", f"RKPD item {self.rkpd_id} was deleted from the plan"))
        if self.total_rincian + jumlah > self.pagu:
            raise Ditolak(Pelanggaran(
                "harga_satuan",
                f"the line's amount {jumlah} would bring the total to {self.total_rincian + jumlah}, above the "
                f"plafon {self.pagu} (room left: {max(self.sisa, Decimal(0))})"))
        self.total_rincian += jumlah
        self.version += 1
