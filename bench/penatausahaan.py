"""Benchmark of spending and the LRA on one pemda's year: 50,000 SP2D and 20,000 STS (issue 14's figures: the
pemda's LRA down to sub rincian objek ≤ 1 s; one SP2D from request to realisation visible in the LRA p50 ≤ 100 ms
at 20 documents/s).

    python -m bench.penatausahaan [--sp2d 50000] [--sts 20000] [--rate 20] [--duration 45] [--observe 0.1]
                                  [--repeat 10] [--pipeline] [--strict]
    make bench BENCH=penatausahaan ARGS="..."

Starts a stack of its own (database ``sipd_bench_penatausahaan``, vhost ``sipd_bench_penatausahaan``, a free gateway
port, one instance of each service), then:

1. **Officers** through the gateway (``POST /api/v1/users`` as a pusat administrator): the BUD and a kuasa BUD of
   32.73, and per SKPD of 32.73 (the 14 shipped in ``skpd_contoh.csv``) its bendahara pengeluaran, PPK-SKPD, PA/KPA
   and bendahara penerimaan.
2. **The budget**, in process through keuangan's use cases (as ``bench.dpa``): ceilings and 30,000 lines stored
   directly, revenue and financing targets, the APBD submitted, evaluated, enacted, every SKPD's DPA generated
   (cash plan spread by default) and authorised.
3. **Reference**: the LRA on this budget with no realisation yet (``lra_kosong``).
4. **The year's documents in bulk**: ``--sp2d`` SP2D LS and ``--sts`` STS written with ``COPY`` into keuangan's
   tables, the columns taken from the repositories' own ``Table`` definitions (``penatausahaan/repository.py``,
   ``penerimaan/repository.py``, ``penomoran/repository.py``). What a document that went through the use cases
   would have left, and nothing less: per SKPD four authorised quarterly SPD within the cash plan, each SP2D with
   its verified SPP (1 or 2 lines drawn on the quarter's SPD, at most half of each SPD line) and its accepted SPM,
   disbursed on a day of its quarter; each STS validated with its 1 or 2 receipts (TBP) on the SKPD's revenue
   accounts; numbers from ``penomoran.domain.nomor`` in date order, 1, 2, 3 … per pemda, year, SKPD and type, and
   the counters (``penomoran``) at the last number, so the next document through the gateway takes the next one;
   ``realisasi_belanja`` and ``realisasi_pendapatan`` the sums of the documents, their ``version`` the number of
   disbursements / validations that added to them. Not written: the audit rows and the ``realisasi.berubah``
   events of the bulk (the governance side does not see it). Checked in SQL after the load (``periksa_bulk``).
5. **(a) The LRA** (``--repeat`` times, interleaved): the pemda's LRA for the year to sub rincian objek through the
   gateway (``GET /api/v1/pemda/32.73/lra/{tahun}?tingkat=6``) and through keuangan's RPC (``get_lra``, the
   gateway's own RPC client, no HTTP); one SKPD's LRA (what the flow below polls); as a yardstick of the machine's
   state, ``referensi.get_rekening`` over RPC. Then the pemda's LRA printed as XLSX and PDF, once each.
6. **(b) The flow**: a sample of documents driven through the gateway by their officers: SPP LS (bendahara,
   drawn on the SKPD's 4th-quarter SPD) → submitted → verified (PPK-SKPD) → SPM (PPK-SKPD) → signed (PA/KPA) →
   accepted (BUD) → SP2D (kuasa BUD) → issued (BUD); then, open loop at ``--rate`` a second, the disbursement
   (``POST …/sp2d/{id}/cair``, BUD), and for ``--observe`` of them (one in ten by default) the SKPD's LRA polled
   after the answer until the account's realisation includes it. Measured from the disbursement request until the
   LRA shows it (and from its answer); every disbursement's own latency beside. By default the documents are
   prepared up to "issued" first; ``--pipeline`` drives the whole chain of each document inside the measured window
   instead (its disbursement at the end of its chain), so the window carries every step's load. Documents take
   (SKPD, account) keys in turn over at least 200 keys: what a poll waits for is exact.
7. **Memory**: the peak RSS (``VmHWM``) of every process of the stack at the end, keuangan's against issue 13's
   300 MB.

Prints the figures and writes ``bench/results/penatausahaan-<time>.json``. Figures and how to read them:
docs/performance.md, "Spending and the LRA".
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import csv
import datetime as dt
import json
import os
import random
import secrets
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from .apbd import ACCOUNTS, KODE_PEMDA, TAHUN, _rows  # first: importing these names their own databases
from .dpa import enact, scopes, uow_of
from .peak import _rss_mb, _session_pids
from .run import free_port, git_commit, machine

DB_NAME = "sipd_bench_penatausahaan"
os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_PENATAUSAHAAN_DB", DB_NAME)
os.environ.setdefault("SIPD_JWT_SECRET", secrets.token_urlsafe(48))
VHOST = os.environ.get("SIPD_BENCH_PENATAUSAHAAN_VHOST", "sipd_bench_penatausahaan")

import sipd_common  # noqa: E402,F401  (PSYCOPG_WAIT_FUNC before psycopg)
import orjson  # noqa: E402

from ops import broker  # noqa: E402
from ops.stack import ROOT, SERVICE_TARGETS, Stack, base_env  # noqa: E402
from ops.testing import fresh_database  # noqa: E402

from . import profile  # noqa: E402
from .auth import ADMIN_USERNAME, Login, create_admin  # noqa: E402
from .cpu import CpuMeter  # noqa: E402
from .loadgen import Pool, percentile, summarize_ms  # noqa: E402

FLOORS = {"lra_pemda_s": 1.0, "cair_sampai_lra_p50_ms": 100.0}
RSS_LIMIT_MB = 300  # issue 13: each process
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench-" + secrets.token_urlsafe(12)
SEN = Decimal("0.01")
BPKAD, BAPENDA = "5.02.0.00.0.00.01.0000", "5.02.0.00.0.00.02.0000"
PETUGAS_SKPD = ("bendahara_pengeluaran", "ppk_skpd", "pa_kpa", "bendahara_penerimaan")
WIB = dt.timezone(dt.timedelta(hours=7))


def _sen(x: Decimal) -> Decimal:
    return x.quantize(SEN, rounding=ROUND_DOWN)


def ringkas(latencies_s: list[float]) -> dict:
    """``loadgen.summarize_ms`` with the 95th percentile beside."""
    out = summarize_ms(latencies_s)
    out["p95_ms"] = round(percentile(sorted(latencies_s), 95) * 1000, 2) if latencies_s else None
    return out


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what} (load {os.getloadavg()[0]:.1f})", flush=True)


def skpd_pemda() -> list[tuple[str, str]]:
    """(kode, first bidang urusan) of every current SKPD of 32.73 in the shipped sample list."""
    with open(ROOT / "services/referensi/data/skpd_contoh.csv", newline="") as f:
        return [(r["kode"], r["bidang_urusan"].split()[0]) for r in csv.DictReader(f)
                if r["kode_pemda"] == KODE_PEMDA and not r["sampai"]]


# == the budget (stored as bench.apbd stores it, enacted and executed through the use cases) ====================
def targets(pendapatan: dict[str, list[str]]) -> list[dict]:
    """Revenue and financing targets of each SKPD's accounts (6.1 / 6.2: financing, the rest revenue)."""
    out = []
    for kode, rekening in pendapatan.items():
        for i, rek in enumerate(rekening):
            jenis = {"6.1": "penerimaan_pembiayaan", "6.2": "pengeluaran_pembiayaan"}.get(rek[:3], "pendapatan")
            out.append(dict(id=str(uuid.uuid4()), kode_pemda=KODE_PEMDA, tahun=TAHUN, jenis=jenis, kode_skpd=kode,
                            kode_rekening=rek, nama_rekening="x", uraian="Target",
                            jumlah=Decimal(2_000_000_000 + 7_000_000 * i)))
    return out


