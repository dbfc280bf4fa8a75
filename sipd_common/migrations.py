"""Alembic for each service (and the gateway): its own script folder, its own schema, its own version table.

Every service's ``migrations/env.py`` calls ``run_env``; ``upgrade`` runs them as
the service's own role, so the service owns the tables it creates.
"""
from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from .settings import SCHEMAS, get_settings, service_role
ROOT = Path(__file__).resolve().parent.parent


def script_location(owner: str) -> Path:
    """A service's migrations are in ``services/<name>/migrations``, the gateway's in ``gateway/migrations``."""
    return ROOT / owner / "migrations" if owner == "gateway" else ROOT / "services" / owner / "migrations"


def alembic_config(service: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location(service)))
    cfg.set_main_option("sqlalchemy.url", get_settings().database_url(service_role(service)).replace("%", "%%"))
    cfg.attributes["service"] = service
    return cfg


def upgrade(service: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service), revision)


def run_env(target_metadata: MetaData) -> None:
    """Body of a service's env.py (online mode only: migrations run against the database)."""
    from alembic import context
    from sqlalchemy import create_engine, pool

    cfg = context.config
    service = cfg.attributes.get("service") or Path(cfg.get_main_option("script_location")).parent.name
    engine = create_engine(cfg.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool,
                           connect_args={"options": f"-csearch_path={service}"})
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table="alembic_version",
            version_table_schema=service,
            include_schemas=False,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def drift(connection, metadata: MetaData) -> list:
    """What the schema behind ``connection`` (as the migrations made it) lacks or has beyond ``metadata``: Alembic's
    ``compare_metadata`` (columns, their types and server defaults, indexes, constraints); [] when the two agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def include(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(connection, opts={"include_object": include, "compare_type": True,
                                                           "compare_server_default": True})
    return compare_metadata(context, metadata)


def main(argv: list[str] | None = None) -> None:
    names = (argv if argv is not None else sys.argv[1:]) or list(SCHEMAS)
    for name in names:
        if name not in SCHEMAS:
            raise SystemExit(f"unknown service {name!r}; one of {', '.join(SCHEMAS)}")
        upgrade(name)
        print(f"migrated {name}")


if __name__ == "__main__":
    main()


def create_messaging_tables() -> None:
    """For a service's first migration: outbox, inbox, handler_failure, parked_event."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects.postgresql import JSONB, UUID

    now = sa.text("now()")
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("exchange", sa.String(200), nullable=False),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column("headers", JSONB, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    )
    # the relay's query: unsent rows in order
    op.create_index("outbox_unsent", "outbox", ["id"], postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "inbox",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("handler", sa.String(200), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_table(
        "handler_failure",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("handler", sa.String(200), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_table(
        "parked_event",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("handler", sa.String(200), nullable=False),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column("headers", JSONB, nullable=False, server_default="{}"),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("replayed_at", sa.DateTime(timezone=True)),
    )


def add_outbox_return_columns() -> None:
    """For a migration: the outbox columns of an event the broker returned (no queue bound for it)."""
    import sqlalchemy as sa
    from alembic import op

    op.add_column("outbox", sa.Column("unroutable", sa.Integer, nullable=False, server_default="0"))
    op.add_column("outbox", sa.Column("retry_at", sa.DateTime(timezone=True)))


def drop_outbox_return_columns() -> None:
    from alembic import op

    op.drop_column("outbox", "retry_at")
    op.drop_column("outbox", "unroutable")


def add_outbox_lease_column() -> None:
    """For a migration: the outbox's ``claimed_until``, the lease of the relay publishing a row (``sipd_common.outbox``)."""
    import sqlalchemy as sa
    from alembic import op

    op.add_column("outbox", sa.Column("claimed_until", sa.DateTime(timezone=True)))


def drop_outbox_lease_column() -> None:
    from alembic import op

    op.drop_column("outbox", "claimed_until")


def create_audit_table() -> None:
    """For a migration: the ``audit`` table of ``sipd_common.audit`` (as first created; change it in a new migration)."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects.postgresql import JSONB

    op.create_table(
        "audit",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.Column("record_type", sa.String(60), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("kode_pemda", sa.String(10)),
        sa.Column("tahun", sa.SmallInteger),
        sa.Column("kode_skpd", sa.String(40)),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("actor_username", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(30)),
        sa.Column("request_id", sa.String(64)),
        sa.Column("before", JSONB),
        sa.Column("after", JSONB),
    )
    op.create_index("audit_record", "audit", ["record_type", "record_id", "id"])


def drop_audit_table() -> None:
    from alembic import op

    op.drop_table("audit")


def create_replica_table() -> None:
    """For a migration: the ``replika_posisi`` table of ``sipd_common.replica`` (``add_replica_table``), as
    first created; change it in a new migration."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        "replika_posisi",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("urutan", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("tertunda", sa.ARRAY(sa.BigInteger), nullable=False, server_default="{}"),
        sa.Column("celah_sejak", sa.DateTime(timezone=True)),
        sa.Column("siap", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("diisi_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )


def drop_replica_table() -> None:
    from alembic import op

    op.drop_table("replika_posisi")


def create_idempotency_table() -> None:
    """For a migration: the ``idempotent_call`` table of ``sipd_common.idempotency``, as first created."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects.postgresql import JSONB

    op.create_table(
        "idempotent_call",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("operation", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("result", JSONB),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )


def drop_idempotency_table() -> None:
    from alembic import op

    op.drop_table("idempotent_call")
