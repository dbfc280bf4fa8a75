"""Benchmark of the RKPD's stage lock (the snapshot) and of the printed RKPD, on a pemda's full-size plan:
2,000 sub kegiatan over 40 SKPD (issue 12's figure).

    python -m bench.jadwal [--items-per-skpd 50] [--skpd 40] [--repeat 3] [--strict]

Runs perencanaan's use cases in process against real PostgreSQL (its own database, ``sipd_bench_jadwal``,
dropped, migrated and seeded first), as a worker runs them, without the broker (neither step sends a
message but the penetapan event, which goes to the outbox in the same transaction): the items are
stored directly (one transaction), then a schedule is made and its first stage opened, and measured:

1. ``lock``: ``lock_tahap`` of a stage holding every item — reading them, the canonical JSON, its
   SHA-256, the totals per SKPD / program / kegiatan / sub kegiatan, storing the snapshot (floor ≤ 2 s);
   each repeat reopens the stage (with a reason) and locks it again, a new snapshot each time;
2. ``xlsx`` and ``pdf``: ``dokumen_rkpd`` of the locked snapshot (floor ≤ 5 s each).

Prints the figures (median and worst of the repeats) and writes ``bench/results/jadwal-<time>.json``.
Figures and how to read them: docs/performance.md, "Stage lock and the printed RKPD".
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_JADWAL_DB", "sipd_bench_jadwal")

import sipd_common  # noqa: E402,F401  (PSYCOPG_WAIT_FUNC before psycopg)

FLOORS = {"lock": 2.0, "xlsx": 5.0, "pdf": 5.0}
KODE_PEMDA, TAHUN = "32.73", 2027


def _items(n_skpd: int, per_skpd: int):
    from services.perencanaan.rkpd.domain import SubKegiatanRkpd

    codes = [f"1.01.{p:02d}.2.{k:02d}.{s:04d}" for p in range(2, 12) for k in range(1, 3) for s in range(1, 6)]
    for i in range(n_skpd):
        skpd = f"1.01.0.00.0.00.{i + 1:02d}.0000"
        for j in range(per_skpd):
            kode = codes[j % len(codes)] if j < len(codes) else f"1.01.99.2.01.{j:04d}"
            pagu = Decimal(1_000_000 + 137 * (i * per_skpd + j)) + Decimal("0.25")
            yield SubKegiatanRkpd(
                id=str(uuid.uuid4()), kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=skpd, kode_sub_kegiatan=kode,
                nama_sub_kegiatan=f"Sub kegiatan {kode} dengan nama yang sepanjang nama sebenarnya",
                kode_bidang_urusan="1.01", nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
                kinerja="Unit sekolah yang dibangun", indikator="Jumlah unit sekolah baru yang dibangun",
                target=Decimal("2"), satuan="Unit", pagu_indikatif=pagu, pagu_indikatif_n1=pagu * 2,
                lokasi=["32.73.01", "32.73.02.1001"], bulan_mulai=1, bulan_selesai=12,
                sumber_dana=[{"kode_sumber_dana": "1.1", "pagu": pagu}], label_prioritas=["SPM"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skpd", type=int, default=40)
    parser.add_argument("--items-per-skpd", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    args = parser.parse_args(argv)

    from ops.testing import fresh_database
    from services.perencanaan.dokumen import usecases as dokumen
    from services.perencanaan.jadwal import usecases as jadwal
    from services.perencanaan.uow import PerencanaanUnitOfWork
    from sipd_common.access import Role, Scope
    from sipd_common.db import make_engine

    def step(what):
        print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)

    step("fresh database (migrate, seed the codification)")
    fresh_database()
    step("storing the items")
    engine = make_engine("perencanaan", pool_size=2)
    actor = Scope("bench", "bench.bappeda", Role.BAPPEDA, KODE_PEMDA)

    def uow():
        return PerencanaanUnitOfWork(engine, "perencanaan", {}, None, actor=actor)

    with uow() as u:
        items = list(_items(args.skpd, args.items_per_skpd))
        for item in items:
            u.rkpd.add(item)
        u.commit()
    step("scheduling, measuring")
    now = dt.datetime.now(dt.timezone.utc)
    stages = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
    jadwal.create_jadwal(uow(), actor, KODE_PEMDA, {"dokumen": "rkpd", "tahun": TAHUN, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - dt.timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + dt.timedelta(days=7)).isoformat()} for k in stages]})
    jadwal.open_tahap(uow(), actor, KODE_PEMDA, "rkpd", TAHUN, "rancangan_awal")

    times: dict[str, list[float]] = {"lock": [], "xlsx": [], "pdf": []}
    sizes: dict[str, int] = {}
    snapshot_id = None
    for r in range(args.repeat):
        if r:
            jadwal.reopen_tahap(uow(), actor, KODE_PEMDA, "rkpd", TAHUN, "rancangan_awal", {
                "alasan": "bench", "waktu_selesai": (now + dt.timedelta(days=7)).isoformat()})
        start = time.perf_counter()
        locked = jadwal.lock_tahap(uow(), actor, KODE_PEMDA, "rkpd", TAHUN, "rancangan_awal")
        times["lock"].append(time.perf_counter() - start)
        snapshot_id = locked.tahap[0].snapshot_id
        for fmt in ("xlsx", "pdf"):
            start = time.perf_counter()
            result = dokumen.dokumen_rkpd(uow(), actor, KODE_PEMDA, TAHUN, fmt, snapshot_id=snapshot_id)
            times[fmt].append(time.perf_counter() - start)
            sizes[fmt] = len(result["content"]) * 3 // 4
    engine.dispose()

    report = {"items": len(items), "skpd": args.skpd, "repeat": args.repeat, "snapshot_id": snapshot_id,
              "seconds": {k: {"median": statistics.median(v), "max": max(v), "all": v} for k, v in times.items()},
              "bytes": sizes, "floors": FLOORS, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "at": now.isoformat()}
    print(f"{len(items)} sub kegiatan over {args.skpd} SKPD, {args.repeat} repeats")
    ok = True
    for k, v in times.items():
        passed = max(v) <= FLOORS[k]
        ok &= passed
        print(f"  {k:5} median {statistics.median(v):6.3f} s  max {max(v):6.3f} s  floor <= {FLOORS[k]} s  "
              f"{'PASS' if passed else 'FAIL'}" + (f"  ({sizes[k]:,} bytes)" if k in sizes else ""))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"jadwal-{now:%Y%m%dT%H%M%S}.json").write_text(json.dumps(report, indent=2))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
