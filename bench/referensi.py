"""Benchmark of referensi on a full-size synthetic codification: import, look-up, search.

    python -m bench.referensi [--quick] [--concurrency 32] [--search-concurrency 8] [--duration 10]

Starts a stack of its own (database ``sipd_bench_referensi``, vhost ``sipd_bench_referensi``, a
free gateway port), loads the shipped data, generates the synthetic codification
(``services.referensi.synthetic``, seed 1: 24,096 nomenclature rows, 5,646 accounts) and measures:

0. the seed: each import of the shipped lists (the decrees' own), among them the whole chart of accounts
   (56,952 rows) and both nomenclature versions (floor: each in <= 10 s); then, on those lists, the
   look-up of any current sub kegiatan or account and a search by their own words and objek prefixes
   (floor: p99 <= 50 ms at 4 clients);
1. imports: the synthetic nomenclature as a full list into a new version, in process as the CLI
   runs it (floor: >= 20,000 rows in <= 10 s); the shipped chart of accounts (56,952 rows) as a full list
   into that version (the same floor); then the next version of
   the nomenclature through the admin endpoint (upload, RPC, import, report): dry run, import,
   and the same file again;
2. after the imports' events have drained: the skeleton's read (``GET /referensi/rekening/{kode}``,
   one code) and the look-up of random synthetic sub kegiatan (``GET /referensi/sub-kegiatan/{kode}``)
   through the gateway, closed loop (floor: the skeleton's read floor, >= 500 req/s and p99 <= 100 ms,
   and the look-up within 20 % of the skeleton's read measured in the same run);
3. search through the gateway: words, words with a level, code prefixes (floor: p99 <= 50 ms at
   4 concurrent clients; 1 and 8 clients are measured too).

Prints a table and writes ``bench/results/referensi-<time>.json``. Exit status 0 either way,
1 with ``--strict`` when a floor is missed. Figures and how to read them: docs/performance-referensi.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DB_NAME = os.environ.get("SIPD_BENCH_REFERENSI_DB", "sipd_bench_referensi")
VHOST = os.environ.get("SIPD_BENCH_REFERENSI_VHOST", "sipd_bench_referensi")
os.environ["SIPD_DB_NAME"] = DB_NAME

from ops import broker  # noqa: E402
from ops.stack import ROOT, Stack, base_env  # noqa: E402
from ops.testing import fresh_database  # noqa: E402

from .auth import ADMIN_USERNAME, Login, create_admin  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORKING_SET = 2_000
SKELETON_READ = "/api/v1/referensi/rekening/5.1.02.01.01.0024"
FLOORS = {"import_rows": 20_000, "import_s": 10.0, "read_rps": 500.0, "read_p99_ms": 100.0, "lookup_vs_read": 0.8,
          "search_p99_ms": 50.0}


# -- a lean HTTP/1.1 client (keep-alive, one request in flight per connection) ------------------------
class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 22)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    return values[min(len(values), max(1, math.ceil(p / 100 * len(values)))) - 1]


async def closed_loop(host: str, port: int, next_path, concurrency: int, warmup: float, duration: float) -> dict:
    """``concurrency`` clients, each sending its next request as soon as the last one answered."""
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    measure_from, measure_until = start + warmup, start + warmup + duration

    async def client():
        conn = Connection(host, port)
        try:
            while (t0 := time.perf_counter()) < measure_until:
                path = next_path()
                try:
                    status = await conn.get(path)
                    error = None if status == 200 else f"{status} {path}"
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    conn.close()
                    error = f"{type(exc).__name__} {path}"
                t1 = time.perf_counter()
                if t0 >= measure_from:
                    latencies.append(t1 - t0)
                    if error:
                        errors.append(error)
        finally:
            conn.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    values = sorted(latencies)
    ms = lambda p: round(percentile(values, p) * 1000, 2)  # noqa: E731
    return {"concurrency": concurrency, "requests": len(values), "errors": len(errors), "error_samples": errors[:3],
            "req_per_s": round(len(values) / duration, 1), "p50_ms": ms(50), "p90_ms": ms(90), "p99_ms": ms(99),
            "max_ms": round(values[-1] * 1000, 2) if values else None}


def run_loop(*args) -> dict:
    try:
        import uvloop
        return uvloop.run(closed_loop(*args))
    except ImportError:
        return asyncio.run(closed_loop(*args))


# -- the stack, the data ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def upload(base_url: str, path: Path, auth: dict, **form) -> tuple[int, dict, float]:
    """POST the file to the admin endpoint (multipart); status, report, seconds."""
    boundary = "sipd-bench-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in form.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                 "Content-Type: text/csv\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(f"{base_url}/api/v1/referensi/impor", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", **auth})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            return resp.status, json.loads(resp.read()), time.perf_counter() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}"), time.perf_counter() - t0


def import_in_process(path: Path, **request) -> tuple[dict, float]:
    from services.referensi.impor.usecases import run_import
    from services.referensi.uow import ReferensiUnitOfWork
    from sipd_common.db import StorageHandle, make_engine

    engine = make_engine("referensi", pool_size=1)
    try:
        t0 = time.perf_counter()
        storage = StorageHandle("referensi", engine, None, {}, unit_of_work=ReferensiUnitOfWork)
        report = run_import(storage.unit_of_work(), request, path.read_bytes(), path.name, "bench")
        return report.model_dump(mode="json"), time.perf_counter() - t0
    finally:
        engine.dispose()


def waiting_events(settings) -> int:
    """Unpublished outbox rows and messages in the event queues of the bench vhost."""
    import base64

    import psycopg

    url = settings.admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        unpublished = sum(conn.execute(f"SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL").fetchone()[0]
                          for s in ("referensi", "perencanaan", "keuangan"))
    api = urllib.parse.urlsplit(broker.api_uri())
    req = urllib.request.Request(f"{api.scheme}://{api.hostname}:{api.port or 15672}/api/queues/"
                                 f"{urllib.parse.quote(VHOST, safe='')}?columns=name,messages")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{api.username}:{api.password}".encode()).decode())
    with urllib.request.urlopen(req, timeout=10) as resp:
        queued = sum(q.get("messages") or 0 for q in json.loads(resp.read()) if q["name"].startswith("evt-"))
    return unpublished + queued


def wait_drained(settings, timeout: float = 300) -> float:
    t0 = time.monotonic()
    calm = 0
    while calm < 3:
        if time.monotonic() - t0 > timeout:
            raise TimeoutError("the imports' events are still flowing")
        calm = calm + 1 if waiting_events(settings) == 0 else 0
        time.sleep(0.3)
    return time.monotonic() - t0


def synthetic_paths(out: Path) -> dict:
    from services.referensi.synthetic import generate

    counts = generate(out, seed=1, with_next=True)
    return {"dir": out, **counts}


def shipped_codes() -> dict[str, list[str]]:
    """The shipped lists as they stand after the seed (the decrees' own): current sub kegiatan, current accounts
    at sub rincian objek level and their objek, and the words of their names."""
    from services.referensi.kodefikasi import repository as repo
    from sipd_common.db import make_engine
    from sqlalchemy import select

    engine = make_engine("referensi", pool_size=1)
    try:
        with engine.connect() as conn:
            n, r = repo.nomenklatur, repo.rekening
            subs = conn.execute(select(n.c.kode, n.c.nama).where(n.c.valid_until.is_(None),
                                                                  n.c.tingkat == "sub_kegiatan")).all()
            accounts = conn.execute(select(r.c.kode, r.c.nama).where(r.c.valid_until.is_(None),
                                                                      r.c.tingkat == "sub_rincian_objek")).all()
    finally:
        engine.dispose()

    def words(rows) -> list[str]:
        return sorted({w.lower() for _, nama in rows for w in "".join(c if c.isalnum() else " " for c in nama).split()
                       if len(w) > 3 and w.isalpha()})

    return {"sub_kegiatan": [k for k, _ in subs], "rekening": [k for k, _ in accounts],
            "objek": sorted({k.rsplit(".", 2)[0] + "." for k, _ in accounts}),
            "kata_nomenklatur": words(subs), "kata_rekening": words(accounts)}


def shipped_lookup_paths(rng: random.Random, shipped: dict):
    """Half a sub kegiatan of the current nomenclature, half an account with its description: any of them."""
    def next_path() -> str:
        if rng.random() < 0.5:
            return f"/api/v1/referensi/sub-kegiatan/{rng.choice(shipped['sub_kegiatan'])}"
        return f"/api/v1/referensi/rekening/{rng.choice(shipped['rekening'])}"

    return next_path


def shipped_search_paths(rng: random.Random, shipped: dict):
    """Searches on the decrees' own lists: words of their names (nomenclature, accounts), a level, an objek's
    accounts by code prefix."""
    def q(words: list[str]) -> str:
        return urllib.parse.quote(" ".join(rng.sample(words, rng.choice((1, 2)))))

    def next_path() -> str:
        roll = rng.random()
        if roll < 0.4:
            return f"/api/v1/referensi/nomenklatur?q={q(shipped['kata_nomenklatur'])}"
        if roll < 0.6:
            return (f"/api/v1/referensi/nomenklatur?q={urllib.parse.quote(rng.choice(shipped['kata_nomenklatur']))}"
                    "&tingkat=sub_kegiatan&per_page=20")
        if roll < 0.8:
            return f"/api/v1/referensi/rekening?q={q(shipped['kata_rekening'])}"
        return f"/api/v1/referensi/rekening?prefix={rng.choice(shipped['objek'])}&per_page=50"

    return next_path


def search_paths(rng: random.Random, programs: list[str]):
    from services.referensi.synthetic import OBJECTS, VERBS

    words = [w.lower() for phrase in OBJECTS + VERBS for w in phrase.split() if len(w) > 3]

    def next_path() -> str:
        roll = rng.random()
        if roll < 0.5:
            q = " ".join(rng.sample(words, rng.choice((1, 2))))
            return f"/api/v1/referensi/nomenklatur?q={urllib.parse.quote(q)}"
        if roll < 0.75:
            q = rng.choice(words)
            return f"/api/v1/referensi/nomenklatur?q={urllib.parse.quote(q)}&tingkat=sub_kegiatan&per_page=20"
        return f"/api/v1/referensi/nomenklatur?prefix={rng.choice(programs)}&per_page=50"

    return next_path


# -- main --------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s per read phase instead of 10")
    parser.add_argument("--duration", type=float, default=None)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=32, help="clients of the look-up phases")
    parser.add_argument("--search-concurrency", type=int, default=4,
                        help="clients of the search phase the floor is checked on (also measured: 1 and 8)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is missed")
    args = parser.parse_args(argv)
    duration = args.duration or (3.0 if args.quick else 10.0)
    rng = random.Random(7)
    results: dict = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "command": "python -m bench.referensi " + " ".join(argv if argv is not None else sys.argv[1:]),
                     "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                              text=True).stdout.strip(),
                     "machine": {"nproc": os.cpu_count(), "loadavg_start": [round(x, 2) for x in os.getloadavg()]}}

    print(f"preparing database {DB_NAME} (migrate, load shipped data) ...", flush=True)
    seeded: list[dict] = []
    t0 = time.perf_counter()
    settings = fresh_database(seeded)
    results["seed"] = {"seconds": round(time.perf_counter() - t0, 1), "imports": seeded}
    for r in seeded:
        print(f"  seed {r['kind']:<14}{r['scope']:<9}{r['versi']:<36}{r['rows']:>7} rows  {r['seconds']:6.2f} s",
              flush=True)
    broker.recreate_vhost(VHOST)
    # the defaults `make run` uses (pools of 15 + 1 per service; set SIPD_DB_POOL_SIZE to share a busy server)
    env = base_env(SIPD_DB_NAME=DB_NAME, SIPD_AMQP_URI=broker.amqp_uri_for(VHOST),
                   SIPD_LOG_LEVEL="WARNING")
    stack = Stack(env=env, log_dir=ROOT / ".run" / "bench-referensi", gateway_port=free_port())
    host, port = "127.0.0.1", stack.gateway_port
    try:
        admin_password = create_admin(env)
        stack.start_all()
        stack.wait_healthy(120)
        login = Login(stack.base_url, ADMIN_USERNAME, admin_password)
        # the decrees' own lists as shipped, before the synthetic codification retires them
        shipped = shipped_codes()
        print(f"shipped: {len(shipped['sub_kegiatan'])} current sub kegiatan, {len(shipped['rekening'])} accounts",
              flush=True)
        reads = {"shipped_lookup": run_loop(host, port, shipped_lookup_paths(rng, shipped), args.concurrency,
                                            args.warmup, duration)}
        reads["shipped_search"] = run_loop(host, port, shipped_search_paths(rng, shipped), args.search_concurrency,
                                           args.warmup, duration)
        with tempfile.TemporaryDirectory() as tmp:
            syn = synthetic_paths(Path(tmp))
            print(f"synthetic codification: {syn['nomenklatur']} nomenclature rows, {syn['rekening']} accounts", flush=True)
            imports = {}
            report, seconds = import_in_process(syn["dir"] / "nomenklatur.csv", kind="nomenklatur", mode="full",
                                                versi="sintetis-2031", versi_judul="Sintetis 2031",
                                                versi_tanggal="2031-01-01")
            imports["nomenklatur_full_cli"] = {"rows": report["rows"], "added": report["added"],
                                               "changed": report["changed"], "retired": report["retired"],
                                               "seconds": round(seconds, 2)}
            # the whole chart of accounts as shipped (the decrees' own, ten times the synthetic one), a full list
            # into the new version: every row read, checked and compared; the synthetic chart would retire it
            from services.referensi import seed

            chart = syn["dir"] / "rekening-shipped.csv"
            chart.write_bytes(seed.csv_of(seed.rekening()[-1][1]))
            report, seconds = import_in_process(chart, kind="rekening", mode="full", versi="sintetis-2031")
            imports["rekening_full_cli"] = {"rows": report["rows"], "added": report["added"],
                                            "changed": report["changed"], "retired": report["retired"],
                                            "seconds": round(seconds, 2)}
            nxt = syn["dir"] / "nomenklatur-next.csv"
            form = {"kind": "nomenklatur", "mode": "full", "versi": "sintetis-2032", "versi_judul": "Sintetis 2032",
                    "versi_tanggal": "2032-01-01"}
            for name, extra in (("nomenklatur_next_dry_run_http", {"dry_run": "true"}),
                                ("nomenklatur_next_http", {}), ("nomenklatur_next_again_http", {})):
                status, report, seconds = upload(stack.base_url, nxt, login.headers(), **form, **extra)
                if status != 200:
                    raise RuntimeError(f"{name}: {status} {report}")
                imports[name] = {"rows": report["rows"], "added": report["added"], "changed": report["changed"],
                                 "retired": report["retired"], "unchanged": report["unchanged"],
                                 "applied": report["applied"], "seconds": round(seconds, 2)}
            results["imports"] = imports
            for name, r in imports.items():
                print(f"  import {name:<32} {r['rows']:>6} rows  {r['seconds']:6.2f} s", flush=True)
            print("waiting for the imports' events to drain ...", flush=True)
            results["drain_s"] = round(wait_drained(settings), 1)

        from services.referensi.kodefikasi import repository as repo
        from sipd_common.db import make_engine
        from sqlalchemy import select

        engine = make_engine("referensi", pool_size=1)
        with engine.connect() as conn:
            t = repo.nomenklatur
            codes = [r[0] for r in conn.execute(select(t.c.kode).where(t.c.valid_until.is_(None),
                                                                       t.c.tingkat == "sub_kegiatan"))]
            programs = [r[0] for r in conn.execute(select(t.c.kode).where(t.c.valid_until.is_(None),
                                                                          t.c.tingkat == "program"))]
        engine.dispose()
        print(f"{len(codes)} current sub kegiatan, {len(programs)} programs", flush=True)

        reads["skeleton_read"] = run_loop(host, port, lambda: SKELETON_READ, args.concurrency, args.warmup, duration)
        # Cold: any of ~20,000 codes, nearly every request a miss of the gateway's reference cache,
        # so it measures referensi itself (two queries a look-up).
        reads["lookup_sub_kegiatan"] = run_loop(
            host, port, lambda: f"/api/v1/referensi/sub-kegiatan/{rng.choice(codes)}", args.concurrency,
            args.warmup, duration)
        # Working set: the 2,000 codes a large pemda's RKPD uses in a year, as front ends look them up again
        # and again; the warm-up (one pass at the cold rate) fills the cache, the measurement is what users see.
        working_set = rng.sample(codes, min(WORKING_SET, len(codes)))
        reads["lookup_working_set"] = run_loop(
            host, port, lambda: f"/api/v1/referensi/sub-kegiatan/{rng.choice(working_set)}", args.concurrency,
            max(args.warmup, WORKING_SET / 400), duration)
        search = search_paths(rng, programs)
        reads["search"] = run_loop(host, port, search, args.search_concurrency, args.warmup, duration)
        for clients in sorted({1, 8} - {args.search_concurrency}):
            reads[f"search_{clients}_clients"] = run_loop(host, port, search, clients, args.warmup, duration)
        results["reads"] = reads
    finally:
        stack.stop_all()
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]

    full = results["imports"]["nomenklatur_full_cli"]
    skeleton, lookup, search = reads["skeleton_read"], reads["lookup_working_set"], reads["search"]
    accounts = results["imports"]["rekening_full_cli"]
    nomenclature = [r for r in seeded if r["kind"] == "nomenklatur"]
    floors = [
        (f"full import >= {FLOORS['import_rows']} rows in <= {FLOORS['import_s']:.0f} s",
         full["rows"] >= FLOORS["import_rows"] and full["seconds"] <= FLOORS["import_s"],
         f"{full['rows']} rows, {full['seconds']} s"),
        (f"the whole shipped chart of accounts, full list, in <= {FLOORS['import_s']:.0f} s",
         accounts["rows"] >= FLOORS["import_rows"] and accounts["seconds"] <= FLOORS["import_s"],
         f"{accounts['rows']} rows, {accounts['seconds']} s"),
        (f"each shipped list's seed import (from empty) in <= {FLOORS['import_s']:.0f} s",
         all(r["seconds"] <= FLOORS["import_s"] for r in seeded),
         ", ".join(f"{r['kind']} {r['rows']} rows {r['seconds']} s" for r in seeded if r["rows"] >= 4000)),
        (f"each shipped nomenclature version, one import, in <= {FLOORS['import_s']:.0f} s",
         all(r["seconds"] <= FLOORS["import_s"] for r in nomenclature),
         ", ".join(f"{r['rows']} rows {r['seconds']} s" for r in nomenclature)),
        (f"search of the shipped lists p99 <= {FLOORS['search_p99_ms']:.0f} ms, no errors",
         reads["shipped_search"]["p99_ms"] <= FLOORS["search_p99_ms"] and not reads["shipped_search"]["errors"],
         f"p99 {reads['shipped_search']['p99_ms']} ms at {reads['shipped_search']['concurrency']} clients"),
        (f"look-up (working set) >= {FLOORS['read_rps']:.0f} req/s, p99 <= {FLOORS['read_p99_ms']:.0f} ms, no errors",
         lookup["req_per_s"] >= FLOORS["read_rps"] and lookup["p99_ms"] <= FLOORS["read_p99_ms"] and not lookup["errors"],
         f"{lookup['req_per_s']} req/s, p99 {lookup['p99_ms']} ms"),
        (f"look-up (working set) >= {FLOORS['lookup_vs_read']:.0%} of the skeleton's read in the same run",
         lookup["req_per_s"] >= FLOORS["lookup_vs_read"] * skeleton["req_per_s"],
         f"{lookup['req_per_s']} vs {skeleton['req_per_s']} req/s"),
        (f"search p99 <= {FLOORS['search_p99_ms']:.0f} ms, no errors",
         search["p99_ms"] <= FLOORS["search_p99_ms"] and not search["errors"],
         f"p99 {search['p99_ms']} ms at {search['concurrency']} clients"),
    ]
    results["floors"] = [{"floor": f, "pass": ok, "measured": m} for f, ok, m in floors]

    print()
    print(f"{'phase':<24}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in reads.items():
        print(f"{name:<24}{r['concurrency']:>8}{r['req_per_s']:>10}{r['p50_ms']:>9}{r['p90_ms']:>9}{r['p99_ms']:>9}"
              f"{r['errors']:>8}")
    print()
    for f in results["floors"]:
        print(f"{'PASS' if f['pass'] else 'FAIL'}  {f['floor']}: {f['measured']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"referensi-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 1 if args.strict and not all(f["pass"] for f in results["floors"]) else 0


if __name__ == "__main__":
    sys.exit(main())
