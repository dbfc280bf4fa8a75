"""Benchmark of the RKA-SKPD import on one pemda's full-size budget: 2,000 sub kegiatan over 40 SKPD, 30,000
RKA lines imported as 40 XLSX files of 750 lines (issue 13's figure).

    python -m bench.rka [--skpd 40] [--items-per-skpd 50] [--lines-per-item 15] [--strict]

Runs keuangan's use cases in process against real PostgreSQL (its own database, ``sipd_bench_rka``, dropped,
migrated and seeded first), as a worker runs them, without the broker (the ceilings' events go to the outbox
in the same transaction, as in the service): keuangan's replica is given the account, 50 standard prices and
the funding sources; the 2,000 ceilings come through ``apply_rkpd_saved`` (the plan's event handler, with two
funding sources each); then each SKPD's file is imported with ``import_rka`` (read, validated whole, the
ceilings and funding sources checked, lines inserted, ceilings saved and published) and measured. Checked: Σ of
the ceilings' totals equals Σ of the files. The process's peak memory (ru_maxrss) is reported (floor < 300 MB).

Figures and how to read them: docs/performance.md, "RKA-SKPD import".
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import os
import re
import resource
import sys
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_BENCH_RKA_DB", "sipd_bench_rka")

import sipd_common  # noqa: E402,F401  (PSYCOPG_WAIT_FUNC before psycopg)

FLOORS = {"import_seconds": 30.0, "peak_mb": 300.0}
KODE_PEMDA, TAHUN = "32.73", 2027
HONOR = "5.1.02.02.01.0026"
HEADER = ["kode_sub_kegiatan", "kelompok", "keterangan", "kode_rekening", "kode_standar_harga", "volume_1", "satuan_1",
          "volume_2", "satuan_2", "harga_satuan", "pajak", "kode_sumber_dana"]


def _codes(n: int) -> list[str]:
    return [f"1.01.{p:02d}.2.{k:02d}.{s:04d}" for p in range(2, 12) for k in range(1, 3) for s in range(1, 6)][:n]


def _xlsx(codes: list[str], lines: int, inline_strings: bool = False) -> bytes:
    from openpyxl import Workbook

    book = Workbook()  # as Excel saves it: with the sheet's dimension (a write-only book has none, and the read-only
    sheet = book.active  # reader then scans the whole sheet once more to size it)
    sheet.append(HEADER)
    for kode in codes:
        for i in range(lines):
            sheet.append([kode, f"Kelompok {i % 3}", f"Keterangan {i % 5}", HONOR, f"9.1.{i % 50}", 2, "Orang", 12,
                          "Bulan", 100000 + 1000 * (i % 50), 11 if i % 4 == 0 else 0, "1.1" if i % 2 else "1.2"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue() if inline_strings else _shared_strings(out.getvalue())


# a text cell as openpyxl writes it: inline (Excel and LibreOffice keep each text once, in the shared strings table)
_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t(?: [^>]*)?>([^<]*)</t></is></c>')
_SHARED_STRINGS = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
                   "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings")


def _shared_strings(content: bytes) -> bytes:
    """The book with its text as Excel stores it: each distinct text once in ``xl/sharedStrings.xml``, a cell naming
    its entry. openpyxl's reader parses an inline text cell a third slower, and operators' files come from Excel."""
    table: dict[bytes, int] = {}

    def shared(m: re.Match) -> bytes:
        index = table.setdefault(m.group(3), len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2) or b"", index)

    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = _INLINE.sub(shared, data)
            elif name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/>'
                                    b"</Types>" % _SHARED_STRINGS[0].encode())
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="%s" Target="sharedStrings.'
                                    b'xml"/></Relationships>' % _SHARED_STRINGS[1].encode())
            book.writestr(name, data)
        book.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                      b' uniqueCount="%d">%s</sst>' % (len(table), b"".join(b"<si><t>%s</t></si>" % t for t in table)))
    return out.getvalue()


def read_alone(books: list[bytes]) -> float:
    """The reference a run is read against: the files read (every cell) by the import's own reader, nothing else."""
    from sipd_common import berkas

    start = time.perf_counter()
    for content in books:
        for _ in berkas.baca(content, "rka.xlsx")[1]:
            pass
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skpd", type=int, default=40)
    parser.add_argument("--items-per-skpd", type=int, default=50)
    parser.add_argument("--lines-per-item", type=int, default=15)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is not met")
    parser.add_argument("--profile", action="store_true", help="print where the import's time goes (cProfile)")
    parser.add_argument("--inline-strings", action="store_true",
                        help="the files' text inline, as openpyxl writes it (not in a shared strings table, as Excel)")
    args = parser.parse_args(argv)

    from contracts.perencanaan import RkpdSubKegiatanSaved
    from ops.testing import fresh_database_apart
    from services.keuangan.plafon.usecases import apply_rkpd_saved
    from services.keuangan.rka import usecases as rka
    from services.keuangan.uow import KeuanganUnitOfWork
    from sipd_common.access import Role, Scope
    from sipd_common.db import make_engine

    def step(what):
        print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)

    step("fresh database (migrate, seed the codification), in a process of its own (its memory is not measured)")
    fresh_database_apart()
    engine = make_engine("keuangan", pool_size=2)
    actor = Scope("bench", "bench.tapd", Role.TAPD, KODE_PEMDA)

    def uow():
        return KeuanganUnitOfWork(engine, "keuangan", {}, None, actor=actor)

    step("keuangan's replica and the 2,000 ceilings")
    validity = {"valid_from": "bench", "valid_until": None, "revisi": 1, "kode_pengganti": [], "berlaku": True}
    with uow() as u:
        u.replika.simpan("rekening", [{"kode": HONOR, "tingkat": "sub_rincian_objek", "akun": "belanja",
                                       "peruntukan": "belanja_barang_dan_jasa", "nama": "Belanja Jasa Tenaga "
                                       "Administrasi", "kode_induk": "5.1.02.02.01", **validity}])
        u.replika.simpan("standar_harga", [
            {"kode_pemda": KODE_PEMDA, "tahun": TAHUN, "kode": f"9.1.{i}", "jenis": "SBU", "uraian": f"Honorarium {i}",
             "spesifikasi": None, "satuan": "OB", "harga": Decimal(200000), "kode_rekening": [HONOR], **validity}
            for i in range(50)])
        u.replika.simpan("sumber_dana", [{"kode": k, "tingkat": 2, "nama": k, "kode_induk": k[0], **validity}
                                         for k in ("1.1", "1.2")])
        u.commit()
    codes = _codes(args.items_per_skpd)
    pagu = Decimal(args.lines_per_item) * 24 * Decimal(200000) * 2  # room for every line, twice over
    for s in range(args.skpd):
        with uow() as u:
            for kode in codes:
                apply_rkpd_saved(u, RkpdSubKegiatanSaved(
                    kode_pemda=KODE_PEMDA, tahun=TAHUN, aggregate_id=str(uuid.uuid4()), aggregate_version=1,
                    kode_skpd=f"1.01.0.00.0.00.{s + 1:02d}.0000", kode_sub_kegiatan=kode, nama_sub_kegiatan=kode,
                    kode_bidang_urusan="1.01", nama_bidang_urusan="PENDIDIKAN", indikator="i", target="1",
                    satuan="Unit", pagu_indikatif=pagu, sumber_dana=[
                        {"kode_sumber_dana": "1.1", "pagu": pagu / 2}, {"kode_sumber_dana": "1.2", "pagu": pagu / 2}]))
            u.commit()

    step("building the files")
    build = time.perf_counter()
    books = [_xlsx(codes, args.lines_per_item, args.inline_strings) for _ in range(args.skpd)]
    files = [base64.b64encode(b).decode() for b in books]
    build = time.perf_counter() - build
    step("the reference: the files read alone")
    reference = read_alone(books)
    step("importing, measured")
    per_file, total = [], Decimal(0)
    profile = None
    if args.profile:
        import cProfile
        profile = cProfile.Profile()
        profile.enable()
    start, cpu = time.perf_counter(), time.process_time()
    for s, content in enumerate(files):
        t = time.perf_counter()
        report = rka.import_rka(uow(), actor, KODE_PEMDA, TAHUN, f"1.01.0.00.0.00.{s + 1:02d}.0000", content)
        assert not report.errors, report.errors[:3]
        per_file.append(time.perf_counter() - t)
        total += report.total
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profile is not None:
        import pstats
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    from sqlalchemy import text
    with engine.connect() as conn:
        held = conn.execute(text("SELECT sum(total_rincian), count(*) FROM keuangan.plafon WHERE kode_pemda = :p "
                                 "AND tahun = :t"), {"p": KODE_PEMDA, "t": TAHUN}).one()
        lines = conn.execute(text("SELECT count(*) FROM keuangan.rincian WHERE kode_pemda = :p AND tahun = :t"),
                             {"p": KODE_PEMDA, "t": TAHUN}).scalar()
    engine.dispose()
    assert Decimal(held[0]) == total, (held[0], total)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"sub_kegiatan": held[1], "lines": lines, "skpd": args.skpd, "total": str(total),
              "build_files_seconds": build, "import_seconds": seconds, "import_cpu_seconds": cpu,
              "reference_read_alone_seconds": reference, "ratio_to_reference": seconds / reference,
              "inline_strings": args.inline_strings, "load_average": os.getloadavg(),
              "per_file_seconds_max": max(per_file), "peak_mb": peak_mb, "floors": FLOORS,
              "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    ok = seconds <= FLOORS["import_seconds"] and peak_mb < FLOORS["peak_mb"]
    print(f"{lines} lines under {held[1]} sub kegiatan of {args.skpd} SKPD (Σ {total})")
    print(f"  import {seconds:6.2f} s (worst file {max(per_file):.2f} s; this process's CPU {cpu:.2f} s; load "
          f"average {os.getloadavg()[0]:.1f})  floor <= {FLOORS['import_seconds']} s")
    print(f"  reference: the files read alone {reference:.2f} s (the import {seconds / reference:.1f} times that)")
    print(f"  peak memory {peak_mb:6.1f} MB  floor < {FLOORS['peak_mb']} MB   {'PASS' if ok else 'FAIL'}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"rka-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(result, indent=2))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
