"""perencanaan's unit of work in memory: the RKPD's items, the schedules, the RPJMD and Renstra, and the
replica of the codification."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from contracts.perencanaan import StatusBeritaAcara, StatusRenstra
from services.perencanaan.jadwal.domain import DefinisiTahap, Tahapan
from services.perencanaan.pemetaan.domain import BeritaAcara
from services.perencanaan.renja.domain import Renja
from services.perencanaan.publikasi.domain import per_urusan
from services.perencanaan.replika.domain import KEYS, key_of, terbaru
from services.perencanaan.renstra.domain import Renstra
from services.perencanaan.rkpd.domain import SubKegiatanRkpd
from services.perencanaan.rpjmd.domain import Rpjmd
from services.perencanaan.usulan.domain import AlurUsulan, Tingkat, Usulan
from sipd_common.access import Scope
from sipd_common.fakes import FakeRepository, FakeUnitOfWork
from sipd_common.replica import Posisi
from sipd_common.varian import varian_dibaca


class FakeRkpdRepository(FakeRepository):
    def __init__(self):
        self.items: dict[str, SubKegiatanRkpd] = {}
        self.deleted: set[str] = set()

    def _live(self):
        return [i for id, i in self.items.items() if id not in self.deleted]

    def get(self, kode_pemda, tahun, id, for_update=False, include_deleted=False):
        item = self.items.get(id)
        if item is None or (item.kode_pemda, item.tahun) != (kode_pemda, tahun):
            return None
        return item if include_deleted or id not in self.deleted else None

    def add(self, item: SubKegiatanRkpd) -> bool:
        same = (item.kode_pemda, item.tahun, item.kode_skpd, item.kode_sub_kegiatan)
        if any((i.kode_pemda, i.tahun, i.kode_skpd, i.kode_sub_kegiatan) == same for i in self._live()):
            return False
        self.items[item.id] = item
        return True

    def add_many(self, items) -> set[str]:
        return {i.id for i in items if self.add(i)}

    def save(self, item: SubKegiatanRkpd) -> None:
        self.save_many([item])

    def _key(self, i: SubKegiatanRkpd) -> tuple:
        return (i.kode_pemda, i.tahun, i.kode_skpd, i.kode_sub_kegiatan)

    def save_many(self, items) -> None:
        """Row by row, as PostgreSQL checks its one-live-item index: a change to what another live item plans
        fails half-way (as an IntegrityError would)."""
        for item in items:
            if any(self._key(i) == self._key(item) for i in self._live() if i.id != item.id):
                raise AssertionError(f"unique violation: {self._key(item)} (rkpd_sub_kegiatan_unique_live)")
            self.items[item.id] = replace(item, changes={})

    def remap_many(self, items) -> bool:
        """All at once: the items may exchange codes among themselves; False when another item holds one."""
        ids = {i.id for i in items}
        others = {self._key(i) for i in self._live() if i.id not in ids}
        if any(self._key(i) in others for i in items) or len({self._key(i) for i in items}) < len(items):
            return False
        for item in items:
            self.items[item.id] = replace(item, changes={})
        return True

    def mark_deleted(self, item: SubKegiatanRkpd, version: int) -> None:
        self.items[item.id] = replace(item, version=version, changes={})
        self.deleted.add(item.id)

    def using(self, column, kodes):
        kodes = set(kodes)
        return sorted((i for i in self._live() if getattr(i, column) in kodes), key=lambda i: i.id)

    def using_skpd(self, skpd):
        skpd = set(skpd)
        return sorted((i for i in self._live() if (i.kode_pemda, i.kode_skpd) in skpd), key=lambda i: i.id)

    def named_before(self, tingkat, revisi):
        column_kode, _, column_revisi = SubKegiatanRkpd.NAMES[tingkat]
        return sorted((i for i in self._live() if getattr(i, column_kode) in revisi
                       and getattr(i, column_revisi) < revisi[getattr(i, column_kode)]), key=lambda i: i.id)

    def planned_codes(self, kode_pemda, tahun, kode_skpd):
        return {i.kode_sub_kegiatan for i in self._live() if (i.kode_pemda, i.tahun, i.kode_skpd) ==
                (kode_pemda, tahun, kode_skpd)}

    def total_pagu(self, kode_pemda, tahun, kode_skpd, excluding=None):
        return sum((i.pagu_indikatif for i in self._live() if (i.kode_pemda, i.tahun, i.kode_skpd) ==
                    (kode_pemda, tahun, kode_skpd) and i.id != excluding), Decimal(0))

    def totals_by_skpd(self, kode_pemda, tahun):
        totals = {}
        for i in self._live():
            if (i.kode_pemda, i.tahun) == (kode_pemda, tahun):
                totals[i.kode_skpd] = totals.get(i.kode_skpd, Decimal(0)) + i.pagu_indikatif
        return totals

    def all_of(self, kode_pemda, tahun):
        return sorted((i for i in self._live() if (i.kode_pemda, i.tahun) == (kode_pemda, tahun)),
                      key=lambda i: (i.kode_skpd, i.kode_sub_kegiatan, i.id))

    def flagged(self, kode_pemda, tahun, for_update=False):
        return [i for i in self.all_of(kode_pemda, tahun) if i.perlu_pemetaan]

    def list_page(self, kode_pemda, tahun, offset, limit, kode_skpd=None, perlu_pemetaan=None):
        items = [i for i in self._live() if (i.kode_pemda, i.tahun) == (kode_pemda, tahun)
                 and (not kode_skpd or i.kode_skpd == kode_skpd)
                 and (perlu_pemetaan is None or i.perlu_pemetaan is perlu_pemetaan)]
        items.sort(key=lambda i: (i.kode_skpd, i.kode_sub_kegiatan, i.id))
        return items[offset:offset + limit], len(items)


class FakeReplikaRepository(FakeRepository):
    def __init__(self):
        self.tables: dict[str, dict[tuple, dict]] = {kind: {} for kind in KEYS}
        self.posisi: dict[str, Posisi] = {}

    def simpan(self, kind, rows):
        stored = set()
        for row in terbaru(kind, rows):
            key = key_of(kind, row)
            held = self.tables[kind].get(key)
            if held is None or held["revisi"] < row["revisi"]:
                self.tables[kind][key] = dict(row)
                stored.add(key)
        return stored

    def _dibaca(self, kode_pemda, kode):
        """A code's record as the pemda reads it: a province its provincial variant where there is one."""
        n = self.tables["nomenklatur"]
        return next((n[(kode, v)] for v in varian_dibaca(kode_pemda) if (kode, v) in n), None)

    def codes(self, kode_pemda, kode_skpd, kode_sub_kegiatan, kode_bidang_urusan):
        sub = self._dibaca(kode_pemda, kode_sub_kegiatan)
        bidang = self._dibaca(kode_pemda, kode_bidang_urusan)
        return (self.tables["wilayah"].get((kode_pemda,)), self.tables["skpd"].get((kode_pemda, kode_skpd)),
                sub if sub and sub["tingkat"] == "sub_kegiatan" else None,
                bidang if bidang and bidang["tingkat"] == "bidang_urusan" else None)

    def rows(self, kind):
        return [self.tables[kind][k] for k in sorted(self.tables[kind])]

    def names(self, kode_pemda, nomenklatur, skpd):
        k, w = self.tables["skpd"], self.tables["wilayah"]
        return {"nomenklatur": {c: r["nama"] for c in nomenklatur if (r := self._dibaca(kode_pemda, c))},
                "skpd": {c: k[(kode_pemda, c)]["nama"] for c in skpd if (kode_pemda, c) in k},
                "pemda": {kode_pemda: w[(kode_pemda,)]["nama"]} if (kode_pemda,) in w else {}}

    def pemda(self, kode):
        return self.tables["wilayah"].get((kode,))

    def skpd_many(self, kode_pemda, kodes):
        return {k: r for k in kodes if (r := self.tables["skpd"].get((kode_pemda, k)))}

    def nomenklatur_many(self, kode_pemda, kodes):
        return {k: r for k in kodes if (r := self._dibaca(kode_pemda, k))}

    def varian_provinsi(self, kodes):
        return {k for (k, v), r in self.tables["nomenklatur"].items() if k in kodes and v == "provinsi" and r["berlaku"]}

    def kegiatan_levels(self, programs):
        levels = {}
        for row in self.tables["nomenklatur"].values():
            if row["tingkat"] == "kegiatan" and row["berlaku"] and row["kode_induk"] in programs:
                levels.setdefault(row["kode_induk"], set()).add(row["kode"].split(".")[3])
        return levels

    def simpan_wilayah_bawah(self, rows):
        self.simpan("wilayah_bawah", rows)

    def wilayah_berlaku(self, kodes):
        regions = {**self.tables["wilayah"], **self.tables["wilayah_bawah"]}
        return {k: regions[(k,)]["berlaku"] for k in kodes if (k,) in regions}

    def catat(self, kind, urutan):
        if urutan is None:
            return
        before = self.posisi.get(kind, Posisi(kind))
        if urutan > before.urutan and urutan not in before.tertunda:
            self.posisi[kind] = before.setelah(urutan)

    def siap(self, kind):
        return kind in self.posisi and self.posisi[kind].siap

    def perlu_diisi(self, kinds):
        return [k for k in kinds if not self.siap(k) or self.posisi[k].celah]

    # -- for the tests: what a completed fill leaves ----------------------------------------------------
    def terisi(self, *kinds, urutan: int = 0):
        for kind in kinds or tuple(KEYS):
            before = self.posisi.get(kind, Posisi(kind))
            after = before.sampai(urutan)
            self.posisi[kind] = replace(after, siap=True)


