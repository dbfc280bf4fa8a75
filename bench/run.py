"""The SIPD benchmark: gateway throughput, propagation latency, and a hello-world yardstick.

    python -m bench.run [--quick] [--strict] [--referensi N] [--gateway-workers N] [--phases a,b]

Starts a stack of its own (database ``sipd_bench``, vhost ``sipd_bench``, a free
gateway port), measures, stops everything it started, prints a table and
writes ``bench/results/latest.json``. The floors are checked and reported
PASS/FAIL; the exit status is 0 either way unless ``--strict``.

Access: the fresh database gets a pusat administrator (``gateway.admin create-pusat-admin``, a
random password per run), who logs in before each phase that needs a token; the writes, the
propagation changes and its plafon/ringkasan polls send ``Authorization: Bearer``. The reference
reads and the hello world are public and send none.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import platform
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DB_NAME = "sipd_bench"
os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_DB", DB_NAME)
# the gateway signs access tokens with it and every service verifies them: one per run unless given
os.environ.setdefault("SIPD_JWT_SECRET", secrets.token_urlsafe(48))
VHOST = os.environ.get("SIPD_BENCH_VHOST", "sipd_bench")

from bench import profile  # noqa: E402
from ops import broker  # noqa: E402
from ops.stack import ROOT, SERVICE_TARGETS, Stack, base_env  # noqa: E402
from ops.testing import fresh_database  # noqa: E402

from . import propagation  # noqa: E402
from .auth import ADMIN_USERNAME, Login, create_admin  # noqa: E402
from .cpu import CpuMeter, Sampler  # noqa: E402
from .loadgen import LoadResult, Pool, closed_loop  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LOG_DIR = RESULTS / "logs"
# PostgreSQL's refusal when max_connections is reached: in a service's log, a 502 at the gateway
DB_FULL = re.compile(rb"remaining connection slots are reserved|too many clients already")
SERVICE_POOL_OVERFLOW = 5  # sipd_common.db.make_engine: pool_size + 5 connections at most per service process
GATEWAY_POOL_MAX = 3 + 7   # gateway.db.make_async_engine: per gateway worker
KODE_PEMDA = "32.73"
REKENING = "5.1.02.01.01.0024"
SUB_KEGIATAN = "1.01.02.2.01.0001"
# Every (SKPD, sub kegiatan) pair pemda 32.73 may plan: with the year (2000..2100) the distinct RKPD items.
COMBOS = [
    ("1.01.0.00.0.00.01.0000", k) for k in ("1.01.02.2.01.0004", "1.01.02.2.01.0005", "1.01.02.2.01.0001",
                                             "1.01.02.2.01.0006", "1.01.02.2.01.0009", "1.01.02.2.02.0001")
] + [
    ("1.02.0.00.0.00.01.0000", k) for k in ("1.02.02.2.01.0002", "1.02.02.2.01.0001", "1.02.02.2.02.0001")
] + [
    ("1.03.0.00.0.00.01.0000", k) for k in ("1.03.10.2.01.0028", "1.03.10.2.01.0029")
] + [
    ("5.02.0.00.0.00.01.0000", k) for k in ("5.02.02.2.01.0002", "5.02.02.2.01.0001")
]
WRITE_YEARS = range(2000, 2091)        # 91 years x every valid pair of the shipped data: the write run's creates
PROPAGATION_YEARS = range(2091, 2101)  # one item per year: the year's total is that item's pagu
PHASES = ("hello", "rpc", "reads", "writes", "propagation")


FLOORS = {"read_rps": 500.0, "read_p99_ms": 100.0, "prop_p50_ms": 50.0, "prop_p99_ms": 250.0,
          # issue 15: writes four times cheaper
          "write_cpu_ratio": 6.0, "write_rps": 200.0, "write_p99_ms": 300.0,
          "prop_ack_p50_ms": 10.0, "prop_ack_p99_ms": 40.0}
# What the stack spends (the CPU of the bench client and of everything else on the machine left out).
NOT_THE_STACK = ("bench client", "everything else", "postgres (rest, shared)")


def stack_ms(cpu: dict) -> float | None:
    per = cpu.get("ms_per_request")
    return None if per is None else round(sum(v for k, v in per.items() if k not in NOT_THE_STACK), 3)


# -- helpers -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + ("+local changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine() -> dict:
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": model, "platform": platform.platform(),
            "python": platform.python_version(), "loadavg_start": [round(x, 2) for x in os.getloadavg()]}


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not answering after {timeout} s")


def management_get(path: str):
    uri = urllib.parse.urlsplit(broker.api_uri())
    req = urllib.request.Request(f"{uri.scheme}://{uri.hostname}:{uri.port or 15672}/api{path}")
    token = base64.b64encode(f"{uri.username or 'guest'}:{uri.password or 'guest'}".encode()).decode()
    req.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def queue_depths(vhost: str) -> dict[str, int]:
    """Messages waiting or unacknowledged per queue of the vhost (management API)."""
    queues = management_get(f"/queues/{urllib.parse.quote(vhost, safe='')}?columns=name,messages,messages_unacknowledged")
    return {q["name"]: (q.get("messages") or 0) + (q.get("messages_unacknowledged") or 0) for q in queues}


def broker_uptime_s() -> float | None:
    """Seconds since the RabbitMQ node started; None if the management API does not answer."""
    try:
        nodes = management_get("/nodes?columns=name,uptime")
        return min(n["uptime"] for n in nodes) / 1000 if nodes else None
    except (OSError, ValueError, KeyError):
        return None


def unpublished_outbox(settings) -> int:
    import psycopg
    url = settings.admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {schema}.outbox WHERE published_at IS NULL").fetchone()[0]
                   for schema in ("perencanaan", "keuangan"))


def postgres_facts(settings) -> dict:
    import psycopg
    url = settings.admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        return {"version": conn.execute("SHOW server_version").fetchone()[0],
                "max_connections": int(conn.execute("SHOW max_connections").fetchone()[0]),
                "connections_in_use_at_start": conn.execute("SELECT count(*) FROM pg_stat_activity").fetchone()[0]}


def db_client_connections(settings) -> tuple[int, int, int]:
    """(client connections of everyone but the bench stack, of the bench stack, slots usable by non-superusers)."""
    import psycopg
    url = settings.admin_url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        ours, total = conn.execute(
            "SELECT count(*) FILTER (WHERE datname = %s AND usename <> %s), count(*) FROM pg_stat_activity "
            "WHERE backend_type = 'client backend'", (settings.db_name, settings.db_admin_user)).fetchone()
        usable = (int(conn.execute("SHOW max_connections").fetchone()[0])
                  - int(conn.execute("SHOW superuser_reserved_connections").fetchone()[0]))
    return total - ours, ours, usable


def wait_db_headroom(settings, stack_max: int, timeout: float) -> dict:
    """Until PostgreSQL has room for every connection the bench stack may open, at most ``timeout`` s.

    The server is shared: another stack's test run can hold 60 of its 100 connections for a while,
    and a service refused a connection answers the gateway with an error (a 502 for the client).
    Waiting for the room before a phase keeps such refusals out of the figures when it can.
    """
    t0 = time.monotonic()
    said = False
    while True:
        others, ours, usable = db_client_connections(settings)
        room = others + stack_max <= usable
        waited = time.monotonic() - t0
        if room or waited >= timeout:
            if said or not room:
                print(f"    PostgreSQL: {others} connections of others, room for {usable - others} of the stack's "
                      f"{stack_max} after {waited:.0f} s" + ("" if room else ": going ahead without the room"),
                      flush=True)
            return {"waited_s": round(waited, 1), "others_connections": others, "room": room}
        if not said:
            print(f"    waiting for PostgreSQL room: {others} connections of others, the stack may open "
                  f"{stack_max} of {usable} (at most {timeout:.0f} s)", flush=True)
            said = True
        time.sleep(1)


class LogScan:
    """Counts a pattern in what the stack's logs received between ``__enter__`` and ``count()``."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.offsets: dict[Path, int] = {}

    def __enter__(self):
        self.offsets = {p: p.stat().st_size for p in LOG_DIR.glob("*.log")}
        return self

    def __exit__(self, *exc):
        pass

    def count(self) -> int:
        n = 0
        for path in LOG_DIR.glob("*.log"):
            with open(path, "rb") as f:
                f.seek(self.offsets.get(path, 0))
                n += len(self.pattern.findall(f.read()))
        return n


