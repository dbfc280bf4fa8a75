"""The RKA-SKPD import end to end (issue 13): 40 SKPD's files uploaded through the gateway until the reports show the
totals, with the peak memory of every process of the stack.

    python -m bench.rka_stack [--skpd 40] [--items-per-skpd 50] [--lines-per-item 15] [--concurrency 1] [--strict]

``bench/rka.py`` measures the import's use case in one process; this measures what a pemda sees. A stack of its own
(database ``sipd_bench_rka_stack``, vhost ``sipd_bench_rka_stack``, a free gateway port) is prepared through the
gateway as an administrator would: the SKPD and 50 standard prices imported into referensi, 2,000 RKPD items planned
(40 SKPD × 50 sub kegiatan of bidang urusan 1.01, two funding sources each), every ceiling waited for in keuangan.
Then, measured: each SKPD's XLSX (750 lines) is posted to ``POST .../rka/{tahun}/impor`` (``--concurrency`` at once;
one by one by default), and after the last answer the two reports are polled until they show Σ of the files:
keuangan's APBD summary (``belanja``, read from the lines) and pemerintahan's summary (``total_anggaran``, fed by the
ceilings' events through the outbox and the broker). The floor is on that whole time. After it, not in it: the APBD
summary and its ratios read through the gateway five times (``.../apbd/{tahun}/ringkasan`` then ``.../rasio``).

Memory: every process of each service and of the gateway (its workers too) is sampled (``VmRSS``) through the
measured phase, and its lifetime peak (``VmHWM``) read at the end, before the stack stops. Reference in the same run,
just before the phase: the bench process reading the same 40 files alone (``bench.rka.read_alone``, the import's own
reader), so that a loaded machine shows in both figures. CPU seconds per component over the phase (``bench/cpu.py``:
each process of the stack, PostgreSQL's backends of the bench database, everything else on the machine). Writes
``bench/results/rka-stack-<time>.json``; figures: docs/performance.md, "RKA-SKPD import".
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal

from .peak import BIDANG, Setup, _rss_mb, new_stack, processes, skpd_codes  # first: it names its own database
from .rka import FLOORS as IMPORT_FLOORS, HONOR, KODE_PEMDA, TAHUN, _xlsx, read_alone
from .run import git_commit, machine

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_RKA_STACK_DB", "sipd_bench_rka_stack")
VHOST = os.environ.get("SIPD_BENCH_RKA_STACK_VHOST", "sipd_bench_rka_stack")

import httpx  # noqa: E402

from ops.stack import ROOT, SERVICE_TARGETS, Stack  # noqa: E402

from . import profile  # noqa: E402
from .auth import ADMIN_USERNAME, Login  # noqa: E402
from .cpu import CpuMeter, Sampler  # noqa: E402

FLOORS = {"import_until_reports_seconds": IMPORT_FLOORS["import_seconds"], "peak_mb": IMPORT_FLOORS["peak_mb"]}
RESULTS = ROOT / "bench" / "results"
PAGU_PER_LINE = Decimal(24 * 200000 * 2)  # a line's most (2 × 12 at the highest price), twice over: room for all


def sub_kegiatan_codes(n: int) -> list[str]:
    """``n`` current sub kegiatan of bidang urusan 1.01 a regency may plan (the shipped codification)."""
    from services.referensi import seed

    _, current = seed.nomenklatur()[-1]
    codes = [r["kode"] for r in current if r["kode"].count(".") == 5 and r["kode"].startswith(BIDANG + ".")
             and r["kode"].split(".")[3] == "2"]
    if len(codes) < n:
        raise SystemExit(f"only {len(codes)} sub kegiatan of {BIDANG} in the codification, {n} asked")
    return codes[:n]


# -- memory of the stack's processes -----------------------------------------------------------------------------
class MemorySampler(Sampler):
    """Every process's resident memory, sampled every ``interval`` s in a thread: the largest seen per process."""

    def __init__(self, stack: Stack, interval: float = 0.25):
        self.stack, self.interval = stack, interval
        self.peak: dict[str, float] = {}

    def __enter__(self):
        self.procs = processes(self.stack)
        self.start = {label: _rss_mb(pid) for label, pid in self.procs.items()}
        return super().__enter__()

    def _run(self) -> None:
        while not self._stop.is_set():
            for label, pid in self.procs.items():
                mb = _rss_mb(pid)
                if mb is not None and mb > self.peak.get(label, 0):
                    self.peak[label] = mb
            self._stop.wait(self.interval)

    def report(self) -> dict[str, dict]:
        """Per process: MB at the phase's start, the phase's sampled peak, the lifetime peak (VmHWM) now."""
        return {label: {"start": _round(self.start.get(label)), "phase_peak": _round(self.peak.get(label)),
                        "lifetime_peak": _round(_rss_mb(pid, "VmHWM"))}
                for label, pid in self.procs.items()}


