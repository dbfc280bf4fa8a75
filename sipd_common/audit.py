"""The audit trail: every write, who made it, when, and the record before and after.

Each owner of data (every service, and the gateway for users) keeps an ``audit`` table in its own
schema. A row is written in the same transaction as the change it describes
(``UnitOfWork.audit`` in the services), so there is no change without its row and no row without
its change. The actor is the verified caller of the worker (``sipd_common.auth``), the request id
the one the gateway gave the HTTP request. Rows carry the pemda, year and SKPD of the record, so the
trail of a record is read by those who may read the record, even after it was deleted.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, Column, DateTime, Index, MetaData, SmallInteger, String, Table, func, select
from sqlalchemy.dialects.postgresql import JSONB

from .access import Scope

Action = Literal["create", "update", "delete", "password_change"]
SYSTEM = "system"


def add_audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("record_type", String(60), nullable=False),
        Column("record_id", String(64), nullable=False),
        Column("action", String(20), nullable=False),
        Column("kode_pemda", String(10)),
        Column("tahun", SmallInteger),
        Column("kode_skpd", String(40)),
        Column("actor_id", String(64)),
        Column("actor_username", String(100), nullable=False),
        Column("actor_role", String(30)),
        Column("request_id", String(64)),
        Column("before", JSONB),
        Column("after", JSONB),
        Index("audit_record", "record_type", "record_id", "id"),
    )


audit_metadata = MetaData()
audit_table = add_audit_table(audit_metadata)


def audit_values(record_type: str, record_id: str, action: Action, before: dict | None, after: dict | None, *,
                 actor: Scope | None, request_id: str | None, kode_pemda: str | None = None,
                 tahun: int | None = None, kode_skpd: str | None = None, system: str = SYSTEM) -> dict[str, Any]:
    """One audit row; without an actor (an event handler, a command) it is the system's (``system`` says which)."""
    return {
        "record_type": record_type, "record_id": str(record_id), "action": action,
        "kode_pemda": kode_pemda, "tahun": tahun, "kode_skpd": kode_skpd,
        "actor_id": actor.user_id if actor else None,
        "actor_username": actor.username if actor else system,
        "actor_role": str(actor.role) if actor else None,
        "request_id": request_id if request_id and request_id != "-" else None,
        "before": before, "after": after,
    }


def trail_queries(record_type: str, record_id: str, offset: int, limit: int, table: Table = audit_table):
    """(count, page) statements for a record's trail, oldest first: run them sync or async."""
    where = (table.c.record_type == record_type, table.c.record_id == str(record_id))
    return (select(func.count()).select_from(table).where(*where),
            select(table).where(*where).order_by(table.c.id).offset(offset).limit(limit))


def first_row_query(record_type: str, record_id: str, table: Table = audit_table):
    """The record's first audit row: where it belongs, even after the record is gone."""
    return (select(table).where(table.c.record_type == record_type, table.c.record_id == str(record_id))
            .order_by(table.c.id).limit(1))


class Actor(BaseModel):
    id: str | None = Field(description="User id; null for the system (an event handler, an operator's command).")
    username: str
    role: str | None


class AuditEntryOut(BaseModel):
    """One write to a record: who, when, and the record before and after it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 17, "occurred_at": "2026-05-04T08:15:02.114+00:00", "action": "update",
        "record_type": "rkpd_sub_kegiatan", "record_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90",
        "actor": {"id": "0b6f2c1e-1d3a-4c8e-9a55-3f2e1d0c9b8a", "username": "bappeda.bandung", "role": "bappeda"},
        "request_id": "4f1e9c2a7b3d4e5f8a9b0c1d2e3f4a5b",
        "changed": ["pagu_indikatif", "version"],
        "before": {"pagu_indikatif": "3500000000.00", "version": 1},
        "after": {"pagu_indikatif": "3000000000.00", "version": 2}}]})

    id: int
    occurred_at: datetime
    action: Action
    record_type: str
    record_id: str
    actor: Actor
    request_id: str | None = Field(description="The HTTP request that made the change (its `X-Request-ID`).")
    changed: list[str] = Field(description="The fields whose value differs between `before` and `after`.")
    before: dict[str, Any] | None = Field(description="The record before the write; null for a create.")
    after: dict[str, Any] | None = Field(description="The record after the write; null for a delete.")


def entry_out(row) -> dict[str, Any]:
    before, after = row.before, row.after
    keys = set(before or {}) | set(after or {})
    changed = sorted(k for k in keys if (before or {}).get(k) != (after or {}).get(k))
    return AuditEntryOut(
        id=row.id, occurred_at=row.occurred_at, action=row.action, record_type=row.record_type,
        record_id=row.record_id, actor=Actor(id=row.actor_id, username=row.actor_username, role=row.actor_role),
        request_id=row.request_id, changed=changed, before=before, after=after,
    ).model_dump(mode="json")


def read_trail(session, record_type: str, record_id: str, offset: int, limit: int) -> dict[str, Any]:
    """One page of a record's trail, oldest first, with the total: ``{"items", "total"}``."""
    count, page = trail_queries(record_type, record_id, offset, limit)
    total = session.execute(count).scalar_one()
    return {"items": [entry_out(row) for row in session.execute(page)], "total": total}
