"""The invariant checker: the plan, the ceilings, the budget lines and the report of one pemda and year agree.

    python -m ops.invariants 32.73 2027      # the differences, one per line; exit 1 if any

Reads every service's schema with the administrator's account (``SIPD_DB_ADMIN_USER``), after the events
have settled; what it compares:

- plan ↔ ceilings: every RKPD item has keuangan's plafon at its version and pagu, flagged deleted when it is
  (``rencana_dihapus``), and no plafon is without its item;
- ceilings ↔ lines: a plafon's ``total_rincian`` is the sum of its budget lines;
- plan ↔ report: pemerintahan holds each item at its version and pagu, deleted when it is;
- lines ↔ report: pemerintahan's ``total_rincian`` of each item is keuangan's.
"""
from __future__ import annotations

import sys
from decimal import Decimal

import psycopg

from sipd_common.settings import get_settings


def _rows(conn, query: str, kode_pemda: str, tahun: int) -> dict:
    return {str(r[0]): r[1:] for r in conn.execute(query, (kode_pemda, tahun))}


def differences(conn, kode_pemda: str, tahun: int) -> list[str]:
    """What does not agree, one sentence each; empty when everything does."""
    plan = _rows(conn, "SELECT id, version, pagu_indikatif, deleted_at IS NOT NULL FROM perencanaan.rkpd_sub_kegiatan "
                       "WHERE kode_pemda = %s AND tahun = %s", kode_pemda, tahun)
    plafon = _rows(conn, "SELECT rkpd_id, source_version, pagu, rencana_dihapus, total_rincian FROM keuangan.plafon "
                         "WHERE kode_pemda = %s AND tahun = %s", kode_pemda, tahun)
    lines = _rows(conn, "SELECT rkpd_id, sum(jumlah), count(*) FROM keuangan.rincian "
                        "WHERE kode_pemda = %s AND tahun = %s GROUP BY rkpd_id", kode_pemda, tahun)
    rencana = _rows(conn, "SELECT rkpd_id, source_version, pagu, dihapus FROM pemerintahan.rencana "
                          "WHERE kode_pemda = %s AND tahun = %s", kode_pemda, tahun)
    anggaran = _rows(conn, "SELECT rkpd_id, total_rincian FROM pemerintahan.anggaran "
                           "WHERE kode_pemda = %s AND tahun = %s", kode_pemda, tahun)
    found = []
    for rkpd_id, (version, pagu, deleted) in plan.items():
        held = plafon.get(rkpd_id)
        if held is None:
            found.append(f"{rkpd_id}: in the plan (v{version}), no plafon in keuangan")
        elif (held[0], held[1], held[2]) != (version, pagu, deleted):
            found.append(f"{rkpd_id}: plan v{version} pagu {pagu} deleted={deleted}, "
                         f"plafon v{held[0]} pagu {held[1]} deleted={held[2]}")
        report = rencana.get(rkpd_id)
        if report is None:
            found.append(f"{rkpd_id}: in the plan (v{version}), not in pemerintahan's report")
        elif (report[0], report[1], report[2]) != (version, pagu, deleted):
            found.append(f"{rkpd_id}: plan v{version} pagu {pagu} deleted={deleted}, "
                         f"report v{report[0]} pagu {report[1]} deleted={report[2]}")
    for rkpd_id in plafon.keys() - plan.keys():
        found.append(f"{rkpd_id}: a plafon without an RKPD item")
    for rkpd_id, held in plafon.items():
        total = lines.get(rkpd_id, (Decimal(0), 0))[0]
        if held[3] != total:
            found.append(f"{rkpd_id}: plafon total_rincian {held[3]}, its lines sum to {total}")
        reported = anggaran.get(rkpd_id, (Decimal(0),))[0]
        if reported != held[3]:
            found.append(f"{rkpd_id}: keuangan total_rincian {held[3]}, pemerintahan's {reported}")
    return sorted(found)


def counts(conn, kode_pemda: str, tahun: int) -> dict[str, int]:
    """What each read model holds of the pemda and year: items, ceilings, lines, report rows."""
    one = lambda q: conn.execute(q, (kode_pemda, tahun)).fetchone()[0]  # noqa: E731
    return {
        "rkpd_items": one("SELECT count(*) FROM perencanaan.rkpd_sub_kegiatan WHERE kode_pemda = %s AND tahun = %s"),
        "plafon": one("SELECT count(*) FROM keuangan.plafon WHERE kode_pemda = %s AND tahun = %s"),
        "rincian": one("SELECT count(*) FROM keuangan.rincian WHERE kode_pemda = %s AND tahun = %s"),
        "report_rencana": one("SELECT count(*) FROM pemerintahan.rencana WHERE kode_pemda = %s AND tahun = %s"),
        "report_anggaran": one("SELECT count(*) FROM pemerintahan.anggaran WHERE kode_pemda = %s AND tahun = %s"),
    }


def connect(settings=None) -> psycopg.Connection:
    settings = settings or get_settings()
    return psycopg.connect(settings.admin_url().replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2 or not args[1].isdigit():
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    with connect() as conn:
        found = differences(conn, args[0], int(args[1]))
        print(counts(conn, args[0], int(args[1])))
    for line in found:
        print(line)
    print(f"{len(found)} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