def enact_and_execute(engine, ceilings, lines, target_rows) -> int:
    """The APBD enacted (``bench.dpa.enact``), every SKPD's DPA generated and authorised through keuangan's use
    cases; the number of DPA lines."""
    from services.keuangan.dpa import usecases as dpa

    enact(engine, ceilings, lines, target_rows)
    tapd, _ = scopes()
    made = dpa.generate_dpa(uow_of(engine, tapd), tapd, KODE_PEMDA, TAHUN)
    for d in made.dibuat:
        dpa.sahkan_dpa(uow_of(engine, tapd), tapd, KODE_PEMDA, TAHUN, d.kode_skpd,
                       {"versi": d.versi, "nomor": f"DPA/{d.kode_skpd}"})
    return sum(d.jumlah_baris for d in made.dibuat)


# == the year's documents, as the use cases would have left them ===============================================
@dataclass
class Petugas:
    """The officers' user ids (what the documents' dibuat_oleh / …_oleh hold)."""
    bud: str
    kuasa_bud: str
    skpd: dict[str, dict[str, str]]  # kode_skpd -> role -> user id


@dataclass
class Bulk:
    rows: dict[str, list[dict]] = field(default_factory=lambda: collections.defaultdict(list))

    def add(self, table: str, **row) -> None:
        self.rows[table].append(row)

    def langkah(self, jenis: str, dokumen_id: str, tanggal: date, *steps: tuple[str, str]) -> None:
        """Who took each step of a document (``langkah_dokumen``: what its signature blocks print), on its day."""
        for langkah, user_id in steps:
            self.add("langkah_dokumen", jenis=jenis, dokumen_id=dokumen_id, langkah=langkah, pada=pagi(tanggal),
                     user_id=user_id, nama=None, nip=None)


def pagi(tanggal: date) -> dt.datetime:
    """A document's time on its day (``created_at``: the date it prints; its steps'), 09:00 WIB."""
    return dt.datetime.combine(tanggal, dt.time(9), tzinfo=WIB)


def _hari(rng: random.Random, dari: date, sampai: date) -> date:
    return dari + timedelta(days=rng.randint(0, (sampai - dari).days))


def _kuartal(q: int) -> tuple[date, date]:
    """The first and last day of quarter q (0-based) of TAHUN."""
    akhir = date(TAHUN + 1, 1, 1) if q == 3 else date(TAHUN, 3 * q + 4, 1)
    return date(TAHUN, 3 * q + 1, 1), akhir - timedelta(days=1)


def belanja_skpd(out: Bulk, rng: random.Random, kode_skpd: str, dpa_lines: list[tuple], n_sp2d: int,
                 p: Petugas) -> None:
    """Four authorised quarterly SPD over the SKPD's DPA lines (each line: its cash plan of the quarter), and
    ``n_sp2d`` SP2D LS disbursed in their quarter, each with its verified SPP and accepted SPM."""
    from services.keuangan.penatausahaan import domain as d
    from services.keuangan.penomoran.domain import nomor

    orang = p.skpd[kode_skpd]
    docs = []  # (tanggal, spd_id, [(sub, rek, nilai)])
    for q in range(4):
        spd_id = str(uuid.uuid4())
        baris = [(sub, rek, _sen(sum(kas[3 * q:3 * q + 3], Decimal(0))), versi) for sub, rek, kas, versi in dpa_lines]
        baris = [b for b in baris if b[2] >= 1]
        terbit = max(date(TAHUN, 1, 2), _kuartal(q)[0] - timedelta(days=10))
        out.add("spd", id=spd_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd,
                nomor=nomor("spd", q + 1, kode_skpd, TAHUN), bulan_mulai=3 * q + 1, bulan_sampai=3 * q + 3,
                status=d.OTORISASI, dibuat_oleh=p.kuasa_bud, diotorisasi_oleh=p.bud, version=2,
                created_at=pagi(terbit))
        out.langkah("spd", spd_id, terbit, (d.DIBUAT, p.kuasa_bud), (d.DIOTORISASI, p.bud))
        for sub, rek, nilai, versi in baris:
            out.add("spd_baris", spd_id=spd_id, kode_sub_kegiatan=sub, kode_rekening=rek, nilai=nilai, versi_dpa=versi)
        # the quarter's SP2D: 1 or 2 lines each, the SPD's lines in a shuffled turn; a line gives at most half
        # its SPD amount, shared among the SP2D that draw on it
        count = n_sp2d // 4 + (1 if q < n_sp2d % 4 else 0)
        widths = [1 + k % 2 for k in range(count)]
        order = list(range(len(baris)))
        rng.shuffle(order)
        seq = [order[i % len(order)] for i in range(sum(widths))]
        draws = collections.Counter(seq)
        dari, sampai = _kuartal(q)
        at = 0
        for w in widths:
            picked = list(dict.fromkeys(seq[at:at + w]))  # distinct lines within one SPP
            at += w
            amounts = [(baris[i][0], baris[i][1], _sen(baris[i][2] / 2 / draws[i] * rng.randint(60, 100) / 100))
                       for i in picked]
            docs.append((_hari(rng, dari, sampai), spd_id, [a for a in amounts if a[2] > 0]))
    docs.sort(key=lambda doc: doc[0])
    realisasi: dict[tuple[str, str], list] = {}
    k = 0
    for tanggal, spd_id, amounts in docs:
        if not amounts:
            continue
        k += 1
        nilai = sum((a[2] for a in amounts), Decimal(0))
        spp_id, spm_id = str(uuid.uuid4()), str(uuid.uuid4())
        barang = k % 3 != 0  # two in three for goods and services (with contract and handover), one for salaries
        awal = date(TAHUN, 1, 1)
        kontrak = ({"nomor": f"{k:05d}/KONTRAK/{kode_skpd}/{TAHUN}", "nilai": str(nilai),
                    "tanggal": max(awal, tanggal - timedelta(days=20)).isoformat()} if barang else None)
        bast = ({"nomor": f"{k:05d}/BAST/{kode_skpd}/{TAHUN}",
                 "tanggal": max(awal, tanggal - timedelta(days=5)).isoformat()} if barang else None)
        out.add("spp", id=spp_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd,
                nomor=nomor("spp", k, kode_skpd, TAHUN, d.LS), jenis=d.LS, jenis_ls=d.BARANG_JASA if barang else d.GAJI,
                spd_id=spd_id, pengesahan_id=None, nilai=nilai, status=d.DIVERIFIKASI, alasan_tolak=None,
                kontrak=kontrak, bast=bast, dibuat_oleh=orang["bendahara_pengeluaran"],
                diverifikasi_oleh=orang["ppk_skpd"], dikembalikan=Decimal(0), version=3, created_at=pagi(tanggal))
        out.langkah("spp", spp_id, tanggal, (d.DIBUAT, orang["bendahara_pengeluaran"]),
                    (d.DIAJUKAN_OLEH, orang["bendahara_pengeluaran"]), (d.DIVERIFIKASI_OLEH, orang["ppk_skpd"]))
        for sub, rek, v in amounts:
            out.add("spp_baris", spp_id=spp_id, kode_sub_kegiatan=sub, kode_rekening=rek, nilai=v)
            r = realisasi.setdefault((sub, rek), [Decimal(0), 0])
            r[0] += v
            r[1] += 1
        out.add("spm", id=spm_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd,
                nomor=nomor("spm", k, kode_skpd, TAHUN, d.LS), spp_id=spp_id, jenis=d.LS, nilai=nilai,
                status=d.DITERIMA, dibuat_oleh=orang["ppk_skpd"], ditandatangani_oleh=orang["pa_kpa"],
                diputus_oleh=p.bud, alasan_tolak=None, version=3, created_at=pagi(tanggal))
        out.langkah("spm", spm_id, tanggal, (d.DIBUAT, orang["ppk_skpd"]), (d.DITANDATANGANI, orang["pa_kpa"]),
                    (d.DIPUTUS, p.bud))
        sp2d_id = str(uuid.uuid4())
        out.add("sp2d", id=sp2d_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd,
                nomor=nomor("sp2d", k, kode_skpd, TAHUN, d.LS), spm_id=spm_id, jenis=d.LS, nilai=nilai,
                status=d.CAIR, dibuat_oleh=p.kuasa_bud, diterbitkan_oleh=p.bud, dicairkan_oleh=p.bud,
                tanggal_cair=tanggal, version=3, created_at=pagi(tanggal))
        out.langkah("sp2d", sp2d_id, tanggal, (d.DIBUAT, p.kuasa_bud), (d.DITERBITKAN, p.bud), (d.DICAIRKAN, p.bud))
    for (sub, rek), (jumlah, version) in sorted(realisasi.items()):
        out.add("realisasi_belanja", kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd, kode_sub_kegiatan=sub,
                kode_rekening=rek, jumlah=jumlah, version=version)
    for jenis, terakhir in (("spd", 4), ("spp", k), ("spm", k), ("sp2d", k)):
        out.add("penomoran", kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd, jenis=jenis, terakhir=terakhir)