def wait_drained(settings, timeout: float = 120) -> float:
    """Until no event waits anywhere (outboxes published, event queues empty), three checks in a row."""
    t0 = time.monotonic()
    calm = 0
    while calm < 3:
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"events still flowing after {timeout} s")
        waiting = unpublished_outbox(settings) + sum(n for q, n in queue_depths(VHOST).items()
                                                     if q.startswith("evt-"))
        calm = calm + 1 if waiting == 0 else 0
        time.sleep(0.2)
    return time.monotonic() - t0


# -- phases --------------------------------------------------------------------------------------
class ConnectionSampler(Sampler):
    """Peak PostgreSQL connections of the bench database per role, and of the whole server, sampled every
    0.25 s in a thread."""

    def __init__(self, settings):
        self.settings = settings
        self.peak: dict[str, int] = {}
        self.server_peak = 0  # client connections of everyone, the shared server's limit in view
        self.connects = 0  # backends seen for the first time: pool churn shows here

    def _run(self) -> None:
        import psycopg
        url = self.settings.admin_url().replace("postgresql+psycopg://", "postgresql://")
        seen: set[int] = set()
        first = True
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                while not self._stop.is_set():
                    rows = conn.execute("SELECT usename, pid, datname FROM pg_stat_activity "
                                        "WHERE backend_type = 'client backend'").fetchall()
                    self.server_peak = max(self.server_peak, len(rows))
                    counts: dict[str, int] = {}
                    for user, pid, db in rows:
                        if db != self.settings.db_name or user == self.settings.db_admin_user:
                            continue
                        counts[user] = counts.get(user, 0) + 1
                        if pid not in seen:
                            seen.add(pid)
                            self.connects += 0 if first else 1
                    first = False
                    for user, n in counts.items():
                        self.peak[user] = max(self.peak.get(user, 0), n)
                    self._stop.wait(0.25)
        except psycopg.Error:
            pass