class FakeRpjmdRepository(FakeRepository):
    def __init__(self):
        self.items: dict[str, Rpjmd] = {}
        self.enacted: list = []

    def add_ditetapkan(self, d):
        if any((e.rpjmd_id, e.revisi) == (d.rpjmd_id, d.revisi) for e, _ in self.enacted):
            raise ValueError("an enacted version is stored once")
        self.enacted.append((d, "2026-06-30T00:00:00+00:00"))

    def ditetapkan(self, rpjmd_id, revisi=None):
        return sorted([(d, when) for d, when in self.enacted if d.rpjmd_id == rpjmd_id
                       and (revisi is None or d.revisi == revisi)], key=lambda p: p[0].revisi)

    def lock_pemda(self, kode_pemda):
        pass

    def periods(self, kode_pemda):
        return [(i.tahun_awal, i.tahun_akhir) for i in self.items.values() if i.kode_pemda == kode_pemda]

    def get(self, kode_pemda, id, for_update=False, for_share=False):
        item = self.items.get(id)
        return item if item is not None and item.kode_pemda == kode_pemda else None

    def add(self, item):
        self.items[item.id] = item

    def save(self, item):
        self.items[item.id] = item

    def list_page(self, kode_pemda, offset, limit):
        items = sorted((i for i in self.items.values() if i.kode_pemda == kode_pemda), key=lambda i: -i.tahun_awal)
        return items[offset:offset + limit], len(items)


