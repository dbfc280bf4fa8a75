"""Helpers of referensi's service tests: calls as the gateway makes them, files, the outbox."""
from __future__ import annotations

import base64

from nameko.testing.services import entrypoint_hook
from sqlalchemy import func, select

from ops.testing import auth_context
from sipd_common.tables import outbox_table


def call(container, method, *args, **kwargs):
    with entrypoint_hook(container, method, context_data=auth_context()) as hook:
        return hook(*args, **kwargs)


def csv_bytes(*lines: str) -> str:
    return base64.b64encode(("\n".join(lines) + "\n").encode()).decode()


def import_(container, content_b64: str, versi: dict, kind="nomenklatur", mode="diff", **extra):
    return call(container, "import_file", {"kind": kind, "mode": mode, **versi, **extra}, content_b64, "uji.csv")


def outbox(db, routing_key: str | None = None) -> list:
    t = outbox_table
    query = select(t.c.id, t.c.routing_key, t.c.payload, t.c.published_at).order_by(t.c.id)
    if routing_key:
        query = query.where(t.c.routing_key == routing_key)
    with db.connect() as conn:
        return conn.execute(query).all()


def published(db, routing_key: str, versi: str) -> list:
    """When each event of ``routing_key`` for ``versi`` was published (None: not yet), their payloads unread (an
    import's events are large, and a check polled in the process of the relay it waits for slows that relay)."""
    t = outbox_table
    with db.connect() as conn:
        return conn.execute(select(t.c.published_at).where(t.c.routing_key == routing_key,
                                                           t.c.payload["versi"].astext == versi)
                            .order_by(t.c.id)).scalars().all()


def count_outbox(db) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox_table)).scalar_one()
