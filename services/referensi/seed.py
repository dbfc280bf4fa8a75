"""Load the reference data shipped with the project. Safe to run again: rows are upserted.

    python -m services.referensi.seed [--wilayah PATH]
"""
from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from sipd_common.db import make_engine

from . import repository as repo
from .domain import kode as k

DATA = Path(__file__).resolve().parent / "data"


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _upsert(conn, table, rows: list[dict], key: list[str]) -> None:
    if not rows:
        return
    stmt = insert(table).values(rows)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=key, set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key}))


def nomenklatur_rows(path: Path = DATA / "nomenklatur.csv") -> list[dict]:
    return [
        {"kode": r["kode"], "tingkat": k.tingkat_nomenklatur(r["kode"]), "nama": k.bersihkan_nama(r["nama"]),
         "kode_induk": k.induk_nomenklatur(r["kode"]), "kinerja": r["kinerja"] or None,
         "indikator": r["indikator"] or None, "satuan": r["satuan"] or None}
        for r in _read(path)
    ]


def rekening_rows(path: Path = DATA / "rekening.csv") -> list[dict]:
    return [
        {"kode": r["kode"], "tingkat": k.tingkat_rekening(r["kode"]), "akun": k.akun(r["kode"]),
         "nama": k.bersihkan_nama(r["nama"]), "kode_induk": k.induk(r["kode"])}
        for r in _read(path)
    ]


def skpd_rows(path: Path = DATA / "skpd.csv") -> list[dict]:
    return [
        {"kode_pemda": r["kode_pemda"], "kode": r["kode"], "nama": k.bersihkan_nama(r["nama"]),
         "bidang_urusan": r["bidang_urusan"].split()}
        for r in _read(path)
    ]


def load_wilayah(conn, path: Path) -> int:
    """91,599 regions: COPY into a staging table, then one upsert."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    count = 0
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kode = r["kode"].strip()
            writer.writerow([kode, k.bersihkan_nama(r["nama"]), len(kode.split(".")), k.induk(kode) or ""])
            count += 1
    conn.execute(text("CREATE TEMP TABLE wilayah_staging (LIKE wilayah) ON COMMIT DROP"))
    raw = conn.connection.dbapi_connection
    with raw.cursor().copy("COPY wilayah_staging (kode, nama, tingkat, kode_induk) FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(buf.getvalue())
    conn.execute(text(
        "INSERT INTO wilayah SELECT kode, nama, tingkat, NULLIF(kode_induk, '') FROM wilayah_staging "
        "ON CONFLICT (kode) DO UPDATE SET nama = EXCLUDED.nama, tingkat = EXCLUDED.tingkat, kode_induk = EXCLUDED.kode_induk "
        "WHERE (wilayah.nama, wilayah.tingkat, wilayah.kode_induk) IS DISTINCT FROM (EXCLUDED.nama, EXCLUDED.tingkat, EXCLUDED.kode_induk)"))
    return count


def seed(wilayah_path: Path = DATA / "wilayah.csv") -> dict:
    engine = make_engine("referensi", pool_size=1)
    try:
        with engine.begin() as conn:
            counts = {"wilayah": load_wilayah(conn, wilayah_path)}
            for table, rows, key in (
                (repo.nomenklatur, nomenklatur_rows(), ["kode"]),
                (repo.rekening, rekening_rows(), ["kode"]),
                (repo.skpd, skpd_rows(), ["kode_pemda", "kode"]),
            ):
                _upsert(conn, table, rows, key)
                counts[table.name] = len(rows)
        return counts
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wilayah", type=Path, default=DATA / "wilayah.csv")
    args = parser.parse_args()
    counts = seed(args.wilayah)
    print("referensi loaded: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


if __name__ == "__main__":
    main()