class FakeRenstraRepository(FakeRepository):
    def __init__(self):
        self.items: dict[str, Renstra] = {}

    def get(self, kode_pemda, kode_skpd, id, for_update=False):
        item = self.items.get(id)
        return item if item is not None and (item.kode_pemda, item.kode_skpd) == (kode_pemda, kode_skpd) else None

    def add(self, item):
        if any((i.rpjmd_id, i.kode_skpd) == (item.rpjmd_id, item.kode_skpd) for i in self.items.values()):
            return False
        self.items[item.id] = item
        return True

    def save(self, item):
        self.items[item.id] = item

    def serving(self, rpjmd_id):
        found = {}
        for item in sorted(self.items.values(), key=lambda i: i.kode_skpd):
            if item.rpjmd_id == rpjmd_id:
                for kode in item.sasaran_rpjmd():
                    found.setdefault(kode, []).append(item.kode_skpd)
        return found

    def covering(self, kode_pemda, kode_skpd, tahun):
        return next((i for i in self.items.values() if (i.kode_pemda, i.kode_skpd) == (kode_pemda, kode_skpd)
                     and i.tahun_awal <= tahun <= i.tahun_akhir), None)

    def any_verified_covering(self, kode_pemda, tahun):
        return any(i.kode_pemda == kode_pemda and i.status == StatusRenstra.TERVERIFIKASI
                   and i.tahun_awal <= tahun <= i.tahun_akhir for i in self.items.values())

    def of_rpjmd(self, rpjmd_id):
        return sorted((i for i in self.items.values() if i.rpjmd_id == rpjmd_id), key=lambda i: i.kode_skpd)

    def list_page(self, kode_pemda, offset, limit, kode_skpd=None, rpjmd_id=None):
        items = sorted((i for i in self.items.values() if i.kode_pemda == kode_pemda
                        and (not kode_skpd or i.kode_skpd == kode_skpd) and (not rpjmd_id or i.rpjmd_id == rpjmd_id)),
                       key=lambda i: (-i.tahun_awal, i.kode_skpd))
        return items[offset:offset + limit], len(items)
