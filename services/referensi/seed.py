"""Load the reference data shipped with the project (``data/``, see ``data/README.md``). Safe to run again.

    python -m services.referensi.seed [--wilayah PATH]

Each shipped row names the version it comes from (``versi``) and, when a later version retired
it, that version (``sampai``). The seed replays that history through the importer: for each
list and each version in order, the list as it stood in that version is imported in full. A
version the list has already reached is not imported again, so a second run changes nothing.
"""
from __future__ import annotations

import argparse
import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path

from sipd_common.db import StorageHandle, make_engine

from .impor import domain as d
from .impor.usecases import run_import
from .kodefikasi import domain as dv
from .uow import ReferensiUnitOfWork

DATA = Path(__file__).resolve().parent / "data"
WILAYAH_VERSI = "kepmendagri-300.2.2-2138-2025"  # the decree wilayah.csv was compiled from (data/README.md)
FILES = ("nomenklatur", "rekening", "sumber_dana", "wilayah", "skpd", "standar_harga")
HISTORY = ("versi", "sampai")


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_versions(storage: StorageHandle, path: Path = DATA / "versi.csv") -> list[dv.Versi]:
    rows = [dv.Versi(r["kode"], r["judul"], date.fromisoformat(r["tanggal"]), int(r["urutan"])) for r in _read(path)]
    with storage.unit_of_work() as uow:
        for v in sorted(rows, key=lambda v: v.urutan):
            uow.kodefikasi.register_version(v)
        uow.commit()
        return uow.kodefikasi.versions()


def states(rows: list[dict], versions: list[dv.Versi]) -> list[tuple[str, list[dict]]]:
    """The list as it stood in each version in which it changed, oldest first."""
    order = dv.urutan(versions)
    changes = sorted({r["versi"] for r in rows} | {r["sampai"] for r in rows if r.get("sampai")}, key=order.__getitem__)
    return [(v, [r for r in rows if dv.berlaku(r["versi"], r.get("sampai") or None, v, order)]) for v in changes]


def _csv(rows: list[dict]) -> bytes:
    columns = [c for c in rows[0] if c not in HISTORY]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


def seed_list(storage: StorageHandle, kind: str, rows: list[dict], versions: list[dv.Versi], progress=None) -> dict:
    """Replay one shipped list, scope by scope (pemda, year), version by version."""
    scopes: dict[tuple, list[dict]] = defaultdict(list)
    spec = d.KINDS[kind]
    for r in rows:
        scopes[tuple(r[c] for c in spec.scope)].append(r)
    counts = {"added": 0, "changed": 0, "retired": 0}
    order = dv.urutan(versions)
    for scope_values, scope_rows in scopes.items():
        scope = dict(zip(spec.scope, scope_values))
        with storage.unit_of_work() as uow:
            reached = uow.impor.latest_version_used(kind, {c: _typed(c, v) for c, v in scope.items()})
        for versi, state in states(scope_rows, versions):
            if reached is not None and order[versi] < order[reached]:
                continue
            report = run_import(storage.unit_of_work(), {"kind": kind, "mode": "full", "versi": versi, **scope},
                                _csv(state), f"data/{kind}.csv@{versi}", "seed", progress)
            for key in counts:
                counts[key] += getattr(report, key)
    return counts


def _typed(column: str, value: str):
    return int(value) if column == "tahun" else value


def seed(wilayah_path: Path = DATA / "wilayah.csv", progress=None) -> dict:
    engine = make_engine("referensi", pool_size=1)
    try:
        storage = StorageHandle("referensi", engine, None, {}, unit_of_work=ReferensiUnitOfWork)
        versions = load_versions(storage)
        counts = {}
        for kind in FILES:
            path = wilayah_path if kind == "wilayah" else DATA / f"{kind}.csv"
            rows = _read(path)
            if kind == "wilayah":
                rows = [{**r, "versi": WILAYAH_VERSI} for r in rows]
            counts[kind] = seed_list(storage, kind, rows, versions, progress)
        return counts
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wilayah", type=Path, default=DATA / "wilayah.csv")
    args = parser.parse_args()
    counts = seed(args.wilayah)
    print("referensi loaded: " + "; ".join(
        f"{kind} +{c['added']} ~{c['changed']} -{c['retired']}" for kind, c in counts.items()))


if __name__ == "__main__":
    main()
