"""Create the database, one login role and one schema per service and the gateway. Safe to run again.

Each role owns its schema and may use nothing else: ``public`` is closed to it
and no role is granted another's schema, so a service that reaches for another
service's tables gets "permission denied".
"""
from __future__ import annotations

import sys

import psycopg
from psycopg import sql

from .settings import SCHEMAS, Settings, get_settings, service_role


def _admin_dsn(settings: Settings, database: str) -> str:
    return settings.admin_url(database).replace("postgresql+psycopg://", "postgresql://")


def ensure_database(settings: Settings) -> None:
    with psycopg.connect(_admin_dsn(settings, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (settings.db_name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings.db_name)))


def ensure_roles_and_schemas(settings: Settings, services=SCHEMAS) -> None:
    with psycopg.connect(_admin_dsn(settings, settings.db_name), autocommit=True) as conn:
        conn.execute(sql.SQL("REVOKE ALL ON SCHEMA public FROM PUBLIC"))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(settings.db_name)))
        for service in services:
            role = sql.Identifier(service_role(service))
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (service_role(service),)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
            if settings.db_password:
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(settings.db_password)))
            conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(settings.db_name), role))
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(sql.Identifier(service), role))
            conn.execute(sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(
                role, sql.Identifier(settings.db_name), sql.Identifier(service)))


def drop_database(settings: Settings) -> None:
    """For tests: a clean database each run."""
    with psycopg.connect(_admin_dsn(settings, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(settings.db_name)))


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    ensure_database(settings)
    ensure_roles_and_schemas(settings)
    print(f"database {settings.db_name}: roles and schemas ready for {', '.join(SCHEMAS)}")


if __name__ == "__main__":
    main(sys.argv[1:])
