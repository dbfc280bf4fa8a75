"""Import a list of the codification from a CSV or XLSX file, as operators receive it.

    python -m services.referensi.importer KIND FILE --versi VERSI [--mode full|diff] [--dry-run]
        [--pemda KODE] [--tahun N] [--versi-judul TITLE --versi-tanggal YYYY-MM-DD] [--json]

KIND is nomenklatur, rekening, sumber_dana, wilayah, skpd (with --pemda) or standar_harga
(with --pemda and --tahun). ``--mode full`` (the default): the file is the whole list and what
is absent is retired; ``--mode diff``: each row's ``aksi`` column says tambah, ubah or hapus.
``--dry-run`` reports what would be added, changed and retired, and changes nothing.

Runs against referensi's database with referensi's role (SIPD_DB_* variables); the events go
to its outbox and the running referensi service publishes them. Progress goes to stderr, the
report to stdout. Exit status: 0 done (or nothing to do), 1 the file was refused, 2 usage.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from datetime import date
from pathlib import Path

from sipd_common.db import StorageHandle, make_engine
from sipd_common.errors import Invalid

from .impor.domain import KINDS
from .impor.usecases import run_import
from .uow import ReferensiUnitOfWork


class Progress:
    """One line per stage on a terminal, rewritten in place; plain lines otherwise."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.started = time.perf_counter()
        self.tty = stream.isatty()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        now = time.perf_counter()
        final = total is not None and done >= total
        if not final and now - self.last < (0.2 if self.tty else 2.0):
            return
        self.last = now
        of = f"/{total}" if total is not None else ""
        line = f"{now - self.started:7.2f} s  {stage:<8} {done}{of}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def summary(report: dict) -> str:
    verb = "would change" if report["dry_run"] else ("changed" if report["applied"] else "changed nothing in")
    lines = [f"{report['kind']} {report['mode']} import of {report['file_name']} into {report['versi']}"
             + (" (a new version)" if report["versi_baru"] else "") + f": {verb} the list",
             f"  rows {report['rows']}: added {report['added']}, changed {report['changed']}, "
             f"retired {report['retired']}, unchanged {report['unchanged']}, crosswalk +{report['crosswalk_added']}"]
    for what in ("added", "changed", "retired"):
        if report["examples"][what]:
            lines.append(f"  {what}: {' '.join(report['examples'][what])}" + (" …" if report[what] > 20 else ""))
    if report["impor_id"]:
        lines.append(f"  recorded as import {report['impor_id']} in {report['seconds']} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.referensi.importer",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("file", type=Path)
    parser.add_argument("--mode", choices=("full", "diff"), default="full")
    parser.add_argument("--versi", help="the version the file belongs to, e.g. kepmendagri-050-5889-2021")
    parser.add_argument("--versi-judul", help="title of the decree, to add a new version")
    parser.add_argument("--versi-tanggal", type=date.fromisoformat, help="date of the decree, to add a new version")
    parser.add_argument("--pemda", help="the pemda (skpd, standar_harga)")
    parser.add_argument("--tahun", type=int, help="the year (standar_harga)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = parser.parse_args(argv)
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        parser.error(f"cannot read {args.file}: {exc}")

    request = {"kind": args.kind, "mode": args.mode, "versi": args.versi, "versi_judul": args.versi_judul,
               "versi_tanggal": args.versi_tanggal, "kode_pemda": args.pemda, "tahun": args.tahun,
               "dry_run": args.dry_run}
    engine = make_engine("referensi", pool_size=1)
    try:
        storage = StorageHandle("referensi", engine, None, {}, unit_of_work=ReferensiUnitOfWork)
        report = run_import(storage.unit_of_work(), request, content, args.file.name, f"cli:{getpass.getuser()}",
                            Progress()).model_dump(mode="json")
        status = 0
    except Invalid as exc:
        report = exc.extra.get("report")
        if report is None:
            print(f"refused: {exc.detail}", file=sys.stderr)
            return 1
        status = 1
    finally:
        engine.dispose()
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False, default=str)
        print()
    elif status:
        print(f"refused: nothing of {report['file_name']} was applied", file=sys.stderr)
        for e in report["errors"]:
            print(f"  row {e['row']}, {e['field']}: {e['message']}", file=sys.stderr)
    else:
        print(summary(report))
    return status


if __name__ == "__main__":
    sys.exit(main())