def _round(mb: float | None) -> float | None:
    return None if mb is None else round(mb, 1)


# -- data through the gateway ------------------------------------------------------------------------------------
async def until(http: httpx.AsyncClient, what: str, url: str, check, timeout: float = 600,
                every: float = 0.5) -> dict:
    """Polls ``url`` until its answer passes ``check``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        resp = await http.get(url)
        if resp.status_code == 200 and check(body := resp.json()):
            return body
        await asyncio.sleep(every)
    raise TimeoutError(f"{what}: not after {timeout} s")


def _url(path: str) -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/{path}"


async def prepare(base_url: str, headers: dict, skpd: list[str], codes: list[str], pagu: Decimal) -> None:
    """Referensi's SKPD and standard prices, the RKPD items; waits for every ceiling in keuangan and the prices in
    its replica, then until pemerintahan's summary has every item (nothing in flight when the phase starts)."""
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120) as http:
        c = Setup(http, len(skpd))  # its calls: a busy machine's 502/503/504 retried, a code not yet known waited for
        skpd_csv = "kode,nama,bidang_urusan\n" + "".join(f"{k},Dinas {i + 1},{BIDANG}\n" for i, k in enumerate(skpd))
        prices = "kode,jenis,uraian,spesifikasi,satuan,harga,kode_rekening\n" + "".join(
            f"9.1.{i},SBU,Honorarium {i},-,OB,200000,{HONOR}\n" for i in range(50))
        for kind, content, extra in (("skpd", skpd_csv, {}), ("standar_harga", prices, {"tahun": str(TAHUN)})):
            await c.call("POST", "/api/v1/referensi/impor", data={"kind": kind, "kode_pemda": KODE_PEMDA,
                                                                   "mode": "full", **extra},
                         files={"file": (f"{kind}.csv", content.encode(), "text/csv")})
        half = str(pagu / 2)

        async def plan(kode_skpd: str, kode: str) -> str:
            resp = await c.until_known("kode_skpd", "POST", _url(f"rkpd/{TAHUN}/sub-kegiatan"), json={
                "kode_skpd": kode_skpd, "kode_sub_kegiatan": kode, "indikator": "Jumlah unit", "target": "1",
                "satuan": "Unit", "pagu_indikatif": str(pagu),
                "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": half}, {"kode_sumber_dana": "1.2", "pagu": half}]})
            return resp.json()["id"]

        items = await asyncio.gather(*(plan(s, k) for s in skpd for k in codes))
        n = len(items)
        await until(http, "keuangan's ceilings", _url(f"apbd/{TAHUN}/plafon?per_page=1"), lambda b: b["total"] >= n)
        # one line under an item of the first SKPD, once keuangan's replica has the prices (the import replaces it)
        line = await c.until_known("kode_standar_harga", "POST", _url(f"rka/{TAHUN}/rincian"), json={
            "rkpd_id": items[0], "kelompok": "Kelompok 0", "keterangan": "Keterangan 0", "kode_rekening": HONOR,
            "kode_standar_harga": "9.1.0", "koefisien": [{"volume": "1", "satuan": "Orang"}],
            "harga_satuan": "100000", "pajak": "0", "kode_sumber_dana": "1.1"})
        jumlah = Decimal(line.json()["jumlah"])
        await until(http, "pemerintahan's summary of the plan and that line", _url(f"laporan/{TAHUN}/ringkasan"),
                    lambda b: Decimal(b["total_pagu_indikatif"]) == pagu * n and Decimal(b["total_anggaran"]) == jumlah)


