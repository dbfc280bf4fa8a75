"""Load the reference data shipped with the project (``data/``, see ``data/README.md``). Safe to run again.

    python -m services.referensi.seed [--wilayah PATH]

The decrees' own lists are shipped as their sources published them (``data/sumber/``, with
``PROVENANCE.md``); a few hand-written rows fill the gaps of those sources, and the sample SKPD and
prices of other pemda are shipped as such. The seed replays the history they tell through the
importer: for each list (each pemda's, each pemda's and year's) and each version in order, the list
as it stood in that version is imported in full, so every row keeps the version it comes from and the
as-of reads and the crosswalk answer for each. A version the list has already reached is not imported
again, so a second run changes nothing.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import logging
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from sipd_common.db import StorageHandle, make_engine

from .impor import domain as d
from .impor.usecases import run_import
from .kodefikasi import domain as dv
from .uow import ReferensiUnitOfWork

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
SUMBER = DATA / "sumber"  # the published lists, as their sources have them (data/sumber/PROVENANCE.md)
V5889, V1317 = "kepmendagri-050-5889-2021", "kepmendagri-900.1.15.5-1317-2023"
V_SIPD_2025, V2027 = "sipd-ri-2025", "pemutakhiran-2027"
WILAYAH_VERSI = "kepmendagri-300.2.2-2138-2025"  # the decree wilayah.csv was compiled from (data/README.md)
TULISAN_TANGAN, CONTOH = "tulisan-tangan", "contoh"
HISTORY = ("versi", "sampai")
LINGKUP = {"PROV": "provinsi", "KABKOT": "kabupaten_kota"}
# what a nomenclature record is, beside its code, in the 2027 list: a code listed by both lampiran is one
# record only when they agree on all of it
ISI_2027 = ("nama", "kinerja", "indikator", "satuan", "tag", "spm", "jenis", "pelaksana", "definisi_operasional")

State = tuple[str, list[dict]]  # (version, the whole list as it stood in that version)


def read(path: Path) -> list[dict]:
    """A shipped CSV (``.csv.gz``: gzip-compressed)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_versions(storage: StorageHandle, path: Path = DATA / "versi.csv") -> list[dv.Versi]:
    rows = [dv.Versi(r["kode"], r["judul"], date.fromisoformat(r["tanggal"]), int(r["urutan"]), r["jenis"])
            for r in read(path)]
    with storage.unit_of_work() as uow:
        uow.kodefikasi.register_versions(sorted(rows, key=lambda v: v.urutan))
        uow.commit()
        return uow.kodefikasi.versions()


def states(rows: list[dict], versions: list[dv.Versi]) -> list[State]:
    """From rows that name their version (``versi``) and the one that retired them (``sampai``): the list as
    it stood in each version in which it changed, oldest first."""
    order = dv.urutan(versions)
    changes = sorted({r["versi"] for r in rows} | {r["sampai"] for r in rows if r.get("sampai")}, key=order.__getitem__)
    return [(v, [r for r in rows if dv.berlaku(r["versi"], r.get("sampai") or None, v, order)]) for v in changes]


# -- the lists, version by version ---------------------------------------------------------------------

