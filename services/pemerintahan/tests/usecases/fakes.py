"""pemerintahan's unit of work in memory."""
from __future__ import annotations

import copy
from decimal import Decimal
from types import SimpleNamespace

from sipd_common.fakes import FakeRepository, FakeUnitOfWork
from services.pemerintahan.eppd.domain import Band


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
        # a field the event does not carry (None) keeps the one held, as the real upsert's coalesce
        kept = {k: v for k, v in (held or {}).items() if values.get(k) is None}
        table[values["rkpd_id"]] = {"nama_bidang_urusan": None, "kode_skpd": None, "nama_sub_kegiatan": None,
                                    "indikator": None, "target": None, "satuan": None, **kept,
                                    **{k: v for k, v in values.items() if v is not None}}
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


class FakeRealisasiRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[str, dict] = {}

    def simpan(self, values: dict) -> bool:
        held = self.rows.get(values["id"])
        if held is not None and held["source_version"] >= values["source_version"]:
            return False
        self.rows[values["id"]] = dict(values)
        return True

    def versi(self, id: str) -> int | None:
        return (self.rows.get(id) or {}).get("source_version")

    def belanja(self, tahun: int) -> list[dict]:
        return [r for r in self.rows.values() if r["tahun"] == tahun and r["kode_bidang_urusan"] is not None]

    def belanja_of(self, kode_pemda: str, tahun: int) -> list:
        sums: dict = {}
        for r in self.belanja(tahun):
            if r["kode_pemda"] == kode_pemda:
                key = (r["kode_skpd"], r["kode_sub_kegiatan"], r["kode_bidang_urusan"])
                sums[key] = sums.get(key, Decimal(0)) + Decimal(r["jumlah"])
        return [SimpleNamespace(kode_skpd=k[0], kode_sub_kegiatan=k[1], kode_bidang_urusan=k[2], jumlah=v)
                for k, v in sums.items()]


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

    def exists(self, sumber_id: str) -> bool:
        return sumber_id in self.sumber

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


class FakeEppdRepository(FakeRepository):
    """Seeded with one indicator set and its bands, as the migration seeds the real tables."""

    def __init__(self):
        self.indikator_rows = {"eppd-uji": [{"kode": "A", "nama": "Aspek A", "bobot": Decimal(3)},
                                            {"kode": "B", "nama": "Aspek B", "bobot": Decimal(1)}]}
        self.band_rows = {"eppd-uji": [Band(s, Decimal(b)) for s, b in (
            ("sangat_tinggi", "3.75"), ("tinggi", "3"), ("sedang", "2"), ("rendah", "1"), ("sangat_rendah", "0"))]}
        self.ronde_rows: dict[int, dict] = {}
        self.nilai_rows: dict[tuple, Decimal] = {}
        self.khusus_rows: dict[tuple, dict] = {}

    def versi_terbaru(self, table_name: str) -> str | None:
        return max(self.indikator_rows if table_name == "indikator" else self.band_rows, default=None)

    def indikator(self, versi: str) -> list[dict]:
        return [dict(r) for r in self.indikator_rows.get(versi, [])]

    def bands(self, versi: str) -> list:
        return list(self.band_rows.get(versi, []))

    def ronde(self, tahun: int, for_update: bool = False) -> dict | None:
        return dict(self.ronde_rows[tahun]) if tahun in self.ronde_rows else None

    def add_ronde(self, values: dict) -> bool:
        if values["tahun"] in self.ronde_rows:
            return False
        self.ronde_rows[values["tahun"]] = dict(values)
        return True

    def save_ronde(self, tahun: int, status: str, version: int) -> None:
        self.ronde_rows[tahun] |= {"status": status, "version": version}

    def simpan_nilai(self, tahun, kode_pemda, skor, penilai) -> None:
        for kode, value in skor.items():
            self.nilai_rows[(tahun, kode_pemda, kode)] = value

    def nilai(self, tahun, kode_pemda=None) -> dict:
        found: dict = {}
        for (t, kode, indikator), skor in self.nilai_rows.items():
            if t == tahun and kode_pemda in (None, kode):
                found.setdefault(kode, {})[indikator] = skor
        return found

    def simpan_khusus(self, tahun, kode_pemda, status, alasan, penilai) -> None:
        self.khusus_rows.pop((tahun, kode_pemda), None)
        if status is not None:
            self.khusus_rows[(tahun, kode_pemda)] = {"status": status, "alasan": alasan}

    def khusus(self, tahun) -> dict:
        return {k: v for (t, k), v in self.khusus_rows.items() if t == tahun}


class FakeBinwasRepository(FakeRepository):
    def __init__(self):
        self.temuan: dict[str, object] = {}

    def add(self, item) -> None:
        self.temuan[item.id] = item

    def get(self, kode_pemda, id, for_update=False):
        item = self.temuan.get(id)
        return item if item is not None and item.kode_pemda == kode_pemda else None

    def save(self, item) -> None:
        self.temuan[item.id] = item

    def list_page(self, kode_pemda, offset, limit, tahun=None, status=None):
        rows = [t for t in self.temuan.values() if t.kode_pemda == kode_pemda and tahun in (None, t.tahun)
                and status in (None, t.status)]
        return rows[offset:offset + limit], len(rows)

    def counts(self, tahun) -> dict:
        found: dict = {}
        for t in self.temuan.values():
            if t.tahun == tahun and t.status != "selesai":
                found[t.kode_pemda] = found.get(t.kode_pemda, 0) + 1
        return found