async def upload(base_url: str, headers: dict, files: list[tuple[str, bytes]], concurrency: int) -> dict:
    """The measured phase: every file posted, then both reports polled until they show Σ of the imports' totals."""
    per_file: list[float] = []
    total = Decimal(0)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=300) as http:
        c, gate = Setup(http, len(files)), asyncio.Semaphore(concurrency)

        async def one(kode_skpd: str, content: bytes) -> None:
            nonlocal total
            async with gate:  # the file's own time, not its wait for a turn
                t = time.perf_counter()
                resp = await c.call("POST", _url(f"rka/{TAHUN}/impor"), data={"kode_skpd": kode_skpd},
                                    files={"file": (f"rka-{kode_skpd}.xlsx", content, "application/vnd."
                                                    "openxmlformats-officedocument.spreadsheetml.sheet")})
                per_file.append(time.perf_counter() - t)
            total += Decimal(resp.json()["total"])

        start = time.perf_counter()
        await asyncio.gather(*(one(k, content) for k, content in files))
        answered = time.perf_counter() - start
        expected = total
        await until(http, "keuangan's APBD summary", _url(f"apbd/{TAHUN}/ringkasan"),
                    lambda b: Decimal(b["belanja"]) == expected, timeout=300, every=0.2)
        keuangan = time.perf_counter() - start
        await until(http, "pemerintahan's summary", _url(f"laporan/{TAHUN}/ringkasan"),
                    lambda b: Decimal(b["total_anggaran"]) == expected, timeout=300, every=0.2)
        reports = time.perf_counter() - start
        summary = []  # after the phase: the APBD summary with its ratios over HTTP, as TAPD's screen asks for them
        for _ in range(5):
            t = time.perf_counter()
            for path in ("ringkasan", "rasio"):
                (await http.get(_url(f"apbd/{TAHUN}/{path}"))).raise_for_status()
            summary.append(time.perf_counter() - t)
    per_file.sort()
    return {"total": str(expected), "files_answered_s": round(answered, 2), "keuangan_summary_s": round(keuangan, 2),
            "until_reports_s": round(reports, 2), "summary_with_ratios_s": [round(x, 3) for x in summary],
            "per_file_s": {"max": round(per_file[-1], 2), "median": round(per_file[len(per_file) // 2], 2)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skpd", type=int, default=40)
    parser.add_argument("--items-per-skpd", type=int, default=50)
    parser.add_argument("--lines-per-item", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=1, help="files posted at once (at most 8)")
    parser.add_argument("--gateway-workers", type=int, default=2)
    parser.add_argument("--inline-strings", action="store_true",
                        help="the files' text inline, as openpyxl writes it (not in a shared strings table, as Excel)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    parser.add_argument("--profile", type=float, metavar="SECONDS",
                        help="py-spy records keuangan and pemerintahan for that long from the phase's start")
    args = parser.parse_args(argv)

    report = {"date": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
              "command": "python -m bench.rka_stack " + " ".join(argv if argv is not None else sys.argv[1:]),
              "commit": git_commit(), "machine": machine(), "config": vars(args), "floors": FLOORS}
    skpd, codes = skpd_codes(args.skpd), sub_kegiatan_codes(args.items_per_skpd)
    pagu = args.lines_per_item * PAGU_PER_LINE
    files = [(k, _xlsx(codes, args.lines_per_item, args.inline_strings)) for k in skpd]
    stack, password = new_stack(VHOST, "logs-rka-stack", args.gateway_workers)
    try:
        for service in SERVICE_TARGETS:
            stack.start_service(service)
        stack.start_gateway()
        stack.wait_healthy(120)
        login = Login(stack.base_url, ADMIN_USERNAME, password)
        t0 = time.perf_counter()
        asyncio.run(prepare(stack.base_url, login.headers(), skpd, codes, pagu))
        report["setup_s"] = round(time.perf_counter() - t0, 1)
        headers = login.headers()  # a fresh token (15 minutes) for the measured phase
        print(f"data: {len(skpd) * len(codes)} RKPD items in {report['setup_s']} s; importing "
              f"{len(files)} files (load {os.getloadavg()[0]:.2f}) ...", flush=True)
        reference = read_alone([content for _, content in files])  # the stack idle, just before
        load0 = os.getloadavg()
        meter = CpuMeter({p.name: p.popen.pid for p in stack.procs}, database=stack.env["SIPD_DB_NAME"])
        meter.snapshot()
        spies = profile.start([p for p in stack.procs if p.name.startswith(("keuangan", "pemerintahan"))],
                              args.profile, RESULTS / "profile-rka-stack") if args.profile else []
        with MemorySampler(stack) as memory:
            report["results"] = asyncio.run(upload(stack.base_url, headers, files, args.concurrency))
        report["profile"] = profile.finish(spies)
        cpu = meter.usage()
        report["results"].update(
            reference_read_alone_s=round(reference, 2),
            lines=len(files) * len(codes) * args.lines_per_item,
            load_before=[round(x, 2) for x in load0], load_after=[round(x, 2) for x in os.getloadavg()],
            cpu_seconds={k: round(v * cpu["elapsed_s"], 1) for k, v in cpu["cores"].items()},
            machine_busy_pct=cpu["machine_busy_pct"], memory_mb=memory.report())
    finally:
        stack.stop_all()
    r = report["results"]
    r["ratio_to_reference"] = round(r["until_reports_s"] / r["reference_read_alone_s"], 2)
    worst = max((m["lifetime_peak"] or 0) for m in r["memory_mb"].values())
    ok = r["until_reports_s"] <= FLOORS["import_until_reports_seconds"] and worst < FLOORS["peak_mb"]
    print(f"\n{r['lines']} lines in {len(files)} files (Σ {r['total']}), {args.concurrency} at a time; load "
          f"{r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  every file answered   {r['files_answered_s']:7.2f} s (per file median {r['per_file_s']['median']} s, "
          f"worst {r['per_file_s']['max']} s)")
    print(f"  keuangan's summary    {r['keuangan_summary_s']:7.2f} s")
    print(f"  pemerintahan's report {r['until_reports_s']:7.2f} s  floor <= {FLOORS['import_until_reports_seconds']} s")
    print(f"  then the APBD summary with its ratios through the gateway: {min(r['summary_with_ratios_s'])}–"
          f"{max(r['summary_with_ratios_s'])} s (5 times)")
    print(f"  reference: the files read alone {r['reference_read_alone_s']:.2f} s (ratio {r['ratio_to_reference']})")
    spent = sorted(r["cpu_seconds"].items(), key=lambda kv: -kv[1])
    print(f"  the machine {r['machine_busy_pct']}% busy; CPU seconds: " + ", ".join(f"{k} {v}" for k, v in spent))
    print("  memory MB (phase start / phase peak / lifetime peak VmHWM):")
    for label, m in r["memory_mb"].items():
        print(f"    {label:24} " + " / ".join("-" if v is None else f"{v:.1f}" for v in m.values()))
    print(f"  worst lifetime peak {worst:.1f} MB  floor < {FLOORS['peak_mb']} MB   {'PASS' if ok else 'FAIL'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"rka-stack-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"results: {out}")
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
