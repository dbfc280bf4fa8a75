"""What an import reads and writes: every list's current records, its changes (by COPY and four set
statements, whatever their number), the crosswalk, and the log of imports (``impor``)."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Column, DateTime, ForeignKey, Integer, SmallInteger, String, Table, Text, func, select, text,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..kodefikasi.repository import Daftar, crosswalk, nomenklatur, rekening, sumber_dana, versi
from ..schema import metadata
from ..skpd.repository import skpd
from ..standar_harga.repository import standar_harga
from ..wilayah.repository import wilayah
from . import domain as d

impor = Table(
    "impor", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("mode", String(4), nullable=False),
    Column("versi", String(60), ForeignKey("versi.kode"), nullable=False),
    Column("kode_pemda", String(10)),
    Column("tahun", SmallInteger),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("retired", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("imported_by", Text, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

TABLES: dict[str, Table] = {t.name: t for t in (nomenklatur, rekening, sumber_dana, wilayah, skpd, standar_harga)}
STORED = {name: [c.name for c in t.columns if c.name != "cari"] for name, t in TABLES.items()}


def _scope_where(t: Table, scope: dict) -> list:
    return [t.c[name] == value for name, value in scope.items()]


class ImporRepository:
    def __init__(self, session: Session):
        self.session = session

    # -- what an import reads --------------------------------------------------------------------
    def lock_list(self, kind: str, scope: dict) -> None:
        """One import of a list at a time: the lock is held until the transaction ends."""
        name = "referensi.impor." + kind + "".join(f".{v}" for v in scope.values())
        self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})

    def current_records(self, kind: str, scope: dict) -> dict[tuple, dict]:
        t = TABLES[kind]
        key = d.KINDS[kind].key
        columns = [t.c[c] for c in STORED[kind]]
        result = self.session.execute(select(*columns).where(t.c.valid_until.is_(None), *_scope_where(t, scope)))
        names = list(result.keys())
        records = (dict(zip(names, row)) for row in result)
        return {tuple(r[c] for c in key): r for r in records}

    def retired_keys(self, kind: str, scope: dict, kodes: list[str]) -> set[tuple]:
        if not kodes:
            return set()
        t = TABLES[kind]
        key = d.KINDS[kind].key
        rows = self.session.execute(select(*[t.c[c] for c in key]).distinct().where(
            t.c.valid_until.is_not(None), t.c.kode.in_(kodes), *_scope_where(t, scope)))
        return {tuple(row) for row in rows}

    def latest_version_used(self, kind: str, scope: dict) -> str | None:
        """The latest version any record of the list starts or ends in."""
        t = TABLES[kind]
        used = select(t.c.valid_from.label("kode")).where(*_scope_where(t, scope)).union(
            select(t.c.valid_until).where(t.c.valid_until.is_not(None), *_scope_where(t, scope))).subquery()
        return self.session.execute(select(versi.c.kode).where(versi.c.kode.in_(select(used.c.kode)))
                                    .order_by(versi.c.urutan.desc()).limit(1)).scalar()

    def existing_crosswalk(self, kind: str, kode_pemda: str, pairs: list[tuple[str, str]]) -> set:
        if not pairs:
            return set()
        olds = sorted({old for old, _ in pairs})
        rows = self.session.execute(select(crosswalk.c.kode_lama, crosswalk.c.kode_baru).where(
            crosswalk.c.kind == kind, crosswalk.c.kode_pemda == kode_pemda, crosswalk.c.kode_lama.in_(olds))).all()
        return {tuple(r) for r in rows}

    def pengganti(self, kind: str, kodes: list[str], kode_pemda: str = "") -> dict[str, list[str]]:
        """The crosswalk: old code → its new codes."""
        return Daftar(self.session, TABLES[kind]).pengganti(kodes, kode_pemda)

    def context(self, kind: str) -> dict:
        """What records of ``kind`` refer to in other lists."""
        if kind == "skpd":
            rows = self.session.execute(select(nomenklatur.c.kode).where(nomenklatur.c.valid_until.is_(None),
                                                                         nomenklatur.c.tingkat == "bidang_urusan"))
            return {"bidang_urusan": {r[0] for r in rows}}
        if kind == "standar_harga":
            rows = self.session.execute(select(rekening.c.kode).where(
                rekening.c.valid_until.is_(None), rekening.c.akun == "belanja",
                rekening.c.tingkat == "sub_rincian_objek"))
            return {"rekening_belanja": {r[0] for r in rows}}
        return {}

    # -- what an import writes -------------------------------------------------------------------
    def apply(self, kind: str, kode_versi: str, added: list[dict], changed: list[dict],
              retired: list[dict]) -> dict[tuple, int]:
        """Write one import's changes in version ``kode_versi``; the ``revisi`` of each changed record.

        The rows go to a staging table by COPY, then three statements do the rest, whatever the size:
        a state that began in this very version and changes again is replaced (it was never the state
        of any version), as is one that began and was retired in it when the record is added again;
        otherwise the current state is closed (a state that began in this version and is retired in it
        stays, valid in no version, as the record's last state: its change event said it was retired,
        and the snapshot must say so too) and the new one opened."""
        t = TABLES[kind]
        key = d.KINDS[kind].key
        columns = [c for c in STORED[kind] if c not in ("valid_from", "valid_until", "revisi")]
        names = ", ".join(columns)
        conn = self.session.connection()
        conn.execute(text("DROP TABLE IF EXISTS _impor"))
        conn.execute(text(f"CREATE TEMP TABLE _impor ON COMMIT DROP AS SELECT {names} FROM {t.name} WITH NO DATA"))
        conn.execute(text("ALTER TABLE _impor ADD COLUMN _aksi text NOT NULL"))
        raw = conn.connection.dbapi_connection
        with raw.cursor().copy(f"COPY _impor ({names}, _aksi) FROM STDIN") as copy:
            for aksi, records in ((d.ADDED, added), (d.CHANGED, changed), (d.RETIRED, retired)):
                for record in records:
                    copy.write_row([record.get(c) for c in columns] + [aksi])
        match = " AND ".join(f"t.{c} = s.{c}" for c in key)
        returned = ", ".join(f"t.{c}" for c in key)
        params = {"v": kode_versi}
        revisi: dict[tuple, int] = {}
        for statement in (
            f"DELETE FROM {t.name} t USING _impor s WHERE {match} AND t.valid_from = :v "
            f"AND ((t.valid_until IS NULL AND s._aksi = 'changed') OR (t.valid_until = :v AND s._aksi = 'added')) "
            f"RETURNING {returned}, nextval('revisi_seq')",
            f"UPDATE {t.name} t SET valid_until = :v, revisi = nextval('revisi_seq') FROM _impor s "
            f"WHERE {match} AND t.valid_until IS NULL AND s._aksi <> 'added' RETURNING {returned}, t.revisi",
            f"INSERT INTO {t.name} ({names}, valid_from) SELECT {names}, :v FROM _impor "
            f"WHERE _aksi <> 'retired' RETURNING {', '.join(key)}, revisi",
        ):
            for row in conn.execute(text(statement), params):
                revisi[tuple(row[:-1])] = row[-1]
        return revisi

    def add_crosswalk(self, kind: str, kode_pemda: str, kode_versi: str, pairs: list[tuple[str, str]]) -> None:
        if pairs:
            self.session.execute(insert(crosswalk).values([
                {"kind": kind, "kode_pemda": kode_pemda, "kode_lama": old, "kode_baru": new, "versi": kode_versi}
                for old, new in pairs]).on_conflict_do_nothing())

    def record_import(self, values: dict) -> int:
        return self.session.execute(impor.insert().values(values).returning(impor.c.id)).scalar_one()

    def analyze(self, kind: str) -> None:
        """After a large import: the word index's pending entries merged and fresh planner statistics;
        without them a search reads the whole list."""
        name = TABLES[kind].name
        self.session.execute(text("SELECT gin_clean_pending_list(:index ::regclass)"), {"index": f"{name}_cari"})
        self.session.execute(text(f"ANALYZE {name}"))
