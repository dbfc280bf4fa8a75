"""keuangan's unit of work in memory: the ceilings, the lines and the replica as plain dicts.

Each fake keeps what the real repository's SQL keeps (the latest state per record, the lines joined with
their ceiling's state), so the use cases run unchanged in milliseconds.
"""
from __future__ import annotations

import copy
import importlib.util
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from decimal import Decimal
from typing import Any, Iterable

from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from contracts.referensi import CHANGED, RekeningChanged, RekeningItem
from services.keuangan.apbd.domain import Apbd, AturanRasio, Selektor
from services.keuangan.dpa.domain import BarisDpa, Dpa
from services.keuangan.dpa.repository import PaguBaris
from services.keuangan.jadwal.domain import DefinisiTahap, JadwalAnggaran, Tahapan
from services.keuangan.perubahan.domain import Kewenangan, Perubahan, Pos
from services.keuangan.penatausahaan import domain as belanja
from services.keuangan.penerimaan.domain import Sts, Tbp
from services.keuangan.plafon.domain import Plafon
from services.keuangan.ppas.domain import Ppas
from services.keuangan.replika.domain import KUNCI, NamaRekening, kunci, lebih_baru, record, terbaru
from services.keuangan.replika.usecases import apply_changed
from services.keuangan.tanda.domain import Tanda, TandaRekening
from sipd_common.access import Scope
from sipd_common.fakes import FakeRepository, FakeUnitOfWork
from sipd_common.replica import Posisi
from sipd_common.varian import varian_dibaca


class FakePlafonRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[str, Plafon] = {}

    def lock_or_create(self, rkpd_id: str, **identity) -> Plafon:
        self.rows.setdefault(rkpd_id, Plafon(rkpd_id=rkpd_id, **identity))
        return self.lock(rkpd_id)

    def lock(self, rkpd_id: str, kode_pemda: str | None = None, tahun: int | None = None) -> Plafon | None:
        p = self.rows.get(rkpd_id)
        if p is None or (kode_pemda is not None and (p.kode_pemda, p.tahun) != (kode_pemda, tahun)):
            return None
        return copy.deepcopy(p)  # a row read: the use case's changes count once saved

    def save(self, p: Plafon) -> None:
        self.rows[p.rkpd_id] = copy.deepcopy(p)

    def using_sub_kegiatan(self, kodes: list[str]) -> list[Plafon]:
        return self._using(lambda p: p.kode_sub_kegiatan in kodes)

    def using_skpd(self, pairs: list[tuple[str, str]]) -> list[Plafon]:
        return self._using(lambda p: (p.kode_pemda, p.kode_skpd) in pairs)

    def _using(self, match) -> list[Plafon]:
        return [copy.deepcopy(p) for k, p in sorted(self.rows.items()) if p.version > 0 and match(p)]

    def save_pemetaan(self, flagged: list[Plafon]) -> None:
        for p in flagged:
            held = self.rows[p.rkpd_id]
            held.perlu_pemetaan, held.pemetaan = p.perlu_pemetaan, copy.deepcopy(p.pemetaan)

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                  kode_skpd: str | None = None, match=lambda p: True) -> tuple[list[Plafon], int]:
        rows = sorted((p for p in self.rows.values() if (p.kode_pemda, p.tahun) == (kode_pemda, tahun)
                       and p.version > 0 and (not kode_skpd or p.kode_skpd == kode_skpd) and match(p)),
                      key=lambda p: (p.kode_skpd, p.kode_sub_kegiatan, p.rkpd_id))
        return [copy.deepcopy(p) for p in rows[offset:offset + limit]], len(rows)

    # -- KUA-PPAS and RKA-SKPD (issue 13) -----------------------------------------------------------------
    def save_all(self, ps: list[Plafon]) -> None:
        for p in ps:
            self.save(p)

    def lock_tahun(self, kode_pemda: str, tahun: int) -> list[Plafon]:
        return self._using(lambda p: (p.kode_pemda, p.tahun) == (kode_pemda, tahun))

    def lock_many(self, kode_pemda: str, tahun: int, rkpd_ids: list[str]) -> list[Plafon]:
        return self._using(lambda p: (p.kode_pemda, p.tahun) == (kode_pemda, tahun) and p.rkpd_id in rkpd_ids)

    def pagu_rencana_per_sub_kegiatan(self, kode_pemda: str, tahun: int) -> list[tuple[str, str, Decimal]]:
        sums: dict[tuple[str, str], Decimal] = {}
        for p in self._using(lambda p: (p.kode_pemda, p.tahun) == (kode_pemda, tahun)):
            key = (p.kode_skpd, p.kode_sub_kegiatan)
            sums[key] = sums.get(key, Decimal(0)) + p.pagu_rencana
        return [(*k, v) for k, v in sums.items()]

    def of_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> list[Plafon]:
        return self._using(lambda p: (p.kode_pemda, p.tahun, p.kode_skpd) == (kode_pemda, tahun, kode_skpd))

    def get(self, kode_pemda: str, tahun: int, rkpd_id: str) -> Plafon | None:
        p = self.lock(rkpd_id, kode_pemda, tahun)
        return p if p is not None and p.version > 0 else None

    def list_pergeseran(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                        kode_skpd: str | None = None) -> tuple[list[Plafon], int]:
        return self.list_page(kode_pemda, tahun, offset, limit, kode_skpd, lambda p: p.disepakati and (
            p.pagu_rencana != p.pagu or p.sumber_dana_rencana != p.sumber_dana))