# the stage list the migration seeds (0005_jadwal)
RKPD_86_2017 = Tahapan("permendagri-86-2017", "rkpd", "Permendagri 86/2017", 2018, (
    DefinisiTahap("rancangan_awal", "Rancangan Awal RKPD", 1),
    DefinisiTahap("rancangan", "Rancangan RKPD", 2),
    DefinisiTahap("musrenbang", "Musrenbang RKPD", 3),
    DefinisiTahap("rancangan_akhir", "Rancangan Akhir RKPD", 4, wajib_sasaran=True),
    DefinisiTahap("penetapan", "Penetapan RKPD", 5, menetapkan=True, batas_bulan=6, batas_tahun=-1,
                  wajib_sasaran=True),
    DefinisiTahap("perubahan", "Perubahan RKPD", 6, menetapkan=True, perubahan=True, opsional=True),
))

# the RPJMD's and the Renstra's, which the migration seeds (0013_jadwal_rpjmd_renstra)
RPJMD_86_2017 = Tahapan("permendagri-86-2017", "rpjmd", "Permendagri 86/2017", 2018, (
    DefinisiTahap("rancangan_awal", "Rancangan Awal RPJMD", 1),
    DefinisiTahap("rancangan", "Rancangan RPJMD", 2),
    DefinisiTahap("musrenbang", "Musrenbang RPJMD", 3),
    DefinisiTahap("rancangan_akhir", "Rancangan Akhir RPJMD", 4),
    DefinisiTahap("penetapan", "Penetapan RPJMD", 5, menetapkan=True),
))
RENSTRA_86_2017 = Tahapan("permendagri-86-2017", "renstra", "Permendagri 86/2017", 2018, (
    DefinisiTahap("rancangan_awal", "Rancangan Awal Renstra", 1),
    DefinisiTahap("rancangan", "Rancangan Renstra", 2),
    DefinisiTahap("rancangan_akhir", "Rancangan Akhir Renstra", 3),
    DefinisiTahap("penetapan", "Penetapan Renstra", 4, menetapkan=True),
))