def nomenklatur(sumber: Path = SUMBER) -> list[State]:
    """Kepmendagri 900.1.15.5-1317/2023 (the regency/city lampiran), then the 2027 update list (both lampiran).

    The 2027 list has no urusan: the 2023 ones stay, heading both lampiran there. A code both lampiran list is
    one record, listed by both (``lingkup``), when they agree on it; where they do not, the regency/city row is
    the code's record (``varian`` ``umum``, continuing 2023's) and the provincial row its provincial variant
    (``varian`` ``provinsi``), which provinces read (data/README.md). "Sub kegiatan sebelumnya" is the crosswalk
    (``kode_lama``)."""
    lama = [{**_nomenklatur_2023(r), "lingkup": "kabupaten_kota"} for r in read(sumber / "nomenklatur.csv.gz")]
    by_kode: dict[str, dict] = {}
    provinsi: dict[str, dict] = {}
    for r in read(sumber / "nomenklatur_pemutakhiran_2027.csv.gz"):
        row = {"kode": r["kode"], "varian": dv.UMUM, **{c: r[c] for c in ISI_2027}, "sumber": r["source"],
               "lingkup": LINGKUP[r["jenis_pemda"]], "kode_lama": _sebelumnya(r["kode"], r["subkegiatan_sebelumnya"])}
        held = by_kode.get(r["kode"])
        if held is None:
            by_kode[r["kode"]] = row
        elif all(held[c] == row[c] for c in ISI_2027):
            held["lingkup"] = "kabupaten_kota provinsi"
            held["kode_lama"] = " ".join(dict.fromkeys((held["kode_lama"] + " " + row["kode_lama"]).split()))
        else:  # the regency/city row is the code's record, the provincial one its variant
            kabkot, prov = (held, row) if row["lingkup"] == "provinsi" else (row, held)
            by_kode[r["kode"]] = kabkot
            provinsi[r["kode"]] = {**prov, "varian": dv.PROVINSI}
    log.info("nomenklatur %s: %d provincial variants (codes the two lampiran give different content)", V2027,
             len(provinsi))
    urusan = [{**r, "lingkup": "kabupaten_kota provinsi"} for r in lama if r["tingkat"] == "urusan"]
    return [(V1317, lama), (V2027, urusan + list(by_kode.values()) + list(provinsi.values()))]


def _nomenklatur_2023(r: dict) -> dict:
    return {"kode": r["kode"], "nama": r["nama"], "tingkat": r["tingkat"], "kinerja": r["kinerja"],
            "indikator": r["indikator"], "satuan": r["satuan"], "sumber": r["source"]}


def _sebelumnya(kode: str, cell: str) -> str:
    """"1.02.02.1.02.0013 Pengelolaan …": the code of the earlier sub kegiatan (none when it is the same)."""
    old = cell.split(maxsplit=1)[0] if cell.strip() else ""
    return "" if old == kode else old


def rekening(sumber: Path = SUMBER, data: Path = DATA) -> list[State]:
    """Kepmendagri 050-5889/2021 (belanja baseline, SIPD's early-2023 accounts of the other roots), then
    900.1.15.5-1317/2023 (its added belanja accounts); the belanja descriptions on both; the roots and upper
    levels no source has, written by hand (``data/rekening_tulisan_tangan.csv``)."""
    keterangan = {r["kode"]: r["keterangan"] for r in read(sumber / "rekening_keterangan.csv.gz")}
    rows = [{"kode": r["kode"], "nama": r["nama"], "sumber": r["source"], "keterangan": keterangan.get(r["kode"], "")}
            for r in read(sumber / "rekening.csv.gz")]
    codes = {r["kode"] for r in rows}
    gap = [{"kode": r["kode"], "nama": r["nama"], "sumber": TULISAN_TANGAN, "keterangan": ""}
           for r in read(data / "rekening_tulisan_tangan.csv") if r["kode"] not in codes]
    baseline = gap + [r for r in rows if r["sumber"] != "sesendok:akun6"]
    return [(V5889, baseline), (V1317, gap + rows)]