class FakeRincianRepository(FakeRepository):
    """The lines; ``plafon`` is the ceilings' dict of the fake plafon repository (the join), shared, not copied:
    the fake unit of work copies and restores both in one go, so they stay one."""

    def __init__(self, plafon: dict[str, Plafon]):
        self.lines: dict[str, dict[str, Any]] = {}
        self.plafon = plafon

    def add(self, values: dict[str, Any]) -> None:
        self.lines[values["id"]] = {"perlu_pemetaan": False, "pemetaan": [], "revisi_rekening": 0, **values}

    def _joined(self, line: dict[str, Any]) -> dict[str, Any]:
        p = self.plafon[line["rkpd_id"]]
        return copy.deepcopy({**line, "pagu": p.pagu, "total_rincian": p.total_rincian,
                              "rencana_dihapus": p.rencana_dihapus, "kode_skpd": p.kode_skpd})

    def get(self, kode_pemda: str, tahun: int, id: str) -> dict[str, Any] | None:
        line = self.lines.get(id)
        if line is None or (line["kode_pemda"], line["tahun"]) != (kode_pemda, tahun):
            return None
        return self._joined(line)

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int, rkpd_id: str | None = None,
                  kode_skpd: str | None = None) -> tuple[list[dict[str, Any]], int]:
        rows = [self._joined(line) for line in self.lines.values()
                if (line["kode_pemda"], line["tahun"]) == (kode_pemda, tahun)
                and (not rkpd_id or line["rkpd_id"] == rkpd_id)]
        rows = [r for r in rows if not kode_skpd or r["kode_skpd"] == kode_skpd]
        return rows[offset:offset + limit], len(rows)

    def add_many(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.add(row)

    def update(self, id: str, values: dict[str, Any]) -> None:
        self.lines[id].update(copy.deepcopy(values))

    def delete(self, id: str) -> None:
        del self.lines[id]

    def of_sub_kegiatan(self, kode_pemda: str, tahun: int, rkpd_id: str) -> list[dict[str, Any]]:
        rows = [self._joined(line) for line in self.lines.values()
                if (line["kode_pemda"], line["tahun"], line["rkpd_id"]) == (kode_pemda, tahun, rkpd_id)]
        return sorted(rows, key=lambda r: (r.get("kelompok", ""), r.get("keterangan", "")))

    def of_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> list[dict[str, Any]]:
        rows = [{**copy.deepcopy(line), "kode_sub_kegiatan": self.plafon[line["rkpd_id"]].kode_sub_kegiatan}
                for line in self.lines.values() if (line["kode_pemda"], line["tahun"]) == (kode_pemda, tahun)
                and self.plafon[line["rkpd_id"]].kode_skpd == kode_skpd]
        return sorted(rows, key=lambda r: (r["kode_sub_kegiatan"], r["kode_rekening"], r.get("kelompok", ""),
                                           r.get("keterangan", "")))

    def delete_under(self, kode_pemda: str, tahun: int, rkpd_ids: list[str]) -> list[dict[str, Any]]:
        gone = [id for id, line in self.lines.items()
                if (line["kode_pemda"], line["tahun"]) == (kode_pemda, tahun) and line["rkpd_id"] in rkpd_ids]
        removed = [self.lines.pop(id) for id in gone]
        return [{k: line.get(k) for k in ("rkpd_id", "jumlah", "kode_sumber_dana")} for line in removed]

    def using_rekening(self, kodes: list[str]) -> list[dict[str, Any]]:
        return [copy.deepcopy({"id": id, "kode_rekening": line["kode_rekening"], "pemetaan": line["pemetaan"]})
                for id, line in sorted(self.lines.items()) if line["kode_rekening"] in kodes]

    def flag(self, flagged: list[tuple[str, list[dict]]]) -> None:
        for id, pemetaan in flagged:
            self.lines[id].update(perlu_pemetaan=True, pemetaan=copy.deepcopy(pemetaan))

    def rename_rekening(self, names: list[NamaRekening]) -> None:
        for n in names:
            for line in self.lines.values():
                if line["kode_rekening"] == n.kode and line["revisi_rekening"] < n.revisi:
                    line.update(nama_rekening=n.nama, revisi_rekening=n.revisi)

    def jumlah_per(self, kode_pemda: str, tahun: int, keys: tuple[str, ...],
                   kode_skpd: str | None = None) -> list[dict[str, Any]]:
        sums: dict[tuple, Decimal] = {}
        for line in self.lines.values():
            if (line["kode_pemda"], line["tahun"]) == (kode_pemda, tahun):
                p = self.plafon[line["rkpd_id"]]
                if kode_skpd is not None and p.kode_skpd != kode_skpd:
                    continue
                of = {"kode_rekening": line["kode_rekening"], "kode_skpd": p.kode_skpd, "rkpd_id": line["rkpd_id"],
                      "kelompok_rekening": ".".join(line["kode_rekening"].split(".")[:2]),
                      "kode_sub_kegiatan": p.kode_sub_kegiatan, "kode_bidang_urusan": p.kode_bidang_urusan,
                      "kode_program": ".".join(p.kode_sub_kegiatan.split(".")[:3])}
                key = tuple(of[k] for k in keys)
                sums[key] = sums.get(key, Decimal(0)) + line["jumlah"]
        return [{**dict(zip(keys, k)), "jumlah": v} for k, v in sums.items()]


class FakeReplikaRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[str, dict[tuple, dict[str, Any]]] = {kind: {} for kind in KUNCI}
        self.posisi: dict[str, Posisi] = {}
        self.filled: set[str] = set()

    def simpan(self, kind: str, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            key = kunci(kind, row)
            held = self.rows[kind].get(key)
            if lebih_baru(held["revisi"] if held else None, row["revisi"]):
                self.rows[kind][key] = copy.deepcopy(row)

    def get(self, kind: str, *key: Any) -> Any:
        row = self.rows[kind].get(tuple(key))
        return record(kind, row) if row else None

    def get_many(self, kind: str, keys: Iterable[tuple]) -> dict[tuple, Any]:
        return {k: record(kind, self.rows[kind][k]) for k in set(keys) if k in self.rows[kind]}

    def varian_provinsi(self, kodes: list[str]) -> set[str]:
        return {k for (k, v), row in self.rows["nomenklatur"].items() if k in kodes and v == "provinsi" and row["berlaku"]}

    def catat(self, kind: str, urutan: int | None) -> None:
        if urutan is not None:
            self.posisi[kind] = self.posisi.get(kind, Posisi(kind)).setelah(urutan)

    def siap(self, kind: str) -> bool:
        return kind in self.filled

    def perlu_diisi(self, kinds: Iterable[str]) -> list[str]:
        return [k for k in kinds if k not in self.filled or self.posisi.get(k, Posisi(k)).celah]

    # -- for the tests: a list filled as a completed snapshot leaves it ------------------------------------
    def isi(self, kind: str, rows: list[dict[str, Any]] = (), urutan: int = 0) -> None:
        self.simpan(kind, list(rows))
        self.posisi[kind] = self.posisi.get(kind, Posisi(kind)).sampai(urutan)
        self.filled.add(kind)


class FakePpasRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[tuple[str, int], Ppas] = {}

    def lock(self, kode_pemda: str, tahun: int) -> Ppas | None:
        return copy.deepcopy(self.rows.get((kode_pemda, tahun)))

    def get(self, kode_pemda: str, tahun: int) -> Ppas | None:
        p = self.lock(kode_pemda, tahun)
        if p is not None:
            p.pagu = {}
        return p

    def totals(self, kode_pemda: str, tahun: int):
        p = self.rows[(kode_pemda, tahun)]
        return p.total, p.total_rkpd

    def disepakati(self, kode_pemda: str, tahun: int) -> bool:
        p = self.rows.get((kode_pemda, tahun))
        return p is not None and p.disepakati

    def pagu_per(self, kode_pemda: str, tahun: int, tingkat: str, kode_skpd: str | None = None,
                 kode: str | None = None) -> dict[tuple[str, str], Decimal]:
        held = self.rows.get((kode_pemda, tahun))
        return {(r.kode_skpd, r.kode): r.pagu for r in (held.pagu.values() if held else ())
                if r.tingkat == tingkat and kode_skpd in (None, r.kode_skpd) and kode in (None, r.kode)}

    def save(self, p: Ppas, changed: list) -> None:
        held = self.rows.get((p.kode_pemda, p.tahun))
        rows = dict(held.pagu) if held else {}
        rows.update({r.kunci: copy.deepcopy(r) for r in changed})
        self.rows[(p.kode_pemda, p.tahun)] = copy.deepcopy(p)
        self.rows[(p.kode_pemda, p.tahun)].pagu = rows

    def list_pagu(self, kode_pemda: str, tahun: int, offset: int, limit: int, tingkat: str | None = None,
                  kode_skpd: str | None = None):
        held = self.rows.get((kode_pemda, tahun))
        rows = sorted((r for r in (held.pagu.values() if held else ()) if (not tingkat or r.tingkat == tingkat)
                       and (not kode_skpd or r.kode_skpd == kode_skpd)), key=lambda r: (r.kode_skpd, r.kode, r.tingkat))
        return copy.deepcopy(rows[offset:offset + limit]), len(rows)


class FakeVerifikasiRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[str, dict[str, Any]] = {}

    def add(self, values: dict[str, Any]) -> None:
        self.rows[values["id"]] = dict(values)

    def lock(self, kode_pemda: str, tahun: int, id: str) -> dict[str, Any] | None:
        row = self.rows.get(id)
        return dict(row) if row and (row["kode_pemda"], row["tahun"]) == (kode_pemda, tahun) else None

    def answer(self, id: str, tanggapan: str, by: str) -> None:
        self.rows[id].update(tanggapan=tanggapan, ditanggapi_oleh=by)

    def of_sub_kegiatan(self, kode_pemda: str, tahun: int, rkpd_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rows.values() if (r["kode_pemda"], r["tahun"], r["rkpd_id"]) == (kode_pemda, tahun, rkpd_id)]
# -- the APBD (apbd/, pendapatan/) ---------------------------------------------------------------------------

class FakePendapatanRepository(FakeRepository):
    def __init__(self):
        self.lines: dict[str, dict[str, Any]] = {}

    def add(self, values: dict[str, Any]) -> None:
        self.lines[values["id"]] = copy.deepcopy(values)

    def list_page(self, kode_pemda: str, tahun: int, jenis: tuple[str, ...], offset: int, limit: int,
                  kode_skpd: str | None = None) -> tuple[list[dict[str, Any]], int]:
        rows = [copy.deepcopy(r) for r in self.lines.values() if (r["kode_pemda"], r["tahun"]) == (kode_pemda, tahun)
                and r["jenis"] in jenis and (not kode_skpd or r["kode_skpd"] == kode_skpd)]
        return rows[offset:offset + limit], len(rows)

    def jumlah_per_akun(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[tuple]:
        sums: dict[tuple, Decimal] = {}
        for r in self.lines.values():
            if (r["kode_pemda"], r["tahun"]) == (kode_pemda, tahun) and (not kode_skpd or r["kode_skpd"] == kode_skpd):
                key = (r["kode_skpd"], r["kode_rekening"])
                sums[key] = sums.get(key, Decimal(0)) + r["jumlah"]
        return [(*k, v) for k, v in sums.items()]


# the rules the migrations seed (0007_apbd.py; their numerators by flag since 0013_aturan_anggaran.py), as the
# repository reads them
RASIO = [
    AturanRasio("belanja_pegawai", 2000, "Belanja pegawai", Selektor(("5.1.01",), kecuali_tanda=("tunjangan_guru_tkd",)),
                Selektor(("5",)), "<=", Decimal(30), 2027, "UU 1/2022 Pasal 146", 1),
    AturanRasio("infrastruktur_pelayanan_publik", 2000, "Belanja infrastruktur pelayanan publik",
                Selektor(tanda=("infrastruktur_pelayanan_publik",)), Selektor(("5",), ("5.4",)), ">=", Decimal(40),
                2027, "UU 1/2022 Pasal 147", 2),
    AturanRasio("fungsi_pendidikan", 2000, "Belanja fungsi pendidikan", Selektor(("5",), (), ("1.01",)),
                Selektor(("5",)), ">=", Decimal(20), 2000, "UUD 1945 Pasal 31 ayat (4)", 3),
    AturanRasio("kesehatan", 2000, "Belanja kesehatan (informasi)", Selektor(("5",), (), ("1.02",)),
                Selektor(("5",)), None, None, None, "UU 17/2023", 4),
]


class FakeApbdRepository(FakeRepository):
    """``replika`` is the replica's rows (for the names), shared as the lines share the ceilings."""

    def __init__(self, replika: dict[str, dict[tuple, dict[str, Any]]]):
        self.rows: dict[tuple, Apbd] = {}
        self.enacted: dict[tuple, dict[str, Any]] = {}
        self.aturan = list(RASIO)
        self.replika = replika

    def terbuka(self, kode_pemda: str, tahun: int) -> tuple[str, str | None] | None:
        a = self.rows.get((kode_pemda, tahun))
        return (a.status, a.hasil_evaluasi) if a else None

    def lock(self, kode_pemda: str, tahun: int) -> Apbd:
        return self.get(kode_pemda, tahun) or Apbd(kode_pemda, tahun)

    def get(self, kode_pemda: str, tahun: int) -> Apbd | None:
        return copy.deepcopy(self.rows.get((kode_pemda, tahun)))

    def save(self, a: Apbd) -> None:
        self.rows[(a.kode_pemda, a.tahun)] = copy.deepcopy(a)

    def add_ditetapkan(self, values: dict[str, Any]) -> None:
        key = (values["kode_pemda"], values["tahun"])
        assert key not in self.enacted, "the table's primary key"
        self.enacted[key] = copy.deepcopy({**values, "ditetapkan_pada": "2026-12-20T00:00:00+00:00"})

    def ditetapkan(self, kode_pemda: str, tahun: int, isi: bool = True) -> dict[str, Any] | None:
        row = copy.deepcopy(self.enacted.get((kode_pemda, tahun)))
        if row is not None and not isi:
            del row["isi"]
        return row

    def aturan_rasio(self) -> list[AturanRasio]:
        return list(self.aturan)

    def nama_rekening(self, kodes: list[str]) -> dict[str, str]:
        held = self.replika["rekening"]
        return {k: held[(k,)]["nama"] for k in kodes if (k,) in held}

    def nama_nomenklatur(self, kode_pemda: str, kodes: list[str]) -> dict[str, str]:
        held = self.replika["nomenklatur"]
        return {k: held[key]["nama"] for k in kodes
                for key in [next(((k, v) for v in varian_dibaca(kode_pemda) if (k, v) in held), None)] if key}

    def nama_skpd(self, kode_pemda: str, kodes: list[str]) -> dict[str, str]:
        held = self.replika["skpd"]
        return {k: held[(kode_pemda, k)]["nama"] for k in kodes if (kode_pemda, k) in held}


class FakeDpaRepository(FakeRepository):
    """The versions (by id) and their lines; the trigger's rule kept too (an authorised version's lines never
    change), so a use case that broke it fails here as it would in PostgreSQL."""

    def __init__(self):
        self.rows: dict[str, Dpa] = {}
        self.lines: dict[str, list[BarisDpa]] = {}
        self.ditetapkan: dict[tuple, PaguBaris] = {}
        self.locks: list[tuple] = []

    def lock_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> None:
        self.locks.append((kode_pemda, tahun, kode_skpd))

    def _of(self, kode_pemda, tahun, kode_skpd=None) -> list[Dpa]:
        return sorted((d for d in self.rows.values() if (d.kode_pemda, d.tahun) == (kode_pemda, tahun)
                       and (kode_skpd is None or d.kode_skpd == kode_skpd)), key=lambda d: (d.kode_skpd, d.versi))

    def _copy(self, d: Dpa) -> Dpa:
        return copy.deepcopy(d)

    def terakhir(self, kode_pemda, tahun, kode_skpd):
        rows = self._of(kode_pemda, tahun, kode_skpd)
        return self._copy(rows[-1]) if rows else None

    def get(self, kode_pemda, tahun, kode_skpd, versi):
        return next((self._copy(d) for d in self._of(kode_pemda, tahun, kode_skpd) if d.versi == versi), None)

    def disahkan(self, kode_pemda, tahun, kode_skpd):
        return next((self._copy(d) for d in self._of(kode_pemda, tahun, kode_skpd) if d.status == "disahkan"), None)

    def versi(self, kode_pemda, tahun, kode_skpd):
        return [self._copy(d) for d in self._of(kode_pemda, tahun, kode_skpd)]

    def skpd(self, kode_pemda, tahun):
        return {d.kode_skpd for d in self._of(kode_pemda, tahun)}

    def list_page(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        latest = {}
        for d in self._of(kode_pemda, tahun, kode_skpd):
            latest[d.kode_skpd] = d
        rows = [self._copy(latest[k]) for k in sorted(latest)]
        return rows[offset:offset + limit], len(rows)

    def baris(self, dpa_id):
        return list(self.lines.get(dpa_id, []))

    def tetapkan(self, kode_skpd: str, kode_sub_kegiatan: str, kode_rekening: str, jumlah: str,
                 kas: list[str] | None = None, versi: int = 1, kode_pemda: str | None = None,
                 tahun: int | None = None) -> None:
        """For the spending tests: an authorised line of ``jumlah`` as ``pagu_baris`` answers it, its cash plan
        ``kas`` (12 months; by default evenly in Jan–Apr), without making a whole DPA."""
        months = [Decimal(k) for k in kas] if kas else [Decimal(jumlah) / 4] * 4 + [Decimal(0)] * 8
        key = (kode_pemda or PEMDA, tahun or TAHUN, kode_skpd, kode_sub_kegiatan, kode_rekening)
        self.ditetapkan[key] = PaguBaris(
            Decimal(jumlah), tuple(months), versi)

    def pagu_baris(self, kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, kode_rekening):
        set_by_test = self.ditetapkan.get((kode_pemda, tahun, kode_skpd, kode_sub_kegiatan, kode_rekening))
        if set_by_test is not None:
            return set_by_test
        d = self.disahkan(kode_pemda, tahun, kode_skpd)
        b = next((b for b in self.lines.get(d.id, []) if b.kunci == (kode_sub_kegiatan, kode_rekening)), None) if d else None
        return PaguBaris(b.jumlah, b.kas, d.versi) if b else None

    def add_many(self, versions):
        for d, baris in versions:
            assert d.id not in self.rows and not any(
                (x.kode_pemda, x.tahun, x.kode_skpd, x.versi) == (d.kode_pemda, d.tahun, d.kode_skpd, d.versi)
                for x in self.rows.values()), "the table's unique key"
            held = copy.deepcopy(d)
            held.jumlah = sum((b.jumlah for b in baris), Decimal(0))
            held.meta = {"jumlah_baris": len(baris), "dibuat_pada": "2026-12-22T00:00:00+00:00",
                         "disahkan_pada": None, "diganti_pada": None}
            self.rows[d.id], self.lines[d.id] = held, list(baris)

    def set_kas(self, dpa_id, changes):
        assert self.rows[dpa_id].status == "draft", "the trigger: an authorised DPA's lines never change"
        by = {b.kunci: b for b in changes}
        self.lines[dpa_id] = [by.get(b.kunci, b) for b in self.lines[dpa_id]]

    def save(self, d):
        held = self.rows[d.id]
        assert held.status == "draft", "the trigger: an authorised DPA never changes"
        held.status, held.version, held.disahkan_oleh, held.nomor, held.hash = (
            d.status, d.version, d.disahkan_oleh, d.nomor, d.hash)
        if d.status == "disahkan":
            held.meta = {**held.meta, "disahkan_pada": "2026-12-23T00:00:00+00:00"}

    def ganti(self, d):
        held = self.rows[d.id]
        if held.status == "disahkan":
            held.status = "diganti"
            held.meta = {**held.meta, "diganti_pada": "2027-06-01T00:00:00+00:00"}
# the rows migration ``apbd_perubahan`` seeds
KEWENANGAN = [
    Kewenangan("antar_sub_rincian_objek", 2000, "Antar sub rincian objek dalam satu rincian objek", 5, True,
               ("ppkd", "sekda"), "PP 12/2019 Pasal 163", 1),
    Kewenangan("antar_objek", 2000, "Antar objek dalam satu jenis", 3, True, ("sekda",), "PP 12/2019 Pasal 163", 2),
]


PERUBAHAN = ("status", "hasil_evaluasi", "evaluasi", "version")  # the APBD-P's state, as the table keeps it


class FakePerubahanRepository(FakeRepository):
    def __init__(self):
        self.pos_rows: dict[str, Pos] = {}
        self.rows: dict[tuple, dict[str, Any]] = {}
        self.geser: list[dict[str, Any]] = []
        self.aturan = list(KEWENANGAN)

    def kewenangan(self) -> list[Kewenangan]:
        return list(self.aturan)

    def _of(self, kode_pemda: str, tahun: int) -> list[Pos]:
        return sorted((copy.deepcopy(p) for p in self.pos_rows.values() if (p.kode_pemda, p.tahun) == (kode_pemda, tahun)),
                      key=lambda p: (p.kode_skpd, p.kode_sub_kegiatan, p.rkpd_id, p.kode_rekening))

    def ada_pos(self, kode_pemda: str, tahun: int) -> bool:
        return bool(self._of(kode_pemda, tahun))

    def pos(self, kode_pemda: str, tahun: int, kode_skpd: str, rkpd_id: str, kode_rekening: str) -> Pos | None:
        return next((p for p in self._of(kode_pemda, tahun) if p.kunci == (kode_skpd, rkpd_id, kode_rekening)), None)

    def semua_pos(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[Pos]:
        return [p for p in self._of(kode_pemda, tahun) if not kode_skpd or p.kode_skpd == kode_skpd]

    def jumlah_per_akun(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[tuple]:
        sums: dict[tuple, Decimal] = {}
        for p in self._of(kode_pemda, tahun):
            if not kode_skpd or p.kode_skpd == kode_skpd:
                sums[(p.kode_skpd, p.kode_rekening)] = sums.get((p.kode_skpd, p.kode_rekening), Decimal(0)) + p.jumlah
        return [(*k, v) for k, v in sums.items()]

    def save_pos(self, ps: list[Pos]) -> None:
        for p in ps:
            held = self.pos_rows.get(p.id)
            assert held is None or held.murni == p.murni, "the trigger: murni never changes"
            self.pos_rows[p.id] = copy.deepcopy(p)

    def list_pos(self, kode_pemda: str, tahun: int, offset: int, limit: int, kode_skpd: str | None = None):
        rows = [p for p in self._of(kode_pemda, tahun) if not kode_skpd or p.kode_skpd == kode_skpd]
        return rows[offset:offset + limit], len(rows)

    def get(self, kode_pemda: str, tahun: int) -> dict[str, Any] | None:
        return copy.deepcopy(self.rows.get((kode_pemda, tahun)))

    def perubahan(self, kode_pemda: str, tahun: int) -> Perubahan | None:
        row = self.rows.get((kode_pemda, tahun))
        return Perubahan(kode_pemda, tahun, **copy.deepcopy({k: row[k] for k in PERUBAHAN})) if row else None

    def add(self, p: Perubahan, dibuka_oleh: str) -> None:
        assert (p.kode_pemda, p.tahun) not in self.rows, "the table's primary key"
        self.rows[(p.kode_pemda, p.tahun)] = {**copy.deepcopy({k: getattr(p, k) for k in PERUBAHAN}),
                                              "dibuka_oleh": dibuka_oleh}

    def save(self, p: Perubahan, **penetapan: Any) -> None:
        row = self.rows[(p.kode_pemda, p.tahun)]
        assert row["status"] != "ditetapkan", "the trigger: an enacted APBD-P never changes"
        row.update(**copy.deepcopy({k: getattr(p, k) for k in PERUBAHAN}), **copy.deepcopy(penetapan))

    def belanja_per_sub_kegiatan(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None,
                                 kode_sub_kegiatan: str | None = None) -> dict[tuple[str, str], Decimal]:
        sums: dict[tuple[str, str], Decimal] = {}
        for p in self._of(kode_pemda, tahun):
            if p.rkpd_id and (kode_skpd is None or (p.kode_skpd, p.kode_sub_kegiatan) == (kode_skpd, kode_sub_kegiatan)):
                key = (p.kode_skpd, p.kode_sub_kegiatan)
                sums[key] = sums.get(key, Decimal(0)) + p.jumlah
        return sums

    def add_pergeseran(self, values: dict[str, Any]) -> None:
        self.geser.append(copy.deepcopy(values))

    def list_pergeseran(self, kode_pemda: str, tahun: int, offset: int, limit: int, kode_skpd: str | None = None):
        rows = [copy.deepcopy(r) for r in self.geser if (r["kode_pemda"], r["tahun"]) == (kode_pemda, tahun)
                and (not kode_skpd or r["kode_skpd"] == kode_skpd)]
        return rows[offset:offset + limit], len(rows)

    def geser_bersih(self, kode_pemda: str, tahun: int) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for r in self.geser:
            if (r["kode_pemda"], r["tahun"]) == (kode_pemda, tahun):
                out[r["ke_pos_id"]] = out.get(r["ke_pos_id"], Decimal(0)) + r["jumlah"]
                out[r["dari_pos_id"]] = out.get(r["dari_pos_id"], Decimal(0)) - r["jumlah"]
        return out


TAHAPAN_ANGGARAN = Tahapan("permendagri-77-2020", "Permendagri 77/2020", 2000, (
    DefinisiTahap("ppas", "KUA-PPAS", 1), DefinisiTahap("rka", "RKA-SKPD", 2),
    DefinisiTahap("rapbd", "Rancangan APBD", 3), DefinisiTahap("apbd_p", "APBD Perubahan", 4, opsional=True)))


class FakeJadwalAnggaranRepository(FakeRepository):
    """The schedules and snapshots in dicts; the stage list as migration ``jadwal_anggaran`` seeds it."""

    def __init__(self):
        self.rows: dict[tuple[str, int], JadwalAnggaran] = {}
        self.snapshots: dict[str, dict[str, Any]] = {}

    def tahapan(self) -> list[Tahapan]:
        return [TAHAPAN_ANGGARAN]

    def get(self, kode_pemda: str, tahun: int, lock: str | None = None) -> JadwalAnggaran | None:
        return self.rows.get((kode_pemda, tahun))

    def add(self, j: JadwalAnggaran) -> bool:
        if (j.kode_pemda, j.tahun) in self.rows:
            return False
        self.rows[(j.kode_pemda, j.tahun)] = j
        return True

    def save(self, j: JadwalAnggaran) -> None:
        self.rows[(j.kode_pemda, j.tahun)] = j

    def add_snapshot(self, values: dict) -> None:
        assert values["id"] not in self.snapshots and not any(
            (s["jadwal_id"], s["kode_tahap"], s["versi"]) == (values["jadwal_id"], values["kode_tahap"],
                                                              values["versi"])
            for s in self.snapshots.values()), "one snapshot per lock of a stage"
        self.snapshots[values["id"]] = copy.deepcopy(values)

    def snapshot(self, kode_pemda: str, id: str) -> dict | None:
        s = self.snapshots.get(id)
        return copy.deepcopy(s) if s and s["kode_pemda"] == kode_pemda else None


def _seeded(migration: str, name: str) -> list[dict]:
    """A rule table as a migration seeds it (read from the migration itself: the fake and the database agree)."""
    path = Path(__file__).parents[2] / "migrations" / "versions" / migration
    spec = importlib.util.spec_from_file_location(f"keuangan_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


# the flags of the chart of accounts as migration ``aturan_anggaran`` seeds them
TANDA = [Tanda(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in row.items()})
         for row in _seeded("0013_aturan_anggaran.py", "TANDA")]


class FakeTandaRekeningRepository(FakeRepository):
    def __init__(self):
        self.rows = list(TANDA)

    def aturan(self) -> list[Tanda]:
        return list(self.rows)

    def untuk(self, tahun: int) -> TandaRekening:
        return TandaRekening.untuk(self.rows, tahun)


class FakeKeuanganUnitOfWork(FakeUnitOfWork):
    def __init__(self, actor: Scope | None = None):
        super().__init__("keuangan", actor)

    def attach(self) -> None:
        self.plafon = FakePlafonRepository()
        self.rincian = FakeRincianRepository(self.plafon.rows)
        self.replika = FakeReplikaRepository()
        self.tanda = FakeTandaRekeningRepository()
        self.ppas = FakePpasRepository()
        self.ppas_perubahan = FakePpasRepository()
        self.verifikasi = FakeVerifikasiRepository()
        self.pendapatan = FakePendapatanRepository()
        self.apbd = FakeApbdRepository(self.replika.rows)
        self.dpa = FakeDpaRepository()
        self.perubahan = FakePerubahanRepository()
        self.jadwal = FakeJadwalAnggaranRepository()
        # penatausahaan (issue 14)
        self.penomoran = FakePenomoranRepository()
        self.penatausahaan = FakePenatausahaanRepository()
        self.penerimaan = FakePenerimaanRepository()
        self.lra = FakeLraRepository(self.penatausahaan, self.penerimaan)


# -- what the tests feed it ------------------------------------------------------------------------------

KODE = dict(kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001", kode_bidang_urusan="1.01")
PEMDA, TAHUN = "32.73", 2026
LIST_OF = {cls: kind for kind, cls in CHANGED.items()}
REKENING_GEDUNG_SEKOLAH = "5.2.03.01.01.0010"


def saved(rkpd_id: str, pagu: str = "1000000.00", version: int = 1, kode_pemda: str = PEMDA, tahun: int = TAHUN,
          sumber_dana: dict[str, str] | None = None, **kode: str) -> RkpdSubKegiatanSaved:
    return RkpdSubKegiatanSaved(
        kode_pemda=kode_pemda, tahun=tahun, aggregate_id=rkpd_id, aggregate_version=version, **{**KODE, **kode},
        sumber_dana=[{"kode_sumber_dana": k, "pagu": v} for k, v in (sumber_dana or {}).items()],
        nama_sub_kegiatan="Pembangunan Unit Sekolah Baru", nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
        indikator="Jumlah Unit Sekolah Baru yang Dibangun", target="2", satuan="Unit", pagu_indikatif=pagu)


def deleted(rkpd_id: str, version: int, pagu: str = "1000000.00", kode_pemda: str = PEMDA,
            tahun: int = TAHUN) -> RkpdSubKegiatanDeleted:
    return RkpdSubKegiatanDeleted(kode_pemda=kode_pemda, tahun=tahun, aggregate_id=rkpd_id, aggregate_version=version,
                                  pagu_indikatif=pagu, **KODE)


def rekening_item(kode: str = REKENING_GEDUNG_SEKOLAH, nama: str = "Belanja Modal Bangunan Gedung Tempat Pendidikan",
                  revisi: int = 10, aksi: str = "added", akun: str = "belanja", tingkat: str = "sub_rincian_objek",
                  valid_until: str | None = None, kode_pengganti: list[str] = ()) -> RekeningItem:
    return RekeningItem(kode=kode, tingkat=tingkat, akun=akun, peruntukan="belanja_modal", nama=nama,
                        kode_induk=kode.rsplit(".", 1)[0] if "." in kode else None, valid_from="v-1",
                        valid_until=valid_until, revisi=revisi, aksi=aksi, kode_pengganti=list(kode_pengganti))


def rekening_changed(*items: RekeningItem, urutan: int | None = None) -> RekeningChanged:
    return RekeningChanged(versi="v-2", aggregate_id="rekening", aggregate_version=max(i.revisi for i in items),
                           perubahan=list(items), urutan=urutan)


CHART = [rekening_item(), rekening_item("5.2.03.01.01.0003", "Belanja Modal Bangunan Gedung Kantor", revisi=11),
         rekening_item("4.1.01.09.01.0001", "Pajak Hotel", akun="pendapatan", revisi=12),
         rekening_item("5.1.02.01.01", "Belanja Bahan", tingkat="rincian_objek", revisi=13)]


def with_chart(uow: FakeKeuanganUnitOfWork, *items: RekeningItem) -> FakeKeuanganUnitOfWork:
    """The chart of accounts filled (as a completed snapshot leaves it)."""
    uow.replika.isi("rekening", terbaru("rekening", items or CHART), urutan=1)
    uow.commit()
    return uow


def apply(uow: FakeKeuanganUnitOfWork, handler, *events) -> None:
    """Events through their handler, each committed as the handler framework commits it (a handler of the
    codification's events: ``replika.apply_changed``, for the list the event is of)."""
    for event in events:
        if handler is apply_changed:
            handler(uow, LIST_OF[type(event)], event)
        else:
            handler(uow, event)
        uow.commit()


# -- RKA-SKPD (issue 13): standard prices, funding sources and a hibah account in the replica -------------------

REKENING_HONOR = "5.1.02.02.01.0026"
REKENING_HIBAH = "5.1.05.05.01.0001"
KOMPONEN_HONOR, KOMPONEN_HIBAH = "1.1.12.01.01.0001", "1.1.12.05.01.0001"


def _berlaku(revisi: int = 1, berlaku: bool = True) -> dict:
    return {"valid_from": "v-1", "valid_until": None if berlaku else "v-2", "revisi": revisi, "kode_pengganti": [],
            "berlaku": berlaku}


def komponen(kode: str = KOMPONEN_HONOR, harga: str = "2500000.00", kode_rekening=(REKENING_HONOR,),
             kode_pemda: str = PEMDA, tahun: int = TAHUN, berlaku: bool = True) -> dict:
    return {"kode_pemda": kode_pemda, "tahun": tahun, "kode": kode, "jenis": "SBU", "uraian": f"Komponen {kode}",
            "spesifikasi": "per orang per bulan", "satuan": "OB", "harga": Decimal(harga),
            "kode_rekening": list(kode_rekening), **_berlaku(berlaku=berlaku)}


def sumber_dana_row(kode: str, berlaku: bool = True) -> dict:
    return {"kode": kode, "tingkat": kode.count(".") + 1, "nama": f"Sumber {kode}", "kode_induk": None,
            **_berlaku(berlaku=berlaku)}


def with_rka(uow: FakeKeuanganUnitOfWork) -> FakeKeuanganUnitOfWork:
    """The chart of accounts (with an honorarium and a hibah account), standard prices of 32.73/2026 (and one of
    another pemda and of another year), and funding sources 1.1 and 2.1 (and a retired 9.9)."""
    with_chart(uow, *CHART, rekening_item(REKENING_HONOR, "Belanja Honorarium", revisi=14),
               rekening_item(REKENING_HIBAH, "Belanja Hibah Uang kepada Badan", revisi=15))
    uow.replika.isi("standar_harga", [
        komponen(), komponen(KOMPONEN_HIBAH, "100000000.00", (REKENING_HIBAH,)),
        komponen("9.9.99.99.99.0001", kode_pemda="32.01"), komponen("9.9.99.99.99.0002", tahun=TAHUN - 1),
        komponen("9.9.99.99.99.0003", berlaku=False)], urutan=1)
    uow.replika.isi("sumber_dana", [sumber_dana_row("1.1"), sumber_dana_row("2.1"), sumber_dana_row("9.9", False)],
                    urutan=1)
    uow.commit()
    return uow


def rka_line(rkpd_id: str, **changes) -> dict:
    """An RKA line: 2 Orang × 12 Bulan of the honorarium component at its standard price, from 1.1."""
    return {"rkpd_id": rkpd_id, "kelompok": "Honorarium", "keterangan": "Tenaga kebersihan",
            "kode_rekening": REKENING_HONOR, "kode_standar_harga": KOMPONEN_HONOR,
            "koefisien": [{"volume": "2", "satuan": "Orang"}, {"volume": "12", "satuan": "Bulan"}],
            "harga_satuan": "2500000.00", "pajak": "0", "kode_sumber_dana": "1.1", **changes}


# -- penatausahaan (issue 14): numbering, spending documents, revenue received, and a stand-in DPA ----------------


class FakePenomoranRepository(FakeRepository):
    def __init__(self):
        self.terakhir: dict[tuple, int] = {}

    def berikut(self, kode_pemda: str, tahun: int, kode_skpd: str, jenis: str) -> int:
        key = (kode_pemda, tahun, kode_skpd, jenis)
        self.terakhir[key] = self.terakhir.get(key, 0) + 1
        return self.terakhir[key]


class FakePenatausahaanRepository(FakeRepository):
    def __init__(self):
        self.spd: dict[str, belanja.Spd] = {}
        self.pengesahan: dict[str, belanja.Pengesahan] = {}
        self.besaran: dict[tuple, Decimal] = {}
        self.spp: dict[str, belanja.Spp] = {}
        self.spm: dict[str, belanja.Spm] = {}
        self.sp2d: dict[str, belanja.Sp2d] = {}
        self.realisasi_rows: dict[tuple, tuple[Decimal, int]] = {}
        self.dibuat: dict[str, datetime] = {}  # id → when first stored (the printed date)
        self.langkah: dict[tuple[str, str], dict[str, belanja.Langkah]] = {}  # (jenis, id) → step → who, when

    def kunci(self, *key) -> None:
        pass  # one caller at a time in memory

    def _simpan(self, rows: dict, obj) -> None:
        rows[obj.id] = copy.deepcopy(obj)
        self.dibuat.setdefault(obj.id, datetime.now(timezone.utc))

    def dibuat_pada(self, jenis, id):
        return self.dibuat.get(id)

    def catat_langkah(self, jenis, id, langkah, user_id, nama, nip) -> None:
        self.langkah.setdefault((jenis, id), {})[langkah] = belanja.Langkah(datetime.now(timezone.utc), user_id, nama,
                                                                           nip)

    def langkah_of(self, jenis, id):
        return dict(self.langkah.get((jenis, id), {}))

    @staticmethod
    def _of(rows: dict, kode_pemda: str, tahun: int, id: str | None):
        obj = rows.get(id) if id else None
        return copy.deepcopy(obj) if obj is not None and (obj.kode_pemda, obj.tahun) == (kode_pemda, tahun) else None

    @staticmethod
    def _page(rows: dict, kode_pemda: str, tahun: int, offset: int, limit: int, kode_skpd: str | None):
        found = [copy.deepcopy(o) for o in rows.values() if (o.kode_pemda, o.tahun) == (kode_pemda, tahun)
                 and (not kode_skpd or o.kode_skpd == kode_skpd)]
        return found[offset:offset + limit], len(found)

    # SPD
    def add_spd(self, s):
        self._simpan(self.spd, s)

    save_spd = add_spd

    def get_spd(self, kode_pemda, tahun, id, lock=False):
        return self._of(self.spd, kode_pemda, tahun, id)

    def spd_skpd(self, kode_pemda, tahun, kode_skpd):
        return [copy.deepcopy(s) for s in self.spd.values() if (s.kode_pemda, s.tahun, s.kode_skpd) == (
            kode_pemda, tahun, kode_skpd)]

    def list_spd(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        return self._page(self.spd, kode_pemda, tahun, offset, limit, kode_skpd)

    # approvals, UP sizes
    def add_pengesahan(self, p):
        self.pengesahan[p.id] = copy.deepcopy(p)

    save_pengesahan = add_pengesahan

    def get_pengesahan(self, kode_pemda, tahun, id, lock=False):
        return self._of(self.pengesahan, kode_pemda, tahun, id)

    def terpakai_pengesahan(self, pengesahan_id):
        return sum((s.nilai for s in self.spp.values() if s.pengesahan_id == pengesahan_id), Decimal(0))

    def besaran_up(self, kode_pemda, tahun, kode_skpd):
        return self.besaran.get((kode_pemda, tahun, kode_skpd))

    def set_besaran_up(self, kode_pemda, tahun, kode_skpd, besaran, dasar, by):
        self.besaran[(kode_pemda, tahun, kode_skpd)] = besaran

    # SPP
    def ada_up(self, kode_pemda, tahun, kode_skpd):
        return any((s.kode_pemda, s.tahun, s.kode_skpd, s.jenis) == (kode_pemda, tahun, kode_skpd, "UP")
                   for s in self.spp.values())

    def add_spp(self, s):
        self._simpan(self.spp, s)

    save_spp = add_spp

    def get_spp(self, kode_pemda, tahun, id, lock=False):
        return self._of(self.spp, kode_pemda, tahun, id)

    def list_spp(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        return self._page(self.spp, kode_pemda, tahun, offset, limit, kode_skpd)

    def terpakai_spd(self, spd_id):
        sums: dict[tuple, Decimal] = {}
        for s in self.spp.values():
            if s.spd_id == spd_id:
                for b in s.baris:
                    sums[b.kunci] = sums.get(b.kunci, Decimal(0)) + b.nilai
        return sums

    # SPM, SP2D
    def add_spm(self, s):
        self._simpan(self.spm, s)

    save_spm = add_spm

    def get_spm(self, kode_pemda, tahun, id, lock=False):
        return self._of(self.spm, kode_pemda, tahun, id)

    def spm_of_spp(self, spp_id):
        return [copy.deepcopy(s) for s in self.spm.values() if s.spp_id == spp_id]

    def list_spm(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        return self._page(self.spm, kode_pemda, tahun, offset, limit, kode_skpd)

    def add_sp2d(self, s):
        self._simpan(self.sp2d, s)

    save_sp2d = add_sp2d

    def get_sp2d(self, kode_pemda, tahun, id, lock=False):
        return self._of(self.sp2d, kode_pemda, tahun, id)

    def sp2d_of_spm(self, spm_id):
        return [copy.deepcopy(s) for s in self.sp2d.values() if s.spm_id == spm_id]

    def list_sp2d(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        return self._page(self.sp2d, kode_pemda, tahun, offset, limit, kode_skpd)

    # realisation
    def realisasi(self, kode_pemda, tahun, kode_skpd, kuncis):
        return {k: self.realisasi_rows[(kode_pemda, tahun, kode_skpd, *k)][0] for k in kuncis
                if (kode_pemda, tahun, kode_skpd, *k) in self.realisasi_rows}

    def tambah_realisasi(self, kode_pemda, tahun, kode_skpd, baris):
        out = []
        for b in baris:
            key = (kode_pemda, tahun, kode_skpd, *b.kunci)
            jumlah, version = self.realisasi_rows.get(key, (Decimal(0), 0))
            self.realisasi_rows[key] = (jumlah + b.nilai, version + 1)
            out.append((b.kunci, *self.realisasi_rows[key]))
        return out

    def list_realisasi(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        rows = [{"kode_skpd": k[2], "kode_sub_kegiatan": k[3], "kode_rekening": k[4], "jumlah": j, "version": v}
                for k, (j, v) in sorted(self.realisasi_rows.items()) if k[:2] == (kode_pemda, tahun)
                and (not kode_skpd or k[2] == kode_skpd)]
        return rows[offset:offset + limit], len(rows)


class FakePenerimaanRepository(FakeRepository):
    def __init__(self):
        self.tbp: dict[str, Tbp] = {}
        self.sts: dict[str, Sts] = {}
        self.realisasi: dict[tuple, tuple[Decimal, int]] = {}

    def add_tbp(self, t):
        self.tbp[t.id] = copy.deepcopy(t)

    def tbps(self, kode_pemda, tahun, ids, lock=False):
        return {id: copy.deepcopy(t) for id in ids if (t := self.tbp.get(id)) and (t.kode_pemda, t.tahun) == (
            kode_pemda, tahun)}

    def simpan_setoran(self, ids, sts_id):
        for id in ids:
            self.tbp[id].sts_id = sts_id

    def list_tbp(self, kode_pemda, tahun, offset, limit, kode_skpd=None, belum_disetor=False):
        rows = [copy.deepcopy(t) for t in self.tbp.values() if (t.kode_pemda, t.tahun) == (kode_pemda, tahun)
                and (not kode_skpd or t.kode_skpd == kode_skpd) and not (belum_disetor and t.sts_id)]
        return rows[offset:offset + limit], len(rows)

    def add_sts(self, s):
        self.sts[s.id] = copy.deepcopy(s)

    save_sts = add_sts

    def get_sts(self, kode_pemda, tahun, id, lock=False):
        s = self.sts.get(id)
        return copy.deepcopy(s) if s and (s.kode_pemda, s.tahun) == (kode_pemda, tahun) else None

    def list_sts(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        rows = [copy.deepcopy(s) for s in self.sts.values() if (s.kode_pemda, s.tahun) == (kode_pemda, tahun)
                and (not kode_skpd or s.kode_skpd == kode_skpd)]
        return rows[offset:offset + limit], len(rows)

    def tambah_realisasi(self, kode_pemda, tahun, kode_skpd, per_akun):
        out = []
        for rek, nilai in sorted(per_akun.items()):
            jumlah, version = self.realisasi.get((kode_pemda, tahun, kode_skpd, rek), (Decimal(0), 0))
            self.realisasi[(kode_pemda, tahun, kode_skpd, rek)] = (jumlah + nilai, version + 1)
            out.append((rek, jumlah + nilai, version + 1))
        return out

    def list_realisasi(self, kode_pemda, tahun, offset, limit, kode_skpd=None):
        rows = [{"kode_skpd": k[2], "kode_rekening": k[3], "jumlah": j, "version": v}
                for k, (j, v) in sorted(self.realisasi.items()) if k[:2] == (kode_pemda, tahun)
                and (not kode_skpd or k[2] == kode_skpd)]
        return rows[offset:offset + limit], len(rows)


class FakeLraRepository(FakeRepository):
    """The LRA's realisation by date, from the documents the fakes above hold (as the SQL joins them)."""

    def __init__(self, belanja_repo: FakePenatausahaanRepository, penerimaan_repo: FakePenerimaanRepository):
        self.belanja, self.penerimaan = belanja_repo, penerimaan_repo

    def realisasi(self, kode_pemda, tahun, dari, sampai, kode_skpd=None):
        out: dict[tuple[str, str], Decimal] = {}

        def add(skpd, rek, nilai):
            out[(skpd, rek)] = out.get((skpd, rek), Decimal(0)) + nilai

        def ours(o):
            return (o.kode_pemda, o.tahun) == (kode_pemda, tahun) and (not kode_skpd or o.kode_skpd == kode_skpd)

        for s in self.belanja.sp2d.values():
            if ours(s) and s.status == belanja.CAIR and dari <= s.tanggal_cair <= sampai:
                for b in s.baris:
                    add(s.kode_skpd, b.kode_rekening, b.nilai)
        for s in self.penerimaan.sts.values():
            if ours(s) and s.status == "divalidasi" and dari <= s.tanggal <= sampai:
                for t in self.penerimaan.tbp.values():
                    if t.sts_id == s.id:
                        add(s.kode_skpd, t.kode_rekening, t.nilai)
        return out

    def realisasi_bulanan(self, kode_pemda, tahun):
        out: dict[tuple[int, str], tuple[Decimal, date]] = {}

        def add(tanggal, rek, nilai):
            jumlah, terakhir = out.get((tanggal.month, rek), (Decimal(0), tanggal))
            out[(tanggal.month, rek)] = (jumlah + nilai, max(terakhir, tanggal))

        for s in self.belanja.sp2d.values():
            if (s.kode_pemda, s.tahun, s.status) == (kode_pemda, tahun, belanja.CAIR) and s.tanggal_cair.year == tahun:
                for b in s.baris:
                    add(s.tanggal_cair, b.kode_rekening, b.nilai)
        for s in self.penerimaan.sts.values():
            if (s.kode_pemda, s.tahun) == (kode_pemda, tahun) and s.status == "divalidasi" and s.tanggal.year == tahun:
                for t in self.penerimaan.tbp.values():
                    if t.sts_id == s.id:
                        add(s.tanggal, t.kode_rekening, t.nilai)
        return out