class FakeJadwalRepository(FakeRepository):
    def __init__(self):
        self.versions = [RKPD_86_2017, RPJMD_86_2017, RENSTRA_86_2017]
        self.schedules = {}
        self.snapshot_rows = {}
        self.locks = []

    def tahapan(self, dokumen=None):
        return [v for v in self.versions if dokumen is None or v.dokumen == dokumen]

    def get(self, kode_pemda, dokumen, tahun, lock=None):
        if lock:
            self.locks.append((lock, kode_pemda, dokumen, tahun))
        return self.schedules.get((kode_pemda, dokumen, tahun))

    def add(self, j):
        key = (j.kode_pemda, j.dokumen, j.tahun)
        if key in self.schedules:
            return False
        self.schedules[key] = j
        return True

    def save(self, j):
        self.schedules[(j.kode_pemda, j.dokumen, j.tahun)] = j

    def list(self, kode_pemda, tahun=None, dokumen=None):
        return [j for key, j in sorted(self.schedules.items()) if key[0] == kode_pemda
                and (tahun is None or key[2] == tahun) and (dokumen is None or key[1] == dokumen)]

    def add_snapshot(self, s):
        if s.id in self.snapshot_rows or any((o.jadwal_id, o.kode_tahap, o.kunci_ke) == (s.jadwal_id, s.kode_tahap,
                                                                                         s.kunci_ke)
                                             for o in self.snapshot_rows.values()):
            raise AssertionError("a snapshot is written once")
        self.snapshot_rows[s.id] = s

    def snapshot(self, kode_pemda, id):
        s = self.snapshot_rows.get(id)
        return s if s and s.kode_pemda == kode_pemda else None

    def snapshots(self, jadwal_id):
        return [replace(s, items=[]) for s in self.snapshot_rows.values() if s.jadwal_id == jadwal_id]

    def of_year(self, dokumen, tahun):
        return [j for key, j in sorted(self.schedules.items()) if key[1:] == (dokumen, tahun)]


class FakePublikasiRepository(FakeRepository):
    """The per-urusan totals of snapshots, summed here as the repository sums them in SQL."""

    def __init__(self, jadwal: FakeJadwalRepository):
        self.jadwal = jadwal

    def ringkasan(self, snapshot_ids):
        found = [self.jadwal.snapshot_rows[i] for i in snapshot_ids if i in self.jadwal.snapshot_rows]
        return [{"id": s.id, "kode_pemda": s.kode_pemda, "tahun": s.tahun, "kode_tahap": s.kode_tahap, "hash": s.hash,
                 "dibuat_at": s.dibuat_at, "urusan": per_urusan(s.items)} for s in found]


class FakePaguSkpdRepository(FakeRepository):
    def __init__(self):
        self.rows = {}
        self.locked = []

    def get(self, kode_pemda, tahun, kode_skpd, for_update=False):
        if for_update:
            self.locked.append((kode_pemda, tahun, kode_skpd))
        return self.rows.get((kode_pemda, tahun, kode_skpd))

    def put(self, p):
        key = (p.kode_pemda, p.tahun, p.kode_skpd)
        held = self.rows.get(key)
        if (held.version if held else 0) != p.version - 1:
            return False
        self.rows[key] = p
        return True

    def list(self, kode_pemda, tahun, kode_skpd=None):
        return [p for key, p in sorted(self.rows.items()) if key[:2] == (kode_pemda, tahun)
                and (kode_skpd is None or key[2] == kode_skpd)]


class FakePemetaanRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[str, BeritaAcara] = {}
        self.nomor: dict[tuple, int] = {}

    def add(self, ba):
        self.rows[ba.id] = ba

    def save(self, ba):
        held = self.rows[ba.id]
        # what the database's trigger does (migration berita_acara)
        assert held.status == StatusBeritaAcara.DRAFT, "a signed berita acara never changes"
        self.rows[ba.id] = ba

    def get(self, kode_pemda, id, for_update=False):
        ba = self.rows.get(id)
        return ba if ba is not None and ba.kode_pemda == kode_pemda else None

    def nomor_berikutnya(self, kode_pemda, tahun):
        self.nomor[(kode_pemda, tahun)] = self.nomor.get((kode_pemda, tahun), 0) + 1
        return self.nomor[(kode_pemda, tahun)]

    def list_page(self, kode_pemda, tahun, offset, limit):
        rows = [b for b in self.rows.values() if b.kode_pemda == kode_pemda and (tahun is None or b.tahun == tahun)]
        return rows[offset:offset + limit], len(rows)


