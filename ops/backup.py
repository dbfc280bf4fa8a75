"""Backup and restore of SIPD's database: one ``pg_dump`` per schema, all of one moment.

    python -m ops.backup dump DIR                       # DIR/<schema>.dump for each schema, DIR/manifest.json
    python -m ops.backup restore DIR --database NAME    # into a fresh database (NAME must not exist)

**Dump.** One transaction exports a snapshot (``pg_export_snapshot``) and every schema is dumped from it
(``pg_dump --snapshot``), so the files agree with each other as the database was at one instant: no
consumer holds an effect of an event its producer's file does not have. Custom format, with owners and
grants; run with the administrator's account (``SIPD_DB_ADMIN_USER``), the services may go on meanwhile.

**Restore.** Into a database that does not exist yet: it is made with the roles (``sipd_common.dbsetup``),
each schema restored from its file, and the events the producers had published in the
``--replay-minutes`` (60) before the snapshot are marked unsent again. Those may have been in the broker's
queues, not yet applied, when the snapshot was taken; the relays publish them again once the services
run, and consumers ignore what they already hold (``inbox``). Then point the services at the restored
database (``SIPD_DB_NAME``) and start them: they catch up by themselves.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

from sipd_common import dbsetup
from sipd_common.settings import SCHEMAS, SERVICES, Settings, get_settings

MANIFEST = "manifest.json"


def _conninfo(settings: Settings, database: str) -> tuple[list[str], dict]:
    """pg_dump / pg_restore's connection arguments and environment (the password never on a command line)."""
    args = ["--host", settings.db_host, "--port", str(settings.db_port), "--username", settings.db_admin_user,
            "--dbname", database]
    env = {**os.environ, "PGPASSWORD": settings.db_admin_password} if settings.db_admin_password else dict(os.environ)
    return args, env


def _dsn(settings: Settings, database: str) -> str:
    return settings.admin_url(database).replace("postgresql+psycopg://", "postgresql://")


def dump(settings: Settings, directory: Path) -> dict:
    """Every schema of ``settings.db_name`` into ``directory``, from one snapshot; the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    args, env = _conninfo(settings, settings.db_name)
    with psycopg.connect(_dsn(settings, settings.db_name)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot, taken_at = conn.execute("SELECT pg_export_snapshot(), now()").fetchone()
        for schema in SCHEMAS:
            subprocess.run(["pg_dump", *args, "--format=custom", f"--schema={schema}", f"--snapshot={snapshot}",
                            f"--file={directory / f'{schema}.dump'}"], env=env, check=True)
        conn.rollback()
    manifest = {"database": settings.db_name, "taken_at": taken_at.isoformat(), "schemas": list(SCHEMAS)}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def restore(settings: Settings, directory: Path, database: str, replay_minutes: int = 60) -> dict:
    """The dump in ``directory`` into the fresh database ``database``; recent events marked to be sent again."""
    manifest = json.loads((directory / MANIFEST).read_text())
    with psycopg.connect(_dsn(settings, "postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            raise SystemExit(f"database {database} exists: restore into a fresh one (drop it first if you mean it)")
    target = dataclasses.replace(settings, db_name=database)
    dbsetup.ensure_database(target)
    dbsetup.ensure_roles_and_schemas(target)
    args, env = _conninfo(target, database)
    with psycopg.connect(_dsn(target, database), autocommit=True) as conn:
        for schema in manifest["schemas"]:
            # the dump makes the schema itself, with its owner and grants
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
            subprocess.run(["pg_restore", *args, "--exit-on-error", str(directory / f"{schema}.dump")],
                           env=env, check=True)
        since = datetime.fromisoformat(manifest["taken_at"]) - timedelta(minutes=replay_minutes)
        replayed = {}
        for schema in (s for s in manifest["schemas"] if s in SERVICES):
            replayed[schema] = conn.execute(
                sql.SQL("UPDATE {}.outbox SET published_at = NULL, retry_at = NULL WHERE published_at >= %s")
                .format(sql.Identifier(schema)), (since,)).rowcount
    return {"database": database, "taken_at": manifest["taken_at"], "replayed_since": since.isoformat(),
            "replayed": replayed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="every schema, from one snapshot, into DIR")
    d.add_argument("directory", type=Path)
    r = sub.add_parser("restore", help="a dump into a fresh database")
    r.add_argument("directory", type=Path)
    r.add_argument("--database", required=True, help="the new database's name (must not exist)")
    r.add_argument("--replay-minutes", type=int, default=60,
                   help="events published this long before the snapshot are sent again (default 60)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.command == "dump":
        print(json.dumps(dump(settings, args.directory)))
    else:
        print(json.dumps(restore(settings, args.directory, args.database, args.replay_minutes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