def sumber_dana(sumber: Path = SUMBER) -> list[State]:
    """The sumber dana lampiran (with descriptions), then SIPD-RI's list of TA 2025. The lampiran lacks
    1.2.02, the parent of its 1.2.02.02: SIPD-RI's row of it fills the gap (its ``sumber`` says so)."""
    lampiran = [{"kode": r["kode"], "nama": r["nama"], "keterangan": r["keterangan"], "sumber": r["source"],
                 "set_input": ""} for r in read(sumber / "sumber_dana.csv")]
    sipd: dict[str, dict] = {}
    for r in read(sumber / "sumber_dana_sipd_2025.csv"):
        sipd.setdefault(r["kode"], {"kode": r["kode"], "nama": r["nama"], "sumber": r["source"],
                                    "set_input": r["set_input"]})
    described = {r["kode"]: r for r in lampiran}
    for r in sipd.values():  # SIPD exports no descriptions: the lampiran's, where it names the same source
        same = described.get(r["kode"])
        r["keterangan"] = same["keterangan"] if same is not None and same["nama"] == r["nama"] else ""
    codes = {r["kode"] for r in lampiran}
    filled = [{**sipd[p], "keterangan": "", "set_input": ""} for p in sorted(
        {dv.induk(c) for c in codes if dv.induk(c) and dv.induk(c) not in codes}) if p in sipd]
    return [(V5889, filled + lampiran), (V_SIPD_2025, list(sipd.values()))]


def skpd(versions: list[dv.Versi], sumber: Path = SUMBER, data: Path = DATA) -> list[tuple[dict, list[State]]]:
    """Kabupaten Pasangkayu's SKPD (76.01, its 2024 list: in Kepmendagri 900.1.15.5-1317/2023), with the bidang
    urusan each serves (its codes follow the numbering before Permendagri 90/2019, so these are named by hand:
    ``data/skpd_pasangkayu_bidang_urusan.csv``, and say so: ``sumber_bidang_urusan`` ``tulisan-tangan``); the
    sample SKPD of other pemda (``contoh``)."""
    bidang = {r["kode"]: r["bidang_urusan"] for r in read(data / "skpd_pasangkayu_bidang_urusan.csv")}
    pasangkayu = [{"kode_pemda": "76.01", "kode": r["kode"], "nama": r["nama"], "bidang_urusan": bidang[r["kode"]],
                   "sumber": r["source"], "sumber_bidang_urusan": TULISAN_TANGAN}
                  for r in read(sumber / "skpd_example_pasangkayu.csv")]
    contoh = [{**r, "sumber": CONTOH} for r in read(data / "skpd_contoh.csv")]
    return [({"kode_pemda": "76.01"}, [(V1317, pasangkayu)]), *_scoped(contoh, ("kode_pemda",), versions)]


def standar_harga(versions: list[dv.Versi], sumber: Path = SUMBER, data: Path = DATA) -> list[tuple[dict, list[State]]]:
    """Kabupaten Pasangkayu's Standar Satuan Harga of 2024, each item numbered in its goods group in the order
    of the file (the source numbers none: ``<kelompok>.<nnnnn>``); the sample prices of other pemda."""
    numbered: dict[str, int] = defaultdict(int)
    items = []
    for r in read(sumber / "ssh_example_pasangkayu_2024.csv.gz"):
        numbered[r["kode_kelompok_barang"]] += 1
        items.append({"kode_pemda": "76.01", "tahun": "2024",
                      "kode": f"{r['kode_kelompok_barang']}.{numbered[r['kode_kelompok_barang']]:05d}", "jenis": "SSH",
                      "uraian": r["uraian_barang"], "spesifikasi": r["spesifikasi"], "satuan": r["satuan"],
                      "harga": r["harga_satuan"], "kode_rekening": r["kode_rekening"], "sumber": r["source"],
                      "kode_kelompok": r["kode_kelompok_barang"], "nama_kelompok": r["uraian_kelompok_barang"]})
    contoh = [{**r, "sumber": CONTOH} for r in read(data / "standar_harga_contoh.csv")]
    return [({"kode_pemda": "76.01", "tahun": "2024"}, [(V1317, items)]),
            *_scoped(contoh, ("kode_pemda", "tahun"), versions)]


def wilayah(path: Path = DATA / "wilayah.csv") -> list[State]:
    return [(WILAYAH_VERSI, read(path))]