class FakeRenjaRepository(FakeRepository):
    def __init__(self):
        self.rows: dict[tuple, Renja] = {}

    def lock(self, kode_pemda, tahun, kode_skpd, shared):
        pass

    def get(self, kode_pemda, tahun, kode_skpd):
        return self.rows.get((kode_pemda, tahun, kode_skpd), Renja(kode_pemda, tahun, kode_skpd))

    def put(self, r):
        key = (r.kode_pemda, r.tahun, r.kode_skpd)
        if self.get(*key).version != r.version - 1:
            return False
        self.rows[key] = r
        return True

    def list(self, kode_pemda, tahun):
        return [r for key, r in sorted(self.rows.items()) if key[:2] == (kode_pemda, tahun)]
# the chains the migration seeds (usulan)
_TAHAP = ("rancangan_awal", "rancangan", "musrenbang")
ALUR_MUSRENBANG = AlurUsulan("musrenbang", "permendagri-86-2017", "Permendagri 86/2017", 2018, (
    Tingkat("kecamatan", "Musrenbang Kecamatan"),
    Tingkat("kabupaten_kota", "Forum Musrenbang Kabupaten/Kota (Bappeda)"),
    Tingkat("skpd", "Perangkat Daerah yang membidangi")), _TAHAP)
ALUR_POKIR = AlurUsulan("pokir", "permendagri-86-2017", "Permendagri 86/2017", 2018, (
    Tingkat("bappeda", "Verifikasi Bappeda"), Tingkat("skpd", "Perangkat Daerah yang membidangi")), _TAHAP)


class FakeUsulanRepository(FakeRepository):
    def __init__(self):
        self.versions = [ALUR_MUSRENBANG, ALUR_POKIR]
        self.items: dict[str, Usulan] = {}

    def alur(self, jenis=None):
        return [v for v in self.versions if jenis is None or v.jenis == jenis]

    def get(self, kode_pemda, tahun, id, for_update=False):
        u = self.items.get(id)
        return u if u is not None and (u.kode_pemda, u.tahun) == (kode_pemda, tahun) else None

    def add(self, u):
        self.items[u.id] = u

    def save(self, u):
        self.items[u.id] = u

    def answering(self, rkpd_id):
        return [u for u in self.items.values() if u.rkpd_id == rkpd_id]

    def diterima(self, kode_pemda, tahun):
        return sorted((u for u in self.items.values() if (u.kode_pemda, u.tahun) == (kode_pemda, tahun)
                       and u.status == "diterima"), key=lambda u: u.kode_skpd)

    def list_page(self, kode_pemda, tahun, offset, limit, **where):
        items = [u for u in self.items.values() if (u.kode_pemda, u.tahun) == (kode_pemda, tahun)
                 and all(v is None or str(getattr(u, k)) == str(v) for k, v in where.items())]
        return items[offset:offset + limit], len(items)


class FakePerencanaanUnitOfWork(FakeUnitOfWork):
    def __init__(self, actor: Scope | None = None):
        super().__init__("perencanaan", actor)

    def attach(self) -> None:
        self.rkpd = FakeRkpdRepository()
        self.replika = FakeReplikaRepository()
        self.rpjmd = FakeRpjmdRepository()
        self.renstra = FakeRenstraRepository()
        self.jadwal = FakeJadwalRepository()
        self.pagu_skpd = FakePaguSkpdRepository()
        self.pemetaan = FakePemetaanRepository()
        self.renja = FakeRenjaRepository()
        self.usulan = FakeUsulanRepository()
        self.publikasi = FakePublikasiRepository(self.jadwal)
