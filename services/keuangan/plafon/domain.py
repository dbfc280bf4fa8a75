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
    # -- funding sources and KUA-PPAS (issue 13) -------------------------------------------------------------
    # the ceiling of each funding source (kode → pagu) and what the lines use of each (kode → total)
    sumber_dana: dict[str, Decimal] = field(default_factory=dict)
    total_sumber_dana: dict[str, Decimal] = field(default_factory=dict)
    # what the plan says now; the same as pagu / sumber_dana until the nota kesepakatan fixes the ceiling
    pagu_rencana: Decimal = Decimal(0)
    sumber_dana_rencana: dict[str, Decimal] = field(default_factory=dict)
    disepakati: bool = False
    pergeseran_ditolak: int = 0  # the plan version whose difference TAPD rejected (0: none)

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

    def terapkan_rencana(self, source_version: int, pagu: Decimal, sumber_dana: dict[str, Decimal] | None = None,
                         **kode: str) -> bool:
        """Apply the plan item's state at ``source_version``; False if it is not newer, ``ImplausibleVersion``
        if it is too far ahead of the one held. Once agreed (nota kesepakatan) the plan's figures are kept beside
        the ceiling, which they no longer move: the difference is a pergeseran TAPD accepts or rejects."""
        check_version_step(source_version, self.source_version)
        if source_version <= self.source_version:
            return False
        self.source_version = source_version
        self.pagu_rencana = pagu
        self.sumber_dana_rencana = dict(sumber_dana or {})
        if not self.disepakati:
            self.pagu, self.sumber_dana = pagu, dict(self.sumber_dana_rencana)
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

    def tambah_rincian(self, jumlah: Decimal, kode_sumber_dana: str | None = None) -> None:
        """A budget line of ``jumlah`` under this ceiling: added to its total, or ``Ditolak`` (nothing changed)
        when the plan item was deleted, the total would go above the ceiling (exactly: to the millionth), or the
        line's funding source is not one of the item's or its ceiling would be exceeded. A line without a source
        (the legacy path) and an item whose plan names no sources are held to the total only."""
        if self.rencana_dihapus:
            raise Ditolak(Pelanggaran("rkpd_id", f"RKPD item {self.rkpd_id} was deleted from the plan"))
        found = []
        if self.total_rincian + jumlah > self.pagu:
            found.append(Pelanggaran(
                "harga_satuan",
                f"the line's amount {jumlah} would bring the total to {self.total_rincian + jumlah}, above the "
                f"plafon {self.pagu} (room left: {max(self.sisa, Decimal(0))})"))
        if kode_sumber_dana is not None and self.sumber_dana:
            found += self._periksa_sumber_dana(kode_sumber_dana, jumlah)
        if found:
            raise Ditolak(*found)
        self.total_rincian += jumlah
        if kode_sumber_dana is not None:
            self.total_sumber_dana[kode_sumber_dana] = self.total_sumber_dana.get(kode_sumber_dana, Decimal(0)) + jumlah
        self.version += 1

    def _periksa_sumber_dana(self, kode: str, jumlah: Decimal) -> list[Pelanggaran]:
        if kode not in self.sumber_dana:
            return [Pelanggaran("kode_sumber_dana", f"RKPD item {self.rkpd_id} is not funded by {kode} (its sources: "
                                                    f"{', '.join(sorted(self.sumber_dana))})")]
        pagu, used = self.sumber_dana[kode], self.total_sumber_dana.get(kode, Decimal(0))
        if used + jumlah > pagu:
            return [Pelanggaran("kode_sumber_dana", f"the line's amount {jumlah} would bring funding source {kode} "
                                                    f"to {used + jumlah}, above its ceiling {pagu} (room left: "
                                                    f"{max(pagu - used, Decimal(0))})")]
        return []

    def hapus_rincian(self, jumlah: Decimal, kode_sumber_dana: str | None = None) -> None:
        """A line of ``jumlah`` taken out (a re-import replaces the lines of the sub kegiatan)."""
        self.total_rincian -= jumlah
        if kode_sumber_dana is not None:
            self.total_sumber_dana[kode_sumber_dana] = self.total_sumber_dana.get(kode_sumber_dana, Decimal(0)) - jumlah
            if not self.total_sumber_dana[kode_sumber_dana]:
                del self.total_sumber_dana[kode_sumber_dana]
        self.version += 1

    # -- KUA-PPAS: the agreed ceiling and the plan's drift from it ---------------------------------------------
    def sepakati(self, pagu: Decimal) -> None:
        """The nota kesepakatan fixes the ceiling at the agreed PPAS figure (the funding sources stay as the
        plan splits them); from now on the plan's changes are kept beside it as a pergeseran."""
        self.disepakati, self.pagu, self.pergeseran_ditolak = True, pagu, 0
        self.sumber_dana = dict(self.sumber_dana_rencana)
        self.version += 1

    @property
    def pergeseran(self) -> str | None:
        """``menunggu``: the plan differs from the agreed ceiling and TAPD has not decided; ``ditolak``: TAPD kept
        the agreed ceiling against the plan's current figures; None: they agree (or nothing is agreed yet)."""
        if not self.disepakati or (self.pagu_rencana == self.pagu and self.sumber_dana_rencana == self.sumber_dana):
            return None
        return "ditolak" if self.pergeseran_ditolak == self.source_version else "menunggu"

    def terima_pergeseran(self) -> None:
        """TAPD accepts the plan's figures: they become the ceiling (lines above it are flagged, not removed)."""
        self._perlu_pergeseran()
        self.pagu, self.sumber_dana, self.pergeseran_ditolak = self.pagu_rencana, dict(self.sumber_dana_rencana), 0
        self.version += 1

    def tolak_pergeseran(self) -> None:
        """TAPD keeps the agreed ceiling; the plan's figures stay shown beside it (``ditolak``) until the plan
        changes again."""
        self._perlu_pergeseran()
        self.pergeseran_ditolak = self.source_version
        self.version += 1

    def _perlu_pergeseran(self) -> None:
        if self.pergeseran != "menunggu":
            raise TidakAdaPergeseran(f"no pending difference between the plan and the agreed ceiling of {self.rkpd_id}")


class TidakAdaPergeseran(ValueError):
    """A decision on a pergeseran that is not pending (a conflict: decided already, or none)."""
