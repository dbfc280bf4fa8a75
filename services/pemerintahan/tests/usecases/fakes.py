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


class FakePerdaRepository(FakeRepository):
    def __init__(self):
        self.perda: dict[str, object] = {}
        self.sumber: set[str] = set()
        self.lampiran_rows: list[dict] = []
        self.noreg: dict[tuple[str, int], int] = {}

    def add(self, item, sumber_id: str | None = None) -> bool:
        if sumber_id is not None and sumber_id in self.sumber:
            return False
        if sumber_id is not None:
            self.sumber.add(sumber_id)
        self.perda[item.id] = item
        return True

    def get(self, kode_pemda, id: str, for_update: bool = False):
        item = self.perda.get(id)
        return item if item is not None and kode_pemda in (None, item.kode_pemda) else None

    def save(self, item) -> None:
        self.perda[item.id] = item

    def next_noreg(self, kode_provinsi: str, tahun: int) -> int:
        self.noreg[(kode_provinsi, tahun)] = self.noreg.get((kode_provinsi, tahun), 0) + 1
        return self.noreg[(kode_provinsi, tahun)]

    def list_page(self, kode_pemda, offset, limit, tahun=None, status=None):
        statuses = None if status is None else ((status,) if isinstance(status, str) else status)
        rows = [p for p in self.perda.values() if kode_pemda in (None, p.kode_pemda) and tahun in (None, p.tahun)
                and (statuses is None or str(p.status) in statuses)]
        return rows[offset:offset + limit], len(rows)

    def counts(self, tahun: int) -> dict:
        found: dict = {}
        for p in self.perda.values():
            if p.tahun == tahun:
                found.setdefault(p.kode_pemda, {}).setdefault(str(p.status), 0)
                found[p.kode_pemda][str(p.status)] += 1
        return found

    def add_lampiran(self, values: dict) -> None:
        self.lampiran_rows.append(dict(values))

    def lampiran_of(self, perda_id: str) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "isi"} for r in self.lampiran_rows if r["perda_id"] == perda_id]

    def lampiran(self, perda_id: str, id: str) -> dict | None:
        return next((r for r in self.lampiran_rows if (r["perda_id"], r["id"]) == (perda_id, id)), None)


class FakePemerintahanUnitOfWork(FakeUnitOfWork):
    def __init__(self):
        super().__init__("pemerintahan")

    def attach(self) -> None:
        self.ringkasan = FakeRingkasanRepository()
        self.perda = FakePerdaRepository()
