"""The peak day (issue 11): the last week before the budget deadline, people at work in many pemda at once.

    python -m bench.peak [--pemda 50] [--operators 20] [--minutes 10] [--think 5,15] [--warmup 5]

Starts a stack of its own (database ``sipd_bench_peak``, vhost ``sipd_bench_peak``, a free gateway port). Data,
prepared through the gateway as an administrator would, many requests at once: for each of ``--pemda`` regencies
and cities of ``wilayah.csv``, ``--operators`` SKPD (one referensi import per pemda), one standard price for the
year (one import per pemda), an RKPD item per SKPD with a large ceiling (planned as the pusat administrator), and
the users (``POST /api/v1/users``): one SKPD operator per SKPD, one Bappeda and one TAPD user per pemda.

Then, for ``--minutes``, virtual users (asyncio + httpx) log in (spread over the warm-up, each pemda
from its own office address as a reverse proxy forwards it) and work at a person's pace (a random think time of ``--think`` seconds between two actions):

- each SKPD operator adds an RKA line under its SKPD's item (``POST .../rka/{tahun}/rincian``, 40 %), lists its
  lines (``GET .../apbd/{tahun}/rincian?rkpd_id=``, 40 %) or reads its sub kegiatan's RKA (20 %);
- each Bappeda user lists the RKPD (``GET .../rkpd/{tahun}/sub-kegiatan``) or reads the planning report;
- each TAPD user reads the APBD summary (``.../apbd/{tahun}/ringkasan``) or its legal ratios (``.../rasio``).

Reported: p50/p99 and count per operation, errors (any answer but the expected one; must be 0), CPU seconds per
component over the run (``/proc/<pid>/stat`` of every process of each service instance and of the gateway and its
workers; and of the whole machine: PostgreSQL's backends of the bench database, RabbitMQ, the bench's own client,
everything else), and every such process's memory (RSS) at start (the stack idle, data loaded), after the warm-up
(``--warmup`` minutes, included in the run, and every login done) and at the end; growth beyond 10 % after the warm-up is flagged.
The load average is printed: the machine may be shared. Writes ``bench/results/peak-<time>.json``.
Figures: docs/performance.md, "A peak day (issue 11)".
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import random
import secrets
import sys
import time

from .run import free_port, git_commit, machine  # first: importing it names its own database

DB_NAME = "sipd_bench_peak"
os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_PEAK_DB", DB_NAME)
os.environ.setdefault("SIPD_JWT_SECRET", secrets.token_urlsafe(48))
VHOST = os.environ.get("SIPD_BENCH_PEAK_VHOST", "sipd_bench_peak")

import httpx  # noqa: E402

from ops import broker  # noqa: E402
from ops.stack import ROOT, SERVICE_TARGETS, Stack, base_env  # noqa: E402
from ops.testing import fresh_database  # noqa: E402

from .auth import ADMIN_USERNAME, Login, create_admin  # noqa: E402
from .cpu import TICK, CpuMeter  # noqa: E402

TAHUN = 2027
BIDANG = "1.01"
SUB_KEGIATAN = "1.01.02.2.01.0001"
HONOR = "5.1.02.02.01.0026"  # Belanja Jasa Tenaga Administrasi: what the standard price may be spent on
KOMPONEN = "9.1.1"
PASSWORD = "peak-" + secrets.token_urlsafe(12)
RESULTS = ROOT / "bench" / "results"
GROWTH_FLAG = 0.10


def pemda_codes(n: int) -> list[str]:
    """32.73 first, then the regencies and cities of wilayah.csv in order."""
    with open(ROOT / "services/referensi/data/wilayah.csv", newline="") as f:
        codes = [row["kode"] for row in csv.DictReader(f) if row["kode"].count(".") == 1]
    codes.remove("32.73")
    return (["32.73"] + codes)[:n]


def skpd_codes(n: int) -> list[str]:
    return [f"{BIDANG}.0.00.0.00.{k + 1:02d}.0000" for k in range(n)]


def new_stack(vhost: str, logs: str, gateway_workers: int) -> tuple[Stack, str]:
    """A fresh database (``SIPD_DB_NAME``) and vhost, the run's administrator in it, and a stack on them on a free
    port (not started yet); the administrator's password."""
    print(f"preparing database {os.environ['SIPD_DB_NAME']} and vhost {vhost} (load {os.getloadavg()[0]:.2f}) ...",
          flush=True)
    settings = fresh_database()
    broker.recreate_vhost(vhost)
    env = base_env(SIPD_DB_NAME=settings.db_name, SIPD_AMQP_URI=broker.amqp_uri_for(vhost), SIPD_LOG_LEVEL="WARNING",
                   SIPD_GATEWAY_WORKERS=str(gateway_workers))
    env.pop("SIPD_OUTBOX_AMQP_URI", None)
    password = create_admin(env)
    return Stack(env=env, log_dir=RESULTS / logs, gateway_port=free_port()), password