def pendapatan_skpd(out: Bulk, rng: random.Random, kode_skpd: str, rekening: list[tuple[str, str]], n_sts: int,
                    p: Petugas) -> None:
    """``n_sts`` validated deposits of the SKPD, each of 1 or 2 receipts on its revenue accounts dated before it."""
    from services.keuangan.penerimaan import domain as d
    from services.keuangan.penomoran.domain import nomor

    bendahara = p.skpd[kode_skpd]["bendahara_penerimaan"]
    awal, akhir = date(TAHUN, 1, 1), date(TAHUN, 12, 31)
    setoran = []
    for k in range(n_sts):
        tbps = [(_hari(rng, awal, akhir), *rng.choice(rekening), Decimal(rng.randint(5_000_000, 5_000_000_000)) / 100)
                for _ in range(1 + k % 2)]
        setoran.append((min(akhir, max(t[0] for t in tbps) + timedelta(days=rng.randint(0, 2))), tbps))
    setoran.sort(key=lambda s: s[0])
    receipts, realisasi = [], {}
    for k, (tanggal, tbps) in enumerate(setoran, 1):
        sts_id = str(uuid.uuid4())
        ids = [str(uuid.uuid4()) for _ in tbps]
        receipts += [(t, tbp_id, sts_id) for t, tbp_id in zip(tbps, ids)]
        out.add("sts", id=sts_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd,
                nomor=nomor("sts", k, kode_skpd, TAHUN), tanggal=tanggal, tbp_ids=ids,
                nilai=sum((t[3] for t in tbps), Decimal(0)), status=d.DIVALIDASI, dibuat_oleh=bendahara,
                divalidasi_oleh=p.bud, version=2, created_at=pagi(tanggal))
        # the validation adds to each account's realisation once per deposit (``validasi_sts``)
        for rek in {t[1] for t in tbps}:
            r = realisasi.setdefault(rek, [Decimal(0), 0])
            r[0] += sum((t[3] for t in tbps if t[1] == rek), Decimal(0))
            r[1] += 1
    receipts.sort(key=lambda r: r[0][0])  # receipts numbered by their date
    for k, ((tanggal, rek, nama, nilai), tbp_id, sts_id) in enumerate(receipts, 1):
        out.add("tbp", id=tbp_id, kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd,
                nomor=nomor("tbp", k, kode_skpd, TAHUN), kode_rekening=rek, nama_rekening=nama, tanggal=tanggal,
                uraian=f"Penerimaan {nama}", penyetor=f"Wajib bayar {rng.randint(1, 99_999):05d}", nilai=nilai,
                sts_id=sts_id, dibuat_oleh=bendahara, created_at=pagi(tanggal))
    for rek, (jumlah, version) in sorted(realisasi.items()):
        out.add("realisasi_pendapatan", kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd, kode_rekening=rek,
                jumlah=jumlah, version=version)
    for jenis, terakhir in (("tbp", len(receipts)), ("sts", len(setoran))):
        out.add("penomoran", kode_pemda=KODE_PEMDA, tahun=TAHUN, kode_skpd=kode_skpd, jenis=jenis, terakhir=terakhir)