async def measure(name: str, meter: CpuMeter, settings, coro) -> tuple[object, dict]:
    """Run a phase, with the CPU each component spent, the load, whether the broker restarted and whether
    PostgreSQL refused the stack connections."""
    load0 = os.getloadavg()
    up0 = await asyncio.to_thread(broker_uptime_s)
    meter.snapshot()
    with ConnectionSampler(settings) as conns, LogScan(DB_FULL) as refusals:
        result = await coro
    cpu = meter.usage()
    cpu["db_connections_peak"] = conns.peak
    cpu["db_new_connections"] = conns.connects
    cpu["db_server_connections_peak"] = conns.server_peak
    # a full shared server (other stacks' connections) refuses the services': errors not of the stack's making
    cpu["db_refusals"] = await asyncio.to_thread(refusals.count)
    up1 = await asyncio.to_thread(broker_uptime_s)
    cpu["loadavg_before"] = [round(x, 2) for x in load0]
    cpu["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    # someone else restarting the shared broker (a fault-injection test, say) spoils a phase: say so
    cpu["broker_restarted"] = up0 is None or up1 is None or up1 < up0
    print(f"  {name}: done; machine {cpu['machine_busy_pct']}% busy, load {cpu['loadavg_after'][0]}"
          + ("; THE BROKER RESTARTED DURING THIS PHASE" if cpu["broker_restarted"] else "")
          + (f"; POSTGRESQL REFUSED {cpu['db_refusals']} CONNECTIONS (server full)" if cpu["db_refusals"] else ""),
          flush=True)
    return result, cpu


async def rpc_loop(amqp_uri: str, concurrency: int, warmup_s: float, duration_s: float) -> LoadResult:
    """The gateway's own asyncio Nameko RPC client, driven directly: the service side without HTTP."""
    from gateway.rpc import RpcClient

    client = RpcClient(amqp_uri, timeout=10)
    await client.start()
    result = LoadResult("rpc referensi.get_rekening (no HTTP)", concurrency)
    clock = time.perf_counter
    measure_from = clock() + warmup_s
    measure_until = measure_from + duration_s
    last_end = measure_from

    async def worker() -> None:
        nonlocal last_end
        while (t0 := clock()) < measure_until:
            try:
                await client.call("referensi", "get_rekening", REKENING)
                ok, detail = True, ""
            except Exception as exc:  # counted, reported
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            t1 = clock()
            if t0 >= measure_from:
                result.record(t0, t1, ok, detail)
                last_end = max(last_end, t1)

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await client.close()
    result.duration_s = last_end - measure_from
    return result


def write_pairs() -> list[tuple[str, str]]:
    """Every (SKPD, sub kegiatan) pair pemda 32.73 may plan in the shipped codification: a current
    regency-level sub kegiatan of a bidang urusan its SKPD serves (about 1,500; 13 would last one second
    at 200 writes/s, so the run would end "exhausted")."""
    from services.referensi import seed

    skpd = [(r["kode"], set(re.split(r"[\s,;]+", r["bidang_urusan"].strip())))
            for r in seed.read(seed.DATA / "skpd_contoh.csv") if r["kode_pemda"] == KODE_PEMDA and not r["sampai"]]
    _, current = seed.nomenklatur()[-1]
    subs = [r["kode"] for r in current if r["kode"].count(".") == 5 and r["kode"].split(".")[3] == "2"]
    return [(kode, sub) for kode, bidang in skpd for sub in subs if sub[:4] in bidang]


def write_requests():
    """Distinct RKPD creates, None when the set is exhausted."""
    pairs = write_pairs()
    items = ((tahun, skpd, sub) for tahun in WRITE_YEARS for skpd, sub in pairs)

    def next_request():
        try:
            tahun, skpd, sub = next(items)
        except StopIteration:
            return None
        body = json.dumps({"kode_skpd": skpd, "kode_sub_kegiatan": sub, "indikator": "bench",
                           "target": "1", "satuan": "Unit", "pagu_indikatif": "1000000.00"}).encode()
        return "POST", f"/api/v1/pemda/{KODE_PEMDA}/rkpd/{tahun}/sub-kegiatan", body

    return next_request


async def run_phases(args, stack: Stack, hello_port: int | None, amqp_uri: str, meter: CpuMeter,
                     settings, login: Login) -> dict:
    host, port = "127.0.0.1", stack.gateway_port
    out: dict = {"throughput": {}, "cpu": {}, "phase_errors": {}}
    common = dict(concurrency=args.concurrency, warmup_s=args.warmup, duration_s=args.duration)

    async def phase(key: str, make_coro, uses_db: bool = True) -> object:
        """Run one measured phase; a failure is recorded and the next phase still runs."""
        try:
            room = None
            if uses_db:
                room = await asyncio.to_thread(wait_db_headroom, settings, args.stack_db_max, args.db_room_wait)
            res, cpu = await measure(key, meter, settings, make_coro())
            cpu["db_room_before"] = room
        except Exception as exc:
            out["phase_errors"][key] = f"{type(exc).__name__}: {exc}"
            print(f"  {key}: FAILED {type(exc).__name__}: {exc}", flush=True)
            return None
        out["cpu"][key] = cpu
        if isinstance(res, LoadResult):
            out["throughput"][key] = r = res.as_dict()
            r["broker_restarted"] = cpu["broker_restarted"]
            r["db_refusals"] = cpu["db_refusals"]
            if r["req_per_s"]:
                # CPU milliseconds each component spent per request: robust to how busy the machine was
                cpu["ms_per_request"] = {k: round(v * 1000 / r["req_per_s"], 3) for k, v in cpu["cores"].items()
                                         if k != "everything else"}
        return res

    if "hello" in args.phases and hello_port:
        await phase("hello", lambda: closed_loop(
            "hello world (uvicorn + FastAPI)", host, hello_port, lambda: ("GET", "/", None), 200, **common),
            uses_db=False)

    if "rpc" in args.phases:
        await phase("rpc_referensi", lambda: rpc_loop(amqp_uri, args.concurrency, args.warmup, args.duration))

    if "reads" in args.phases:
        for key, path in (("read_rekening", f"/api/v1/referensi/rekening/{REKENING}"),
                          ("read_sub_kegiatan", f"/api/v1/referensi/sub-kegiatan/{SUB_KEGIATAN}")):
            await phase(key, lambda p=path: closed_loop(
                f"GET {p}", host, port, lambda: ("GET", p, None), 200, **common))

    async def bearer(key: str) -> dict[str, str] | None:
        """A fresh login before each phase that needs one (a token lives 15 minutes), outside the measure."""
        try:
            return await asyncio.to_thread(login.headers)
        except Exception as exc:
            out["phase_errors"][key] = f"{type(exc).__name__}: {exc}"
            print(f"  {key}: FAILED {type(exc).__name__}: {exc}", flush=True)
            return None

    if "writes" in args.phases and (auth := await bearer("write_rkpd")) is not None:
        recorders = None
        if args.profile:  # py-spy on every process of the stack, for the length of the phase
            recorders = profile.start(stack.procs, min(args.warmup, 1.0) + args.duration, RESULTS)
        await phase("write_rkpd", lambda: closed_loop(
            f"POST /api/v1/pemda/{KODE_PEMDA}/rkpd/{{tahun}}/sub-kegiatan", host, port, write_requests(), 201,
            concurrency=args.concurrency, warmup_s=min(args.warmup, 1.0), duration_s=args.duration, headers=auth))
        if recorders is not None:
            out["profile_write_rkpd"] = await asyncio.to_thread(profile.finish, recorders)
            for name, p in out["profile_write_rkpd"].items():
                top = ", ".join(f"{k} {v}%" for k, v in list(p["self_pct"].items())[:6])
                print(f"  profile {name}: {p['samples']} samples; self: {top}", flush=True)
        try:
            drained = await asyncio.to_thread(wait_drained, settings)
            out["writes_drain_s"] = round(drained, 2)
            print(f"  events of the write run drained {drained:.1f} s after it", flush=True)
        except TimeoutError as exc:
            out["phase_errors"]["writes_drain"] = str(exc)

    if "propagation" in args.phases and (auth := await bearer("propagation_setup")) is not None:
        pool = Pool(host, port, headers=auth)  # the PATCHes and the plafon/ringkasan polls
        try:
            items = await propagation.create_items(pool, list(PROPAGATION_YEARS), COMBOS)
            await propagation.wait_visible(pool, items, propagation.BASE_PAGU)
            await asyncio.to_thread(wait_drained, settings)
            res = await phase("propagation", lambda: propagation.run(
                pool, items, rate=args.rate, duration_s=args.prop_duration, warmup_s=min(args.warmup, 2.0),
                poll_s=args.poll_ms / 1000))
            if res is not None:
                out["propagation"] = res.as_dict()
                out["propagation"]["broker_restarted"] = out["cpu"]["propagation"]["broker_restarted"]
                out["propagation"]["db_refusals"] = out["cpu"]["propagation"]["db_refusals"]
        except Exception as exc:
            out["phase_errors"]["propagation_setup"] = f"{type(exc).__name__}: {exc}"
            print(f"  propagation setup FAILED {type(exc).__name__}: {exc}", flush=True)
        finally:
            pool.close()
    return out


# -- floors and report ---------------------------------------------------------------------------
def check_floors(results: dict, phases: list[str]) -> list[dict]:
    floors = []
    for key in ("read_rekening", "read_sub_kegiatan"):
        r = results["throughput"].get(key)
        if r is None:
            if "reads" in phases:
                floors.append({"floor": f"{key}: >= {FLOORS['read_rps']:.0f} req/s, p99 <= "
                                        f"{FLOORS['read_p99_ms']:.0f} ms", "measured": "phase failed", "pass": False})
            continue
        ok = r["req_per_s"] >= FLOORS["read_rps"] and (r["p99_ms"] or 1e9) <= FLOORS["read_p99_ms"] and r["errors"] == 0
        floors.append({"floor": f"{key}: >= {FLOORS['read_rps']:.0f} req/s, p99 <= {FLOORS['read_p99_ms']:.0f} ms, "
                                f"no errors", "measured": f"{r['req_per_s']} req/s, p99 {r['p99_ms']} ms, "
                                f"{r['errors']} errors" + (", broker restarted meanwhile" if r.get("broker_restarted") else "")
                                + (f", PostgreSQL full meanwhile ({r['db_refusals']} refusals)"
                                   if r.get("db_refusals") else ""),
                       "pass": ok})
    w = results["throughput"].get("write_rkpd")
    if w is None and "writes" in phases:
        floors.append({"floor": "writes", "measured": "phase failed", "pass": False})
    if w is not None:
        ok = (w["req_per_s"] >= FLOORS["write_rps"] and (w["p99_ms"] or 1e9) <= FLOORS["write_p99_ms"]
              and w["errors"] == 0)
        floors.append({"floor": f"write_rkpd: >= {FLOORS['write_rps']:.0f} req/s at 32 clients, p99 <= "
                                f"{FLOORS['write_p99_ms']:.0f} ms, no errors",
                       "measured": f"{w['req_per_s']} req/s, p99 {w['p99_ms']} ms, {w['errors']} errors", "pass": ok})
        write_ms = stack_ms(results["cpu"].get("write_rkpd", {}))
        read_ms = stack_ms(results["cpu"].get("rpc_referensi", {}))
        if write_ms is not None and read_ms:
            ratio = write_ms / read_ms
            floors.append({"floor": f"CPU of one write (every stack component: gateway, services, RabbitMQ, "
                                    f"PostgreSQL) <= {FLOORS['write_cpu_ratio']:g} x one uncached referensi RPC "
                                    f"read of the same run",
                           "measured": f"{write_ms:.2f} ms / {read_ms:.2f} ms = {ratio:.1f} x",
                           "pass": ratio <= FLOORS["write_cpu_ratio"]})
        elif "rpc" in phases:
            floors.append({"floor": "write CPU ratio", "measured": "no figure", "pass": False})
    p = results.get("propagation")
    if p is None and "propagation" in phases:
        floors.append({"floor": "propagation p50/p99", "measured": "phase failed", "pass": False})
    if p is not None:
        for stage in ("plafon", "ringkasan"):
            s = p[f"{stage}_from_send"]
            timeouts = p[f"timeouts_{stage}"]
            ok = (s["n"] > 0 and s["p50_ms"] <= FLOORS["prop_p50_ms"] and s["p99_ms"] <= FLOORS["prop_p99_ms"]
                  and timeouts == 0 and p["change_errors"] == 0)
            floors.append({"floor": f"propagation to {stage}: p50 <= {FLOORS['prop_p50_ms']:.0f} ms, "
                                    f"p99 <= {FLOORS['prop_p99_ms']:.0f} ms, none lost",
                           "measured": f"p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, {timeouts} timeouts, "
                                       f"{p['change_errors']} failed changes"
                                       + (", broker restarted meanwhile" if p.get("broker_restarted") else "")
                                       + (f", PostgreSQL full meanwhile ({p['db_refusals']} refusals)"
                                          if p.get("db_refusals") else ""),
                           "pass": ok})
            a = p[f"{stage}_from_ack"]
            ok = (a["n"] > 0 and a["p50_ms"] <= FLOORS["prop_ack_p50_ms"] and a["p99_ms"] <= FLOORS["prop_ack_p99_ms"]
                  and timeouts == 0 and p["change_errors"] == 0)
            floors.append({"floor": f"propagation to {stage}, from the write's acknowledgement: p50 <= "
                                    f"{FLOORS['prop_ack_p50_ms']:.0f} ms, p99 <= {FLOORS['prop_ack_p99_ms']:.0f} ms",
                           "measured": f"p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms", "pass": ok})
    return floors


def fmt(v, width: int = 8) -> str:
    return f"{'-' if v is None else v:>{width}}"


def print_report(report: dict) -> None:
    res = report["results"]
    m = report["machine"]
    print()
    print(f"SIPD benchmark {report['date']} at {report['commit']}  |  {m['nproc']} x {m['cpu_model']}  |  load at start "
          f"{' '.join(map(str, m['loadavg_start']))}  |  {report['config']['concurrency']} connections")
    print()
    print(f"{'throughput (closed loop)':<52}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'errors':>8}{'n':>8}")
    for key, r in res["throughput"].items():
        print(f"{r['name'][:51]:<52}{fmt(r['req_per_s'], 9)}{fmt(r['p50_ms'], 9)}{fmt(r['p90_ms'], 9)}"
              f"{fmt(r['p99_ms'], 9)}{fmt(r['errors'], 8)}{fmt(r['requests'], 8)}"
              + ("  (items exhausted)" if r["exhausted_items"] else "")
              + ("  (BROKER RESTARTED)" if r.get("broker_restarted") else "")
              + (f"  (POSTGRESQL FULL: {r['db_refusals']} refusals)" if r.get("db_refusals") else ""))
    p = res.get("propagation")
    if p:
        print()
        print(f"propagation: {p['changes']} changes at {p['rate_per_s']}/s (open loop), polled every "
              f"{p['poll_interval_ms']:g} ms ({p['polls_per_s']} polls/s), {p['change_errors']} failed changes")
        print(f"{'stage':<52}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'lost':>8}")
        rows = [("PATCH acknowledged", p["patch"], "-"),
                ("plafon shows it (from send)", p["plafon_from_send"], p["timeouts_plafon"]),
                ("ringkasan shows it (from send)", p["ringkasan_from_send"], p["timeouts_ringkasan"]),
                ("plafon shows it (from ack)", p["plafon_from_ack"], "-"),
                ("ringkasan shows it (from ack)", p["ringkasan_from_ack"], "-"),
                ("send lag behind schedule", p["send_lag"], "-")]
        for label, s, lost in rows:
            print(f"{label:<52}{fmt(s['p50_ms'], 9)}{fmt(s['p90_ms'], 9)}{fmt(s['p99_ms'], 9)}"
                  f"{fmt(s['max_ms'], 9)}{fmt(lost, 8)}")
        w = p.get("windows") or []
        if w:
            print("p50 ms per 5 s of schedule, plafon/ringkasan: "
                  + "  ".join(f"{x['plafon_p50_ms']}/{x['ringkasan_p50_ms']}" for x in w))
    print()
    print("CPU (cores used, 1.00 = one core) per phase:")
    for key, cpu in res["cpu"].items():
        top = ", ".join(f"{k} {v:.2f}" for k, v in list(cpu["cores"].items())[:8])
        print(f"  {key:<20} machine {cpu['machine_busy_pct']:>5}% | {top}")
    print("PostgreSQL connections of the bench database, peak per role (and new connections seen); "
          "the whole server's peak; others' at the start:")
    for key, cpu in res["cpu"].items():
        peak = ", ".join(f"{k.removeprefix('sipd_')} {v}" for k, v in sorted(cpu.get("db_connections_peak", {}).items()))
        room = cpu.get("db_room_before")
        before = "" if room is None else (
            f" | others {room['others_connections']}" + (f", waited {room['waited_s']} s" if room["waited_s"] else "")
            + ("" if room["room"] else ", NO ROOM"))
        print(f"  {key:<20} {peak}  (+{cpu.get('db_new_connections', 0)} new) | server "
              f"{cpu.get('db_server_connections_peak')}{before}"
              + (f" | {cpu['db_refusals']} REFUSED" if cpu.get("db_refusals") else ""))
    print("CPU ms per request, by component (throughput phases):")
    for key, cpu in res["cpu"].items():
        if "ms_per_request" in cpu:
            per = cpu["ms_per_request"]
            top = ", ".join(f"{k} {v:.2f}" for k, v in list(per.items())[:7])
            print(f"  {key:<20} total {sum(per.values()):6.2f}, the stack {stack_ms(cpu):6.2f} | {top}")
    print()
    for key, err in res.get("phase_errors", {}).items():
        print(f"ERROR in {key}: {err}")
    for f in report["floors"]:
        print(f"{'PASS' if f['pass'] else 'FAIL'}  {f['floor']}  [{f['measured']}]")
    print()


# -- main ----------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (3 s per throughput phase, 10 s propagation)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    parser.add_argument("--duration", type=float, help="seconds measured per throughput phase (default 10, quick 3)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up before each phase (default 2, quick 1)")
    parser.add_argument("--prop-duration", type=float, help="seconds of propagation changes (default 30, quick 10)")
    parser.add_argument("--rate", type=float, default=20.0, help="changes per second for propagation (default 20)")
    parser.add_argument("--poll-ms", type=float, default=1.0,
                        help="propagation polling interval (default 1 ms: the floors from ack are 10 ms)")
    parser.add_argument("--concurrency", type=int, default=32, help="connections for the throughput phases")
    parser.add_argument("--profile", action="store_true",
                        help="record every process of the stack with py-spy during the write phase "
                             "(bench/results/profile-*.txt, summary in the JSON); not for figures")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma list of {','.join(PHASES)}")
    for service in SERVICE_TARGETS:
        parser.add_argument(f"--{service}", type=int, default=1, metavar="N", help=f"instances of {service}")
    parser.add_argument("--gateway-workers", type=int, default=1, help="uvicorn workers of the gateway (SIPD_GATEWAY_WORKERS)")
    parser.add_argument("--db-pool-size", type=int, default=None,
                        help="SIPD_DB_POOL_SIZE of each service process (default: as sipd_common.settings "
                             "configures it; each process may open a few more as overflow)")
    parser.add_argument("--max-workers", type=int, default=None,
                        help="SIPD_MAX_WORKERS of each service process (default: as services/config.yaml "
                             "configures it, 15)")
    parser.add_argument("--db-room-wait", type=float, default=120.0, metavar="SECONDS",
                        help="before each phase, wait at most this long until the shared PostgreSQL has room for "
                             "every connection the stack may open (default 120; 0: do not wait)")
    parser.add_argument("--log-level", default=os.environ.get("SIPD_LOG_LEVEL", "INFO"),
                        help="SIPD_LOG_LEVEL of the stack (default INFO, as make run)")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json",
                        help="where to write the JSON results (default bench/results/latest.json; a timestamped "
                             "copy is written next to it)")
    args = parser.parse_args(argv)
    if args.profile and not profile.available():
        parser.error("--profile needs py-spy (pip install py-spy; requirements-dev.txt has it)")
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 2.0)
    args.prop_duration = args.prop_duration or (10.0 if args.quick else 30.0)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    return args


