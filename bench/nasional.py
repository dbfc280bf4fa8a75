"""Benchmark of pemerintahan's national view, on 552 pemda × 30 bidang urusan of synthetic data (issue 8).

    python -m bench.nasional [--items 3] [--repeat 50] [--strict]

Runs pemerintahan's use cases in process against real PostgreSQL (its own database,
``sipd_bench_nasional``, dropped and migrated first; only pemerintahan's schema), as a worker runs them,
without the broker. Stored directly, as the event handlers leave them: for each of the 552 pemda of
``services/referensi/data/wilayah.csv`` and each of 30 bidang urusan, ``--items`` plan items, their
ceilings and their realisation (two accounts each, ``realisasi``); an EPPD round with every pemda scored
on every indicator; two Perda per pemda. Measured (``--repeat`` calls each, after one warm-up call):

1. ``nasional_pusat``: ``get_nasional`` as the ministry — all 552 pemda, sorted by budget, page 1 of 50
   (floor: p99 ≤ 1 s);
2. ``nasional_provinsi``: as province 32's administrator — itself and its regencies/cities, every page
   in one (per_page 200) (floor: p99 ≤ 1 s);
3. ``lppd_rebuild``: ``rebuild_lppd`` of 32.73's draft LPPD, the pemda holding ``--lppd-items`` more plan
   items with their ceilings (2,000 by default, a full-size RKPD) — read, built, compared, stored
   (floor: p99 ≤ 2 s); ``lppd_get``: reading it, which builds it again to say what went stale.

Prints the figures and writes ``bench/results/nasional-<time>.json``. Figures: docs/performance.md,
"The national view".
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_NASIONAL_DB", "sipd_bench_nasional")

import sipd_common  # noqa: E402,F401  (PSYCOPG_WAIT_FUNC before psycopg)

FLOORS = {"nasional_pusat": 1.0, "nasional_provinsi": 1.0, "lppd_rebuild": 2.0, "lppd_get": 2.0}
LPPD_PEMDA = "32.73"
TAHUN = 2027
ROOT = Path(__file__).resolve().parent.parent
BIDANG = [f"{u}.{b:02d}" for u, n in ((1, 6), (2, 18), (3, 6)) for b in range(1, n + 1)]  # 30 bidang urusan


def pemda_codes() -> list[str]:
    with open(ROOT / "services/referensi/data/wilayah.csv", newline="") as f:
        return [row["kode"] for row in csv.DictReader(f) if row["kode"].count(".") <= 1]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def fill(engine, pemda: list[str], items: int, lppd_items: int) -> int:
    """The read models as the events leave them, in bulk (one COPY-sized insert per table)."""
    from services.pemerintahan.eppd.repository import eppd_indikator, eppd_nilai, eppd_ronde
    from services.pemerintahan.perda.repository import perda
    from services.pemerintahan.realisasi.repository import realisasi
    from services.pemerintahan.ringkasan.repository import anggaran, rencana

    rencana_rows, anggaran_rows, realisasi_rows = [], [], []

    def spent(common: dict, kode_skpd: str, budget: Decimal) -> None:
        """Two accounts of the item disbursed, together 60 % of its budget (keuangan's ``realisasi.berubah``)."""
        kode, sub = common["kode_pemda"], common["kode_sub_kegiatan"]
        for rekening in ("5.1.02.01.01.0001", "5.2.03.01.01.0002"):
            realisasi_rows.append({
                "id": f"{kode}:{TAHUN}:belanja:{kode_skpd}:{sub}:{rekening}", "kode_pemda": kode, "tahun": TAHUN,
                "jenis": "belanja", "kode_skpd": kode_skpd, "kode_sub_kegiatan": sub,
                "kode_bidang_urusan": common["kode_bidang_urusan"], "kode_rekening": rekening,
                "jumlah": (budget * Decimal("0.3")).quantize(Decimal("0.01")), "source_version": 3})

    for p, kode in enumerate(pemda):
        for b, bidang in enumerate(BIDANG):
            skpd = f"{bidang}.0.00.0.00.01.0000"
            for i in range(items):
                rkpd_id = str(uuid.uuid4())
                common = {"rkpd_id": rkpd_id, "kode_pemda": kode, "tahun": TAHUN, "kode_bidang_urusan": bidang,
                          "kode_sub_kegiatan": f"{bidang}.02.2.01.{i + 1:04d}", "source_version": 1}
                pagu = Decimal(1_000_000 + 7919 * (p * 97 + b * 13 + i)) + Decimal("0.50")
                rencana_rows.append({**common, "nama_bidang_urusan": f"BIDANG {bidang}", "pagu": pagu,
                                     "dihapus": i == items - 1 and b % 7 == 0, "kode_skpd": skpd})
                anggaran_rows.append({**common, "total_rincian": pagu * Decimal("0.9"), "status": "sesuai"})
                spent(common, skpd, pagu * Decimal("0.9"))
    for i in range(lppd_items):  # one pemda with a full-size plan: the LPPD's case
        bidang = BIDANG[i % len(BIDANG)]
        common = {"rkpd_id": str(uuid.uuid4()), "kode_pemda": LPPD_PEMDA, "tahun": TAHUN, "kode_bidang_urusan": bidang,
                  "kode_sub_kegiatan": f"{bidang}.03.2.01.{i:04d}", "source_version": 1}
        pagu, skpd = Decimal(2_000_000 + 131 * i) + Decimal("0.25"), f"{bidang}.0.00.0.00.01.0000"
        spent(common, skpd, pagu)
        rencana_rows.append({**common, "nama_bidang_urusan": f"BIDANG {bidang}", "pagu": pagu, "dihapus": False,
                             "kode_skpd": skpd,
                             "nama_sub_kegiatan": f"Sub kegiatan {i} dengan nama sepanjang nama sebenarnya",
                             "indikator": "Jumlah unit yang dibangun", "target": Decimal(i % 40 + 1), "satuan": "Unit"})
        anggaran_rows.append({**common, "total_rincian": pagu, "status": "sesuai"})
    with engine.begin() as conn:
        conn.execute(rencana.insert(), rencana_rows)
        conn.execute(anggaran.insert(), anggaran_rows)
        conn.execute(realisasi.insert(), realisasi_rows)
        indikator = [r.kode for r in conn.execute(eppd_indikator.select().where(eppd_indikator.c.versi == "eppd-2025"))]
        conn.execute(eppd_ronde.insert(), [{"tahun": TAHUN, "versi_indikator": "eppd-2025", "versi_band": "eppd-2025",
                                            "status": "ditutup", "version": 2}])
        conn.execute(eppd_nilai.insert(), [
            {"tahun": TAHUN, "kode_pemda": kode, "kode_indikator": k, "skor": Decimal((p * 31 + j * 7) % 401) / 100,
             "penilai": "bench"} for p, kode in enumerate(pemda) for j, k in enumerate(indikator)])
        conn.execute(perda.insert(), [
            {"id": str(uuid.uuid4()), "kode_pemda": kode, "tahun": TAHUN, "jenis": "perda", "kategori": "umum",
             "judul": "Perda", "status": status, "riwayat": [], "sumber": "register", "version": 1}
            for kode in pemda for status in ("draft", "diundangkan")])
    return len(rencana_rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3, help="plan items per pemda and bidang urusan")
    parser.add_argument("--lppd-items", type=int, default=2000, help="more plan items of 32.73, for the LPPD")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    args = parser.parse_args(argv)

    from services.pemerintahan.lppd import usecases as lppd
    from services.pemerintahan.nasional import usecases as nasional
    from services.pemerintahan.uow import PemerintahanUnitOfWork
    from sipd_common import dbsetup, migrations
    from sipd_common.access import Role, Scope
    from sipd_common.db import make_engine
    from sipd_common.settings import get_settings

    def step(what):
        print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)

    step("fresh database (pemerintahan's schema only)")
    settings = get_settings()
    dbsetup.drop_database(settings)
    dbsetup.ensure_database(settings)
    dbsetup.ensure_roles_and_schemas(settings)
    migrations.upgrade("pemerintahan")
    engine = make_engine("pemerintahan", pool_size=2)
    pemda = pemda_codes()
    step(f"storing {len(pemda)} pemda × {len(BIDANG)} bidang urusan × {args.items} items")
    rows = fill(engine, pemda, args.items, args.lppd_items)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")

    def uow():
        return PemerintahanUnitOfWork(engine, "pemerintahan", {}, None)

    cases = {
        "nasional_pusat": (Scope("b1", "bench.pusat", Role.PUSAT_ADMIN),
                           dict(sort="total_anggaran", descending=True, offset=0, limit=50)),
        "nasional_provinsi": (Scope("b2", "bench.jabar", Role.PROVINSI_ADMIN, "32"), dict(offset=0, limit=200)),
    }
    times: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    step("measuring")
    for name, (caller, kwargs) in cases.items():
        nasional.get_nasional(uow(), caller, TAHUN, **kwargs)  # warm-up
        times[name] = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = nasional.get_nasional(uow(), caller, TAHUN, **kwargs)
            times[name].append(time.perf_counter() - start)
        totals[name] = out.total
    admin = Scope("b3", "bench.bandung", Role.PEMDA_ADMIN, LPPD_PEMDA)
    lppd.draft_lppd(uow(), admin, LPPD_PEMDA, TAHUN)
    for name, run in (("lppd_rebuild", lambda: lppd.rebuild_lppd(uow(), admin, LPPD_PEMDA, TAHUN)),
                      ("lppd_get", lambda: lppd.get_lppd(uow(), admin, LPPD_PEMDA, TAHUN))):
        times[name] = []
        for _ in range(max(5, args.repeat // 5)):
            start = time.perf_counter()
            out = run()
            times[name].append(time.perf_counter() - start)
        totals[name] = sum(b.jumlah_sub_kegiatan for u in out.isi.urusan for b in u.bidang_urusan)
    engine.dispose()

    now = dt.datetime.now(dt.timezone.utc)
    report = {"pemda": len(pemda), "bidang_urusan": len(BIDANG), "items": args.items, "rencana_rows": rows,
              "repeat": args.repeat, "in_view": totals,
              "seconds": {k: {"median": statistics.median(v), "p99": p99(v), "max": max(v)} for k, v in times.items()},
              "floors": FLOORS, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "at": now.isoformat()}
    print(f"{len(pemda)} pemda × {len(BIDANG)} bidang urusan × {args.items} items ({rows:,} plan rows, as many "
          f"ceilings, twice as many realisation rows), {args.repeat} calls each")
    ok = True
    for k, v in times.items():
        passed = p99(v) <= FLOORS[k]
        ok &= passed
        print(f"  {k:18} median {statistics.median(v):6.3f} s  p99 {p99(v):6.3f} s  floor p99 <= {FLOORS[k]} s  "
              f"{'PASS' if passed else 'FAIL'}  ({totals[k]} {'sub kegiatan' if k.startswith('lppd') else 'pemda in view'})")
    out_dir = Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"nasional-{now:%Y%m%dT%H%M%S}.json").write_text(json.dumps(report, indent=2))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