def _spread(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def bulk_rows(rng: random.Random, dpa_lines: dict[str, list[tuple]], revenue: dict[str, list[tuple[str, str]]],
              n_sp2d: int, n_sts: int, p: Petugas) -> Bulk:
    out = Bulk()
    skpd = sorted(dpa_lines)
    for kode, n in zip(skpd, _spread(n_sp2d, len(skpd))):
        belanja_skpd(out, rng, kode, dpa_lines[kode], n, p)
    for kode, n in zip(sorted(revenue), _spread(n_sts, len(revenue))):
        pendapatan_skpd(out, rng, kode, revenue[kode], n, p)
    return out


def copy_bulk(engine, bulk: Bulk) -> dict[str, int]:
    """Every row in one transaction, one COPY per table; the columns are the repositories' ``Table``s' (a document's
    ``created_at`` its day: the date it prints)."""
    from psycopg.types.json import Jsonb

    from services.keuangan.penatausahaan import repository as pu
    from services.keuangan.penerimaan import repository as pn
    from services.keuangan.penomoran.repository import penomoran

    tables = [pu.spd, pu.spd_baris, pu.spp, pu.spp_baris, pu.spm, pu.sp2d, pu.langkah_dokumen, pu.realisasi_belanja,
              pn.sts, pn.tbp, pn.realisasi_pendapatan, penomoran]
    done = {}
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor:
            for table in tables:
                rows = bulk.rows.get(table.name, [])
                done[table.name] = len(rows)
                if not rows:
                    continue
                columns = [c.name for c in table.columns if c.name in rows[0]]
                jsonb = {c for c in columns if c in ("kontrak", "bast")}
                with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([Jsonb(row[c]) if c in jsonb and row[c] is not None else row[c]
                                        for c in columns])
        conn.exec_driver_sql("ANALYZE " + ", ".join(t.name for t in tables))
    return done


PERIKSA = {
    # the realisation tables are the sums of the documents that made them
    "realisasi belanja = Σ lines of disbursed SP2D": """
        SELECT (SELECT coalesce(sum(jumlah), 0) FROM realisasi_belanja WHERE kode_pemda = :p AND tahun = :t)
             = (SELECT coalesce(sum(b.nilai), 0) FROM sp2d s JOIN spm m ON m.id = s.spm_id
                JOIN spp_baris b ON b.spp_id = m.spp_id
                WHERE s.kode_pemda = :p AND s.tahun = :t AND s.status = 'cair')""",
    "realisasi pendapatan = Σ receipts of validated STS": """
        SELECT (SELECT coalesce(sum(jumlah), 0) FROM realisasi_pendapatan WHERE kode_pemda = :p AND tahun = :t)
             = (SELECT coalesce(sum(b.nilai), 0) FROM sts s JOIN tbp b ON b.sts_id = s.id
                WHERE s.kode_pemda = :p AND s.tahun = :t AND s.status = 'divalidasi')""",
    # every counter at the number of its documents (numbers are unique by constraint)
    "counters = documents per SKPD and type": """
        SELECT bool_and(n.terakhir = coalesce(d.jumlah, 0)) FROM penomoran n LEFT JOIN (
            SELECT kode_skpd, 'spd' AS jenis, count(*) AS jumlah FROM spd
            WHERE kode_pemda = :p AND tahun = :t GROUP BY 1
            UNION ALL SELECT kode_skpd, 'spp', count(*) FROM spp WHERE kode_pemda = :p AND tahun = :t GROUP BY 1
            UNION ALL SELECT kode_skpd, 'spm', count(*) FROM spm WHERE kode_pemda = :p AND tahun = :t GROUP BY 1
            UNION ALL SELECT kode_skpd, 'sp2d', count(*) FROM sp2d WHERE kode_pemda = :p AND tahun = :t GROUP BY 1
            UNION ALL SELECT kode_skpd, 'tbp', count(*) FROM tbp WHERE kode_pemda = :p AND tahun = :t GROUP BY 1
            UNION ALL SELECT kode_skpd, 'sts', count(*) FROM sts WHERE kode_pemda = :p AND tahun = :t GROUP BY 1
        ) d USING (kode_skpd, jenis) WHERE n.kode_pemda = :p AND n.tahun = :t""",
    # Σ SPP lines drawn on an SPD line ≤ that line
    "SPP within their SPD lines": """
        SELECT NOT EXISTS (SELECT 1 FROM spp s JOIN spp_baris b ON b.spp_id = s.id
            JOIN spd_baris l ON l.spd_id = s.spd_id AND (l.kode_sub_kegiatan, l.kode_rekening)
                                                      = (b.kode_sub_kegiatan, b.kode_rekening)
            WHERE s.kode_pemda = :p AND s.tahun = :t GROUP BY s.spd_id, l.kode_sub_kegiatan, l.kode_rekening, l.nilai
            HAVING sum(b.nilai) > l.nilai)""",
    # the realisation of a line never above its authorised DPA line
    "realisation within the DPA": """
        SELECT NOT EXISTS (SELECT 1 FROM realisasi_belanja r JOIN dpa d ON (d.kode_pemda, d.tahun, d.kode_skpd)
                = (r.kode_pemda, r.tahun, r.kode_skpd) AND d.status = 'disahkan'
            JOIN dpa_baris b ON b.dpa_id = d.id AND (b.kode_sub_kegiatan, b.kode_rekening)
                                                  = (r.kode_sub_kegiatan, r.kode_rekening)
            WHERE r.kode_pemda = :p AND r.tahun = :t AND r.jumlah > b.jumlah)""",
}


def periksa_bulk(engine) -> dict[str, bool]:
    from sqlalchemy import text
    with engine.connect() as conn:
        return {name: bool(conn.execute(text(sql), {"p": KODE_PEMDA, "t": TAHUN}).scalar())
                for name, sql in PERIKSA.items()}


# == through the gateway ========================================================================================
class Api:
    """One user's keep-alive connections to the gateway."""

    def __init__(self, host: str, port: int, token_headers: dict):
        self.pool = Pool(host, port, token_headers)

    async def call(self, method: str, path: str, body: dict | None = None, ok=(200, 201)):
        status, payload = await self.pool.request(method, path, orjson.dumps(body) if body is not None else None)
        if status not in ok:
            raise RuntimeError(f"{method} {path}: {status} {payload[:300]!r}")
        return orjson.loads(payload) if payload else None


def pu(what: str) -> str:
    return f"/api/v1/pemda/{KODE_PEMDA}/penatausahaan/{TAHUN}/{what}"


def lra_url(kode_skpd: str | None = None, periode: str = "tahun") -> str:
    skpd = f"&kode_skpd={kode_skpd}" if kode_skpd else ""
    return f"/api/v1/pemda/{KODE_PEMDA}/lra/{TAHUN}?tingkat=6&periode={periode}{skpd}"


class Orang:
    """The officers: made once by the administrator, logged in again before each phase (a token lives 15 minutes)."""

    def __init__(self, base_url: str, admin: dict):
        self.base_url, self.admin = base_url, admin
        host, port = base_url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.ids: dict[tuple[str, str | None], str] = {}
        self.names: dict[tuple[str, str | None], str] = {}
        self.api: dict[tuple[str, str | None], Api] = {}
        self.logged_in = -1e9

    async def make(self, skpd: list[str]) -> Petugas:
        admin = Api(self.host, self.port, self.admin)
        wanted = [("bud", None), ("kuasa_bud", None)] + [(r, s) for s in skpd for r in PETUGAS_SKPD]
        self.names = {key: f"{key[0].replace('_', '-')}.{i:03d}" for i, key in enumerate(wanted, 1)}
        gate = asyncio.Semaphore(4)

        async def one(key: tuple[str, str | None]) -> None:
            async with gate:
                made = await admin.call("POST", "/api/v1/users", {
                    "username": self.names[key], "password": PASSWORD, "role": key[0], "kode_pemda": KODE_PEMDA,
                    "kode_skpd": key[1]})
            self.ids[key] = made["id"]
        await asyncio.gather(*(one(key) for key in wanted))
        admin.pool.close()
        return Petugas(self.ids[("bud", None)], self.ids[("kuasa_bud", None)],
                       {s: {r: self.ids[(r, s)] for r in PETUGAS_SKPD} for s in skpd})

    async def login(self) -> None:
        """Fresh tokens when the held ones are older than ten minutes (a token lives fifteen)."""
        if time.monotonic() - self.logged_in < 600:
            return
        self.logged_in = time.monotonic()
        for api in self.api.values():
            api.pool.close()

        async def one(key):
            headers = await asyncio.to_thread(Login(self.base_url, self.names[key], PASSWORD).headers)
            self.api[key] = Api(self.host, self.port, headers)
        await asyncio.gather(*(one(k) for k in self.names))

    def __call__(self, role: str, kode_skpd: str | None = None) -> Api:
        return self.api[(role, kode_skpd)]

    def token(self, role: str = "bud") -> str:
        return self.api[(role, None)].pool.headers["Authorization"].removeprefix("Bearer ")


async def wait_replica(engine, timeout: float = 300) -> None:
    """Until keuangan's replicas of referensi's lists are filled (the LRA's account names, the receipts' checks)."""
    from sqlalchemy import text
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            ready = conn.execute(text("SELECT count(*) FILTER (WHERE siap), count(*) FROM replika_posisi")).one()
        if ready[1] and ready[0] == ready[1]:
            return
        await asyncio.sleep(1)
    raise TimeoutError("keuangan's replicas not filled")


def accounts(engine) -> tuple[list[str], dict[str, list[tuple[str, str]]], dict[str, str]]:
    """Current sub rincian objek from keuangan's replica: the spending accounts of bench.apbd that are current, the
    revenue accounts of each SKPD (retribusi in turn; the Bapenda taxes; the BPKAD transfers and financing), names."""
    from sqlalchemy import text
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT kode, nama FROM replika_rekening WHERE berlaku "
                                 "AND tingkat = 'sub_rincian_objek' AND left(kode, 1) IN ('4', '5', '6') "
                                 "ORDER BY kode")).all()
    nama = dict(rows)
    belanja = [a for a in ACCOUNTS if a in nama]
    retribusi = [k for k in nama if k.startswith("4.1.02.")]
    pajak = [k for k in nama if k.startswith("4.1.01.")][:12]
    transfer = [k for k in nama if k.startswith("4.2.01.")][:6]
    pembiayaan = [k for k in ("6.1.01.01.01.0001", "6.2.02.01.01.0001") if k in nama]
    revenue = {}
    for i, (kode, _) in enumerate(skpd_pemda()):
        revenue[kode] = (pajak if kode == BAPENDA else transfer if kode == BPKAD
                         else [retribusi[(3 * i + s) % len(retribusi)] for s in range(3)])
    return (belanja, {k: [(r, nama[r]) for r in v] for k, v in revenue.items()},
            {**revenue, BPKAD: transfer + pembiayaan})


