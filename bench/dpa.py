"""Benchmark of DPA-SKPD generation for every SKPD of a pemda from its enacted APBD: 2,000 sub kegiatan over 40
SKPD, 30,000 budget lines (issue 13's figure: DPA generation for all SKPD ≤ 5 s).

    python -m bench.dpa [--skpd 40] [--sub-per-skpd 50] [--lines-per-sub 15] [--strict]

Runs keuangan's use cases in process against real PostgreSQL (its own database, ``sipd_bench_dpa``, dropped,
migrated and seeded first), without the broker: the ceilings and lines are stored directly (as ``bench.apbd``
stores them), the APBD submitted, evaluated and enacted through its use cases, then measured once each:

1. ``generate_all``: ``dpa.generate_dpa`` for every SKPD (the lines summed per SKPD × sub kegiatan × account in
   PostgreSQL, checked against the enacted summary, each line spread by default, the lines written in one COPY) — floor ≤ 5 s;
2. ``get_dpa``: the largest SKPD's DPA with its lines and cash plan;
3. ``sahkan``: one SKPD's authorisation (hash, event into the outbox);
4. ``pagu_baris``: the spending read of one line (median of 100);
5. ``dokumen_xlsx``, ``dokumen_pdf``: one SKPD's DPA printed.

Prints the figures and writes ``bench/results/dpa-<time>.json``. Figures: docs/performance.md, "DPA generation".
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench.apbd import KODE_PEMDA, PEAK_MB, TAHUN, _rows, peak_mb  # first: importing it names its own database

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_DPA_DB", "sipd_bench_dpa")

FLOORS = {"generate_all": 5.0}


def enact(engine, ceilings: list[dict], lines: list[dict], targets: list[dict] = ()) -> None:
    """The ceilings, lines (and revenue/financing ``targets``) stored directly in one transaction, then the APBD
    submitted, evaluated (by a pusat administrator) and enacted through keuangan's use cases."""
    from sqlalchemy import insert

    from services.keuangan.apbd import usecases as apbd
    from services.keuangan.pendapatan.repository import pendapatan
    from services.keuangan.plafon.repository import plafon
    from services.keuangan.rincian.repository import rincian

    tapd, pusat = scopes()
    with engine.begin() as conn:
        conn.execute(insert(plafon), ceilings)
        for start in range(0, len(lines), 5000):
            conn.execute(insert(rincian), lines[start:start + 5000])
        if targets:
            conn.execute(insert(pendapatan), list(targets))
        conn.exec_driver_sql("ANALYZE rincian; ANALYZE plafon; ANALYZE pendapatan_pembiayaan")
    apbd.ajukan_apbd(uow_of(engine, tapd), tapd, KODE_PEMDA, TAHUN)
    apbd.evaluasi_apbd(uow_of(engine, pusat), pusat, KODE_PEMDA, TAHUN, {"hasil": "sesuai"})
    apbd.tetapkan_apbd(uow_of(engine, tapd), tapd, KODE_PEMDA, TAHUN, {
        "nomor_perda": "Perda bench", "tanggal_perda": "2026-12-20", "nomor_perkada": "Perkada bench",
        "tanggal_perkada": "2026-12-21"})


def scopes():
    """The TAPD of the bench's pemda and a pusat administrator (the evaluator), as callers in process."""
    from sipd_common.access import Role, Scope
    return Scope("bench", "bench.tapd", Role.TAPD, KODE_PEMDA), Scope("bench-pusat", "bench.pusat", Role.PUSAT_ADMIN)


def uow_of(engine, actor):
    from services.keuangan.uow import KeuanganUnitOfWork
    return KeuanganUnitOfWork(engine, "keuangan", {}, None, actor=actor)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skpd", type=int, default=40)
    parser.add_argument("--sub-per-skpd", type=int, default=50)
    parser.add_argument("--lines-per-sub", type=int, default=15)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    args = parser.parse_args(argv)

    from ops.testing import fresh_database_apart
    from services.keuangan.dpa import usecases as dpa
    from sipd_common.db import make_engine

    def step(what):
        print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)

    step("fresh database (migrate, seed the codification), in a process of its own (its memory is not measured)")
    fresh_database_apart()
    engine = make_engine("keuangan", pool_size=2)
    tapd, _ = scopes()

    def uow(actor=tapd):
        return uow_of(engine, actor)

    step("storing the ceilings and lines; enacting the APBD")
    ceilings, lines = _rows(args.skpd, args.sub_per_skpd, args.lines_per_sub)
    enact(engine, ceilings, lines)

    step("measuring")
    once: dict[str, float] = {}

    def timed(name, call):
        start = time.perf_counter()
        result = call()
        once[name] = time.perf_counter() - start
        return result

    made = timed("generate_all", lambda: dpa.generate_dpa(uow(), tapd, KODE_PEMDA, TAHUN))
    assert sum(d.jumlah for d in made.dibuat) == sum((line["jumlah"] for line in lines), Decimal(0)), "not exact"
    n_baris = sum(d.jumlah_baris for d in made.dibuat)
    largest = max(made.dibuat, key=lambda d: d.jumlah_baris).kode_skpd
    got = timed("get_dpa", lambda: dpa.get_dpa(uow(), tapd, KODE_PEMDA, TAHUN, largest))
    timed("sahkan", lambda: dpa.sahkan_dpa(uow(), tapd, KODE_PEMDA, TAHUN, largest, {"versi": 1}))
    first = got.baris[0]
    reads = []
    for _ in range(100):
        with uow() as u:
            start = time.perf_counter()
            u.dpa.pagu_baris(KODE_PEMDA, TAHUN, largest, first.kode_sub_kegiatan, first.kode_rekening)
            reads.append(time.perf_counter() - start)
    once["pagu_baris"] = statistics.median(reads)
    sizes = {}
    for fmt in ("xlsx", "pdf"):
        result = timed(f"dokumen_{fmt}", lambda fmt=fmt: dpa.dokumen_dpa(uow(), tapd, KODE_PEMDA, TAHUN, largest, fmt))
        sizes[f"dokumen_{fmt}"] = len(result["content"]) * 3 // 4
    engine.dispose()

    now = dt.datetime.now(dt.timezone.utc)
    report = {"sub_kegiatan": len(ceilings), "lines": len(lines), "skpd": args.skpd, "dpa_baris": n_baris,
              "seconds": once, "bytes": sizes, "floors": FLOORS, "peak_mb": peak_mb(),
              "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                          "load": os.getloadavg()}, "at": now.isoformat()}
    print(f"{len(lines)} lines under {len(ceilings)} sub kegiatan over {args.skpd} SKPD -> {len(made.dibuat)} DPA, "
          f"{n_baris} DPA lines (load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    ok = report["peak_mb"] < PEAK_MB
    for k, v in once.items():
        floor = FLOORS.get(k)
        passed = floor is None or v <= floor
        ok &= passed
        print(f"  {k:14} {v:8.4f} s" + (f"  ({sizes[k]:,} bytes)" if k in sizes else "")
              + (f"  floor <= {floor} s  {'PASS' if passed else 'FAIL'}" if floor else ""))
    print(f"  peak memory of this process {report['peak_mb']:.1f} MB  floor < {PEAK_MB} MB")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"dpa-{now:%Y%m%dT%H%M%S}.json").write_text(json.dumps(report, indent=2))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