class FakeNasionalRepository:
    """The national view's sums over the fake read models' rows (as the real one groups the real tables); not a
    FakeRepository: it holds no state of its own to restore, only the live read models."""

    def __init__(self, ringkasan: FakeRingkasanRepository, realisasi: FakeRealisasiRepository):
        self.ringkasan, self.realisasi = ringkasan, realisasi

    def _in(self, row, tahun, provinsi, kode_pemda) -> bool:
        return row["tahun"] == tahun and kode_pemda in (None, row["kode_pemda"]) and (
            provinsi is None or row["kode_pemda"].split(".")[0] == provinsi)

    def rencana(self, tahun, provinsi=None, kode_pemda=None) -> list:
        sums: dict = {}
        for r in self.ringkasan.rencana.values():
            if self._in(r, tahun, provinsi, kode_pemda):
                n, total = sums.get((r["kode_pemda"], r["kode_bidang_urusan"]), (0, Decimal(0)))
                sums[(r["kode_pemda"], r["kode_bidang_urusan"])] = (
                    n + (not r["dihapus"]), total + (Decimal(0) if r["dihapus"] else Decimal(r["pagu"])))
        return [(k, b, n, t) for (k, b), (n, t) in sums.items()]

    def anggaran(self, tahun, provinsi=None, kode_pemda=None) -> list:
        sums: dict = {}
        for r in self.ringkasan.anggaran.values():
            if self._in(r, tahun, provinsi, kode_pemda):
                key = (r["kode_pemda"], r["kode_bidang_urusan"])
                sums[key] = sums.get(key, Decimal(0)) + Decimal(r["total_rincian"])
        return [(k, b, t) for (k, b), t in sums.items()]

    def total_rencana(self, tahun, provinsi=None, kode_pemda=None) -> dict:
        return self._total(self.rencana(tahun, provinsi, kode_pemda), lambda row: row[3])

    def belanja(self, tahun, provinsi=None, kode_pemda=None) -> list:
        sums: dict = {}
        for r in self.realisasi.belanja(tahun):
            if self._in(r, tahun, provinsi, kode_pemda):
                key = (r["kode_pemda"], r["kode_bidang_urusan"])
                sums[key] = sums.get(key, Decimal(0)) + Decimal(r["jumlah"])
        return [(k, b, t) for (k, b), t in sums.items()]

    def total_anggaran(self, tahun, provinsi=None, kode_pemda=None) -> dict:
        return self._total(self.anggaran(tahun, provinsi, kode_pemda), lambda row: row[2])

    def total_realisasi(self, tahun, provinsi=None, kode_pemda=None) -> dict:
        return self._total(self.belanja(tahun, provinsi, kode_pemda), lambda row: row[2])

    @staticmethod
    def _total(rows, value) -> dict:
        found: dict = {}
        for row in rows:
            found[row[0]] = found.get(row[0], Decimal(0)) + value(row)
        return found

    def rencana_urusan(self, tahun, kode_pemda: list) -> list:
        return [r for r in self.rencana(tahun) if r[0] in kode_pemda]

    def anggaran_urusan(self, tahun, kode_pemda: list) -> list:
        return [r for r in self.anggaran(tahun) if r[0] in kode_pemda]

    def realisasi_urusan(self, tahun, kode_pemda: list) -> list:
        return [r for r in self.belanja(tahun) if r[0] in kode_pemda]


class FakeLppdRepository(FakeRepository):
    """Seeded with one version of the rules and of the indicator list, as the migration seeds the real tables."""

    def __init__(self):
        self.aturan_rows = {"uji": {"versi": "uji", "berlaku_mulai": 2000, "batas_bulan": 3, "versi_indikator": "uji",
                                    "dasar_hukum": "uji"}}
        self.indikator_rows = {"uji": [
            {"kode": "IPM", "nama": "IPM", "jenis": "makro", "kode_urusan": None, "satuan": "indeks",
             "polaritas": "positif"},
            {"kode": "KEMISKINAN", "nama": "Kemiskinan", "jenis": "makro", "kode_urusan": None, "satuan": "%",
             "polaritas": "negatif"}]}
        self.rows: dict[tuple, dict] = {}

    def aturan(self, tahun):
        found = [a for a in self.aturan_rows.values() if a["berlaku_mulai"] <= tahun]
        return dict(max(found, key=lambda a: a["berlaku_mulai"])) if found else None

    def aturan_versi(self, versi):
        return dict(self.aturan_rows[versi])

    def indikator(self, versi):
        return [dict(r) for r in self.indikator_rows.get(versi, [])]

    def get(self, kode_pemda, tahun, for_update=False):
        row = self.rows.get((kode_pemda, tahun))
        return copy.deepcopy(row) if row else None

    def add(self, values) -> bool:
        if (values["kode_pemda"], values["tahun"]) in self.rows:
            return False
        self.rows[(values["kode_pemda"], values["tahun"])] = copy.deepcopy(values)
        return True

    def save(self, values) -> None:
        self.rows[(values["kode_pemda"], values["tahun"])] = copy.deepcopy(values)

    def status_of(self, tahun) -> dict:
        return {k: (r["status"], r["diajukan_pada"], r["versi_aturan"]) for (k, t), r in self.rows.items() if t == tahun}


class FakePemerintahanUnitOfWork(FakeUnitOfWork):
    def __init__(self):
        super().__init__("pemerintahan")

    def attach(self) -> None:
        self.ringkasan = FakeRingkasanRepository()
        self.perda = FakePerdaRepository()
        self.eppd = FakeEppdRepository()
        self.binwas = FakeBinwasRepository()
        self.realisasi = FakeRealisasiRepository()
        self.nasional = FakeNasionalRepository(self.ringkasan, self.realisasi)
        self.lppd = FakeLppdRepository()