def dpa_lines(engine) -> dict[str, list[tuple]]:
    """(sub kegiatan, account, cash plan, DPA version) of every authorised DPA line, per SKPD."""
    from sqlalchemy import text
    out = collections.defaultdict(list)
    with engine.connect() as conn:
        for row in conn.execute(text(
                "SELECT d.kode_skpd, b.kode_sub_kegiatan, b.kode_rekening, b.kas, d.versi FROM dpa d "
                "JOIN dpa_baris b ON b.dpa_id = d.id "
                "WHERE d.kode_pemda = :p AND d.tahun = :t AND d.status = 'disahkan' ORDER BY 1, 2, 3"),
                {"p": KODE_PEMDA, "t": TAHUN}):
            out[row[0]].append((row[1], row[2], list(row[3]), row[4]))
    return out


# == (a) the LRA ================================================================================================
def _realisasi(lra: dict, kode_rekening: str) -> Decimal:
    for row in lra["belanja"]["baris"]:
        if row["kode_rekening"] == kode_rekening:
            return Decimal(row["realisasi"])
    return Decimal(0)


async def measure_lra(orang: Orang, amqp_uri: str, repeat: int, skpd: str) -> dict:
    """The pemda's LRA by the gateway and by RPC, one SKPD's by the gateway, and the yardstick RPC, interleaved."""
    from gateway.rpc import RpcClient, auth_token_var

    client = RpcClient(amqp_uri, timeout=120)
    await client.start()
    auth_token_var.set(orang.token())
    bud = orang("bud")
    times: dict[str, list[float]] = collections.defaultdict(list)
    sizes: dict[str, int] = {}
    calls = {
        "yardstick_rpc_get_rekening": lambda: client.call("referensi", "get_rekening", ACCOUNTS[0]),
        "lra_pemda_gateway": lambda: bud.pool.request("GET", lra_url()),
        "lra_pemda_rpc": lambda: client.call("keuangan", "get_lra", KODE_PEMDA, TAHUN, periode="tahun", tingkat=6,
                                             timeout=120),
        "lra_skpd_gateway": lambda: bud.pool.request("GET", lra_url(skpd)),
        # a month's: January to November, summed from the documents by their date
        "lra_pemda_bulan11_gateway": lambda: bud.pool.request("GET", lra_url(periode="bulan-11")),
    }
    try:
        for name, call in calls.items():  # once each, not counted: connections and first-use costs
            await call()
        for _ in range(repeat):
            for name, call in calls.items():
                t0 = time.perf_counter()
                got = await call()
                times[name].append(time.perf_counter() - t0)
                if isinstance(got, tuple):
                    status, body = got
                    if status != 200:
                        raise RuntimeError(f"{name}: {status} {body[:300]!r}")
                    sizes[name] = len(body)
        status, body = await bud.pool.request("GET", lra_url())
        lra = orjson.loads(body)
    finally:
        await client.close()
    out = {k: {"median_s": round(statistics.median(v), 4), "max_s": round(max(v), 4), "min_s": round(min(v), 4),
               "n": len(v)} for k, v in times.items()}
    out["bytes"] = sizes
    out["rows_belanja"] = len(lra["belanja"]["baris"])
    out["rows_pendapatan"] = len(lra["pendapatan"]["baris"])
    out["realisasi_belanja"] = lra["belanja"]["jumlah"]["realisasi"]
    out["realisasi_pendapatan"] = lra["pendapatan"]["jumlah"]["realisasi"]
    yard = out["yardstick_rpc_get_rekening"]["median_s"]
    out["ratio_to_yardstick"] = {k: round(out[k]["median_s"] / yard, 1) for k in calls
                                 if k != "yardstick_rpc_get_rekening"}
    return out


async def measure_dokumen(orang: Orang) -> dict:
    out = {}
    for fmt in ("xlsx", "pdf"):
        t0 = time.perf_counter()
        status, body = await orang("bud").pool.request("GET", f"/api/v1/pemda/{KODE_PEMDA}/lra/{TAHUN}/dokumen/{fmt}")
        if status != 200:
            raise RuntimeError(f"LRA {fmt}: {status} {body[:300]!r}")
        out[fmt] = {"s": round(time.perf_counter() - t0, 3), "bytes": len(body)}
    return out


