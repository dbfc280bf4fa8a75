"""Benchmark of the Renja's bulk entry: a pemda's RKPD of 2,000 sub kegiatan over 40 SKPD entered as SKPD work,
each SKPD importing its Renja as an XLSX file of 50 rows (issue 12's figure: ≤ 10 s).

    python -m bench.renja [--skpd 40] [--items-per-skpd 50] [--repeat 3] [--strict] [--profile]

Runs perencanaan's use case (``rkpd.import_renja``) in process against real PostgreSQL (its own database,
``sipd_bench_renja``, dropped, migrated and seeded first), as a worker runs it, without the broker (the
saved events go to the outbox in the same transaction, as in production). perencanaan's replica of the
codification is filled first from referensi's own snapshot use case, in process; the 40 SKPD are added to the
replica (the shipped data has 14 for 32.73). Each repeat imports into a year of its own. Measured per repeat:
the whole entry (every file read, every row checked against the replica, the items, their events and audit
rows written, one transaction per file), the slowest single file, and this process's own CPU time (on a
shared machine the wall time is mostly waiting: the load average is recorded beside the figures).

Prints the figures and writes ``bench/results/renja-<time>.json``. Figures: docs/performance.md, "The Renja's
bulk entry".
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_RENJA_DB", "sipd_bench_renja")

import sipd_common  # noqa: E402,F401  (PSYCOPG_WAIT_FUNC before psycopg)

FLOOR = 10.0  # seconds for the whole pemda's entry (issue 12)
KODE_PEMDA, TAHUN = "32.73", 2027


def _codes(rows: list[dict], n: int) -> list[str]:
    """Current sub kegiatan of bidang urusan 1.01 for a regency/city, from the replica as filled."""
    found = [r["kode"] for r in rows if r["tingkat"] == "sub_kegiatan" and r["berlaku"]
             and r["kode"].startswith("1.01.") and r["kode"].split(".")[3] == "2"]
    if len(found) < n:
        raise SystemExit(f"only {len(found)} sub kegiatan of 1.01 for a regency/city; ask for fewer per SKPD")
    return sorted(found)[:n]


def _xlsx(codes: list[str], seed: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["kode_sub_kegiatan", "indikator", "target", "satuan", "pagu_indikatif", "pagu_indikatif_n1",
                  "lokasi", "bulan_mulai", "bulan_selesai", "label_prioritas"])
    for j, kode in enumerate(codes):
        pagu = f"{1_000_000 + 137 * (seed + j)}.25"
        sheet.append([kode, "Jumlah unit yang dibangun", 2, "Unit", pagu, None, "32.73.01; 32.73.02", 1, 12, "SPM"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skpd", type=int, default=40)
    parser.add_argument("--items-per-skpd", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the floor is not met")
    parser.add_argument("--profile", action="store_true", help="print where the first repeat's time goes: cProfile, "
                                                               "and the wall time of each SQL statement kind")
    args = parser.parse_args(argv)

    from ops.testing import fresh_database
    from services.perencanaan.replika import usecases as replika
    from services.perencanaan.rkpd import usecases as rkpd
    from services.perencanaan.uow import PerencanaanUnitOfWork
    from services.referensi.replikasi.usecases import get_snapshot_page
    from services.referensi.uow import ReferensiUnitOfWork
    from sipd_common.access import Role, Scope
    from sipd_common.db import make_engine

    def step(what):
        print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)

    step("fresh database (migrate, seed the codification)")
    fresh_database()
    engine, referensi = make_engine("perencanaan", pool_size=2), make_engine("referensi", pool_size=2)
    pusat = Scope("bench", "bench.pusat", Role.PUSAT_ADMIN)

    class Storage:  # what fill_replika needs of a service's storage
        def __init__(self):
            self.engine = engine

        def unit_of_work(self):
            return PerencanaanUnitOfWork(engine, "perencanaan", {}, None, actor=pusat)

    step("filling perencanaan's replica from referensi's snapshot")
    replika.fill_replika(Storage(), lambda request: get_snapshot_page(
        ReferensiUnitOfWork(referensi, "referensi", {}, None), request).model_dump(mode="json"))
    skpd = [f"1.01.0.00.0.00.{i + 1:02d}.{9000 + i:04d}" for i in range(args.skpd)]
    with Storage().unit_of_work() as u:
        u.replika.simpan("skpd", [{"kode_pemda": KODE_PEMDA, "kode": k, "nama": f"Dinas Bench {i}",
                                   "bidang_urusan": ["1.01"], "valid_from": "kepmendagri-050-5889-2021",
                                   "valid_until": None, "revisi": 10**12 + i, "berlaku": True, "kode_pengganti": []}
                                  for i, k in enumerate(skpd)])
        codes = _codes(u.replika.rows("nomenklatur"), args.items_per_skpd)
        u.commit()
    files = [_xlsx(codes, i * args.items_per_skpd) for i in range(args.skpd)]
    step(f"importing {args.skpd} Renja of {args.items_per_skpd} rows, {args.repeat} times "
         f"({sum(map(len, files)) // args.skpd:,} bytes per file)")

    statements: dict[str, list[float]] = {}
    if args.profile:
        import cProfile

        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench_started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            kind = " ".join(statement.split())[:90]
            statements.setdefault(kind, []).append(time.perf_counter() - conn.info.pop("bench_started"))

    totals, slowest, cpu, created = [], [], [], 0
    for r in range(args.repeat):
        per_file = []
        profile = cProfile.Profile() if args.profile and r == 0 else None
        if profile is not None:
            profile.enable()
        start, start_cpu = time.perf_counter(), time.process_time()
        for kode_skpd, content in zip(skpd, files):
            one = time.perf_counter()
            done = rkpd.import_renja(Storage().unit_of_work(), pusat, KODE_PEMDA, TAHUN + r, kode_skpd, content,
                                     "renja.xlsx")
            per_file.append(time.perf_counter() - one)
            created += done.dibuat
        totals.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        slowest.append(max(per_file))
        if profile is not None:
            import pstats

            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
            print("SQL statements of the first repeat (count, total s, statement):", file=sys.stderr)
            for kind, times in sorted(statements.items(), key=lambda kv: -sum(kv[1]))[:25]:
                print(f"  {len(times):5d} {sum(times):7.3f}  {kind}", file=sys.stderr)
    engine.dispose()
    referensi.dispose()

    now = dt.datetime.now(dt.timezone.utc)
    passed = max(totals) <= FLOOR
    report = {"skpd": args.skpd, "items_per_skpd": args.items_per_skpd, "repeat": args.repeat,
              "items_created": created, "bytes_per_file": sum(map(len, files)) // args.skpd,
              "seconds": {"entry": {"median": statistics.median(totals), "max": max(totals), "all": totals},
                          "slowest_file": {"median": statistics.median(slowest), "max": max(slowest)},
                          "entry_cpu_of_this_process": {"median": statistics.median(cpu), "max": max(cpu)}},
              "floor": FLOOR, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                                          "load_average": os.getloadavg()},
              "at": now.isoformat()}
    print(f"{args.skpd * args.items_per_skpd} sub kegiatan over {args.skpd} SKPD (one XLSX each), "
          f"{args.repeat} repeats")
    print(f"  entry        median {statistics.median(totals):6.3f} s  max {max(totals):6.3f} s  floor <= {FLOOR} s  "
          f"{'PASS' if passed else 'FAIL'}")
    print(f"  slowest file median {statistics.median(slowest):6.3f} s  max {max(slowest):6.3f} s")
    print(f"  this process's CPU for the entry: median {statistics.median(cpu):6.3f} s (the rest is PostgreSQL and "
          f"waiting; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"renja-{now:%Y%m%dT%H%M%S}.json").write_text(json.dumps(report, indent=2))
    return 0 if passed or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
