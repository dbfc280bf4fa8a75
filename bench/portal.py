"""Benchmark of the public portal: a pemda page under 32 concurrent readers (issue 9's floor: p99 ≤ 200 ms).

    python -m bench.portal [--items 500] [--duration 15] [--concurrency 32] [--rounds 20] [--strict]

Starts a stack of its own (database ``sipd_bench_portal``, vhost ``sipd_bench_portal``, a free gateway port) and
fills one pemda's year through the API, as its officers would: its RKPD of ``--items`` sub kegiatan enacted
(schedule, items, every stage locked up to penetapan), its APBD enacted on that plan (a budget line under every
item, revenue on seven accounts; submitted, evaluated, enacted), revenue realised month by month (receipts
deposited and validated: the LRA), and its LPPD submitted (drafted, verified by its inspektur). Then it measures
the pemda page (``/pemda/32.73?tahun=2027``: the RKPD, APBD, LRA, LPPD and Perda parts) and, for comparison, its
open data CSV:

1. ``cached``: as served (the page built once, then from the gateway's portal cache until an event changes it);
2. ``rebuilt``: right after an invalidation, ``--rounds`` times: a realisation is validated (keuangan's
   ``realisasi.berubah`` moves the pemda's pages on), and once the gateway has it, ``--concurrency`` readers ask
   for the page at once: the first builds it, the others wait for that build;
3. ``uncached``: the gateway restarted with ``SIPD_PORTAL_CACHE_SECONDS=0``, so every request fetches every part
   over RPC and renders the page (readers arriving during a build share it): the worst case.

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
import urllib.request
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from .run import KODE_PEMDA, free_port, git_commit, machine, write_pairs  # first: it names its own database

DB_NAME = "sipd_bench_portal"
os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_PORTAL_DB", DB_NAME)
os.environ.setdefault("SIPD_JWT_SECRET", secrets.token_urlsafe(48))
VHOST = os.environ.get("SIPD_BENCH_PORTAL_VHOST", "sipd_bench_portal")

from ops import broker  # noqa: E402
from ops.stack import ROOT, SERVICE_TARGETS, Stack, base_env  # noqa: E402
from ops.testing import fresh_database  # noqa: E402

from .auth import ADMIN_USERNAME, Login, create_admin  # noqa: E402
from .loadgen import Connection, Pool, closed_loop, summarize_ms  # noqa: E402

TAHUN = 2027
FLOOR_P99_MS = 200.0
STAGES = ["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "penetapan"]
RESULTS = ROOT / "bench" / "results"
BAPENDA, BPKAD = "5.02.0.00.0.00.02.0000", "5.02.0.00.0.00.01.0000"
# the spending accounts the lines use, in turn (goods and services, capital)
BELANJA = [f"5.1.02.01.01.{n:04d}" for n in (1, 2, 4, 5, 7, 8, 10, 12, 13, 15)] + [
    "5.2.02.01.01.0001", "5.2.03.01.01.0001", "5.2.03.01.01.0002"]
# revenue: the city's taxes (Bapenda's, realised month by month) and a transfer (the PPKD's)
PAJAK = ["4.1.01.06.01.0001", "4.1.01.07.01.0001", "4.1.01.08.01.0001", "4.1.01.09.01.0001", "4.1.01.10.01.0001",
         "4.1.01.11.01.0001"]
TRANSFER = "4.2.01.01.01.0001"
PASSWORD = secrets.token_urlsafe(24)


class Api:
    """The run's administrator on the API: JSON in and out; anything but ``ok`` stops the run."""

    def __init__(self, base_url: str, headers: dict[str, str]):
        host, port = base_url.removeprefix("http://").split(":")
        self.pool = Pool(host, int(port), headers)

    async def __call__(self, method: str, path: str, body: Any = None, ok=(200, 201)) -> Any:
        status, payload = await self.pool.request(method, path, json.dumps(body).encode() if body is not None else None)
        if status not in ok:
            raise RuntimeError(f"{method} {path}: {status} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def close(self) -> None:
        self.pool.close()


async def _each(work, args, writers: int = 8) -> None:
    """``work(*a)`` for every ``a`` of ``args``, ``writers`` at a time."""
    queue = iter(args)

    async def writer() -> None:
        for a in queue:
            await work(*a)
    await asyncio.gather(*(writer() for _ in range(writers)))


async def enact(api: Api, items: int) -> int:
    """The pemda's RKPD of ``TAHUN`` with ``items`` sub kegiatan, enacted; the number planned."""
    base = f"/api/v1/pemda/{KODE_PEMDA}"
    now = datetime.now(timezone.utc)
    await api("POST", f"{base}/jadwal", {"dokumen": "rkpd", "tahun": TAHUN, "tahap": [
        {"kode_tahap": k, "waktu_mulai": (now - timedelta(hours=1)).isoformat(),
         "waktu_selesai": (now + timedelta(days=7)).isoformat()} for k in STAGES]})
    await api("POST", f"{base}/jadwal/rkpd/{TAHUN}/tahap/rancangan_awal/buka")
    pairs = write_pairs()[:items]

    async def plan(skpd: str, sub: str) -> None:
        await api("POST", f"{base}/rkpd/{TAHUN}/sub-kegiatan", {
            "kode_skpd": skpd, "kode_sub_kegiatan": sub, "indikator": "Jumlah keluaran sub kegiatan",
            "target": "12", "satuan": "Unit", "pagu_indikatif": f"{1_000_000 + 137 * len(sub)}.50"})
    await _each(plan, pairs)
    for i, kode in enumerate(STAGES):
        if i:
            await api("POST", f"{base}/jadwal/rkpd/{TAHUN}/tahap/{kode}/buka")
        await api("POST", f"{base}/jadwal/rkpd/{TAHUN}/tahap/{kode}/kunci")
    return len(pairs)


async def _wait(check, timeout: float, what: str, every: float = 0.5):
    """``check()``'s first true answer (awaited), within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = await check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(every)


async def budget(api: Api, planned: int) -> dict:
    """The APBD of ``TAHUN`` on the enacted plan: a line under every item's ceiling (the accounts of BELANJA in
    turn), revenue on PAJAK and TRANSFER; submitted, evaluated (the run's administrator is national) and enacted.
    Its totals."""
    url = f"/api/v1/pemda/{KODE_PEMDA}/apbd/{TAHUN}"

    async def ceilings() -> list[dict] | None:
        first = await api("GET", f"{url}/plafon?per_page=200")
        if first["total"] < planned:
            return None
        rows = first["items"]
        for page in range(2, -(-first["total"] // 200) + 1):
            rows += (await api("GET", f"{url}/plafon?per_page=200&page={page}"))["items"]
        return rows
    plafon = await _wait(ceilings, 300, f"keuangan's {planned} ceilings")
    belanja = Decimal(0)

    async def line(n: int, p: dict) -> None:
        nonlocal belanja
        harga = Decimal(500_000 + 4_999 * (n % 97))  # under the ceiling + Decimal("0.25")
        await api("POST", f"{url}/rincian", {"rkpd_id": p["rkpd_id"], "kode_rekening": BELANJA[n % len(BELANJA)],
                                              "uraian": "Belanja sub kegiatan", "volume": "1", "satuan": "Paket",
                                              "harga_satuan": str(harga)})
        belanja += harga
    await _each(line, enumerate(plafon))
    pendapatan = Decimal(0)
    for n, kode in enumerate(PAJAK):
        jumlah = Decimal(40_000_000 + 3_000_000 * n)
        await api("POST", f"{url}/pendapatan", {"kode_skpd": BAPENDA, "kode_rekening": kode, "uraian": "Pajak daerah",
                                                "jumlah": str(jumlah)})
        pendapatan += jumlah
    transfer = belanja.quantize(Decimal(1)) + 100_000_000  # no deficit: the ratios and balance hold
    await api("POST", f"{url}/pendapatan", {"kode_skpd": BPKAD, "kode_rekening": TRANSFER, "uraian": "DBH PBB",
                                            "jumlah": str(transfer)})
    await api("POST", f"{url}/pengajuan")
    await api("POST", f"{url}/evaluasi", {"hasil": "sesuai"})
    await api("POST", f"{url}/penetapan", {
        "nomor_perda": f"Perda Kota Bandung Nomor 1 Tahun {TAHUN - 1}", "tanggal_perda": f"{TAHUN - 1}-12-20",
        "nomor_perkada": f"Perwal Nomor 1 Tahun {TAHUN - 1}", "tanggal_perkada": f"{TAHUN - 1}-12-21"})
    return {"lines": len(plafon), "belanja": str(belanja), "pendapatan": str(pendapatan + transfer)}


async def realise(api: Api, bud: Api, kode_rekening: str, tanggal: str, nilai: Decimal) -> None:
    """Tax received (TBP) and deposited (STS) by Bapenda, validated by the BUD (another user: maker ≠ checker):
    revenue realised on ``tanggal``, and keuangan's ``realisasi.berubah`` of the pemda."""
    url = f"/api/v1/pemda/{KODE_PEMDA}/penatausahaan/{TAHUN}"
    tbp = await api("POST", f"{url}/tbp", {"kode_skpd": BAPENDA, "kode_rekening": kode_rekening, "tanggal": tanggal,
                                           "uraian": "Setoran pajak", "penyetor": "Wajib pajak", "nilai": str(nilai)})
    sts = await api("POST", f"{url}/sts", {"kode_skpd": BAPENDA, "tanggal": tanggal, "tbp_ids": [tbp["id"]]})
    await bud("POST", f"{url}/sts/{sts['id']}/validasi")


async def submit_lppd(api: Api, inspektur: Api, belanja: Decimal) -> None:
    """The pemda's LPPD of ``TAHUN``: drafted once pemerintahan holds the whole budget, verified by its inspektur,
    submitted (public from then on)."""
    url = f"/api/v1/pemda/{KODE_PEMDA}/lppd/{TAHUN}"
    drafted = await api("POST", url)

    async def complete() -> bool:
        nonlocal drafted
        if Decimal(drafted["isi"]["total_anggaran"]) != belanja:
            drafted = await api("POST", f"{url}/bangun-ulang")
        return Decimal(drafted["isi"]["total_anggaran"]) == belanja
    await _wait(complete, 120, "the LPPD with the whole budget", every=2)
    await api("PUT", f"{url}/indikator", {"indikator": [{"kode": "IPM", "target": "82", "realisasi": "82.4"}]})
    await inspektur("POST", f"{url}/langkah", {"aksi": "verifikasi"})
    await api("POST", f"{url}/langkah", {"aksi": "ajukan"})


async def officer(api: Api, base_url: str, role: str) -> Login:
    """A user of the pemda in ``role``, made by the run's administrator (another user where maker ≠ checker)."""
    username = f"bench.{role}.{secrets.token_hex(3)}"
    await api("POST", "/api/v1/users", {"username": username, "password": PASSWORD, "role": role,
                                        "kode_pemda": KODE_PEMDA, "kode_skpd": None})
    return Login(base_url, username, PASSWORD)


class Session:
    """Logs in when asked (a token lives 15 minutes): the run's administrator and the pemda's officers."""

    def __init__(self, base_url: str, admin: Login):
        self.base_url = base_url
        self.logins = {"admin": admin}

    async def run(self, work, *args, who: tuple[str, ...] = ("admin",)):
        """``work(api of each of who..., *args)``; a missing officer is made first."""
        for role in who:
            if role not in self.logins:
                self.logins[role] = await self.run(officer, self.base_url, role)
        apis = [Api(self.base_url, self.logins[role].headers()) for role in who]
        try:
            return await work(*apis, *args)
        finally:
            for api in apis:
                api.close()


async def fill(session: Session, items: int, months: int) -> dict:
    """The pemda's year as the bench reads it (the module's docstring); what was made."""
    async def realise_months(api: Api, bud: Api) -> Decimal:
        realised = Decimal(0)
        for bulan in range(1, months + 1):
            for n, kode in enumerate(PAJAK):
                nilai = Decimal(3_000_000 + 250_000 * n + 10_000 * bulan) + Decimal("0.50")
                await realise(api, bud, kode, f"{TAHUN}-{bulan:02d}-{10 + n:02d}", nilai)
                realised += nilai
        return realised

    made = {"items": await session.run(enact, items)}
    made |= await session.run(budget, made["items"])
    made["realisasi"] = str(await session.run(realise_months, who=("admin", "bud")))
    made["realisasi_bulan"] = months
    await session.run(submit_lppd, Decimal(made["belanja"]), who=("admin", "inspektur"))
    return made


async def measure(base_url: str, path: str, concurrency: int, duration: float) -> dict:
    host, port = base_url.removeprefix("http://").split(":")
    result = await closed_loop(path, host, int(port), lambda: ("GET", path, None), concurrency=concurrency,
                               warmup_s=2.0, duration_s=duration)
    return result.as_dict()


async def rebuilt(api: Api, bud: Api, base_url: str, page: str, concurrency: int, rounds: int,
                  realised: Decimal, month: int) -> dict:
    """The page right after its pemda's event, ``rounds`` times: a realisation validated, and once the gateway has
    the event (its LRA file, keyed by the pemda's version like the page, shows the new total), ``concurrency``
    readers on fresh connections ask for the page at once. The latencies of all of them, and of each round's
    slowest (about the build)."""
    host, port = base_url.removeprefix("http://").split(":")
    probe = Pool(host, int(port))
    monthly = f"/api/v1/data/pemda/{KODE_PEMDA}/{TAHUN}/lra-bulanan.json"
    latencies, slowest, errors = [], [], 0

    async def seen() -> bool:
        status, body = await probe.request("GET", monthly)
        return status == 200 and sum(Decimal(m["pendapatan"]) for m in json.loads(body)["data"]) == realised

    async def read(conn: Connection) -> tuple[float, int]:
        t0 = time.perf_counter()
        status, _ = await conn.request("GET", page)
        return time.perf_counter() - t0, status
    try:
        for i in range(rounds):
            nilai = Decimal(1_000_000 + i)
            await realise(api, bud, PAJAK[i % len(PAJAK)], f"{TAHUN}-{month:02d}-20", nilai)
            realised += nilai
            await _wait(seen, 30, "the realisation's event at the gateway", every=0.05)
            readers = [Connection(host, int(port)) for _ in range(concurrency)]
            await asyncio.gather(*(c.connect() for c in readers))
            answers = await asyncio.gather(*(read(c) for c in readers))
            for c in readers:
                c.close()
            latencies += [t for t, _ in answers]
            slowest.append(max(t for t, _ in answers))
            errors += sum(1 for _, status in answers if status != 200)
    finally:
        probe.close()
    return {"rounds": rounds, "concurrency": concurrency, "errors": errors, **summarize_ms(latencies),
            "build": summarize_ms(slowest)}


def _line(phase: str, name: str, got: dict) -> str:
    rate = f"{got['req_per_s']:8.1f} req/s" if "req_per_s" in got else f"{got['n']:5d} reads   "
    p50, p99 = (float("nan") if got[k] is None else got[k] for k in ("p50_ms", "p99_ms"))  # None: no request
    return f"{phase:9} {name:5} {rate}  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {got['errors']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--months", type=int, default=6, help="months of revenue realised before measuring")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=20, help="invalidations in the rebuilt phase")
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
    report: dict = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "commit": git_commit(),
                    "machine": machine(), "config": vars(args), "results": {}}
    try:
        for service in SERVICE_TARGETS:
            stack.start_service(service)
        gateway = stack.start_gateway()
        stack.wait_healthy(300)  # a fresh database: the services first take in the codification
        session = Session(stack.base_url, Login(stack.base_url, ADMIN_USERNAME, password))
        t0 = time.perf_counter()
        report["data"] = asyncio.run(fill(session, args.items, args.months))
        with urllib.request.urlopen(stack.base_url + page, timeout=60) as first:  # built once, before the readers
            report["data"]["page_bytes"] = len(first.read())
        print(f"filled in {time.perf_counter() - t0:.1f} s: {report['data']}", flush=True)
        for phase in ("cached", "rebuilt", "uncached"):
            if phase == "uncached":
                stack.stop(gateway)
                stack.env["SIPD_PORTAL_CACHE_SECONDS"] = "0"
                gateway = stack.start_gateway()
                stack.wait_healthy(120)
            if phase == "rebuilt":
                got = asyncio.run(session.run(rebuilt, stack.base_url, page, args.concurrency, args.rounds,
                                              Decimal(report["data"]["realisasi"]), args.months, who=("admin", "bud")))
                report["results"]["rebuilt page"] = got
                print(_line(phase, "page", got) + f"  (each round's slowest: p50 {got['build']['p50_ms']:.1f} ms)",
                      flush=True)
                continue
            for name, path in (("page", page), ("csv", data)):
                got = asyncio.run(measure(stack.base_url, path, args.concurrency, args.duration))
                report["results"][f"{phase} {name}"] = got
                print(_line(phase, name, got), flush=True)
    finally:
        stack.stop_all()
    report["load_after"] = os.getloadavg()
    p99 = report["results"]["cached page"]["p99_ms"]
    report["floor"] = {"cached page p99 ms": FLOOR_P99_MS, "pass": p99 <= FLOOR_P99_MS}
    print(f"floor: pemda page p99 {p99:.1f} ms ≤ {FLOOR_P99_MS:.0f} ms: {'PASS' if report['floor']['pass'] else 'FAIL'}"
          f"  (load average {report['machine']['loadavg_start'][0]:.1f} before, {report['load_after'][0]:.1f} after; "
          f"commit {report['commit']})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"portal-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"results: {out}")
    return 1 if args.strict and not report["floor"]["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
