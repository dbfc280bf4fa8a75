"""Benchmark of the APBD's summary and legal ratios on a pemda's full-size budget: 2,000 sub kegiatan over
40 SKPD, 30,000 budget lines, with revenue and financing (issue 13's figure: the summary with ratios ≤ 1 s).

    python -m bench.apbd [--skpd 40] [--sub-per-skpd 50] [--lines-per-sub 15] [--repeat 5] [--strict]

Runs keuangan's use cases in process against real PostgreSQL (its own database, ``sipd_bench_apbd``, dropped,
migrated and seeded first), as a worker runs them, without the broker: the ceilings, lines and revenue are
stored directly (one transaction), then measured, each ``--repeat`` times:

1. ``ringkasan``: the structure and identities with the amounts per account to level 3 (Lampiran I's shape);
2. ``rasio``: the legal ratios from the rule table;
3. ``ringkasan+rasio``: both, as a client showing the summary with its ratios asks (floor ≤ 1 s);
4. ``urusan``, ``skpd``, ``program``: the summaries by urusan / organisation / program;
5. once: the enactment (every view computed, hashed and stored as enacted) and Lampiran I as XLSX and PDF.

Prints the figures (median and worst) and writes ``bench/results/apbd-<time>.json``. Figures and how to read
them: docs/performance.md, "The APBD summary and its ratios".
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_APBD_DB", "sipd_bench_apbd")

import sipd_common  # noqa: E402,F401  (PSYCOPG_WAIT_FUNC before psycopg)

FLOORS = {"ringkasan+rasio": 1.0}
PEAK_MB = 300.0  # issue 13: every process under it
KODE_PEMDA, TAHUN = "32.73", 2027
# spending accounts the lines use, in proportions a pemda's budget has (pegawai, barang dan jasa, modal, ...)
ACCOUNTS = ([f"5.1.01.01.{o:02d}.000{s}" for o in range(1, 12) for s in (1, 2)]
            + [f"5.1.02.01.01.{s:04d}" for s in range(1, 30)]
            + [f"5.2.0{j}.01.01.{s:04d}" for j in (2, 3, 4, 5) for s in range(1, 8)]
            + ["5.1.05.05.01.0001", "5.1.06.01.01.0001", "5.3.01.01.01.0001", "5.4.02.05.01.0001"])
BIDANG = ["1.01", "1.02", "1.03", "1.04", "2.12", "4.01", "5.02", "7.01"]


def _rows(n_skpd: int, per_skpd: int, per_sub: int, skpd_list: list[tuple[str, str]] | None = None,
          accounts: list[str] = ACCOUNTS):
    """Ceilings and lines of ``n_skpd`` made-up SKPD (or of ``skpd_list``: (kode, bidang urusan)), on ``accounts``."""
    ceilings, lines = [], []
    n = 0
    skpd_list = skpd_list or [(f"{BIDANG[i % len(BIDANG)]}.0.00.0.00.{i + 1:02d}.0000", BIDANG[i % len(BIDANG)])
                              for i in range(n_skpd)]
    for skpd, bidang in skpd_list:
        for j in range(per_skpd):
            rkpd_id = str(uuid.uuid4())
            sub = f"{bidang}.{2 + j % 10:02d}.2.{1 + j // 10:02d}.{j + 1:04d}"
            ceilings.append(dict(rkpd_id=rkpd_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=skpd,
                                 kode_sub_kegiatan=sub, kode_bidang_urusan=bidang, pagu=Decimal("1e13"),
                                 total_rincian=0, rencana_dihapus=False, source_version=1, version=1))
            for k in range(per_sub):
                n += 1
                volume, harga = Decimal(1 + n % 12), Decimal(100_000 + 7_919 * (n % 997)) + Decimal("0.25")
                lines.append(dict(id=str(uuid.uuid4()), kode_pemda=KODE_PEMDA, tahun=TAHUN, rkpd_id=rkpd_id,
                                  kode_rekening=accounts[(n * 7 + k) % len(accounts)], nama_rekening="x",
                                  uraian="Belanja", volume=volume, satuan="Unit", harga_satuan=harga,
                                  jumlah=volume * harga))
    return ceilings, lines


def _anggaran(n_skpd: int):
    rows = []
    for i in range(n_skpd):
        skpd = f"{BIDANG[i % len(BIDANG)]}.0.00.0.00.{i + 1:02d}.0000"
        for s in range(1, 4):
            rows.append(("pendapatan", skpd, f"4.1.02.01.01.{s:04d}", Decimal(50_000_000 + i * 1_000 + s)))
    rows += [("pendapatan", "5.02.0.00.0.00.07.0000", "4.2.01.01.01.0001", Decimal("900000000000.00")),
             ("penerimaan_pembiayaan", "5.02.0.00.0.00.07.0000", "6.1.01.01.01.0001", Decimal("50000000000.00")),
             ("pengeluaran_pembiayaan", "5.02.0.00.0.00.07.0000", "6.2.02.01.01.0001", Decimal("10000000000.00"))]
    return [dict(id=str(uuid.uuid4()), kode_pemda=KODE_PEMDA, tahun=TAHUN, jenis=j, kode_skpd=skpd, kode_rekening=k,
                 nama_rekening="x", uraian="x", jumlah=amount) for j, skpd, k, amount in rows]


def peak_mb() -> float:
    """This process's peak resident memory so far (the fresh database is made in another)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skpd", type=int, default=40)
    parser.add_argument("--sub-per-skpd", type=int, default=50)
    parser.add_argument("--lines-per-sub", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    args = parser.parse_args(argv)

    from sqlalchemy import insert

    from ops.testing import fresh_database_apart
    from services.keuangan.apbd import usecases as apbd
    from services.keuangan.pendapatan.repository import pendapatan
    from services.keuangan.plafon.repository import plafon
    from services.keuangan.rincian.repository import rincian
    from services.keuangan.uow import KeuanganUnitOfWork
    from sipd_common.access import Role, Scope
    from sipd_common.db import make_engine

    def step(what):
        print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)

    step("fresh database (migrate, seed the codification), in a process of its own (its memory is not measured)")
    fresh_database_apart()
    engine = make_engine("keuangan", pool_size=2)
    tapd = Scope("bench", "bench.tapd", Role.TAPD, KODE_PEMDA)
    pusat = Scope("bench-pusat", "bench.pusat", Role.PUSAT_ADMIN)

    def uow(actor=tapd):
        return KeuanganUnitOfWork(engine, "keuangan", {}, None, actor=actor)

    step("storing the ceilings, lines, revenue and financing")
    ceilings, lines = _rows(args.skpd, args.sub_per_skpd, args.lines_per_sub)
    with engine.begin() as conn:
        conn.execute(insert(plafon), ceilings)
        for start in range(0, len(lines), 5000):
            conn.execute(insert(rincian), lines[start:start + 5000])
        conn.execute(insert(pendapatan), _anggaran(args.skpd))
        conn.exec_driver_sql("ANALYZE rincian; ANALYZE plafon; ANALYZE pendapatan_pembiayaan")

    step("measuring")
    calls = {
        "ringkasan": lambda: apbd.ringkasan(uow(), tapd, KODE_PEMDA, TAHUN, 3),
        "rasio": lambda: apbd.rasio(uow(), tapd, KODE_PEMDA, TAHUN),
        "ringkasan+rasio": lambda: (apbd.ringkasan(uow(), tapd, KODE_PEMDA, TAHUN, 3),
                                    apbd.rasio(uow(), tapd, KODE_PEMDA, TAHUN)),
        **{by: (lambda by=by: apbd.ringkasan_menurut(uow(), tapd, KODE_PEMDA, TAHUN, by)) for by in
           ("urusan", "skpd", "program")},
    }
    times: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(args.repeat):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    summary = apbd.ringkasan(uow(), tapd, KODE_PEMDA, TAHUN, 1)
    assert summary.belanja == sum((line["jumlah"] for line in lines), Decimal(0)), "the sum is not exact"

    once: dict[str, float] = {}
    sizes: dict[str, int] = {}
    apbd.ajukan_apbd(uow(), tapd, KODE_PEMDA, TAHUN)
    apbd.evaluasi_apbd(uow(pusat), pusat, KODE_PEMDA, TAHUN, {"hasil": "sesuai"})
    start = time.perf_counter()
    apbd.tetapkan_apbd(uow(), tapd, KODE_PEMDA, TAHUN, {"nomor_perda": "Perda bench", "tanggal_perda": "2026-12-20",
                                                        "nomor_perkada": "Perkada bench",
                                                        "tanggal_perkada": "2026-12-21"})
    once["tetapkan"] = time.perf_counter() - start
    for fmt in ("xlsx", "pdf"):
        start = time.perf_counter()
        result = apbd.dokumen_lampiran(uow(), tapd, KODE_PEMDA, TAHUN, fmt)
        once[fmt] = time.perf_counter() - start
        sizes[fmt] = len(result["content"]) * 3 // 4
    engine.dispose()

    now = dt.datetime.now(dt.timezone.utc)
    report = {"sub_kegiatan": len(ceilings), "lines": len(lines), "skpd": args.skpd, "repeat": args.repeat,
              "seconds": {k: {"median": statistics.median(v), "max": max(v), "all": v} for k, v in times.items()},
              "once": once, "bytes": sizes, "floors": FLOORS, "peak_mb": peak_mb(),
              "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load": os.getloadavg()},
              "at": now.isoformat()}
    print(f"{len(lines)} lines under {len(ceilings)} sub kegiatan over {args.skpd} SKPD, {args.repeat} repeats "
          f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    ok = report["peak_mb"] < PEAK_MB
    for k, v in times.items():
        floor = FLOORS.get(k)
        passed = floor is None or max(v) <= floor
        ok &= passed
        print(f"  {k:16} median {statistics.median(v):6.3f} s  max {max(v):6.3f} s"
              + (f"  floor <= {floor} s  {'PASS' if passed else 'FAIL'}" if floor else ""))
    for k, v in once.items():
        print(f"  {k:16} once   {v:6.3f} s" + (f"  ({sizes[k]:,} bytes)" if k in sizes else ""))
    print(f"  peak memory of this process {report['peak_mb']:.1f} MB  floor < {PEAK_MB} MB")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"apbd-{now:%Y%m%dT%H%M%S}.json").write_text(json.dumps(report, indent=2))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