def _scoped(rows: list[dict], scope: tuple[str, ...], versions: list[dv.Versi]) -> list[tuple[dict, list[State]]]:
    """Rows naming their versions, by scope (pemda, year): each scope's history."""
    by_scope: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        by_scope[tuple(r[c] for c in scope)].append(r)
    return [(dict(zip(scope, values)), states(scope_rows, versions)) for values, scope_rows in by_scope.items()]


# -- the replay ------------------------------------------------------------------------------------------

def csv_of(rows: list[dict]) -> bytes:
    """Rows as the CSV file the importer reads, without the columns that tell their history."""
    columns = list(dict.fromkeys(c for r in rows for c in r if c not in HISTORY))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


def replay(storage: StorageHandle, kind: str, scope: dict, history: list[State], versions: list[dv.Versi],
           progress=None, reports: list | None = None) -> dict:
    """One list (of one scope) imported version by version, in full; versions it has reached are skipped.
    Each import's figures are appended to ``reports`` when given (the benchmark's seed phase)."""
    counts = {"added": 0, "changed": 0, "retired": 0}
    order = dv.urutan(versions)
    with storage.unit_of_work() as uow:
        reached = uow.impor.latest_version_used(kind, {c: _typed(c, v) for c, v in scope.items()})
    for versi, state in sorted(history, key=lambda s: order[s[0]]):
        if reached is not None and order[versi] < order[reached]:
            continue
        report = run_import(storage.unit_of_work(), {"kind": kind, "mode": "full", "versi": versi, **scope},
                            csv_of(state), f"data/{kind}@{versi}", "seed", progress)
        log.info("%s %s %s: %d rows, +%d ~%d -%d in %.2f s", kind, " ".join(scope.values()), versi, report.rows,
                 report.added, report.changed, report.retired, report.seconds)
        for key in counts:
            counts[key] += getattr(report, key)
        if reports is not None:
            reports.append({"kind": kind, "scope": " ".join(scope.values()), "versi": versi, "rows": report.rows,
                            "added": report.added, "changed": report.changed, "retired": report.retired,
                            "seconds": round(report.seconds, 2)})
    return counts


def _typed(column: str, value: str):
    return int(value) if column == "tahun" else value


def _lists(wilayah_path: Path, versions: list[dv.Versi]) -> Iterable[tuple[str, dict, Callable[[], list[State]]]]:
    """(kind, scope, its history) in the order they load: what a list refers to first."""
    yield "nomenklatur", {}, nomenklatur
    yield "rekening", {}, rekening
    yield "sumber_dana", {}, sumber_dana
    yield "wilayah", {}, lambda: wilayah(wilayah_path)
    for kind, scoped in (("skpd", skpd), ("standar_harga", standar_harga)):
        for scope, history in scoped(versions):
            yield kind, scope, (lambda h=history: h)


def seed(wilayah_path: Path = DATA / "wilayah.csv", progress=None, reports: list | None = None) -> dict:
    engine = make_engine("referensi", pool_size=1)
    try:
        storage = StorageHandle("referensi", engine, None, {}, unit_of_work=ReferensiUnitOfWork)
        versions = load_versions(storage)
        counts: dict[str, dict] = {}
        for kind, scope, history in _lists(wilayah_path, versions):
            started = time.perf_counter()
            got = replay(storage, kind, scope, history(), versions, progress, reports)
            total = counts.setdefault(kind, {"added": 0, "changed": 0, "retired": 0, "seconds": 0.0})
            for key in got:
                total[key] += got[key]
            total["seconds"] = round(total["seconds"] + time.perf_counter() - started, 2)
        return counts
    finally:
        engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wilayah", type=Path, default=DATA / "wilayah.csv")
    args = parser.parse_args()
    counts = seed(args.wilayah)
    print("referensi loaded: " + "; ".join(
        f"{kind} +{c['added']} ~{c['changed']} -{c['retired']} ({c['seconds']} s)" for kind, c in counts.items()))


if __name__ == "__main__":
    main()
