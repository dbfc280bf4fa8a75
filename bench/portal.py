"""Benchmark of the public portal: a pemda page under 32 concurrent readers (issue 9's floor: p99 ≤ 200 ms).

    python -m bench.portal [--items 500] [--duration 15] [--concurrency 32] [--strict]

Starts a stack of its own (database ``sipd_bench_portal``, vhost ``sipd_bench_portal``, a free gateway port),
enacts one pemda's RKPD of ``--items`` sub kegiatan through the API (schedule, items, every stage locked up to
penetapan), then measures the pemda page (``/pemda/32.73?tahun=2027``) and, for comparison, its open data CSV:

1. ``cached``: as served (the page built once, then from the gateway's portal cache until an event changes it);
2. ``uncached``: the gateway restarted with ``SIPD_PORTAL_CACHE_SECONDS=0``, so every request fetches the
   enacted RKPD from perencanaan over RPC and renders the page: the worst case, after every enactment.

Latency is measured by the client on the same machine (loopback), so it is the server's time plus the
client's. Prints the figures and writes ``bench/results/portal-<time>.json``. Figures: docs/performance.md,
"The public portal".
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone

from .run import KODE_PEMDA, free_port, write_pairs  # first: importing it names its own database

DB_NAME = "sipd_bench_portal"
os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_PORTAL_DB", DB_NAME)
os.environ.setdefault("SIPD_JWT_SECRET", secrets.token_urlsafe(48))
VHOST = os.environ.get("SIPD_BENCH_PORTAL_VHOST", "sipd_bench_portal")

from ops import broker  # noqa: E402
from ops.stack import ROOT, SERVICE_TARGETS, Stack, base_env  # noqa: E402
from ops.testing import fresh_database  # noqa: E402

from .auth import ADMIN_USERNAME, Login, create_admin  # noqa: E402
from .loadgen import Pool, closed_loop  # noqa: E402

TAHUN = 2027
FLOOR_P99_MS = 200.0
STAGES = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
RESULTS = ROOT / "bench" / "results"


async def enact(base_url: str, headers: dict, items: int) -> int:
    """The pemda's RKPD of ``TAHUN`` with ``items`` sub kegiatan, enacted; the number planned."""
    host, port = base_url.removeprefix("http://").split(":")
    pool = Pool(host, int(port), {**headers, "Content-Type": "application/json"})
    base = f"/api/v1/pemda/{KODE_PEMDA}"

    async def call(method: str, path: str, body: dict | None = None, ok=(200, 201)) -> bytes:
        status, payload = await pool.request(method, path, json.dumps(body).encode() if body is not None else None)
        if status not in ok:
            raise RuntimeError(f"{method} {path}: {status} {payload[:300]!r}")
        return payload

    now = datetime.now(timezone.utc)
    await call("POST", f"{base}/jadwal", {"dokumen": "rkpd", "tahun": TAHUN, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in STAGES]})
    await call("POST", f"{base}/jadwal/rkpd/{TAHUN}/tahap/rancangan_awal/buka")
    pairs = write_pairs()[:items]
    queue = iter(pairs)

    async def writer() -> None:
        for skpd, sub in queue:
            await call("POST", f"{base}/rkpd/{TAHUN}/sub-kegiatan", {
                "kode_skpd": skpd, "kode_sub_kegiatan": sub, "indikator": "Jumlah keluaran sub kegiatan",
                "target": "12", "satuan": "Unit", "pagu_indikatif": f"{1_000_000 + 137 * len(sub)}.50"})
    await asyncio.gather(*(writer() for _ in range(8)))
    for i, kode in enumerate(STAGES):
        if i:
            await call("POST", f"{base}/jadwal/rkpd/{TAHUN}/tahap/{kode}/buka")
        await call("POST", f"{base}/jadwal/rkpd/{TAHUN}/tahap/{kode}/kunci")
    pool.close()
    return len(pairs)


async def measure(base_url: str, path: str, concurrency: int, duration: float) -> dict:
    host, port = base_url.removeprefix("http://").split(":")
    result = await closed_loop(path, host, int(port), lambda: ("GET", path, None), concurrency=concurrency,
                               warmup_s=2.0, duration_s=duration)
    return result.as_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the floor is not met")
    args = parser.parse_args(argv)

    print(f"preparing database {os.environ['SIPD_DB_NAME']} and vhost {VHOST} ...", flush=True)
    settings = fresh_database()
    broker.recreate_vhost(VHOST)
    env = base_env(SIPD_DB_NAME=settings.db_name, SIPD_AMQP_URI=broker.amqp_uri_for(VHOST), SIPD_LOG_LEVEL="WARNING")
    env.pop("SIPD_OUTBOX_AMQP_URI", None)
    password = create_admin(env)
    stack = Stack(env=env, log_dir=RESULTS / "logs-portal", gateway_port=free_port())
    page, data = f"/pemda/{KODE_PEMDA}?tahun={TAHUN}", f"/api/v1/data/pemda/{KODE_PEMDA}/{TAHUN}/rkpd.csv"
    report: dict = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "config": vars(args), "results": {}}
    try:
        for service in SERVICE_TARGETS:
            stack.start_service(service)
        gateway = stack.start_gateway()
        stack.wait_healthy(90)
        headers = Login(stack.base_url, ADMIN_USERNAME, password).headers()
        t0 = time.perf_counter()
        report["items"] = asyncio.run(enact(stack.base_url, headers, args.items))
        print(f"enacted an RKPD of {report['items']} sub kegiatan in {time.perf_counter() - t0:.1f} s", flush=True)
        for phase in ("cached", "uncached"):
            if phase == "uncached":
                stack.stop(gateway)
                stack.env["SIPD_PORTAL_CACHE_SECONDS"] = "0"
                gateway = stack.start_gateway()
                stack.wait_healthy(60)
            for name, path in (("page", page), ("csv", data)):
                got = asyncio.run(measure(stack.base_url, path, args.concurrency, args.duration))
                report["results"][f"{phase} {name}"] = got
                print(f"{phase:9} {name:5} {got['req_per_s']:8.1f} req/s  p50 {got['p50_ms']:7.1f} ms  "
                      f"p99 {got['p99_ms']:7.1f} ms  errors {got['errors']}", flush=True)
    finally:
        stack.stop_all()
    p99 = report["results"]["cached page"]["p99_ms"]
    report["floor"] = {"cached page p99 ms": FLOOR_P99_MS, "pass": p99 <= FLOOR_P99_MS}
    print(f"floor: pemda page p99 {p99:.1f} ms ≤ {FLOOR_P99_MS:.0f} ms: {'PASS' if report['floor']['pass'] else 'FAIL'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"portal-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"results: {out}")
    return 1 if args.strict and not report["floor"]["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