def _on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    report = {"date": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
              "command": "python -m bench.run " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:])),
              "commit": git_commit(),
              "machine": machine(),
              "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    instances = {s: getattr(args, s) for s in SERVICE_TARGETS}
    log_dir = LOG_DIR
    for old in log_dir.glob("*.log"):
        old.unlink()

    print(f"preparing database {os.environ['SIPD_DB_NAME']} and vhost {VHOST} ...", flush=True)
    settings = fresh_database()
    report["machine"]["postgres"] = postgres_facts(settings)
    # every connection the stack's pools may open: what a phase waits to have room for on the shared server
    args.stack_db_max = (sum(instances.values()) * ((args.db_pool_size or settings.db_pool_size) + SERVICE_POOL_OVERFLOW)
                         + args.gateway_workers * GATEWAY_POOL_MAX)
    report["config"]["stack_db_connections_max"] = args.stack_db_max
    broker.recreate_vhost(VHOST)
    amqp_uri = broker.amqp_uri_for(VHOST)
    env = base_env(SIPD_DB_NAME=settings.db_name, SIPD_AMQP_URI=amqp_uri, SIPD_LOG_LEVEL=args.log_level,
                   SIPD_GATEWAY_WORKERS=str(args.gateway_workers))
    env.pop("SIPD_OUTBOX_AMQP_URI", None)
    if args.db_pool_size:
        env["SIPD_DB_POOL_SIZE"] = str(args.db_pool_size)
    if args.max_workers:
        env["SIPD_MAX_WORKERS"] = str(args.max_workers)
    report["config"]["effective_env"] = {k: env.get(k) for k in (
        "SIPD_DB_POOL_SIZE", "SIPD_MAX_WORKERS", "SIPD_PREFETCH_COUNT", "SIPD_LOG_LEVEL", "SIPD_GATEWAY_WORKERS",
        "SIPD_OUTBOX_POLL_SECONDS", "SIPD_RPC_TIMEOUT_SECONDS")}
    admin_password = create_admin(env)
    report["config"]["auth"] = {"user": ADMIN_USERNAME, "role": "pusat_admin",
                                "bearer_on": ["writes", "propagation (PATCH and the plafon/ringkasan polls)"]}
    stack = Stack(env=env, log_dir=log_dir, gateway_port=free_port())
    hello: subprocess.Popen | None = None
    try:
        for service in SERVICE_TARGETS:
            for i in range(1, instances[service] + 1):
                stack.start_service(service, i)
        stack.start_gateway()
        stack.wait_healthy(90)
        hello_port = None
        if "hello" in args.phases:
            hello_port = free_port()
            log = open(log_dir / "hello.log", "ab")
            hello = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "bench.hello:app", "--host", "127.0.0.1", "--port", str(hello_port),
                 "--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
            log.close()
            wait_http(f"http://127.0.0.1:{hello_port}/")
        print(f"stack up: gateway {stack.base_url}, instances {instances}, gateway workers {args.gateway_workers}; "
              f"logs in {log_dir}", flush=True)
        meter = CpuMeter({p.name: p.popen.pid for p in stack.procs}, database=settings.db_name)
        if hello is not None:
            meter.add("hello world", hello.pid)

        try:
            import uvloop
            runner = uvloop.run
            report["config"]["client_loop"] = "uvloop"
        except ImportError:  # pragma: no cover
            runner = asyncio.run
            report["config"]["client_loop"] = "asyncio"
        login = Login(stack.base_url, ADMIN_USERNAME, admin_password)
        report["results"] = runner(run_phases(args, stack, hello_port, amqp_uri, meter, settings, login))
    finally:
        if hello is not None and hello.poll() is None:
            os.killpg(hello.pid, signal.SIGTERM)
            try:
                hello.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(hello.pid, signal.SIGKILL)
                hello.wait()
        stack.stop_all()

    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    report["floors"] = check_floors(report["results"], args.phases)
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    args.output.write_text(text)
    stamped = RESULTS / f"bench-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    stamped.write_text(text)
    print(f"results: {args.output} (and {stamped.name})")
    failed = [f for f in report["floors"] if not f["pass"]]
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
