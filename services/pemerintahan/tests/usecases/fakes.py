"""pemerintahan's unit of work in memory."""
from __future__ import annotations

from types import SimpleNamespace

from sipd_common.fakes import FakeRepository, FakeUnitOfWork


class FakeRingkasanRepository(FakeRepository):
    def __init__(self):
        self.rencana: dict[str, dict] = {}
        self.anggaran: dict[str, dict] = {}

    def simpan_rencana(self, values: dict) -> bool:
        return self._upsert_if_newer(self.rencana, values)

    def simpan_anggaran(self, values: dict) -> bool:
        return self._upsert_if_newer(self.anggaran, values)

    @staticmethod
    def _upsert_if_newer(table: dict, values: dict) -> bool:
        held = table.get(values["rkpd_id"])
        if held is not None and held["source_version"] >= values["source_version"]:
            return False
        table[values["rkpd_id"]] = {"nama_bidang_urusan": None, **values}
        return True

    def versi_rencana(self, rkpd_id: str) -> int | None:
        return (self.rencana.get(rkpd_id) or {}).get("source_version")

    def versi_anggaran(self, rkpd_id: str) -> int | None:
        return (self.anggaran.get(rkpd_id) or {}).get("source_version")

    def rencana_of(self, kode_pemda: str, tahun: int) -> list:
        return self._rows(self.rencana, kode_pemda, tahun)

    def anggaran_of(self, kode_pemda: str, tahun: int) -> list:
        return self._rows(self.anggaran, kode_pemda, tahun)

    @staticmethod
    def _rows(table: dict, kode_pemda: str, tahun: int) -> list:
        return [SimpleNamespace(**r) for r in table.values() if (r["kode_pemda"], r["tahun"]) == (kode_pemda, tahun)]


class FakePemerintahanUnitOfWork(FakeUnitOfWork):
    def __init__(self):
        super().__init__("pemerintahan")

    def attach(self) -> None:
        self.ringkasan = FakeRingkasanRepository()