# == (b) request to realisation in the LRA ========================================================================
@dataclass
class Dokumen:
    kode_skpd: str
    spd_id: str
    kode_sub_kegiatan: str
    kode_rekening: str
    nilai: Decimal
    scheduled: float = 0.0
    sp2d_id: str = ""
    prepared: float = 0.0  # seconds its chain up to "issued" took
    sent: float = 0.0
    acked: float = 0.0
    observed: bool = True  # the LRA polled after its disbursement (``--observe``)
    visible: float | None = None
    polls: int = 0
    error: str | None = None


def sample(engine, n: int, skpd: list[str], rng: random.Random) -> list[Dokumen]:
    """``n`` documents on 4th-quarter SPD lines with room; documents take their (SKPD, account) keys in turn, over at
    least 200 keys, so no two documents in flight share the account the LRA poll reads."""
    from sqlalchemy import text
    with engine.connect() as conn:
        rows = conn.execute(text("""
            WITH dipakai AS (SELECT p.spd_id, b.kode_sub_kegiatan, b.kode_rekening, sum(b.nilai) AS nilai
                             FROM spp p JOIN spp_baris b ON b.spp_id = p.id
                             WHERE p.kode_pemda = :p AND p.tahun = :t GROUP BY 1, 2, 3)
            SELECT s.kode_skpd, s.id, l.kode_sub_kegiatan, l.kode_rekening, l.nilai - coalesce(d.nilai, 0) AS sisa
            FROM spd s JOIN spd_baris l ON l.spd_id = s.id
            LEFT JOIN dipakai d ON (d.spd_id, d.kode_sub_kegiatan, d.kode_rekening)
                                 = (l.spd_id, l.kode_sub_kegiatan, l.kode_rekening)
            WHERE s.kode_pemda = :p AND s.tahun = :t AND s.bulan_sampai = 12 AND s.kode_skpd = ANY(:skpd)"""),
                            {"p": KODE_PEMDA, "t": TAHUN, "skpd": skpd}).all()
    best: dict[tuple[str, str], tuple] = {}
    for r in rows:  # per (SKPD, account): the line with the most room
        if (r.kode_skpd, r.kode_rekening) not in best or r.sisa > best[(r.kode_skpd, r.kode_rekening)].sisa:
            best[(r.kode_skpd, r.kode_rekening)] = r
    keys = sorted(best, key=lambda k: -best[k].sisa)[:max(200, min(len(best), n // 4))]
    rng.shuffle(keys)
    if len(keys) < 200:
        raise RuntimeError(f"only {len(keys)} (SKPD, account) keys with room: use more SKPD or lines")
    uses = collections.Counter(keys[i % len(keys)] for i in range(n))
    out = []
    for i in range(n):
        r = best[keys[i % len(keys)]]
        each = min(_sen(r.sisa / uses[(r.kode_skpd, r.kode_rekening)] / 2), Decimal("2500000.00"))
        if each < 1:
            raise RuntimeError(f"no room on {r.kode_skpd} {r.kode_rekening}")
        out.append(Dokumen(r.kode_skpd, r.id, r.kode_sub_kegiatan, r.kode_rekening, each - Decimal(i % 97) / 100))
    return out


async def siapkan(orang: Orang, doc: Dokumen) -> None:
    """SPP → submitted → verified → SPM → signed → accepted → SP2D → issued, each step by its officer."""
    t0 = time.perf_counter()
    s = doc.kode_skpd
    bendahara, ppk, pa = orang("bendahara_pengeluaran", s), orang("ppk_skpd", s), orang("pa_kpa", s)
    spp = await bendahara.call("POST", pu("spp"), {
        "kode_skpd": s, "jenis": "LS", "jenis_ls": "gaji", "spd_id": doc.spd_id,
        "baris": [{"kode_sub_kegiatan": doc.kode_sub_kegiatan, "kode_rekening": doc.kode_rekening,
                   "nilai": str(doc.nilai)}]})
    await bendahara.call("POST", pu(f"spp/{spp['id']}/ajukan"))
    await ppk.call("POST", pu(f"spp/{spp['id']}/verifikasi"), {"setuju": True})
    spm = await ppk.call("POST", pu("spm"), {"spp_id": spp["id"]})
    await pa.call("POST", pu(f"spm/{spm['id']}/tandatangan"))
    await orang("bud").call("POST", pu(f"spm/{spm['id']}/keputusan"), {"setuju": True})
    sp2d = await orang("kuasa_bud").call("POST", pu("sp2d"), {"spm_id": spm["id"], "nilai": spm["nilai"]})
    await orang("bud").call("POST", pu(f"sp2d/{sp2d['id']}/terbit"))
    doc.sp2d_id = sp2d["id"]
    doc.prepared = time.perf_counter() - t0


class Realisasi:
    """What the LRA must show per (SKPD, account): the baseline plus every disbursement acknowledged so far."""

    def __init__(self, baseline: dict[tuple[str, str], Decimal]):
        self.value = dict(baseline)

    def acked(self, doc: Dokumen) -> Decimal:
        key = (doc.kode_skpd, doc.kode_rekening)
        self.value[key] = self.value.get(key, Decimal(0)) + doc.nilai
        return self.value[key]


async def cairkan(orang: Orang, doc: Dokumen, expect: Realisasi, poll_s: float, timeout: float,
                  tanggal: str) -> None:
    """The disbursement, then the SKPD's LRA until the account's realisation includes it (values only grow: once the
    disbursement is acknowledged, realisation ≥ baseline + every acknowledged one on the key means it is shown)."""
    bud = orang("bud")
    doc.sent = time.perf_counter()
    try:
        await bud.call("POST", pu(f"sp2d/{doc.sp2d_id}/cair"), {"tanggal": tanggal})
    except Exception as exc:
        doc.error = f"{type(exc).__name__}: {exc}"
        return
    doc.acked = time.perf_counter()
    target = expect.acked(doc)
    if not doc.observed:
        return
    deadline = doc.acked + timeout
    while time.perf_counter() < deadline:
        doc.polls += 1
        status, body = await bud.pool.request("GET", lra_url(doc.kode_skpd))
        if status == 200 and _realisasi(orjson.loads(body), doc.kode_rekening) >= target:
            doc.visible = time.perf_counter()
            return
        await asyncio.sleep(poll_s)


async def flow(orang: Orang, docs: list[Dokumen], args, meter: CpuMeter, stack: Stack) -> dict:
    """Prepare (unless --pipeline), then disbursements open loop at ``--rate``: document k at start + k / rate."""
    skpd = sorted({d.kode_skpd for d in docs})
    baseline = {}
    for s in skpd:
        lra = await orang("bud").call("GET", lra_url(s))
        for d in docs:
            if d.kode_skpd == s:
                baseline[(s, d.kode_rekening)] = _realisasi(lra, d.kode_rekening)
    expect = Realisasi(baseline)
    out: dict = {"documents": len(docs), "mode": "pipeline" if args.pipeline else "prepared"}
    gate = asyncio.Semaphore(args.prepare_concurrency)
    if not args.pipeline:
        await orang.login()
        t0 = time.perf_counter()
        meter.snapshot()

        async def prepared(doc):
            async with gate:
                await siapkan(orang, doc)
        await asyncio.gather(*(prepared(d) for d in docs))
        took = time.perf_counter() - t0
        out["prepare"] = {"s": round(took, 1), "documents_per_s": round(len(docs) / took, 1),
                          "requests_per_s": round(8 * len(docs) / took, 1), "cpu": meter.usage()}
        step(f"prepared {len(docs)} documents up to 'issued' in {took:.0f} s ({len(docs) / took:.1f}/s)")
    await orang.login()  # tokens that outlive the measured window

    tanggal = f"{TAHUN}-12-15"

    async def one(doc: Dokumen) -> None:
        if args.pipeline:
            try:
                await siapkan(orang, doc)
            except Exception as exc:
                doc.error = f"prepare: {type(exc).__name__}: {exc}"
                return
        await cairkan(orang, doc, expect, args.poll_ms / 1000, 30.0, tanggal)

    load0 = os.getloadavg()
    recorders = None
    if args.profile:  # py-spy on keuangan and the gateway for the measured window
        recorders = profile.start([p for p in stack.procs if p.name in ("keuangan-1", "gateway")],
                                  args.warmup + args.duration, RESULTS)
    meter.snapshot()
    start = time.perf_counter() + 0.5
    tasks = []
    every = max(1, round(1 / args.observe))
    for k, doc in enumerate(docs):
        doc.observed = k % every == 0
        doc.scheduled = start + k / args.rate
        delay = doc.scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(doc)))
    await asyncio.gather(*tasks)
    out["cpu"] = meter.usage()
    done = sum(1 for d in docs if d.acked)
    # CPU each disbursement cost (with its share of the LRA polls): what a rate needs, whatever the machine's load
    out["cpu_ms_per_disbursement"] = {k: round(v * out["cpu"]["elapsed_s"] * 1000 / done, 1)
                                      for k, v in out["cpu"]["cores"].items()
                                      if k.startswith(("keuangan", "gateway", "postgres backends"))} if done else {}
    if recorders is not None:
        out["profile"] = await asyncio.to_thread(profile.finish, recorders)
    out["loadavg_before"] = [round(x, 2) for x in load0]
    out["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    measured = [d for d in docs if d.scheduled - start >= args.warmup]
    ok = [d for d in measured if d.error is None and d.visible is not None]
    out.update({
        "rate_per_s": args.rate, "warmup_s": args.warmup, "measured": len(measured),
        "observed": sum(1 for d in measured if d.observed),
        "errors": sum(1 for d in measured if d.error), "error_samples": [d.error for d in measured if d.error][:5],
        "timeouts": sum(1 for d in measured if d.observed and d.error is None and d.visible is None),
        "cair_sampai_lra": ringkas([d.visible - d.sent for d in ok]),
        "cair": ringkas([d.acked - d.sent for d in measured if d.error is None and d.acked]),
        "lra_sesudah_cair": ringkas([d.visible - d.acked for d in ok]),
        # p50 per 5 s of schedule: does a backlog build up?
        "p50_per_5s_ms": [ringkas([d.visible - d.sent for d in ok if int((d.scheduled - start) // 5) == w])["p50_ms"]
                          for w in range(int((docs[-1].scheduled - start) // 5) + 1)] if docs else [],
        "send_lag": ringkas([max(0.0, d.sent - d.scheduled) for d in measured if d.sent]),
        "polls_per_document": round(sum(d.polls for d in ok) / len(ok), 2) if ok else None,
        "chain_to_issued": ringkas([d.prepared for d in docs if d.prepared]),
    })
    return out


# == memory ======================================================================================================
def memory(stack: Stack) -> dict[str, dict]:
    """Peak (VmHWM) and current RSS of every process of each component, MB."""
    out = {}
    for proc in stack.procs:
        for pid in sorted(_session_pids(proc.popen.pid)):
            label = proc.name if pid == proc.popen.pid else f"{proc.name}/{pid}"
            peak, now = _rss_mb(pid, "VmHWM"), _rss_mb(pid)
            out[label] = {"peak_rss_mb": peak and round(peak, 1), "rss_mb": now and round(now, 1)}
    return out


# == main ========================================================================================================
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sp2d", type=int, default=50_000, help="SP2D of the year, loaded in bulk (default 50,000)")
    parser.add_argument("--sts", type=int, default=20_000, help="STS of the year, loaded in bulk (default 20,000)")
    parser.add_argument("--sub-per-skpd", type=int, default=143, help="sub kegiatan per SKPD (default 143)")
    parser.add_argument("--lines-per-sub", type=int, default=15,
                        help="budget lines per sub kegiatan (default 15: 14 SKPD × 143 × 15 = 30,030 lines)")
    parser.add_argument("--repeat", type=int, default=10, help="LRA reads of each kind (default 10)")
    parser.add_argument("--rate", type=float, default=20.0, help="disbursements per second (default 20)")
    parser.add_argument("--duration", type=float, default=45.0, help="seconds of disbursements measured (default 45)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of disbursements before (default 5)")
    parser.add_argument("--observe", type=float, default=0.1,
                        help="share of the disbursements followed by LRA polls (default 0.1: one in ten, 2 a second at "
                             "20/s; 1: every one)")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="pause between two LRA polls of a document")
    parser.add_argument("--pipeline", action="store_true",
                        help="drive each document's whole chain inside the measured window (default: prepared first)")
    parser.add_argument("--prepare-concurrency", type=int, default=8, help="documents prepared at once (default 8)")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy on keuangan and the gateway during the measured window (bench/results/"
                             "profile-*.txt, summary in the JSON); not for figures")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from sipd_common.db import make_engine

    rng = random.Random(args.seed)
    report: dict = {"date": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
                    "command": "python -m bench.penatausahaan " + " ".join(argv if argv is not None else sys.argv[1:]),
                    "commit": git_commit(), "machine": machine(), "config": vars(args), "results": {}}
    res = report["results"]
    step(f"preparing database {os.environ['SIPD_DB_NAME']} and vhost {VHOST}")
    settings = fresh_database()
    broker.recreate_vhost(VHOST)
    amqp_uri = broker.amqp_uri_for(VHOST)
    env = base_env(SIPD_DB_NAME=settings.db_name, SIPD_AMQP_URI=amqp_uri, SIPD_LOG_LEVEL="WARNING")
    env.pop("SIPD_OUTBOX_AMQP_URI", None)
    password = create_admin(env)
    stack = Stack(env=env, log_dir=RESULTS / "logs-penatausahaan", gateway_port=free_port())
    engine = make_engine("keuangan", pool_size=2)
    skpd = [k for k, _ in skpd_pemda()]
    try:
        for service in SERVICE_TARGETS:
            stack.start_service(service)
        stack.start_gateway()
        stack.wait_healthy(120)
        meter = CpuMeter({p.name: p.popen.pid for p in stack.procs}, database=settings.db_name)
        orang = Orang(stack.base_url, Login(stack.base_url, ADMIN_USERNAME, password).headers())

        async def run() -> None:
            step("officers; keuangan's replicas")
            petugas = await orang.make(skpd)
            await wait_replica(engine)
            belanja, revenue, pendapatan = accounts(engine)

            step("the budget: ceilings and lines stored, the APBD enacted, every DPA generated and authorised")
            t0 = time.perf_counter()
            ceilings, lines = _rows(0, args.sub_per_skpd, args.lines_per_sub, skpd_pemda(), belanja)
            target_rows = targets(pendapatan)
            res["budget"] = {"sub_kegiatan": len(ceilings), "lines": len(lines), "skpd": len(skpd),
                             "dpa_baris": enact_and_execute(engine, ceilings, lines, target_rows),
                             "s": round(time.perf_counter() - t0, 1)}
            await orang.login()

            step("(a) reference: the LRA with the budget and no realisation")
            res["lra_kosong"] = await measure_lra(orang, amqp_uri, args.repeat, skpd[0])

            step(f"bulk: {args.sp2d} SP2D and {args.sts} STS")
            t0 = time.perf_counter()
            bulk = bulk_rows(rng, dpa_lines(engine), revenue, args.sp2d, args.sts, petugas)
            made = time.perf_counter() - t0
            documents = (sum((r["nilai"] for r in bulk.rows["spp_baris"]), Decimal(0)),
                         sum((r["nilai"] for r in bulk.rows["tbp"]), Decimal(0)))
            copied = copy_bulk(engine, bulk)
            res["bulk"] = {"rows": copied, "build_s": round(made, 1),
                           "copy_s": round(time.perf_counter() - t0 - made, 1), "invariants": periksa_bulk(engine)}
            step(f"bulk loaded: {copied}; invariants {res['bulk']['invariants']}")
            del bulk
            await orang.login()

            step("(a) the LRA of the year")
            res["lra"] = await measure_lra(orang, amqp_uri, args.repeat, skpd[0])
            # the LRA's totals are the documents' (issue 14), at this size too
            res["lra"]["totals_are_the_documents"] = (Decimal(res["lra"]["realisasi_belanja"]),
                                                      Decimal(res["lra"]["realisasi_pendapatan"])) == documents
            res["lra_dokumen"] = await measure_dokumen(orang)

            step(f"(b) the flow: {args.rate}/s for {args.warmup} + {args.duration} s"
                 + (" (pipeline)" if args.pipeline else ""))
            docs = sample(engine, int(args.rate * (args.warmup + args.duration)), skpd, rng)
            res["flow"] = await flow(orang, docs, args, meter, stack)
            res["lra_sesudah"] = await measure_lra(orang, amqp_uri, max(3, args.repeat // 3), skpd[0])

        try:
            asyncio.run(run())
        finally:  # what was measured is kept, whatever stopped the run
            res["memory"] = memory(stack)
            report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
            RESULTS.mkdir(parents=True, exist_ok=True)
            out = RESULTS / f"penatausahaan-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
            out.write_text(json.dumps(report, indent=2, default=str))
    finally:
        stack.stop_all()
        engine.dispose()
    report["floors"] = floors(res)
    out.write_text(json.dumps(report, indent=2, default=str))
    print_report(report)
    print(f"results: {out}")
    return 1 if args.strict and not all(f["pass"] for f in report["floors"]) else 0


def floors(res: dict) -> list[dict]:
    out = []
    for how in ("lra_pemda_gateway", "lra_pemda_rpc", "lra_pemda_bulan11_gateway"):
        got = res["lra"][how]
        out.append({"floor": f"{how}: the pemda's LRA to sub rincian objek ≤ {FLOORS['lra_pemda_s']:g} s (worst of "
                             f"{got['n']})", "measured": f"median {got['median_s']} s, worst {got['max_s']} s",
                    "pass": got["max_s"] <= FLOORS["lra_pemda_s"]})
    f = res["flow"]
    p50 = f["cair_sampai_lra"]["p50_ms"]
    out.append({"floor": f"disbursement request → the LRA shows it, p50 ≤ {FLOORS['cair_sampai_lra_p50_ms']:g} ms at "
                         f"{f['rate_per_s']:g}/s",
                "measured": f"p50 {p50} ms, p95 {f['cair_sampai_lra']['p95_ms']} ms, "
                         f"p99 {f['cair_sampai_lra']['p99_ms']} ms, {f['errors']} errors, {f['timeouts']} timeouts",
                "pass": p50 is not None and p50 <= FLOORS["cair_sampai_lra_p50_ms"] and not f["errors"]
                and not f["timeouts"]})
    keuangan = {k: v["peak_rss_mb"] for k, v in res["memory"].items() if k.startswith("keuangan")}
    out.append({"floor": f"keuangan's processes: peak RSS < {RSS_LIMIT_MB} MB each (issue 13)",
                "measured": ", ".join(f"{k} {v} MB" for k, v in keuangan.items()),
                "pass": all(v is not None and v < RSS_LIMIT_MB for v in keuangan.values())})
    return out


def print_report(report: dict) -> None:
    res = report["results"]
    print()
    print(f"spending and the LRA, {report['date']} at {report['commit']}; load at start "
          f"{report['machine']['loadavg_start']}, at the end {report['machine']['loadavg_end']}")
    if "budget" in res:
        print(f"budget: {res['budget']}")
    if "bulk" in res:
        print(f"bulk: {res['bulk']}")
    for key in ("lra_kosong", "lra", "lra_sesudah"):
        if key in res:
            print(f"{key}:")
            for k, v in res[key].items():
                if isinstance(v, dict) and "median_s" in v:
                    print(f"  {k:28} median {v['median_s'] * 1000:8.1f} ms  worst {v['max_s'] * 1000:8.1f} ms  "
                          f"(n {v['n']})")
            print(f"  ratio to the yardstick RPC: {res[key]['ratio_to_yardstick']}; rows belanja "
                  f"{res[key]['rows_belanja']}, pendapatan {res[key]['rows_pendapatan']}")
    if "lra_dokumen" in res:
        print(f"LRA printed: {res['lra_dokumen']}")
    if "flow" in res:
        f = res["flow"]
        print(f"flow ({f['mode']}): {f['measured']} measured at {f['rate_per_s']}/s ({f['observed']} observed), "
              f"{f['errors']} errors, "
              f"{f['timeouts']} timeouts; load {f['loadavg_before'][0]} → {f['loadavg_after'][0]}")
        for k in ("cair_sampai_lra", "cair", "lra_sesudah_cair", "send_lag", "chain_to_issued"):
            s = f[k]
            print(f"  {k:18} p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms  max {s['max_ms']} ms "
                  f"(n {s['n']})")
        print(f"  p50 per 5 s: {f['p50_per_5s_ms']}")
        print(f"  CPU ms per disbursement: {f['cpu_ms_per_disbursement']}")
        for name, p in f.get("profile", {}).items():
            print(f"  profile {name}: {p['samples']} samples; self {list(p['self_pct'].items())[:6]}; "
                  f"inclusive {p['inclusive_pct']}")
        print(f"  cores: {f['cpu']['cores']}")
    if "memory" in res:
        print("peak RSS (MB): " + ", ".join(f"{k} {v['peak_rss_mb']}" for k, v in res["memory"].items()))
    print()
    for f in report.get("floors", []):
        print(f"{'PASS' if f['pass'] else 'FAIL'}  {f['floor']}  [{f['measured']}]")


if __name__ == "__main__":
    sys.exit(main())