# -- process figures -----------------------------------------------------------------------------------------
def _session_pids(sid: int) -> list[int]:
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                raw = f.read().decode(errors="replace")
        except OSError:
            continue
        if int(raw[raw.rindex(")") + 2:].split()[3]) == sid:
            out.append(int(pid))
    return out


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode(errors="replace")
    except OSError:
        return 0.0
    fields = raw[raw.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """A process's resident memory now (``VmHWM``: its peak so far), MB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def processes(stack: Stack) -> dict[str, int]:
    """Every process of the stack by a label: ``keuangan-1``, ``gateway`` (its supervisor), ``gateway/<pid>``."""
    out = {}
    for proc in stack.procs:
        pids = sorted(_session_pids(proc.popen.pid))
        for pid in pids:
            out[proc.name if pid == proc.popen.pid else f"{proc.name}/{pid}"] = pid
    return out


def cpu_by_component(stack: Stack) -> dict[str, float]:
    return {proc.name: sum(_cpu_seconds(pid) for pid in _session_pids(proc.popen.pid)) for proc in stack.procs}


def memory(procs: dict[str, int]) -> dict[str, float | None]:
    return {label: (round(m, 1) if (m := _rss_mb(pid)) is not None else None) for label, pid in procs.items()}


# -- data ----------------------------------------------------------------------------------------------------
class Setup:
    def __init__(self, client: httpx.AsyncClient, operators: int):
        self.client, self.operators = client, operators
        self.gate = asyncio.Semaphore(8)

    async def call(self, method: str, url: str, ok=(200, 201), **kw) -> httpx.Response:
        async with self.gate:
            for attempt in range(5):
                resp = await self.client.request(method, url, **kw)
                if resp.status_code in ok:
                    return resp
                if resp.status_code not in (502, 503, 504):
                    break
                await asyncio.sleep(1 + attempt)
        raise RuntimeError(f"{method} {url}: {resp.status_code} {resp.text[:300]}")

    async def referensi(self, kode_pemda: str) -> None:
        skpd = "kode,nama,bidang_urusan\n" + "".join(f"{k},Dinas {i + 1},{BIDANG}\n"
                                                   for i, k in enumerate(skpd_codes(self.operators)))
        price = (f"kode,jenis,uraian,spesifikasi,satuan,harga,kode_rekening\n"
                 f"{KOMPONEN},SBU,Honorarium tenaga administrasi,-,OB,2500000,{HONOR}\n")
        for kind, content, extra in (("skpd", skpd, {}), ("standar_harga", price, {"tahun": str(TAHUN)})):
            await self.call("POST", "/api/v1/referensi/impor", data={"kind": kind, "kode_pemda": kode_pemda,
                                                                      "mode": "full", **extra},
                            files={"file": (f"{kind}.csv", content.encode(), "text/csv")})

    async def plan(self, kode_pemda: str, kode_skpd: str) -> str:
        # perencanaan's replica has the new SKPD once referensi's event arrived: until then refused naming it
        resp = await self.until_known("kode_skpd", "POST", f"/api/v1/pemda/{kode_pemda}/rkpd/{TAHUN}/sub-kegiatan", json={
            "kode_skpd": kode_skpd, "kode_sub_kegiatan": SUB_KEGIATAN, "indikator": "Jumlah unit", "target": "1",
            "satuan": "Unit", "pagu_indikatif": "900000000000.00",
            "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": "900000000000.00"}]})
        return resp.json()["id"]

    async def until_known(self, field: str, method: str, url: str, **kw) -> httpx.Response:
        for attempt in range(120):
            try:
                return await self.call(method, url, **kw)
            except RuntimeError as exc:
                if " 422 " not in str(exc) or field not in str(exc):
                    raise
            await asyncio.sleep(0.5)
        raise RuntimeError(f"{method} {url}: {field} still unknown")

    async def user(self, username: str, role: str, kode_pemda: str, kode_skpd: str | None = None) -> str:
        await self.call("POST", "/api/v1/users", json={"username": username, "password": PASSWORD, "role": role,
                                                        "kode_pemda": kode_pemda, "kode_skpd": kode_skpd})
        return username


def _slug(kode_pemda: str) -> str:
    return kode_pemda.replace(".", "")


async def prepare(base_url: str, admin_headers: dict, pemda: list[str], operators: int) -> dict:
    """The pemda's reference data, RKPD items and users; then waits for every item's ceiling in keuangan."""
    async with httpx.AsyncClient(base_url=base_url, headers=admin_headers, timeout=60) as client:
        s = Setup(client, operators)
        await asyncio.gather(*(s.referensi(p) for p in pemda))
        people: dict[str, dict] = {}

        async def pemda_people(p: str) -> None:
            items = await asyncio.gather(*(s.plan(p, k) for k in skpd_codes(operators)))
            names = await asyncio.gather(*(s.user(f"op{_slug(p)}.{i + 1:02d}", "skpd_operator", p, k)
                                           for i, k in enumerate(skpd_codes(operators))))
            for name, item in zip(names, items):
                people[name] = {"role": "skpd_operator", "pemda": p, "rkpd_id": item}
            for role in ("bappeda", "tapd"):
                people[await s.user(f"{role}{_slug(p)}", role, p)] = {"role": role, "pemda": p}

        await asyncio.gather(*(pemda_people(p) for p in pemda))
        # every ceiling in keuangan and the standard price in its replica: the operators' first writes go through
        for p in pemda:
            for attempt in range(240):
                resp = await client.get(f"/api/v1/pemda/{p}/apbd/{TAHUN}/plafon", params={"per_page": 200})
                if resp.status_code == 200 and resp.json()["total"] >= operators:
                    break
                await asyncio.sleep(0.5)
            else:
                raise RuntimeError(f"the ceilings of {p} did not arrive")
        first = {}
        for who in people.values():
            first.setdefault(who["pemda"], who.get("rkpd_id"))
        await asyncio.gather(*(s.until_known("kode_standar_harga", "POST", f"/api/v1/pemda/{p}/rka/{TAHUN}/rincian",
                                             json=_line(item, 0)) for p, item in first.items() if item))
    return people


# -- the virtual users ---------------------------------------------------------------------------------------
class Recorder:
    def __init__(self):
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.examples: list[str] = []
        self.by_answer: dict[str, int] = {}  # the errors by status and problem detail: whose fault they were
        self.logged_in = 0

    async def call(self, client: httpx.AsyncClient, op: str, method: str, url: str, ok: int = 200, **kw) -> None:
        start = time.perf_counter()
        try:
            resp = await client.request(method, url, **kw)
            status, body = resp.status_code, resp.text
        except httpx.HTTPError as exc:
            status, body = 0, repr(exc)
        self.times.setdefault(op, []).append(time.perf_counter() - start)
        if status != ok:
            self.error(op, status, body)

    def error(self, op: str, status: int, body: str) -> None:
        self.errors[op] = self.errors.get(op, 0) + 1
        try:
            detail = json.loads(body).get("detail", "")
        except ValueError:
            detail = body[:80]
        key = f"{status} {detail}"
        self.by_answer[key] = self.by_answer.get(key, 0) + 1
        if len(self.examples) < 10:
            self.examples.append(f"{op}: {status} {body[:200]}")


def _line(rkpd_id: str, n: int) -> dict:
    return {"rkpd_id": rkpd_id, "kelompok": f"Paket {n % 5}", "keterangan": f"Tenaga administrasi {n}",
            "kode_rekening": HONOR, "kode_standar_harga": KOMPONEN,
            "koefisien": [{"volume": str(1 + n % 3), "satuan": "Orang"}, {"volume": "12", "satuan": "Bulan"}],
            "harga_satuan": "2500000", "pajak": "0", "kode_sumber_dana": "1.1"}


async def person(base_url: str, username: str, who: dict, rec: Recorder, until: float, think: tuple[float, float],
                 ramp: float, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, ramp))  # people arrive over the warm-up, not all on the same second
    # each pemda's people work from their own office: its address, as the reverse proxy in front of the gateway
    # forwards it (the gateway trusts loopback's X-Forwarded-For); one address for 1,100 people would be one
    # office, and the login throttle's per-address limit is meant for exactly that
    office = {"X-Forwarded-For": who["alamat"]}
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=office) as client:
        start = time.perf_counter()
        resp = await client.post("/api/v1/auth/token", data={"grant_type": "password", "username": username,
                                                             "password": PASSWORD})
        rec.times.setdefault("login", []).append(time.perf_counter() - start)
        rec.logged_in += 1
        if resp.status_code != 200:
            rec.error("login", resp.status_code, resp.text)
            return
        client.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
        p, n = who["pemda"], 0
        apbd, rka = f"/api/v1/pemda/{p}/apbd/{TAHUN}", f"/api/v1/pemda/{p}/rka/{TAHUN}"
        while time.monotonic() < until:
            n += 1
            pick = rng.random()
            if who["role"] == "skpd_operator":
                if pick < 0.4:
                    await rec.call(client, "operator: add an RKA line", "POST", f"{rka}/rincian", 201,
                                   json=_line(who["rkpd_id"], n))
                elif pick < 0.8:
                    await rec.call(client, "operator: list its lines", "GET", f"{apbd}/rincian",
                                   params={"rkpd_id": who["rkpd_id"], "per_page": 50})
                else:
                    await rec.call(client, "operator: its sub kegiatan's RKA", "GET",
                                   f"{rka}/sub-kegiatan/{who['rkpd_id']}")
            elif who["role"] == "bappeda":
                if pick < 0.7:
                    await rec.call(client, "bappeda: RKPD list", "GET", f"/api/v1/pemda/{p}/rkpd/{TAHUN}/sub-kegiatan",
                                   params={"per_page": 50})
                else:
                    await rec.call(client, "bappeda: planning report", "GET",
                                   f"/api/v1/pemda/{p}/laporan/{TAHUN}/ringkasan")
            else:
                if pick < 0.6:
                    await rec.call(client, "tapd: APBD summary", "GET", f"{apbd}/ringkasan")
                else:
                    await rec.call(client, "tapd: APBD ratios", "GET", f"{apbd}/rasio")
            await asyncio.sleep(rng.uniform(*think))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def load(base_url: str, people: dict, args, stack: Stack) -> dict:
    rec = Recorder()
    start = time.monotonic()
    until = start + args.minutes * 60
    rng = random.Random(11)
    procs = processes(stack)
    marks = {"start": memory(procs)}
    cpu0 = cpu_by_component(stack)
    # the same, and PostgreSQL's backends, RabbitMQ, this bench's own client and the rest of the machine
    meter = CpuMeter({p.name: p.popen.pid for p in stack.procs}, database=os.environ["SIPD_DB_NAME"])
    meter.snapshot()
    ramp = max(args.think[1], args.warmup * 60 - args.think[1])  # every login within the warm-up
    offices = {p: f"10.{i // 250}.{i % 250 + 1}.1" for i, p in enumerate(sorted({w["pemda"] for w in people.values()}))}
    for who in people.values():
        who["alamat"] = offices[who["pemda"]]
    tasks = [asyncio.create_task(person(base_url, name, who, rec, until, args.think, ramp,
                                        random.Random(rng.random())))
             for name, who in people.items()]
    warm = start + args.warmup * 60
    while time.monotonic() < until and not all(t.done() for t in tasks):
        await asyncio.sleep(1)
        # the baseline once the warm-up is over and everyone has logged in (a login's argon2 hash takes its memory)
        if "after warm-up" not in marks and time.monotonic() >= warm and rec.logged_in + rec.errors.get("login", 0) \
                >= len(tasks):
            marks["after warm-up"] = memory(procs)
            print(f"  warm-up over after {args.warmup} min; load {os.getloadavg()[0]:.2f}", flush=True)
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    marks.setdefault("after warm-up", marks["start"])
    marks["end"] = memory(procs)
    cpu1 = cpu_by_component(stack)
    spent, _, busy = meter.seconds()
    ops = {op: {"count": len(v), "p50_ms": round(pct(v, 0.5) * 1000, 1), "p99_ms": round(pct(v, 0.99) * 1000, 1),
                "errors": rec.errors.get(op, 0)} for op, v in sorted(rec.times.items())}
    growth = {}
    for label, end in marks["end"].items():
        warm_mb = marks["after warm-up"].get(label)
        if end is not None and warm_mb:
            growth[label] = round((end - warm_mb) / warm_mb, 3)
    return {"elapsed_s": round(elapsed, 1), "operations": ops, "errors": sum(rec.errors.values()),
            "error_examples": rec.examples, "errors_by_answer": rec.by_answer,
            "requests_per_s": round(sum(len(v) for v in rec.times.values()) / elapsed, 2),
            "cpu_seconds": {k: round(cpu1[k] - cpu0.get(k, 0), 1) for k in cpu1},
            "cpu_seconds_machine": {k: round(v, 1) for k, v in sorted(spent.items(), key=lambda kv: -kv[1])
                                    if v >= 0.05},
            "machine_busy_pct": round(busy * 100, 1),
            "memory_mb": marks, "memory_growth_after_warmup": growth,
            "memory_flagged": {k: v for k, v in growth.items() if v > GROWTH_FLAG}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pemda", type=int, default=50)
    parser.add_argument("--operators", type=int, default=20, help="SKPD operators per pemda (one SKPD each)")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="minutes of the run before the memory baseline")
    parser.add_argument("--think", default="5,15", help="think time between two actions, seconds: min,max")
    parser.add_argument("--gateway-workers", type=int, default=2)
    args = parser.parse_args(argv)
    args.think = tuple(float(x) for x in args.think.split(","))
    args.warmup = min(args.warmup, args.minutes / 2)

    report = {"date": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
              "command": "python -m bench.peak " + " ".join(argv if argv is not None else sys.argv[1:]),
              "commit": git_commit(), "machine": machine(), "config": {k: v for k, v in vars(args).items()}}
    stack, password = new_stack(VHOST, "logs-peak", args.gateway_workers)
    # an argon2id verification is CPU-bound in a thread (17 ms with the default parameters, 0.24 s of CPU with
    # argon2-cffi's own): the gateway's workers together should not verify more at once than the machine has
    # cores, or their event loops starve (publishes unconfirmed, the database pool timing out) while logins
    # queue; the operator's sizing rule (README, Access)
    stack.env.setdefault("SIPD_LOGIN_MAX_CONCURRENT",
                         str(max(1, (os.cpu_count() or 1) // max(1, args.gateway_workers))))
    pemda = pemda_codes(args.pemda)
    try:
        for service in SERVICE_TARGETS:
            stack.start_service(service)
        stack.start_gateway()
        stack.wait_healthy(120)
        headers = Login(stack.base_url, ADMIN_USERNAME, password).headers()
        t0 = time.perf_counter()
        people = asyncio.run(prepare(stack.base_url, headers, pemda, args.operators))
        report["setup_s"] = round(time.perf_counter() - t0, 1)
        print(f"data: {len(pemda)} pemda, {len(people)} users, {len(pemda) * args.operators} RKPD items in "
              f"{report['setup_s']} s; running {args.minutes} min (load {os.getloadavg()[0]:.2f})", flush=True)
        report["people"] = len(people)
        report["results"] = asyncio.run(load(stack.base_url, people, args, stack))
    finally:
        stack.stop_all()
    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    r = report["results"]
    print(f"\n{len(people)} people of {len(pemda)} pemda for {r['elapsed_s']} s: {r['requests_per_s']} req/s, "
          f"errors {r['errors']}")
    for op, v in r["operations"].items():
        print(f"  {op:36} n {v['count']:6}  p50 {v['p50_ms']:8.1f} ms  p99 {v['p99_ms']:8.1f} ms  errors {v['errors']}")
    for answer, n in sorted(r["errors_by_answer"].items(), key=lambda kv: -kv[1]):
        print(f"  ! {n} x {answer}")
    print("CPU seconds: " + ", ".join(f"{k} {v}" for k, v in sorted(r["cpu_seconds"].items(), key=lambda kv: -kv[1])))
    print(f"the whole machine ({r['machine_busy_pct']} % busy over the run, {os.cpu_count()} cores): "
          + ", ".join(f"{k} {v}" for k, v in r["cpu_seconds_machine"].items()))
    print("memory MB (start / after warm-up / end):")
    for label in r["memory_mb"]["start"]:
        row = [r["memory_mb"][m].get(label) for m in ("start", "after warm-up", "end")]
        flag = "  GROWTH > 10 %" if label in r["memory_flagged"] else ""
        print(f"  {label:28} " + " / ".join("-" if v is None else f"{v:.1f}" for v in row) + flag)
    print(f"load average start {report['machine']['loadavg_start']}, end {report['machine']['loadavg_end']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"peak-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"results: {out}")
    return 1 if r["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
